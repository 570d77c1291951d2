// Full resynchronization on the master (replication.md §5.2; replication.c syncCommand's BGSAVE cases,
// shouldStartChildReplication, startBgsaveForReplication, rdbSaveToSlavesSockets,
// updateSlavesWaitingBgsave): when a replica attaches to a BGSAVE in progress or waits for the next,
// when the cron forks for waiting replicas, disk vs socket target, and putting replicas online after the
// transfer. Fake replicas send REPLCONF / PSYNC themselves (fake-replica.ts) (mutation testing, issue 20).
import { describe, expect, it } from 'vitest';
import { startBgsaveForReplication, startPendingFork } from '../../../../engine/redis/replication/fullsync.ts';
import { RDB_CHUNK } from '../../../../engine/redis/replication/types.ts';
import type { Cli } from '../world.ts';
import { master } from './fake-replica.ts';

type X = ReturnType<typeof master>;

/** A connection that did its REPLCONFs (capa eof unless told otherwise) and has not sent PSYNC yet. */
function ready(x: X, port: number, eof = true): Cli {
  const c = x.w.client(x.m);
  expect(c.q('replconf', 'listening-port', String(port), 'capa', 'psync2', ...(eof ? ['capa', 'eof'] : []))).toBe('OK');
  return c;
}

const payloads = (c: Cli) => c.inbox.splice(0) as unknown as { t: string; v?: string; size?: number; bytes?: number }[];
const lines = (c: Cli) => payloads(c).filter((p) => p.t === 'simple').map((p) => p.v);
const about = (l: string[]) => l.filter((x) => !x.includes('Background saving') && !x.includes('Fork CoW') && !x.startsWith('* DB saved'));

