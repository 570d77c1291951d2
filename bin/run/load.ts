// Loading a scenario file (TypeScript, through tsx) and reading its config files relative to it (Node only).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { isScenario, type Scenario } from '../../scenarios/api/define.ts';
import { ScenarioConfigError } from '../../scenarios/api/configs.ts';

/** An error the CLI reports as one line (or a few) with an exit code, never with a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface LoadedScenario {
  scenario: Scenario;
  path: string;
  /** Reads a config file named relative to the scenario file, failing as redis-server does. */
  readFile: (p: string) => string;
}

export async function loadScenario(file: string): Promise<LoadedScenario> {
  const path = resolve(file);
  if (!existsSync(path)) throw new CliError(`cannot open scenario '${file}': no such file`, 2);
  if (!statSync(path).isFile()) throw new CliError(`cannot open scenario '${file}': not a file`, 2);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (e) {
    // a .ts file outside an ESM package is compiled as CommonJS: load it through tsx's own loader
    try {
      mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as { default?: unknown };
    } catch (e2) {
      // the first error unless it was only the CommonJS cycle the fallback is for
      const err = e instanceof Error && /require\(\) ES Module/.test(e.message) ? e2 : e;
      const msg = err instanceof Error ? err.message.split('\n').filter((l) => l.trim() !== '').slice(0, 3).join(' ') : String(err);
      throw new CliError(`cannot load scenario '${file}': ${msg}`, 2);
    }
  }
  // CommonJS interop: the module's exports object holds the default export
  const inner = (mod.default as { default?: unknown } | undefined)?.default;
  if (!isScenario(mod.default) && isScenario(inner)) mod = { default: inner };
  if (!isScenario(mod.default)) throw new CliError(`'${file}' does not export a scenario (export default defineScenario({...}))`, 2);
  const dir = dirname(path);
  const readFile = (p: string): string => {
    const abs = resolve(dir, p);
    try {
      return readFileSync(abs, 'utf8');
    } catch {
      // redis-server's words for a missing config file
      throw new ScenarioConfigError(p, `Fatal error, can't open config file '${abs}': No such file or directory`);
    }
  };
  return { scenario: mod.default, path, readFile };
}
