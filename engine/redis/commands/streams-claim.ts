// XCLAIM and XAUTOCLAIM (t_stream.c xclaimCommand / xautoclaimCommand of Redis 7.0.15): both
// propagate one XCLAIM … JUSTID per claimed or dropped entry, never themselves.
import { arr, bulk, err, type Reply } from '../../net/resp.ts';
import type { Consumer, ConsumerGroup, Nack } from '../keyspace/stream-cg.ts';
import { formatId, incrId, parseStreamId, type StreamId } from '../keyspace/stream-id.ts';
import type { CommandContext } from './context.ts';
import { WRONGTYPE, cs, entryReply, isResp, kw, llArg, parseIdArg, parseIntervalId } from './streams-common.ts';
import { consumerFor, propagateGroupId, propagateXclaim } from './streams-deliver.ts';
import { ERR_SYNTAX } from './util.ts';

/** Move a pending entry to `consumer` (both commands). */
function reassign(id: StreamId, nack: Nack, consumer: Consumer): void {
  if (nack.consumer !== consumer) {
    nack.consumer?.pel.remove(id);
    consumer.pel.set(id, nack);
    nack.consumer = consumer;
  }
}

/** Drop a pending entry whose stream entry is gone. */
function dropNack(g: ConsumerGroup, id: StreamId, nack: Nack): void {
  g.pel.remove(id);
  nack.consumer?.pel.remove(id);
}

