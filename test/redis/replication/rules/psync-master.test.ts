// The master's PSYNC decisions (replication.md §5.1; replication.c syncCommand and
// masterTryPartialResynchronization): continue on the current replid or on replid2 up to
// second_repl_offset, only from an offset the backlog still holds; otherwise a full resync, each with
// Redis's log line. Fake replicas (plain connections sending REPLCONF / PSYNC) make every case one
// request, each refused case next to its accepted twin (mutation testing, issue 20).
import { describe, expect, it } from 'vitest';
import type { Resp } from '../../../../engine/net/resp.ts';
import { argvSize } from '../../../../engine/net/resp.ts';
import { ReplWorld, type Cli, type Node } from '../world.ts';
import { toPsync } from './fake-master.ts';

interface Master {
  w: ReplWorld;
  m: Node;
  /** An ordinary client of the master. */
  mc: Cli;
  /** Log lines of the master since the last call. */
  logs(): string[];
}

function master(conf = '', messages = false): Master {
  const w = new ReplWorld(messages ? { trace: { detail: 'messages' } } : {});
  const m = w.server('m', '10.0.0.1', 7001, conf);
  w.start('m');
  w.run(10);
  const mc = w.client(m);
  let mark = w.mark();
  return {
    w,
    m,
    mc,
    logs: () => {
      const out = m.logs(mark);
      mark = w.mark();
      return out;
    },
  };
}

/** A connection that announces itself as a replica listening on `port` (capa psync2 if asked). */
function fake(x: Master, port: number, psync2 = true): Cli {
  const c = x.w.client(x.m);
  expect(c.q('replconf', 'listening-port', String(port))).toBe('OK');
  if (psync2) expect(c.q('replconf', 'capa', 'eof', 'capa', 'psync2')).toBe('OK');
  return c;
}

/** The first reply to PSYNC / SYNC (a simple string or an error), as text. */
function psync(c: Cli, ...argv: string[]): string {
  c.send(...argv);
  for (;;) {
    const [r] = c.take(1, '30s') as [Resp & { v?: unknown }];
    if ((r.t as string) === 'newline') continue; // keep-alives while a snapshot is waited for
    return r.t === 'error' ? `-${r.v}` : String(r.v);
  }
}

/** The commands the stream brought to a fake replica so far (newlines and snapshots skipped). */
function streamed(x: Master, c: Cli): string[] {
  x.w.run(5);
  const out: string[] = [];
  for (const p of c.inbox.splice(0) as unknown as { t: string; entries?: { argv: string[] }[] }[])
    if (p.t === 'stream') for (const e of p.entries!) out.push(e.argv.join(' '));
  return out;
}

const bytes = (...argv: string[]) => argvSize(argv);

