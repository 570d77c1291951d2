// `import … from 'sentinel-sim'`: the scenario API (scenarios/api) for Node, where fromConfigFiles reads real
// files and traces hash with node:crypto. Everything a scenario file or a test needs, with types.
import { dirname, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { ScenarioConfigError } from '../../scenarios/api/configs.ts';
import { isScenario, type Scenario } from '../../scenarios/api/define.ts';
import { runScenario as runInSimulation, type RunResult, type RunScenarioOptions } from '../../scenarios/api/runner.ts';
import { nodeSha256 } from '../nodeHash.ts';
import { importUserModule } from '../run/import-user.ts';

export * from '../../scenarios/api/index.ts';
export type { TraceDocument, TraceHeader, TraceRecord } from '../../engine/trace/types.ts';

export interface NodeRunOptions extends RunScenarioOptions {
  /** Folder that fromConfigFiles paths are relative to (default: the current directory). */
  configDir?: string;
}

/** A reader of config files relative to `dir`, failing with redis-server's own words for a missing file. */
export function configFileReader(dir: string): (path: string, encoding?: 'latin1') => string {
  return (p, encoding = undefined) => {
    const abs = resolve(dir, p);
    try {
      return readFileSync(abs, encoding ?? 'utf8');
    } catch {
      throw new ScenarioConfigError(p, `Fatal error, can't open config file '${abs}': No such file or directory`);
    }
  };
}

/**
 * Run a scenario to its end (or `until`) and return the summary report, the status, the trace hash and the
 * simulation (its trace: `result.sim.trace.document()`). The same scenario and seed give the same sha256 as
 * `sentinel-sim run`. Config errors and setup errors throw; an error inside the script is returned in `error`.
 */
export function runScenario(scenario: Scenario, opts: NodeRunOptions = {}): RunResult {
  const { configDir, ...rest } = opts;
  return runInSimulation(scenario, { hasher: nodeSha256, readFile: configFileReader(configDir ?? process.cwd()), ...rest });
}

/** Load a scenario file (.js, or .ts through tsx) whose default export is defineScenario({...}). */
export async function loadScenarioFile(file: string): Promise<Scenario> {
  const mod = await importUserModule(resolve(file));
  const d = mod.default as { default?: unknown } | undefined;
  const s = isScenario(d) ? d : d?.default;
  if (!isScenario(s)) throw new Error(`'${file}' does not export a scenario (export default defineScenario({...}))`);
  return s;
}

/** Load and run a scenario file, its config files read relative to it (what `sentinel-sim run FILE` does). */
export async function runScenarioFile(file: string, opts: RunScenarioOptions = {}): Promise<RunResult> {
  const scenario = await loadScenarioFile(file);
  return runScenario(scenario, { configDir: dirname(resolve(file)), ...opts });
}
