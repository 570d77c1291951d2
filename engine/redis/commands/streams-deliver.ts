// Delivering stream entries to consumer groups and propagating what that changed (t_stream.c
// streamReplyWithRange with a group, streamReplyWithRangeFromConsumerPEL, streamCreateConsumer,
// streamLookupConsumer, streamPropagateXCLAIM / streamPropagateGroupID / streamPropagateConsumerCreation).
import { arr, bulk, NIL_ARRAY, type Reply } from '../../net/resp.ts';
import { Consumer, type ConsumerGroup, type Nack } from '../keyspace/stream-cg.ts';
import { ID_MAX, formatId, type StreamId } from '../keyspace/stream-id.ts';
import { advanceGroup } from '../keyspace/stream-lag.ts';
import type { Stream } from '../keyspace/stream.ts';
import type { CommandContext } from './context.ts';
import { entryReply, notifyStream } from './streams-common.ts';

/** streamLookupConsumer (refresh = seen_time updated). */
export function lookupConsumer(ctx: CommandContext, g: ConsumerGroup, name: string, refresh: boolean): Consumer | undefined {
  const c = g.consumers.get(name);
  if (c && refresh) c.seenTime = ctx.now();
  return c;
}

/** streamCreateConsumer with SCC_DEFAULT: dirty and the xgroup-createconsumer event. undefined if it exists. */
export function createConsumer(ctx: CommandContext, g: ConsumerGroup, name: string, key: string): Consumer | undefined {
  if (g.consumers.has(name)) return undefined;
  const c = new Consumer(name, ctx.now());
  g.consumers.set(name, c);
  ctx.dirty();
  notifyStream(ctx, 'xgroup-createconsumer', key);
  return c;
}

/** Lookup, else create: the consumer a read or claim works for. */
export function consumerFor(ctx: CommandContext, g: ConsumerGroup, name: string, key: string): Consumer {
  return lookupConsumer(ctx, g, name, true) ?? createConsumer(ctx, g, name, key)!;
}

/** streamPropagateXCLAIM: XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID last. */
export function propagateXclaim(ctx: CommandContext, key: string, g: ConsumerGroup, group: string, id: string, nack: Nack): void {
  ctx.propagate([
    'XCLAIM',
    key,
    group,
    nack.consumer!.name,
    '0',
    id,
    'TIME',
    String(nack.deliveryTime),
    'RETRYCOUNT',
    String(nack.deliveryCount),
    'FORCE',
    'JUSTID',
    'LASTID',
    formatId(g.lastId),
  ]);
}

/** streamPropagateGroupID: XGROUP SETID key group last ENTRIESREAD n. */
export function propagateGroupId(ctx: CommandContext, key: string, g: ConsumerGroup, group: string): void {
  ctx.propagate(['XGROUP', 'SETID', key, group, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
}

/** streamPropagateConsumerCreation. */
export function propagateConsumerCreation(ctx: CommandContext, key: string, group: string, consumer: string): void {
  ctx.propagate(['XGROUP', 'CREATECONSUMER', key, group, consumer]);
}

export interface GroupRead {
  key: string;
  groupName: string;
  group: ConsumerGroup;
  consumer: Consumer;
  noack: boolean;
}

/**
 * streamReplyWithRange for a group reading new entries from `start`: advances the group, adds the
 * entries to the PELs (unless NOACK) and propagates an XCLAIM per entry, or XGROUP SETID under NOACK.
 */
export function deliverNew(ctx: CommandContext, s: Stream, start: StreamId, count: number, r: GroupRead): Reply[] {
  const out: Reply[] = [];
  let propagateLastId = false;
  const { group: g, consumer } = r;
  for (const e of s.range(start, ID_MAX)) {
    if (e.id > g.lastId) {
      advanceGroup(s, g, e.id);
      if (r.noack) propagateLastId = true;
    }
    out.push(entryReply(e));
    if (!r.noack) {
      const now = ctx.now();
      let nack: Nack = { consumer, deliveryTime: now, deliveryCount: 1 };
      if (!g.pel.insert(e.id, nack)) {
        // already pending (history re-delivered by a new read after SETID): move it to this consumer
        nack = g.pel.get(e.id)!;
        nack.consumer!.pel.remove(e.id);
        nack.consumer = consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1;
        consumer.pel.set(e.id, nack);
      } else consumer.pel.insert(e.id, nack);
      propagateXclaim(ctx, r.key, g, r.groupName, formatId(e.id), nack);
    }
    if (count && out.length === count) break;
  }
  if (propagateLastId) propagateGroupId(ctx, r.key, g, r.groupName);
  return out;
}

/** streamReplyWithRangeFromConsumerPEL: the consumer's pending entries from `start` (deleted ones as [id, nil]). */
export function deliverHistory(ctx: CommandContext, s: Stream, start: StreamId, count: number, consumer: Consumer): Reply[] {
  const out: Reply[] = [];
  for (const [id, nack] of consumer.pel.from(start)) {
    if (count && out.length >= count) break;
    const e = s.get(id);
    if (!e) out.push(arr([bulk(formatId(id)), NIL_ARRAY]));
    else {
      out.push(entryReply(e));
      nack.deliveryTime = ctx.now();
      nack.deliveryCount++;
    }
  }
  return out;
}
