// `sentinel-sim compare <scenario>`: N simulated seeds and M real runs (or recorded ones, --real-from) of a
// scenario, compared milestone by milestone after each fault; a table on stdout, the same as JSON with --json.
// Exit 0 every verdict holds, 1 one fails, 2 bad usage / scenario / a real run that cannot start, 130 / 143 interrupted.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { CliError } from '../errors.ts';
import { errLine, Out } from '../run/out.ts';
import { removeAtExit, type Interrupt } from '../run/signals.ts';
import type { LoadedScenario } from '../run/load.ts';
import { compareRuns } from './compare.ts';
import { isDisruptive, isHeal } from './extract.ts';
import type { Comparison, RunInput, ScenarioParams } from './model.ts';
import { headerFromSpec, paramsOf, scenarioParams } from './params.ts';
import { renderComparison } from './render.ts';
import { loadRealRunner, realToInput, runSimulated, type RunReal } from './runs.ts';
import type { FaultRecord } from '../../engine/trace/types.ts';
import type { ClusterSpec } from '../../scenarios/api/spec.ts';

export interface CompareOptions {
  seeds: number;
  /** Undefined: 3, or 0 with --real-from. */
  repeats?: number;
  seed?: string;
  json?: string;
  realFrom?: string;
  /** A directory of real runs saved by --save-real (RunInput JSON files): they count as real runs, before any new one. */
  realRuns?: string;
  /** Save each new real run as JSON in this directory (created), so a later compare can re-judge it (--real-runs). */
  saveReal?: string;
  quiet?: boolean;
}

export const DEFAULT_SEEDS = 10;
export const DEFAULT_REPEATS = 3;

/** Seeds first, first + 1, … (a numeric seed), or first, first-2, first-3, … */
export function seedList(first: string, n: number): string[] {
  const numeric = /^\d+$/.test(first);
  return Array.from({ length: n }, (_, i) => (numeric ? String(BigInt(first) + BigInt(i)) : i === 0 ? first : `${first}-${i + 1}`));
}

const progress = (quiet: boolean | undefined, s: string) => {
  if (!quiet) errLine(null, `sentinel-sim: compare: ${s}`);
};

/** Write `text` to `path` atomically: a temporary file in the same directory, renamed over it when complete. */
export function writeAtomic(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const cancel = removeAtExit(temp);
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new CliError(`cannot write '${path}': ${(e as Error).message}`, 2);
  } finally {
    cancel();
  }
}

async function specOf(loaded: LoadedScenario, seed: string): Promise<ClusterSpec> {
  const [{ scenarioSpec }, { ScenarioConfigError }] = await Promise.all([import('../../scenarios/api/runner.ts'), import('../../scenarios/api/configs.ts')]);
  try {
    return scenarioSpec(loaded.scenario, seed, loaded.readFile);
  } catch (e) {
    if (e instanceof ScenarioConfigError) throw new CliError(e.fatal.split('\n').filter((l) => l.trim() !== '')[0] ?? e.message, 2);
    throw new CliError(`scenario '${loaded.scenario.name}': ${(e as Error)?.message ?? String(e)}`, 2);
  }
}

/** Recorded real runs (test/fixtures/oracle/results/*.json), timed from the simulated runs' first fault. */
async function recordedRuns(path: string, sim: RunInput[], spec: ClusterSpec, p: ScenarioParams, scenario: string): Promise<RunInput[]> {
  const { readOracleFile, oracleInputs } = await import('./oracle.ts');
  let file;
  try {
    file = readOracleFile(path);
  } catch (e) {
    throw new CliError(`cannot read recorded runs '${path}': ${(e as Error).message}`, 2);
  }
  const ref = sim[0]!;
  const faults = ref.records.filter((r): r is FaultRecord => r.k === 'fault');
  const fault = faults.find(isDisruptive);
  if (!fault) throw new CliError(`--real-from: scenario '${scenario}' has no fault to time the recorded runs from`, 2);
  const heal = faults.find((f) => isHeal(f) && f.t > fault.t);
  const name = p.masterName;
  const master = p.initialMaster;
  const first = Object.keys(p.sentinels)[0];
  const sentinelIp = first ? first.slice(0, first.lastIndexOf(':')) : '127.0.0.1';
  return oracleInputs(file, {
    header: headerFromSpec(spec, scenario, ''),
    fault: { fault: fault.fault, ...(fault.target ? { target: fault.target } : {}), atUs: fault.t },
    ...(heal ? { heal: { fault: heal.fault, ...(heal.target ? { target: heal.target } : {}) } } : {}),
    ...(name && master ? { monitor: { name, addr: master, quorum: (first ? paramsOf(p, first).quorum : null) ?? 1 } } : {}),
    sentinelIp,
  });
}

/** Real runs saved by --save-real in `dir` (real-1.json, real-2.json, …), in their order. */
export function savedRealRuns(dir: string): RunInput[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => /^real-\d+\.json$/.test(f))
    .sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  return files.map((f) => {
    let run: RunInput;
    try {
      run = JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunInput;
    } catch (e) {
      throw new CliError(`cannot read saved real run '${join(dir, f)}': ${(e as Error).message}`, 2);
    }
    if (run?.kind !== 'real' || !Array.isArray(run.records) || !run.header)
      throw new CliError(`'${join(dir, f)}' is not a saved real run (written by compare --save-real)`, 2);
    return run;
  });
}

