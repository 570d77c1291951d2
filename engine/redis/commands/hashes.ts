// Hash commands (t_hash.c of Redis 7.0.15), HSCAN via scanGenericCommand (db.c).
import { NOTIFY_GENERIC, NOTIFY_HASH, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import { EMPTY_ARRAY, EMPTY_MAP, NIL, OK, ONE, ZERO, arr, bulk, bulks, err, int, map, nested, type Reply, type Resp } from '../../net/resp.ts';
import type { Rng } from '../../sim/rng.ts';
import { matches, parseScanOptions } from './sets-scan.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './context.ts';
import {
  ERR_INVALID_CURSOR,
  ERR_NOT_FLOAT,
  ERR_NOT_INT,
  ERR_OVERFLOW,
  ERR_SYNTAX,
  ERR_WRONGTYPE,
  LLONG_MAX,
  LLONG_MIN,
  formatLongDouble,
  ldAdd,
  parseInt64,
  parseLongDouble,
  parseScanCursor,
  scanStep,
  sortForScan,
  type LongDouble,
} from './util.ts';

const WRONGTYPE: Resp = err(ERR_WRONGTYPE);
const SYNTAX_ERR: Resp = err(ERR_SYNTAX);
const NOT_INT: Resp = err(ERR_NOT_INT);

/** An option keyword as strcasecmp sees it: the C string up to the first NUL, ASCII case folded. */
const kw = (s: string): string => cstr(s).toLowerCase();
const cstr = (s: string): string => (s.includes('\0') ? s.slice(0, s.indexOf('\0')) : s);

type HashValue = { type: 'hash'; v: Map<string, string> };

/** Defaults of hash-max-listpack-entries / hash-max-listpack-value. */
const LISTPACK_ENTRIES = 128;
const LISTPACK_VALUE = 64;

/** True when Redis would keep this hash listpack-encoded (small: HSCAN returns it whole, cursor 0). */
export function isSmallHash(h: Map<string, string>): boolean {
  if (h.size > LISTPACK_ENTRIES) return false;
  for (const [f, v] of h) if (f.length > LISTPACK_VALUE || v.length > LISTPACK_VALUE) return false;
  return true;
}

function getHash(ctx: CommandContext, key: string, write: boolean): HashValue | undefined | 'wrong' {
  const o = write ? ctx.db.lookupWrite(key) : ctx.db.lookupRead(key);
  if (o === undefined) return undefined;
  return o.type === 'hash' ? o : 'wrong';
}

/** hashTypeLookupWriteOrCreate: the hash at key, created (empty, not yet stored) when absent. */
function getOrCreate(ctx: CommandContext, key: string): { h: HashValue; created: boolean } | 'wrong' {
  const h = getHash(ctx, key, true);
  if (h === 'wrong') return 'wrong';
  if (h) return { h, created: false };
  return { h: { type: 'hash', v: new Map() }, created: true };
}

/** Store a created hash or refresh the size of a mutated one; touch, the keyspace event, dirty. */
function written(ctx: CommandContext, key: string, h: { h: HashValue; created: boolean }, dirty: number, event: string): void {
  if (h.created) ctx.db.set(key, h.h);
  else ctx.db.resize(key);
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_HASH, event, key);
  ctx.dirty(dirty);
}

/** HSET and HMSET (HMSET answers OK). */
const hset =
  (isHmset: boolean) =>
  (ctx: CommandContext): Resp => {
    const { argv } = ctx;
    if (argv.length % 2 === 1) return err(`ERR wrong number of arguments for '${isHmset ? 'hmset' : 'hset'}' command`);
    const key = argv[1]!;
    const h = getOrCreate(ctx, key);
    if (h === 'wrong') return WRONGTYPE;
    let created = 0;
    for (let i = 2; i < argv.length; i += 2) {
      if (!h.h.v.has(argv[i]!)) created++;
      h.h.v.set(argv[i]!, argv[i + 1]!);
    }
    written(ctx, key, h, (argv.length - 2) / 2, 'hset');
    return isHmset ? OK : int(created);
  };

