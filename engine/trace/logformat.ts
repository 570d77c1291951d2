// Redis's log line format: "<pid>:<role> <dd Mon yyyy HH:MM:SS.mmm> <level> <message>" (sentinel.md §13.1).
import type { LogRecord } from './types.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => (n < 10 ? '0' : '') + n;

/** Civil date (UTC) from days since 1970-01-01 (proleptic Gregorian). */
export function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Days since 1970-01-01 of a civil date (UTC). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Format ms since 1970 as Redis does (in UTC, so output does not depend on the machine). */
export function redisTimestamp(wallMs: number): string {
  const days = Math.floor(wallMs / 86_400_000);
  const inDay = wallMs - days * 86_400_000;
  const { y, m, d } = civilFromDays(days);
  const hh = Math.floor(inDay / 3_600_000);
  const mm = Math.floor((inDay % 3_600_000) / 60_000);
  const ss = Math.floor((inDay % 60_000) / 1000);
  const milli = inDay % 1000;
  return `${p2(d)} ${MONTHS[m - 1]} ${y} ${p2(hh)}:${p2(mm)}:${p2(ss)}.${String(milli).padStart(3, '0')}`;
}

export function formatLogLine(r: Pick<LogRecord, 'pid' | 'role' | 'wall' | 'level' | 'line'>): string {
  return `${r.pid}:${r.role} ${redisTimestamp(r.wall)} ${r.level} ${r.line}`;
}
