// Property-testing benchmarks (issue 7): runs per second of `sentinel-sim check` on its worker pool, for
// 2-minute virtual schedules on a 3 + 3 cluster (1 master, 2 replicas, 3 Sentinels; generated workloads and
// fault schedules, every property, determinism on every 8th seed), with two workers, and the speedup of
// two workers over one on the same seeds (best of a few alternating rounds). The pool is async, so the measurement runs in a child process
// (this file with --child) and prints its figures as JSON lines.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CLUSTER_3_3 } from '../engine/check/property/case.ts';
import { resolveOptions } from '../bin/check/options.ts';
import { openPool, runSeeds } from '../bin/check/pool.ts';
import { childFigures, type Figure } from './figures.ts';

const TOPOLOGY = CLUSTER_3_3;
const RUNS = 20;
const ROUNDS = 3;
const FIRST_SEED = 1000;
/** Warm-up runs per thread: a thread's first runs spend about as much CPU again compiling (V8's helper threads). */
const WARM_RUNS = 6;

type Pool = ReturnType<typeof openPool>;

/** Runs per second of a warm pool over seeds FIRST_SEED.. (the same seeds for every pool). */
async function timeRuns(pool: Pool, workers: number): Promise<{ perS: number; virtualS: number; failures: number; cpuMs: number }> {
  const o = resolveOptions({ runs: RUNS, seed: FIRST_SEED, workers, topology: TOPOLOGY, known: false });
  let virtualMs = 0;
  let failures = 0;
  const seeds = Array.from({ length: RUNS }, (_, i) => FIRST_SEED + i);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await runSeeds(seeds, o, { now: () => performance.now(), pool }, (r) => {
    virtualMs += r.virtualMs;
    if (r.failures.length > 0) failures++;
  });
  const c = process.cpuUsage(c0);
  // CPU of the whole process (every thread: the workers, V8's GC and compiler threads, this one) per run
  return { perS: RUNS / ((performance.now() - t0) / 1000), virtualS: virtualMs / 1000 / RUNS, failures, cpuMs: (c.user + c.system) / 1000 / RUNS };
}

/** A pool whose every thread has loaded the engine and run WARM_RUNS times (the JIT settled). */
async function warmPool(workers: number): Promise<Pool> {
  const pool = openPool(workers);
  const warm = resolveOptions({ runs: WARM_RUNS * workers, seed: 1, workers, topology: TOPOLOGY, known: false });
  await runSeeds(Array.from({ length: WARM_RUNS * workers }, (_, i) => 1 + i), warm, { now: () => performance.now(), pool }, () => {});
  return pool;
}

async function child(): Promise<void> {
  // the machine is shared: alternate the two pools over a few rounds and keep each one's best round
  const two = await warmPool(2);
  const one = await warmPool(1);
  let best2 = { perS: 0, virtualS: 0, failures: 0, cpuMs: 0 };
  let best1 = { perS: 0, virtualS: 0, failures: 0, cpuMs: 0 };
  const cpu2: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const r2 = await timeRuns(two, 2);
      cpu2.push(r2.cpuMs);
      if (r2.perS > best2.perS) best2 = r2;
      const r1 = await timeRuns(one, 1);
      if (r1.perS > best1.perS) best1 = r1;
    }
  } finally {
    await two.destroy();
    await one.destroy();
  }
  const figures: Figure[] = [
    {
      name: 'property-runs-per-s',
      value: Math.round(best2.perS * 10) / 10,
      unit: `runs/s (2 workers, 3+3, ${best2.virtualS.toFixed(0)} virtual s/run, best of ${ROUNDS}×${RUNS} runs${best2.failures ? `, ${best2.failures} failing` : ''})`,
      target: '>= 30',
    },
    { name: 'property-2-worker-speedup', value: Math.round((best2.perS / best1.perS) * 100) / 100, unit: `x (1 worker: ${best1.perS.toFixed(1)} runs/s)`, target: '>= 1.8' },
    // wall-clock figures need a quiet machine; CPU per run (median round) is what a loaded one can still compare.
    // Its target is the runs/s one on 2 cores: 30 runs/s ⇒ at most 2000 / 30 ≈ 66 CPU ms per run
    { name: 'property-cpu-ms-per-run', value: Math.round(cpu2.sort((a, b) => a - b)[cpu2.length >> 1]!), unit: `CPU ms/run (2 workers, whole process, median of ${ROUNDS} rounds, load ${loadavg()[0]!.toFixed(1)})`, target: '<= 66' },
  ];
  for (const f of figures) console.log(JSON.stringify(f));
}

export function propertyFigures(): Figure[] {
  return childFigures(import.meta.url);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--child')) await child();
