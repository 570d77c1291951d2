// HyperLogLog commands (hyperloglog.c of Redis 7.0.15): PFADD, PFCOUNT (single with the cached
// cardinality, multi-key union), PFMERGE, PFDEBUG, PFSELFTEST. The representation is keyspace/hll.ts.
import { OK, ONE, ZERO, bulk, err, int, simple, type Resp } from '../../net/resp.ts';
import {
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_HDR_SIZE,
  HLL_REGISTERS,
  cacheValid,
  createHll,
  denseGet,
  denseGetStr,
  denseSetStr,
  denseSetRaw,
  hllAdd,
  hllFromString,
  hllMerge,
  hllPatLen,
  hllSet,
  hllToString,
  invalidateCache,
  isValidHll,
  readCard,
  sparseToDense,
  writeCard,
  type Hll,
} from '../keyspace/hll.ts';
import { decodeSparse, hllCount, rawCount } from '../keyspace/hll-count.ts';
import { markRawString } from '../keyspace/memory.ts';
import { int64Reply } from './bitops.ts';
import { NOTIFY_STRING, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import type { RedisValue } from '../keyspace/values.ts';
import { specBuilder, type CommandContext, type CommandSpec } from './context.ts';
import { ERR_WRONGTYPE } from './util.ts';

const WRONGTYPE = err(ERR_WRONGTYPE);
const NOT_HLL = err('WRONGTYPE Key is not a valid HyperLogLog string value.');
const INVALID = err('INVALIDOBJ Corrupted HLL object detected');

/** server.hll_sparse_max_bytes (3000 without a server). */
function sparseMaxBytes(ctx: CommandContext): number {
  const s = (ctx as { server?: { conf?: { get?: (k: string) => string | undefined } } }).server;
  const v = s?.conf?.get?.('hll-sparse-max-bytes');
  return v ? Number(v) : 3000;
}

/** isHLLObjectOrReply: the HLL of a looked-up value, or the error reply. */
function asHll(o: RedisValue): Hll | Resp {
  if (o.type !== 'string') return WRONGTYPE;
  if (!isValidHll(o.v)) return NOT_HLL;
  return hllFromString(o.v);
}

/** Write the (modified in place, in Redis) value back; the TTL stays. */
function store(ctx: CommandContext, key: string, h: Hll, existed: boolean): void {
  const v: RedisValue = { type: 'string', v: hllToString(h) };
  markRawString(v);
  ctx.db.set(key, v, existed);
}

function pfadd(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const o = ctx.db.lookupWrite(key);
  let h: Hll;
  let updated = 0;
  if (!o) {
    h = createHll();
    updated++;
  } else {
    if (o.type === 'string' && isValidHll(o.v) && o.v.charCodeAt(4) === HLL_DENSE) return pfaddDense(ctx, key, o.v);
    const r = asHll(o);
    if ('t' in r) return r;
    h = r;
  }
  const max = sparseMaxBytes(ctx);
  for (let j = 2; j < ctx.argv.length; j++) {
    const [res, next] = hllAdd(h, ctx.argv[j]!, max);
    h = next;
    if (res === 1) updated++;
    else if (res === -1) {
      store(ctx, key, h, o !== undefined); // Redis changed the value in place before failing
      return INVALID;
    }
  }
  if (updated) invalidateCache(h);
  store(ctx, key, h, o !== undefined);
  if (updated) {
    ctx.touch(key);
    notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'pfadd', key);
    ctx.dirty(updated);
  }
  return updated ? ONE : ZERO;
}

/** PFADD to a dense HLL, register by register on the stored string (hllDenseAdd). */
function pfaddDense(ctx: CommandContext, key: string, str: string): Resp {
  let s = str;
  let updated = 0;
  for (let j = 2; j < ctx.argv.length; j++) {
    const [index, count] = hllPatLen(ctx.argv[j]!);
    if (count > denseGetStr(s, index)) {
      s = denseSetStr(s, index, count);
      updated++;
    }
  }
  if (!updated) return ZERO;
  s = s.slice(0, 15) + String.fromCharCode(s.charCodeAt(15) | 0x80) + s.slice(16); // HLL_INVALIDATE_CACHE
  const v: RedisValue = { type: 'string', v: s };
  markRawString(v);
  ctx.db.set(key, v, true);
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'pfadd', key);
  ctx.dirty(updated);
  return ONE;
}

function pfcount(ctx: CommandContext): Resp {
  const { argv } = ctx;
  if (argv.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const o = ctx.db.lookupRead(argv[j]!);
      if (!o) continue;
      const h = asHll(o);
      if ('t' in h) return h;
      if (!hllMerge(max, h)) return INVALID;
    }
    return int(rawCount(max));
  }
  const key = argv[1]!;
  const o = ctx.db.lookupRead(key);
  if (!o) return ZERO;
  const h = asHll(o);
  if ('t' in h) return h;
  if (cacheValid(h)) return int64Reply(readCard(h));
  const card = hllCount(h);
  if (card === null) return INVALID;
  writeCard(h, card);
  store(ctx, key, h, true);
  // a read-only command that changes the value: propagated (server.dirty++)
  ctx.touch(key);
  ctx.dirty();
  return int(card);
}

