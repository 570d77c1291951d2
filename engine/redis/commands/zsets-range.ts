// ZRANGE and friends (zrangeGenericCommand), ZRANGESTORE, ZCOUNT, ZLEXCOUNT, ZREMRANGEBY* (t_zset.c, 7.0.15).
import { EMPTY_ARRAY, ZERO, err, int, type Reply, type Resp } from '../../net/resp.ts';
import {
  ZSet,
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  type LexRange,
  type ScoreRange,
  type ZEntry,
} from '../keyspace/zset.ts';
import type { CommandContext } from './context.ts';
import { NOT_INT, SYNTAX_ERR, WRONGTYPE } from './sets-scan.ts';
import { parseLong, parseStrtod } from './util.ts';
import { entriesReply, getZset, removedFrom, storeZset } from './zsets-common.ts';

export const NOT_FLOAT_RANGE = err('ERR min or max is not a float');
export const NOT_LEX_RANGE = err('ERR min or max not valid string range item');

/** zslParseRange: `(` makes a bound exclusive; the rest is read with strtod (NaN rejected). */
export function parseScoreRange(min: string, max: string): ScoreRange | null {
  const one = (s: string): [number, boolean] | null => {
    const ex = s[0] === '(';
    const v = parseStrtod(ex ? s.slice(1) : s);
    return v === null ? null : [v, ex];
  };
  const a = one(min);
  const b = one(max);
  if (!a || !b) return null;
  return { min: a[0], minex: a[1], max: b[0], maxex: b[1] };
}

/** zslParseLexRangeItem: `+` / `-` alone, or `(` / `[` followed by the string. */
function parseLexItem(s: string): [string | number, boolean] | null {
  switch (s[0]) {
    case '+':
      return s.length === 1 ? [Infinity, true] : null;
    case '-':
      return s.length === 1 ? [-Infinity, true] : null;
    case '(':
      return [s.slice(1), true];
    case '[':
      return [s.slice(1), false];
    default:
      return null;
  }
}

export function parseLexRange(min: string, max: string): LexRange | null {
  const a = parseLexItem(min);
  const b = parseLexItem(max);
  if (!a || !b) return null;
  return { min: a[0], minex: a[1], max: b[0], maxex: b[1] };
}

/** Clamp a rank range like Redis (negative from the end); null when empty. */
function rankSpan(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  return [start, Math.min(end, len - 1)];
}

/** Walk from index `from` (either direction) while `inRange`, after skipping `offset`; at most `limit` (<0 = all). */
function walk(z: ZSet, from: number, reverse: boolean, offset: number, limit: number, inRange: (e: ZEntry) => boolean): ZEntry[] {
  const out: ZEntry[] = [];
  // A negative offset walks off the end in Redis (`while (ln && offset--)`): nothing is returned.
  if (from < 0 || offset < 0) return out;
  let skip = offset;
  for (const e of z.iterate(from, reverse)) {
    if (skip > 0) {
      skip--;
      continue;
    }
    if (limit === 0) break;
    if (!inRange(e)) break;
    out.push(e);
    limit--;
  }
  return out;
}

type RangeType = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

/** zrangeGenericCommand: `argStart` is the source key's index; `store` for ZRANGESTORE (dst = argv[1]). */
export function zrangeGeneric(ctx: CommandContext, argStart: number, store: boolean, type: RangeType, dir: Direction): Reply {
  const { argv } = ctx;
  const key = argv[argStart]!;
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argStart + 3; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const left = argv.length - j - 1;
    if (!store && opt === 'withscores') withScores = true;
    else if (opt === 'limit' && left >= 2) {
      const o = parseLong(argv[j + 1]!);
      const l = o === null ? null : parseLong(argv[j + 2]!);
      if (o === null || l === null) return NOT_INT;
      offset = o;
      limit = l;
      j += 2;
    } else if (dir === 'auto' && opt === 'rev') dir = 'reverse';
    else if (type === 'auto' && opt === 'bylex') type = 'lex';
    else if (type === 'auto' && opt === 'byscore') type = 'score';
    else return SYNTAX_ERR;
  }
  if (dir === 'auto') dir = 'forward';
  if (type === 'auto') type = 'rank';
  if (limit !== -1 && type === 'rank')
    return err('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  if (withScores && type === 'lex') return err('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  const reverse = dir === 'reverse';
  if (reverse && type !== 'rank') [minIdx, maxIdx] = [maxIdx, minIdx];

  let select: (z: ZSet) => ZEntry[];
  let rankLen = -1;
  if (type === 'rank') {
    const start = parseLong(argv[minIdx]!);
    const end = start === null ? null : parseLong(argv[maxIdx]!);
    if (start === null || end === null) return NOT_INT;
    select = (z) => {
      const span = rankSpan(start, end, z.size);
      if (!span) return [];
      rankLen = span[1] - span[0] + 1;
      return reverse ? z.slice(z.size - 1 - span[1], z.size - 1 - span[0]).reverse() : z.slice(span[0], span[1]);
    };
  } else if (type === 'score') {
    const r = parseScoreRange(argv[minIdx]!, argv[maxIdx]!);
    if (!r) return NOT_FLOAT_RANGE;
    select = (z) => {
      if (offset > 0 && offset >= z.size) return [];
      const from = reverse ? z.lastInScoreRange(r) : z.firstInScoreRange(r);
      return walk(z, from, reverse, offset, limit, (e) => (reverse ? scoreGteMin(e.score, r) : scoreLteMax(e.score, r)));
    };
  } else {
    const r = parseLexRange(argv[minIdx]!, argv[maxIdx]!);
    if (!r) return NOT_LEX_RANGE;
    select = (z) => {
      if (offset > 0 && offset >= z.size) return [];
      const from = reverse ? z.lastInLexRange(r) : z.firstInLexRange(r);
      return walk(z, from, reverse, offset, limit, (e) => (reverse ? lexGteMin(e.member, r) : lexLteMax(e.member, r)));
    };
  }

  const src = getZset(ctx, key, false);
  if (src === 'wrong') return WRONGTYPE;
  const entries = src ? select(src.v) : [];
  if (!store) return src ? entriesReply(entries, withScores) : EMPTY_ARRAY;
  // zrangeResultBeginStore: a rank range longer than the listpack limit starts as a skiplist.
  const dst = new ZSet(rankLen > 128 ? 'skiplist' : 'listpack');
  for (const e of entries) dst.set(e.member, e.score);
  return storeZset(ctx, argv[1]!, dst);
}

