// Generators for the bitmap commands (issue 17 item 2): SETBIT/GETBIT offsets good and bad, BITCOUNT
// and BITPOS ranges in BYTE and BIT units, BITOP of every operation, BITFIELD with every type and
// OVERFLOW mode (and BITFIELD_RO), mixed with plain string writes so int/embstr/raw values are read too.
import type { Gen } from './gen-base.ts';

function offset(g: Gen): string {
  if (g.chance(0.05)) return g.pick(['-1', 'x', '4294967296', '1.5', '']);
  return String(g.pick([0, 1, 7, 8, 9, 15, 16, 31, 63, 64, 100, 200, 1000]) + (g.chance(0.3) ? g.int(0, 7) : 0));
}
function range(g: Gen): string {
  if (g.chance(0.04)) return g.pick(['x', '9223372036854775807', '-9223372036854775808']);
  return String(g.pick([0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 100, -1, -2, -3, -8, -9, -100]));
}
const unit = (g: Gen): string[] => (g.chance(0.5) ? [] : [g.word(g.pick(['BIT', 'BYTE', 'BIT', 'BYTE', 'bits']))]);

function bfType(g: Gen): string {
  if (g.chance(0.05)) return g.pick(['u64', 'i65', 'u0', 'x8', 'i', 'U8']);
  const sign = g.pick(['u', 'i']);
  const bits = g.pick([1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 31, 32, 33, 48, 63, 64].filter((b) => sign === 'i' || b < 64));
  return `${sign}${bits}`;
}
function bfOffset(g: Gen): string {
  if (g.chance(0.05)) return g.pick(['-1', 'x', '#-1', '#x', '#']);
  return g.chance(0.3) ? `#${g.int(0, 5)}` : String(g.pick([0, 1, 3, 7, 8, 12, 15, 16, 30, 64, 100]));
}
function bfValue(g: Gen): string {
  if (g.chance(0.04)) return g.pick(['x', '9223372036854775808', '1.5']);
  return String(g.pick([0, 1, -1, 2, 5, 100, 127, 128, 255, 256, -128, -129, 1000, 65535, 2147483647, -2147483648, 4294967296]) ?? 0);
}
function bitfieldArgs(g: Gen, ro: boolean): string[] {
  const out: string[] = [];
  for (let i = g.int(1, 4); i > 0; i--) {
    const r = g.int(0, 9);
    if (r <= 3 || ro) out.push(g.word('GET'), bfType(g), bfOffset(g));
    else if (r <= 5) out.push(g.word('SET'), bfType(g), bfOffset(g), bfValue(g));
    else if (r <= 8) out.push(g.word('INCRBY'), bfType(g), bfOffset(g), g.chance(0.5) ? bfValue(g) : g.pick(['9223372036854775807', '-9223372036854775808']));
    else out.push(g.word('OVERFLOW'), g.chance(0.05) ? 'bad' : g.word(g.pick(['WRAP', 'SAT', 'FAIL'])));
  }
  if (ro && g.chance(0.1)) out.push('SET', 'u8', '0', '1');
  if (g.chance(0.03)) out.push(g.pick(['foo', 'GET', 'SET u8']));
  return out;
}

export function genBitmap(g: Gen): string[] {
  const k = g.key();
  switch (g.int(0, 22)) {
    case 0:
    case 1:
    case 2:
      return ['setbit', k, offset(g), g.chance(0.05) ? g.pick(['2', '-1', 'x']) : g.pick(['0', '1', '1'])];
    case 3:
    case 4:
      return ['getbit', k, offset(g)];
    case 5:
    case 6: {
      const r = g.int(0, 5);
      if (r === 0) return ['bitcount', k];
      if (r === 1) return ['bitcount', k, range(g)];
      return ['bitcount', k, range(g), range(g), ...unit(g)];
    }
    case 7:
    case 8: {
      const bit = g.chance(0.05) ? g.pick(['2', 'x', '-1']) : g.pick(['0', '1']);
      const r = g.int(0, 3);
      const rest = r === 0 ? [] : r === 1 ? [range(g)] : [range(g), range(g), ...unit(g)];
      return ['bitpos', k, bit, ...rest];
    }
    case 9:
    case 10: {
      const op = g.chance(0.05) ? g.pick(['nand', 'x']) : g.word(g.pick(['AND', 'OR', 'XOR', 'NOT']));
      return ['bitop', op, g.key(), ...g.keys(1, op.toLowerCase() === 'not' && g.chance(0.9) ? 1 : 3)];
    }
    case 11:
    case 12:
    case 13:
      return ['bitfield', k, ...bitfieldArgs(g, false)];
    case 14:
      return ['bitfield_ro', k, ...bitfieldArgs(g, true)];
    case 15:
      return ['set', k, g.pick([g.str(), '\u00ff\u00f0\u000f', 'foobar', '\u0000\u0000\u00ff', 'abc', '12345'])];
    case 16:
      return ['append', k, g.str()];
    case 17:
    case 18:
      return ['get', k];
    case 19:
      return ['strlen', k];
    case 20:
      return ['incrby', k, g.integer()];
    case 21:
      return ['object', 'encoding', k];
    default:
      return ['del', k];
  }
}
