// Generators for the list commands, incl. LPOS options, LMOVE/LMPOP, LINSERT, LSET, LTRIM, LREM and
// the blocking variants (served at once, or timing out after a few ms on an empty key).
import type { Gen } from './gen-base.ts';

const side = (g: Gen) => g.word(g.chance(0.03) ? 'middle' : g.pick(['LEFT', 'RIGHT']));

function mpopTail(g: Gen): string[] {
  const keys = g.keys(1, 3);
  const out = [g.chance(0.04) ? g.pick(['0', '-1', 'x']) : String(keys.length), ...keys, side(g)];
  if (g.chance(0.4)) out.push(g.word('COUNT'), g.chance(0.05) ? g.pick(['0', '-1']) : String(g.int(1, 4)));
  return out;
}

export function genList(g: Gen): string[] {
  const k = g.key();
  switch (g.int(0, 25)) {
    case 0:
    case 1:
      return [g.pick(['lpush', 'rpush']), k, ...g.members(1, 4)];
    case 2:
      return [g.pick(['lpushx', 'rpushx']), k, ...g.members(1, 2)];
    case 3:
      return [g.pick(['lpop', 'rpop']), k, ...(g.chance(0.4) ? [g.chance(0.05) ? '-1' : String(g.int(0, 4))] : [])];
    case 4:
      return ['llen', k];
    case 5:
      return ['lindex', k, g.index()];
    case 6:
    case 7:
      return ['lrange', k, g.index(), g.index()];
    case 8:
      return ['lset', k, g.index(), g.member()];
    case 9:
      return ['linsert', k, g.word(g.chance(0.03) ? 'middle' : g.pick(['BEFORE', 'AFTER'])), g.member(), g.member()];
    case 10:
      return ['ltrim', k, g.index(), g.index()];
    case 11:
      return ['lrem', k, String(g.int(-2, 2)), g.member()];
    case 12: {
      const argv = ['lpos', k, g.member()];
      if (g.chance(0.4)) argv.push(g.word('RANK'), g.pick(['1', '2', '-1', '-2', '0', 'x']));
      if (g.chance(0.4)) argv.push(g.word('COUNT'), g.pick(['0', '1', '2', '5', '-1']));
      if (g.chance(0.3)) argv.push(g.word('MAXLEN'), g.pick(['0', '1', '3', '-1']));
      return argv;
    }
    case 13:
      return ['lmove', k, g.key(), side(g), side(g)];
    case 14:
      return ['rpoplpush', k, g.key()];
    case 15:
      return ['lmpop', ...mpopTail(g)];
    case 16:
      return [g.pick(['blpop', 'brpop']), ...g.keys(1, 2), g.timeout()];
    case 17:
      return ['blmove', k, g.key(), side(g), side(g), g.timeout()];
    case 18:
      return ['blmpop', g.timeout(), ...mpopTail(g)];
    case 19:
      return ['brpoplpush', k, g.key(), g.timeout()];
    case 20:
      return ['rpush', k, ...g.many(g.int(120, 140))];
    case 21:
      return ['object', 'encoding', k];
    case 22:
      return ['lrange', k, '0', '-1'];
    case 23:
      return ['lpush', k, 'x'.repeat(g.int(1, 9000))];
    case 24:
      return ['lrange', k, String(g.int(-200, 200)), String(g.int(-200, 200))];
    default:
      return ['del', k];
  }
}
