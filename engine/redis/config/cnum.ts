/**
 * Number parsing and printing with the exact acceptance rules Redis 7.0 applies to
 * configuration values (string2ll, memtoull, strtoll, strtod) and the printing used by
 * CONFIG GET / CONFIG REWRITE. 64-bit values are bigints.
 */
import { isCSpace } from './tokenizer.ts';

export const INT_MIN = -2147483648n;
export const INT_MAX = 2147483647n;
export const UINT_MAX = 4294967295n;
export const LLONG_MIN = -9223372036854775808n;
export const LLONG_MAX = 9223372036854775807n;
export const ULLONG_MAX = 18446744073709551615n;

const LONG_STR_SIZE = 21;

export function asInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

export function asUint64(v: bigint): bigint {
  return BigInt.asUintN(64, v);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** Strict signed 64-bit decimal: no blanks, no '+', no leading zeros, no overflow. */
export function string2ll(s: string): bigint | null {
  if (s.length === 0 || s.length >= LONG_STR_SIZE) return null;
  if (s === '0') return 0n;
  let i = 0;
  const negative = s[0] === '-';
  if (negative) {
    i++;
    if (i === s.length) return null;
  }
  if (!(s[i]! >= '1' && s[i]! <= '9')) return null;
  for (let j = i; j < s.length; j++) if (!isDigit(s[j])) return null;
  const v = BigInt(s.slice(i));
  if (negative) return v > -LLONG_MIN ? null : -v;
  return v > LLONG_MAX ? null : v;
}

const UNITS: Record<string, bigint> = {
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
 * A memory value: digits followed by an optional unit (b, k, kb, m, mb, g, gb; any case).
 * An empty digit string counts as 0; a too large number saturates before the unit is
 * applied and the product wraps at 2^64, as in C.
 */
export function memtoull(s: string): bigint | null {
  if (s[0] === '-') return null;
  let i = 0;
  while (isDigit(s[i])) i++;
  const mul = UNITS[s.slice(i).toLowerCase()];
  if (mul === undefined) return null;
  if (i >= 128) return null;
  let val = i === 0 ? 0n : BigInt(s.slice(0, i));
  if (val > ULLONG_MAX) val = ULLONG_MAX;
  return asUint64(val * mul);
}

export interface StrtollResult {
  value: bigint;
  /** Characters left after the number (the whole input when no digit was read). */
  rest: string;
  overflow: boolean;
}

/** Leading blanks, optional sign, then as many digits in `base` as there are; `end` is the index after them. */
function scanInteger(s: string, base: 8 | 10 = 10): { negative: boolean; digits: string; end: number } {
  let i = 0;
  while (isCSpace(s[i])) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const start = i;
  const maxDigit = base === 8 ? '7' : '9';
  while (i < s.length && s[i]! >= '0' && s[i]! <= maxDigit) i++;
  return { negative, digits: s.slice(start, i), end: i };
}

/** C strtoll(): leading blanks, optional sign, digits in `base` (8 or 10), saturating. */
export function strtoll(s: string, base: 8 | 10 = 10): StrtollResult {
  const { negative, digits, end } = scanInteger(s, base);
  if (digits.length === 0) return { value: 0n, rest: s, overflow: false };
  let v = base === 8 ? BigInt('0o' + digits) : BigInt(digits);
  if (negative) v = -v;
  let overflow = false;
  if (v > LLONG_MAX) {
    v = LLONG_MAX;
    overflow = true;
  } else if (v < LLONG_MIN) {
    v = LLONG_MIN;
    overflow = true;
  }
  return { value: v, rest: s.slice(end), overflow };
}

const DECIMAL_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?\d+)?$/;
const INF_WORD = /^[+-]?(inf|infinity)$/i;

function parseHexFloat(m: RegExpExecArray): number {
  const [intPart, fracPart = ''] = m[2]!.split('.');
  const mantissa = parseInt((intPart || '0') + fracPart, 16);
  const exp = (m[3] ? parseInt(m[3].slice(1), 10) : 0) - 4 * fracPart.length;
  const v = mantissa * Math.pow(2, exp);
  return m[1] === '-' ? -v : v;
}

/** Redis string2d(): a whole-string strtod() that refuses NaN, blanks and overflow. */
export function string2d(s: string): number | null {
  if (s.length === 0 || isCSpace(s[0])) return null;
  let v: number;
  if (DECIMAL_FLOAT.test(s)) v = Number(s);
  else if (INF_WORD.test(s)) v = s.startsWith('-') ? -Infinity : Infinity;
  else {
    const hex = HEX_FLOAT.exec(s);
    if (!hex) return null;
    v = parseHexFloat(hex);
  }
  if (Number.isNaN(v)) return null;
  // strtod reports ERANGE for overflow to infinity and for underflow to zero
  if (!Number.isFinite(v) && !INF_WORD.test(s)) return null;
  if (v === 0 && /[1-9]/.test(s.replace(/[eEpP][+-]?\d+$/, '').replace(/^[+-]?0[xX]/, ''))) return null;
  return v;
}

/** "%lld" of a value seen as signed 64-bit. */
export function formatSigned(v: bigint): string {
  return asInt64(v).toString();
}

/** "%llu" of a value seen as unsigned 64-bit. */
export function formatUnsigned(v: bigint): string {
  return asUint64(v).toString();
}

/** "%llo". */
export function formatOctal(v: bigint): string {
  return asUint64(v).toString(8);
}

const GB = 1024n * 1024n * 1024n;
const MB = 1024n * 1024n;
const KB = 1024n;

/** How CONFIG REWRITE writes a byte count (the value is taken as signed 64-bit). */
export function formatMemory(bytes: bigint): string {
  const b = asInt64(bytes);
  if (b !== 0n && b % GB === 0n) return `${b / GB}gb`;
  if (b !== 0n && b % MB === 0n) return `${b / MB}mb`;
  if (b !== 0n && b % KB === 0n) return `${b / KB}kb`;
  return b.toString();
}

/** Exact value of a finite double as numerator / 2^shift. */
function exactBinary(v: number): { num: bigint; shift: bigint } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  if (exp >= 0) return { num: sign * (mant << BigInt(exp)), shift: 0n };
  return { num: sign * mant, shift: BigInt(-exp) };
}

