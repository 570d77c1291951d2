// The script thread of a real run (started by run.ts): load the scenario, describe its cluster to the world's
// thread, run the script on a RealRun. Errors before the script runs are sent as 'fatal' (exit 2: a missing
// file, a config file Redis would refuse); the script's own errors end the run normally, as in the simulator.
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Micros } from '../../engine/sim/time.ts';
import { ScenarioConfigError } from '../../scenarios/api/configs.ts';
import { scenarioSpec } from '../../scenarios/api/runner.ts';
import { CliError } from '../errors.ts';
import { loadScenario } from '../run/load.ts';
import { RealAborted, SyncChannel } from './channel.ts';
import { RealRun, runRealScript } from './script.ts';

export interface WorkerInput {
  file: string;
  seed?: string;
  untilUs?: Micros;
  flag: SharedArrayBuffer;
  port: MessagePort;
}

export async function main(): Promise<void> {
  const d = workerData as WorkerInput;
  const flag = new Int32Array(d.flag);
  const ch = new SyncChannel(d.port, flag);
  const fatal = (message: string, exitCode: number, detail?: string) => {
    try {
      ch.call('fatal', { message, exitCode, detail });
    } catch {
      // the world's thread is stopping anyway
    }
  };
  let loaded;
  let spec;
  let seed: string;
  try {
    loaded = await loadScenario(d.file);
    seed = String(d.seed ?? loaded.scenario.seed ?? 1);
    spec = scenarioSpec(loaded.scenario, seed, loaded.readFile);
  } catch (e) {
    if (e instanceof CliError) return fatal(e.message, e.exitCode);
    if (e instanceof ScenarioConfigError) return fatal(e.fatal.startsWith('***') ? `bad config file ${e.file}:` : e.fatal, 2, e.fatal.startsWith('***') ? e.fatal : undefined);
    return fatal(`scenario '${d.file}' failed before it ran: ${(e as Error)?.message ?? String(e)}`, 2);
  }
  try {
    ch.call('init', { spec, scenario: loaded.scenario.name, seed, keyframeEveryMs: loaded.scenario.keyframeEveryMs });
    const run = new RealRun(spec, ch, { untilUs: d.untilUs });
    // the script is typed against ScenarioRun; RealRun implements the ScenarioExecutor surface it is written to
    const res = runRealScript(loaded.scenario.script as unknown as (s: RealRun) => void, run, d.untilUs);
    run.call('end', res);
  } catch (e) {
    if (e instanceof RealAborted) return;
    throw e;
  }
}
