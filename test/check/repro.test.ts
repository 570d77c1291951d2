// Shrinking and repro files: a failing property (a deliberately false one, test/check/fixtures) is shrunk
// to a smaller case, written as a scenario file, and that file replays to the same violation with the
// same trace hash.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseForSeed } from '../../engine/check/property/generators.ts';
import { failureScreen, renderRepro } from '../../engine/check/property/repro.ts';
import { shrinkFailure, type ShrinkResult } from '../../engine/check/property/shrink.ts';
import { runScenario } from '../../scenarios/api/index.ts';
import { loadScenario } from '../../bin/run/load.ts';
import { nodeSha256 } from '../../bin/nodeHash.ts';
import { checkers } from './fixtures/master-never-changes.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PROPERTY = 'master-never-changes';
const SEED = 2;
let shrunk: ShrinkResult;

beforeAll(() => {
  shrunk = shrinkFailure(SEED, PROPERTY, { checkers, hasher: nodeSha256, maxRuns: 30 })!;
}, 60_000);

describe('shrinking a failure', () => {
  it('finds a smaller case that still fails the same property', () => {
    const original = caseForSeed(SEED);
    expect(shrunk).not.toBeNull();
    expect(shrunk.shrinks).toBeGreaterThan(0);
    expect(shrunk.case.steps.length).toBeLessThan(original.steps.length);
    expect(shrunk.case.steps.some((s) => s.op === 'kill' || s.op === 'host-down' || s.op === 'pause' || s.op === 'isolate' || s.op === 'partition')).toBe(true);
    expect(shrunk.outcome.results.find((r) => r.name === PROPERTY)?.ok).toBe(false);
  });

  it('returns null when the seed does not fail the property', () => {
    expect(shrinkFailure(6, PROPERTY, { checkers, hasher: nodeSha256, maxRuns: 3 })).toBeNull(); // seed 6 has no faults
  });
});

describe('the repro file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-repro-'));
  const file = join(dir, `${PROPERTY}-${SEED}.ts`);
  let text = '';

  beforeAll(() => {
    text = renderRepro(shrunk, { importBase: relative(dir, ROOT), displayPath: file, checkerImport: relative(dir, resolve(ROOT, 'test/check/fixtures/master-never-changes.ts')) });
    writeFileSync(file, text);
  });

  it('spells out the minimal schedule as ScenarioRun calls', () => {
    expect(text).toMatch(/^\/\/ Written by `sentinel-sim check`: the shrunk repro of property 'master-never-changes', seed 2/);
    expect(text).toMatch(/\n {4}s\.at\('00:00:\d\d\.\d{3}'\);\n {4}s\.(kill|hostDown|pause|isolate|partition)\(/);
    expect(text).toMatch(/checkCase\(s, \['master-never-changes'\], checkers\);/);
  });

  it('replays to the same violation with the same trace hash', async () => {
    const loaded = await loadScenario(file);
    const r = runScenario(loaded.scenario, { hasher: nodeSha256 });
    expect(r.sha256).toBe(shrunk.outcome.sha256);
    expect(r.status).toBe('failed');
    const violation = shrunk.outcome.results.find((x) => x.name === PROPERTY)!.violations[0]!.message;
    expect(r.run.failures.join('\n')).toContain(violation);
  });

  it('the report shows seed, path and minimal schedule in one screen', () => {
    const screen = failureScreen(shrunk, 'failures/master-never-changes-2.ts', '--checkers test/check/fixtures/master-never-changes.ts');
    const lines = screen.split('\n');
    expect(lines.length).toBeLessThanOrEqual(30);
    expect(lines[0]).toBe('✗ property master-never-changes failed — seed 2 — repro failures/master-never-changes-2.ts');
    expect(screen).toContain('sentinel-sim run failures/master-never-changes-2.ts');
    expect(screen).toContain('--checkers test/check/fixtures/master-never-changes.ts');
    expect(screen).toMatch(/minimal case:\n {4}1 master \+ \d replica/);
    expect(screen).toContain('quiet period: heal everything');
    expect(screen).toContain('the master changed: +switch-master mymaster');
  });
});