function hsetnx(ctx: CommandContext): Resp {
  const [, key, field, value] = ctx.argv as [string, string, string, string];
  const h = getOrCreate(ctx, key);
  if (h === 'wrong') return WRONGTYPE;
  if (h.h.v.has(field)) return ZERO;
  h.h.v.set(field, value);
  written(ctx, key, h, 1, 'hset');
  return ONE;
}

function hget(ctx: CommandContext): Resp {
  const h = getHash(ctx, ctx.argv[1]!, false);
  if (h === undefined) return NIL;
  if (h === 'wrong') return WRONGTYPE;
  return bulk(h.v.get(ctx.argv[2]!) ?? null);
}

function hmget(ctx: CommandContext): Resp {
  const h = getHash(ctx, ctx.argv[1]!, false);
  if (h === 'wrong') return WRONGTYPE;
  return bulks(ctx.argv.slice(2).map((f) => (h ? (h.v.get(f) ?? null) : null)));
}

function hdel(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const h = getHash(ctx, key, true);
  if (h === undefined) return ZERO;
  if (h === 'wrong') return WRONGTYPE;
  let deleted = 0;
  for (const f of ctx.argv.slice(2)) {
    if (h.v.delete(f)) deleted++;
    if (h.v.size === 0) break;
  }
  if (deleted) {
    if (h.v.size === 0) ctx.db.remove(key);
    else ctx.db.resize(key);
    ctx.touch(key);
    notifyKeyspaceEvent(ctx, NOTIFY_HASH, 'hdel', key);
    if (h.v.size === 0) notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
    ctx.dirty(deleted);
  }
  return int(deleted);
}

/** Read-only single-key commands answering `missing` when the key is absent. */
const reader =
  (missing: Reply, f: (h: Map<string, string>, ctx: CommandContext) => Reply) =>
  (ctx: CommandContext): Reply => {
    const h = getHash(ctx, ctx.argv[1]!, false);
    if (h === undefined) return missing;
    if (h === 'wrong') return WRONGTYPE;
    return f(h.v, ctx);
  };

const hlen = reader(ZERO, (h) => int(h.size));
const hstrlen = reader(ZERO, (h, ctx) => int(h.get(ctx.argv[2]!)?.length ?? 0));
const hexists = reader(ZERO, (h, ctx) => (h.has(ctx.argv[2]!) ? ONE : ZERO));
const hkeys = reader(EMPTY_ARRAY, (h) => bulks([...h.keys()]));
const hvals = reader(EMPTY_ARRAY, (h) => bulks([...h.values()]));
// genericHgetallCommand: a map (RESP2: flat field/value array)
const hgetall = reader(EMPTY_MAP, (h) => map([...h].flat().map((x) => bulk(x))));

function hincrby(ctx: CommandContext): Resp {
  const [, key, field, incrArg] = ctx.argv as [string, string, string, string];
  const incr = parseInt64(incrArg);
  if (incr === null) return NOT_INT;
  const h = getOrCreate(ctx, key);
  if (h === 'wrong') return WRONGTYPE;
  const cur = h.h.v.get(field);
  let value = 0n;
  if (cur !== undefined) {
    const v = parseInt64(cur);
    if (v === null) return err('ERR hash value is not an integer');
    value = v;
  }
  const sum = value + incr;
  if (sum > LLONG_MAX || sum < LLONG_MIN) return err(ERR_OVERFLOW);
  h.h.v.set(field, String(sum));
  written(ctx, key, h, 1, 'hincrby');
  return int(sum >= -(2n ** 53n) && sum <= 2n ** 53n ? Number(sum) : sum);
}

