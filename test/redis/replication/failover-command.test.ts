// FAILOVER (replication.c failoverCommand / updateFailoverStatus / abortFailover) and the target's
// PSYNC ... FAILOVER, in the simulator.
import { describe, expect, it } from 'vitest';
import { js, linkUp, ReplWorld, type Node } from './world.ts';

function world(replicas = 1, masterConf = '') {
  const w = new ReplWorld();
  const m = w.server('m', '10.0.0.1', 7001, masterConf);
  const rs: Node[] = [];
  for (let i = 0; i < replicas; i++) rs.push(w.server(`r${i}`, `10.0.0.${2 + i}`, 7002 + i, 'replicaof 10.0.0.1 7001\n'));
  w.start('m', ...rs.map((r) => r.name));
  w.until(() => rs.every(linkUp), '10s');
  w.run(1100); // the stream starts with the first ACK
  return { w, m, rs, r: rs[0]! };
}

const state = (n: Node) => n.info().master_failover_state;

describe('FAILOVER: argument and state errors (failoverCommand order)', () => {
  it('refuses what Redis refuses, with its texts', () => {
    const { w, m, r } = world();
    const c = w.client(m);
    expect(c.q('failover', 'abort')).toEqual({ err: 'ERR No failover in progress.' });
    expect(c.q('failover', 'timeout', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(c.q('failover', 'timeout', '0')).toEqual({ err: 'ERR FAILOVER timeout must be greater than 0' });
    expect(c.q('failover', 'timeout', '-5')).toEqual({ err: 'ERR FAILOVER timeout must be greater than 0' });
    expect(c.q('failover', 'timeout', '10', 'timeout', '10')).toEqual({ err: 'ERR syntax error' });
    expect(c.q('failover', 'to', '10.0.0.2', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(c.q('failover', 'to', '10.0.0.2')).toEqual({ err: 'ERR syntax error' });
    expect(c.q('failover', 'force', 'force')).toEqual({ err: 'ERR syntax error' });
    expect(c.q('failover', 'abort', 'timeout', '5')).toEqual({ err: 'ERR syntax error' });
    expect(c.q('failover', 'force')).toEqual({ err: 'ERR FAILOVER with force option requires both a timeout and target HOST and IP.' });
    expect(c.q('failover', 'force', 'timeout', '100')).toEqual({
      err: 'ERR FAILOVER with force option requires both a timeout and target HOST and IP.',
    });
    expect(c.q('failover', 'to', '10.0.0.9', '7002')).toEqual({ err: 'ERR FAILOVER target HOST and PORT is not a replica.' });
    expect(c.q('failover', 'to', '10.0.0.2', '7003')).toEqual({ err: 'ERR FAILOVER target HOST and PORT is not a replica.' });
    expect(w.client(r).q('failover')).toEqual({ err: 'ERR FAILOVER is not valid when server is a replica.' });
    expect(state(m)).toBe('no-failover');
  });

  it('needs connected replicas', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    w.start('m');
    w.run(100);
    expect(w.client(m).q('failover')).toEqual({ err: 'ERR FAILOVER requires connected replicas.' });
  });

  it('refuses a second FAILOVER and REPLICAOF while one waits for sync; ABORT resumes writes', () => {
    const { w, m, r } = world();
    // the replica cannot acknowledge the last write: the failover stays in waiting-for-sync
    w.sim.block('r0', 'm');
    const c = w.client(m);
    c.q('set', 'unacked', '1');
    expect(c.q('failover', 'to', '10.0.0.2', '7002')).toBe('OK');
    expect(state(m)).toBe('waiting-for-sync');
    expect(c.q('failover')).toEqual({ err: 'ERR FAILOVER already in progress.' });
    expect(c.q('replicaof', 'no', 'one')).toEqual({ err: 'ERR REPLICAOF not allowed while failing over.' });
    // writes wait (postponed), reads do not
    const writer = w.client(m);
    writer.send('set', 'k', 'v');
    w.run(200);
    expect(writer.inbox).toHaveLength(0);
    expect(c.q('get', 'k')).toBeNull();
    expect(m.server().blocks.count).toBe(1);
    const mark = w.mark();
    expect(c.q('failover', 'abort')).toBe('OK');
    expect(js(writer.take(1)[0]!)).toBe('OK');
    expect(state(m)).toBe('no-failover');
    expect(m.logs(mark)).toContain('* FAILOVER to 10.0.0.2:7002 aborted: Failover manually aborted');
    expect(r.info().role).toBe('slave');
  });
});

describe('FAILOVER: the happy path', () => {
  it('waits for the ACK, demotes the master with PSYNC FAILOVER, the target promotes itself; no write is lost', () => {
    const { w, m, r } = world();
    const c = w.client(m);
    for (let i = 0; i < 20; i++) c.q('set', `k${i}`, String(i));
    const mark = w.mark();
    const writer = w.client(m);
    expect(c.q('failover')).toBe('OK');
    writer.send('incr', 'counter');
    w.until(() => state(m) === 'no-failover', '5s');
    // the postponed write is processed again on a replica: READONLY
    expect(js(writer.take(1)[0]!)).toEqual({ err: "READONLY You can't write against a read only replica." });
    expect(m.info().role).toBe('slave');
    expect(m.info().master_host).toBe('10.0.0.2');
    expect(r.info().role).toBe('master');
    w.until(() => linkUp(m), '5s');
    expect(r.digest()).toBe(m.digest());
    const ml = m.logs(mark);
    expect(ml).toContain('* FAILOVER requested to any replica.');
    expect(ml).toContain('* Failover target 10.0.0.2:7002 is synced, failing over.');
    expect(ml).toContain('* Connecting to MASTER 10.0.0.2:7002');
    expect(ml).toContain('* Successful partial resynchronization with master.');
    const rl = r.logs(mark);
    expect(rl.find((l) => l.startsWith('# Failover request received for replid '))).toBeDefined();
    expect(rl.find((l) => l.startsWith("* MASTER MODE enabled (failover request from 'id="))).toBeDefined();
    expect(rl.find((l) => l.startsWith('* Partial resynchronization request from 10.0.0.1:7001 accepted.'))).toBeDefined();
    // the new master takes writes
    expect(w.client(r).q('set', 'after', '1')).toBe('OK');
  });

  it('clients blocked on keys are unblocked with -UNBLOCKED and closed; postponed writers stay connected', () => {
    const { w, m } = world();
    const blocked = w.client(m);
    blocked.send('blpop', 'q', '0');
    w.run(10);
    const c = w.client(m);
    w.sim.block('r0', 'm'); // the replica's ACKs are held: the failover waits
    c.q('set', 'unacked', '1');
    c.q('failover');
    const writer = w.client(m);
    writer.send('set', 'x', '1');
    w.run(300);
    expect(writer.inbox).toHaveLength(0); // postponed
    expect(blocked.inbox).toHaveLength(0);
    w.sim.heal();
    w.until(() => state(m) === 'no-failover', '5s');
    expect(js(blocked.take(1)[0]!)).toEqual({ err: 'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)' });
    w.run(10);
    expect(blocked.closed).not.toBeNull();
    expect(js(writer.take(1)[0]!)).toEqual({ err: "READONLY You can't write against a read only replica." });
    expect(writer.closed).toBeNull();
    expect(writer.q('get', 'x')).toBeNull();
  });

  it('TO a given replica: the other replica stays chained under the old master', () => {
    const { w, m, rs } = world(2);
    const c = w.client(m);
    c.q('set', 'a', '1');
    expect(c.q('failover', 'to', '10.0.0.3', '7003')).toBe('OK');
    w.until(() => state(m) === 'no-failover', '5s');
    expect(rs[1]!.info().role).toBe('master');
    expect(m.info().master_port).toBe('7003');
    w.until(() => linkUp(rs[0]!) && linkUp(m), '5s');
    // replicas of the old master re-sync with it (replid changed), not with the new master
    expect(rs[0]!.info().master_host).toBe('10.0.0.1');
  });

  it('checks the state every 100 ms while failing over (replicationCron period)', () => {
    const { w, m } = world();
    const c = w.client(m);
    const t0 = w.sim.now;
    c.q('failover');
    w.until(() => state(m) === 'no-failover', '5s');
    // the replica ACKs once a second; the switch follows its next ACK
    expect((w.sim.now - t0) / 1000).toBeLessThan(1300);
  });
});

describe('FAILOVER: time-outs and FORCE', () => {
  it('aborts after TIMEOUT when no replica caught up, and writes resume', () => {
    const { w, m } = world();
    w.sim.block('r0', 'm');
    const c = w.client(m);
    c.q('set', 'unacked', '1');
    const mark = w.mark();
    expect(c.q('failover', 'timeout', '500')).toBe('OK');
    const writer = w.client(m);
    writer.send('set', 'x', '1');
    expect(js(writer.take(1, '3s')[0]!)).toBe('OK');
    expect(state(m)).toBe('no-failover');
    expect(m.info().role).toBe('master');
    expect(m.logs(mark)).toContain('* FAILOVER to any replica aborted: Replica never caught up before timeout');
  });

  it('FORCE fails over to the target at the TIMEOUT even if it lags', () => {
    const { w, m, r } = world();
    const c = w.client(m);
    // the replica stops acknowledging, but stays reachable for the handshake later
    w.sim.block('r0', 'm');
    c.q('set', 'lost?', '1');
    const mark = w.mark();
    expect(c.q('failover', 'to', '10.0.0.2', '7002', 'force', 'timeout', '300')).toBe('OK');
    w.run(600);
    expect(m.logs(mark)).toContain('* FAILOVER to 10.0.0.2:7002 time out exceeded, failing over.');
    expect(state(m)).toBe('failover-in-progress');
    w.sim.heal();
    w.until(() => state(m) === 'no-failover', '120s');
    expect(r.info().role).toBe('master');
    expect(m.info().role).toBe('slave');
  });

  it('a target that refuses the PSYNC FAILOVER aborts: the old master is a master again', () => {
    const { w, m, r } = world();
    const c = w.client(m);
    w.sim.block('r0', 'm');
    c.q('set', 'unacked', '1');
    expect(c.q('failover', 'to', '10.0.0.2', '7002', 'force', 'timeout', '200')).toBe('OK');
    // the target is promoted by someone else meanwhile: PSYNC FAILOVER can't be sent to a master
    expect(w.client(r).q('replicaof', 'no', 'one')).toBe('OK');
    const mark = w.mark();
    w.sim.heal();
    w.until(() => state(m) === 'no-failover', '10s');
    const ml = m.logs(mark);
    expect(ml).toContain("* Master does not support PSYNC or is in error state (reply: -ERR PSYNC FAILOVER can't be sent to a master.)");
    expect(ml).toContain('* FAILOVER to 10.0.0.2:7002 aborted: Failover target rejected psync request');
    expect(m.info().role).toBe('master');
    expect(c.q('set', 'x', '1')).toBe('OK');
  });
});

describe('PSYNC ... FAILOVER on the receiving side', () => {
  it('refuses a master and a wrong replid', () => {
    const { w, m, r } = world();
    expect(w.client(m).q('psync', '?', '-1', 'failover')).toEqual({ err: "ERR PSYNC FAILOVER can't be sent to a master." });
    expect(w.client(r).q('psync', 'f'.repeat(40), '1', 'failover')).toEqual({ err: 'ERR PSYNC FAILOVER replid must match my replid.' });
    expect(r.info().role).toBe('slave');
  });
});

describe('replication traffic while paused (replicationCron, beforeSleep)', () => {
  it('CLIENT PAUSE keeps the PINGs to replicas; a FAILOVER with TIMEOUT stops them; no GETACK while paused', () => {
    const { w, m } = world(1, 'repl-ping-replica-period 1\n');
    const c = w.client(m);
    const off = () => Number(m.info().master_repl_offset);
    c.q('client', 'pause', '100000', 'write');
    let before = off();
    w.run(3000);
    expect(off() - before).toBeGreaterThanOrEqual(2 * 14); // "*1\r\n$4\r\nPING\r\n" once a second
    // a WAIT that blocks asks for ACKs with REPLCONF GETACK: not while paused, right after the pause
    w.sim.block('r0', 'm');
    w.run(1100); // a PING the replica cannot acknowledge
    before = off();
    c.q('get', 'k'); // WAIT waits for the offset as of this client's previous command (c->woff): this one's
    expect(c.q('wait', '1', '300')).toBe(0);
    w.run(1500);
    expect((off() - before) % 14).toBe(0); // PINGs only, no 37-byte GETACK
    before = off();
    c.q('client', 'unpause');
    expect(off() - before).toBe(37); // REPLCONF GETACK * went out once unpaused
    c.q('set', 'unacked', '1');
    c.q('failover', 'timeout', '5000');
    before = off();
    w.run(3000);
    expect(off()).toBe(before);
    c.q('failover', 'abort');
  });
});

