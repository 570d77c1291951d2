// Running the seeds of a search: on tinypool worker threads (one independent run per task), or in this
// thread with --workers 0. Which properties a seed checks depends only on the seed, never on the shard or
// the worker that runs it, so shards add up to the whole range.
import Tinypool from 'tinypool';
import type { ResolvedOptions } from './options.ts';
import { runTask, type RunReport, type RunTask } from './task.ts';

/** The task of one seed: determinism only on every k-th seed of the range (it doubles the cost). */
export function taskFor(seed: number, o: ResolvedOptions): RunTask {
  const onlyDeterminism = o.properties.length === 1 && o.properties[0] === 'determinism';
  const j = seed - o.seed;
  const props = o.properties.filter((p) => p !== 'determinism' || onlyDeterminism || j % o.determinismEvery === 0);
  return { seed, properties: props, caseOptions: { scheduleMs: o.scheduleMs, ...(o.topology ? { topology: o.topology } : {}), ...(o.app ? { app: { module: o.app } } : {}) }, checkerModule: o.checkerModule };
}

/**
 * A pool of `workers` threads running bin/check/worker.ts. A run allocates many short-lived records: a larger
 * young generation than the default cuts the time spent in scavenges (about a quarter of the GC time).
 */
export function openPool(workers: number): Tinypool {
  return new Tinypool({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 1000,
    resourceLimits: { maxYoungGenerationSizeMb: 96 },
  });
}

export interface RunSeedsOptions {
  /** Wall clock in ms. */
  now: () => number;
  /** An open pool to use (left open); else one is opened and closed when workers > 0. */
  pool?: Tinypool;
}

/** Run the seeds, calling back as each report arrives; stops starting runs once the time budget is spent. */
export async function runSeeds(seeds: readonly number[], o: ResolvedOptions, ro: RunSeedsOptions, onReport: (r: RunReport) => void): Promise<{ stoppedByBudget: boolean }> {
  const t0 = ro.now();
  const overBudget = () => ro.now() - t0 > o.timeBudgetMs;
  let stopped = false;
  if (o.workers === 0 && !ro.pool) {
    for (const seed of seeds) {
      if (overBudget()) {
        stopped = true;
        break;
      }
      onReport(await runTask(taskFor(seed, o)));
    }
    return { stoppedByBudget: stopped };
  }
  const pool = ro.pool ?? openPool(o.workers);
  const lanes = ro.pool ? ro.pool.options.maxThreads : o.workers;
  try {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < seeds.length) {
        if (overBudget()) {
          stopped = true;
          return;
        }
        const seed = seeds[next++]!;
        onReport((await pool.run(taskFor(seed, o))) as RunReport);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  } finally {
    if (!ro.pool) await pool.destroy();
  }
  return { stoppedByBudget: stopped };
}
