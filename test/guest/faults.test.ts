// Faults of an application host (docs/guest-apps.md, "Faults of the application's process"): kill -9 ends the
// app's process (its sockets reset, its timers gone, its ops in flight unknown) and a restart runs its module
// again; SIGSTOP freezes its timers and socket reads in virtual time until SIGCONT; a clock jump of its host
// moves Date but not its timers — each as the app itself sees it.
import { describe, expect, it } from 'vitest';
import '../../bin/guest/index.ts';
import { js } from '../../scenarios/api/admin.ts';
import { cluster, defineScenario, runScenario, type AppHandle, type ScenarioRun } from '../../scenarios/api/index.ts';

type Log = { t: number; line: string };

function runWith(fn: (ctx: any) => unknown, script: (s: ScenarioRun, app: AppHandle) => void): { r: ReturnType<typeof runScenario>; app: AppHandle; logs: Log[] } {
  let app: AppHandle | null = null;
  const sc = defineScenario({
    name: 'guest-faults',
    setup: () => cluster({ replicas: 1, sentinels: 1 }),
    script: (s) => {
      app = s.app('web-1', { host: '10.0.0.9' }, fn);
      script(s, app);
    },
  });
  const r = runScenario(sc);
  const logs = r.sim.trace.records().flatMap((x) => (x.k === 'log' && x.node === app!.node ? [{ t: x.t, line: x.line }] : []));
  return { r, app: app!, logs };
}

const ms = (us: number) => us / 1000;

/** An app that ticks every 100 ms (setInterval) and logs its clocks at start. */
const ticker = async (ctx: any) => {
  const d0 = Date.now();
  ctx.log(`start perf=${Math.round(performance.now())} r=${Math.random().toFixed(9)}`);
  setInterval(() => ctx.log(`tick ${Date.now() - d0}`), 100);
  await ctx.untilStopped();
};

