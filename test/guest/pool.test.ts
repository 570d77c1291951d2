// Guest threads are reused across runs (bin/guest/pool.ts, fresh.ts): a run in a reused thread is a run in a
// new one — the same trace hash, its globals, process listeners, environment, app module and CommonJS packages
// new — and a run that leaves something behind that could reach the next one ends its thread instead.
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import '../../bin/guest/index.ts';
import { endIdleThreads, poolStats } from '../../bin/guest/pool.ts';
import { cluster, defineScenario, runScenario, type AppOptions } from '../../scenarios/api/index.ts';
import { runShortApp } from './fixtures/short-app.ts';

type AppFn = (ctx: any) => unknown;

function run(app: AppFn | AppOptions['module']): { sha256: string; status: string; logs: string[] } {
  let node = '';
  const sc = defineScenario({
    name: 'guest-pool',
    setup: () => cluster({ replicas: 1, sentinels: 1 }),
    script: (s) => {
      const h = typeof app === 'function' ? s.app('web-1', { host: '10.0.0.9' }, app) : s.app('web-1', { host: '10.0.0.9', module: app });
      node = h.node;
      s.sleep('1s');
    },
  });
  const r = runScenario(sc);
  const logs = r.sim.trace.records().flatMap((x) => (x.k === 'log' && x.node === node ? [x.line] : []));
  return { sha256: r.sha256, status: r.status, logs };
}

/** Threads started and reused by `f`. */
function counted<T>(f: () => T): { value: T; started: number; reused: number } {
  const s0 = poolStats.started;
  const r0 = poolStats.reused;
  const value = f();
  return { value, started: poolStats.started - s0, reused: poolStats.reused - r0 };
}

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('guest thread pool', () => {
  beforeEach(() => endIdleThreads());

  it('a reused thread gives the trace of a new one (ioredis in Sentinel mode)', () => {
    const first = counted(runShortApp);
    const again = counted(runShortApp);
    expect(first).toMatchObject({ started: 1, reused: 0 });
    expect(again).toMatchObject({ started: 0, reused: 1 });
    expect(first.value.status).toBe('ok');
    expect(again.value.sha256).toBe(first.value.sha256);
  }, 120_000);

  it("what a run leaves on globalThis, process and a package's module is gone in the next run", () => {
    const leaky: AppFn = async (ctx) => {
      const g = globalThis as Record<string, unknown>;
      const ioredis = await ctx.import('ioredis');
      ctx.log(`global ${typeof g.leftBehind} listeners ${process.listenerCount('exit')} env ${String(process.env.LEFT_BEHIND)} package ${String(ioredis.default.leftBehind)}`);
      g.leftBehind = 1;
      process.on('exit', () => undefined);
      process.env.LEFT_BEHIND = '1';
      ioredis.default.leftBehind = 1;
    };
    const first = counted(() => run(leaky));
    const again = counted(() => run(leaky));
    expect(again.reused).toBe(1);
    expect(first.value.logs).toEqual([expect.stringMatching(/^global undefined listeners \d+ env undefined package undefined$/)]);
    expect(again.value.logs).toEqual(first.value.logs);
    expect(again.value.sha256).toBe(first.value.sha256);
  }, 120_000);

  it("an app module and its packages are evaluated afresh by each run", () => {
    const first = counted(() => run(fixture('module-state-app.ts')));
    const again = counted(() => run(fixture('module-state-app.ts')));
    expect(again.reused).toBe(1);
    expect(first.value.logs).toEqual(['runs 1 mark undefined']);
    expect(again.value.logs).toEqual(['runs 1 mark undefined']);
  }, 120_000);

  it('a run that leaves a real handle open (a port that could call back into the next run), or loads an ES module app, ends its thread', () => {
    // (timers, even node:timers's, are the virtual clock's: a real one cannot be left behind)
    const realPort: AppFn = async (ctx) => {
      const { MessageChannel } = await ctx.import('node:worker_threads');
      const { port1 } = new MessageChannel();
      port1.on('message', () => ctx.log('a message from the past'));
      ctx.log('listening on a real port');
    };
    const t = counted(() => [run(realPort), run(realPort)]);
    expect(t).toMatchObject({ started: 2, reused: 0 });
    expect(t.value.map((r) => r.logs)).toEqual([['listening on a real port'], ['listening on a real port']]);
    const esm = counted(() => [run(fixture('esm-app.mjs')), run(fixture('esm-app.mjs'))]);
    expect(esm).toMatchObject({ started: 2, reused: 0 });
    expect(esm.value.map((r) => r.logs)).toEqual([['esm app ran'], ['esm app ran']]);
  }, 120_000);
});
