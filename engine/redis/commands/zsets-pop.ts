// ZPOPMIN/ZPOPMAX, ZMPOP, the blocking BZPOPMIN/BZPOPMAX/BZMPOP, and ZRANDMEMBER (t_zset.c, blocked.c; 7.0.15).
import { EMPTY_ARRAY, NIL, NIL_ARRAY, arr, bulk, bulks, err, type Reply, type Resp } from '../../net/resp.ts';
import type { Rng } from '../../sim/rng.ts';
import type { ZEntry, ZSet } from '../keyspace/zset.ts';
import type { CommandContext } from './context.ts';
import { ldCeilMillis } from './hashes.ts';
import { NOT_INT, SYNTAX_ERR, WRONGTYPE } from './sets-scan.ts';
import { LLONG_MAX, formatDouble, parseInt64, parseLongDouble } from './util.ts';
import { entriesReply, flatEntries, getZset, removedFrom, scoreReply } from './zsets-common.ts';

type Where = 'min' | 'max';

/**
 * Reply shapes of genericZpopCommand: 'flat' member, score… (ZPOPMIN without count); 'pairs' nested
 * [member, score] pairs in RESP3, flat in RESP2 (ZPOPMIN with a count); 'keyed' key, member, score
 * (BZPOPMIN); 'nested' [key, [[member, score]…]] in both protocols (ZMPOP, BZMPOP).
 */
type Shape = 'flat' | 'pairs' | 'keyed' | 'nested';

const POSITIVE_ERR = err('ERR value is out of range, must be positive');

/** Pop up to `count` entries from one end of the sorted set at `key` (which must exist). */
function popFrom(ctx: CommandContext, key: string, z: ZSet, where: Where, count: number, shape: Shape): Reply {
  const n = Math.min(count, z.size);
  const popped: ZEntry[] = [];
  for (let i = 0; i < n; i++) {
    const e = where === 'min' ? z.first()! : z.last()!;
    z.delete(e.member);
    popped.push(e);
  }
  removedFrom(ctx, key, z, n, where === 'min' ? 'zpopmin' : 'zpopmax');
  if (shape === 'flat') return arr(flatEntries(popped));
  if (shape === 'pairs') return entriesReply(popped, true);
  if (shape === 'keyed') return arr([bulk(key), ...flatEntries(popped)]);
  return arr([bulk(key), arr(popped.map((e) => arr([bulk(e.member), scoreReply(e.score)])))]);
}

/**
 * genericZpopCommand over several keys: the first existing key is used, but a key of another type met
 * before it is an error. `count` -1 means a plain single pop.
 */
function zpopKeys(ctx: CommandContext, keys: readonly string[], where: Where, count: number, shape: Shape): { reply: Reply; key?: string; n?: number } {
  for (const key of keys) {
    const z = getZset(ctx, key, true);
    if (z === undefined) continue;
    if (z === 'wrong') return { reply: WRONGTYPE };
    if (count === 0) return { reply: EMPTY_ARRAY };
    const n = Math.min(count === -1 ? 1 : count, z.v.size);
    return { reply: popFrom(ctx, key, z.v, where, n, shape), key, n };
  }
  return { reply: shape === 'nested' ? NIL_ARRAY : EMPTY_ARRAY };
}

const zpopCommand =
  (where: Where) =>
  (ctx: CommandContext): Reply => {
    const { argv } = ctx;
    if (argv.length > 3) return SYNTAX_ERR;
    let count = -1;
    if (argv.length === 3) {
      const c = parseInt64(argv[2]!);
      if (c === null || c < 0n) return POSITIVE_ERR;
      count = c > 2n ** 53n ? 2 ** 53 : Number(c);
    }
    // Propagated as itself.
    return zpopKeys(ctx, [argv[1]!], where, count, count === -1 ? 'flat' : 'pairs').reply;
  };

export const zpopmin = zpopCommand('min');
export const zpopmax = zpopCommand('max');

/** ZPOP[MIN|MAX] key [count]: how Redis replicates every pop of this family. */
const popArgv = (where: Where, key: string, n?: number): string[] =>
  [where === 'min' ? 'ZPOPMIN' : 'ZPOPMAX', key].concat(n === undefined ? [] : [String(n)]);

/** getTimeoutFromObjectOrReply (seconds, long double, ceil to ms): relative ms, 0 = forever. */
function parseTimeout(s: string): number | Resp {
  const f = parseLongDouble(s);
  if (f === null) return err('ERR timeout is not a float or out of range');
  const ms = ldCeilMillis(f);
  // An out-of-range long double → long long conversion gives LLONG_MIN on x86-64: "negative".
  if (ms === null || ms < 0n || ms > LLONG_MAX) return err('ERR timeout is negative');
  return Number(ms);
}

/** Serve a (possibly woken) blocking pop: the first non-empty sorted set among `keys`; other types are skipped. */
function serveBlocked(ctx: CommandContext, keys: readonly string[], where: Where, count: number, shape: Shape): Reply | undefined {
  for (const key of keys) {
    const z = getZset(ctx, key, true);
    if (z === undefined || z === 'wrong' || z.v.size === 0) continue;
    const n = Math.min(count === -1 ? 1 : count, z.v.size);
    const reply = popFrom(ctx, key, z.v, where, n, shape);
    ctx.propagate(popArgv(where, key, count === -1 ? undefined : n));
    return reply;
  }
  return undefined;
}

