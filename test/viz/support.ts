// Running library scenarios in-process for the viewer's tests.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario, type RunResult } from '../../scenarios/api/index.ts';
import type { Scenario } from '../../scenarios/api/define.ts';

export const scenariosDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios');

export function runLibrary(scenario: Scenario, opts: { seed?: string | number; until?: string } = {}): RunResult {
  return runScenario(scenario, { ...opts, readFile: (p) => readFileSync(resolve(scenariosDir, p), 'utf8') });
}
