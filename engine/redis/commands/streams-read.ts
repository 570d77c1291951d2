// XREAD and XREADGROUP, blocking included (t_stream.c xreadCommand, blocked.c
// serveClientsBlockedOnStreamKey / unblockDeletedStreamReadgroupClients, Redis 7.0.15).
import { NIL_ARRAY, arr, bulk, err, map, type Reply } from '../../net/resp.ts';
import type { ConsumerGroup } from '../keyspace/stream-cg.ts';
import { ID_MAX, type StreamId } from '../keyspace/stream-id.ts';
import type { Stream } from '../keyspace/stream.ts';
import type { CommandContext } from './context.ts';
import { WRONGTYPE, cs, entryReply, isResp, kw, llArg, parseIdArg } from './streams-common.ts';
import { createConsumer, deliverHistory, deliverNew, lookupConsumer, propagateConsumerCreation } from './streams-deliver.ts';
import { ERR_SYNTAX } from './util.ts';

/** XREAD_BLOCKED_DEFAULT_COUNT */
const BLOCKED_DEFAULT_COUNT = 1000;

/** A script's fake client (no connection): BLOCK is refused there. */
const fromScript = (ctx: CommandContext): boolean => (ctx.client as { conn?: unknown }).conn === null && ctx.inTransaction && !ctx.fromMaster;

/** The stream a blocked reader finds at its key. */
function streamAt(ctx: CommandContext, key: string): Stream | null | 'other' {
  const o = ctx.db.lookupWrite(key);
  if (o === undefined) return null;
  return o.type === 'stream' ? o.v : 'other';
}

/** The array or map of [key, entries] a read replies with (RESP3: a map). */
const keyedReply = (ctx: CommandContext, items: [string, Reply[]][]): Reply => {
  if (ctx.client.resp === 3) return map(items.flatMap(([k, es]) => [bulk(k), arr(es)]));
  return arr(items.map(([k, es]) => arr([bulk(k), arr(es)])));
};