describe('PSYNC on the current replication ID', () => {
  it('continues from any offset the backlog holds, sending exactly the bytes after it', () => {
    const x = master();
    const a = fake(x, 7002);
    const st = x.m.repl().st;
    expect(psync(a, 'psync', '?', '-1')).toBe(`FULLRESYNC ${st.replid} 0`);
    x.mc.q('set', 'k', 'v');
    const off = st.masterReplOffset;
    expect(off).toBe(bytes('SELECT', '0') + bytes('set', 'k', 'v'));
    x.logs();
    const ok0 = x.m.server().stats.syncPartialOk;
    // from the backlog's first byte: the whole history, and the replid (capa psync2)
    const b = fake(x, 7003);
    expect(psync(b, 'psync', st.replid, '1')).toBe(`CONTINUE ${st.replid}`);
    expect(streamed(x, b)).toEqual(['SELECT 0', 'set k v']);
    expect(x.logs().slice(0, 2)).toEqual([
      '* Replica 10.9.9.9:7003 asks for synchronization',
      `* Partial resynchronization request from 10.9.9.9:7003 accepted. Sending ${off} bytes of backlog starting from offset 1.`,
    ]);
    // the replid compares without case; no capa psync2: a bare CONTINUE
    const c = fake(x, 7004, false);
    const mid = 1 + bytes('SELECT', '0');
    expect(psync(c, 'psync', st.replid.toUpperCase(), String(mid))).toBe('CONTINUE');
    expect(streamed(x, c)).toEqual(['set k v']);
    expect(x.logs()[1]).toBe(`* Partial resynchronization request from 10.9.9.9:7004 accepted. Sending ${off + 1 - mid} bytes of backlog starting from offset ${mid}.`);
    // right after the last byte: nothing to send, still a partial resync
    const d = fake(x, 7005);
    expect(psync(d, 'psync', st.replid, String(off + 1))).toBe(`CONTINUE ${st.replid}`);
    expect(streamed(x, d)).toEqual([]);
    expect(x.logs()[1]).toBe(`* Partial resynchronization request from 10.9.9.9:7005 accepted. Sending 0 bytes of backlog starting from offset ${off + 1}.`);
    expect(x.m.server().stats.syncPartialOk).toBe(ok0 + 3);
    // continued replicas are online at once and get what follows
    expect(x.m.repl().links.slice(1).map((l) => l.state)).toEqual(['online', 'online', 'online']);
    x.mc.q('set', 'k', 'w');
    for (const r of [b, c, d]) expect(streamed(x, r)).toEqual(['set k w']);
  });

  it('an offset outside the backlog is a full resync "for lack of backlog", one past the end with a warning', () => {
    // no PING meanwhile: the backlog's first offset stays where it was read
    const x = master('repl-backlog-size 16kb\nrepl-ping-replica-period 1000\n');
    const a = fake(x, 7002);
    const st = x.m.repl().st;
    psync(a, 'psync', '?', '-1');
    for (let i = 0; i < 300; i++) x.mc.q('set', `k${i}`, 'v'.repeat(100));
    const first = x.m.repl().backlog!.offset;
    expect(first).toBeGreaterThan(1);
    x.logs();
    const full0 = x.m.server().stats.syncFull;
    const err0 = x.m.server().stats.syncPartialErr;
    const b = fake(x, 7003);
    expect(psync(b, 'psync', st.replid, String(first - 1))).toBe(`FULLRESYNC ${st.replid} ${st.masterReplOffset}`);
    expect(x.logs().filter((l) => l.includes(':7003 '))).toEqual([
      '* Replica 10.9.9.9:7003 asks for synchronization',
      `* Unable to partial resync with replica 10.9.9.9:7003 for lack of backlog (Replica request was: ${first - 1}).`,
    ]);
    const c = fake(x, 7004);
    expect(psync(c, 'psync', st.replid, String(first))).toBe(`CONTINUE ${st.replid}`);
    x.logs();
    const off = st.masterReplOffset;
    const d = fake(x, 7005);
    expect(psync(d, 'psync', st.replid, String(off + 2))).toBe(`FULLRESYNC ${st.replid} ${off}`);
    expect(x.logs().filter((l) => l.includes(':7005 ')).slice(1)).toEqual([
      `* Unable to partial resync with replica 10.9.9.9:7005 for lack of backlog (Replica request was: ${off + 2}).`,
      '# Warning: replica 10.9.9.9:7005 tried to PSYNC with an offset that is greater than the master replication offset.',
    ]);
    // the last byte of the history falls inside its last command: no backlog to send from, no warning
    const e = fake(x, 7006);
    expect(psync(e, 'psync', st.replid, String(off))).toBe(`FULLRESYNC ${st.replid} ${off}`);
    expect(x.logs().filter((l) => l.includes(':7006 '))).toEqual([
      '* Replica 10.9.9.9:7006 asks for synchronization',
      `* Unable to partial resync with replica 10.9.9.9:7006 for lack of backlog (Replica request was: ${off}).`,
    ]);
    expect(x.m.server().stats.syncFull).toBe(full0 + 3);
    expect(x.m.server().stats.syncPartialErr).toBe(err0 + 3);
  });

  it('without a backlog even the current replid and offset are a full resync, which creates the backlog', () => {
    const x = master();
    const st = x.m.repl().st;
    const id = st.replid;
    expect(x.m.repl().backlog).toBeNull();
    const a = fake(x, 7002);
    const reply = psync(a, 'psync', id, '1');
    const newId = st.replid;
    expect(newId).not.toBe(id);
    expect(reply).toBe(`FULLRESYNC ${newId} 0`);
    expect(x.logs().slice(0, 4)).toEqual([
      '* Replica 10.9.9.9:7002 asks for synchronization',
      '* Unable to partial resync with replica 10.9.9.9:7002 for lack of backlog (Replica request was: 1).',
      '# Warning: replica 10.9.9.9:7002 tried to PSYNC with an offset that is greater than the master replication offset.',
      `* Replication backlog created, my new replication IDs are '${newId}' and '0000000000000000000000000000000000000000'`,
    ]);
    expect(x.m.repl().backlog!.offset).toBe(1);
    expect(x.m.server().stats.syncPartialErr).toBe(1);
  });
});

