// The built-in scenarios (scenarios/*.ts, compiled to dist/scenarios/*.js in the package), by file name:
// `sentinel-sim run tutorial-failover`, `sentinel-sim scenarios`.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isScenario } from '../../scenarios/api/define.ts';
import { CODE_ROOT, MODULE_EXT } from '../where.ts';

export interface BuiltinScenario {
  name: string;
  description: string;
  path: string;
}

const DIR = join(CODE_ROOT, 'scenarios');

/** Names of the built-in scenarios, sorted. */
export function builtinScenarioNames(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith(MODULE_EXT) && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -MODULE_EXT.length))
    .sort();
}

/** The file of a built-in scenario, or null when there is none by that name. */
export function builtinScenarioPath(name: string): string | null {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return null;
  const p = join(DIR, name + MODULE_EXT);
  return existsSync(p) ? p : null;
}

/** Every built-in scenario with its description on one line. */
export async function listBuiltinScenarios(): Promise<BuiltinScenario[]> {
  const out: BuiltinScenario[] = [];
  for (const name of builtinScenarioNames()) {
    const path = join(DIR, name + MODULE_EXT);
    const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
    if (!isScenario(mod.default)) continue;
    out.push({ name, description: (mod.default.description ?? '').replace(/\s+/g, ' ').trim(), path });
  }
  return out;
}
