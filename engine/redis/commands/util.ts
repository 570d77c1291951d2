// Shared argument parsing / formatting helpers for the command groups (util.c of Redis 7.0.15):
// string2ll, string2d, string2ld (80-bit long double), %.17g / %.17Lf printing, SCAN cursors
// (stringmatchlen is keyspace/glob.ts).

import { err, type Resp } from '../../net/resp.ts';

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;

export const ERR_NOT_INT = 'ERR value is not an integer or out of range';
export const ERR_NOT_FLOAT = 'ERR value is not a valid float';
export const ERR_SYNTAX = 'ERR syntax error';
export const ERR_OVERFLOW = 'ERR increment or decrement would overflow';
export const ERR_WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const ERR_NO_SUCH_KEY = 'ERR no such key';
export const ERR_INVALID_CURSOR = 'ERR invalid cursor';

/** addReplyErrorFormat: an error text with CR and LF turned into spaces (the reply stays one line). */
export function errLine(text: string): Resp {
  return err(text.replace(/[\r\n]/g, ' '));
}

// ---------------------------------------------------------------- integers

/** string2ll: strict base-10 int64 (no '+', no leading zeros, no "-0", no spaces, < 21 bytes). */
export function parseInt64(s: string): bigint | null {
  if (s.length === 0 || s.length >= 21 || !/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const v = BigInt(s);
  return v > LLONG_MAX || v < LLONG_MIN ? null : v;
}

/** string2ll as a JS number (exact below 2^53; counts, indexes and ms times never need more). */
export function parseLong(s: string): number | null {
  const v = parseInt64(s);
  return v === null ? null : Number(v);
}

/** getRangeLongFromObjectOrReply-style helper: an int64 within [min, max], else null. */
export function parseLongInRange(s: string, min: number, max: number): number | null {
  const v = parseLong(s);
  return v === null || v < min || v > max ? null : v;
}

/** getPositiveLongFromObjectOrReply etc. build on this: 32-bit int (getIntFromObject). */
export function parseInt32(s: string): number | null {
  return parseLongInRange(s, -2147483648, 2147483647);
}

/** True when the string is the canonical decimal form of an int64 (OBJECT ENCODING int, intsets). */
export function isInt64String(s: string): boolean {
  return parseInt64(s) !== null;
}

// ---------------------------------------------------------------- doubles

const DEC = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP]([+-]?[0-9]+))?$/;
const INF = /^([+-]?)inf(?:inity)?$/i;
const NAN = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?$/i;

/** strtod over a whole string: value and ERANGE flag, or null when the whole string is not a number. */
function strtodWhole(s: string): { v: number; erange: boolean } | null {
  if (DEC.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return { v, erange: true };
    const nonZero = /[1-9]/.test(s.replace(/[eE].*$/, ''));
    return { v, erange: v === 0 && nonZero };
  }
  const inf = INF.exec(s);
  if (inf) return { v: inf[1] === '-' ? -Infinity : Infinity, erange: false };
  if (NAN.test(s)) return { v: NaN, erange: false };
  const hex = HEX.exec(s);
  if (hex) {
    const [, sign, body = '', pe = '0'] = hex;
    const [ip = '', fp = ''] = body.split('.');
    const m = BigInt('0x' + (ip + fp || '0'));
    let v = m === 0n ? 0 : hexToNumber(m, Number(pe) - 4 * fp.length);
    if (sign === '-') v = -v;
    return { v, erange: !Number.isFinite(v) || (v === 0 && m !== 0n) };
  }
  return null;
}

/** m·2^e rounded to a double (ties to even), via the long-double rounding then a second exact step. */
function hexToNumber(m: bigint, e: number): number {
  // Reduce m to at most 64 bits with a sticky bit so Number() rounding below stays correct enough.
  const bl = m.toString(2).length;
  if (bl > 60) {
    const sh = bl - 60;
    const sticky = (m & ((1n << BigInt(sh)) - 1n)) !== 0n ? 1n : 0n;
    m = (m >> BigInt(sh)) | sticky;
    e += sh;
  }
  let v = Number(m);
  while (e > 900) {
    v *= 2 ** 900;
    e -= 900;
  }
  while (e < -900) {
    v *= 2 ** -900;
    e += 900;
  }
  return v * 2 ** e;
}

/** C strings stop at the first NUL byte (also how "%s" prints a client argument in an error text). */
export const cstr = (s: string): string => {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
};

/**
 * string2d (getDoubleFromObject): the whole argument must be a double: no leading space, NaN
 * rejected, overflow (±HUGE_VAL) and underflow to zero rejected; "inf"/"-inf" accepted.
 */
export function parseDouble(s: string): number | null {
  if (s.length === 0 || /^[ \t\n\v\f\r]/.test(s) || s.includes('\0')) return null;
  const r = strtodWhole(s);
  if (r === null || Number.isNaN(r.v)) return null;
  if (r.erange && (!Number.isFinite(r.v) || r.v === 0)) return null;
  return r.v;
}