/** printf("%f", v): six decimals, rounded half to even on the exact binary value. */
export function formatFixed6(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  const { num, shift } = exactBinary(v);
  const negative = num < 0n || Object.is(v, -0);
  const scaled = (num < 0n ? -num : num) * 1000000n;
  const den = 1n << shift;
  let q = scaled / den;
  const r2 = (scaled % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(7, '0');
  const text = `${digits.slice(0, -6)}.${digits.slice(-6)}`;
  return negative ? `-${text}` : text;
}

/** Redis trimDoubleString(): drop trailing zeros (and the dot) after a decimal point. */
export function trimDouble(s: string): string {
  if (!s.includes('.')) return s;
  let end = s.length;
  while (s[end - 1] === '0') end--;
  if (s[end - 1] === '.') end--;
  return s.slice(0, end);
}

/**
 * C atoi() as glibc implements it: strtol() (saturating at the 64-bit limits) truncated to a
 * 32-bit int. Garbage gives 0, trailing garbage is ignored (sentinel.conf's numbers).
 */
export function atoi(s: string): number {
  const { negative, digits } = scanInteger(s);
  // up to 15 digits is exact as a double and never saturates strtoll: `| 0` wraps to 32 bits as the cast does
  if (digits.length <= 15) return (negative ? -Number(digits) : Number(digits)) | 0;
  return Number(BigInt.asIntN(32, strtoll(s).value));
}

/** C strtoull(s, NULL, 10): saturates at 2^64-1, a minus sign negates modulo 2^64. */
export function strtoull(s: string): bigint {
  const { negative, digits } = scanInteger(s);
  if (digits.length === 0) return 0n;
  const v = BigInt(digits);
  if (v > ULLONG_MAX) return ULLONG_MAX;
  return negative ? BigInt.asUintN(64, -v) : v;
}