function xread(ctx: CommandContext): Reply | undefined {
  const argv = ctx.argv;
  const xreadgroup = argv[0]!.length === 10;
  let timeout = -1;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupName: string | null = null;
  let consumerName = '';
  for (let i = 1; i < argv.length; i++) {
    const moreargs = argv.length - i - 1;
    const o = kw(argv[i]!);
    if (o === 'block' && moreargs) {
      if (fromScript(ctx)) return err(`ERR ${cs(argv[0]!)} command is not allowed with BLOCK option from scripts`);
      i++;
      const t = llArg(argv[i]!, 'ERR timeout is not an integer or out of range');
      if (isResp(t)) return t;
      if (t < 0) return err('ERR timeout is negative');
      timeout = t;
    } else if (o === 'count' && moreargs) {
      i++;
      const c = llArg(argv[i]!);
      if (isResp(c)) return c;
      count = c < 0 ? 0 : c;
    } else if (o === 'streams' && moreargs) {
      streamsArg = i + 1;
      streamsCount = argv.length - streamsArg;
      if (streamsCount % 2 !== 0)
        return err("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      streamsCount /= 2;
      break;
    } else if (o === 'group' && moreargs >= 2) {
      if (!xreadgroup) return err('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      groupName = argv[i + 1]!;
      consumerName = argv[i + 2]!;
      i += 2;
    } else if (o === 'noack') {
      if (!xreadgroup) return err('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      noack = true;
    } else return err(ERR_SYNTAX);
  }
  if (streamsArg === 0) return err(ERR_SYNTAX);
  if (xreadgroup && groupName === null) return err('ERR Missing GROUP option for XREADGROUP');

  const keys = argv.slice(streamsArg, streamsArg + streamsCount);
  const ids: StreamId[] = [];
  const groups: ConsumerGroup[] = [];
  for (let n = 0; n < streamsCount; n++) {
    const key = keys[n]!;
    const idArg = argv[streamsArg + streamsCount + n]!;
    const o = ctx.db.lookupRead(key);
    if (o !== undefined && o.type !== 'stream') return WRONGTYPE;
    const s = o?.type === 'stream' ? o.v : undefined;
    if (groupName !== null) {
      const g = s?.groups.get(groupName);
      if (!g) return err(`NOGROUP No such key '${cs(key)}' or consumer group '${cs(groupName)}' in XREADGROUP with GROUP option`);
      groups.push(g);
    }
    if (idArg === '$') {
      if (xreadgroup)
        return err(
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
      ids.push(s ? s.lastId : 0n);
      continue;
    }
    if (idArg === '>') {
      if (!xreadgroup) return err('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      ids.push(ID_MAX);
      continue;
    }
    const id = parseIdArg(idArg, 0n, true);
    if (isResp(id)) return id;
    ids.push(id);
  }

  ctx.preventPropagation();
  const items: [string, Reply[]][] = [];
  for (let n = 0; n < streamsCount; n++) {
    const key = keys[n]!;
    const o = ctx.db.lookupRead(key);
    if (o === undefined || o.type !== 'stream') continue;
    const s = o.v;
    let gt = ids[n]!;
    let sync = false;
    let history = false;
    if (groupName !== null) {
      if (gt !== ID_MAX) {
        sync = true;
        history = true;
      } else if (s.length && s.lastValidId() > groups[n]!.lastId) {
        sync = true;
        gt = groups[n]!.lastId;
      }
    } else if (s.length && s.lastValidId() > gt) sync = true;
    if (!sync) continue;
    const start = gt === ID_MAX ? ID_MAX : gt + 1n;
    if (groupName !== null) {
      const g = groups[n]!;
      let consumer = lookupConsumer(ctx, g, consumerName, true);
      if (!consumer) {
        consumer = createConsumer(ctx, g, consumerName, key)!;
        if (noack) propagateConsumerCreation(ctx, key, groupName, consumerName);
      }
      const es = history
        ? deliverHistory(ctx, s, start, count, consumer)
        : deliverNew(ctx, s, start, count, { key, groupName, group: g, consumer, noack });
      items.push([key, es]);
      ctx.dirty();
    } else {
      const es: Reply[] = [];
      for (const e of s.range(start, ID_MAX)) {
        es.push(entryReply(e));
        if (count && es.length === count) break;
      }
      items.push([key, es]);
    }
  }
  if (items.length) return keyedReply(ctx, items);
  if (timeout === -1) return NIL_ARRAY;
  // CLIENT_DENY_BLOCKING (MULTI, scripts): the null array at once
  if (ctx.inTransaction) return NIL_ARRAY;
  const waits = keys.map((k, n) => ({ key: k, gt: ids[n]!, epoch: -1, obj: null as Stream | null }));
  for (const w of waits) {
    const s = streamAt(ctx, w.key);
    if (s && s !== 'other') {
      w.obj = s;
      w.epoch = s.readyEpoch;
    }
  }
  const readCount = count || BLOCKED_DEFAULT_COUNT;
  ctx.block({
    keys: [...new Set(keys)],
    deadlineMs: timeout > 0 ? ctx.now() + timeout : 0,
    retry: (c) => serveBlocked(c, waits, readCount, groupName, consumerName, noack),
    timeoutReply: NIL_ARRAY,
  });
  return undefined;
}

interface Wait {
  key: string;
  gt: StreamId;
  /** The stream object and its readyEpoch when last looked at: no new signal, no serving. */
  obj: Stream | null;
  epoch: number;
}

/** serveClientsBlockedOnStreamKey for each key that was signalled (keys in the order given). */
function serveBlocked(ctx: CommandContext, waits: Wait[], count: number, groupName: string | null, consumerName: string, noack: boolean): Reply | undefined {
  ctx.preventPropagation();
  for (const w of waits) {
    const s = streamAt(ctx, w.key);
    const cur = s === 'other' ? null : s;
    const signalled = s === 'other' || cur !== w.obj || (cur !== null && cur.readyEpoch !== w.epoch);
    if (!signalled) continue;
    w.obj = s === 'other' ? null : s;
    w.epoch = s && s !== 'other' ? s.readyEpoch : -1;
    if (s === null || s === 'other') {
      // unblockDeletedStreamReadgroupClients: XREADGROUP gives up when the key is gone or retyped
      if (groupName !== null) return err('UNBLOCKED the stream key no longer exists');
      continue;
    }
    let g: ConsumerGroup | undefined;
    if (groupName !== null) {
      g = s.groups.get(groupName);
      if (!g) return err('NOGROUP the consumer group this client was blocked on no longer exists');
      w.gt = g.lastId;
    }
    if (!(s.lastId > w.gt)) continue;
    const start = w.gt + 1n;
    let es: Reply[];
    if (g) {
      let consumer = lookupConsumer(ctx, g, consumerName, true);
      if (!consumer) {
        consumer = createConsumer(ctx, g, consumerName, w.key)!;
        if (noack) propagateConsumerCreation(ctx, w.key, groupName!, consumerName);
      }
      es = deliverNew(ctx, s, start, count, { key: w.key, groupName: groupName!, group: g, consumer, noack });
    } else {
      es = [];
      for (const e of s.range(start, ID_MAX)) {
        es.push(entryReply(e));
        if (es.length === count) break;
      }
    }
    return keyedReply(ctx, [[w.key, es]]);
  }
  return undefined;
}

export const readHandlers = { xread, xreadgroup: xread };
