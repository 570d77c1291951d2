// REPLICAOF / SLAVEOF and what depends on the role (replication.md §7, §11, §13): replies, log lines,
// config, chained replication, read-only / stale-data refusals, expiry on replicas.
import { describe, expect, it } from 'vitest';
import { js, linkUp, ReplWorld, type Node } from './world.ts';

function caughtUp(w: ReplWorld, m: Node, ...rs: Node[]): void {
  w.until(() => rs.every((r) => r.repl().replica.master?.reploff === m.repl().st.masterReplOffset), '10s', 'offsets equal');
}

describe('REPLICAOF', () => {
  it('turns a master into a replica: replies, log lines, its dataset replaced by the full sync', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002);
    w.start('m', 'r');
    w.client(m).q('set', 'from-master', '1');
    const rc = w.client(r);
    rc.q('set', 'mine', '1');
    const watcher = w.client(r);
    watcher.q('watch', 'mine');
    const mark = w.mark();
    expect(rc.q('replicaof', '10.0.0.1', '7001')).toBe('OK');
    const lines = r.logs(mark);
    expect(lines.slice(0, 3)).toEqual([
      '* Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
      '* Connecting to MASTER 10.0.0.1:7001',
      '* MASTER <-> REPLICA sync started',
    ]);
    expect(lines[3]).toMatch(
      /^\* REPLICAOF 10\.0\.0\.1:7001 enabled \(user request from 'id=\d+ addr=10\.9\.9\.9:\d+ laddr=10\.0\.0\.2:7002 fd=\d+ name= age=\d+ idle=\d+ flags=N db=0 .*cmd=replicaof user=default redir=-1 resp=2'\)$/,
    );
    const role = rc.q('role') as unknown[];
    expect(role.slice(0, 3)).toEqual(['slave', '10.0.0.1', 7001]);
    expect(['connecting', 'handshake']).toContain(role[3]);
    expect(role[4]).toBe(-1);
    expect(rc.q('replicaof', '10.0.0.1', '7001')).toBe('OK Already connected to specified master');
    expect(r.logs(mark)).toContain(
      '* REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.',
    );
    w.until(() => linkUp(r), '10s');
    expect(r.logs(mark).some((l) => l.startsWith('* Trying a partial resynchronization (request '))).toBe(true);
    expect(rc.q('keys', '*')).toEqual(['from-master']);
    // the full sync flushed the dataset: WATCHes are invalidated
    watcher.q('multi');
    watcher.q('get', 'mine');
    expect(watcher.q('exec')).toBe(null);
    expect(rc.q('config', 'get', 'replicaof')).toEqual(['replicaof', '10.0.0.1 7001']);
    expect(rc.q('set', 'x', '1')).toEqual({ err: "READONLY You can't write against a read only replica." });
  });

  it('argument errors and no-ops', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    w.start('m');
    const c = w.client(m);
    for (const p of ['x', '70000', '-1', '017001', '']) expect(c.q('replicaof', '10.0.0.2', p)).toEqual({ err: 'ERR Invalid master port' });
    expect(c.q('replicaof', 'no', 'one')).toBe('OK');
    expect(c.q('slaveof', 'NO', 'ONE')).toBe('OK');
    expect(c.q('replicaof', 'a')).toEqual({ err: "ERR wrong number of arguments for 'replicaof' command" });
    expect(c.q('role')).toEqual(['master', 0, []]);
    expect(m.logs().filter((l) => l.includes('MASTER MODE'))).toEqual([]);
    expect(c.q('wait', 'x', '0')).toEqual({ err: 'ERR value is not an integer or out of range' });
  });

  it('SLAVEOF NO ONE inside a Sentinel-style transaction, then CONFIG REWRITE of the replicaof line', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.until(() => linkUp(r), '10s');
    const disk = w.sim.host('r').disk;
    const rc = w.client(r);
    rc.q('client', 'setname', 'sentinel-6f7bc1dd-cmd');
    const mark = w.mark();
    for (const a of [['multi'], ['slaveof', 'no', 'one'], ['config', 'rewrite'], ['client', 'kill', 'type', 'normal'], ['client', 'kill', 'type', 'pubsub'], ['exec']])
      rc.send(...a);
    const replies = rc.take(6).map(js);
    expect(replies.slice(0, 5)).toEqual(['OK', 'QUEUED', 'QUEUED', 'QUEUED', 'QUEUED']);
    expect(replies[5]).toEqual(['OK', 'OK', 0, 0]);
    const lines = r.logs(mark);
    expect(lines.slice(0, 4)).toEqual([
      '# Connection with master lost.',
      '* Caching the disconnected master state.',
      '* Discarding previously cached master state.',
      expect.stringMatching(/^# Setting secondary replication ID to [0-9a-f]{40}, valid up to offset: \d+\. New replication ID is [0-9a-f]{40}$/) as unknown as string,
    ]);
    expect(lines[4]).toMatch(/^\* MASTER MODE enabled \(user request from 'id=\d+ .* name=sentinel-6f7bc1dd-cmd .*flags=x .*multi=4 .*cmd=exec .*'\)$/);
    expect(lines[5]).toBe('# CONFIG REWRITE executed with success.');
    expect(disk.read<string>('/etc/redis.conf')).not.toMatch(/^replicaof /m);
    expect(m.logs(mark)).toContain('# Connection with replica 10.0.0.2:7002 lost.');
    // and back: REPLICAOF is written by CONFIG REWRITE
    rc.q('replicaof', '10.0.0.1', '7001');
    rc.q('config', 'rewrite');
    expect(disk.read<string>('/etc/redis.conf')).toMatch(/^replicaof 10\.0\.0\.1 7001$/m);
  });

  it('clients blocked on the master are unblocked with an error when it becomes a replica', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002);
    w.start('m', 'r');
    const blocked = w.client(r);
    blocked.send('blpop', 'q', '0');
    w.run(10);
    w.client(r).q('replicaof', '10.0.0.1', '7001');
    expect(js(blocked.take(1)[0]!)).toEqual({ err: 'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)' });
    w.run(10);
    expect(blocked.closed).toBe('closed');
    void m;
  });
});

