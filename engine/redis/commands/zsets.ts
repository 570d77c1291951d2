// Sorted-set commands (t_zset.c of Redis 7.0.15): ZADD/ZINCRBY, ZREM, lookups, ZSCAN and the command table.
// Ranges live in zsets-range.ts, set algebra in zsets-ops.ts, pops and ZRANDMEMBER in zsets-pop.ts.
import { NOTIFY_ZSET, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import { EMPTY_ARRAY, NIL, ZERO, arr, bulk, bulks, err, int, type Reply, type Resp } from '../../net/resp.ts';
import { ZSet } from '../keyspace/zset.ts';
import { specBuilder, type CommandContext, type CommandFlag, type CommandSpec } from './context.ts';
import { SYNTAX_ERR, WRONGTYPE, matches, parseScanOptions, scanPage } from './sets-scan.ts';
import { ERR_INVALID_CURSOR, ERR_NOT_FLOAT, d2string, formatDouble, parseDouble, parseScanCursor } from './util.ts';
import { getZset, removedFrom, scoreReply } from './zsets-common.ts';
import { bzmpop, bzpopmax, bzpopmin, zmpop, zpopmax, zpopmin, zrandmember } from './zsets-pop.ts';
import { zdiff, zdiffstore, zinter, zintercard, zinterstore, zunion, zunionstore } from './zsets-ops.ts';
import {
  zcount,
  zlexcount,
  zrange,
  zrangebylex,
  zrangebyscore,
  zrangestore,
  zremrangebylex,
  zremrangebyrank,
  zremrangebyscore,
  zrevrange,
  zrevrangebylex,
  zrevrangebyscore,
} from './zsets-range.ts';

/** zaddGenericCommand: ZADD, and ZINCRBY as ZADD with INCR forced on. */
function zaddGeneric(ctx: CommandContext, forceIncr: boolean): Reply {
  const { argv } = ctx;
  const key = argv[1]!;
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  let ch = false;
  let incr = forceIncr;
  let idx = 2;
  for (; idx < argv.length; idx++) {
    const o = argv[idx]!.toLowerCase();
    if (o === 'nx') nx = true;
    else if (o === 'xx') xx = true;
    else if (o === 'ch') ch = true;
    else if (o === 'incr') incr = true;
    else if (o === 'gt') gt = true;
    else if (o === 'lt') lt = true;
    else break;
  }
  const n = argv.length - idx;
  if (n % 2 !== 0 || n === 0) return SYNTAX_ERR;
  const pairs = n / 2;
  if (nx && xx) return err('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) return err('ERR GT, LT, and/or NX options at the same time are not compatible');
  if (incr && pairs > 1) return err('ERR INCR option supports a single increment-element pair');
  const scores: number[] = [];
  for (let j = 0; j < pairs; j++) {
    const s = parseDouble(argv[idx + 2 * j]!);
    if (s === null) return err(ERR_NOT_FLOAT);
    scores.push(s);
  }
  const found = getZset(ctx, key, true);
  if (found === 'wrong') return WRONGTYPE;
  let z: ZSet;
  if (found === undefined) {
    if (xx) return incr ? NIL : ZERO;
    z = new ZSet();
    ctx.db.set(key, { type: 'zset', v: z });
  } else z = found.v;

  let added = 0;
  let updated = 0;
  let processed = 0;
  let last = 0;
  let reply: Resp | null = null;
  for (let j = 0; j < pairs; j++) {
    const member = argv[idx + 2 * j + 1]!;
    let score = scores[j]!;
    const cur = z.score(member);
    if (cur === undefined) {
      if (xx) continue;
      z.set(member, score);
      added++;
    } else {
      if (nx) continue;
      if (incr) {
        score += cur;
        if (Number.isNaN(score)) {
          reply = err('ERR resulting score is not a number (NaN)');
          break;
        }
      }
      if ((lt && score >= cur) || (gt && score <= cur)) continue;
      if (score !== cur) {
        z.set(member, score);
        updated++;
      }
    }
    processed++;
    last = score;
  }
  if (added || updated) {
    ctx.db.resize(key);
    ctx.touch(key);
    notifyKeyspaceEvent(ctx, NOTIFY_ZSET, incr ? 'zincr' : 'zadd', key);
  }
  if (reply) return reply;
  ctx.dirty(added + updated);
  if (incr) return processed ? scoreReply(last) : NIL;
  return int(ch ? added + updated : added);
}

const zadd = (ctx: CommandContext): Reply => zaddGeneric(ctx, false);
const zincrby = (ctx: CommandContext): Reply => zaddGeneric(ctx, true);

function zrem(ctx: CommandContext): Reply {
  const key = ctx.argv[1]!;
  const z = getZset(ctx, key, true);
  if (z === undefined) return ZERO;
  if (z === 'wrong') return WRONGTYPE;
  let deleted = 0;
  for (const m of ctx.argv.slice(2)) {
    if (z.v.delete(m)) deleted++;
    if (z.v.size === 0) break;
  }
  removedFrom(ctx, key, z.v, deleted, 'zrem');
  return int(deleted);
}

/** Read-only single-key commands answering `missing` when the key is absent. */
const reader =
  (missing: Resp, f: (z: ZSet, ctx: CommandContext) => Reply) =>
  (ctx: CommandContext): Reply => {
    const z = getZset(ctx, ctx.argv[1]!, false);
    if (z === undefined) return missing;
    if (z === 'wrong') return WRONGTYPE;
    return f(z.v, ctx);
  };

const zcard = reader(ZERO, (z) => int(z.size));
const zscore = reader(NIL, (z, ctx) => {
  const s = z.score(ctx.argv[2]!);
  return s === undefined ? NIL : scoreReply(s);
});
const zrank = (reverse: boolean) =>
  reader(NIL, (z, ctx) => {
    const r = z.rank(ctx.argv[2]!);
    return r === undefined ? NIL : int(reverse ? z.size - 1 - r : r);
  });

function zmscore(ctx: CommandContext): Reply {
  const z = getZset(ctx, ctx.argv[1]!, false);
  if (z === 'wrong') return WRONGTYPE;
  return arr(
    ctx.argv.slice(2).map((m) => {
      const s = z?.v.score(m);
      return s === undefined ? NIL : scoreReply(s);
    }),
  );
}

function zscan(ctx: CommandContext): Reply {
  const { argv } = ctx;
  const cursor = parseScanCursor(argv[2]!);
  if (cursor === null) return err(ERR_INVALID_CURSOR);
  const z = getZset(ctx, argv[1]!, false);
  if (z === undefined) return arr([bulk('0'), EMPTY_ARRAY]);
  if (z === 'wrong') return WRONGTYPE;
  const opts = parseScanOptions(argv);
  if ('t' in opts) return opts;
  const out: string[] = [];
  if (z.v.encoding === 'listpack') {
    // A listpack is returned whole with cursor 0, scores as the listpack stores them (d2string).
    for (const e of z.v.entries()) if (matches(opts.pattern, e.member)) out.push(e.member, d2string(e.score));
    return arr([bulk('0'), bulks(out)]);
  }
  const page = scanPage(z.v.members(), cursor, opts.count);
  for (const m of page.items) if (matches(opts.pattern, m)) out.push(m, formatDouble(z.v.score(m)!));
  return arr([bulk(String(page.next)), bulks(out)]);
}

const spec = specBuilder('sorted-set');

const K1: [number, number, number] = [1, 1, 1];
const K0: [number, number, number] = [0, 0, 0];
const RO: CommandFlag[] = ['readonly'];
const RF: CommandFlag[] = ['readonly', 'fast'];
const WDF: CommandFlag[] = ['write', 'denyoom', 'fast'];
const WF: CommandFlag[] = ['write', 'fast'];
const WD: CommandFlag[] = ['write', 'denyoom'];
const BZ: CommandFlag[] = ['write', 'noscript', 'blocking', 'fast'];

// Redis also flags ZUNION & co 'movablekeys' (key positions come from numkeys); CommandFlag has no such flag.
export const zsetCommands: CommandSpec[] = [
  spec('zadd', -4, WDF, K1, '1.2.0', 'Add one or more members to a sorted set, or update its score if it already exists', zadd),
  spec('zincrby', 4, WDF, K1, '1.2.0', 'Increment the score of a member in a sorted set', zincrby),
  spec('zrem', -3, WF, K1, '1.2.0', 'Remove one or more members from a sorted set', zrem),
  spec('zcard', 2, RF, K1, '1.2.0', 'Get the number of members in a sorted set', zcard),
  spec('zscore', 3, RF, K1, '1.2.0', 'Get the score associated with the given member in a sorted set', zscore),
  spec('zmscore', -3, RF, K1, '6.2.0', 'Get the score associated with the given members in a sorted set', zmscore),
  spec('zrank', 3, RF, K1, '2.0.0', 'Determine the index of a member in a sorted set', zrank(false)),
  spec('zrevrank', 3, RF, K1, '2.0.0', 'Determine the index of a member in a sorted set, with scores ordered from high to low', zrank(true)),
  spec('zcount', 4, RF, K1, '2.0.0', 'Count the members in a sorted set with scores within the given values', zcount),
  spec('zlexcount', 4, RF, K1, '2.8.9', 'Count the number of members in a sorted set between a given lexicographical range', zlexcount),
  spec('zrange', -4, RO, K1, '1.2.0', 'Return a range of members in a sorted set', zrange),
  spec('zrangestore', -5, WD, [1, 2, 1], '6.2.0', 'Store a range of members from sorted set into another key', zrangestore),
  spec('zrevrange', -4, RO, K1, '1.2.0', 'Return a range of members in a sorted set, by index, with scores ordered from high to low', zrevrange),
  spec('zrangebyscore', -4, RO, K1, '1.0.5', 'Return a range of members in a sorted set, by score', zrangebyscore),
  spec('zrevrangebyscore', -4, RO, K1, '2.2.0', 'Return a range of members in a sorted set, by score, with scores ordered from high to low', zrevrangebyscore),
  spec('zrangebylex', -4, RO, K1, '2.8.9', 'Return a range of members in a sorted set, by lexicographical range', zrangebylex),
  spec('zrevrangebylex', -4, RO, K1, '2.8.9', 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.', zrevrangebylex),
  spec('zremrangebyrank', 4, ['write'], K1, '2.0.0', 'Remove all members in a sorted set within the given indexes', zremrangebyrank),
  spec('zremrangebyscore', 4, ['write'], K1, '1.2.0', 'Remove all members in a sorted set within the given scores', zremrangebyscore),
  spec('zremrangebylex', 4, ['write'], K1, '2.8.9', 'Remove all members in a sorted set between the given lexicographical range', zremrangebylex),
  spec('zunion', -3, RO, K0, '6.2.0', 'Add multiple sorted sets', zunion),
  spec('zinter', -3, RO, K0, '6.2.0', 'Intersect multiple sorted sets', zinter),
  spec('zdiff', -3, RO, K0, '6.2.0', 'Subtract multiple sorted sets', zdiff),
  spec('zunionstore', -4, WD, K1, '2.0.0', 'Add multiple sorted sets and store the resulting sorted set in a new key', zunionstore),
  spec('zinterstore', -4, WD, K1, '2.0.0', 'Intersect multiple sorted sets and store the resulting sorted set in a new key', zinterstore),
  spec('zdiffstore', -4, WD, K1, '6.2.0', 'Subtract multiple sorted sets and store the resulting sorted set in a new key', zdiffstore),
  spec('zintercard', -3, RO, K0, '7.0.0', 'Intersect multiple sorted sets and return the cardinality of the result', zintercard),
  spec('zpopmin', -2, WF, K1, '5.0.0', 'Remove and return members with the lowest scores in a sorted set', zpopmin),
  spec('zpopmax', -2, WF, K1, '5.0.0', 'Remove and return members with the highest scores in a sorted set', zpopmax),
  spec('bzpopmin', -3, BZ, [1, -2, 1], '5.0.0', 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available', bzpopmin),
  spec('bzpopmax', -3, BZ, [1, -2, 1], '5.0.0', 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available', bzpopmax),
  spec('bzmpop', -5, ['write', 'blocking'], K0, '7.0.0', 'Remove and return members with scores in a sorted set or block until one is available', bzmpop),
  spec('zmpop', -4, ['write'], K0, '7.0.0', 'Remove and return members with scores in a sorted set', zmpop),
  spec('zrandmember', -2, RO, K1, '6.2.0', 'Get one or multiple random elements from a sorted set', zrandmember),
  spec('zscan', -3, RO, K1, '2.8.0', 'Incrementally iterate sorted sets elements and associated scores', zscan),
];
