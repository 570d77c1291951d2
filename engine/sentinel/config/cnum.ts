/**
 * Number parsing and formatting with C / Redis semantics, using BigInt where 64-bit
 * behaviour matters.
 */

// string2ll, memtoull, string2d and the printers are the server's (engine/redis/config/cnum.ts).
import { formatFixed6, trimDouble } from '../../redis/config/cnum.ts';
import { isCSpace } from '../../redis/config/tokenizer.ts';

export { asInt64, formatMemory, memtoull, string2d, string2ll } from '../../redis/config/cnum.ts';

/** printf("%f") followed by Redis trimDoubleString(): 99.9 -> "99.9", 50 -> "50". */
export function formatTrimmedDouble(v: number): string {
  return trimDouble(formatFixed6(v));
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

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

/** Redis yesnotoi(): 1 for yes, 0 for no (any case), -1 otherwise. */
export function yesnotoi(s: string): 1 | 0 | -1 {
  const l = s.toLowerCase();
  if (l === 'yes') return 1;
  if (l === 'no') return 0;
  return -1;
}

