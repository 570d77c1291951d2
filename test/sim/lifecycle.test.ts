import { describe, expect, it } from 'vitest';
import type { ProcessContext } from '../../engine/sim/process.ts';
import { Simulation } from '../../engine/sim/simulation.ts';
import { dial, echoWorld } from './echo.ts';

function counterWorld() {
  const sim = new Simulation({ seed: 3 });
  const h = sim.addHost('h', '10.0.0.1');
  const fired: { at: number; inc: number }[] = [];
  let ctxRef: ProcessContext | null = null;
  sim.addProcess(h, 1, 'server', (ctx) => {
    ctxRef = ctx;
    const memory = { n: (ctx.host.disk.read<number>('boots') ?? 0) + 1 };
    ctx.host.disk.write('boots', memory.n);
    const tick = () => {
      fired.push({ at: ctx.now(), inc: ctx.incarnation });
      ctx.setTimer(100, tick);
    };
    ctx.setTimer(100, tick);
    return { snapshot: () => memory };
  });
  sim.startAll();
  return { sim, h, fired, ctx: () => ctxRef! };
}

describe('process lifecycle', () => {
  it('pause delays timers without dropping them; they fire late after resume', () => {
    const { sim, fired } = counterWorld();
    sim.run({ until: 250_000 });
    expect(fired.map((f) => f.at)).toEqual([100_000, 200_000]);
    sim.pause('10.0.0.1:1');
    sim.run({ until: 1_000_000 });
    expect(fired.length).toBe(2);
    sim.resume('10.0.0.1:1');
    sim.run({ until: 1_000_000 });
    // the timer that came due at 300 ms fires at resume, late
    expect(fired[2]!.at).toBe(1_000_000);
    sim.run({ until: 1_250_000 });
    expect(fired.slice(3).map((f) => f.at)).toEqual([1_100_000, 1_200_000]);
  });

  it('crash loses memory and timers but keeps the disk', () => {
    const { sim, fired, h } = counterWorld();
    sim.run({ until: 250_000 });
    sim.kill('10.0.0.1:1');
    sim.run({ until: 1_000_000 });
    expect(fired.length).toBe(2);
    expect(h.disk.read('boots')).toBe(1);
    sim.restart('10.0.0.1:1');
    expect(h.disk.read('boots')).toBe(2);
    expect((sim.proc('10.0.0.1:1').instance!.snapshot!() as { n: number }).n).toBe(2);
    sim.run({ until: 1_150_000 });
    expect(fired.at(-1)).toEqual({ at: 1_100_000, inc: 2 });
  });

  it('clock jumps are seen only by that host', () => {
    const sim = new Simulation();
    const a = sim.addHost('a', '10.0.0.1');
    const b = sim.addHost('b', '10.0.0.2');
    sim.run({ until: 1000 });
    const before = [a.mstime(sim.now), b.mstime(sim.now)];
    sim.clockJump('a', 5000);
    expect(a.mstime(sim.now) - before[0]!).toBe(5000);
    expect(b.mstime(sim.now)).toBe(before[1]);
    sim.clockJump('b', -1000);
    expect(b.mstime(sim.now) - before[1]!).toBe(-1000);
  });

  it('a crash resets the peers connections; a host-down does not (they time out)', () => {
    const { sim, probe } = echoWorld(2, { net: { userTimeoutMs: 5000 } });
    const c1 = dial(probe, '10.0.0.1', 7000);
    const c2 = dial(probe, '10.0.0.2', 7000);
    sim.run({ until: 100_000 });
    sim.kill('10.0.0.1:7000');
    sim.hostDown('h2');
    c1.send('x', 10);
    c2.send('y', 10);
    sim.run({ until: 30_000_000 });
    const byConn = Object.fromEntries(probe.closes.map((c) => [c.conn, c.reason]));
    expect(byConn[c1.id]).toBe('reset');
    expect(byConn[c2.id]).toBe('timeout');
  });

  it('host up restarts its processes from disk', () => {
    const { sim, h } = counterWorld();
    sim.run({ until: 150_000 });
    sim.hostDown('h');
    expect(sim.proc('10.0.0.1:1').state).toBe('stopped');
    sim.hostUp('h');
    expect(sim.proc('10.0.0.1:1').state).toBe('running');
    expect(h.disk.read('boots')).toBe(2);
  });
});
