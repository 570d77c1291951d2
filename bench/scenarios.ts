// Scenario library benchmarks (issue 6, Benchmark): the wall time of every scenarios/*.ts run in-process
// as `sentinel-sim run` runs it (same trace detail, ring and hasher; tsx start-up excluded), and the
// tutorial failover's speed in virtual seconds per wall second (real Redis runs it in real time, so this
// is also the speed-up over the same run on real Redis).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isScenario, runScenario, type Scenario } from '../scenarios/api/index.ts';
import { nodeSha256 } from '../bin/nodeHash.ts';
import { wallMs, type Figure } from './figures.ts';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../scenarios');
const requireTs = createRequire(import.meta.url);
const readFile = (p: string) => readFileSync(resolve(dir, p), 'utf8');

/** Every scenario file of the library, by file name (without .ts). */
function library(): [string, Scenario][] {
  const out: [string, Scenario][] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts')).sort()) {
    const mod = requireTs(resolve(dir, f)) as { default?: unknown };
    if (isScenario(mod.default)) out.push([f.replace(/\.ts$/, ''), mod.default]);
  }
  return out;
}

/** One run as the CLI does it; its wall ms, virtual seconds and status. */
function timeRun(sc: Scenario): { ms: number; virtualS: number; status: string } {
  const t0 = wallMs();
  const r = runScenario(sc, { readFile, hasher: nodeSha256, ring: 1024 });
  const ms = wallMs() - t0;
  return { ms, virtualS: r.sim.now / 1e6, status: r.status };
}

const RUNS = 3;

export function scenarioFigures(): Figure[] {
  const scenarios = library();
  const figures: Figure[] = [];
  // warm the JIT once so the first scenario is not charged for it
  const tutorial = scenarios.find(([n]) => n === 'tutorial-failover');
  if (tutorial) timeRun(tutorial[1]);
  for (const [name, sc] of scenarios) {
    const runs = Array.from({ length: RUNS }, () => timeRun(sc)).sort((a, b) => a.ms - b.ms);
    const med = runs[Math.floor(RUNS / 2)]!;
    const failed = runs.some((r) => r.status !== 'ok') ? ', FAILED' : '';
    figures.push({ name: `scenario-${name}-ms`, value: Math.round(med.ms), unit: `ms (${med.virtualS.toFixed(0)} virtual s${failed})`, target: '< 1000' });
    if (name === 'tutorial-failover')
      figures.push({ name: 'tutorial-failover-x-realtime', value: Math.round(med.virtualS / (med.ms / 1000)), unit: `x (${med.virtualS.toFixed(1)} virtual s in ${med.ms.toFixed(0)} ms)`, target: '>= 100' });
  }
  return figures;
}
