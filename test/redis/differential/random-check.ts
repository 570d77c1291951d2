// Replies Redis picks at random (RANDOMKEY, SRANDMEMBER, SPOP, HRANDFIELD, ZRANDMEMBER) cannot be
// compared element by element; each side's reply is checked against the collection as it was before
// the call (same shape as the other side, right count, members that exist, distinct when the count is
// positive, values / scores that belong to their field / member).
import { isError, text, type Rep } from './reply.ts';

/** Collection contents before the call: member → value ('' for sets and keys). */
export type Contents = Map<string, string>;

export interface RandomVerdict {
  ok: boolean;
  why?: string;
}

function shape(r: Rep): string {
  return Array.isArray(r) ? `array(${r.length})` : r.startsWith('$') && r !== '$nil' ? 'bulk' : r;
}

/** Check one side's reply. `withPairs`: the reply alternates member and value/score. */
function valid(argv: string[], r: Rep, coll: Contents): string | null {
  const name = argv[0]!.toLowerCase();
  const hasCount = name === 'randomkey' ? false : argv.length >= 3;
  const withPairs = argv.length >= 4;
  if (!hasCount) {
    if (r === '$nil' || r === '*nil') return coll.size === 0 ? null : 'nil from a non-empty collection';
    const m = text(r);
    return m !== null && coll.has(m) ? null : `${JSON.stringify(r)} is not in the collection`;
  }
  if (!Array.isArray(r)) return r === '*nil' && coll.size === 0 ? null : `not an array: ${JSON.stringify(r)}`;
  const count = Number(argv[2]);
  const step = withPairs ? 2 : 1;
  const items: string[] = [];
  for (let i = 0; i < r.length; i += step) {
    const m = text(r[i]);
    if (m === null || !coll.has(m)) return `${JSON.stringify(r[i])} is not in the collection`;
    if (withPairs && text(r[i + 1]) !== coll.get(m)) return `${m} paired with ${JSON.stringify(r[i + 1])}, not ${coll.get(m)}`;
    items.push(m);
  }
  const want = count >= 0 ? Math.min(count, coll.size) : coll.size === 0 ? 0 : -count;
  if (items.length !== want) return `${items.length} items, expected ${want}`;
  if (count >= 0 && new Set(items).size !== items.length) return 'repeated items with a positive count';
  return null;
}

export function checkRandom(argv: string[], real: Rep, sim: Rep, coll: Contents): RandomVerdict {
  if (isError(real) || isError(sim)) return { ok: JSON.stringify(real) === JSON.stringify(sim), why: 'errors differ' };
  if (shape(real) !== shape(sim)) return { ok: false, why: `shapes differ: ${shape(real)} vs ${shape(sim)}` };
  const bad = valid(argv, real, coll) ?? valid(argv, sim, coll);
  return bad ? { ok: false, why: bad } : { ok: true };
}

/** Members a SPOP removed (one bulk or an array). */
export function popped(r: Rep): string[] {
  if (Array.isArray(r)) return r.map((x) => text(x)!).filter((x) => x !== null);
  const m = text(r);
  return m === null ? [] : [m];
}
