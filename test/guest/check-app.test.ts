// `sentinel-sim check --app`: an application module runs on a host of its own in every property case, and the
// property app-recovers fails when it never gets a write acknowledged after the faults. Seed 2 (30 s schedules)
// powers the master off 2 s in: ioredis with its defaults never notices (see ioredis-silent-master.ts), and the
// repro file starts the same application.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../bin/guest/index.ts';
import { caseForSeed } from '../../engine/check/property/generators.ts';
import { renderRepro } from '../../engine/check/property/repro.ts';
import { runCase } from '../../engine/check/property/run.ts';

const WRITER = resolve(import.meta.dirname, '../../scenarios/apps/code/ioredis-sentinel-writer.ts');

describe('check --app', () => {
  it('app-recovers fails for ioredis with its defaults when the master host goes silent; the repro starts the app', () => {
    const c = caseForSeed(2, { scheduleMs: 30_000, app: { module: WRITER } });
    expect(c.app).toEqual({ module: WRITER });
    expect(c.steps[0]).toMatchObject({ op: 'host-down', target: 'master#1' });
    const o = runCase(c, { seed: '2', properties: ['app-recovers'] });
    const r = o.results.find((x) => x.name === 'app-recovers')!;
    expect(r.ok).toBe(false);
    expect(r.report).toContain('the application never had a write acknowledged after the faults ended');
    const text = renderRepro({ property: 'app-recovers', seed: 2, case: c, outcome: o, shrinks: 0, runs: 1 }, { importBase: '../..', displayPath: 'x.ts' });
    expect(text).toContain(`const app = s.app('app', { host: '10.0.9.1', module: ${JSON.stringify(WRITER).replace(/"/g, "'")} });`);
    expect(text).toContain("import '../../bin/guest/index.ts';");
    expect(text).toContain('app.end();');
  }, 300_000);

  it("the application's own host is a fault target: seed 42 kills the app and restarts it; it recovers", () => {
    const c = caseForSeed(42, { scheduleMs: 20_000, maxEpisodes: 2, app: { module: WRITER } });
    expect(c.steps).toEqual([
      { at: 16035, op: 'kill', target: 'app' },
      { at: 18592, op: 'restart', target: 'app' },
    ]);
    const o = runCase(c, { seed: '42', properties: ['app-recovers'] });
    expect(o.applied.map((a) => a.skipped)).toEqual([false, false]);
    const node = o.records.flatMap((x) => (x.k === 'note' && x.what === 'app-conn' ? [x.node] : []))[0];
    const procs = o.records.flatMap((x) => (x.k === 'proc' && x.node === node ? [[x.ev, Math.round(x.t / 1000)]] : []));
    expect(procs).toEqual([
      ['start', 0],
      ['crash', 16035],
      ['start', 18592],
    ]);
    expect(o.results.find((x) => x.name === 'app-recovers')!.ok).toBe(true);
  }, 300_000);
});
