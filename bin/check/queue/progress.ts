// The coordinator's progress line: a bar, done/total, failing runs so far, runs/s across every worker (since
// this coordinator started following: a resumed search's earlier runs are not counted in the rate), and ETA.

export interface ProgressState {
  done: number;
  total: number;
  failing: number;
  /** Seeds already done when this coordinator started (a resumed search). */
  doneAtStart: number;
  elapsedMs: number;
}

const WIDTH = 24;

export function clockText(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

/** "check: [#########...............] 37/100 runs, 2 failing so far, 5.3 runs/s across workers, ETA 0:12" */
export function progressLine(p: ProgressState): string {
  const frac = p.total === 0 ? 1 : Math.min(1, p.done / p.total);
  const filled = Math.round(frac * WIDTH);
  const rate = (p.done - p.doneAtStart) / Math.max(0.001, p.elapsedMs / 1000);
  const eta = p.done >= p.total ? 0 : rate > 0 ? (p.total - p.done) / rate : Infinity;
  return `check: [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${p.done}/${p.total} runs, ${p.failing} failing so far, ${rate.toFixed(1)} runs/s across workers, ETA ${clockText(eta)}`;
}