describe('PSYNC on replid2', () => {
  function shifted() {
    const x = master();
    const st = x.m.repl().st;
    psync(fake(x, 7002), 'psync', '?', '-1');
    x.mc.q('set', 'a', '1');
    const old = st.replid;
    const upTo = st.masterReplOffset + 1;
    x.m.repl().shiftReplicationId(); // as a promotion does
    x.mc.q('set', 'b', '2');
    x.logs();
    return { x, st, old, upTo };
  }

  it('continues up to second_repl_offset, under the new replid', () => {
    const { x, st, old, upTo } = shifted();
    const b = fake(x, 7003);
    expect(psync(b, 'psync', old, String(upTo))).toBe(`CONTINUE ${st.replid}`);
    expect(streamed(x, b)).toEqual(['set b 2']);
    const c = fake(x, 7004);
    expect(psync(c, 'psync', old.toUpperCase(), '1')).toBe(`CONTINUE ${st.replid}`);
    expect(streamed(x, c)).toEqual(['SELECT 0', 'set a 1', 'set b 2']);
    expect(x.m.server().stats.syncPartialOk).toBe(2);
  });

  it('one byte past second_repl_offset is refused by offset', () => {
    const { x, st, old, upTo } = shifted();
    const b = fake(x, 7003);
    expect(psync(b, 'psync', old, String(upTo + 1))).toBe(`FULLRESYNC ${st.replid} ${st.masterReplOffset}`);
    expect(x.logs().slice(0, 2)).toEqual([
      '* Replica 10.9.9.9:7003 asks for synchronization',
      `* Partial resynchronization not accepted: Requested offset for second ID was ${upTo + 1}, but I can reply up to ${upTo}`,
    ]);
    expect(x.m.server().stats.syncPartialErr).toBe(1);
  });

  it('an unknown replid is refused by ID whatever the offset; "?" asks for a full resync', () => {
    const { x, st, old, upTo } = shifted();
    const other = 'f'.repeat(40);
    const b = fake(x, 7003);
    expect(psync(b, 'psync', other, String(upTo))).toBe(`FULLRESYNC ${st.replid} ${st.masterReplOffset}`);
    expect(x.logs()[1]).toBe(
      `* Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${other}', my replication IDs are '${st.replid}' and '${old}')`,
    );
    expect(x.m.server().stats.syncPartialErr).toBe(1);
    const c = fake(x, 7004);
    expect(psync(c, 'psync', '?', String(upTo))).toBe(`FULLRESYNC ${st.replid} ${st.masterReplOffset}`);
    expect(x.logs()[1]).toBe('* Full resync requested by replica 10.9.9.9:7004');
    expect(x.m.server().stats.syncPartialErr).toBe(1);
    expect(x.m.server().stats.syncFull).toBe(3);
  });
});

