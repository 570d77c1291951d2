// `sentinel-sim run <scenario.ts>`: run a scenario, print its log (or jsonl) as it goes, then the summary
// and the trace hash; optionally stream the trace to a file. Exit 0 ok, 1 failed expectation / script error, 2 bad input.
import { relative } from 'node:path';
import type { Simulation } from '../../engine/sim/simulation.ts';
import { formatClock } from '../../engine/sim/time.ts';
import { ScenarioConfigError } from '../../scenarios/api/configs.ts';
import { runScenario, type RunResult } from '../../scenarios/api/runner.ts';
import { nodeSha256 } from '../nodeHash.ts';
import { TraceFileWriter } from '../traceWriter.ts';
import { CliError, loadScenario } from './load.ts';
import { errLine, Out } from './out.ts';
import { RecordPrinter, type Format } from './output.ts';
import { Progress } from './progress.ts';

export interface RunFlags {
  seed?: string;
  until?: number;
  trace?: string;
  format: Format;
  quiet?: boolean;
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

export async function runCommand(file: string, flags: RunFlags): Promise<number> {
  const loaded = await loadScenario(file);
  const out = new Out();
  const printer = new RecordPrinter(out, flags.format, !flags.quiet && flags.format !== 'summary');
  const progress = flags.quiet ? null : new Progress(loaded.scenario.name, out);
  // set from inside the run (callbacks), read after it
  const st: { writer: TraceFileWriter | null; sim: Simulation | null } = { writer: null, sim: null };
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
        s.trace.subscribe((r) => printer.record(r));
      },
      onProgress: (t) => progress?.tick(t),
    });
  } catch (e) {
    if (e instanceof ScenarioConfigError) badConfig(e, out);
    if (e instanceof CliError) throw e;
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
  const hash = st.writer ? st.writer.close() : result.sha256;
  progress?.done(result.sim.now);
  printer.finish(result.report, hash);
  out.flush();
  for (const p of printer.problems) errLine(out, `sentinel-sim: ${p}`);
  if (result.error) {
    const frame = scriptFrame(result.error.cause, loaded.path);
    if (frame) errLine(out, `    at ${frame}`);
  }
  if (st.writer) errLine(out, `trace written to ${st.writer.path}`);
  return result.status === 'ok' ? 0 : 1;
}
