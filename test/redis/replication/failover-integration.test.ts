// The cases of Redis 7.0.15's tests/integration/failover.tcl (three servers, SIGSTOP / SIGCONT, partial
// resyncs counted, digests compared), replayed in the simulator. The last case of the unit (a target whose
// ACL forbids PSYNC) is covered by failover-command.test.ts with a target that is already a master.
import { describe, expect, it } from 'vitest';
import { js, linkUp, ReplWorld, type Node } from './world.ts';

function world() {
  const w = new ReplWorld();
  const n0 = w.server('n0', '10.0.0.1', 7001);
  const n1 = w.server('n1', '10.0.0.2', 7002);
  const n2 = w.server('n2', '10.0.0.3', 7003);
  w.start('n0', 'n1', 'n2');
  w.run(100);
  return { w, n0, n1, n2 };
}

const stat = (w: ReplWorld, n: Node, f: string) => Number(new RegExp(`${f}:(\\d+)`).exec(js(w.client(n).cmd('info', 'stats')) as string)![1]);
const proc = (n: Node) => `${n.ip}:${n.port}`;
const state = (n: Node) => n.info().master_failover_state;
const synced = (w: ReplWorld, ...ns: Node[]) => w.until(() => ns.every(linkUp), '20s');
const offsetsMatch = (m: Node, r: Node) => r.info().slave_repl_offset === m.info().master_repl_offset;

