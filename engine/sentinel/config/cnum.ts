/**
 * Number parsing and formatting with C / Redis semantics, using BigInt where 64-bit
 * behaviour matters.
 */

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

function isCSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f';
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** Leading blanks, optional sign, then as many decimal digits as there are. */
function scanDecimal(s: string): { negative: boolean; digits: string } {
  let i = 0;
  while (isCSpace(s[i])) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const start = i;
  while (isDigit(s[i])) i++;
  return { negative, digits: s.slice(start, i) };
}

/**
 * C atoi() as glibc implements it: strtol() (saturating at the 64-bit limits) truncated
 * to a 32-bit int. Garbage gives 0, trailing garbage is ignored.
 */
export function atoi(s: string): number {
  const { negative, digits } = scanDecimal(s);
  if (digits.length === 0) return 0;
  let v = BigInt(digits);
  if (negative) v = -v;
  if (v > INT64_MAX) v = INT64_MAX;
  if (v < INT64_MIN) v = INT64_MIN;
  return Number(BigInt.asIntN(32, v));
}

/** C strtoull(s, NULL, 10): saturates at 2^64-1, a minus sign negates modulo 2^64. */
export function strtoull(s: string): bigint {
  const { negative, digits } = scanDecimal(s);
  if (digits.length === 0) return 0n;
  const v = BigInt(digits);
  if (v > UINT64_MAX) return UINT64_MAX;
  return negative ? BigInt.asUintN(64, -v) : v;
}

/** Redis string2ll(): strict signed 64-bit decimal, no blanks, no '+', no leading zeros. */
export function string2ll(s: string): bigint | null {
  if (s.length === 0 || s.length >= 21) return null;
  if (s === '0') return 0n;
  if (!/^-?[1-9][0-9]*$/.test(s)) return null;
  const v = BigInt(s);
  if (v > INT64_MAX || v < INT64_MIN) return null;
  return v;
}

const MEMORY_UNITS: Readonly<Record<string, bigint>> = {
  '': 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
};

/**
 * Redis memtoull(): digits followed by an optional unit (b, k, kb, m, mb, g, gb, any case).
 * Returns null on error. The product wraps modulo 2^64 like the C multiplication.
 */
export function memtoull(s: string): bigint | null {
  if (s.startsWith('-')) return null;
  let i = 0;
  while (isDigit(s[i])) i++;
  const mul = MEMORY_UNITS[s.slice(i).toLowerCase()];
  if (mul === undefined) return null;
  const digits = s.slice(0, i);
  if (digits.length >= 128) return null;
  // strtoull on an empty string returns 0 without error (EINVAL is not set by glibc).
  let v = digits.length === 0 ? 0n : BigInt(digits);
  if (v > UINT64_MAX) v = UINT64_MAX;
  return BigInt.asUintN(64, v * mul);
}

/** Redis yesnotoi(): 1 for yes, 0 for no (any case), -1 otherwise. */
export function yesnotoi(s: string): 1 | 0 | -1 {
  const l = s.toLowerCase();
  if (l === 'yes') return 1;
  if (l === 'no') return 0;
  return -1;
}

/** Redis string2d(): a whole-string strtod() that refuses leading blanks and NaN. */
export function string2d(s: string): number | null {
  if (s.length === 0 || isCSpace(s[0])) return null;
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const v = Number(s);
  if (Number.isNaN(v) || !Number.isFinite(v)) return null;
  return v;
}

/** Redis rewriteConfigFormatMemory(): gb / mb / kb suffix when the value is a multiple. */
export function formatMemory(bytes: bigint): string {
  const gb = 1024n * 1024n * 1024n;
  const mb = 1024n * 1024n;
  const kb = 1024n;
  if (bytes !== 0n && bytes % gb === 0n) return `${bytes / gb}gb`;
  if (bytes !== 0n && bytes % mb === 0n) return `${bytes / mb}mb`;
  if (bytes !== 0n && bytes % kb === 0n) return `${bytes / kb}kb`;
  return `${bytes}`;
}

/** printf("%f") followed by Redis trimDoubleString(): 99.9 -> "99.9", 50 -> "50". */
export function formatTrimmedDouble(v: number): string {
  let s = v.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

/** Signed 64-bit reinterpretation of an unsigned value (what "%lld" prints). */
export function asInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}
