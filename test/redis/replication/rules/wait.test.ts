// WAIT numreplicas timeout (replication.md §9; replication.c waitCommand): the arguments, the answer at
// once when enough replicas already acknowledged the client's offset (or inside MULTI), otherwise a
// block released by ACKs or by the time-out with the count at that moment, and one REPLCONF GETACK *
// in the stream per event loop. Fake replicas ACK exactly the offsets the test gives (issue 20).
import { describe, expect, it } from 'vitest';
import { js } from '../world.ts';
import { online, withBacklog } from './fake-replica.ts';

const ERR_REPLICA =
  'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.';

describe('WAIT', () => {
  it('arguments: numreplicas and timeout are integers, the timeout not negative; refused on a replica', () => {
    const { w, m, mc } = withBacklog();
    expect(mc.q('wait', 'x', '0')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(mc.q('wait', '1', 'x')).toEqual({ err: 'ERR timeout is not an integer or out of range' });
    expect(mc.q('wait', '1', '-1')).toEqual({ err: 'ERR timeout is negative' });
    expect(m.repl().waiters.size).toBe(0);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('r');
    w.run(5);
    expect(w.client(r).q('wait', '0', '0')).toEqual({ err: ERR_REPLICA });
  });

  it('enough ACKs already: the count at once, without blocking; inside MULTI always at once', () => {
    const { w, m, mc } = withBacklog();
    const a = online(w, m, 7002);
    const b = online(w, m, 7003);
    mc.q('set', 'k', '1');
    const off = m.repl().st.masterReplOffset;
    a.send('replconf', 'ack', String(off));
    b.send('replconf', 'ack', String(off + 100));
    w.run(5);
    const t0 = w.sim.now;
    expect(mc.q('wait', '2', '0')).toBe(2);
    expect(mc.q('wait', '1', '0')).toBe(2);
    expect(w.sim.now - t0).toBeLessThan(5000);
    mc.send('multi');
    mc.send('wait', '3', '0');
    mc.send('exec');
    expect(mc.take(3).map(js)).toEqual(['OK', 'QUEUED', [2]]);
    expect(m.repl().waiters.size).toBe(0);
  });

  it("the offset waited for is the master's as of the client's previous command (c->woff), not the master's current one", () => {
    const { w, m, mc } = withBacklog();
    const a = online(w, m, 7002);
    mc.q('set', 'k', '1');
    const off = m.repl().st.masterReplOffset;
    a.send('replconf', 'ack', String(off - 1));
    w.run(5);
    mc.send('wait', '1', '0');
    w.run(5);
    expect(mc.inbox).toEqual([]);
    a.send('replconf', 'ack', String(off));
    expect(mc.take(1)).toEqual([{ t: 'int', v: 1 }]);
    // another client wrote since: this client's previous command (the WAIT) ended at `off`, which is acked
    const other = w.client(m);
    other.q('set', 'k', '2');
    expect(m.repl().st.masterReplOffset).toBeGreaterThan(off);
    mc.send('wait', '1', '0');
    expect(mc.take(1)).toEqual([{ t: 'int', v: 1 }]);
    // a client whose first command is WAIT waits for offset 0: every online replica counts at once (the
    // SYNC replica of withBacklog too, which never ACKs: its ack offset is 0)
    const fresh = w.client(m);
    fresh.send('wait', '1', '0');
    expect(fresh.take(1)).toEqual([{ t: 'int', v: 2 }]);
    // any command (a read too) moves c->woff to the master's offset: then it waits for the other's write
    fresh.q('get', 'k');
    fresh.send('wait', '1', '0');
    w.run(5);
    expect(fresh.inbox).toEqual([]);
    a.send('replconf', 'ack', String(m.repl().st.masterReplOffset));
    expect(fresh.take(1)).toEqual([{ t: 'int', v: 1 }]);
  });

  it('a time-out answers the count reached then; timeout 0 waits forever', () => {
    const { w, m, mc } = withBacklog();
    const a = online(w, m, 7002);
    online(w, m, 7003);
    mc.q('set', 'k', '1');
    const off = m.repl().st.masterReplOffset;
    const t0 = w.sim.now;
    mc.send('wait', '2', '300');
    w.run(100);
    a.send('replconf', 'ack', String(off));
    expect(mc.take(1)).toEqual([{ t: 'int', v: 1 }]);
    const ms = (w.sim.now - t0) / 1000;
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThan(310);
    mc.send('wait', '2', '0');
    w.run(60_000);
    expect(mc.inbox).toEqual([]);
    expect(m.repl().waiters.size).toBe(1);
  });

  it('a WAIT that blocks puts one REPLCONF GETACK * in the stream; one answered at once none', () => {
    const { w, m, mc } = withBacklog('repl-ping-replica-period 1000\n');
    online(w, m, 7002);
    const log = m.repl().backlog!;
    const getacks = () => log.from(log.offset)!.filter((e) => e.argv.join(' ') === 'REPLCONF GETACK *').length;
    expect(mc.q('wait', '0', '0')).toBe(2); // both replicas are at offset 0
    expect(getacks()).toBe(0);
    mc.q('set', 'k', '1');
    const other = w.client(m);
    mc.send('wait', '1', '0');
    w.run(5);
    expect(getacks()).toBe(1);
    expect(m.repl().getAckPending).toBe(false);
    // a command first: its WAIT then waits for the master's offset (c->woff), not for 0
    other.q('get', 'k');
    other.send('wait', '1', '0');
    w.run(5);
    expect(getacks()).toBe(2);
    expect(m.repl().waiters.size).toBe(2);
  });
});