describe('faults of an application host', () => {
  it('kill: timers gone, sockets reset, ops in flight unknown; restart runs the module again', () => {
    let clientsBefore = -1;
    let clientsAfter = -1;
    let restartAt = 0;
    const { r, app, logs } = runWith(
      async (ctx: any) => {
        ctx.log(`start perf=${Math.round(performance.now())} r=${Math.random().toFixed(9)}`);
        setInterval(() => ctx.log('tick'), 100);
        const net = await ctx.import('node:net');
        const [server] = ctx.servers;
        const sock = net.createConnection({ host: server.host, port: server.port });
        sock.on('error', () => undefined);
        await new Promise((res) => sock.once('connect', res));
        // a command that never completes: in flight when the process dies
        const op = ctx.invoke('set', 'never', 'x');
        sock.write('*3\r\n$5\r\nBLPOP\r\n$5\r\nnever\r\n$1\r\n0\r\n');
        sock.once('data', (d: Buffer) => op.ok(d.toString()));
        await ctx.untilStopped();
      },
      (s) => {
        s.sleep('1s');
        clientsBefore = Number(/connected_clients:(\d+)/.exec(String(js(s.exec(s.node('6379'), 'INFO', 'clients'))))![1]);
        s.kill('web-1'); // by its host's name, as any node
        s.sleep('1s');
        clientsAfter = Number(/connected_clients:(\d+)/.exec(String(js(s.exec(s.node('6379'), 'INFO', 'clients'))))![1]);
        restartAt = s.now;
        s.restart('web-1');
        s.sleep('0.35s');
      },
    );
    expect(r.status).toBe('ok');
    // the server saw the app's connection reset (its blocked client gone)
    expect(clientsAfter).toBe(clientsBefore - 1);
    const ticks = logs.filter((l) => l.line === 'tick').map((l) => ms(l.t));
    expect(ticks.filter((t) => t > 1000 && t < 2000)).toEqual([]); // no timer of the dead process ran
    expect(ticks.filter((t) => t <= 1000).length).toBe(10);
    expect(ticks.filter((t) => t > 2000)).toEqual([2100, 2200, 2300]); // the new process's timers
    const starts = logs.filter((l) => l.line.startsWith('start'));
    expect(starts.map((l) => l.t)).toEqual([0, restartAt]);
    // a new process: its performance.now starts at 0 again and it draws other random numbers
    expect(starts[1]!.line).toMatch(/^start perf=0 r=/);
    expect(starts[1]!.line).not.toBe(starts[0]!.line);
    const inFlight = app.history.filter((e) => e.op === 'set');
    expect(inFlight).toHaveLength(2);
    expect(inFlight[0]).toMatchObject({ outcome: 'unknown', complete: null, reply: 'the app process was killed' });
    expect(inFlight[1]).toMatchObject({ outcome: 'unknown', complete: null, reply: 'still in flight when the run ended' });
    const recs = r.sim.trace.records();
    expect(recs.filter((x) => x.k === 'proc' && x.node === app.node).map((x) => (x as { ev: string }).ev)).toEqual(['start', 'crash', 'start']);
  }, 180_000);

  it('host down, then up: the app starts again from scratch, as a new process with new connections', () => {
    let upAt = 0;
    const { r, app, logs } = runWith(
      async (ctx: any) => {
        // state of the thread's realm: a new process starts with none of it
        const g = globalThis as any;
        g.boots = (g.boots ?? 0) + 1;
        ctx.log(`start boots=${g.boots} perf=${Math.round(performance.now())}`);
        setInterval(() => ctx.log('tick'), 100);
        const net = await ctx.import('node:net');
        const [server] = ctx.servers;
        const sock = net.createConnection({ host: server.host, port: server.port });
        sock.on('error', () => undefined);
        sock.once('connect', () => ctx.log('connected'));
        await ctx.untilStopped();
      },
      (s) => {
        s.sleep('0.25s');
        s.hostDown('web-1');
        s.sleep('1s');
        upAt = s.now;
        s.hostUp('web-1');
        s.sleep('0.25s');
      },
    );
    expect(r.error).toBe(null);
    expect(r.status).toBe('ok');
    const lines = logs.map((l) => `${ms(l.t)} ${l.line}`);
    const up = ms(upAt);
    expect(lines.filter((l) => Number(l.split(' ')[0]) > 250 && Number(l.split(' ')[0]) < up)).toEqual([]);
    expect(lines.filter((l) => l.includes('start'))).toEqual(['0 start boots=1 perf=0', `${up} start boots=1 perf=0`]);
    expect(lines.filter((l) => Number(l.split(' ')[0]) >= up && l.endsWith('tick'))).toEqual([`${up + 100} tick`, `${up + 200} tick`]);
    const recs = r.sim.trace.records();
    expect(recs.filter((x) => x.k === 'proc' && x.node === app.node).map((x) => (x as { ev: string }).ev)).toEqual(['start', 'host-down', 'host-up']);
    // a second connection, opened by the new process (the first one's peer was never told)
    const opens = recs.flatMap((x) => (x.k === 'note' && x.what === 'app-conn' && x.node === app.node && (x.data as { ev: string }).ev === 'open' ? [{ t: x.t, conn: (x.data as { conn: number }).conn }] : []));
    expect(opens).toHaveLength(2);
    expect(opens[1]!.t).toBeGreaterThanOrEqual(upAt);
    expect(opens[0]!.conn).not.toBe(opens[1]!.conn);
    expect(lines.filter((l) => l.endsWith('connected'))).toHaveLength(2);
  }, 180_000);

  it('pause: its timers and socket reads freeze in virtual time, then run late at resume', () => {
    const { r, logs } = runWith(
      async (ctx: any) => {
        const d0 = Date.now();
        setInterval(() => ctx.log(`tick ${Date.now() - d0}`), 100);
        const net = await ctx.import('node:net');
        const [server] = ctx.servers;
        const sock = net.createConnection({ host: server.host, port: server.port });
        await new Promise((res) => sock.once('connect', res));
        await new Promise((res) => setTimeout(res, 480 - (Date.now() - d0)));
        // sent just before the pause: the reply arrives while the process is stopped
        sock.write('*1\r\n$4\r\nPING\r\n');
        sock.on('data', (d: Buffer) => ctx.log(`reply ${JSON.stringify(d.toString())} at ${Date.now() - d0}`));
        await ctx.untilStopped();
        sock.end();
      },
      (s) => {
        s.setLink('web-1', '6379', { latency: 30 });
        s.sleep('0.5s');
        s.pause('web-1');
        s.sleep('2s');
        s.resume('web-1');
        s.sleep('0.25s');
      },
    );
    expect(r.status).toBe('ok');
    const lines = logs.map((l) => `${ms(l.t)} ${l.line}`);
    expect(lines.filter((l) => Number(l.split(' ')[0]) > 500 && Number(l.split(' ')[0]) < 2500)).toEqual([]);
    // at resume the overdue interval runs once, late (Date shows it), then the reply is read; then it goes on
    expect(lines.filter((l) => Number(l.split(' ')[0]) >= 2500)).toEqual(['2500 tick 2500', '2500 reply "+PONG\\r\\n" at 2500', '2600 tick 2600', '2700 tick 2700']);
  }, 180_000);

  it('clock jump of its host: Date moves, timers and performance.now do not', () => {
    const { r, logs } = runWith(
      async (ctx: any) => {
        const d0 = Date.now();
        const p0 = performance.now();
        setTimeout(() => ctx.log(`timeout Date+${Date.now() - d0} perf+${Math.round(performance.now() - p0)}`), 1000);
        setInterval(() => ctx.log(`interval Date+${Date.now() - d0}`), 400);
        await ctx.untilStopped();
      },
      (s) => {
        s.sleep('0.5s');
        s.clockJump('web-1', '60s');
        s.sleep('0.3s');
        s.clockJump('web-1', '-90s');
        s.sleep('0.5s');
      },
    );
    expect(r.status).toBe('ok');
    expect(logs.map((l) => `${ms(l.t)} ${l.line}`)).toEqual([
      '400 interval Date+400',
      '800 interval Date+60800',
      '1000 timeout Date+-29000 perf+1000',
      '1200 interval Date+-28800',
    ]);
  }, 180_000);

  it('a killed app believes in no master: its app-view note says null', () => {
    const { r, app } = runWith(
      async (ctx: any) => {
        ctx.view('127.0.0.1:6379');
        await ctx.untilStopped();
      },
      (s) => {
        s.sleep('0.2s');
        s.kill('web-1');
        s.sleep('0.2s');
      },
    );
    const views = r.sim.trace.records().flatMap((x) => (x.k === 'note' && x.what === 'app-view' && x.node === app.node ? [[ms(x.t), (x.data as { master: string | null }).master]] : []));
    expect(views).toEqual([
      [0, '127.0.0.1:6379'],
      [200, null],
    ]);
    expect(app.master).toBe(null);
  }, 180_000);
});