function hincrbyfloat(ctx: CommandContext): Resp {
  const [, key, field, incrArg] = ctx.argv as [string, string, string, string];
  const incr = parseLongDouble(incrArg);
  if (incr === null) return err(ERR_NOT_FLOAT);
  if ('inf' in incr) return err('ERR value is NaN or Infinity');
  const h = getOrCreate(ctx, key);
  if (h === 'wrong') return WRONGTYPE;
  const cur = h.h.v.get(field);
  let value: LongDouble = { neg: false, m: 0n, e: 0 };
  if (cur !== undefined) {
    const v = parseLongDouble(cur);
    if (v === null) return err('ERR hash value is not a float');
    value = v;
  }
  const sum = ldAdd(value, incr);
  if ('inf' in sum) return err('ERR increment would produce NaN or Infinity');
  const s = formatLongDouble(sum);
  h.h.v.set(field, s);
  written(ctx, key, h, 1, 'hincrbyfloat');
  // Always replicated as HSET with the final value (float formatting must not diverge).
  ctx.propagate(['HSET', key, field, s]);
  return bulk(s);
}

const LONG_MAX_STR = '9223372036854775807';

function hrandfield(ctx: CommandContext): Reply {
  const { argv } = ctx;
  if (argv.length >= 3) {
    const l = parseInt64(argv[2]!);
    if (l === null) return NOT_INT;
    if (l < -LLONG_MAX)
      return err(`ERR value is out of range, value must between -${LONG_MAX_STR} and ${LONG_MAX_STR}`);
    if (argv.length > 4 || (argv.length === 4 && kw(argv[3]!) !== 'withvalues')) return SYNTAX_ERR;
    const withValues = argv.length === 4;
    if (withValues && (l < -(LLONG_MAX / 2n) || l > LLONG_MAX / 2n)) return err('ERR value is out of range');
    const h = getHash(ctx, argv[1]!, false);
    if (h === undefined) return EMPTY_ARRAY;
    if (h === 'wrong') return WRONGTYPE;
    return randomFields(h.v, l, withValues, ctx.rng);
  }
  const h = getHash(ctx, argv[1]!, false);
  if (h === undefined) return NIL;
  if (h === 'wrong') return WRONGTYPE;
  return bulk(pick(h.v, ctx.rng)[0]);
}

function pick(h: Map<string, string>, rng: Rng): [string, string] {
  const entries = [...h];
  return entries[rng.int(0, entries.length - 1)]!;
}

/** hrandfieldWithCountCommand's four cases (field/value pairs: nested in RESP3, flat in RESP2). */
function randomFields(h: Map<string, string>, l: bigint, withValues: boolean, rng: Rng): Reply {
  const out = (pairs: [string, string][]): Reply =>
    withValues ? arr(pairs.map(([f, v]) => nested([bulk(f), bulk(v)]))) : bulks(pairs.map((p) => p[0]));
  if (l === 0n) return EMPTY_ARRAY;
  const entries = [...h];
  const size = entries.length;
  // Case 1: negative count (or 1): independent draws, repetitions allowed.
  if (l < 0n || l === 1n) {
    const n = Number(l < 0n ? -l : l);
    const res: [string, string][] = [];
    for (let i = 0; i < n; i++) res.push(entries[rng.int(0, size - 1)]!);
    return out(res);
  }
  const count = l;
  // Case 2: the whole hash.
  if (count >= BigInt(size)) return out(entries);
  const c = Number(count);
  // Case 3: copy everything, then drop random entries (the remaining keep the hash's order).
  if (c * 3 > size) {
    const keep = entries.slice();
    while (keep.length > c) keep.splice(rng.int(0, keep.length - 1), 1);
    return out(keep);
  }
  // Case 4: distinct random picks; a listpack hash answers in its own order, a hashtable in draw order.
  const chosen = new Set<number>();
  const order: number[] = [];
  while (order.length < c) {
    const i = rng.int(0, size - 1);
    if (chosen.has(i)) continue;
    chosen.add(i);
    order.push(i);
  }
  if (isSmallHash(h)) order.sort((a, b) => a - b);
  return out(order.map((i) => entries[i]!));
}

