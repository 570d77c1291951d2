// Application hosts (issue 18): the wall time of the ioredis example (scenarios/apps/ioredis-tutorial-failover.ts:
// real ioredis in a guest thread, one SADD per 10 ms through the tutorial failover) against the same failover
// without the application (scenarios/tutorial-failover.ts), and its speed in virtual seconds per wall second.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario, type Scenario } from '../scenarios/api/index.ts';
import { nodeSha256 } from '../bin/nodeHash.ts';
import appScenario from '../scenarios/apps/ioredis-tutorial-failover.ts';
import tutorial from '../scenarios/tutorial-failover.ts';
import { wallMs, type Figure } from './figures.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../scenarios');

function timeRun(sc: Scenario, dir: string): { ms: number; virtualS: number; status: string } {
  const t0 = wallMs();
  const r = runScenario(sc, { readFile: (p) => readFileSync(resolve(dir, p), 'utf8'), hasher: nodeSha256, ring: 1024 });
  return { ms: wallMs() - t0, virtualS: r.sim.now / 1e6, status: r.status };
}

const best = (xs: number[]) => Math.min(...xs);

export function appFigures(): Figure[] {
  timeRun(tutorial, root); // JIT warm-up
  const base = best([0, 1, 2].map(() => timeRun(tutorial, root).ms));
  const runs = [0, 1].map(() => timeRun(appScenario, resolve(root, 'apps')));
  if (runs.some((r) => r.status !== 'ok')) throw new Error('the ioredis example did not pass');
  const ms = best(runs.map((r) => r.ms));
  return [
    { name: 'app-tutorial-failover-ms', value: Math.round(ms), unit: `ms (bare ${Math.round(base)})`, target: `<= ${Math.round(3 * base)}` },
    { name: 'app-x-realtime', value: runs[0]!.virtualS / (ms / 1000), unit: 'virtual s / s', target: '>= 1' },
  ];
}
