// PSYNC on both sides (replication.md §3, §5.1, §12): partial resync after a lost link, backlog
// overflow, the replid2 path after a promotion, restarts with and without replication info.
import { describe, expect, it } from 'vitest';
import { linkUp, ReplWorld, type Node } from './world.ts';

function synced(w: ReplWorld, ...rs: Node[]): void {
  w.until(() => rs.every(linkUp), '15s', 'replicas connected');
}

function caughtUp(w: ReplWorld, m: Node, ...rs: Node[]): void {
  w.until(() => rs.every((r) => r.repl().replica.master?.reploff === m.repl().st.masterReplOffset), '10s', 'offsets equal');
}

describe('partial resynchronization', () => {
  it('after CLIENT KILL TYPE master the replica continues from its cached offset', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    synced(w, r);
    const mc = w.client(m);
    mc.q('set', 'k', 'v1');
    caughtUp(w, m, r);
    const off = m.repl().st.masterReplOffset;
    const id = m.repl().st.replid;
    const mark = w.mark();
    expect(w.client(r).q('client', 'kill', 'type', 'master')).toBe(1);
    w.until(() => linkUp(r), '5s');
    expect(r.logs(mark)).toEqual([
      '# Connection with master lost.',
      '* Caching the disconnected master state.',
      '* Reconnecting to MASTER 10.0.0.1:7001',
      '* MASTER <-> REPLICA sync started',
      '* Non blocking connect for SYNC fired the event.',
      '* Master replied to PING, replication can continue...',
      `* Trying a partial resynchronization (request ${id}:${off + 1}).`,
      '* Successful partial resynchronization with master.',
      '* MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.',
    ]);
    expect(m.logs(mark)).toEqual([
      '# Connection with replica 10.0.0.2:7002 lost.',
      '* Replica 10.0.0.2:7002 asks for synchronization',
      `* Partial resynchronization request from 10.0.0.2:7002 accepted. Sending 0 bytes of backlog starting from offset ${off + 1}.`,
    ]);
    mc.q('set', 'k', 'v2');
    caughtUp(w, m, r);
    expect(w.client(r).q('get', 'k')).toBe('v2');
    expect(m.server().stats.syncPartialOk).toBe(1);
  });

  it('writes during a partition longer than repl-timeout arrive by partial resync after the heal', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'repl-timeout 5\n');
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\nrepl-timeout 5\n');
    w.start('m', 'r');
    synced(w, r);
    const mc = w.client(m);
    w.sim.partition([['r'], ['m', 'cli']]);
    const mark = w.mark();
    for (let i = 0; i < 20; i++) mc.q('set', `k${i}`, `v${i}`);
    w.run(8000);
    expect(m.logs(mark)).toContain('# Disconnecting timedout replica (streaming sync): 10.0.0.2:7002');
    expect(m.logs(mark)).toContain('# Connection with replica 10.0.0.2:7002 lost.');
    expect(r.logs(mark)).toContain('# MASTER timeout: no data nor PING received...');
    w.sim.heal();
    synced(w, r);
    caughtUp(w, m, r);
    expect(m.logs(mark).some((l) => /Partial resynchronization request from 10\.0\.0\.2:7002 accepted\. Sending \d+ bytes/.test(l))).toBe(true);
    expect(r.digest()).toBe(m.digest());
  });

  it('backlog overflow during a partition forces a full resync', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'repl-timeout 5\nrepl-backlog-size 1000\n');
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\nrepl-timeout 5\n');
    w.start('m', 'r');
    synced(w, r);
    const mc = w.client(m);
    w.sim.partition([['r'], ['m', 'cli']]);
    const mark = w.mark();
    for (let i = 0; i < 100; i++) mc.q('set', `key:${i}`, 'x'.repeat(20));
    const cached = () => r.repl().replica.cached?.reploff ?? -1;
    w.run(8000);
    const want = cached() + 1;
    expect(m.repl().backlog!.offset).toBeGreaterThan(want);
    w.sim.heal();
    w.until(() => m.logs(mark).some((l) => l.startsWith('* Unable to partial')), '5s');
    synced(w, r);
    caughtUp(w, m, r);
    expect(m.logs(mark)).toContain(`* Unable to partial resync with replica 10.0.0.2:7002 for lack of backlog (Replica request was: ${want}).`);
    expect(r.logs(mark).some((l) => l.startsWith('* Full resync from master: '))).toBe(true);
    expect(r.digest()).toBe(m.digest());
    expect(w.client(r).q('dbsize')).toBe(100);
    // the backlog keeps about repl-backlog-size bytes, trimmed by whole commands
    const info = m.info();
    expect(Number(info.repl_backlog_histlen)).toBeGreaterThanOrEqual(1000);
    expect(Number(info.repl_backlog_histlen)).toBeLessThan(1100);
  });
});

