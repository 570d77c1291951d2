// Property-testing benchmarks (issue 7): runs per second of `sentinel-sim check` on its worker pool, for
// 2-minute virtual schedules on a 3 + 3 cluster (1 master, 2 replicas, 3 Sentinels; generated workloads and
// fault schedules, every property, determinism on every 8th seed), with two workers, and the speedup of
// two workers over one on the same seeds. The pool is async, so the measurement runs in a child process
// (this file with --child) and prints its figures as JSON lines.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Topology } from '../engine/check/property/case.ts';
import { resolveOptions } from '../bin/check/options.ts';
import { openPool, runSeeds } from '../bin/check/pool.ts';
import type { Figure } from './figures.ts';

const TOPOLOGY: Topology = {
  replicas: 2,
  sentinels: 3,
  quorum: 2,
  downAfterMs: 5000,
  failoverTimeoutMs: 10000,
  parallelSyncs: 1,
  persistence: 'none',
  minReplicasToWrite: 0,
  minReplicasMaxLag: 10,
  priorities: [100, 100, 100],
};
const RUNS = 48;
const FIRST_SEED = 1000;

/** Runs per second of `workers` warm threads over the same seeds. */
async function rate(workers: number): Promise<{ perS: number; virtualS: number; failures: number }> {
  const o = resolveOptions({ runs: RUNS, seed: FIRST_SEED, workers, topology: TOPOLOGY, known: false });
  const pool = openPool(workers);
  try {
    // warm-up: every thread loads the engine and runs once
    const warm = resolveOptions({ runs: 2 * workers, seed: 1, workers, topology: TOPOLOGY, known: false });
    await runSeeds(Array.from({ length: 2 * workers }, (_, i) => 1 + i), warm, { now: () => performance.now(), pool }, () => {});
    let virtualMs = 0;
    let failures = 0;
    const seeds = Array.from({ length: RUNS }, (_, i) => FIRST_SEED + i);
    const t0 = performance.now();
    await runSeeds(seeds, o, { now: () => performance.now(), pool }, (r) => {
      virtualMs += r.virtualMs;
      if (r.failures.length > 0) failures++;
    });
    const s = (performance.now() - t0) / 1000;
    return { perS: RUNS / s, virtualS: virtualMs / 1000 / RUNS, failures };
  } finally {
    await pool.destroy();
  }
}

async function child(): Promise<void> {
  const two = await rate(2);
  const one = await rate(1);
  const figures: Figure[] = [
    {
      name: 'property-runs-per-s',
      value: Math.round(two.perS * 10) / 10,
      unit: `runs/s (2 workers, 3+3, ${two.virtualS.toFixed(0)} virtual s/run, ${RUNS} runs${two.failures ? `, ${two.failures} failing` : ''})`,
      target: '>= 20',
    },
    { name: 'property-2-worker-speedup', value: Math.round((two.perS / one.perS) * 100) / 100, unit: `x (1 worker: ${one.perS.toFixed(1)} runs/s)`, target: '>= 1.6' },
  ];
  for (const f of figures) console.log(JSON.stringify(f));
}

export function propertyFigures(): Figure[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Figure);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--child')) await child();
