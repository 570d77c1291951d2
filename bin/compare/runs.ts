// Running the scenario: simulated seeds (runScenario, in this thread) and real repeats (bin/real's runReal,
// loaded only when asked for), each as a RunInput holding only the records the comparison reads.
import type { KeyframeRecord, TraceRecord } from '../../engine/trace/types.ts';
import type { RunResult } from '../../scenarios/api/runner.ts';
import type { RealResult, RealRunOptions } from '../real/types.ts';
import type { LoadedScenario } from '../run/load.ts';
import { CliError } from '../errors.ts';
import type { RunInput } from './model.ts';

/** Faults, process events, Sentinel log lines, notes: what extract.ts reads (keyframes: only the last is kept). */
export function keepRecord(r: TraceRecord): boolean {
  return r.k === 'fault' || r.k === 'proc' || r.k === 'note' || (r.k === 'log' && r.kind === 'sentinel');
}

/** Records filtered to those kept, the last keyframe appended. */
export function keptRecords(records: Iterable<TraceRecord>): TraceRecord[] {
  const out: TraceRecord[] = [];
  let kf: KeyframeRecord | null = null;
  for (const r of records) {
    if (r.k === 'keyframe') kf = r;
    else if (keepRecord(r)) out.push(r);
  }
  if (kf) out.push(kf);
  return out;
}

/** One simulated run of the scenario with this seed. Setup and config errors are thrown as CliError (exit 2). */
export async function runSimulated(loaded: LoadedScenario, seed: string, label = `seed ${seed}`): Promise<RunInput> {
  const [{ runScenario }, { ScenarioConfigError }, { nodeSha256 }] = await Promise.all([
    import('../../scenarios/api/runner.ts'),
    import('../../scenarios/api/configs.ts'),
    import('../nodeHash.ts'),
  ]);
  const records: TraceRecord[] = [];
  let kf: KeyframeRecord | null = null;
  let result: RunResult;
  try {
    result = runScenario(loaded.scenario, {
      seed,
      readFile: loaded.readFile,
      hasher: nodeSha256,
      ring: 1024,
      onSimulation: (sim) =>
        sim.trace.subscribe((r) => {
          if (r.k === 'keyframe') kf = r;
          else if (keepRecord(r)) records.push(r);
        }),
    });
  } catch (e) {
    if (e instanceof ScenarioConfigError) throw new CliError(e.fatal.split('\n').filter((l) => l.trim() !== '')[0] ?? e.message, 2);
    throw new CliError(`scenario '${loaded.scenario.name}' (seed ${seed}) could not start: ${(e as Error)?.message ?? String(e)}`, 2);
  }
  if (kf) records.push(kf);
  const header = result.sim.trace.header;
  if (!header) throw new CliError(`scenario '${loaded.scenario.name}' (seed ${seed}) recorded nothing`, 2);
  return {
    kind: 'sim',
    label,
    seed,
    header,
    records,
    report: result.report,
    status: result.status,
    error: result.error?.message ?? null,
    sha256: result.sha256,
  };
}

export type RunReal = (loaded: LoadedScenario, opts: RealRunOptions) => Promise<RealResult>;

/** bin/real's runReal (a colleague's module: loaded only when real runs are asked for). */
export async function loadRealRunner(): Promise<RunReal> {
  // the specifier is built so that the type check does not need the module, and the built package (.js) finds it
  const spec = `../real/index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`;
  let mod: { runReal?: unknown };
  try {
    mod = (await import(spec)) as { runReal?: unknown };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes('real/index'))
      throw new CliError('real runs are not available in this build (bin/real is missing); compare with --repeats 0', 2);
    throw new CliError(`cannot load the real-Redis runner: ${(e as Error)?.message ?? String(e)}`, 2);
  }
  if (typeof mod.runReal !== 'function') throw new CliError('cannot load the real-Redis runner: bin/real/index does not export runReal', 2);
  return mod.runReal as RunReal;
}

/** A real run as a RunInput; a run that did not get going (no Sentinel logged anything) is an error, exit 2. */
export function realToInput(r: RealResult, label: string, seed: string): RunInput {
  const records = keptRecords(r.records);
  const started = records.some((x) => x.k === 'log');
  if (!started) throw new CliError(`${label} failed to start${r.error ? `: ${r.error}` : ' (no Sentinel logged anything)'}`, 2);
  return {
    kind: 'real',
    label,
    seed,
    header: r.header,
    records,
    report: r.report,
    status: r.status,
    error: r.error,
    skipped: r.skipped,
    redisVersion: r.redisVersion.match(/v=(\S+)/)?.[1] ?? r.redisVersion,
  };
}