describe('a full sync request meets a BGSAVE', () => {
  it('a disk BGSAVE for another replica: attach to it (same offset, its buffer) if our capabilities include its own', () => {
    const x = master('repl-diskless-sync no\n');
    const a = ready(x, 7002);
    const b = ready(x, 7003);
    const c = ready(x, 7004, false);
    x.logs();
    a.send('psync', '?', '-1');
    b.send('psync', '?', '-1');
    c.send('psync', '?', '-1');
    x.w.run(1);
    const l = about(x.logs());
    expect(l.filter((z) => !z.includes('asks for') && !z.includes('Full resync requested') && !z.includes('backlog created'))).toEqual([
      '* Starting BGSAVE for SYNC with target: disk',
      '* Waiting for end of BGSAVE for SYNC',
      "* Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC",
    ]);
    const [la, lb, lc] = x.m.repl().links;
    expect([la!.state, lb!.state, lc!.state]).toEqual(['wait_bgsave_end', 'wait_bgsave_end', 'wait_bgsave_start']);
    expect(lb!.psyncInitialOffset).toBe(la!.psyncInitialOffset);
    const id = x.m.repl().st.replid;
    expect(lines(a)).toEqual([`FULLRESYNC ${id} 0`]);
    expect(lines(b)).toEqual([`FULLRESYNC ${id} 0`]);
    expect(lines(c)).toEqual([]);
  });

  it('a replica with eof attaches to the disk BGSAVE of one without (its capabilities include the other\'s), with the buffer so far', () => {
    const x = master('repl-diskless-sync no\n');
    const a = ready(x, 7002, false);
    const b = ready(x, 7003, true);
    x.mc.q('set', 'k', 'v');
    a.send('psync', '?', '-1');
    b.send('psync', '?', '-1');
    x.w.run(1);
    expect(x.m.repl().links.map((l) => l.state)).toEqual(['wait_bgsave_end', 'wait_bgsave_end']);
    // the buffer accumulated for the first is copied to the second
    x.mc.send('set', 'k', 'w');
    x.w.run(1);
    const [la, lb] = x.m.repl().links;
    expect(lb!.out.map((e) => e.argv.join(' '))).toEqual(la!.out.map((e) => e.argv.join(' ')));
  });

  it('a BGSAVE nobody waits for (user BGSAVE) cannot be attached to', () => {
    const x = master('repl-diskless-sync no\n');
    const a = ready(x, 7002);
    x.mc.send('bgsave');
    a.send('psync', '?', '-1');
    x.w.run(1);
    expect(x.logs()).toContain("* Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
    expect(x.m.repl().links[0]!.state).toBe('wait_bgsave_start');
  });

  it('a socket transfer in progress: wait for the next; another child (AOF rewrite): delayed', () => {
    const x = master('repl-diskless-sync-delay 0\n');
    const a = ready(x, 7002);
    const b = ready(x, 7003);
    x.logs();
    a.send('psync', '?', '-1');
    b.send('psync', '?', '-1');
    x.w.run(1);
    const l = x.logs();
    expect(l).toContain('* Starting BGSAVE for SYNC with target: replicas sockets');
    expect(l).toContain('* Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC');
  });

  it('diskless with a delay: left to the cron; without eof or without delay: at once to disk / sockets', () => {
    const x = master();
    const a = ready(x, 7002);
    a.send('psync', '?', '-1');
    x.w.run(1);
    expect(x.logs()).toContain('* Delay next BGSAVE for diskless SYNC');
    const y = master();
    const b = ready(y, 7002, false);
    b.send('psync', '?', '-1');
    y.w.run(1);
    expect(y.logs()).toContain('* Starting BGSAVE for SYNC with target: disk');
    const z = master('repl-diskless-sync-delay 0\n');
    const c = ready(z, 7002);
    c.send('psync', '?', '-1');
    z.w.run(1);
    expect(z.logs()).toContain('* Starting BGSAVE for SYNC with target: replicas sockets');
  });
});

describe('the cron forks for waiting replicas', () => {
  it('after repl-diskless-sync-delay seconds of the longest wait, or at once with max-replicas waiting', () => {
    const x = master('repl-diskless-sync-delay 5\n');
    const a = ready(x, 7002);
    a.send('psync', '?', '-1');
    x.w.run(1);
    const r = x.m.repl();
    const l = r.links[0]!;
    const now = r.unixtime();
    l.c.lastInteraction = (now - 4) * 1000;
    startPendingFork(r);
    expect(l.state).toBe('wait_bgsave_start');
    l.c.lastInteraction = (now - 5) * 1000;
    startPendingFork(r);
    expect(l.state).toBe('wait_bgsave_end');
    expect(x.m.server().child.type).toBe('rdb');
    const y = master('repl-diskless-sync-delay 100\nrepl-diskless-sync-max-replicas 2\n');
    const b = ready(y, 7002);
    b.send('psync', '?', '-1');
    y.w.run(1);
    startPendingFork(y.m.repl());
    expect(y.m.repl().links[0]!.state).toBe('wait_bgsave_start');
    const c = ready(y, 7003);
    c.send('psync', '?', '-1');
    y.w.run(1);
    startPendingFork(y.m.repl());
    expect(y.m.repl().links.map((z) => z.state)).toEqual(['wait_bgsave_end', 'wait_bgsave_end']);
    expect(y.logs()).toContain('* Starting BGSAVE for SYNC with target: replicas sockets');
  });

  it('nothing while a child runs or nobody waits; one replica without eof makes it a disk save', () => {
    const x = master('repl-diskless-sync-delay 0\n');
    const r = x.m.repl();
    startPendingFork(r);
    expect(x.m.server().child.active).toBe(false);
    const a = ready(x, 7002);
    const b = ready(x, 7003, false);
    const child = x.m.server().child;
    child.start('aof', 60_000, () => {}, () => {}); // a long AOF rewrite
    a.send('psync', '?', '-1');
    b.send('psync', '?', '-1');
    x.w.run(1);
    startPendingFork(r);
    expect(r.links.map((l) => l.state)).toEqual(['wait_bgsave_start', 'wait_bgsave_start']);
    child.kill();
    x.logs();
    startPendingFork(r);
    expect(x.logs()[0]).toBe('* Starting BGSAVE for SYNC with target: disk');
    expect(r.links.map((l) => l.state)).toEqual(['wait_bgsave_end', 'wait_bgsave_end']);
  });

  it('repl-diskless-sync no: the cron forks at once for a waiting replica', () => {
    const x = master('repl-diskless-sync no\n');
    const a = ready(x, 7002);
    const child = x.m.server().child;
    child.start('aof', 60_000, () => {}, () => {});
    a.send('psync', '?', '-1');
    x.w.run(1);
    expect(x.logs()).toContain('* No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed');
    expect(x.m.repl().links[0]!.state).toBe('wait_bgsave_start');
    child.kill();
    startPendingFork(x.m.repl());
    expect(x.m.repl().links[0]!.state).toBe('wait_bgsave_end');
  });
});

describe('the transfer and after', () => {
  it('sockets: the EOF preamble at fork, the file in 16 KB pieces at the end, online waiting for the first ACK', () => {
    const x = master('repl-diskless-sync-delay 0\n');
    // values LZF cannot shrink: the file spans several 16 KB pieces
    let seed = 1;
    const noise = () => Array.from({ length: 200 }, () => String.fromCharCode(33 + ((seed = (seed * 1103515245 + 12345) % 2147483648) % 90))).join('');
    for (let i = 0; i < 200; i++) x.mc.q('set', `k${i}`, noise());
    const a = ready(x, 7002);
    const out0 = x.m.server().stats.netReplOutputBytes;
    x.logs();
    a.send('psync', '?', '-1');
    x.w.until(() => x.m.repl().links[0]?.state === 'online', '5s');
    x.w.run(5);
    const r = x.m.repl();
    const l = r.links[0]!;
    expect(l.startOnAck).toBe(true);
    expect(l.streaming).toBe(false);
    expect(r.socketChildPid).toBe(-1);
    const p = payloads(a).filter((z) => z.t !== 'newline');
    expect(p[0]!.t).toBe('simple');
    expect(p[1]).toEqual({ t: 'rdb-eof' });
    const parts = p.slice(2);
    const last = parts.at(-1)!;
    expect(last.t).toBe('rdb');
    const total = parts.reduce((n, z) => n + z.bytes!, 0);
    expect(parts.slice(0, -1).every((z) => z.t === 'rdb-part' && z.bytes === RDB_CHUNK)).toBe(true);
    expect(parts.length).toBeGreaterThan(1);
    expect(last.bytes).toBeGreaterThan(0);
    expect(last.bytes).toBeLessThanOrEqual(RDB_CHUNK);
    expect(x.m.server().stats.netReplOutputBytes - out0).toBe(47 + total);
    const l2 = x.logs();
    const i = l2.indexOf('# Diskless rdb transfer, done reading from pipe, 1 replicas still up.');
    expect(l2.slice(i)).toEqual([
      '# Diskless rdb transfer, done reading from pipe, 1 replicas still up.',
      '* Background RDB transfer terminated with success',
      '* Streamed RDB transfer with replica 10.9.9.9:7002 succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming',
      '* Synchronization with replica 10.9.9.9:7002 succeeded',
    ]);
  });

  it('a replica gone during the socket transfer is not counted up nor put online', () => {
    const x = master('repl-diskless-sync-delay 0\n');
    const a = ready(x, 7002);
    const b = ready(x, 7003);
    a.send('psync', '?', '-1');
    b.send('psync', '?', '-1');
    x.w.run(1);
    x.w.until(() => x.m.repl().socketChildPid > 0 || x.m.repl().links.some((l) => l.state === 'wait_bgsave_end'), '5s');
    a.close();
    x.w.until(() => x.m.repl().socketChildPid < 0, '5s');
    x.w.run(5);
    const l = x.logs();
    expect(l).toContain('# Diskless rdb transfer, done reading from pipe, 1 replicas still up.');
    expect(l.filter((z) => z.startsWith('* Streamed RDB transfer'))).toEqual([
      '* Streamed RDB transfer with replica 10.9.9.9:7003 succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming',
    ]);
    expect(x.m.repl().links.map((z) => z.state)).toEqual(['online']);
  });

  it('disk: "$<size>" then the file, online and streaming at once', () => {
    const x = master('repl-diskless-sync no\n');
    const a = ready(x, 7002);
    x.logs();
    a.send('psync', '?', '-1');
    x.w.until(() => x.m.repl().links[0]?.state === 'online', '5s');
    const l = x.m.repl().links[0]!;
    expect(l.streaming).toBe(true);
    expect(l.startOnAck).toBe(false);
    x.w.run(5);
    const p = payloads(a).filter((z) => z.t !== 'newline');
    expect(p[1]!.t).toBe('rdb-bulk');
    expect(p.at(-1)!.t).toBe('rdb');
    expect(p.slice(2).reduce((n, z) => n + z.bytes!, 0)).toBe(p[1]!.size);
    expect(x.logs()).toContain('* Synchronization with replica 10.9.9.9:7002 succeeded');
  });

  it('the replication info missing: no fork, the waiting replicas get an error and are dropped', () => {
    const x = master('repl-diskless-sync-delay 100\n');
    const a = ready(x, 7002);
    a.send('psync', '?', '-1');
    x.w.run(1);
    const r = x.m.repl();
    r.backlog = null; // rdbPopulateSaveInfo has nothing to say
    x.logs();
    expect(startBgsaveForReplication(r, true)).toBe(false);
    x.w.run(5);
    expect(x.logs().slice(0, 3)).toEqual([
      '* Starting BGSAVE for SYNC with target: replicas sockets',
      "# BGSAVE for replication: replication information not available, can't generate the RDB file right now. Try later.",
      '# BGSAVE for replication failed',
    ]);
    expect(r.links).toEqual([]);
    expect(payloads(a).filter((z) => z.t === 'error').map((z) => z.v)).toEqual(["ERR BGSAVE failed, replication can't continue"]);
  });
});
