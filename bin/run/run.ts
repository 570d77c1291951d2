// `sentinel-sim run <scenario.ts>`: run a scenario, print its log (or jsonl) as it goes, then the summary
// and the trace hash; optionally stream the trace to a file. Exit 0 ok, 1 failed expectation / script error, 2 bad input,
// 130 / 143 interrupted by SIGINT / SIGTERM (only with --trace, see runCommand); 0 when stdout's reader went away.
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { isatty } from 'node:tty';
import { Worker } from 'node:worker_threads';
import type { Simulation } from '../../engine/sim/simulation.ts';
import { formatClock } from '../../engine/sim/time.ts';
import type { ScenarioConfigError } from '../../scenarios/api/configs.ts';
import type { RunResult } from '../../scenarios/api/runner.ts';
import { CliError } from '../errors.ts';
import { tempTracePath, TraceFileWriter } from '../traceWriter.ts';
import { errLine, Out } from './out.ts';
import { RecordPrinter, type Format } from './output.ts';
import { Progress } from './progress.ts';
import { removeAtExit, SIGNAL_EXIT, STOP_SIGNALS, trapSignals, type StopSignal } from './signals.ts';

export interface RunFlags {
  seed?: string;
  until?: number;
  trace?: string;
  format: Format;
  quiet?: boolean;
}

/** How a run is asked to stop early (polled while it runs). */
export interface RunControl {
  stopRequested: () => StopSignal | null;
}

const NEVER: RunControl = { stopRequested: () => null };

/** Why a run ended early: a signal, or stdout's reader went away ('closed'). */
type StopReason = StopSignal | 'closed';

/** Thrown from the progress callback to end a run early (the runner records it as the script's error). */
class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor(readonly why: StopReason) {
    super(`interrupted (${why})`);
  }
}

/** Where in the scenario file an exception was thrown ("at file.ts:12:5"), if its stack says. */
function scriptFrame(e: unknown, path: string): string | null {
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  for (const line of stack.split('\n')) {
    const i = line.indexOf(path);
    if (i >= 0) {
      const m = /:(\d+):(\d+)\)?\s*$/.exec(line);
      return m ? `${relative(process.cwd(), path) || path}:${m[1]}:${m[2]}` : null;
    }
  }
  return null;
}

function badConfig(e: ScenarioConfigError, out: Out): never {
  if (e.fatal.startsWith('***')) {
    errLine(out, `sentinel-sim: bad config file ${e.file}:`);
    errLine(out, `\n${e.fatal}\n`);
  } else errLine(out, `sentinel-sim: ${e.fatal}`);
  throw new CliError('', 2);
}

/**
 * `sentinel-sim run`. A run is synchronous, so a signal trapped in its thread would only be seen once it ends:
 * with --trace the run goes to a worker thread and this thread traps SIGINT / SIGTERM (the worker stops at its
 * next progress point, deletes its temporary trace file and the status is 130 / 143; a second signal ends it at
 * once). Without --trace there is nothing to clean up and the signal keeps its default effect.
 */
export async function runCommand(file: string, flags: RunFlags): Promise<number> {
  return flags.trace !== undefined ? runInWorker(file, { ...flags, trace: flags.trace }) : runHere(file, flags);
}

/** Run a scenario in this thread; `ctl` can stop it early. */
export async function runHere(file: string, flags: RunFlags, ctl: RunControl = NEVER): Promise<number> {
  // the simulator, loaded here: the thread that only watches a worker (run --trace) never needs it
  const [{ loadScenario }, { runScenario }, { ScenarioConfigError }, { nodeSha256 }] = await Promise.all([
    import('./load.ts'),
    import('../../scenarios/api/runner.ts'),
    import('../../scenarios/api/configs.ts'),
    import('../nodeHash.ts'),
  ]);
  const loaded = await loadScenario(file);
  const out = new Out();
  const printer = new RecordPrinter(out, flags.format, !flags.quiet && flags.format !== 'summary');
  const progress = flags.quiet ? null : new Progress(loaded.scenario.name, out);
  // a pipe gets the log every quarter second (and a closed one is noticed); a terminal with its progress line every second
  const flushMs = isatty(1) ? 1000 : 250;
  // set from inside the run (callbacks), read after it
  const st: { writer: TraceFileWriter | null; sim: Simulation | null; stopped: StopReason | null } = { writer: null, sim: null, stopped: null };
  const checkStop = () => {
    // stdout closed: stop, unless the trace file still wants the whole run
    st.stopped ??= ctl.stopRequested() ?? (out.broken && !flags.trace ? 'closed' : null);
    if (st.stopped) throw new Interrupted(st.stopped);
  };
  let result: RunResult;
  try {
    result = runScenario(loaded.scenario, {
      seed: flags.seed,
      until: flags.until !== undefined ? flags.until / 1000 : undefined,
      readFile: loaded.readFile,
      hasher: nodeSha256,
      ring: 1024,
      onSimulation: (s) => {
        st.sim = s;
        if (flags.trace) {
          try {
            st.writer = new TraceFileWriter(flags.trace, s.trace);
          } catch (e) {
            throw new CliError(`cannot write trace '${flags.trace}': ${(e as Error).message}`, 2);
          }
        }
        s.trace.subscribe((r) => {
          if (!st.stopped) printer.record(r);
        });
      },
      onProgress: (t) => {
        progress?.tick(t);
        out.tick(flushMs);
        checkStop();
      },
    });
  } catch (e) {
    if (st.stopped || e instanceof Interrupted) return endEarly(st.stopped ?? (e as Interrupted).why, st, out, progress);
    if (e instanceof ScenarioConfigError || e instanceof CliError) {
      st.writer?.abort();
      if (e instanceof ScenarioConfigError) badConfig(e, out);
      throw e;
    }
    // an error outside the script (setup, or the engine itself): report it, keep what was traced
    const at = st.sim ? ` at ${formatClock(st.sim.now)}` : '';
    const frame = scriptFrame(e, loaded.path);
    errLine(out, `sentinel-sim: scenario '${loaded.scenario.name}' failed${at}: ${(e as Error)?.message ?? String(e)}${frame ? ` (${frame})` : ''}`);
    if (st.writer) {
      st.writer.close();
      errLine(out, `trace (of the run so far) written to ${st.writer.path}`);
    }
    return st.sim ? 1 : 2;
  } finally {
    out.flush();
  }
  // the runner caught the Interrupted thrown from the progress callback as the script's error
  if (st.stopped) return endEarly(st.stopped, st, out, progress);
  const hash = st.writer ? st.writer.close() : result.sha256;
  progress?.done(result.sim.now);
  printer.finish(result.report, hash);
  out.flush();
  // stdout's reader went away: end quietly (the run finished for its trace file)
  if (out.broken && !st.writer) return 0;
  for (const p of printer.problems) errLine(out, `sentinel-sim: ${p}`);
  if (result.error) {
    const frame = scriptFrame(result.error.cause, loaded.path);
    if (frame) errLine(out, `    at ${frame}`);
  }
  if (st.writer) errLine(out, `trace written to ${st.writer.path}`);
  return result.status === 'ok' ? 0 : 1;
}

