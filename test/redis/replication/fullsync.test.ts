// Full resynchronization details (replication.md §5.2, §6.2, §3.3): states on the master, a transfer
// slowed by bandwidth, disk-based sync, several replicas on one transfer, the backlog time-to-live.
import { describe, expect, it } from 'vitest';
import { js, linkUp, ReplWorld } from './world.ts';

/** `n` printable bytes LZF cannot compress (a linear congruential sequence), distinct per `seed`. */
function noise(seed: number, n: number): string {
  let x = seed * 2654435761 + 1;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += String.fromCharCode(33 + ((x >>> 16) % 94));
  }
  return s;
}

describe('full sync', () => {
  it('a waiting replica shows state=wait_bgsave; the master writes newlines, not counted in offsets', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.run(2000);
    const info = m.info();
    expect(info.connected_slaves).toBe('1');
    expect(info.slave0).toBe('ip=10.0.0.2,port=7002,state=wait_bgsave,offset=0,lag=0');
    expect(js(w.client(m).cmd('role'))).toEqual(['master', 0, []]); // only online replicas
    expect(info.master_repl_offset).toBe('0');
    w.until(() => linkUp(r), '10s');
  });

  it('the snapshot travels in 16 KB pieces of its RDB size: bandwidth decides how long TRANSFER lasts', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m');
    const mc = w.client(m);
    for (let i = 0; i < 200; i++) mc.cmd('set', `key:${i}`, noise(i, 500));
    w.sim.setLink('m', 'r', { bandwidth: 20_000 }, true); // 20 KB/s master → replica
    w.start('r');
    w.until(() => r.repl().replica.state === 'transfer', '10s');
    const t0 = w.sim.now;
    const rc = w.client(r);
    w.run(1000);
    expect(js(rc.cmd('role'))).toEqual(['slave', '10.0.0.1', 7001, 'sync', -1]);
    const info = r.info();
    expect(info.master_sync_in_progress).toBe('1');
    expect(info.master_sync_total_bytes).toBe('0'); // EOF mode: size unknown
    const read = Number(info.master_sync_read_bytes);
    expect(read).toBeGreaterThan(0); // 16 KB pieces arrive one by one
    expect(info.master_sync_left_bytes).toBe(String(-read)); // EOF mode: 0 - read, as 7.0.15 prints
    expect(info.master_sync_perc).toBe('0.00');
    expect(info.master_sync_last_io_seconds_ago).toMatch(/^\d+$/);
    expect(info.master_link_down_since_seconds).toBe('-1');
    w.until(() => linkUp(r), '30s');
    const seconds = (w.sim.now - t0) / 1e6;
    const size = 100_000; // 200 values of 500 incompressible bytes (the RDB is real: LZF would shrink repeats)
    expect(seconds).toBeGreaterThan(size / 20_000 - 1);
    expect(js(rc.cmd('dbsize'))).toBe(200);
  });

  it('two replicas arriving within the delay share one transfer', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const a = w.server('a', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    const b = w.server('b', '10.0.0.3', 7003, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'a');
    w.run(1000);
    w.start('b');
    w.until(() => linkUp(a) && linkUp(b), '10s');
    const ml = m.logs();
    expect(ml.filter((l) => l.startsWith('* Starting BGSAVE for SYNC'))).toHaveLength(1);
    expect(ml).toContain('# Diskless rdb transfer, done reading from pipe, 2 replicas still up.');
    expect(ml.filter((l) => l.startsWith('* Replication backlog created'))).toHaveLength(1);
    expect(ml.filter((l) => l === '* Delay next BGSAVE for diskless SYNC')).toHaveLength(2);
  });

  it('repl-diskless-sync-max-replicas starts the transfer as soon as enough replicas wait', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'repl-diskless-sync-max-replicas 1\n');
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.until(() => linkUp(r), '3s');
    void m;
  });

  it('disk-based sync (repl-diskless-sync no): BGSAVE to disk, then "$<len>" and the file', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'repl-diskless-sync no\n');
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m');
    w.client(m).cmd('set', 'a', '1');
    w.start('r');
    w.until(() => linkUp(r), '5s');
    const ml = m.logs().filter((l) => !/^(#|\*) (oO0O|Redis version|Configuration|monotonic|Running|Server init|WARNING|Ready)/.test(l));
    expect(ml.slice(0, 4)).toEqual([
      '* Replica 10.0.0.2:7002 asks for synchronization',
      '* Full resync requested by replica 10.0.0.2:7002',
      expect.stringMatching(/^\* Replication backlog created/) as unknown as string,
      '* Starting BGSAVE for SYNC with target: disk',
    ]);
    expect(ml[4]).toMatch(/^\* Background saving started by pid \d+$/);
    expect(ml).toContain('* Background saving terminated with success');
    expect(ml[ml.length - 1]).toBe('* Synchronization with replica 10.0.0.2:7002 succeeded');
    expect(r.logs().some((l) => /^\* MASTER <-> REPLICA sync: receiving \d+ bytes from master to disk$/.test(l))).toBe(true);
    expect(js(w.client(r).cmd('get', 'a'))).toBe('1');
  });

  it('the backlog of a master without replicas is freed after repl-backlog-ttl, with a new replid', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'repl-backlog-ttl 5\n');
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.until(() => linkUp(r), '10s');
    const id = m.repl().st.replid;
    w.sim.kill('10.0.0.2:7002');
    w.run(8000);
    expect(m.logs()).toContain('* Replication backlog freed after 5 seconds without connected replicas.');
    const info = m.info();
    expect(info.repl_backlog_active).toBe('0');
    expect(info.repl_backlog_first_byte_offset).toBe('0');
    expect(info.master_replid).not.toBe(id);
    expect(info.master_replid2).toBe('0'.repeat(40));
  });

  it('a transfer longer than repl-timeout does not time out while data keeps arriving', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'repl-timeout 5\n');
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\nrepl-timeout 5\n');
    w.start('m');
    const mc = w.client(m);
    for (let i = 0; i < 200; i++) mc.cmd('set', `key:${i}`, noise(i, 500));
    w.sim.setLink('m', 'r', { bandwidth: 8_000 }, true);
    w.start('r');
    w.until(() => r.repl().replica.state === 'transfer', '10s');
    const t0 = w.sim.now;
    w.until(() => linkUp(r), '60s');
    expect((w.sim.now - t0) / 1e6).toBeGreaterThan(10);
    expect(r.logs().some((l) => l.includes('Timeout receiving bulk data'))).toBe(false);
    expect(m.logs().some((l) => l.includes('timedout replica'))).toBe(false);
    w.run(3000);
    expect(linkUp(r)).toBe(true);
  });

  it('a master replying to PING with an error other than NOAUTH is refused, and retried', () => {
    const w = new ReplWorld();
    w.server('a', '10.0.0.1', 7001, 'replicaof 10.0.0.9 7009\nreplica-serve-stale-data no\n');
    const b = w.server('b', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('a', 'b');
    w.run(1500);
    const lines = b.logs().filter((l) => l.includes('PING'));
    expect(lines[0]).toBe("# Error reply to PING from master: '-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.'");
    expect(lines.length).toBe(2);
  });
});