/** Plain strtod as zslParseRange uses it: leading spaces skipped, "" is 0, overflow gives ±inf, NaN rejected. */
export function parseStrtod(s: string): number | null {
  const t = cstr(s).replace(/^[ \t\n\v\f\r]+/, '');
  if (t === '') return 0;
  const r = strtodWhole(t);
  if (r === null || Number.isNaN(r.v)) return null;
  return r.v;
}

/** Exact decimal digits of |d| (d finite, non-zero): integer D and power k with |d| = D·10^k. */
function exactDecimal(d: number): [bigint, number] {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(d));
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = bexp - 1075;
  }
  if (e >= 0) return [m << BigInt(e), 0];
  return [m * 5n ** BigInt(-e), e];
}

/** printf("%.<p>g", d) with glibc's exact round-half-even on the binary value. */
export function formatG(d: number, p = 17): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return d < 0 ? '-nan' : 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  let [digits, k] = exactDecimal(d);
  let s = digits.toString();
  if (s.length > p) {
    const cut = s.length - p;
    const pow = 10n ** BigInt(cut);
    let q = digits / pow;
    const r = digits % pow;
    const half = pow / 2n;
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
    k += cut;
    s = q.toString();
    if (s.length > p) {
      s = s.slice(0, p);
      k++;
    }
  }
  const x = s.length - 1 + k; // decimal exponent of the leading digit
  const sign = d < 0 ? '-' : '';
  const padded = s.padEnd(p, '0');
  if (x < -4 || x >= p) {
    const frac = padded.slice(1).replace(/0+$/, '');
    const ex = Math.abs(x);
    return `${sign}${padded[0]}${frac ? '.' + frac : ''}e${x < 0 ? '-' : '+'}${ex < 10 ? '0' + ex : ex}`;
  }
  if (x >= 0) {
    const ip = padded.slice(0, x + 1);
    const fp = padded.slice(x + 1).replace(/0+$/, '');
    return `${sign}${ip}${fp ? '.' + fp : ''}`;
  }
  const fp = ('0'.repeat(-x - 1) + padded).replace(/0+$/, '');
  return `${sign}0.${fp}`;
}

/**
 * addReplyDouble in RESP2 (7.0.15): "%.17g" (1.1 → "1.1000000000000001"), "inf" / "-inf".
 * Use this for ZSCORE, ZINCRBY, WITHSCORES...
 */
export function formatDouble(d: number): string {
  return formatG(d, 17);
}

/**
 * d2string: how a double becomes a string object / listpack entry (ZSCAN of a listpack,
 * ZRANGESTORE...): integral values within ±LLONG_MAX/2 printed as integers, else "%.17g".
 */
export function d2string(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  if (Number.isInteger(d) && Math.abs(d) <= 4611686018427387903) {
    return Math.abs(d) < 2 ** 53 ? String(d) : BigInt(d).toString();
  }
  return formatG(d, 17);
}

// ---------------------------------------------------------------- long double (x87 80-bit)

/** An x87 80-bit long double: ±m·2^e with m < 2^64 (exact), or an infinity. */
export type LongDouble = { neg: boolean; m: bigint; e: number } | { neg: boolean; inf: true };

const E_MIN = -16445; // exponent of the smallest subnormal (2^-16445)
const E_MAX = 16320; // largest e with a 64-bit m: (2^64-1)·2^16320 is LDBL_MAX
const bitLen = (n: bigint): number => (n === 0n ? 0 : n.toString(2).length);

/** Round n·2^e (plus a sticky bit below) to 64 significant bits, ties to even. */
function roundLd(neg: boolean, n: bigint, e: number, sticky: boolean): LongDouble {
  let s = bitLen(n) - 64;
  if (e + s < E_MIN) s = E_MIN - e;
  if (s <= 0) return { neg, m: n, e };
  let q = n >> BigInt(s);
  const rem = n & ((1n << BigInt(s)) - 1n);
  const half = 1n << BigInt(s - 1);
  if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) q++;
  let ex = e + s;
  if (q === 1n << 64n) {
    q >>= 1n;
    ex++;
  }
  if (ex > E_MAX) return { neg, inf: true };
  return { neg, m: q, e: ex };
}

export const ldIsInf = (x: LongDouble): boolean => 'inf' in x;
const ldIsZero = (x: LongDouble): boolean => 'm' in x && x.m === 0n;

