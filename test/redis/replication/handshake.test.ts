// Replica side handshake (replication.md §4, §10): each step's log lines, ROLE/INFO states, failures.
import { describe, expect, it } from 'vitest';
import { js, linkUp, ReplWorld } from './world.ts';

const STARTUP = /^(#|\*) (oO0O|Redis version|Configuration loaded|monotonic|Running mode|Server initialized|WARNING Memory|Ready to accept)/;
const noStartup = (lines: string[]) => lines.filter((l) => !STARTUP.test(l));

function pair(masterConf = '', replicaConf = '') {
  const w = new ReplWorld();
  const m = w.server('m', '10.0.0.1', 7001, masterConf);
  const r = w.server('r', '10.0.0.2', 7002, `replicaof 10.0.0.1 7001\n${replicaConf}`);
  return { w, m, r };
}

describe('handshake and full sync', () => {
  it('logs every step of 7.0.15 on both sides, with the diskless 5 s delay', () => {
    const { w, m, r } = pair();
    w.start('m');
    w.client(m).q('set', 'a', '1');
    w.start('r');
    const t0 = w.sim.now;
    w.until(() => linkUp(r), '10s');
    const elapsed = (w.sim.now - t0) / 1e6;
    expect(elapsed).toBeGreaterThanOrEqual(4);
    expect(elapsed).toBeLessThan(6.5);
    const id = m.repl().st.replid;
    expect(noStartup(r.logs())).toEqual([
      '* Connecting to MASTER 10.0.0.1:7001',
      '* MASTER <-> REPLICA sync started',
      '* Non blocking connect for SYNC fired the event.',
      '* Master replied to PING, replication can continue...',
      '* Partial resynchronization not possible (no cached master)',
      `* Full resync from master: ${id}:0`,
      '* MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk',
      '* MASTER <-> REPLICA sync: Flushing old data',
      '* MASTER <-> REPLICA sync: Loading DB in memory',
      '* Loading RDB produced by version 7.0.15',
      '* RDB age 0 seconds',
      expect.stringMatching(/^\* RDB memory usage when created \d+\.\d\d Mb$/) as unknown as string,
      '* Done loading RDB, keys loaded: 1, keys expired: 0.',
      '* MASTER <-> REPLICA sync: Finished with success',
    ]);
    const pid = m.server().ctx.slot.pid;
    const mlogs = noStartup(m.logs());
    expect(mlogs).toEqual([
      '* Replica 10.0.0.2:7002 asks for synchronization',
      '* Full resync requested by replica 10.0.0.2:7002',
      `* Replication backlog created, my new replication IDs are '${id}' and '0000000000000000000000000000000000000000'`,
      '* Delay next BGSAVE for diskless SYNC',
      '* Starting BGSAVE for SYNC with target: replicas sockets',
      expect.stringMatching(/^\* Background RDB transfer started by pid \d+$/) as unknown as string,
      '* Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
      '# Diskless rdb transfer, done reading from pipe, 1 replicas still up.',
      '* Background RDB transfer terminated with success',
      '* Streamed RDB transfer with replica 10.0.0.2:7002 succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming',
      '* Synchronization with replica 10.0.0.2:7002 succeeded',
    ]);
    expect(pid).toBeGreaterThan(0);
    // the first replica made the master change its replid (surprise 1)
    expect(id).not.toBe(m.repl().st.replid2);
    expect(w.client(r).q('get', 'a')).toBe('1');
  });

  it('ROLE and INFO follow the link states: connect, handshake (PSYNC wait), connected', () => {
    const { w, m, r } = pair();
    w.start('r');
    const rc = w.client(r);
    expect(rc.q('role')).toEqual(['slave', '10.0.0.1', 7001, 'connect', -1]);
    let info = r.info();
    expect(info.master_link_status).toBe('down');
    expect(info.master_link_down_since_seconds).toBe('-1');
    expect(info.slave_repl_offset).toBe('1');
    expect(info.master_last_io_seconds_ago).toBe('-1');
    w.start('m');
    w.run(1500);
    expect(rc.q('role')).toEqual(['slave', '10.0.0.1', 7001, 'handshake', -1]);
    info = r.info();
    expect(info.master_sync_in_progress).toBe('0');
    w.until(() => linkUp(r), '10s');
    const off = m.repl().st.masterReplOffset;
    expect(rc.q('role')).toEqual(['slave', '10.0.0.1', 7001, 'connected', off]);
    info = r.info();
    expect(info.master_link_status).toBe('up');
    expect(info.master_link_down_since_seconds).toBeUndefined();
    expect(info.master_last_io_seconds_ago).toBe('0');
    // a master's INFO lists it as online
    const mi = m.info();
    expect(mi.connected_slaves).toBe('1');
    expect(mi.slave0).toMatch(/^ip=10\.0\.0\.2,port=7002,state=online,offset=\d+,lag=\d+$/);
  });

  it('the replica ACKs every second and the master PINGs every repl-ping-replica-period', () => {
    const { w, m, r } = pair('repl-ping-replica-period 2\n');
    w.start('m', 'r');
    w.until(() => linkUp(r), '10s');
    const before = m.repl().st.masterReplOffset;
    w.run(4000);
    // two PINGs of 14 bytes in 4 s (every 2 cron loops)
    expect(m.repl().st.masterReplOffset - before).toBe(28);
    w.run(1100);
    const mi = m.info();
    const acked = Number(/offset=(\d+)/.exec(mi.slave0!)![1]);
    // the last ACK may precede the PING fed in the same second
    expect([m.repl().st.masterReplOffset, m.repl().st.masterReplOffset - 14]).toContain(acked);
    expect(mi.slave0).toMatch(/^ip=10\.0\.0\.2,port=7002,state=online,offset=\d+,lag=[01]$/);
  });

  it('announce ip/port and REPLCONF replies; the master lists what was announced', () => {
    const { w, m, r } = pair('', 'replica-announce-ip 192.168.1.7\nreplica-announce-port 6380\n');
    w.start('m', 'r');
    w.until(() => linkUp(r), '10s');
    expect(m.info().slave0).toMatch(/^ip=192\.168\.1\.7,port=6380,state=online/);
    expect(m.logs()).toContain('* Replica 192.168.1.7:6380 asks for synchronization');
    const c = w.client(m);
    expect(c.q('replconf', 'listening-port')).toEqual({ err: 'ERR syntax error' });
    expect(c.q('replconf', 'listening-port', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(c.q('replconf', 'foo', 'bar')).toEqual({ err: 'ERR Unrecognized REPLCONF option: foo' });
    expect(c.q('replconf', 'capa', 'eof', 'capa', 'whatever')).toBe('OK');
    // ACK and GETACK never reply
    c.send('replconf', 'ack', '10');
    expect(c.q('ping')).toBe('PONG');
  });
});

describe('handshake failures', () => {
  it('a wrong masterauth fails at AUTH and retries once per second (§10)', () => {
    const { w, m, r } = pair('requirepass secret\n', 'masterauth wrong\n');
    w.start('m', 'r');
    w.run(2500);
    const lines = noStartup(r.logs());
    expect(lines.slice(0, 5)).toEqual([
      '* Connecting to MASTER 10.0.0.1:7001',
      '* MASTER <-> REPLICA sync started',
      '* Non blocking connect for SYNC fired the event.',
      '* Master replied to PING, replication can continue...',
      '# Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.',
    ]);
    expect(lines.filter((l) => l.startsWith('# Unable to AUTH')).length).toBe(3);
    const rc = w.client(r);
    expect(rc.q('role')).toEqual(['slave', '10.0.0.1', 7001, 'connect', -1]);
    // fixing the password lets the next attempt through
    expect(rc.q('config', 'set', 'masterauth', 'secret')).toBe('OK');
    w.until(() => linkUp(r), '10s');
    expect(m.logs()).toContain('* Replica 10.0.0.2:7002 asks for synchronization');
  });

  it('no masterauth against requirepass: PSYNC fails, SYNC fails, reconnects at once in a loop (§10)', () => {
    const { w, r } = pair('requirepass secret\n');
    w.start('m', 'r');
    w.run(50);
    const lines = noStartup(r.logs());
    expect(lines.slice(0, 11)).toEqual([
      '* Connecting to MASTER 10.0.0.1:7001',
      '* MASTER <-> REPLICA sync started',
      '* Non blocking connect for SYNC fired the event.',
      '* Master replied to PING, replication can continue...',
      '* (Non critical) Master does not understand REPLCONF listening-port: -NOAUTH Authentication required.',
      '* (Non critical) Master does not understand REPLCONF capa: -NOAUTH Authentication required.',
      '* Partial resynchronization not possible (no cached master)',
      '# Unexpected reply to PSYNC from master: -NOAUTH Authentication required.',
      '* Retrying with SYNC...',
      '# MASTER aborted replication with an error: NOAUTH Authentication required.',
      '* Reconnecting to MASTER 10.0.0.1:7001 after failure',
    ]);
    expect(lines[11]).toBe('* MASTER <-> REPLICA sync started');
    // a tight loop bounded by round trips, not by the 1 s cron
    expect(lines.filter((l) => l.startsWith('# MASTER aborted')).length).toBeGreaterThan(10);
    const info = r.info();
    expect(info.master_link_status).toBe('down');
    expect(info.master_link_down_since_seconds).toBe('-1');
    expect(info.slave_repl_offset).toBe('1');
  });

  it('master not running: connection refused, retried every second by the cron', () => {
    const { w, r } = pair();
    w.start('r');
    w.run(2500);
    expect(noStartup(r.logs())).toEqual([
      '* Connecting to MASTER 10.0.0.1:7001',
      '* MASTER <-> REPLICA sync started',
      '# Error condition on socket for SYNC: Connection refused',
      '* Connecting to MASTER 10.0.0.1:7001',
      '* MASTER <-> REPLICA sync started',
      '# Error condition on socket for SYNC: Connection refused',
      '* Connecting to MASTER 10.0.0.1:7001',
      '* MASTER <-> REPLICA sync started',
      '# Error condition on socket for SYNC: Connection refused',
    ]);
  });

  it('master unreachable (partition): CONNECTING until repl-timeout, then reconnect', () => {
    const { w, r } = pair('', 'repl-timeout 5\n');
    w.sim.partition([['m'], ['r', 'cli']]);
    w.start('m', 'r');
    const rc = w.client(r);
    w.run(3000);
    expect(rc.q('role')).toEqual(['slave', '10.0.0.1', 7001, 'connecting', -1]);
    w.run(4000);
    const lines = noStartup(r.logs());
    expect(lines).toEqual([
      '* Connecting to MASTER 10.0.0.1:7001',
      '* MASTER <-> REPLICA sync started',
      '# Timeout connecting to the MASTER...',
      '* Reconnecting to MASTER 10.0.0.1:7001 after failure',
      '* MASTER <-> REPLICA sync started',
    ]);
    w.sim.heal();
    w.until(() => linkUp(r), '20s');
  });

  it('a replica whose own link is down refuses PSYNC with NOMASTERLINK', () => {
    const w = new ReplWorld();
    w.server('a', '10.0.0.1', 7001);
    const b = w.server('b', '10.0.0.2', 7002, 'replicaof 10.0.0.9 7009\n');
    w.start('b');
    const c = w.client(b);
    expect(c.q('psync', '?', '-1')).toEqual({ err: "NOMASTERLINK Can't SYNC while not connected with my master" });
    expect(js(c.cmd('sync'))).toEqual({ err: "NOMASTERLINK Can't SYNC while not connected with my master" });
  });
});
