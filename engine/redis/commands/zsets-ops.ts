// ZUNION / ZINTER / ZDIFF (+STORE) and ZINTERCARD: zunionInterDiffGenericCommand of t_zset.c (7.0.15).
// Plain sets are accepted as inputs, every member scoring 1.
import { err, int, type Reply, type Resp } from '../../net/resp.ts';
import { ZSet } from '../keyspace/zset.ts';
import type { CommandContext } from './context.ts';
import { NOT_INT, SYNTAX_ERR, WRONGTYPE } from './sets-scan.ts';
import { parseDouble, parseLong } from './util.ts';
import { entriesReply, storeZset } from './zsets-common.ts';

type Op = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

/** One input: a sorted set, a set (scores 1) or a missing key (empty). */
interface Source {
  subject: ZSet | Set<string> | null;
  weight: number;
}

const length = (s: Source): number => s.subject?.size ?? 0;

function* items(s: Source): Generator<[string, number]> {
  const o = s.subject;
  if (o instanceof ZSet) for (const e of o.entries()) yield [e.member, e.score];
  else if (o) for (const m of o) yield [m, 1];
}

function find(s: Source, member: string): number | undefined {
  const o = s.subject;
  if (o instanceof ZSet) return o.score(member);
  return o?.has(member) ? 1 : undefined;
}

/** zunionInterAggregate: SUM turns inf + -inf (NaN) into 0. */
function aggregate(target: number, val: number, how: Aggregate): number {
  if (how === 'sum') {
    const r = target + val;
    return Number.isNaN(r) ? 0 : r;
  }
  if (how === 'min') return val < target ? val : target;
  return val > target ? val : target;
}

/**
 * `dst` is the destination key for the STORE variants, `numkeysIndex` the position of numkeys;
 * `cardOnly` for ZINTERCARD.
 */
function generic(ctx: CommandContext, dst: string | null, numkeysIndex: number, op: Op, cardOnly: boolean): Reply {
  const { argv } = ctx;
  const setnum = parseLong(argv[numkeysIndex]!);
  if (setnum === null) return NOT_INT;
  if (setnum < 1) return err(`ERR at least 1 input key is needed for '${argv[0]!.toLowerCase()}' command`);
  if (setnum > argv.length - (numkeysIndex + 1)) return SYNTAX_ERR;
  const src: Source[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const o = ctx.db.lookupRead(argv[j]!);
    if (o !== undefined && o.type !== 'zset' && o.type !== 'set') return WRONGTYPE;
    src.push({ subject: o === undefined ? null : o.v, weight: 1 });
  }
  let how: Aggregate = 'sum';
  let withScores = false;
  let limit = 0;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const opt = argv[j]!.toLowerCase();
    if (op !== 'diff' && !cardOnly && remaining >= setnum + 1 && opt === 'weights') {
      j++;
      for (let i = 0; i < setnum; i++, j++) {
        const w = parseDouble(argv[j]!);
        if (w === null) return err('ERR weight value is not a float');
        src[i]!.weight = w;
      }
    } else if (op !== 'diff' && !cardOnly && remaining >= 2 && opt === 'aggregate') {
      const a = argv[j + 1]!.toLowerCase();
      if (a !== 'sum' && a !== 'min' && a !== 'max') return SYNTAX_ERR;
      how = a;
      j += 2;
    } else if (remaining >= 1 && dst === null && !cardOnly && opt === 'withscores') {
      withScores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && opt === 'limit') {
      const l = parseLong(argv[j + 1]!);
      if (l === null || l < 0) return err("ERR LIMIT can't be negative");
      limit = l;
      j += 2;
    } else return SYNTAX_ERR;
  }

  // Smallest inputs first (stable, so equal sizes keep their order).
  if (op !== 'diff') src.sort((a, b) => length(a) - length(b));
  // A reply is built as a skiplist (so -0 survives); a stored result is compacted like Redis does.
  const out = new ZSet('skiplist');
  let cardinality = 0;
  if (op === 'inter') {
    if (length(src[0]!) > 0) {
      for (const [m, s0] of items(src[0]!)) {
        let score = src[0]!.weight * s0;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < src.length; k++) {
          const other = src[k]!;
          const v = other.subject === src[0]!.subject ? s0 : find(other, m);
          if (v === undefined) break;
          score = aggregate(score, v * other.weight, how);
        }
        if (k < src.length) continue;
        if (cardOnly) {
          cardinality++;
          if (limit && cardinality >= limit) break;
        } else out.set(m, score);
      }
    }
  } else if (op === 'union') {
    const acc = new Map<string, number>();
    for (const s of src) {
      for (const [m, v] of items(s)) {
        let score = s.weight * v;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(m);
        acc.set(m, cur === undefined ? score : aggregate(cur, score, how));
      }
    }
    for (const [m, s] of acc) out.set(m, s);
  } else {
    const first = src[0]!;
    // Nothing survives when the first input is empty or repeated (zsetChooseDiffAlgorithm returns 0).
    if (length(first) > 0 && !src.slice(1).some((s) => s.subject === first.subject)) {
      for (const [m, v] of items(first)) if (!src.slice(1).some((s) => find(s, m) !== undefined)) out.set(m, v);
    }
  }

  if (dst !== null) {
    out.compact();
    return storeZset(ctx, dst, out);
  }
  if (cardOnly) return int(cardinality);
  return entriesReply([...out.entries()], withScores);
}

export const zunionstore = (ctx: CommandContext): Reply => generic(ctx, ctx.argv[1]!, 2, 'union', false);
export const zinterstore = (ctx: CommandContext): Reply => generic(ctx, ctx.argv[1]!, 2, 'inter', false);
export const zdiffstore = (ctx: CommandContext): Reply => generic(ctx, ctx.argv[1]!, 2, 'diff', false);
export const zunion = (ctx: CommandContext): Reply => generic(ctx, null, 1, 'union', false);
export const zinter = (ctx: CommandContext): Reply => generic(ctx, null, 1, 'inter', false);
export const zintercard = (ctx: CommandContext): Reply => generic(ctx, null, 1, 'inter', true);
export const zdiff = (ctx: CommandContext): Reply => generic(ctx, null, 1, 'diff', false);