/** string2ld: strtold over the whole string; leading space, NaN, overflow and underflow-to-zero rejected; inf accepted. */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= 5 * 1024) return null;
  const inf = INF.exec(s);
  if (inf) return { neg: inf[1] === '-', inf: true };
  let x: LongDouble | null;
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/.exec(s);
  if (hex) {
    const [, sign, ip = '', fp = '', pe = '0'] = hex;
    if (ip.length + fp.length === 0) return null;
    const n = BigInt('0x' + ip + fp);
    const e = Number(pe) - 4 * fp.length;
    if (n === 0n) return { neg: sign === '-', m: 0n, e: 0 };
    if (bitLen(n) + e > 16385) return null;
    x = bitLen(n) + e < E_MIN - 2 ? null : roundLd(sign === '-', n, e, false);
  } else {
    const dec = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(s);
    if (!dec) return null;
    const [, sign, ip = '', fp = '', ee = '0'] = dec;
    if (ip.length + fp.length === 0) return null;
    const digits = (ip + fp).replace(/^0+/, '');
    const neg = sign === '-';
    if (digits === '') return { neg, m: 0n, e: 0 };
    const e10 = Number(ee) - fp.length;
    const mag = digits.length + e10; // value < 10^mag
    if (mag > 4934) return null; // overflow: HUGE_VAL
    if (mag < -4952) return null; // underflow to zero
    const d = BigInt(digits);
    if (e10 >= 0) x = roundLd(neg, d * 10n ** BigInt(e10), 0, false);
    else {
      const den = 10n ** BigInt(-e10);
      const k = Math.max(0, 68 + bitLen(den) - bitLen(d));
      const num = d << BigInt(k);
      x = roundLd(neg, num / den, -k, num % den !== 0n);
    }
  }
  if (x === null || 'inf' in x || ldIsZero(x)) return null;
  return x;
}

/** a + b in long double. inf + -inf gives a value marked nan (callers reject non-finite results). */
export function ldAdd(a: LongDouble, b: LongDouble): LongDouble & { nan?: true } {
  if ('inf' in a || 'inf' in b) {
    if ('inf' in a && 'inf' in b && a.neg !== b.neg) return { neg: false, inf: true, nan: true };
    return 'inf' in a ? a : b;
  }
  const e = Math.min(a.e, b.e);
  const va = (a.neg ? -a.m : a.m) << BigInt(a.e - e);
  const vb = (b.neg ? -b.m : b.m) << BigInt(b.e - e);
  const n = va + vb;
  return roundLd(n < 0n, n < 0n ? -n : n, e, false);
}

/** ld2string LD_STR_HUMAN: "%.17Lf" with trailing zeros (and '.') removed, "-0" → "0". */
export function formatLongDouble(x: LongDouble): string {
  if ('inf' in x) return x.neg ? '-inf' : 'inf';
  let digits: string;
  if (x.e >= 0) digits = String(x.m << BigInt(x.e));
  else {
    const shift = BigInt(-x.e);
    const scaled = x.m * 10n ** 17n;
    let q = scaled >> shift;
    const rem = scaled & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
    const ip = q / 10n ** 17n;
    const fp = (q % 10n ** 17n).toString().padStart(17, '0').replace(/0+$/, '');
    digits = fp ? `${ip}.${fp}` : String(ip);
  }
  const out = (x.neg ? '-' : '') + digits;
  return out === '-0' ? '0' : out;
}

/** A long double rounded to the nearest double (for callers that continue in double precision). */
export function ldToNumber(x: LongDouble): number {
  if ('inf' in x) return x.neg ? -Infinity : Infinity;
  const v = hexToNumber(x.m, x.e);
  return x.neg ? -v : v;
}

// ---------------------------------------------------------------- SCAN cursors

/** parseScanCursorOrReply: strtoul base 10 (optional sign, negatives wrap), no leading space, no overflow. */
export function parseScanCursor(s: string): bigint | null {
  const t = cstr(s);
  if (t !== s) return null;
  if (s === '') return 0n;
  const m = /^([+-]?)([0-9]+)$/.exec(s);
  if (!m) return null;
  const v = BigInt(m[2]!);
  if (v > 2n ** 64n - 1n) return null;
  return m[1] === '-' ? (2n ** 64n - v) % 2n ** 64n : v;
}

/** A deterministic 32-bit hash of a byte string (FNV-1a with a final avalanche): the SCAN order of keys. */
export function scanHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * One SCAN step over items ordered by scanHash: cursor c (0 = start) resumes at hash ≥ c-1.
 * Returns at least `count` items (all items sharing the last hash are included, so a cursor never
 * splits a hash value) and the next cursor (0 when done). Every item present for the whole
 * iteration is returned at least once, whatever is added or removed in between.
 * `sorted` must be sorted by hash ascending (see sortForScan).
 */
export function scanStep<T>(
  sorted: readonly { h: number; item: T }[],
  cursor: bigint,
  count: number,
): { items: T[]; next: bigint } {
  const from = cursor === 0n ? 0 : Number(cursor > 0x100000000n ? 0x100000000n : cursor) - 1;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.h < from) lo = mid + 1;
    else hi = mid;
  }
  const items: T[] = [];
  let i = lo;
  while (i < sorted.length && items.length < Math.max(1, count)) {
    const h = sorted[i]!.h;
    while (i < sorted.length && sorted[i]!.h === h) items.push(sorted[i++]!.item);
  }
  return { items, next: i < sorted.length ? BigInt(sorted[i]!.h) + 1n : 0n };
}

/** Order items for scanStep. */
export function sortForScan<T>(items: Iterable<T>, keyOf: (x: T) => string): { h: number; item: T }[] {
  const out: { h: number; item: T }[] = [];
  for (const item of items) out.push({ h: scanHash(keyOf(item)), item });
  out.sort((a, b) => a.h - b.h || (keyOf(a.item) < keyOf(b.item) ? -1 : 1));
  return out;
}
