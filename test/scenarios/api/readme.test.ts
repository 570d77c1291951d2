// The Scenario API example (docs/scenario-api.md, moved there from the README) is runnable: the fixture is its code block, and it passes.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../scenarios/api/index.ts';
import example from '../fixtures/readme-example.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('README example', () => {
  it('is the fixture, byte for byte (but the import path and a comment)', () => {
    const readme = readFileSync(resolve(ROOT, 'docs/scenario-api.md'), 'utf8');
    const i = readme.indexOf('```ts\n// scenarios/my-failover.ts');
    expect(i).toBeGreaterThan(0);
    const code = readme.slice(i + 6, readme.indexOf('```\n', i + 6));
    const fixture = readFileSync(resolve(ROOT, 'test/scenarios/fixtures/readme-example.ts'), 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('// The README'))
      .join('\n')
      .replace("'../../../scenarios/api/index.ts'", "'./api/index.ts'");
    expect(fixture).toBe(code);
  });

  it('runs with every expectation met', () => {
    const r = runScenario(example);
    expect(r.error).toBeNull();
    expect(r.run.failures).toEqual([]);
    expect(r.report.summary.expectations).toEqual({ passed: 5, failed: 0 });
    expect(r.report.summary.failovers).toHaveLength(1);
  });
});