/** blockingGenericZpopCommand: pop at once if possible, else block (or time out at once inside MULTI). */
function blockingPop(ctx: CommandContext, keys: string[], where: Where, timeoutArg: string, count: number, shape: Shape): Reply | undefined {
  const t = parseTimeout(timeoutArg);
  if (typeof t !== 'number') return t;
  for (const key of keys) {
    const z = getZset(ctx, key, true);
    if (z === undefined) continue;
    if (z === 'wrong') return WRONGTYPE;
    if (z.v.size === 0) continue;
    return serveBlocked(ctx, [key], where, count, shape);
  }
  if (ctx.inTransaction) return NIL_ARRAY;
  ctx.block({
    keys: [...new Set(keys)],
    deadlineMs: t > 0 ? ctx.now() + t : 0,
    retry: (c) => serveBlocked(c, keys, where, count, shape),
    timeoutReply: NIL_ARRAY,
  });
  return undefined;
}

const bzpop =
  (where: Where) =>
  (ctx: CommandContext): Reply | undefined =>
    blockingPop(ctx, ctx.argv.slice(1, -1), where, ctx.argv[ctx.argv.length - 1]!, -1, 'keyed');

export const bzpopmin = bzpop('min');
export const bzpopmax = bzpop('max');

/** ZMPOP / BZMPOP argument parsing (zmpopGenericCommand). */
function parseMpop(argv: readonly string[], numkeysIdx: number): { keys: string[]; where: Where; count: number } | Resp {
  const nk = parseInt64(argv[numkeysIdx]!);
  if (nk === null || nk < 1n) return err('ERR numkeys should be greater than 0');
  const whereIdx = numkeysIdx + Number(nk) + 1;
  if (whereIdx >= argv.length) return SYNTAX_ERR;
  const w = argv[whereIdx]!.toLowerCase();
  if (w !== 'min' && w !== 'max') return SYNTAX_ERR;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && argv[j]!.toLowerCase() === 'count' && j < argv.length - 1) {
      const c = parseInt64(argv[++j]!);
      if (c === null || c < 1n) return err('ERR count should be greater than 0');
      count = c > 2n ** 53n ? 2 ** 53 : Number(c);
    } else return SYNTAX_ERR;
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), where: w, count: count === -1 ? 1 : count };
}

export function zmpop(ctx: CommandContext): Reply {
  const p = parseMpop(ctx.argv, 1);
  if (!('keys' in p)) return p;
  const r = zpopKeys(ctx, p.keys, p.where, p.count, 'nested');
  // Always replicated as ZPOP[MIN|MAX] key count.
  if (r.key !== undefined) ctx.propagate(popArgv(p.where, r.key, r.n));
  return r.reply;
}

export function bzmpop(ctx: CommandContext): Reply | undefined {
  const p = parseMpop(ctx.argv, 2);
  if (!('keys' in p)) return p;
  return blockingPop(ctx, p.keys, p.where, ctx.argv[1]!, p.count, 'nested');
}

// ---- ZRANDMEMBER ----

const pick = (entries: readonly ZEntry[], rng: Rng): ZEntry => entries[rng.int(0, entries.length - 1)]!;

export function zrandmember(ctx: CommandContext): Reply {
  const { argv } = ctx;
  if (argv.length >= 3) {
    const l = parseInt64(argv[2]!);
    if (l === null) return NOT_INT;
    if (l < -LLONG_MAX)
      return err('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    if (argv.length > 4 || (argv.length === 4 && argv[3]!.toLowerCase() !== 'withscores')) return SYNTAX_ERR;
    const withScores = argv.length === 4;
    if (withScores && (l < -(LLONG_MAX / 2n) || l > LLONG_MAX / 2n)) return err('ERR value is out of range');
    const z = getZset(ctx, argv[1]!, false);
    if (z === undefined) return EMPTY_ARRAY;
    if (z === 'wrong') return WRONGTYPE;
    return entriesReply(randomEntries(z.v, l, ctx.rng), withScores);
  }
  const z = getZset(ctx, argv[1]!, false);
  if (z === undefined) return NIL;
  if (z === 'wrong') return WRONGTYPE;
  return bulk(pick(dictOrder(z.v), ctx.rng).member);
}

/** Entries in the order Redis iterates them: listpack order, or dict order for a skiplist. */
function dictOrder(z: ZSet): ZEntry[] {
  if (z.encoding === 'listpack') return [...z.entries()];
  return [...z.dictEntries()].map(([member, score]) => ({ member, score }));
}

/** zrandmemberWithCountCommand's four cases. */
function randomEntries(z: ZSet, l: bigint, rng: Rng): ZEntry[] {
  if (l === 0n) return [];
  const all = dictOrder(z);
  const size = all.length;
  // Case 1: negative count (or 1): independent draws, repetitions allowed.
  if (l < 0n || l === 1n) {
    const n = Number(l < 0n ? -l : l);
    const out: ZEntry[] = [];
    for (let i = 0; i < n; i++) out.push(pick(all, rng));
    return out;
  }
  // Case 2: the whole sorted set, in iteration order.
  if (l >= BigInt(size)) return z.encoding === 'listpack' ? all : [...z.entries()];
  const count = Number(l);
  // Case 3: copy everything, then drop random entries.
  if (count * 3 > size) {
    const keep = all.slice();
    while (keep.length > count) keep.splice(rng.int(0, keep.length - 1), 1);
    return keep;
  }
  // Case 4: distinct draws; a listpack answers in its own order (lpRandomPairsUnique), a dict in draw order.
  const chosen = new Set<number>();
  const order: number[] = [];
  while (order.length < count) {
    const i = rng.int(0, size - 1);
    if (chosen.has(i)) continue;
    chosen.add(i);
    order.push(i);
  }
  if (z.encoding === 'listpack') order.sort((a, b) => a - b);
  return order.map((i) => all[i]!);
}
