// The package's library entries (bin/api/*), from source: what `import … from 'sentinel-sim'` and
// 'sentinel-sim/check' give a user's own tests. The installed tarball is exercised by .ci/consumer.
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario as coreRun } from '../../scenarios/api/runner.ts';
import { nodeSha256 } from '../../bin/nodeHash.ts';
import { configFileReader, loadScenarioFile, runScenario, runScenarioFile, defineScenario, cluster } from '../../bin/api/index.ts';
import { assertProperty, checkProperty, checkElectionSafety, PropertyFailed, renderRepro } from '../../bin/api/check.ts';
import { PACKAGE_IMPORTS } from '../../engine/check/property/repro.ts';
import { builtinScenarioNames, builtinScenarioPath, listBuiltinScenarios } from '../../bin/run/builtin.ts';
import { loadScenario, CliError } from '../../bin/run/load.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'sentinel-sim-api-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("'sentinel-sim': running scenarios from a user's code", () => {
  it('runScenarioFile reads config files next to the scenario and hashes like the CLI', async () => {
    const file = join(ROOT, 'scenarios/tutorial-failover.ts');
    const r = await runScenarioFile(file);
    expect(r.status).toBe('ok');
    expect(r.report.summary.failovers).toHaveLength(1);
    const scenario = await loadScenarioFile(file);
    const core = coreRun(scenario, { hasher: nodeSha256, readFile: configFileReader(join(ROOT, 'scenarios')) });
    expect(r.sha256).toBe(core.sha256);
    // and the trace document is there for the user
    expect(r.sim.trace.document().sha256).toBe(r.sha256);
  });

  it('runScenario resolves fromConfigFiles against configDir, with redis-server\'s words for a missing file', async () => {
    const scenario = await loadScenarioFile(join(ROOT, 'scenarios/tutorial-failover.ts'));
    expect(() => runScenario(scenario, { configDir: tmp })).toThrow(/Fatal error, can't open config file '.*tutorial\/redis\.conf': No such file or directory/);
    const quick = defineScenario({ name: 'quick', setup: () => cluster({ replicas: 1, sentinels: 1, quorum: 1 }), script: (s) => s.sleep('2s') });
    const a = runScenario(quick, { seed: 3 });
    const b = runScenario(quick, { seed: 3 });
    expect(a.status).toBe('ok');
    expect(a.sha256).toBe(b.sha256);
  });

  it('loadScenarioFile rejects a module without a scenario', async () => {
    await expect(loadScenarioFile(join(ROOT, 'scenarios/api/define.ts'))).rejects.toThrow(/does not export a scenario/);
  });
});

describe("'sentinel-sim/check': property tests from vitest", () => {
  it('checkProperty runs seeds and reports every property', () => {
    const seen: number[] = [];
    const r = checkProperty({ properties: ['election-safety', 'epochs-monotonic'], seed: 11, runs: 2, onRun: (x) => seen.push(x.seed) });
    expect(r).toMatchObject({ ok: true, runs: 2, failures: [] });
    expect(seen).toEqual([11, 12]);
    expect(r.properties['election-safety']).toEqual({ runs: 2, failedSeeds: [] });
    expect(() => checkProperty({ properties: ['no-such-thing'] })).toThrow(/unknown property 'no-such-thing'/);
  });

  it('a failing property of the user is shrunk to a repro file that replays to the same failure', async () => {
    const dir = join(tmp, 'failures');
    const checkers = {
      'never-switches': (input: Parameters<typeof checkElectionSafety>[0]) => {
        const bad = input.records.filter((x) => x.k === 'log' && x.line.startsWith('+switch-master'));
        return { ...checkElectionSafety(input), name: 'never-switches', ok: bad.length === 0, report: `${bad.length} +switch-master line(s)` };
      },
    };
    // a module exporting the same table, so that the repro file re-checks the property
    const mod = join(tmp, 'my-checkers.ts');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(mod, `export const checkers = { 'never-switches': (input: any) => ({ name: 'never-switches', ok: !input.records.some((x: any) => x.k === 'log' && x.line.startsWith('+switch-master')), violations: [], report: 'switched' }) };\n`);
    const r = checkProperty({ properties: ['never-switches'], seed: 1, runs: 30, shrinkRuns: 3, reproDir: dir, checkers, checkersModule: mod });
    expect(r.ok).toBe(false);
    const f = r.failures[0]!;
    expect(f.property).toBe('never-switches');
    expect(f.report).toContain(`✗ property never-switches failed — seed ${f.seed}`);
    const file = join(dir, `never-switches-${f.seed}.ts`);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(f.repro);
    // from the sources, the repro imports the source tree; the installed package writes package imports
    expect(f.repro).toMatch(/from '[^']*\/scenarios\/api\/index\.ts'/);
    const replay = await runScenarioFile(file);
    expect(replay.status).toBe('failed');
    expect(() => assertProperty({ properties: ['never-switches'], seed: f.seed, runs: 1, shrinkRuns: 0, reproDir: null, checkers })).toThrow(PropertyFailed);
  });

  it('repro files written by the installed package import the package by name', () => {
    const r = checkProperty({ properties: ['never-elects'], runs: 5, shrinkRuns: 0, reproDir: null, checkers: { 'never-elects': (input) => ({ ...checkElectionSafety(input), name: 'never-elects', ok: !input.records.some((x) => x.k === 'log' && x.line.startsWith('+elected-leader')) }) } });
    const shrunk = r.failures[0]!.shrunk!;
    const text = renderRepro(shrunk, { importBase: PACKAGE_IMPORTS, displayPath: 'failures/x.ts' });
    expect(text).toContain("import { defineScenario } from 'sentinel-sim';");
    expect(text).toContain("import { caseCluster, checkCase, finishCase, quietPeriod, startCase } from 'sentinel-sim/check';");
    expect(text).not.toContain('.ts\'');
  });
});

describe('built-in scenarios by name', () => {
  it('every scenarios/*.ts is a built-in scenario with a description', async () => {
    const names = builtinScenarioNames();
    expect(names).toContain('tutorial-failover');
    const list = await listBuiltinScenarios();
    expect(list.map((x) => x.name)).toEqual(names);
    for (const x of list) expect(x.description.length).toBeGreaterThan(10);
    expect(builtinScenarioPath('../etc/passwd')).toBeNull();
  });

  it('loadScenario takes a name when no such file exists, and names the choices otherwise', async () => {
    const l = await loadScenario('tutorial-failover');
    expect(l.scenario.name).toBe('tutorial-failover');
    expect(l.readFile('tutorial/redis.conf')).toContain('port 7003');
    const err = await loadScenario('no-such-scenario').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toMatch(/no such file and no built-in scenario by that name \(built in: .*tutorial-failover/);
  });
});

describe('the exports map', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; default: string }>; bin: Record<string, string>; files: string[] };
  it('every entry is compiled from a source file under bin/api, with its types beside it', () => {
    for (const [key, v] of Object.entries(pkg.exports)) {
      if (typeof v === 'string') continue;
      if (key === './scenarios/*') {
        // the built-in scenarios (exported branch files of the web replay import them)
        expect(v).toEqual({ types: './dist/scenarios/*.d.ts', default: './dist/scenarios/*.js' });
        continue;
      }
      expect(v.default, key).toMatch(/^\.\/dist\/bin\/api\/[a-z]+\.js$/);
      expect(v.types).toBe(v.default.replace(/\.js$/, '.d.ts'));
      expect(existsSync(join(ROOT, v.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'))), key).toBe(true);
    }
    expect(pkg.bin['sentinel-sim']).toBe('dist/bin/sentinel-sim.js');
    expect(pkg.files).not.toContain('test');
  });
});