/** Saves a real run as the next real-N.json of `dir`. */
function saveRealRun(dir: string, run: RunInput): void {
  mkdirSync(dir, { recursive: true });
  const n = savedRealRuns(dir).length + 1;
  writeAtomic(join(dir, `real-${n}.json`), JSON.stringify(run) + '\n');
}

async function realRuns(loaded: LoadedScenario, m: number, seeds: string[], opts: CompareOptions, intr: Interrupt | undefined, runReal: RunReal | undefined): Promise<RunInput[]> {
  if (m === 0 || !runReal) return [];
  const out: RunInput[] = [];
  const abort = new AbortController();
  intr?.onSignal(() => abort.abort());
  for (let i = 0; i < m; i++) {
    const label = `real ${i + 1}`;
    const t0 = Date.now();
    let nextNote = t0 + 5000;
    progress(opts.quiet, `${label} of ${m}: starting redis-server processes`);
    let result;
    try {
      result = await runReal(loaded, {
        seed: seeds[0],
        signal: abort.signal,
        onRecord: (r) => {
          if (Date.now() < nextNote) return;
          nextNote = Date.now() + 5000;
          progress(opts.quiet, `${label} of ${m}: ${(r.t / 1e6).toFixed(1)} s into the scenario`);
        },
      });
    } catch (e) {
      if (intr?.signal) throw e;
      throw new CliError(`${label} of ${m} failed to start: ${(e as Error)?.message ?? String(e)}`, 2);
    }
    const run = realToInput(result, label, seeds[0]!);
    if (opts.saveReal !== undefined) saveRealRun(opts.saveReal, run);
    out.push(run);
    progress(opts.quiet, `${label} of ${m}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s (${result.status})`);
  }
  return out;
}

/** Runs the comparison; returns it (the command prints it). `runReal` replaces bin/real's (tests). */
export async function runComparison(file: string, opts: CompareOptions, intr?: Interrupt, runReal?: RunReal): Promise<{ comparison: Comparison; sim: RunInput[]; real: RunInput[] }> {
  if (opts.realFrom !== undefined && opts.repeats !== undefined && opts.repeats > 0)
    throw Object.assign(new CliError('--real-from and --repeats: choose one source of real runs', 2), { usage: true });
  const { loadScenario } = await import('../run/load.ts');
  const loaded = await loadScenario(file);
  const m = opts.realFrom !== undefined || (opts.realRuns !== undefined && opts.repeats === undefined) ? 0 : (opts.repeats ?? DEFAULT_REPEATS);
  // the real runner before the simulated runs: a missing one fails at once
  const runner = m > 0 ? (runReal ?? (await loadRealRunner())) : undefined;
  const first = opts.seed ?? String(loaded.scenario.seed ?? 1);
  const seeds = seedList(first, opts.seeds);
  const spec = await specOf(loaded, seeds[0]!);
  const params = scenarioParams(spec);
  const sim: RunInput[] = [];
  for (const [i, seed] of seeds.entries()) {
    // a run holds the thread: let a trapped Ctrl-C be seen between two
    await new Promise((res) => setImmediate(res));
    if (intr?.signal) throw new CliError('', intr.exitCode);
    const t0 = Date.now();
    const r = await runSimulated(loaded, seed);
    sim.push(r);
    progress(opts.quiet, `simulated seed ${seed} (${i + 1}/${seeds.length}) in ${((Date.now() - t0) / 1000).toFixed(1)} s (${r.status})`);
  }
  let real: RunInput[];
  let realSource: string;
  if (opts.realFrom !== undefined) {
    real = await recordedRuns(opts.realFrom, sim, spec, params, loaded.scenario.name);
    realSource = `recorded: ${relative(process.cwd(), opts.realFrom) || opts.realFrom}`;
  } else {
    const saved = opts.realRuns !== undefined ? savedRealRuns(opts.realRuns).map((r, i) => ({ ...r, label: `real ${i + 1}` })) : [];
    const fresh = await realRuns(loaded, m, seeds, opts, intr, runner);
    real = [...saved, ...fresh.map((r, i) => ({ ...r, label: `real ${saved.length + i + 1}` }))];
    realSource = real.length > 0 ? 'redis-server' : 'none';
  }
  const comparison = compareRuns({ scenario: loaded.scenario.name, params, sim, real, realSource });
  return { comparison, sim, real };
}

export async function compareCommand(file: string, opts: CompareOptions, intr?: Interrupt): Promise<number> {
  let comparison: Comparison;
  try {
    ({ comparison } = await runComparison(file, opts, intr));
  } catch (e) {
    if (intr?.signal) {
      errLine(null, `sentinel-sim: compare: interrupted by ${intr.signal}`);
      return intr.exitCode;
    }
    throw e;
  }
  const out = new Out();
  for (const l of renderComparison(comparison)) out.line(l);
  out.flush();
  if (opts.json !== undefined) writeAtomic(opts.json, JSON.stringify(comparison, null, 2) + '\n');
  return comparison.ok ? 0 : 1;
}