describe('promotion: replid2', () => {
  function threeNodes() {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const a = w.server('a', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    const b = w.server('b', '10.0.0.3', 7003, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'a', 'b');
    synced(w, a, b);
    const mc = w.client(m);
    mc.q('set', 'x', '1');
    caughtUp(w, m, a, b);
    return { w, m, a, b, mc };
  }

  it('REPLICAOF NO ONE shifts the replid; the other replica and the old master continue partially', () => {
    const { w, m, a, b } = threeNodes();
    const oldId = m.repl().st.replid;
    const off = a.repl().replica.master!.reploff;
    w.sim.kill('10.0.0.1:7001');
    w.run(100);
    const mark = w.mark();
    expect(w.client(a).q('replicaof', 'no', 'one')).toBe('OK');
    const newId = a.repl().st.replid;
    const al = a.logs(mark);
    expect(al.slice(0, 2)).toEqual([
      '* Discarding previously cached master state.',
      `# Setting secondary replication ID to ${oldId}, valid up to offset: ${off + 1}. New replication ID is ${newId}`,
    ]);
    expect(al[2]).toMatch(/^\* MASTER MODE enabled \(user request from 'id=\d+ addr=10\.9\.9\.9:\d+ laddr=10\.0\.0\.2:7002 fd=\d+ name= .* cmd=replicaof user=default redir=-1 resp=2'\)$/);
    const ai = a.info();
    expect(ai.role).toBe('master');
    expect(ai.master_replid2).toBe(oldId);
    expect(ai.second_repl_offset).toBe(String(off + 1));
    expect(w.client(a).q('get', 'x')).toBe('1'); // data kept
    // the other replica follows the promoted one with a partial resync
    const mb = w.mark();
    expect(w.client(b).q('replicaof', '10.0.0.2', '7002')).toBe('OK');
    w.until(() => linkUp(b), '5s');
    const bl = b.logs(mb);
    expect(bl).toContain(`* Trying a partial resynchronization (request ${oldId}:${off + 1}).`);
    expect(bl).toContain('* Successful partial resynchronization with master.');
    expect(bl).toContain(`# Master replication ID changed to ${newId}`);
    expect(a.logs(mb)).toContain(`* Partial resynchronization request from 10.0.0.3:7003 accepted. Sending 0 bytes of backlog starting from offset ${off + 1}.`);
    expect(b.info().master_replid2).toBe(oldId);
    // the old master comes back empty-handed? no: restarted without data it full-syncs (it has no cached master)
    w.sim.start('10.0.0.1:7001');
    w.run(200);
    const mm = w.mark();
    expect(w.client(m).q('replicaof', '10.0.0.2', '7002')).toBe('OK');
    w.until(() => linkUp(m), '10s');
    const ml = m.logs(mm);
    expect(ml[0]).toBe(
      '* Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    );
    expect(ml.some((l) => l.startsWith('* Trying a partial resynchronization (request '))).toBe(true);
    expect(a.logs(mm).some((l) => l.startsWith('* Partial resynchronization not accepted: Replication ID mismatch'))).toBe(true);
    expect(m.digest()).toBe(a.digest());
  });

  it('a demoted master with writes the promoted replica never saw is refused by offset and full-syncs', () => {
    const { w, m, a, mc } = threeNodes();
    const oldId = m.repl().st.replid;
    const ac = w.client(a);
    // cut the replicas off (the client still reaches everyone), write on the old master, promote a
    for (const x of ['a', 'b']) {
      w.sim.block('m', x);
      w.sim.block(x, 'm');
    }
    mc.q('set', 'lost', 'yes');
    const aOff = a.repl().replica.master!.reploff;
    expect(ac.q('replicaof', 'no', 'one')).toBe('OK');
    w.sim.heal();
    const mark = w.mark();
    expect(mc.q('replicaof', '10.0.0.2', '7002')).toBe('OK');
    w.until(() => linkUp(m), '15s');
    const req = m.repl().st.masterReplOffset; // synthesized cached master: its own offset
    void req;
    expect(a.logs(mark).some((l) => l.startsWith(`* Partial resynchronization not accepted: Requested offset for second ID was `))).toBe(true);
    expect(a.logs(mark)).toContain(
      a.logs(mark).find((l) => l.endsWith(`but I can reply up to ${aOff + 1}`))!,
    );
    expect(w.client(m).q('get', 'lost')).toBe(null); // the acknowledged write is gone
    expect(oldId).not.toBe(a.repl().st.replid);
  });
});

describe('restarts', () => {
  it('a master restarted from an RDB with replication info keeps its old replid as replid2', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    synced(w, r);
    const mc = w.client(m);
    mc.q('set', 'a', '1');
    caughtUp(w, m, r);
    expect(mc.q('save')).toBe('OK');
    const id = m.repl().st.replid;
    const off = m.repl().st.masterReplOffset;
    const mark = w.mark();
    w.sim.restart('10.0.0.1:7001');
    w.run(50);
    const info = m.info();
    expect(info.master_replid2).toBe(id);
    expect(info.second_repl_offset).toBe(String(off + 1));
    expect(info.master_repl_offset).toBe(String(off));
    expect(info.repl_backlog_active).toBe('1');
    expect(info.repl_backlog_first_byte_offset).toBe(String(off + 1));
    synced(w, r);
    expect(m.logs(mark)).toContain(`* Partial resynchronization request from 10.0.0.2:7002 accepted. Sending 0 bytes of backlog starting from offset ${off + 1}.`);
    expect(w.client(r).q('get', 'a')).toBe('1');
  });

  it('a replica restarted with its RDB rebuilds a cached master and resyncs partially', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    synced(w, r);
    w.client(m).q('set', 'a', '1');
    caughtUp(w, m, r);
    expect(w.client(r).q('save')).toBe('OK');
    const mark = w.mark();
    w.sim.restart('10.0.0.2:7002');
    synced(w, r);
    const rl = r.logs(mark);
    expect(rl.indexOf('* DB loaded from disk: 0.000 seconds')).toBeLessThan(
      rl.indexOf(
        '* Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
      ),
    );
    expect(rl.some((l) => l.startsWith('* Trying a partial resynchronization'))).toBe(true);
    expect(rl).toContain('* MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
  });
});
