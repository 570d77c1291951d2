// Loading a scenario — a file (JavaScript, or TypeScript through tsx) or a built-in one by name — and reading
// its config files relative to it (Node only).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isScenario, type Scenario } from '../../scenarios/api/define.ts';
import { ScenarioConfigError } from '../../scenarios/api/configs.ts';
import { builtinScenarioNames, builtinScenarioPath } from './builtin.ts';
import { importUserModule } from './import-user.ts';
import { CliError } from '../errors.ts';

export { CliError };

export interface LoadedScenario {
  scenario: Scenario;
  path: string;
  /** Reads a config file named relative to the scenario file, failing as redis-server does. */
  readFile: (p: string, encoding?: 'latin1') => string;
}

/** A scenario file, or the name of a built-in scenario (`tutorial-failover`) when no such file exists. */
export async function loadScenario(file: string): Promise<LoadedScenario> {
  let path = resolve(file);
  if (!existsSync(path)) {
    const builtin = builtinScenarioPath(file);
    if (!builtin) {
      const hint = /^[a-z0-9-]+$/.test(file) ? ` and no built-in scenario by that name (built in: ${builtinScenarioNames().join(', ')})` : '';
      throw new CliError(`cannot open scenario '${file}': no such file${hint}`, 2);
    }
    path = builtin;
  }
  if (!statSync(path).isFile()) throw new CliError(`cannot open scenario '${file}': not a file`, 2);
  let mod: { default?: unknown };
  try {
    mod = await importUserModule(path);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n').filter((l) => l.trim() !== '').slice(0, 3).join(' ') : String(e);
    throw new CliError(`cannot load scenario '${file}': ${msg}`, 2);
  }
  // CommonJS interop: the module's exports object holds the default export
  const inner = (mod.default as { default?: unknown } | undefined)?.default;
  if (!isScenario(mod.default) && isScenario(inner)) mod = { default: inner };
  if (!isScenario(mod.default)) throw new CliError(`'${file}' does not export a scenario (export default defineScenario({...}))`, 2);
  const dir = dirname(path);
  const readFile = (p: string, encoding: 'utf8' | 'latin1' = 'utf8'): string => {
    const abs = resolve(dir, p);
    try {
      return readFileSync(abs, encoding);
    } catch {
      // redis-server's words for a missing config file
      throw new ScenarioConfigError(p, `Fatal error, can't open config file '${abs}': No such file or directory`);
    }
  };
  return { scenario: mod.default, path, readFile };
}
