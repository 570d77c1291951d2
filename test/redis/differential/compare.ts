// How two replies to the same command are compared: exactly, except where Redis itself gives no order
// (KEYS, SMEMBERS, SINTER/SUNION/SDIFF, HKEYS/HVALS/HGETALL: sorted before comparing) and where the
// reply is a time measured on each side's own clock (TTL, PTTL, EXPIRETIME, PEXPIRETIME, OBJECT
// IDLETIME: equal within a tolerance — the two clocks are aligned, the two calls are not simultaneous).
import { MARKERS, type Rep } from './reply.ts';
import { normaliseAcl } from './acl-normalise.ts';

const UNORDERED = new Set(['keys', 'smembers', 'sinter', 'sunion', 'sdiff', 'hkeys', 'hvals']);
/** Seconds / milliseconds tolerance for time replies. */
const TOLERANCE: Record<string, number> = { ttl: 1, expiretime: 1, pttl: 400, pexpiretime: 400 };

function sortedFlat(r: Rep): Rep {
  return Array.isArray(r) ? [...(r as string[])].sort() : r;
}

function sortedPairs(r: Rep): Rep {
  if (!Array.isArray(r)) return r;
  const pairs: string[] = [];
  for (let i = 0; i + 1 < r.length; i += 2) pairs.push(`${r[i] as string}\u0000${r[i + 1] as string}`);
  return pairs.sort();
}

/** Stream replies that carry a time measured on each side's clock (idle, seen-time, delivery time): the
 *  time replaced by "~" (XPENDING's extended form, XINFO CONSUMERS, XINFO STREAM FULL). */
function streamTimes(name: string, argv: string[], r: Rep): Rep {
  const sub = argv[1]?.toLowerCase();
  if (name === 'xpending' && argv.length >= 6 && Array.isArray(r)) return r.map((e) => (Array.isArray(e) && e.length === 4 ? [e[0]!, e[1]!, '~', e[3]!] : e));
  if (name !== 'xinfo' || (sub !== 'consumers' && sub !== 'stream')) return r;
  const entry = (e: Rep): Rep => {
    if (!Array.isArray(e)) return e;
    if (e.length === 4) return [e[0]!, e[1]!, '~', e[3]!];
    if (e.length === 3) return [e[0]!, '~', e[2]!];
    return e;
  };
  const walk = (x: Rep, pendingList: boolean): Rep => {
    if (!Array.isArray(x)) return x;
    if (pendingList) return x.map(entry);
    const out: Rep[] = [];
    for (let i = 0; i < x.length; i++) {
      const prev = i > 0 ? x[i - 1] : undefined;
      if (prev === '$seen-time' || prev === '$idle') out.push('~');
      else out.push(walk(x[i]!, prev === '$pending'));
    }
    return out;
  };
  return walk(r, false);
}

/** XADD with "*" / "<ms>-*": the time-based ID compared by shape. */
function xaddShape(argv: string[], r: Rep): Rep {
  if (!argv.some((a) => a === '*' || /^[0-9]+-\*$/.test(a))) return r;
  return typeof r === 'string' && /^\$[0-9]+-[0-9]+$/.test(r) && argv.includes('*') ? '$<ms>-<seq>' : r;
}

/** The reply in the form it is compared in. */
export function normalise(argv: string[], r: Rep): Rep {
  // a RESP3 map / set keeps its marker in front of what is normalised
  if (Array.isArray(r) && typeof r[0] === 'string' && MARKERS.has(r[0])) return [r[0], ...(normalise(argv, r.slice(1)) as Rep[])];
  const name = argv[0]!.toLowerCase();
  if (UNORDERED.has(name)) return sortedFlat(r);
  if (name === 'hgetall') return sortedPairs(r);
  if (name === 'acl') return normaliseAcl(argv, r);
  if (name === 'xadd') return xaddShape(argv, r);
  if (name === 'xpending' || name === 'xinfo') return streamTimes(name, argv, r);
  return r;
}

/** An integer reply, exactly (TTLs near 2^63 ms do not fit a double). */
function intOf(r: Rep): bigint | null {
  return typeof r === 'string' && r.startsWith(':') ? BigInt(r.slice(1)) : null;
}

/** Equal as Redis defines it for this command? `queued` is the argv list of an EXEC's transaction. */
export function sameReply(argv: string[], real: Rep, sim: Rep, queued?: string[][]): boolean {
  const name = argv[0]!.toLowerCase();
  if (name === 'exec' && queued && Array.isArray(real) && Array.isArray(sim)) {
    if (real.length !== sim.length || real.length !== queued.length) return false;
    return real.every((x, i) => sameReply(queued[i]!, x, sim[i]!));
  }
  const tol = TOLERANCE[name] ?? (name === 'object' && argv[1]?.toLowerCase() === 'idletime' ? 2 : undefined);
  if (tol !== undefined) {
    const a = intOf(real);
    const b = intOf(sim);
    // negative values (-1 no expiry, -2 no key) are exact; positive ones within the tolerance
    if (a !== null && b !== null && a >= 0n && b >= 0n) return (a > b ? a - b : b - a) <= BigInt(tol);
  }
  return JSON.stringify(normalise(argv, real)) === JSON.stringify(normalise(argv, sim));
}