export const zrange = (ctx: CommandContext): Reply => zrangeGeneric(ctx, 1, false, 'auto', 'auto');
export const zrangestore = (ctx: CommandContext): Reply => zrangeGeneric(ctx, 2, true, 'auto', 'auto');
export const zrevrange = (ctx: CommandContext): Reply => zrangeGeneric(ctx, 1, false, 'rank', 'reverse');
export const zrangebyscore = (ctx: CommandContext): Reply => zrangeGeneric(ctx, 1, false, 'score', 'forward');
export const zrevrangebyscore = (ctx: CommandContext): Reply => zrangeGeneric(ctx, 1, false, 'score', 'reverse');
export const zrangebylex = (ctx: CommandContext): Reply => zrangeGeneric(ctx, 1, false, 'lex', 'forward');
export const zrevrangebylex = (ctx: CommandContext): Reply => zrangeGeneric(ctx, 1, false, 'lex', 'reverse');

/** Number of consecutive entries from `from` satisfying `inRange`. */
function countWhile(z: ZSet, from: number, inRange: (e: ZEntry) => boolean): number {
  if (from < 0) return 0;
  let n = 0;
  for (const e of z.iterate(from)) {
    if (!inRange(e)) break;
    n++;
  }
  return n;
}

export function zcount(ctx: CommandContext): Reply {
  const r = parseScoreRange(ctx.argv[2]!, ctx.argv[3]!);
  if (!r) return NOT_FLOAT_RANGE;
  const z = getZset(ctx, ctx.argv[1]!, false);
  if (z === undefined) return ZERO;
  if (z === 'wrong') return WRONGTYPE;
  const first = z.v.firstInScoreRange(r);
  if (first < 0) return ZERO;
  return int(z.v.lastInScoreRange(r) - first + 1);
}

export function zlexcount(ctx: CommandContext): Reply {
  const r = parseLexRange(ctx.argv[2]!, ctx.argv[3]!);
  if (!r) return NOT_LEX_RANGE;
  const z = getZset(ctx, ctx.argv[1]!, false);
  if (z === undefined) return ZERO;
  if (z === 'wrong') return WRONGTYPE;
  const first = z.v.firstInLexRange(r);
  if (first < 0) return ZERO;
  // A listpack counts forward while in range; a skiplist subtracts ranks of the first and last.
  if (z.v.encoding === 'listpack') return int(countWhile(z.v, first, (e) => lexLteMax(e.member, r)));
  const last = z.v.lastInLexRange(r);
  return int(last < 0 ? z.v.size - first : last - first + 1);
}

/** zremrangeGenericCommand. */
const zremrange =
  (type: 'rank' | 'score' | 'lex') =>
  (ctx: CommandContext): Reply => {
    const [, key, a, b] = ctx.argv as [string, string, string, string];
    let span: (z: ZSet) => [number, number] | null;
    if (type === 'rank') {
      const start = parseLong(a);
      const end = start === null ? null : parseLong(b);
      if (start === null || end === null) return NOT_INT;
      span = (z) => rankSpan(start, end, z.size);
    } else if (type === 'score') {
      const r = parseScoreRange(a, b);
      if (!r) return NOT_FLOAT_RANGE;
      span = (z) => {
        const first = z.firstInScoreRange(r);
        return first < 0 ? null : [first, first + countWhile(z, first, (e) => scoreLteMax(e.score, r)) - 1];
      };
    } else {
      const r = parseLexRange(a, b);
      if (!r) return NOT_LEX_RANGE;
      span = (z) => {
        const first = z.firstInLexRange(r);
        return first < 0 ? null : [first, first + countWhile(z, first, (e) => lexLteMax(e.member, r)) - 1];
      };
    }
    const z = getZset(ctx, key, true);
    if (z === undefined) return ZERO;
    if (z === 'wrong') return WRONGTYPE;
    const s = span(z.v);
    if (!s) return ZERO;
    const deleted = z.v.deleteSlice(s[0], s[1]);
    removedFrom(ctx, key, z.v, deleted, `zremrangeby${type}`);
    return int(deleted);
  };

export const zremrangebyrank = zremrange('rank');
export const zremrangebyscore = zremrange('score');
export const zremrangebylex = zremrange('lex');