function xclaim(ctx: CommandContext): Reply {
  const argv = ctx.argv;
  const key = argv[1]!;
  const groupName = argv[2]!;
  const o = ctx.db.lookupRead(key);
  let g: ConsumerGroup | undefined;
  if (o) {
    if (o.type !== 'stream') return WRONGTYPE;
    g = o.v.groups.get(groupName);
  }
  if (!o || o.type !== 'stream' || !g) return err(`NOGROUP No such key '${cs(key)}' or consumer group '${cs(groupName)}'`);
  const s = o.v;
  const mi = llArg(argv[4]!, 'ERR Invalid min-idle-time argument for XCLAIM');
  if (isResp(mi)) return mi;
  const minidle = mi < 0 ? 0 : mi;
  const ids: StreamId[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const p = parseStreamId(argv[j]!, 0n, true);
    if (!p) break;
    ids.push(p.id);
  }
  const lastIdArg = j - 1;
  const now = ctx.now();
  let deliverytime = -1;
  let retrycount = -1;
  let force = false;
  let justid = false;
  let lastId: StreamId = 0n;
  for (; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    const opt = kw(argv[j]!);
    if (opt === 'force') force = true;
    else if (opt === 'justid') justid = true;
    else if (opt === 'idle' && moreargs) {
      const v = llArg(argv[++j]!, 'ERR Invalid IDLE option argument for XCLAIM');
      if (isResp(v)) return v;
      deliverytime = now - v;
    } else if (opt === 'time' && moreargs) {
      const v = llArg(argv[++j]!, 'ERR Invalid TIME option argument for XCLAIM');
      if (isResp(v)) return v;
      deliverytime = v;
    } else if (opt === 'retrycount' && moreargs) {
      const v = llArg(argv[++j]!, 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
      if (isResp(v)) return v;
      retrycount = v;
    } else if (opt === 'lastid' && moreargs) {
      const v = parseIdArg(argv[++j]!, 0n, true);
      if (isResp(v)) return v;
      lastId = v;
    } else return err(`ERR Unrecognized XCLAIM option '${cs(argv[j]!)}'`);
  }
  let propagateLastId = false;
  if (lastId > g.lastId) {
    g.lastId = lastId;
    propagateLastId = true;
  }
  if (deliverytime !== -1) {
    if (deliverytime < 0 || deliverytime > now) deliverytime = now;
  } else deliverytime = now;

  ctx.preventPropagation();
  let consumer: Consumer | null = null;
  const out: Reply[] = [];
  for (let k = 5; k <= lastIdArg; k++) {
    const id = ids[k - 5]!;
    let nack = g.pel.get(id);
    if (!s.get(id)) {
      // the entry is gone: drop it from the PEL, and tell the replicas the same way
      if (nack) {
        propagateXclaim(ctx, key, g, groupName, argv[k]!, nack);
        propagateLastId = false;
        ctx.dirty();
        dropNack(g, id, nack);
      }
      continue;
    }
    if (force && !nack) {
      nack = { consumer: null, deliveryTime: now, deliveryCount: 1 };
      g.pel.insert(id, nack);
    }
    if (!nack) continue;
    if (nack.consumer && minidle && now - nack.deliveryTime < minidle) continue;
    consumer ??= consumerFor(ctx, g, argv[3]!, key);
    if (nack.consumer !== consumer) nack.consumer?.pel.remove(id);
    nack.deliveryTime = deliverytime;
    if (retrycount >= 0) nack.deliveryCount = retrycount;
    else if (!justid) nack.deliveryCount++;
    if (nack.consumer !== consumer) {
      consumer.pel.set(id, nack);
      nack.consumer = consumer;
    }
    out.push(justid ? bulk(formatId(id)) : entryReply(s.get(id)!));
    propagateXclaim(ctx, key, g, groupName, argv[k]!, nack);
    propagateLastId = false;
    ctx.dirty();
  }
  if (propagateLastId) {
    propagateGroupId(ctx, key, g, groupName);
    ctx.dirty();
  }
  ctx.db.resize(key);
  return arr(out);
}

const LONG_MAX = 9223372036854775807n;

function xautoclaim(ctx: CommandContext): Reply {
  const argv = ctx.argv;
  const key = argv[1]!;
  const groupName = argv[2]!;
  const o = ctx.db.lookupRead(key);
  const mi = llArg(argv[4]!, 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (isResp(mi)) return mi;
  const minidle = mi < 0 ? 0 : mi;
  const st = parseIntervalId(argv[5]!, 0n);
  if (isResp(st)) return st;
  let start: StreamId | null = st.id;
  if (st.exclusive) start = incrId(start);
  if (start === null) return err('ERR invalid start ID for the interval');
  let count = 100;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    const opt = kw(argv[j]!);
    if (opt === 'count' && moreargs) {
      const maxCount = LONG_MAX / 16n;
      const v = argv[j + 1]!;
      const ok = /^(0|-?[1-9][0-9]*)$/.test(v) && v.length <= 20 && BigInt(v) >= 1n && BigInt(v) <= maxCount;
      if (!ok) return err('ERR COUNT must be > 0');
      count = Number(v);
      j++;
    } else if (opt === 'justid') justid = true;
    else return err(ERR_SYNTAX);
  }
  let g: ConsumerGroup | undefined;
  if (o) {
    if (o.type !== 'stream') return WRONGTYPE;
    g = o.v.groups.get(groupName);
  }
  if (!o || o.type !== 'stream' || !g) return err(`NOGROUP No such key '${cs(key)}' or consumer group '${cs(groupName)}'`);
  const s = o.v;
  ctx.preventPropagation();
  let consumer: Consumer | null = null;
  let attempts = count * 10;
  const now = ctx.now();
  const claimed: Reply[] = [];
  const deleted: StreamId[] = [];
  let cursor: StreamId | undefined = g.pel.ceiling(start);
  while (attempts-- > 0 && count && cursor !== undefined) {
    const id: StreamId = cursor;
    const nack = g.pel.get(id)!;
    const next = (): StreamId | undefined => g.pel.ceiling(id + 1n);
    if (!s.get(id)) {
      propagateXclaim(ctx, key, g, groupName, formatId(id), nack);
      ctx.dirty();
      dropNack(g, id, nack);
      deleted.push(id);
      count--;
      cursor = next();
      continue;
    }
    if (minidle && now - nack.deliveryTime < minidle) {
      cursor = next();
      continue;
    }
    consumer ??= consumerFor(ctx, g, argv[3]!, key);
    reassign(id, nack, consumer);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount++;
    claimed.push(justid ? bulk(formatId(id)) : entryReply(s.get(id)!));
    count--;
    propagateXclaim(ctx, key, g, groupName, formatId(id), nack);
    ctx.dirty();
    cursor = next();
  }
  // raxNext after the loop: the next ID to scan from, 0-0 at the end
  const endId = cursor === undefined ? 0n : cursor;
  ctx.db.resize(key);
  return arr([bulk(formatId(endId)), arr(claimed), arr(deleted.map((d) => bulk(formatId(d))))]);
}

export const claimHandlers = { xclaim, xautoclaim };
