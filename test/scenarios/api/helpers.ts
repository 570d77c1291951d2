// Helpers for the scenario API tests: inline scenarios run in-process.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineScenario, nodeName, runScenario, type RunResult, type RunScenarioOptions, type ScenarioRun, type SetupResult } from '../../../scenarios/api/index.ts';

export { cluster, fromConfigTexts } from '../../../scenarios/api/index.ts';
export const nodeNameOf = nodeName;

export const FIXTURES = resolve(import.meta.dirname, '../fixtures');

/** The tutorial's five files (copied from the oracle's seed configs). */
export function tutorialTexts() {
  const t = (f: string) => ({ name: `tutorial/${f}`, text: readFileSync(resolve(FIXTURES, 'tutorial', f), 'utf8') });
  return { servers: [t('redis.conf'), t('redis_slave.conf')], sentinels: [t('sentinel1.conf'), t('sentinel2.conf'), t('sentinel3.conf')] };
}

/** Run a scenario defined inline. */
export function runInline(setup: () => SetupResult, script: (s: ScenarioRun) => void, opts: RunScenarioOptions & { name?: string } = {}): RunResult {
  const sc = defineScenario({ name: opts.name ?? 'inline', setup, script });
  return runScenario(sc, { readFile: (p) => readFileSync(resolve(FIXTURES, p), 'utf8'), ...opts });
}