function hscan(ctx: CommandContext): Resp {
  const { argv } = ctx;
  // strtoul stops at a NUL byte, so "5\0x" is cursor 5 (util's parseScanCursor rejects it).
  const cursor = parseScanCursor(cstr(argv[2]!));
  if (cursor === null) return err(ERR_INVALID_CURSOR);
  const h = getHash(ctx, argv[1]!, false);
  if (h === undefined) return arr([bulk('0'), EMPTY_ARRAY]);
  if (h === 'wrong') return WRONGTYPE;
  const opts = parseScanOptions(argv);
  if ('t' in opts) return opts;
  const { count, pattern } = opts;
  const keep = (f: string) => matches(pattern, f);
  if (isSmallHash(h.v)) {
    // Listpack encoding: everything in one call, cursor 0.
    return arr([bulk('0'), bulks([...h.v].filter(([f]) => keep(f)).flat())]);
  }
  // Hashtable encoding: the shared deterministic cursor walk (COUNT counts fields, as Redis doubles it for pairs).
  const page = scanStep(sortForScan(h.v.keys(), (f) => f), cursor, count);
  const items: string[] = [];
  for (const f of page.items) if (keep(f)) items.push(f, h.v.get(f)!);
  return arr([bulk(String(page.next)), bulks(items)]);
}

function spec(
  name: string,
  arity: number,
  flags: CommandFlag[],
  since: string,
  summary: string,
  handler: (ctx: CommandContext) => Reply,
): CommandSpec {
  return { name, arity, flags, firstKey: 1, lastKey: 1, keyStep: 1, group: 'hash', summary, since, handler };
}

const W: CommandFlag[] = ['write', 'denyoom', 'fast'];
const RF: CommandFlag[] = ['readonly', 'fast'];

export const hashCommands: CommandSpec[] = [
  spec('hset', -4, W, '2.0.0', 'Set the string value of a hash field', hset(false)),
  spec('hsetnx', 4, W, '2.0.0', 'Set the value of a hash field, only if the field does not exist', hsetnx),
  spec('hmset', -4, W, '2.0.0', 'Set multiple hash fields to multiple values', hset(true)),
  spec('hget', 3, RF, '2.0.0', 'Get the value of a hash field', hget),
  spec('hmget', -3, RF, '2.0.0', 'Get the values of all the given hash fields', hmget),
  spec('hgetall', 2, ['readonly'], '2.0.0', 'Get all the fields and values in a hash', hgetall),
  spec('hdel', -3, ['write', 'fast'], '2.0.0', 'Delete one or more hash fields', hdel),
  spec('hlen', 2, RF, '2.0.0', 'Get the number of fields in a hash', hlen),
  spec('hstrlen', 3, RF, '3.2.0', 'Get the length of the value of a hash field', hstrlen),
  spec('hexists', 3, RF, '2.0.0', 'Determine if a hash field exists', hexists),
  spec('hkeys', 2, ['readonly'], '2.0.0', 'Get all the fields in a hash', hkeys),
  spec('hvals', 2, ['readonly'], '2.0.0', 'Get all the values in a hash', hvals),
  spec('hincrby', 4, W, '2.0.0', 'Increment the integer value of a hash field by the given number', hincrby),
  spec('hincrbyfloat', 4, W, '2.6.0', 'Increment the float value of a hash field by the given amount', hincrbyfloat),
  spec('hrandfield', -2, ['readonly'], '6.2.0', 'Get one or multiple random fields from a hash', hrandfield),
  spec('hscan', -3, ['readonly'], '2.8.0', 'Incrementally iterate hash fields and associated values', hscan),
];

// ---- Shared with the blocking list / sorted-set commands (not in util.ts) ----

export { parseLongDouble };

/** Blocking-timeout helper (getTimeoutFromObjectOrReply): ceil(x · 1000) with the product rounded to a 64-bit mantissa first (long double arithmetic); null for ±inf. */
export function ldCeilMillis(x: LongDouble): bigint | null {
  if ('inf' in x) return null;
  let m = x.m * 1000n;
  let e = x.e;
  const extra = m.toString(2).length - 64;
  if (extra > 0) {
    const sh = BigInt(extra);
    const rem = m & ((1n << sh) - 1n);
    const half = 1n << (sh - 1n);
    m >>= sh;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m++;
    e += extra;
  }
  let v: bigint;
  if (e >= 0) v = m << BigInt(e);
  else {
    const sh = BigInt(-e);
    v = m >> sh;
    if (!x.neg && (m & ((1n << sh) - 1n)) !== 0n) v++;
  }
  return x.neg ? -v : v;
}
