// Seeded building blocks for the differential command generators: key pools (so commands collide and
// hit the wrong type), values that cross Redis's encoding and parsing edges, numbers good and bad.
import { Rng } from '../../../engine/sim/rng.ts';

/** One generated command: which connection sends it, and how the runner compares it. */
export interface Step {
  conn: number;
  argv: string[];
  /**
   * 'exact' (default) compares replies after per-command normalisation; 'scan' iterates a SCAN-family
   * cursor to the end on both sides and compares the union; 'random' checks RANDOMKEY / SRANDMEMBER /
   * SPOP / HRANDFIELD / ZRANDMEMBER replies against the collection (Redis picks at random);
   * 'short-expire' sets a few-ms expiry, waits past it on both sides, then checks the key is gone;
   * 'sleep' waits argv[0] ms on both sides (nothing compared); 'block' sends argv on connection 0
   * (a blocking command), then `wake` on connection 1, and compares both replies; 'dump' compares
   * the whole dataset of databases 0-2 (every key's type, encoding, value and TTL); 'pushes' waits
   * argv[0] ms, then compares the out-of-band pushes (invalidations, messages) of every connection.
   * In argv, `{id:N}` stands for the client id of connection N on each side (and replies of HELLO /
   * CLIENT show that id as `{id:N}`).
   */
  kind?: 'exact' | 'scan' | 'random' | 'short-expire' | 'sleep' | 'block' | 'dump' | 'pushes';
  wake?: string[];
}

export const STRINGS = [
  '', 'a', 'b', 'foo', 'bar', 'hello world', 'ohmytext', 'mynewtext', 'x'.repeat(45), 'y'.repeat(70),
  '0', '1', '-1', '7', '42', '-17', '100', '9999', '10000', '123456789012', '3.5', '-2.25', '1e3', ' 1',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '0x10', 'inf', 'nan', '007', '+5',
  // bytes ≥ 0x80 and NUL (sent as single bytes): byte order, lengths, LCS over binary data
  '\u00ff\u00e9', 'a\u0000b', '\u0080', 'caf\u00e9',
  // embstr / raw / int encodings and string2ll's corners
  'z'.repeat(44), '-0', '12345678901234567890', '1234567890123456789', '-9223372036854775809', '0.0', '1e5', '18446744073709551615',
];
export const INTS = ['0', '1', '2', '3', '-1', '-2', '5', '10', '-10', '100', '1000000'];
export const BAD_INTS = ['abc', '1.5', '', '9223372036854775808', ' 1', '0x1'];
export const FLOATS = [
  '0', '1', '1.5', '-2.5', '0.1', '3.0e-2', '1e2', '10.50', '-0', '5.0e3', '2.5e-1', '17',
  '0.30000000000000004', '1.0000000000000002', '123456789012345678', '1e-300', '4.9e-324', '-0.0', '1e20', '.5', '5.',
  '3.4028234663852886e38', '0x1p3', '1E3', '1e+3', '00.1',
];
export const BAD_FLOATS = ['abc', 'nan', '', '1.5.5', '1e', '--1', ' 1', '1 ', '1e400', '-1e400', 'NaN', '1\u0000'];
export const FLOATS_INF = ['inf', '-inf', '+inf', 'Infinity'];

export class Gen {
  readonly rng: Rng;
  /** Keys of the group under test, other keys (foreign types, set up by the prelude) and absent ones. */
  constructor(
    seed: string,
    private readonly own: readonly string[],
    private readonly foreign: readonly string[] = ['T', 'L', 'H', 'S', 'Z'],
    readonly nowSec: number = Math.floor(Date.now() / 1000),
  ) {
    this.rng = new Rng(seed);
  }

  next(): number {
    return this.rng.next();
  }
  int(lo: number, hi: number): number {
    return this.rng.int(lo, hi);
  }
  chance(p: number): boolean {
    return this.rng.chance(p);
  }
  pick<T>(xs: readonly T[]): T {
    return this.rng.choice(xs);
  }

  key(): string {
    const r = this.rng.next();
    if (r < 0.84) return this.pick(this.own);
    if (r < 0.95) return this.pick(this.foreign);
    return 'nokey';
  }
  keys(lo: number, hi: number): string[] {
    return Array.from({ length: this.int(lo, hi) }, () => this.key());
  }

