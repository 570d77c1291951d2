// The guest runtime's contract (docs/guest-apps.md): virtual clocks, no real connection ever (a clear error
// for an address outside the topology or a host name), the app's failure reported, the figures of a history.
import { describe, expect, it } from 'vitest';
import '../../bin/guest/index.ts';
import { appFigures } from '../../engine/check/app-history.ts';
import type { HistoryEntry } from '../../engine/client/history.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import { cluster, defineScenario, runScenario, type AppHandle } from '../../scenarios/api/index.ts';

function runApp(fn: (ctx: any) => unknown, forS = 3): { r: ReturnType<typeof runScenario>; app: AppHandle; logs: { t: number; line: string }[] } {
  let app: AppHandle | null = null;
  const sc = defineScenario({
    name: 'guest-runtime',
    setup: () => cluster({ replicas: 1, sentinels: 1 }),
    script: (s) => {
      app = s.app('web-1', { host: '10.0.0.9' }, fn);
      s.sleep(`${forS}s`);
    },
  });
  const r = runScenario(sc);
  const logs = r.sim.trace.records().flatMap((x) => (x.k === 'log' && x.node === app!.node ? [{ t: x.t, line: x.line }] : []));
  return { r, app: app!, logs };
}

describe('guest runtime', () => {
  it('timers, Date and performance.now follow virtual time; Math.random is seeded', () => {
    const run = () =>
      runApp(async (ctx: any) => {
        const d0 = Date.now();
        const p0 = performance.now();
        setTimeout(() => ctx.log(`timeout at ${Date.now() - d0}`), 250);
        await ctx.sleep(1500);
        ctx.log(`slept ${Date.now() - d0} ${Math.round(performance.now() - p0)} ${Math.random()}`);
      });
    const { r, app, logs } = run();
    expect(r.status).toBe('ok');
    expect(app.done && app.error).toBe(null);
    expect(logs[0]).toEqual({ t: 250_000, line: 'timeout at 250' });
    expect(logs[1]!.t).toBe(1_500_000);
    expect(logs[1]!.line).toMatch(/^slept 1500 1500 0\.\d+$/);
    expect(run().logs[1]!.line).toBe(logs[1]!.line);
  }, 120_000);

  it('never a real connection: an address outside the topology or a host name fails with a clear error', () => {
    const { r, logs } = runApp(async (ctx: any) => {
      const net = await ctx.import('node:net');
      for (const host of ['192.0.2.1', 'redis.example']) {
        const sock = net.createConnection({ host, port: 6379 });
        await new Promise<void>((res) => sock.once('error', (e: NodeJS.ErrnoException) => (ctx.log(`${e.code} ${e.message}`), res())));
      }
    });
    expect(logs.map((l) => l.line)).toEqual([
      'EHOSTUNREACH connect EHOSTUNREACH 192.0.2.1:6379 (sentinel-sim: 192.0.2.1 is not a host of the simulated topology; guest code cannot open real connections)',
      'ENOTFOUND getaddrinfo ENOTFOUND redis.example (sentinel-sim: name resolution is not simulated; use the topology\'s IP addresses)',
    ]);
    expect(r.sim.trace.records().some((x) => x.k === 'note' && x.what === 'app-conn' && (x.data as { ev: string }).ev === 'outside-topology')).toBe(true);
  }, 120_000);

  it('a refused connection and a reply come back as Node and RESP would give them', () => {
    const { logs } = runApp(async (ctx: any) => {
      const net = await ctx.import('node:net');
      const [server] = ctx.servers;
      const bad = net.createConnection({ host: server.host, port: 1 });
      await new Promise<void>((res) => bad.once('error', (e: Error) => (ctx.log(e.message), res())));
      const ok = net.createConnection({ host: server.host, port: server.port });
      await new Promise<void>((res) => ok.once('connect', res));
      ok.write('*1\r\n$4\r\nPING\r\n');
      const data: Buffer = await new Promise((res) => ok.once('data', res));
      ctx.log(JSON.stringify(data.toString()));
      ok.end();
    });
    expect(logs.map((l) => l.line)).toEqual([expect.stringMatching(/^connect ECONNREFUSED \d+\.\d+\.\d+\.\d+:1$/), '"+PONG\\r\\n"']);
  }, 120_000);

  it("the app's failure is its handle's error", () => {
    const { app, r } = runApp(async (ctx: any) => {
      await ctx.sleep(100);
      throw new Error('boom');
    });
    expect(app.done).toBe(true);
    expect(app.error).toBe('Error: boom');
    expect(r.sim.trace.records().some((x) => x.k === 'note' && x.what === 'app-done')).toBe(true);
  }, 120_000);
});

describe('appFigures', () => {
  const op = (value: number, complete: number, node: string, outcome: HistoryEntry['outcome'] = 'ok', reply?: string): HistoryEntry => ({ client: 'a', op: 'sadd', key: 'k', value, invoke: complete - 100, complete, outcome, node, ...(reply ? { reply } : {}) });
  const sw = (t: number, line: string): TraceRecord => ({ t, k: 'log', node: 's', kind: 'sentinel', pid: 1, role: 'X', wall: 0, level: '#', event: '+switch-master', line });
  it('stale-master writes, the first write to the new master, gaps and errors', () => {
    const h = [op(1, 1000, 'm:1'), op(2, 2000, 'm:1'), op(3, 5000, 'm:1'), op(4, 6000, 'x:2', 'fail', 'READONLY'), op(5, 9000, 'r:2'), op(6, 9500, 'r:2', 'unknown', 'timeout')];
    const f = appFigures(h, [sw(4000, '+switch-master mymaster m 1 r 2')]);
    expect(f.staleMasterWrites.map((e) => e.value)).toEqual([3]);
    expect(f.firstSwitch).toEqual({ t: 4000, from: 'm:1', to: 'r:2' });
    expect(f.firstOkOnNewMaster).toBe(9000);
    expect([f.writes, f.acknowledged, f.failed, f.unknown]).toEqual([6, 4, 1, 1]);
    expect([f.longestGapUs, f.longestGapFrom]).toEqual([4000, 5000]);
    expect(f.errors).toEqual([{ message: 'READONLY', count: 1 }, { message: 'timeout', count: 1 }]);
    expect(appFigures(h, [], 20000).longestGapUs).toBe(11000);
  });
});
