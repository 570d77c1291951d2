// One property run as a worker task (and in-process): seed → case → run → checks, reduced to what the
// main thread needs (structured-clone safe, small). Extra checkers come from a module (`--checkers`).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { caseForSeed, type CaseOptions } from '../../engine/check/property/generators.ts';
import { runCase } from '../../engine/check/property/run.ts';
import type { CheckerTable } from '../../engine/check/property/verdict.ts';
import { nodeSha256 } from '../nodeHash.ts';
import { importUserModule } from '../run/import-user.ts';
import { CliError } from '../errors.ts';
// `check --app`: application hosts in the cases need the guest runtime (a worker thread per run)
import '../guest/index.ts';

export interface RunTask {
  seed: number;
  properties: string[];
  caseOptions: CaseOptions;
  /** Absolute path of a module exporting `checkers: Record<name, Checker>`, or null. */
  checkerModule: string | null;
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
  sha256: string;
  steps: number;
  virtualMs: number;
  wallMs: number;
}

const modules = new Map<string, Promise<CheckerTable>>();

/** The `checkers` export of a module (loaded once per thread); a missing or malformed module is a usage error. */
export function loadCheckers(path: string | null): Promise<CheckerTable> {
  if (path === null) return Promise.resolve({});
  const abs = resolve(path);
  let p = modules.get(abs);
  if (!p) {
    p = (async () => {
      if (!existsSync(abs)) throw new CliError(`--checkers: no such file '${path}'`, 2);
      let mod: { checkers?: unknown };
      try {
        // JavaScript as is, TypeScript through tsx (loaded on first use, as for scenario files)
        mod = await importUserModule(abs);
      } catch (e) {
        const msg = e instanceof Error ? e.message.split('\n').filter((l) => l.trim() !== '').slice(0, 3).join(' ') : String(e);
        throw new CliError(`--checkers: cannot load '${path}': ${msg}`, 2);
      }
      const c = mod.checkers;
      if (typeof c !== 'object' || c === null || Object.values(c).some((f) => typeof f !== 'function'))
        throw new CliError(`--checkers: '${path}' must export \`checkers\`, an object of checker functions by property name`, 2);
      return c as CheckerTable;
    })();
    modules.set(abs, p);
  }
  return p;
}

export async function runTask(task: RunTask): Promise<RunReport> {
  const checkers = await loadCheckers(task.checkerModule);
  const t0 = performance.now();
  const c = caseForSeed(task.seed, task.caseOptions);
  const o = runCase(c, { seed: String(task.seed), properties: task.properties, hasher: nodeSha256, checkers });
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
    sha256: o.sha256,
    steps: c.steps.length,
    virtualMs: o.endMs,
    wallMs: performance.now() - t0,
  };
}