  /** Redis's case-insensitive words, sometimes in upper / mixed case. */
  word(w: string): string {
    const r = this.rng.next();
    if (r < 0.5) return w.toLowerCase();
    if (r < 0.9) return w.toUpperCase();
    return [...w].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
  }

  str(): string {
    return this.pick(STRINGS);
  }
  /** A member / field name: mostly from a small alphabet so operations collide. */
  member(): string {
    const r = this.rng.next();
    if (r < 0.6) return this.pick(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    if (r < 0.8) return String(this.int(-3, 12));
    if (r < 0.9) return this.pick(['foo', 'bar', 'zap', 'x'.repeat(45), '\u00e9', 'A', '']);
    return 'm'.repeat(this.int(60, 70));
  }
  members(lo: number, hi: number): string[] {
    return Array.from({ length: this.int(lo, hi) }, () => this.member());
  }
  /** Many distinct members: crosses listpack / intset size limits (128, 512 entries). */
  many(n: number, ints = false): string[] {
    const base = this.int(0, 1000);
    return Array.from({ length: n }, (_, i) => (ints ? String(base + i) : `e${base + i}`));
  }

  integer(pBad = 0.05): string {
    if (this.chance(pBad)) return this.pick(BAD_INTS);
    return this.pick(INTS);
  }
  float(pBad = 0.05): string {
    if (this.chance(pBad)) return this.pick(BAD_FLOATS);
    if (this.chance(0.04)) return this.pick(FLOATS_INF);
    return this.pick(FLOATS);
  }
  /** A score for ZADD & co. */
  score(pBad = 0.03): string {
    if (this.chance(pBad)) return this.pick(BAD_FLOATS);
    if (this.chance(0.05)) return this.pick(['inf', '-inf', '+inf']);
    if (this.chance(0.1)) return this.pick(['1e-320', '-0.0', '12345678901234567890', '0.30000000000000004', '1e308', '.5', '1E2']);
    return this.pick(['0', '1', '2', '3', '1.5', '-1', '-2.5', '10', '0.5', '100', '1e3', '3']);
  }
  /** A range index (LRANGE, GETRANGE, ZRANGE …). */
  index(): string {
    if (this.chance(0.04)) return this.pick(['9223372036854775807', '-9223372036854775808', '4294967296', '-4294967297', 'x', '1.0']);
    return String(this.pick([0, 1, 2, 3, -1, -2, -3, 5, 10, -10, 100, -100]));
  }
  /** Timeout for blocking commands: short, so an empty key times out quickly on both sides. */
  timeout(): string {
    if (this.chance(0.05)) return this.pick(['-1', 'abc']);
    return this.pick(['0.01', '0.02']);
  }

  /** Relative expiries handed out so far (each one is distinct, see `expiry`). */
  private relative = 0;

  /**
   * Expiry for SET / GETEX / EXPIRE: never fires during the run (or is in the past). The two servers
   * read their clocks a few µs apart, so two expiries that could compare equal on one side and not on
   * the other (GT / LT, the same relative TTL twice) must not be generated: every relative value is
   * distinct and lands at now + (10000·i + 5000) s, absolute ones at nowSec ± 10000·j s (+ a ms
   * fraction for PXAT) — always thousands of seconds apart whatever the test's duration.
   */
  expiry(unit: 'EX' | 'PX' | 'EXAT' | 'PXAT'): string {
    const r = this.rng.next();
    if (r < 0.06) return this.pick(['0', '-5', 'abc', '9223372036854775807']);
    if (unit === 'EX' || unit === 'PX') {
      const s = 10_000 * ++this.relative + 5000;
      return unit === 'EX' ? String(s) : String(s * 1000);
    }
    const at = this.nowSec + (r < 0.14 ? -1 : 1) * 10_000 * this.int(1, 200);
    return unit === 'EXAT' ? String(at) : String(at * 1000 + this.int(0, 999));
  }
}

/** The foreign keys every run starts with (one per type), for WRONGTYPE and cross-type commands. */
export const PRELUDE: string[][] = [
  ['set', 'T', 'tval'],
  ['rpush', 'L', 'l1', 'l2', '3'],
  ['hset', 'H', 'f', 'v', 'n', '5'],
  ['sadd', 'S', 'a', 'b', '1'],
  ['zadd', 'Z', '1', 'a', '2', 'b', '2', 'c'],
];