function pfmerge(ctx: CommandContext): Resp {
  const { argv } = ctx;
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const o = ctx.db.lookupRead(argv[j]!);
    if (!o) continue;
    const h = asHll(o);
    if ('t' in h) return h;
    if (h.enc === 'dense') useDense = true;
    if (!hllMerge(max, h)) return INVALID;
  }
  const key = argv[1]!;
  const o = ctx.db.lookupWrite(key);
  let h: Hll = o && o.type === 'string' ? hllFromString(o.v) : createHll();
  if (useDense && h.enc === 'sparse') {
    const d = sparseToDense(h);
    if (!d) return INVALID;
    h = d;
  }
  const maxBytes = sparseMaxBytes(ctx);
  for (let j = 0; j < HLL_REGISTERS; j++) if (max[j]) h = hllSet(h, j, max[j]!, maxBytes);
  invalidateCache(h);
  store(ctx, key, h, o !== undefined);
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'pfadd', key);
  ctx.dirty();
  return OK;
}

function pfdebug(ctx: CommandContext): Resp {
  const cmd = ctx.argv[1]!;
  const key = ctx.argv[2]!;
  const o = ctx.db.lookupWrite(key);
  if (!o) return err('ERR The specified key does not exist');
  const r = asHll(o);
  if ('t' in r) return r;
  let h = r;
  store(ctx, key, h, true);
  const arity = (): Resp => err(`ERR Wrong number of arguments for the '${cmd}' subcommand`);
  const sub = cmd.toLowerCase();
  if (sub === 'getreg') {
    if (ctx.argv.length !== 3) return arity();
    if (h.enc === 'sparse') {
      const d = sparseToDense(h);
      if (!d) return INVALID;
      h = d;
      store(ctx, key, h, true);
      ctx.dirty(); // force propagation on encoding change
    }
    const out: Resp[] = [];
    for (let j = 0; j < HLL_REGISTERS; j++) out.push(int(denseGet(h.b as Uint8Array, j)));
    return { t: 'array', v: out };
  }
  if (sub === 'decode') {
    if (ctx.argv.length !== 3) return arity();
    if (h.enc !== 'sparse') return err('ERR HLL encoding is not sparse');
    return bulk(decodeSparse(h));
  }
  if (sub === 'encoding') {
    if (ctx.argv.length !== 3) return arity();
    return simple(h.enc);
  }
  if (sub === 'todense') {
    if (ctx.argv.length !== 3) return arity();
    if (h.enc !== 'sparse') return ZERO;
    const d = sparseToDense(h);
    if (!d) return INVALID;
    store(ctx, key, d, true);
    ctx.dirty();
    return ONE;
  }
  return err(`ERR Unknown PFDEBUG subcommand '${cmd}'`);
}

/** PFSELFTEST: register access and dense/sparse estimate checks; randomness from the seeded stream. */
function pfselftest(ctx: CommandContext): Resp {
  const rand = (): number => Math.floor(ctx.rng.next() * 0x80000000);
  const dense = new Uint8Array(HLL_DENSE_SIZE);
  const bytecounters = new Uint8Array(HLL_REGISTERS);
  for (let j = 0; j < 1000; j++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = rand() & 63;
      bytecounters[i] = r;
      denseSetRaw(dense, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const val = denseGet(dense, i);
      if (val !== bytecounters[i]) return err(`TESTFAILED Register ${i} should be ${bytecounters[i]} but is ${val}`);
    }
  }
  dense.fill(0, HLL_HDR_SIZE);
  const denseHll: Hll = { enc: 'dense', b: dense };
  let o: Hll = createHll();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const maxBytes = sparseMaxBytes(ctx);
  let checkpoint = 1;
  const seedLo = rand() >>> 0;
  const seedHi = rand() >>> 0;
  const ele = new Uint8Array(8);
  const view = new DataView(ele.buffer);
  for (let j = 1; j <= 10000000; j++) {
    view.setUint32(0, (j ^ seedLo) >>> 0, true);
    view.setUint32(4, seedHi, true);
    const s = String.fromCharCode(...ele);
    hllAdd(denseHll, s, maxBytes);
    o = hllAdd(o, s, maxBytes)[1];
    if (j !== checkpoint) continue;
    if (j < maxBytes / 2 && o.enc !== 'sparse') return err('TESTFAILED sparse encoding not used');
    const dc = hllCount(denseHll)!;
    if (dc !== hllCount(o)) return err('TESTFAILED dense/sparse disagree');
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    const abserr = Math.abs(checkpoint - dc);
    if (abserr > maxerr) return err(`TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`);
    checkpoint *= 10;
  }
  return OK;
}

const spec = specBuilder('hyperloglog');

export const hyperloglogCommands: CommandSpec[] = [
  spec('pfadd', -2, ['write', 'denyoom', 'fast'], [1, 1, 1], '2.8.9', 'Adds the specified elements to the specified HyperLogLog.', pfadd),
  spec('pfcount', -2, ['readonly', 'may_replicate'], [1, -1, 1], '2.8.9', 'Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).', pfcount),
  spec('pfmerge', -2, ['write', 'denyoom'], [1, -1, 1], '2.8.9', 'Merge N different HyperLogLogs into a single one.', pfmerge),
  spec('pfdebug', 3, ['write', 'denyoom', 'admin'], [2, 2, 1], '2.8.9', 'Internal commands for debugging HyperLogLog values', pfdebug),
  spec('pfselftest', 1, ['admin'], [0, 0, 0], '2.8.9', 'An internal command for testing HyperLogLog values', pfselftest),
];
