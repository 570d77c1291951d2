// The guest runs its timers ahead when nothing else can happen to it (bin/guest/host.ts aheadLimit): at a
// wake-up or a reply inside s.sleep (or a waitFor of a Sentinel event, or an exec), up to the simulation's next event, each timer at its own virtual instant. The app's
// trace is the same as with one call per timer (what a waitUntil, which never runs ahead, gives), with far
// fewer calls into its thread; a timer that writes ends the run ahead (its bytes start events).
import { describe, expect, it } from 'vitest';
import '../../bin/guest/index.ts';
import { cluster, defineScenario, runScenario, type AppHandle, type ScenarioRun } from '../../scenarios/api/index.ts';

/** Logs at every 1 ms tick for 300 ms (Date and performance.now at each), then writes PING every 10 ms, 60 times. */
const app = async (ctx: any) => {
  const d0 = Date.now();
  const p0 = performance.now();
  let n = 0;
  await new Promise<void>((res) => {
    const i = setInterval(() => {
      ctx.log(`tick ${++n} Date+${Date.now() - d0} perf+${Math.round(performance.now() - p0)} now=${ctx.now()}`);
      if (n === 300) res(void clearInterval(i));
    }, 1);
  });
  const net = await ctx.import('node:net');
  const [server] = ctx.servers;
  const sock = net.createConnection({ host: server.host, port: server.port });
  await new Promise((res) => sock.once('connect', res));
  sock.on('data', (d: Buffer) => ctx.log(`reply ${JSON.stringify(d.toString())} at ${Date.now() - d0}`));
  for (let k = 0; k < 60; k++) {
    await ctx.sleep(10);
    sock.write('*1\r\n$4\r\nPING\r\n');
  }
  await ctx.sleep(50);
  ctx.invoke('set', 'end', 1).ok();
  await ctx.untilStopped();
};

function run(wait: (s: ScenarioRun, a: AppHandle) => void): { lines: string[]; calls: number } {
  let handle: AppHandle | null = null;
  const sc = defineScenario({
    name: 'guest-ahead',
    setup: () => cluster({ replicas: 0, sentinels: 0 }),
    script: (s) => {
      // on the server's machine: its connection comes from loopback (protected mode lets it in)
      handle = s.app('web-1', { host: 'redis1' }, app);
      wait(s, handle);
    },
  });
  const r = runScenario(sc);
  expect(r.error).toBe(null);
  expect(r.status).toBe('ok');
  const lines = r.sim.trace.records().flatMap((x) => (x.k === 'log' && x.node === handle!.node ? [`${x.t} ${x.line}`] : []));
  return { lines, calls: handle!.calls };
}

describe('guest timers run ahead', () => {
  it('the same trace as one call per timer, with far fewer calls', () => {
    const ahead = run((s) => s.sleep('1.5s'));
    // a predicate checked after every event: the script may act after any of them, so no run ahead
    const stepwise = run((s, a) => s.waitUntil(() => a.history.length > 0, { timeout: '2s' }));
    expect(ahead.lines[0]).toBe('1000 tick 1 Date+1 perf+1 now=1');
    expect(ahead.lines[299]).toBe('300000 tick 300 Date+300 perf+300 now=300');
    expect(ahead.lines.length).toBe(360);
    expect(ahead.lines.slice(300).every((l) => /^\d+ reply "\+PONG\\r\\n" at \d+$/.test(l))).toBe(true);
    expect(stepwise.lines).toEqual(ahead.lines);
    expect(stepwise.calls).toBeGreaterThan(300 + 2 * 60);
    // the server's cron (10 per s) and the app's own writes end a run ahead; nothing else does. A reply runs
    // ahead to the next write's timer when no other event comes first: fewer than two calls per write
    expect(ahead.calls).toBeLessThan(20 + 1.5 * 60);
  }, 180_000);

  it('inside a waitFor of a Sentinel event too (an app host never logs one): the same trace, as few calls', () => {
    const ahead = run((s) => s.sleep('1.5s'));
    const waiting = run((s) => {
      try {
        s.waitFor('+switch-master', { timeout: '1.5s' });
      } catch {
        // no Sentinel here: it times out at 1.5 s, after the same events as the sleep
      }
    });
    expect(waiting.lines).toEqual(ahead.lines);
    // no more calls than the sleep (which runs ahead only to the end of each of its chunks)
    expect(waiting.calls).toBeLessThanOrEqual(ahead.calls);
    expect(waiting.calls).toBeLessThan(20 + 1.5 * 60);
  }, 180_000);
});
