// Generators for the HyperLogLog commands (issue 17 item 3): PFADD of few or many elements (sparse
// opcodes, promotion to dense past hll-sparse-max-bytes), PFCOUNT with and without its cached value,
// PFMERGE, PFDEBUG, and GET of the raw bytes (the dataset dumps compare every HLL byte too).
import type { Gen } from './gen-base.ts';

function elements(g: Gen): string[] {
  const r = g.next();
  if (r < 0.6) return g.members(0, 6);
  if (r < 0.85) return Array.from({ length: g.int(10, 200) }, (_, i) => `x${g.int(0, 3000)}-${i}`);
  return Array.from({ length: g.int(300, 2500) }, (_, i) => `e${g.int(0, 99)}:${i}`);
}

export function genHll(g: Gen): string[] {
  const k = g.key();
  switch (g.int(0, 19)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
      return ['pfadd', k, ...elements(g)];
    case 5:
    case 6:
    case 7:
      return ['pfcount', k];
    case 8:
    case 9:
      return ['pfcount', ...g.keys(2, 3)];
    case 10:
    case 11:
      return ['pfmerge', k, ...g.keys(0, 3)];
    case 12:
    case 13:
    case 14:
      return ['get', k];
    case 15:
      return ['pfdebug', g.word(g.pick(['ENCODING', 'DECODE', 'TODENSE', 'GETREG', 'foo'])), k];
    case 16:
      // a corrupted HLL: a byte overwritten, or bytes appended
      return g.chance(0.5) ? ['setrange', k, String(g.pick([0, 4, 15, 16, 17, 18, 20])), g.pick(['\u0000', '\u00ff', 'x', '\u0080'])] : ['append', k, 'hello'];
    case 17:
      return ['object', 'encoding', k];
    case 18:
      return ['strlen', k];
    default:
      return ['del', k];
  }
}
