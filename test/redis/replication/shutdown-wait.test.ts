// SHUTDOWN on a master with replicas (Redis 7.0.15 prepareForShutdown / finishShutdown / abortShutdown):
// unless NOW, lagging replicas get up to shutdown-timeout seconds to catch up while writes are paused.
import { describe, expect, it } from 'vitest';
import { js, linkUp, ReplWorld } from './world.ts';

function world(masterConf = '') {
  const w = new ReplWorld();
  const m = w.server('m', '10.0.0.1', 7001, masterConf);
  const r = w.server('r0', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
  w.start('m', 'r0');
  w.until(() => linkUp(r), '10s');
  w.run(1100);
  return { w, m, r };
}

const alive = (w: ReplWorld) => w.sim.proc('10.0.0.1:7001').state === 'running';

describe('SHUTDOWN with replicas', () => {
  it('exits at once when every replica is in sync, and says so', () => {
    const { w, m } = world();
    const mark = w.mark();
    const c = w.client(m);
    c.send('shutdown');
    w.run(50);
    expect(alive(w)).toBe(false);
    expect(c.inbox).toHaveLength(0);
    expect(m.logs(mark)).toEqual(['# User requested shutdown...', '* 1 of 1 replicas are in sync when shutting down.', '# Redis is now ready to exit, bye bye...']);
  });

  it('waits for a lagging replica with writes paused; SHUTDOWN ABORT resumes (the waiting caller gets an error)', () => {
    const { w, m } = world();
    w.sim.block('r0', 'm');
    const c = w.client(m);
    c.q('set', 'a', '1');
    const mark = w.mark();
    const sd = w.client(m);
    sd.send('shutdown');
    w.run(200);
    expect(alive(w)).toBe(true);
    expect(sd.inbox).toHaveLength(0);
    expect(js(c.cmd('info', 'clients'))).toContain('blocked_clients:1\r\n');
    expect(js(c.cmd('info', 'server'))).toMatch(/\r\nio_threads_active:0\r\nshutdown_in_milliseconds:9[78]\d\d\r\n$/);
    expect((js(c.cmd('client', 'list')) as string).split('\n').find((l) => l.includes('cmd=shutdown'))).toContain(' flags=b ');
    const writer = w.client(m);
    writer.send('set', 'b', '2');
    w.run(100);
    expect(writer.inbox).toHaveLength(0);
    expect(c.q('get', 'a')).toBe('1');
    expect(c.q('shutdown', 'abort', 'now')).toEqual({ err: 'ERR syntax error' });
    expect(c.q('shutdown', 'abort')).toBe('OK');
    expect(js(sd.take(1)[0]!)).toEqual({ err: 'ERR Errors trying to SHUTDOWN. Check logs.' });
    expect(js(writer.take(1)[0]!)).toBe('OK');
    expect(c.q('shutdown', 'abort')).toEqual({ err: 'ERR No shutdown in progress.' });
    expect(m.logs(mark)).toEqual(['# User requested shutdown...', '* Waiting for replicas before shutting down.', '* Shutdown manually aborted.']);
  });

  it('gives up after shutdown-timeout and names the lagging replica', () => {
    const { w, m } = world('shutdown-timeout 3\n');
    w.sim.block('r0', 'm');
    const c = w.client(m);
    c.q('set', 'a', '1');
    const mark = w.mark();
    const t0 = w.sim.now;
    c.send('shutdown');
    w.until(() => !alive(w), '5s');
    const s = (w.sim.now - t0) / 1e6;
    expect(s).toBeGreaterThanOrEqual(3);
    expect(s).toBeLessThan(3.2);
    const l = m.logs(mark);
    expect(l[0]).toBe('# User requested shutdown...');
    expect(l[1]).toBe('* Waiting for replicas before shutting down.');
    expect(l[2]).toMatch(/^# Lagging replica 10\.0\.0\.2:7002 reported offset \d+ behind master, lag=\d+, state=online\.$/);
    expect(l.slice(3)).toEqual(['* 0 of 1 replicas are in sync when shutting down.', '# Redis is now ready to exit, bye bye...']);
  });

  it('finishes as soon as the replica caught up (REPLCONF GETACK sent when it started waiting)', () => {
    const { w, m, r } = world();
    w.sim.block('m', 'r0'); // the write does not reach the replica yet
    const c = w.client(m);
    c.q('set', 'a', '1');
    const mark = w.mark();
    c.send('shutdown');
    w.run(300);
    expect(alive(w)).toBe(true);
    w.sim.heal();
    w.until(() => !alive(w), '3s');
    expect(m.logs(mark)).toContain('* 1 of 1 replicas are in sync when shutting down.');
    expect(w.client(r).q('get', 'a')).toBe('1');
  });

  it('integration/shutdown.tcl: a stopped replica gets the last write before the master exits', () => {
    const { w, m, r } = world('shutdown-timeout 300\nhz 100\n');
    const c = w.client(m);
    c.q('set', 'k', '1');
    w.until(() => r.info().slave_repl_offset === m.info().master_repl_offset, '5s');
    w.sim.pause('10.0.0.2:7002');
    w.run(10);
    c.q('incr', 'k');
    const mark = w.mark();
    const sd = w.client(m);
    sd.send('shutdown');
    w.run(20);
    expect(Number(/shutdown_in_milliseconds:(\d+)/.exec(js(c.cmd('info', 'server')) as string)![1])).toBeGreaterThan(0);
    w.sim.resume('10.0.0.2:7002');
    w.until(() => !alive(w), '10s');
    expect(w.client(r).q('get', 'k')).toBe('2');
    const l = m.logs(mark);
    expect(l.filter((x) => x.includes('Lagging replica'))).toHaveLength(0);
    expect(l).toContain('* 1 of 1 replicas are in sync when shutting down.');
    expect(l[l.length - 1]).toBe('# Redis is now ready to exit, bye bye...');
  });

  it('NOW does not wait', () => {
    const { w, m } = world();
    w.sim.block('r0', 'm');
    const c = w.client(m);
    c.q('set', 'a', '1');
    const mark = w.mark();
    c.send('shutdown', 'now');
    w.run(50);
    expect(alive(w)).toBe(false);
    expect(m.logs(mark)[1]).toMatch(/^# Lagging replica 10\.0\.0\.2:7002 reported offset \d+ behind master/);
  });
});
