// The data-loss hazards of asynchronous replication (replication.md §12, §8), reproduced.
import { describe, expect, it } from 'vitest';
import { js, linkUp, ReplWorld } from './world.ts';

describe('hazards', () => {
  it('a master without persistence restarting empty wipes its replicas (full sync of nothing)', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.until(() => linkUp(r), '10s');
    const mc = w.client(m);
    mc.q('set', 'a', '1');
    mc.q('set', 'b', '2');
    w.run(200);
    const rc = w.client(r);
    expect(rc.q('dbsize')).toBe(2);
    const oldId = m.repl().st.replid;
    const mark = w.mark();
    w.sim.restart('10.0.0.1:7001'); // save "" and no AOF: it comes back empty
    w.until(() => r.logs(mark).includes('* MASTER <-> REPLICA sync: Finished with success'), '15s');
    const ml = m.logs(mark);
    const mismatch = ml.find((l) => l.startsWith('* Partial resynchronization not accepted: Replication ID mismatch'));
    expect(mismatch).toMatch(new RegExp(`^\\* Partial resynchronization not accepted: Replication ID mismatch \\(Replica asked for '${oldId}', my replication IDs are '[0-9a-f]{40}' and '0{40}'\\)$`));
    expect(ml.indexOf(mismatch!)).toBeLessThan(ml.findIndex((l) => l.startsWith('* Replication backlog created')));
    const rl = r.logs(mark);
    expect(rl).toContain(`* Full resync from master: ${m.repl().st.replid}:0`);
    expect(rl).toContain('* Done loading RDB, keys loaded: 0, keys expired: 0.');
    expect(rc.q('dbsize')).toBe(0);
    expect(m.info().master_replid).not.toBe(oldId);
  });

  it('writes acknowledged by a master that is partitioned away and then demoted are lost', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.until(() => linkUp(r), '10s');
    const mc = w.client(m);
    const rc = w.client(r);
    mc.q('set', 'before', '1');
    w.run(200);
    w.sim.block('m', 'r');
    w.sim.block('r', 'm');
    const acked: string[] = [];
    for (let i = 0; i < 5; i++) if (js(mc.cmd('set', `during${i}`, 'x')) === 'OK') acked.push(`during${i}`);
    expect(acked.length).toBe(5);
    // the failover: the replica is promoted, the old master re-pointed to it when the partition heals
    expect(rc.q('replicaof', 'no', 'one')).toBe('OK');
    rc.q('set', 'after', '1');
    w.sim.heal();
    expect(mc.q('replicaof', '10.0.0.2', '7002')).toBe('OK');
    w.until(() => linkUp(m), '15s');
    for (const k of acked) expect(mc.q('exists', k)).toBe(0);
    expect(mc.q('get', 'before')).toBe('1');
    expect(mc.q('get', 'after')).toBe('1');
    expect(m.digest()).toBe(r.digest());
  });

  it('min-replicas-to-write 1 bounds the loss to about min-replicas-max-lag seconds of writes', () => {
    const w = new ReplWorld();
    const lag = 4;
    const m = w.server('m', '10.0.0.1', 7001, `min-replicas-to-write 1\nmin-replicas-max-lag ${lag}\n`);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.until(() => linkUp(r), '10s');
    w.run(1100);
    const mc = w.client(m);
    const rc = w.client(r);
    w.sim.block('m', 'r');
    w.sim.block('r', 'm');
    const t0 = w.sim.now;
    let lastOk = 0;
    const acked: string[] = [];
    for (let i = 0; i < 100; i++) {
      const reply = js(mc.cmd('set', `w${i}`, 'x'));
      if (reply === 'OK') {
        acked.push(`w${i}`);
        lastOk = w.sim.now;
      } else expect(reply).toEqual({ err: 'NOREPLICAS Not enough good replicas to write.' });
      w.run(100);
    }
    const window = (lastOk - t0) / 1e6;
    expect(window).toBeGreaterThan(lag - 1);
    expect(window).toBeLessThan(lag + 2);
    expect(acked.length).toBeLessThan(100);
    rc.q('replicaof', 'no', 'one');
    w.sim.heal();
    mc.q('replicaof', '10.0.0.2', '7002');
    w.until(() => linkUp(m), '15s');
    // exactly the writes accepted inside the window are gone
    for (const k of acked) expect(rc.q('exists', k)).toBe(0);
    expect(mc.q('dbsize')).toBe(0);
  });
});
