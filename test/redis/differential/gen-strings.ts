// Generators for the string commands (keyspace.md "strings"): every SET option and its bad
// combinations, GETEX, GETDEL, the INCR family, INCRBYFLOAT, ranges, MSET/MSETNX/MGET, LCS.
import type { Gen } from './gen-base.ts';

function setOptions(g: Gen): string[] {
  const out: string[] = [];
  const n = g.int(0, 3);
  for (let i = 0; i < n; i++) {
    const r = g.int(0, 9);
    if (r <= 1) out.push(g.word(g.pick(['NX', 'XX'])));
    else if (r === 2) out.push(g.word('GET'));
    else if (r <= 7) {
      const u = g.pick(['EX', 'PX', 'EXAT', 'PXAT'] as const);
      out.push(g.word(u), g.expiry(u));
    } else if (r === 8) out.push(g.word('KEEPTTL'));
    else out.push(g.pick(['PERSIST', 'foo', 'EX']));
  }
  return out;
}

export function genString(g: Gen): string[] {
  const k = g.key();
  switch (g.int(0, 29)) {
    case 0:
    case 1:
      return ['set', k, g.str(), ...setOptions(g)];
    case 2:
      return ['get', k];
    case 3: {
      const r = g.int(0, 6);
      const opt: string[] =
        r === 0 ? [] : r === 1 ? [g.word('PERSIST')] : r === 6 ? [g.word('EX'), '10', g.word('PX'), '5'] : [];
      if (r >= 2 && r <= 5) {
        const u = (['EX', 'PX', 'EXAT', 'PXAT'] as const)[r - 2]!;
        opt.push(g.word(u), g.expiry(u));
      }
      return ['getex', k, ...opt];
    }
    case 4:
      return ['getdel', k];
    case 5:
      return [g.word(g.pick(['incr', 'decr'])), k];
    case 6:
      return [g.word(g.pick(['incrby', 'decrby'])), k, g.chance(0.1) ? g.pick(['9223372036854775807', '-9223372036854775808']) : g.integer()];
    case 7:
      return ['incrbyfloat', k, g.float()];
    case 8:
      return ['append', k, g.str()];
    case 9:
      return [g.pick(['getrange', 'substr']), k, g.index(), g.index()];
    case 10:
      return ['setrange', k, g.chance(0.05) ? g.pick(['-1', '536870912', 'x']) : String(g.int(0, 60)), g.str()];
    case 11:
      return ['strlen', k];
    case 12: {
      const argv = ['mset'];
      for (let i = g.int(1, 3); i > 0; i--) argv.push(g.key(), g.str());
      if (g.chance(0.05)) argv.push(g.key());
      return argv;
    }
    case 13: {
      const argv = ['msetnx'];
      for (let i = g.int(1, 3); i > 0; i--) argv.push(g.key(), g.str());
      return argv;
    }
    case 14:
      return ['mget', ...g.keys(1, 4)];
    case 15:
      return ['setnx', k, g.str()];
    case 16:
      return ['setex', k, g.expiry('EX'), g.str()];
    case 17:
      return ['psetex', k, g.expiry('PX'), g.str()];
    case 18:
      return ['getset', k, g.str()];
    case 19: {
      const argv = ['lcs', k, g.key()];
      const n = g.int(0, 3);
      for (let i = 0; i < n; i++) {
        const o = g.int(0, 4);
        if (o === 0) argv.push(g.word('LEN'));
        else if (o === 1) argv.push(g.word('IDX'));
        else if (o === 2) argv.push(g.word('MINMATCHLEN'), g.pick(['0', '1', '2', '3', '-1', 'x']));
        else if (o === 3) argv.push(g.word('WITHMATCHLEN'));
        else argv.push('foo');
      }
      return argv;
    }
    case 20: {
      if (g.chance(0.5)) return ['set', k, g.pick(['ohmytext', 'mynewtext', 'ABCBDAB', 'BDCABA', 'rhododendron', 'dendrite', '1234567'])];
      const len = g.int(0, 40);
      return ['set', k, Array.from({ length: len }, () => g.pick(['a', 'b', 'c', 'd'])).join('')];
    }
    case 21:
      return ['ttl', k];
    case 22:
      return ['object', 'encoding', k];
    case 23:
      return ['pttl', k];
    case 24:
      return ['set', k, String(g.int(-20, 20000))];
    case 25:
      return ['incrbyfloat', k, g.pick(['1e308', '-1e308', '0.1', '1.1e1', '5.0e3', '1e-5', '123456789.123'])];
    case 26:
      return ['append', k, String(g.int(0, 99))];
    case 27:
      return ['type', k];
    case 28:
      return ['exists', k];
    default:
      return ['getrange', k, String(g.int(-5, 5)), String(g.int(-5, 50))];
  }
}