describe('chained replication', () => {
  it('a replica of a replica gets the same stream, replid and offsets', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const a = w.server('a', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    const b = w.server('b', '10.0.0.3', 7003, 'replicaof 10.0.0.2 7002\n');
    w.start('m', 'a', 'b');
    w.until(() => linkUp(a) && linkUp(b), '30s');
    const mc = w.client(m);
    for (let i = 0; i < 10; i++) mc.q('hset', 'h', `f${i}`, String(i));
    mc.q('select', '3');
    mc.q('set', 'in3', 'x');
    w.run(2500);
    caughtUp(w, m, a, b);
    expect(b.repl().st.replid).toBe(m.repl().st.replid);
    expect(b.repl().st.masterReplOffset).toBe(m.repl().st.masterReplOffset);
    expect(b.digest()).toBe(m.digest());
    const ai = a.info();
    expect(ai.role).toBe('slave');
    expect(ai.connected_slaves).toBe('1');
    expect(ai.slave0).toMatch(/^ip=10\.0\.0\.3,port=7003,state=online,offset=\d+,lag=\d$/);
    // the intermediate replica does not PING its replicas itself: offsets stay equal
    w.run(12_000);
    expect(b.repl().st.masterReplOffset).toBe(m.repl().st.masterReplOffset);
  });
});

describe('role-dependent refusals and expiry (§11, §13)', () => {
  it('replica-read-only, replica-serve-stale-data, and MASTERDOWN for PING', () => {
    const w = new ReplWorld();
    w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\nreplica-serve-stale-data no\n');
    w.start('r');
    const c = w.client(r);
    const down = { err: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'." };
    expect(c.q('get', 'a')).toEqual(down);
    expect(c.q('ping')).toEqual(down);
    expect(typeof c.q('info', 'replication')).toBe('string');
    expect(c.q('config', 'set', 'replica-serve-stale-data', 'yes')).toBe('OK');
    expect(c.q('get', 'a')).toBe(null);
    expect(c.q('set', 'a', '1')).toEqual({ err: "READONLY You can't write against a read only replica." });
    expect(c.q('config', 'set', 'replica-read-only', 'no')).toBe('OK');
    expect(c.q('set', 'a', '1')).toBe('OK');
    expect(r.info().slave_read_only).toBe('0');
  });

  it('a replica never expires keys itself; reads hide them; the master DEL removes them', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.until(() => linkUp(r), '10s');
    const mc = w.client(m);
    mc.q('set', 'k', 'v', 'px', '500');
    caughtUp(w, m, r);
    const rc = w.client(r);
    expect(rc.q('get', 'k')).toBe('v');
    for (const x of ['m', 'r']) for (const y of ['m', 'r']) if (x !== y) w.sim.block(x, y);
    w.run(1000);
    expect(rc.q('get', 'k')).toBe(null);
    expect(rc.q('exists', 'k')).toBe(0);
    expect(rc.q('ttl', 'k')).toBe(-2);
    expect(rc.q('dbsize')).toBe(1);
    w.sim.heal();
    w.run(1000);
    expect(rc.q('dbsize')).toBe(0);
  });
});

describe('SYNC (pre-PSYNC replicas)', () => {
  it('a client sending SYNC gets a disk-based snapshot without +FULLRESYNC and is listed online', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    w.start('m');
    const c = w.client(m);
    c.q('set', 'a', '1');
    c.send('sync');
    w.run(500);
    const got = c.inbox.map((x) => ((x as unknown as { p: { t?: string } }).p?.t ?? (x as { t: string }).t));
    expect(got).toEqual(['rdb-bulk', 'rdb']);
    expect(m.logs()).toContain('* Starting BGSAVE for SYNC with target: disk');
    expect(m.info().slave0).toMatch(/^ip=10\.9\.9\.9,port=0,state=online,offset=0,lag=\d+$/);
    expect(m.server().stats.syncFull).toBe(1);
  });
});
