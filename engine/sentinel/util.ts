// C-style number parsing used by Sentinel (atoi, strtoull, string2ll) and the ctime() format.
import { civilFromDays } from '../trace/logformat.ts';

/** atoi(): leading blanks, optional sign, digits; anything else stops; no digits → 0. */
export function atoi(s: string): number {
  const d = plainDigits(s);
  if (d >= 0) return d <= 2147483647 ? d : 2147483647;
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  // int overflow is undefined in C; clamp to 32 bits like a typical libc
  return Math.max(-2147483648, Math.min(2147483647, n));
}

/** strtoull(s, NULL, 10) as a JS number (epochs stay far below 2^53). */
export function strtoull(s: string): number {
  const d = plainDigits(s);
  if (d >= 0) return d;
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[2]);
  return m[1] === '-' ? -n : n;
}

/** The value of a string of 1 to 15 decimal digits and nothing else (the common case), else -1. */
function plainDigits(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** strtoll(s, NULL, 10). */
export function strtoll(s: string): number {
  return strtoull(s);
}

/** string2ll(): the strict parse of getLongLongFromObject; null when not a valid integer. */
export function string2ll(s: string): number | null {
  if (s.length === 0 || s.length > 20) return null;
  if (s === '0') return 0;
  if (!/^-?[1-9]\d*$/.test(s)) return null;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return null;
  return Number(n);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => (n < 10 ? '0' : '') + n;

/** ctime_r() without the newline, in UTC: "Wed Nov 25 02:31:21 2026". */
export function ctime(unixSeconds: number): string {
  const days = Math.floor(unixSeconds / 86400);
  const secs = unixSeconds - days * 86400;
  const { y, m, d } = civilFromDays(days);
  const wd = DAYS[(((days + 4) % 7) + 7) % 7]!;
  const dd = d < 10 ? ` ${d}` : `${d}`;
  const hh = Math.floor(secs / 3600);
  const mi = Math.floor((secs % 3600) / 60);
  return `${wd} ${MONTHS[m - 1]} ${dd} ${p2(hh)}:${p2(mi)}:${p2(secs % 60)} ${y}`;
}