describe('integration/failover.tcl in the simulator', () => {
  it('runs the unit’s sequence: errors, to a replica, to any replica, FORCE, time-out, abort', () => {
    const { w, n0, n1, n2 } = world();
    const c0 = w.client(n0);
    // failover command fails without connected replica
    expect(c0.q('failover', 'to', '10.0.0.2', '7002')).toEqual({ err: 'ERR FAILOVER requires connected replicas.' });
    // setup replication
    w.client(n1).q('replicaof', '10.0.0.1', '7001');
    w.client(n2).q('replicaof', '10.0.0.1', '7001');
    synced(w, n1, n2);
    w.run(1100);
    expect(c0.q('failover', 'to', 'invalidhost', '7002')).toEqual({ err: 'ERR FAILOVER target HOST and PORT is not a replica.' });
    expect(c0.q('failover', 'to', '10.0.0.2', 'invalidport')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(js(c0.cmd('FAILOVER', 'FORCE', 'TIMEOUT', '100'))).toEqual({ err: 'ERR FAILOVER with force option requires both a timeout and target HOST and IP.' });
    expect(w.client(n1).q('failover', 'to', '10.0.0.2', '7002')).toEqual({ err: 'ERR FAILOVER is not valid when server is a replica.' });
    expect(c0.q('failover', 'to', '10.0.0.2', '7002', 'FORCE')).toEqual({ err: 'ERR FAILOVER with force option requires both a timeout and target HOST and IP.' });

    // failover command to specific replica works (a delta generated while the target is stopped)
    let psyncs = stat(w, n1, 'sync_partial_ok');
    let fulls = stat(w, n1, 'sync_full');
    w.sim.pause(proc(n1));
    for (let i = 0; i < 150; i++) c0.send('set', `k${i}`, String(i));
    c0.take(150);
    w.sim.resume(proc(n1));
    expect(c0.q('failover', 'to', '10.0.0.2', '7002')).toBe('OK');
    w.until(() => state(n0) === 'no-failover', '5s');
    w.client(n2).q('replicaof', '10.0.0.2', '7002');
    synced(w, n0, n2);
    expect(n0.info().role).toBe('slave');
    expect(n1.info().role).toBe('master');
    expect(n2.info().role).toBe('slave');
    expect(stat(w, n1, 'sync_partial_ok') - psyncs).toBe(2);
    expect(stat(w, n1, 'sync_full') - fulls).toBe(0);
    w.until(() => offsetsMatch(n1, n0) && offsetsMatch(n1, n2), '5s');
    expect(new Set([n0.digest(), n1.digest(), n2.digest()]).size).toBe(1);

    // failover command to any replica works (node 0 stopped: node 2 is the one that catches up)
    psyncs = stat(w, n2, 'sync_partial_ok');
    fulls = stat(w, n2, 'sync_full');
    w.sim.pause(proc(n0));
    const c1 = w.client(n1);
    c1.q('set', 'CASE', '1');
    expect(c1.q('failover')).toBe('OK');
    w.until(() => state(n1) === 'no-failover', '5s');
    w.sim.resume(proc(n0));
    w.client(n0).q('replicaof', '10.0.0.3', '7003');
    synced(w, n0, n1);
    expect([n0.info().role, n1.info().role, n2.info().role]).toEqual(['slave', 'slave', 'master']);
    expect(stat(w, n2, 'sync_partial_ok') - psyncs).toBe(2);
    expect(stat(w, n2, 'sync_full') - fulls).toBe(0);
    w.until(() => offsetsMatch(n2, n0) && offsetsMatch(n2, n1), '5s');
    expect(new Set([n0.digest(), n1.digest(), n2.digest()]).size).toBe(1);

    // failover to a replica with force works (node 0 never acknowledges the write)
    psyncs = stat(w, n0, 'sync_partial_ok');
    fulls = stat(w, n0, 'sync_full');
    const mark = w.mark();
    w.sim.pause(proc(n0));
    const c2 = w.client(n2);
    c2.q('set', 'case', '2');
    expect(c2.q('failover', 'to', '10.0.0.1', '7001', 'TIMEOUT', '100', 'FORCE')).toBe('OK');
    w.until(() => state(n2) === 'failover-in-progress', '5s');
    expect(n1.info().role).toBe('slave');
    expect(n2.info().role).toBe('slave');
    w.sim.resume(proc(n0));
    w.until(() => state(n2) === 'no-failover', '5s');
    w.client(n1).q('replicaof', '10.0.0.1', '7001');
    synced(w, n1, n2);
    expect([n0.info().role, n1.info().role, n2.info().role]).toEqual(['master', 'slave', 'slave']);
    expect(n2.logs(mark).filter((l) => l.includes('time out exceeded, failing over.'))).toHaveLength(1);
    expect(stat(w, n0, 'sync_partial_ok') - psyncs).toBe(2);
    expect(stat(w, n0, 'sync_full') - fulls).toBe(0);
    w.until(() => offsetsMatch(n0, n1) && offsetsMatch(n0, n2), '5s');
    expect(new Set([n0.digest(), n1.digest(), n2.digest()]).size).toBe(1);

    // failover with timeout aborts if replica never catches up
    psyncs = stat(w, n0, 'sync_partial_ok');
    fulls = stat(w, n0, 'sync_full');
    w.sim.pause(proc(n1));
    const c0b = w.client(n0);
    c0b.q('SET', 'CASE', '1');
    expect(c0b.q('failover', 'to', '10.0.0.2', '7002', 'TIMEOUT', '500')).toBe('OK');
    w.until(() => state(n0) === 'no-failover', '2s');
    w.sim.resume(proc(n1));
    w.until(() => offsetsMatch(n0, n1) && offsetsMatch(n0, n2), '10s');
    expect([n0.info().role, n1.info().role, n2.info().role]).toEqual(['master', 'slave', 'slave']);
    expect(stat(w, n0, 'sync_partial_ok') - psyncs).toBe(0);
    expect(stat(w, n0, 'sync_full') - fulls).toBe(0);

    // failovers can be aborted
    w.sim.pause(proc(n1));
    c0b.q('SET', 'CASE', '2');
    expect(c0b.q('failover', 'to', '10.0.0.2', '7002', 'TIMEOUT', '60000')).toBe('OK');
    expect(state(n0)).toBe('waiting-for-sync');
    expect(c0b.q('GET', 'CASE')).toBe('2');
    expect(c0b.q('failover', 'abort')).toBe('OK');
    expect(state(n0)).toBe('no-failover');
    w.sim.resume(proc(n1));
    w.until(() => offsetsMatch(n0, n1) && offsetsMatch(n0, n2), '10s');
    expect([n0.info().role, n1.info().role, n2.info().role]).toEqual(['master', 'slave', 'slave']);
    expect(stat(w, n0, 'sync_partial_ok') - psyncs).toBe(0);
    expect(stat(w, n0, 'sync_full') - fulls).toBe(0);
    expect(new Set([n0.digest(), n1.digest(), n2.digest()]).size).toBe(1);
  });
});
