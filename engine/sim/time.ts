// Virtual time is integer microseconds (design.md, engine/sim).

export type Micros = number;

export const US_PER_MS = 1000;
export const US_PER_S = 1_000_000;

export const ms = (n: number): Micros => Math.round(n * US_PER_MS);
export const sec = (n: number): Micros => Math.round(n * US_PER_S);

const UNIT_US: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000, m: 60_000_000, min: 60_000_000, h: 3_600_000_000 };

/**
 * Parse a duration: a number (milliseconds) or a string such as "1500ms", "5s", "2m", "1h", "250us",
 * or a clock form "00:01:30" / "01:30" / "01:30.250". Returns microseconds.
 */
export function parseDuration(d: number | string): Micros {
  if (typeof d === 'number') {
    if (!Number.isFinite(d) || d < 0) throw new Error(`invalid duration ${d}`);
    return ms(d);
  }
  const s = d.trim();
  if (/^\d+(:\d{1,2}){1,2}(\.\d+)?$/.test(s)) {
    const parts = s.split(':').map(Number);
    let secs = 0;
    for (const p of parts) secs = secs * 60 + p;
    return Math.round(secs * US_PER_S);
  }
  const m = /^(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|min|h)?$/.exec(s);
  if (!m) throw new Error(`invalid duration '${d}' (expected e.g. 1500ms, 5s, 2m, 00:01:30)`);
  const unit = m[2] ?? 'ms';
  return Math.round(Number(m[1]) * UNIT_US[unit]!);
}

/** "00:01:30.250" style rendering of a virtual instant. */
export function formatClock(t: Micros): string {
  const totalMs = Math.floor(t / 1000);
  const h = Math.floor(totalMs / 3_600_000);
  const m = Math.floor((totalMs % 3_600_000) / 60_000);
  const s = Math.floor((totalMs % 60_000) / 1000);
  const milli = totalMs % 1000;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(h)}:${p2(m)}:${p2(s)}.${String(milli).padStart(3, '0')}`;
}
