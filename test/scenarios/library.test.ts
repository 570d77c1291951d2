// The scenario library (issue 6, Deliver 3): every scenarios/*.ts file runs and passes its own
// expectations. Files are discovered by glob, so a new scenario is covered without editing this test;
// the tutorial has its own test (tutorial.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isScenario, runScenario, type RunResult } from '../../scenarios/api/index.ts';

const dir = resolve(dirname(new URL(import.meta.url).pathname), '../../scenarios');
const readFile = (p: string) => readFileSync(resolve(dir, p), 'utf8');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.startsWith('tutorial'))
  .sort();

/** The failed expectations and the script error of a run, as text (what a failing test prints). */
function problems(r: RunResult): string[] {
  const out = r.run.failures.map((f) => `expectation failed: ${f}`);
  if (r.error) out.push(`script error at ${(r.error.t / 1e6).toFixed(3)} s: ${r.error.message}`);
  return out;
}

describe('scenario library', () => {
  it('has the catalogue’s scenarios', () => {
    for (const name of [
      'ex1-two-sentinels',
      'ex2-isolated-master',
      'ex2-isolated-master-min-replicas',
      'ex3-client-side',
      'ex4-four-sentinels',
      'doc-partition-old-master',
      'jepsen-2013',
      'jepsen-2013-min-replicas',
      'no-persistence-restart-wipes-replicas',
      'no-persistence-safe-config',
      'priorities',
      'quorum-not-reached',
      'majority-of-sentinels-lost',
      'manual-failover',
      'tilt-after-pause',
      'flapping-network',
    ])
      expect(files).toContain(`${name}.ts`);
  });

  it('is deterministic with clients and workloads too: same seed, same trace hash', async () => {
    const sc = ((await import(resolve(dir, 'ex2-isolated-master.ts'))) as { default: Parameters<typeof runScenario>[0] }).default;
    const a = runScenario(sc, { readFile, ring: 1024 });
    const b = runScenario(sc, { readFile, ring: 1024 });
    expect(b.sha256).toBe(a.sha256);
    expect(b.report.summary.clientOps).toEqual(a.report.summary.clientOps);
    expect(a.report.summary.clientOps.lostAcknowledged).toBeGreaterThan(0);
  });

  for (const file of files) {
    describe(file, () => {
      it('starts with a header comment saying what it shows and what to look for', () => {
        const text = readFile(file);
        expect(text.startsWith('//')).toBe(true);
        const header = text.slice(0, text.search(/^import /m));
        expect(header).toMatch(/What it shows/);
        expect(header).toMatch(/What to look for/);
      });

      it('passes every expectation it checks', async () => {
        const mod = (await import(resolve(dir, file))) as { default?: unknown };
        expect(isScenario(mod.default)).toBe(true);
        if (!isScenario(mod.default)) return;
        const scenario = mod.default;
        expect(scenario.name).toBe(file.replace(/\.ts$/, ''));
        const r = runScenario(scenario, { readFile, ring: 1024 });
        expect(problems(r)).toEqual([]);
        expect(r.status).toBe('ok');
        // a scenario that checks nothing cannot fail: each states several outcomes
        expect(r.report.summary.expectations.passed).toBeGreaterThanOrEqual(5);
        expect(r.report.summary.expectations.failed).toBe(0);
      });
    });
  }
});
