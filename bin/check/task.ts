// One property run as a worker task (and in-process): seed → case → run → checks, reduced to what the
// main thread needs (structured-clone safe, small).
import { caseForSeed, type CaseOptions } from '../../engine/check/property/generators.ts';
import { runCase } from '../../engine/check/property/run.ts';
import { nodeSha256 } from '../nodeHash.ts';

export interface RunTask {
  seed: number;
  properties: string[];
  caseOptions: CaseOptions;
}

export interface RunReport {
  seed: number;
  /** Property name → ok (the pseudo-property 'run' appears when the script threw). */
  verdicts: Record<string, boolean>;
  /** Reports of the failed properties. */
  failures: { name: string; report: string }[];
  coverage: string[];
  /** Data accounting of the run, when it had clients and a final read. */
  data: { class: string; acknowledged: number; lost: number } | null;
  steps: number;
  virtualMs: number;
  wallMs: number;
}

export function runTask(task: RunTask): RunReport {
  const t0 = performance.now();
  const c = caseForSeed(task.seed, task.caseOptions);
  const o = runCase(c, { seed: String(task.seed), properties: task.properties, hasher: nodeSha256 });
  const verdicts: Record<string, boolean> = {};
  for (const r of o.results) verdicts[r.name] = r.ok;
  const d = o.results.find((r) => r.name === 'data');
  const fig = d?.figures;
  return {
    seed: task.seed,
    verdicts,
    failures: o.results.filter((r) => !r.ok).map((r) => ({ name: r.name, report: r.report })),
    coverage: o.coverage,
    data: fig && typeof fig.acknowledged === 'number' ? { class: String(fig.class), acknowledged: Number(fig.acknowledged), lost: Number(fig.lost) } : null,
    steps: c.steps.length,
    virtualMs: o.endMs,
    wallMs: performance.now() - t0,
  };
}
