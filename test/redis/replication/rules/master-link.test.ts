// The master's side of a replica link after PSYNC (replication.md §5.3, §8, §9; replication.c
// replconfCommand, processClientsWaitingReplicas, replicationCron's master half): REPLCONF options and
// ACKs, WAIT waiters released by ACKs, losing a replica, PINGs, keep-alive newlines, the streaming
// time-out and the backlog's time to live. Fake replicas are plain connections; the cron is called
// directly with the link's clock moved, so each limit has its "just inside" and "just outside" case.
import { describe, expect, it } from 'vitest';
import type { Resp } from '../../../../engine/net/resp.ts';
import { masterCron } from '../../../../engine/redis/replication/master.ts';
import type { Cli } from '../world.ts';
import { attach, master, online, withBacklog } from './fake-replica.ts';

const kinds = (c: Cli) => (c.inbox.splice(0) as unknown as { t: string }[]).map((p) => p.t);

describe('REPLCONF', () => {
  it('options come in pairs; each is checked in order and the first error stops', () => {
    const { w, m } = master();
    const c = w.client(m);
    expect(c.q('replconf')).toBe('OK');
    expect(c.q('replconf', 'listening-port')).toEqual({ err: 'ERR syntax error' });
    expect(c.q('replconf', 'listening-port', '7002', 'capa')).toEqual({ err: 'ERR syntax error' });
    expect(c.q('replconf', 'listening-port', 'p')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(c.q('replconf', 'LISTENING-PORT', '7002', 'Nope', 'x')).toEqual({ err: 'ERR Unrecognized REPLCONF option: Nope' });
    expect(c.q('replconf', 'ip-address', 'h'.repeat(255))).toBe('OK');
    expect(c.q('replconf', 'ip-address', 'h'.repeat(256))).toEqual({ err: 'ERR REPLCONF ip-address provided by replica instance is too long: 256 bytes' });
    expect(c.q('replconf', 'rdb-only', '1', 'rdb-only', '0')).toBe('OK');
    for (const v of ['2', '-1']) expect(c.q('replconf', 'rdb-only', v)).toEqual({ err: 'ERR value is out of range, value must between 0 and 1' });
    expect(c.q('replconf', 'rdb-only', 'y')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(c.q('replconf', 'rdb-filter-only', '')).toBe('OK');
    expect(c.q('replconf', 'rdb-filter-only', ' FUNCTIONS  functions ')).toBe('OK');
    expect(c.q('replconf', 'rdb-filter-only', 'functions keys')).toEqual({ err: 'ERR Unsupported rdb-filter-only option: keys' });
    // ACK from a connection that is not a replica, or GETACK on a master: no reply at all
    c.send('replconf', 'ack', '5');
    c.send('replconf', 'getack', '*');
    expect(c.q('ping')).toBe('PONG');
  });

  it('the announced port and ip name the replica; capabilities are recorded without case', () => {
    const { w, m, logs } = master();
    const a = w.client(m);
    expect(a.q('replconf', 'ip-address', '10.1.1.1', 'listening-port', '7002', 'CAPA', 'EOF', 'capa', 'other')).toBe('OK');
    a.send('psync', '?', '-1');
    const b = w.client(m);
    expect(b.q('replconf', 'capa', 'PSYNC2')).toBe('OK');
    b.send('psync', '?', '-1');
    w.run(5);
    const [la, lb] = m.repl().links;
    expect(la!.conf).toEqual({ listeningPort: 7002, ip: '10.1.1.1', capaEof: true, capaPsync2: false });
    expect(lb!.conf).toEqual({ listeningPort: 0, ip: null, capaEof: false, capaPsync2: true });
    const l = logs();
    expect(l[0]).toBe('* Replica 10.1.1.1:7002 asks for synchronization');
    expect(l).toContain('* Replica 10.9.9.9:<unknown-replica-port> asks for synchronization');
  });

  it('ACK: the offset only grows, a bad one is ignored, each one refreshes the ACK time', () => {
    const { w, m } = withBacklog();
    const c = online(w, m, 7002);
    const l = m.repl().links[1]!;
    c.send('replconf', 'ack', '40');
    w.run(5);
    expect(l.ackOff).toBe(40);
    l.ackTime = 0;
    c.send('replconf', 'ack', '39');
    w.run(5);
    expect(l.ackOff).toBe(40);
    expect(l.ackTime).toBe(m.repl().unixtime());
    l.ackTime = 0;
    c.send('replconf', 'ack', 'x41');
    w.run(5);
    expect(l.ackOff).toBe(40);
    expect(l.ackTime).toBe(0);
    c.send('replconf', 'ack', '41');
    w.run(5);
    expect(l.ackOff).toBe(41);
    expect(c.inbox.filter((p) => (p as Resp).t === 'simple' || (p as Resp).t === 'error')).toEqual([]);
  });

  it('ACK starts the stream of an online replica waiting for it, and only of one online', () => {
    const { w, m, mc } = withBacklog();
    const c = online(w, m, 7002);
    const l = m.repl().links[1]!;
    l.streaming = false;
    l.startOnAck = true;
    l.state = 'wait_bgsave_end';
    mc.q('set', 'k', '1');
    c.send('replconf', 'ack', '1');
    w.run(5);
    expect(l.streaming).toBe(false);
    expect(kinds(c)).toEqual([]);
    l.state = 'online';
    c.send('replconf', 'ack', '1');
    w.run(5);
    expect(l.streaming).toBe(true);
    expect(l.startOnAck).toBe(false);
    expect(kinds(c)).toEqual(['stream']);
  });
});

describe('WAIT waiters and ACKs', () => {
  it('an ACK reaching the offset releases the waiter with the count; one short does not', () => {
    const { w, m, mc } = withBacklog();
    const a = online(w, m, 7002);
    const b = online(w, m, 7003);
    mc.q('set', 'k', '1');
    const off = m.repl().st.masterReplOffset;
    mc.send('wait', '2', '0');
    w.run(5);
    expect(m.repl().waiters.size).toBe(1);
    a.send('replconf', 'ack', String(off));
    b.send('replconf', 'ack', String(off - 1));
    w.run(5);
    expect(mc.inbox).toEqual([]);
    b.send('replconf', 'ack', String(off));
    expect(mc.take(1)).toEqual([{ t: 'int', v: 2 }]);
    expect(m.repl().waiters.size).toBe(0);
  });

  it('a waiter unblocked or gone is dropped at the next ACK', () => {
    const { w, m, mc } = withBacklog();
    const a = online(w, m, 7002);
    mc.q('set', 'k', '1');
    const id = mc.q('client', 'id');
    mc.send('wait', '1', '0');
    w.run(5);
    expect(w.client(m).q('client', 'unblock', String(id))).toBe(1);
    expect(mc.take(1)).toEqual([{ t: 'int', v: 0 }]);
    expect(m.repl().waiters.size).toBe(0);
    const gone = w.client(m);
    gone.q('set', 'k', '2');
    gone.send('wait', '1', '0');
    w.run(5);
    expect(m.repl().waiters.size).toBe(1);
    gone.close();
    w.run(5);
    expect(m.repl().waiters.size).toBe(0);
    void a;
  });
});

describe('WAIT waiters re-blocked', () => {
  it('a waiter unblocked and blocked again by its next WAIT is answered for the new offset only', () => {
    const { w, m, mc } = withBacklog('repl-ping-replica-period 1000\n');
    const a = online(w, m, 7002);
    mc.q('set', 'k', '1');
    const off1 = m.repl().st.masterReplOffset;
    const id = mc.q('client', 'id');
    mc.send('wait', '1', '0');
    mc.send('set', 'k', '2');
    mc.send('wait', '1', '0');
    w.run(5);
    expect(w.client(m).q('client', 'unblock', String(id))).toBe(1);
    expect(mc.take(2)).toEqual([
      { t: 'int', v: 0 },
      { t: 'simple', v: 'OK' },
    ]);
    a.send('replconf', 'ack', String(off1));
    w.run(5);
    expect(mc.inbox).toEqual([]);
    a.send('replconf', 'ack', String(m.repl().st.masterReplOffset));
    expect(mc.take(1)).toEqual([{ t: 'int', v: 1 }]);
  });
});

describe('losing a replica', () => {
  it('nothing is logged for replicas dropped by a shutdown', () => {
    const { w, m, mc, logs } = withBacklog();
    online(w, m, 7002);
    logs();
    mc.send('shutdown', 'nosave', 'now');
    w.run(100);
    const l = logs();
    expect(l).toContain('# Redis is now ready to exit, bye bye...');
    expect(l.filter((z) => z.includes('Connection with replica'))).toEqual([]);
  });

  it('logs the loss, and the last one gone starts the backlog time to live', () => {
    const { w, m, logs, s } = withBacklog();
    const a = online(w, m, 7002);
    logs();
    const r = m.repl();
    r.noReplicasSince = 0;
    a.close();
    w.run(5);
    expect(logs()).toEqual(['# Connection with replica 10.9.9.9:7002 lost.']);
    expect(r.noReplicasSince).toBe(0); // the SYNC replica is still there
    w.run(3000);
    const now = r.unixtime();
    s.close();
    w.run(5);
    expect(logs()).toEqual(['# Connection with replica 10.9.9.9:7100 lost.']);
    expect(r.noReplicasSince).toBe(now);
  });

  it('the good-replica count follows a replica lost', () => {
    const { w, m } = withBacklog('min-replicas-to-write 1\nmin-replicas-max-lag 10\n');
    const a = online(w, m, 7002);
    expect(m.repl().st.goodReplicas).toBe(2); // with the SYNC replica
    a.close();
    w.run(5);
    expect(m.repl().st.goodReplicas).toBe(1);
  });
});

describe('the master half of the cron', () => {
  it('a PING every repl-ping-replica-period loops, only with replicas', () => {
    const { w, m } = withBacklog('repl-ping-replica-period 3\n');
    const r = m.repl();
    const pings = () => r.backlog!.from(r.backlog!.offset)!.filter((e) => e.argv[0] === 'PING').length;
    const n0 = pings();
    for (const loops of [6, 7, 8, 9]) {
      r.cronLoops = loops;
      masterCron(r);
    }
    expect(pings()).toBe(n0 + 2);
    expect(r.cronLoops).toBe(10);
    r.disconnectReplicas();
    w.run(5);
    const off = r.st.masterReplOffset;
    r.cronLoops = 3;
    masterCron(r);
    expect(r.st.masterReplOffset).toBe(off);
  });

  it('no PING while a FAILOVER with a TIMEOUT pauses writes; a CLIENT PAUSE alone keeps them', () => {
    const { w, m, mc } = withBacklog('repl-ping-replica-period 1\n');
    online(w, m, 7002);
    const r = m.repl();
    const off = () => r.st.masterReplOffset;
    expect(mc.q('client', 'pause', '100000', 'write')).toBe('OK');
    let o = off();
    masterCron(r);
    expect(off()).toBe(o + 14); // *1 $4 PING
    expect(mc.q('client', 'unpause')).toBe('OK');
    expect(mc.q('failover', 'timeout', '100000')).toBe('OK');
    expect(r.failover.endMs).not.toBe(0);
    o = off();
    masterCron(r);
    expect(off()).toBe(o);
    // the FAILOVER's pause ended (TIMEOUT set, writes no longer paused): PINGs again
    expect(mc.q('failover', 'abort')).toBe('OK');
    r.failover.endMs = 1;
    o = off();
    masterCron(r);
    expect(off()).toBe(o + 14);
  });

  it('newlines keep replicas waiting for a snapshot to start (or for a disk one to end) alive', () => {
    const { w, m } = master('repl-ping-replica-period 1000\n');
    const a = attach(w, m, 7002);
    w.run(5);
    const l = m.repl().links[0]!;
    const r = m.repl();
    a.inbox.splice(0);
    for (const [state, child, want] of [
      ['wait_bgsave_start', 5, ['newline']],
      ['wait_bgsave_end', -1, ['newline']],
      ['wait_bgsave_end', 5, []],
      ['send_bulk', -1, []],
      ['online', -1, []],
    ] as const) {
      l.state = state;
      r.socketChildPid = child;
      r.cronLoops = 1;
      masterCron(r);
      w.run(5);
      expect(kinds(a).filter((k) => k === 'newline'), `${state} ${child}`).toEqual(want);
    }
  });

  it('an online replica whose last ACK is more than repl-timeout old is dropped; SYNC and start-on-ACK ones are not', () => {
    const { w, m, logs } = withBacklog('repl-timeout 5\nrepl-ping-replica-period 1000\n');
    const r = m.repl();
    online(w, m, 7002);
    online(w, m, 7003);
    logs();
    const [s, a, b] = r.links;
    const now = r.unixtime();
    s!.state = 'online';
    s!.ackTime = now - 100;
    a!.ackTime = now - 5;
    b!.ackTime = now - 100;
    b!.startOnAck = true;
    masterCron(r);
    w.run(5);
    expect(r.links.length).toBe(3);
    a!.ackTime = now - 6;
    b!.startOnAck = false;
    b!.state = 'send_bulk';
    masterCron(r);
    w.run(5);
    expect(r.links).toEqual([s, b]);
    expect(logs()).toEqual(['# Disconnecting timedout replica (streaming sync): 10.9.9.9:7002', '# Connection with replica 10.9.9.9:7002 lost.']);
  });

  it('the backlog is freed (with a new replid) only after repl-backlog-ttl seconds without replicas, on a master', () => {
    const { w, m, logs } = withBacklog('repl-backlog-ttl 10\n');
    const r = m.repl();
    const st = r.st;
    r.shiftReplicationId();
    r.disconnectReplicas();
    w.run(5);
    logs();
    const id = st.replid;
    const now = r.unixtime();
    r.noReplicasSince = now - 10;
    masterCron(r);
    expect(r.backlog).not.toBeNull();
    r.noReplicasSince = now - 11;
    const c = online(w, m, 7002); // a replica present: kept
    masterCron(r);
    expect(r.backlog).not.toBeNull();
    c.close();
    w.run(5);
    r.noReplicasSince = now - 11;
    logs();
    masterCron(r);
    expect(r.backlog).toBeNull();
    expect(st.replid).not.toBe(id);
    expect(st.replid2).toBe('0'.repeat(40));
    expect(st.secondReplOffset).toBe(-1);
    expect(logs()).toEqual(['* Replication backlog freed after 10 seconds without connected replicas.']);
  });

  it('repl-backlog-ttl 0 keeps the backlog forever', () => {
    const { w, m } = withBacklog('repl-backlog-ttl 0\n');
    const r = m.repl();
    r.disconnectReplicas();
    w.run(5);
    r.noReplicasSince = -1e9;
    masterCron(r);
    expect(r.backlog).not.toBeNull();
  });
});