describe('SYNC / PSYNC refusals and the replica link', () => {
  it('a wrong offset is an integer error and a warning; no link is made', () => {
    const x = master();
    const a = fake(x, 7002);
    expect(psync(a, 'psync', '?', 'x1')).toBe('-ERR value is not an integer or out of range');
    expect(x.logs()).toEqual(['* Replica 10.9.9.9:7002 asks for synchronization', '# Replica 10.9.9.9:7002 asks for synchronization but with a wrong offset']);
    expect(x.m.repl().links).toEqual([]);
    expect(x.m.server().stats.syncFull).toBe(0);
  });

  it('a second PSYNC on a replica link is ignored', () => {
    const x = master();
    const a = fake(x, 7002);
    const st = x.m.repl().st;
    psync(a, 'psync', '?', '-1');
    x.logs();
    a.send('psync', st.replid, '1');
    x.w.run(1500);
    expect(a.inbox.every((p) => (p as { t: string }).t !== 'simple')).toBe(true);
    expect(x.logs().filter((l) => l.includes('asks for synchronization'))).toEqual([]);
    expect(x.m.repl().links.length).toBe(1);
  });

  it('SYNC: no +FULLRESYNC line, the link is pre-PSYNC', () => {
    const x = master();
    const a = fake(x, 7002);
    a.send('sync');
    x.w.run(7000); // past the diskless delay: the snapshot went out
    expect(a.inbox.some((p) => (p as { t: string }).t === 'rdb')).toBe(true);
    expect(a.inbox.some((p) => (p as { t: string }).t === 'simple')).toBe(false);
    const [l] = x.m.repl().links;
    expect(l!.prePsync).toBe(true);
    const b = fake(x, 7003);
    psync(b, 'psync', '?', '-1');
    expect(x.m.repl().links[1]!.prePsync).toBe(false);
    expect(x.m.server().stats.syncFull).toBe(2);
  });

  it('the backlog (and a new replid) is made for the first replica only', () => {
    const x = master();
    const st = x.m.repl().st;
    const a = fake(x, 7002);
    psync(a, 'psync', '?', '-1');
    const id = st.replid;
    x.logs();
    x.mc.q('set', 'k', 'v');
    const b = fake(x, 7003);
    expect(psync(b, 'psync', '?', '-1')).toBe(`FULLRESYNC ${id} ${st.masterReplOffset}`);
    // the only replica leaves and comes back: the backlog and its history stay
    a.close();
    b.close();
    x.w.run(10);
    expect(x.m.repl().links).toEqual([]);
    const c = fake(x, 7004);
    expect(psync(c, 'psync', '?', '-1')).toBe(`FULLRESYNC ${id} ${st.masterReplOffset}`);
    expect(x.logs().filter((l) => l.includes('backlog created'))).toEqual([]);
  });

  it('a full resync restarts the stream with a SELECT', () => {
    const x = master();
    const a = fake(x, 7002);
    psync(a, 'psync', '?', '-1');
    x.mc.q('select', '1');
    x.mc.q('set', 'k', 'v');
    x.mc.q('set', 'k', 'u');
    const b = fake(x, 7003);
    psync(b, 'psync', '?', '-1');
    x.mc.q('set', 'k', 'w');
    const log = x.m.repl().backlog!;
    expect(log.from(1)!.map((e) => e.argv.join(' ')).filter((c) => c !== 'PING')).toEqual(['SELECT 1', 'set k v', 'set k u', 'SELECT 1', 'set k w']);
  });

  it('a replica link is a replica client (flag S), streaming only once in sync', () => {
    const x = master('repl-diskless-sync no\n');
    const a = fake(x, 7002);
    psync(a, 'psync', '?', '-1');
    expect(String(x.mc.q('client', 'list', 'type', 'replica'))).toMatch(/ flags=S /);
    // a write while the snapshot is being made goes after the snapshot, not before
    x.mc.q('set', 'k', 'v');
    x.w.until(() => x.m.repl().links[0]!.state === 'online', '5s');
    x.w.run(5);
    const kinds = (a.inbox as unknown as { t: string }[]).map((p) => p.t).filter((t) => t !== 'newline');
    expect(kinds.indexOf('stream')).toBeGreaterThan(kinds.indexOf('rdb'));
  });

  it('a PSYNC request without any REPLCONF names the replica by its address only', () => {
    const x = master();
    const c = x.w.client(x.m);
    psync(c, 'psync', '?', '-1');
    expect(x.logs()[0]).toBe('* Replica 10.9.9.9:<unknown-replica-port> asks for synchronization');
  });

  it('+CONTINUE and +FULLRESYNC lines have their RESP size on the wire', () => {
    const x = master('', true);
    const st = x.m.repl().st;
    const a = fake(x, 7002);
    psync(a, 'psync', '?', '-1');
    const b = fake(x, 7003);
    psync(b, 'psync', st.replid, '1');
    const sizes = x.w.sim.trace
      .records()
      .filter((r) => r.k === 'msg' && r.kind === 'repl' && r.from.startsWith('10.0.0.1:'))
      .map((r) => (r as { size: number }).size);
    expect(sizes).toContain(`+FULLRESYNC ${st.replid} 0\r\n`.length);
    expect(sizes).toContain(`+CONTINUE ${st.replid}\r\n`.length);
  });

  it('a replica that is not connected to its master refuses SYNC; a failing-over master too', () => {
    const x = master('replicaof 10.0.0.9 7009\n');
    const a = fake(x, 7002);
    expect(psync(a, 'psync', '?', '-1')).toBe("-NOMASTERLINK Can't SYNC while not connected with my master");
    expect(psync(a, 'sync')).toBe("-NOMASTERLINK Can't SYNC while not connected with my master");
    // connected to its master: it serves its own replicas
    const f = toPsync('', { replid: 'a'.repeat(40), reploff: 10, dbIndex: 0 });
    Object.assign(f.r.repl().st, { replid: 'a'.repeat(40), masterReplOffset: 10 }); // the history the cached master stands for
    f.fm.reply('+CONTINUE');
    const sub = f.w.client(f.r);
    expect(sub.q('replconf', 'listening-port', '7003')).toBe('OK');
    expect(psync(sub, 'psync', 'a'.repeat(40), '11')).toBe('CONTINUE');
    const y = master();
    y.m.repl().failover.state = 'waiting-for-sync';
    expect(psync(fake(y, 7002), 'psync', '?', '-1')).toBe("-NOMASTERLINK Can't SYNC while failing over");
    expect(y.m.repl().links).toEqual([]);
  });
});