/** A run stopped early: no trace file (a file already under the name is untouched), one line for a signal. */
function endEarly(why: StopReason, st: { writer: TraceFileWriter | null; sim: Simulation | null }, out: Out, progress: Progress | null): number {
  st.writer?.abort();
  if (why === 'closed') return 0;
  out.flush();
  progress?.clear();
  const at = st.sim ? ` at ${formatClock(st.sim.now)}` : '';
  errLine(out, `sentinel-sim: interrupted by ${why}${at}${st.writer ? `; trace not written to ${st.writer.path}` : ''}`);
  return SIGNAL_EXIT[why];
}

// ---- running in a worker thread (run --trace) ------------------------------------------------------------

interface JobData {
  file: string;
  flags: RunFlags;
  /** Int32Array[1] over this buffer: 0 run on, i + 1 STOP_SIGNALS[i] asked to stop. */
  stop: SharedArrayBuffer;
}

type JobResult = { kind: 'done'; code: number } | { kind: 'cli-error'; message: string; exitCode: number };

/** A second signal ends the worker at once; so does the first if the run has not stopped after this long. */
const GRACE_MS = 5000;

/** The worker's code: this module, through tsx when running from the TypeScript sources. */
function workerSource(): string {
  const self = import.meta.url;
  const load = `import(${JSON.stringify(self)})`;
  const loader = self.endsWith('.ts') ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return ${load}; })` : load;
  return `${loader}.then((m) => m.runJob());`;
}

async function runInWorker(file: string, flags: RunFlags & { trace: string }): Promise<number> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  // the worker writes this temporary file (same process id); if it cannot finish, this thread deletes it
  const temp = tempTracePath(flags.trace);
  const cancelRemoval = removeAtExit(temp);
  let signal: StopSignal | null = null;
  let worker: Worker | null = null;
  const untrap = trapSignals((sig, count) => {
    signal ??= sig;
    Atomics.store(stop, 0, STOP_SIGNALS.indexOf(signal) + 1);
    if (count > 1) void worker?.terminate();
    else setTimeout(() => void worker?.terminate(), GRACE_MS).unref();
  });
  try {
    const data: JobData = { file, flags, stop: stop.buffer as SharedArrayBuffer };
    worker = new Worker(workerSource(), { eval: true, workerData: data });
    const res = await outcome(worker);
    if (res.kind === 'done') return res.code;
    if (res.kind === 'cli-error') throw new CliError(res.message, res.exitCode);
    // ended without a result: terminated after a signal, or the script called process.exit()
    if (signal) {
      errLine(null, `sentinel-sim: interrupted by ${signal}; trace not written to ${flags.trace}`);
      return SIGNAL_EXIT[signal];
    }
    errLine(null, `sentinel-sim: the run ended early (exit code ${res.code}); trace not written to ${flags.trace}`);
    return res.code || 1;
  } finally {
    untrap();
    rmSync(temp, { force: true });
    cancelRemoval();
  }
}

function outcome(w: Worker): Promise<JobResult | { kind: 'exit'; code: number }> {
  return new Promise((resolve, reject) => {
    let result: JobResult | null = null;
    w.on('message', (m: JobResult) => (result = m));
    w.once('error', reject);
    w.once('exit', (code) => resolve(result ?? { kind: 'exit', code }));
  });
}

/** The worker's entry (see workerSource): run the scenario, post the exit status or the usage error. */
export async function runJob(): Promise<void> {
  const { parentPort, workerData } = await import('node:worker_threads');
  const d = workerData as JobData;
  const stop = new Int32Array(d.stop);
  const ctl: RunControl = { stopRequested: () => STOP_SIGNALS[Atomics.load(stop, 0) - 1] ?? null };
  let res: JobResult;
  try {
    res = { kind: 'done', code: await runHere(d.file, d.flags, ctl) };
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    res = { kind: 'cli-error', message: e.message, exitCode: e.exitCode };
  }
  parentPort!.postMessage(res);
}
