import { describe, expect, it } from 'vitest';
import { js, world } from './client.ts';

describe('blocking commands', () => {
  it('BLPOP waits, is served by a push, clients served in the order they blocked', () => {
    const w = world();
    const a = w.client();
    const b = w.client();
    const p = w.client();
    a.send('blpop', 'q', '0');
    w.sim.sleep(5);
    b.send('blpop', 'q', '0');
    w.sim.sleep(5);
    expect(a.inbox.length + b.inbox.length).toBe(0);
    expect(w.server().blocks.count).toBe(2);
    expect(js(p.cmd('rpush', 'q', 'x', 'y', 'z'))).toBe(3);
    expect(a.take(1).map(js)).toEqual([['q', 'x']]);
    expect(b.take(1).map(js)).toEqual([['q', 'y']]);
    expect(js(p.cmd('lrange', 'q', '0', '-1'))).toEqual(['z']);
  });

  it('a blocked client times out on the virtual clock with a nil array', () => {
    const w = world();
    const a = w.client();
    const t0 = w.sim.now;
    a.send('blpop', 'q', '1.5');
    const [r] = a.take(1, '10s');
    expect(js(r!)).toBe(null);
    const elapsedMs = (w.sim.now - t0) / 1000;
    expect(elapsedMs).toBeGreaterThanOrEqual(1499);
    expect(elapsedMs).toBeLessThan(1520);
    expect(w.server().blocks.count).toBe(0);
  });

  it('commands pipelined behind a blocked one wait for it', () => {
    const w = world();
    const a = w.client();
    const p = w.client();
    a.send('blpop', 'q', '0');
    a.send('llen', 'q');
    w.sim.sleep(100);
    expect(a.inbox.length).toBe(0);
    p.cmd('rpush', 'q', 'v1', 'v2');
    expect(a.take(2).map(js)).toEqual([['q', 'v1'], 1]);
  });

  it('the served pop is propagated as LPOP; a blocked client that disconnects is dropped', () => {
    const w = world();
    const out: string[] = [];
    w.server().onPropagate((_db, argv) => out.push(argv.join(' ')));
    const a = w.client();
    const gone = w.client();
    gone.send('blpop', 'q', '0');
    w.sim.sleep(5);
    gone.close();
    w.sim.sleep(5);
    a.send('blpop', 'q', '0');
    w.sim.sleep(5);
    w.client().cmd('rpush', 'q', 'x');
    expect(a.take(1).map(js)).toEqual([['q', 'x']]);
    expect(out).toEqual(['rpush q x', 'LPOP q']);
  });

  it('inside MULTI a blocking command does not block', () => {
    const c = world().client();
    c.cmd('multi');
    c.cmd('blpop', 'q', '0');
    expect(js(c.cmd('exec'))).toEqual([null]);
  });

  it('CLIENT UNBLOCK with TIMEOUT and ERROR', () => {
    const w = world();
    const a = w.client();
    const ctl = w.client();
    const id = js(a.cmd('client', 'id')) as number;
    a.send('blpop', 'q', '0');
    w.sim.sleep(5);
    expect(js(ctl.cmd('client', 'unblock', String(id)))).toBe(1);
    expect(a.take(1).map(js)).toEqual([null]);
    a.send('blpop', 'q', '0');
    w.sim.sleep(5);
    expect(js(ctl.cmd('client', 'unblock', String(id), 'error'))).toBe(1);
    expect(a.take(1).map(js)).toEqual([{ err: 'UNBLOCKED client unblocked via CLIENT UNBLOCK' }]);
    expect(js(ctl.cmd('client', 'unblock', String(id)))).toBe(0);
  });

  it('a host clock jump forward times the client out at the next cron tick', () => {
    const w = world();
    const a = w.client();
    a.send('blpop', 'q', '100');
    w.sim.sleep(50);
    w.sim.clockJump('srv', 200_000);
    w.sim.sleep(150);
    expect(a.take(1).map(js)).toEqual([null]);
  });
});