describe('PSYNC <replid> <offset> FAILOVER (the target of a FAILOVER)', () => {
  it('refused by a master and on another replid; accepted: master mode, then the PSYNC itself', () => {
    const x = master();
    const st = x.m.repl().st;
    const a = fake(x, 7002);
    expect(psync(a, 'psync', st.replid, '1', 'failover')).toBe("-ERR PSYNC FAILOVER can't be sent to a master.");
    expect(x.logs()).toEqual([`# Failover request received for replid ${st.replid}.`]);
    // PSYNC with a fourth argument that is not FAILOVER is a plain PSYNC
    expect(psync(a, 'psync', '?', '-1', 'other')).toMatch(/^FULLRESYNC /);
    const f = toPsync('', { replid: 'a'.repeat(40), reploff: 10, dbIndex: 0 });
    Object.assign(f.r.repl().st, { replid: 'a'.repeat(40), masterReplOffset: 10 }); // the history the cached master stands for
    f.fm.reply('+CONTINUE');
    f.logs();
    const sub = f.w.client(f.r);
    expect(sub.q('replconf', 'listening-port', '7001', 'capa', 'psync2')).toBe('OK');
    const rst = f.r.repl().st;
    expect(psync(sub, 'psync', 'b'.repeat(40), '11', 'FAILOVER')).toBe('-ERR PSYNC FAILOVER replid must match my replid.');
    expect(f.r.repl().isReplica).toBe(true);
    const id = rst.replid;
    expect(psync(sub, 'psync', id.toUpperCase(), '11', 'FaIlOvEr')).toBe(`CONTINUE ${rst.replid}`);
    expect(f.r.repl().isReplica).toBe(false);
    const l = f.logs();
    expect(l[0]).toBe(`# Failover request received for replid ${'b'.repeat(40)}.`);
    expect(l).toContain(`# Failover request received for replid ${id.toUpperCase()}.`);
    expect(l.some((z) => z.startsWith("* MASTER MODE enabled (failover request from 'id="))).toBe(true);
    expect(rst.replid2).toBe(id);
  });
});
