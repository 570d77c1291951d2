// WAIT (replication.md §9) and min-replicas-to-write / min-replicas-max-lag (§8).
import { describe, expect, it } from 'vitest';
import { js, linkUp, ReplWorld } from './world.ts';

function world(masterConf = '') {
  const w = new ReplWorld();
  const m = w.server('m', '10.0.0.1', 7001, masterConf);
  const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
  w.start('m', 'r');
  w.until(() => linkUp(r), '10s');
  w.run(1100); // the stream starts with the first ACK
  return { w, m, r };
}

const cutReplica = (w: ReplWorld) => {
  w.sim.block('m', 'r');
  w.sim.block('r', 'm');
};

describe('WAIT', () => {
  it('returns as soon as the replica acknowledged the write (GETACK in the stream)', () => {
    const { w, m } = world();
    const c = w.client(m);
    c.q('set', 'a', '1');
    const before = m.repl().st.masterReplOffset;
    const t0 = w.sim.now;
    expect(c.q('wait', '1', '0')).toBe(1);
    expect(w.sim.now - t0).toBeLessThan(10_000); // µs: one round trip, not the 1 s ACK period
    // one REPLCONF GETACK * (37 bytes) went into the stream
    expect(m.repl().st.masterReplOffset - before).toBe(37);
  });

  it('times out in virtual time with the count reached so far', () => {
    const { w, m } = world();
    const c = w.client(m);
    c.q('set', 'a', '1');
    const t0 = w.sim.now;
    expect(c.q('wait', '2', '300')).toBe(1);
    const ms = (w.sim.now - t0) / 1000;
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThan(310);
  });

  it('blocks while the replica is cut off, and counts 0 at the time-out', () => {
    const { w, m } = world();
    const c = w.client(m);
    cutReplica(w);
    c.q('set', 'a', '1');
    expect(c.q('wait', '1', '2000')).toBe(0);
    w.sim.heal();
    expect(c.q('wait', '1', '5000')).toBe(1);
  });

  it('answers at once inside MULTI, with a number already reached, and refuses bad arguments', () => {
    const { w, m, r } = world();
    const c = w.client(m);
    expect(c.q('wait', '0', '0')).toBe(1);
    c.send('multi');
    c.send('set', 'x', '1');
    c.send('wait', '5', '0');
    c.send('exec');
    expect(c.take(4).map(js)).toEqual(['OK', 'QUEUED', 'QUEUED', ['OK', 1]]);
    expect(c.q('wait', 'x', '0')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(c.q('wait', '1', 'x')).toEqual({ err: 'ERR timeout is not an integer or out of range' });
    expect(c.q('wait', '1', '1.5')).toEqual({ err: 'ERR timeout is not an integer or out of range' });
    expect(c.q('wait', '1', '-1')).toEqual({ err: 'ERR timeout is negative' });
    expect(w.client(r).q('wait', '0', '0')).toEqual({
      err: 'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
    });
  });
});

describe('min-replicas-to-write', () => {
  it('refuses writes with NOREPLICAS once the only replica lags more than min-replicas-max-lag', () => {
    const { w, m } = world('min-replicas-to-write 1\nmin-replicas-max-lag 3\n');
    const c = w.client(m);
    expect(m.info().min_slaves_good_slaves).toBe('1');
    expect(c.q('set', 'a', '1')).toBe('OK');
    cutReplica(w);
    const t0 = w.sim.now;
    while (js(c.cmd('set', 'a', '2')) === 'OK') w.run(100);
    const s = (w.sim.now - t0) / 1e6;
    // last ACK ≤ 1 s before the cut, lag counted in whole seconds, count refreshed every second
    expect(s).toBeGreaterThan(2);
    expect(s).toBeLessThan(5.2);
    expect(c.q('set', 'a', '3')).toEqual({ err: 'NOREPLICAS Not enough good replicas to write.' });
    expect(c.q('get', 'a')).toBe('2');
    expect(m.info().min_slaves_good_slaves).toBe('0');
    c.send('multi');
    c.send('set', 'a', '4');
    c.send('exec');
    expect(c.take(3).map(js)).toEqual([
      'OK',
      { err: 'NOREPLICAS Not enough good replicas to write.' },
      { err: 'EXECABORT Transaction discarded because of previous errors.' },
    ]);
    w.sim.heal();
    w.run(2100);
    expect(c.q('set', 'a', '5')).toBe('OK');
  });

  // docs/triage.md, known failure 'min-replicas-counts-unreached-replica' (search seed 5508, reproduced on real
  // Redis 7.0.15: writes accepted from +5.16 s to +6.97 s): a diskless transfer that ends while the replica is
  // cut off still puts it online (the RDB sits in the socket buffer), and replicaPutOnline sets repl_ack_time
  // to now, so the master counts a replica it has not heard from since the cut as good for another 1-2 s
  it('counts a replica whose delayed diskless sync ended during a cut as good until its lag passes max-lag', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'min-replicas-to-write 1\nmin-replicas-max-lag 1\n');
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    const t0 = w.sim.now;
    const c = w.client(m);
    w.run(2000); // the replica asked for a full sync; repl-diskless-sync-delay (5 s) holds it back
    expect(m.logs()).toContain('* Delay next BGSAVE for diskless SYNC');
    cutReplica(w);
    const mark = w.mark();
    const ok: number[] = [];
    for (let i = 0; i < 80; i++) {
      if (js(c.cmd('sadd', 's', String(i))) === 1) ok.push((w.sim.now - t0) / 1e6);
      w.run(100);
    }
    expect(m.logs(mark)).toContain('* Synchronization with replica 10.0.0.2:7002 succeeded');
    expect(linkUp(r)).toBe(false);
    expect(ok.length).toBeGreaterThan(0);
    const first = ok[0]!;
    const last = ok.at(-1)!;
    expect(first).toBeGreaterThan(5); // accepted only once the transfer ended, > 3 s into the cut
    expect(first).toBeLessThan(5.5);
    expect(last - first).toBeGreaterThan(0.9); // whole-second lag, refreshed once a second: 1-3 s of writes
    expect(last - first).toBeLessThan(3);
    expect(ok.length).toBe(Math.round((last - first) * 10) + 1); // one window, then NOREPLICAS again
    expect(c.q('sadd', 's', 'x')).toEqual({ err: 'NOREPLICAS Not enough good replicas to write.' });
  });
});
