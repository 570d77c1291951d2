// Generators for the sorted-set commands: ZADD flags, ZRANGE with BYSCORE/BYLEX/REV/LIMIT, the
// STORE variants, ZUNION/ZINTER/ZDIFF with WEIGHTS/AGGREGATE, pops (blocking too), ZRANDMEMBER, ZSCAN.
import type { Gen, Step } from './gen-base.ts';
import { scanStep } from './gen-generic.ts';

const exact = (argv: string[]): Step => ({ conn: 0, argv });

function scoreBound(g: Gen): string {
  const r = g.int(0, 9);
  if (r === 0) return g.pick(['-inf', '+inf', 'inf']);
  if (r === 1) return g.pick(['x', '((1', '[1']);
  const v = g.pick(['0', '1', '2', '1.5', '-1', '3', '10', '100']);
  return g.chance(0.3) ? `(${v}` : v;
}
function lexBound(g: Gen): string {
  const r = g.int(0, 9);
  if (r === 0) return g.pick(['-', '+']);
  if (r === 1) return g.pick(['a', 'x']);
  return `${g.pick(['[', '('])}${g.pick(['a', 'b', 'c', 'd', 'e', 'f', '1', ''])}`;
}
function limit(g: Gen): string[] {
  return g.chance(0.3) ? [g.word('LIMIT'), g.pick(['0', '1', '2', '-1']), g.pick(['1', '2', '5', '-1', '0'])] : [];
}
const ws = (g: Gen) => (g.chance(0.4) ? [g.word('WITHSCORES')] : []);

/** ZRANGE / ZRANGESTORE arguments after the key(s). */
function zrangeArgs(g: Gen, store: boolean): string[] {
  const by = g.int(0, 2);
  const out: string[] = by === 1 ? [scoreBound(g), scoreBound(g), g.word('BYSCORE')] : by === 2 ? [lexBound(g), lexBound(g), g.word('BYLEX')] : [g.index(), g.index()];
  if (g.chance(0.3)) out.push(g.word('REV'));
  out.push(...limit(g));
  if (!store && by !== 2) out.push(...ws(g));
  if (g.chance(0.03)) out.push(g.pick(['WITHSCORES', 'foo']));
  return out;
}

function setOp(g: Gen): string[] {
  const keys = g.keys(1, 3);
  const out = [g.chance(0.04) ? g.pick(['0', 'x', '9']) : String(keys.length), ...keys];
  if (g.chance(0.3)) out.push(g.word('WEIGHTS'), ...keys.map(() => g.pick(['1', '2', '0.5', '-1', '0', 'inf', 'x'])));
  if (g.chance(0.3)) out.push(g.word('AGGREGATE'), g.word(g.pick(['SUM', 'MIN', 'MAX', 'AVG'])));
  return out;
}

export function genZset(g: Gen): Step {
  const k = g.key();
  switch (g.int(0, 33)) {
    case 0:
    case 1:
    case 2: {
      const argv = ['zadd', k];
      for (const f of ['NX', 'XX', 'GT', 'LT', 'CH', 'INCR']) if (g.chance(0.12)) argv.push(g.word(f));
      for (let i = g.int(1, 3); i > 0; i--) argv.push(g.score(), g.member());
      if (g.chance(0.03)) argv.push(g.score());
      return exact(argv);
    }
    case 3:
      return exact(['zincrby', k, g.float(), g.member()]);
    case 4:
      return exact(['zcard', k]);
    case 5:
      return exact(['zcount', k, scoreBound(g), scoreBound(g)]);
    case 6:
      return exact(['zlexcount', k, lexBound(g), lexBound(g)]);
    case 7:
      return exact(['zscore', k, g.member()]);
    case 8:
      return exact(['zmscore', k, ...g.members(1, 3)]);
    case 9:
      return exact([g.pick(['zrank', 'zrevrank']), k, g.member()]);
    case 10:
      return exact(['zrem', k, ...g.members(1, 3)]);
    case 11:
    case 12:
      return exact(['zrange', k, ...zrangeArgs(g, false)]);
    case 13:
      return exact([g.pick(['zrangebyscore', 'zrevrangebyscore']), k, scoreBound(g), scoreBound(g), ...ws(g), ...limit(g)]);
    case 14:
      return exact([g.pick(['zrangebylex', 'zrevrangebylex']), k, lexBound(g), lexBound(g), ...limit(g)]);
    case 15:
      return exact(['zrevrange', k, g.index(), g.index(), ...ws(g)]);
    case 16:
      return exact(['zrangestore', g.key(), k, ...zrangeArgs(g, true)]);
    case 17:
      return exact(['zremrangebyrank', k, g.index(), g.index()]);
    case 18:
      return exact(['zremrangebyscore', k, scoreBound(g), scoreBound(g)]);
    case 19:
      return exact(['zremrangebylex', k, lexBound(g), lexBound(g)]);
    case 20:
      return exact([g.pick(['zunion', 'zinter', 'zdiff']), ...setOp(g), ...ws(g)]);
    case 21:
      return exact([g.pick(['zunionstore', 'zinterstore', 'zdiffstore']), g.key(), ...setOp(g)]);
    case 22: {
      const keys = g.keys(1, 3);
      return exact(['zintercard', String(keys.length), ...keys, ...(g.chance(0.3) ? ['LIMIT', g.pick(['0', '1', '-1'])] : [])]);
    }
    case 23:
      return exact([g.pick(['zpopmin', 'zpopmax']), k, ...(g.chance(0.5) ? [g.pick(['0', '1', '2', '5', '-1'])] : [])]);
    case 24:
      return exact([g.pick(['bzpopmin', 'bzpopmax']), ...g.keys(1, 2), g.timeout()]);
    case 25: {
      const keys = g.keys(1, 2);
      const tail = [String(keys.length), ...keys, g.word(g.pick(['MIN', 'MAX']))];
      if (g.chance(0.4)) tail.push(g.word('COUNT'), g.pick(['1', '2', '10', '0']));
      return exact(g.chance(0.5) ? ['zmpop', ...tail] : ['bzmpop', g.timeout(), ...tail]);
    }
    case 26: {
      const argv = ['zrandmember', k];
      if (g.chance(0.7)) argv.push(g.pick(['0', '1', '2', '5', '-1', '-4', 'x']));
      if (argv.length === 3 && g.chance(0.4)) argv.push(g.word('WITHSCORES'));
      return { conn: 0, argv, kind: 'random' };
    }
    case 27:
      return scanStep(g, 'zscan');
    case 28:
      return exact(['zadd', k, ...g.many(g.int(125, 135)).flatMap((m, i) => [String(i % 7), m])]);
    case 29:
      return exact(['zadd', k, '1', 'm'.repeat(g.int(60, 70))]);
    case 30:
      return exact(['object', 'encoding', k]);
    case 31:
      return exact(['zadd', k, g.pick(['0.1', '0.3', '1e-3', '123456.789', '-0', '1e20', '3.14159265358979']), g.member()]);
    case 32:
      return exact(['zrange', k, '0', '-1', 'WITHSCORES']);
    default:
      return exact(['del', k]);
  }
}
