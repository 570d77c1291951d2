// The replica's handshake with its master (replication.md §4; replication.c syncWithMaster,
// slaveTryPartialResynchronization, cancelReplicationHandshake): which replies let it go on, what it
// writes, how it reads each PSYNC reply, and what a lost socket or a silent master does at each step.
// The master is a fake the test speaks for (fake-master.ts): one reply at a time, each refused case
// next to the accepted one (mutation testing, issue 20).
import { describe, expect, it } from 'vitest';
import { argvSize } from '../../../../engine/net/resp.ts';
import { snapshot } from '../../../../engine/redis/persistence/rdb.ts';
import { replicaOfFake, toPsync } from './fake-master.ts';

const ID = 'a'.repeat(40);
const ID2 = 'b'.repeat(40);

describe('PING and the REPLCONFs', () => {
  it('any +reply, or an authentication / permission error, lets the handshake go on', () => {
    for (const reply of ['+PONG', '-NOAUTH Authentication required.', '-NOPERM this user has no permissions', '-ERR operation not permitted']) {
      const { fm, logs } = replicaOfFake();
      expect(fm.take(1)).toEqual(['PING']);
      logs();
      fm.reply(reply);
      expect(logs(), reply).toEqual(['* Master replied to PING, replication can continue...']);
      expect(fm.take(2)).toEqual(['REPLCONF listening-port 7002', 'REPLCONF capa eof capa psync2']);
    }
  });

  it('another error to PING drops the link; the cron connects again', () => {
    const { fm, logs, r, w } = replicaOfFake();
    fm.take(1);
    logs();
    fm.reply('-ERR unknown thing');
    expect(logs()).toEqual(["# Error reply to PING from master: '-ERR unknown thing'"]);
    expect(r.repl().replica.state).toBe('connect');
    expect(r.repl().replica.conn).toBeNull();
    w.until(() => fm.accepted === 2, '2s');
    w.run(5);
    expect(logs()).toEqual(['* Connecting to MASTER 10.0.0.1:7001', '* MASTER <-> REPLICA sync started', '* Non blocking connect for SYNC fired the event.']);
  });

  it('masterauth (and masteruser) go first; an AUTH error drops the link', () => {
    const a = replicaOfFake('masterauth pw\n');
    a.fm.take(1);
    a.fm.reply('+PONG');
    expect(a.fm.take(3)).toEqual(['AUTH pw', 'REPLCONF listening-port 7002', 'REPLCONF capa eof capa psync2']);
    a.logs();
    a.fm.reply('-WRONGPASS invalid username-password pair or user is disabled.');
    expect(a.logs()).toEqual(['# Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.']);
    expect(a.r.repl().replica.state).toBe('connect');
    const b = replicaOfFake('masterauth pw\nmasteruser u\nreplica-announce-port 7777\nreplica-announce-ip 10.5.5.5\n');
    b.fm.take(1);
    b.fm.reply('+PONG');
    expect(b.fm.take(4)).toEqual(['AUTH u pw', 'REPLCONF listening-port 7777', 'REPLCONF ip-address 10.5.5.5', 'REPLCONF capa eof capa psync2']);
    b.fm.reply('+OK');
    expect(b.r.repl().replica.state).toBe('receive_port_reply');
    b.logs();
    // errors to the REPLCONFs are not critical: logged, and the handshake goes on
    b.fm.reply('-ERR a');
    expect(b.r.repl().replica.state).toBe('receive_ip_reply');
    b.fm.reply('-ERR b');
    expect(b.r.repl().replica.state).toBe('receive_capa_reply');
    b.fm.reply('-ERR c');
    expect(b.logs()).toEqual([
      '* (Non critical) Master does not understand REPLCONF listening-port: -ERR a',
      '* (Non critical) Master does not understand REPLCONF ip-address: -ERR b',
      '* (Non critical) Master does not understand REPLCONF capa: -ERR c',
      '* Partial resynchronization not possible (no cached master)',
    ]);
    expect(b.fm.take(1)).toEqual(['PSYNC ? -1']);
  });

  it('+OK replies log nothing; the state walks port, capa, PSYNC', () => {
    const { fm, logs, r } = replicaOfFake();
    fm.take(1);
    fm.reply('+PONG');
    fm.take(2);
    logs();
    expect(r.repl().replica.state).toBe('receive_port_reply');
    fm.reply('+OK');
    expect(r.repl().replica.state).toBe('receive_capa_reply');
    expect(logs()).toEqual([]);
    fm.reply('+OK');
    expect(r.repl().replica.state).toBe('receive_psync_reply');
  });
});

describe('PSYNC and its reply', () => {
  it('with a cached master, PSYNC asks for its replid and offset + 1', () => {
    const x = toPsync('', { replid: ID, reploff: 99, dbIndex: 3 });
    expect(x.psync).toBe(`PSYNC ${ID} 100`);
    expect(x.logged).toEqual([`* Trying a partial resynchronization (request ${ID}:100).`]);
    expect(toPsync().logged).toEqual(['* Partial resynchronization not possible (no cached master)']);
  });

  it('+FULLRESYNC <replid> <offset>: the transfer begins; a wrong syntax forgets the replid', () => {
    const x = toPsync();
    expect(x.psync).toBe('PSYNC ? -1');
    x.logs();
    x.fm.reply({ t: 'newline' }); // a keep-alive newline first: ignored
    expect(x.side().state).toBe('receive_psync_reply');
    x.fm.reply(`+FULLRESYNC ${ID} 1234`);
    expect(x.logs()).toEqual([`* Full resync from master: ${ID}:1234`]);
    expect(x.side().state).toBe('transfer');
    expect(x.side().masterReplid).toBe(ID);
    expect(x.side().masterInitialOffset).toBe(1234);
    expect(x.side().transferSize).toBe(-1);
    for (const bad of [`+FULLRESYNC ${ID}`, `+FULLRESYNC ${ID}x 5`, `+FULLRESYNC ${ID.slice(1)} 5`]) {
      const y = toPsync();
      y.fm.reply(bad);
      expect(y.logs(), bad).toEqual(['# Master replied with wrong +FULLRESYNC syntax.']);
      expect(y.side().masterReplid).toBe('');
      expect(y.side().masterInitialOffset).toBe(-1);
      expect(y.side().state).toBe('transfer');
    }
  });

  it('+CONTINUE: the cached master goes live; a new replid moves the old one to replid2', () => {
    const x = toPsync('', { replid: ID, reploff: 99, dbIndex: 3 });
    const st = x.r.repl().st;
    st.masterReplOffset = 99;
    x.fm.reply('+CONTINUE');
    expect(x.logs()).toEqual(['* Successful partial resynchronization with master.', '* MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.']);
    const m = x.side().master!;
    expect([m.replid, m.reploff, m.readReploff, m.client.dbIndex, m.prePsync]).toEqual([ID, 99, 99, 3, false]);
    expect(x.side().state).toBe('connected');
    expect(x.side().cached).toBeNull();
    expect(x.r.repl().backlog).not.toBeNull();
    expect(st.masterLinkUp).toBe(true);
    const y = toPsync('', { replid: ID, reploff: 99, dbIndex: 0 });
    const sy = y.r.repl().st;
    sy.masterReplOffset = 99;
    y.fm.reply(`+CONTINUE ${ID2}`);
    expect(y.logs()).toEqual([
      '* Successful partial resynchronization with master.',
      `# Master replication ID changed to ${ID2}`,
      '* MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.',
    ]);
    expect([sy.replid, sy.replid2, sy.secondReplOffset]).toEqual([ID2, ID, 100]);
    expect(y.side().master!.replid).toBe(ID2);
    // the same replid, or one not 40 long: no change
    for (const same of [`+CONTINUE ${ID}`, `+CONTINUE ${ID2.slice(1)}`]) {
      const z = toPsync('', { replid: ID, reploff: 9, dbIndex: 0 });
      const id0 = z.r.repl().st.replid;
      z.fm.reply(same);
      expect(z.logs().some((l) => l.includes('changed')), same).toBe(false);
      expect(z.side().master!.replid).toBe(ID);
      expect(z.r.repl().st.replid).toBe(id0);
    }
  });

  it('+CONTINUE without a cached master drops the link', () => {
    const x = toPsync();
    x.fm.reply('+CONTINUE');
    expect(x.side().master).toBeNull();
    expect(x.side().state).toBe('connect');
  });

  it('-NOMASTERLINK / -LOADING: try later; -ERR: fall back to SYNC; anything else is unexpected, then SYNC', () => {
    for (const line of ["-NOMASTERLINK Can't SYNC while not connected with my master", '-LOADING Redis is loading the dataset in memory']) {
      const x = toPsync();
      x.fm.reply(line);
      expect(x.logs()).toEqual([`* Master is currently unable to PSYNC but should be in the future: ${line}`]);
      expect(x.side().state).toBe('connect');
      expect(x.side().conn).toBeNull();
    }
    const y = toPsync();
    y.fm.reply('-ERR unknown command');
    expect(y.logs()).toEqual(['* Master does not support PSYNC or is in error state (reply: -ERR unknown command)', '* Retrying with SYNC...']);
    expect(y.fm.take(1)).toEqual(['SYNC']);
    expect(y.side().state).toBe('transfer');
    const z = toPsync();
    z.fm.reply('+WHAT');
    expect(z.logs()).toEqual(['# Unexpected reply to PSYNC from master: +WHAT', '* Retrying with SYNC...']);
    expect(z.fm.take(1)).toEqual(['SYNC']);
  });

  it('a reply that is not a line (a bulk string) is read by its first line', () => {
    const x = toPsync();
    x.fm.reply({ t: 'bulk', v: 'abc' });
    expect(x.logs()[0]).toBe('# Unexpected reply to PSYNC from master: $3');
  });

  it('a master failing over sends PSYNC ... FAILOVER', () => {
    const x = replicaOfFake();
    x.fm.take(1);
    x.fm.reply('+PONG');
    x.fm.take(2);
    x.fm.reply('+OK');
    x.r.repl().failover.state = 'failover-in-progress';
    x.fm.reply('+OK');
    expect(x.fm.take(1)).toEqual(['PSYNC ? -1 FAILOVER']);
  });

  it('after the SYNC fallback the master link is pre-PSYNC: loaded at offset -1, never ACKed', () => {
    const x = toPsync();
    x.fm.reply('-ERR unknown command');
    expect(x.fm.take(1)).toEqual(['SYNC']);
    x.fm.reply({ t: 'rdb-bulk', size: 10 });
    const src = x.w.server('src', '10.0.1.1', 7100);
    x.w.start('src');
    x.w.run(5);
    x.fm.reply({ t: 'rdb', file: snapshot(src.server().ks, 0, {}), bytes: 10 });
    const m = x.side().master!;
    expect([m.reploff, m.prePsync]).toEqual([-1, true]);
    x.side().cron();
    x.w.run(5);
    expect(x.fm.got).toEqual([]);
  });

  it('a reply line is read into 255 bytes at most', () => {
    const x = toPsync();
    x.fm.reply(`+X${'y'.repeat(400)}`);
    expect(x.logs()[0]).toBe(`# Unexpected reply to PSYNC from master: +X${'y'.repeat(253)}`);
  });
});

describe('a lost socket or a silent master', () => {
  it('a refused connect, a close during the handshake and during the PSYNC reply', () => {
    const x = replicaOfFake();
    x.fm.take(1);
    x.logs();
    x.fm.conn!.close();
    x.w.run(5);
    expect(x.logs()).toEqual(['# Failed to read response from the server: Success', '# Master did not respond to command during SYNC handshake']);
    expect(x.r.repl().replica.state).toBe('connect');
    const y = toPsync();
    y.fm.conn!.close();
    y.w.run(5);
    expect(y.logs()).toEqual(['# Failed to read response from the server: Success', '# Master did not reply to PSYNC, will try later']);
    expect(y.side().state).toBe('connect');
    const z = replicaOfFake();
    z.w.sim.kill('10.0.0.1:7001');
    z.w.run(2500);
    const zl = z.logs();
    const i = zl.indexOf('# Error condition on socket for SYNC: Connection refused');
    expect(zl.slice(i - 2, i)).toEqual(['* Connecting to MASTER 10.0.0.1:7001', '* MASTER <-> REPLICA sync started']);
    expect(z.r.repl().replica.state).toBe('connect');
  });

  it('a close during the transfer: before or after the bulk count; the replica reconnects at once', () => {
    const x = toPsync();
    x.fm.reply(`+FULLRESYNC ${ID} 0`);
    x.logs();
    x.fm.conn!.close();
    x.w.run(5);
    expect(x.logs()).toEqual([
      '# I/O error reading bulk count from MASTER: Success',
      '* Reconnecting to MASTER 10.0.0.1:7001 after failure',
      '* MASTER <-> REPLICA sync started',
      '* Non blocking connect for SYNC fired the event.',
    ]);
    const y = toPsync();
    y.fm.reply(`+FULLRESYNC ${ID} 0`);
    y.fm.reply({ t: 'rdb-bulk', size: 100 });
    y.logs();
    y.fm.conn!.close();
    y.w.run(5);
    expect(y.logs().slice(0, 2)).toEqual(['# I/O error trying to sync with MASTER: connection lost', '* Reconnecting to MASTER 10.0.0.1:7001 after failure']);
  });

  it('the cron gives up a handshake, a transfer or a link silent for more than repl-timeout seconds', () => {
    const x = toPsync('repl-timeout 5\n');
    const side = x.side();
    const now = x.r.repl().unixtime();
    side.transferLastIo = now - 5;
    side.cron();
    expect(side.state).toBe('receive_psync_reply');
    side.transferLastIo = now - 6;
    side.cron();
    expect(x.logs().slice(0, 2)).toEqual(['# Timeout connecting to the MASTER...', '* Reconnecting to MASTER 10.0.0.1:7001 after failure']);
    expect(side.state).toBe('connecting');
    side.transferLastIo = now - 6;
    side.cron();
    expect(x.logs()[0]).toBe('# Timeout connecting to the MASTER...');
    const y = toPsync('repl-timeout 5\n');
    y.fm.reply(`+FULLRESYNC ${ID} 0`);
    y.logs();
    const ys = y.side();
    ys.transferLastIo = now - 5;
    ys.cron();
    expect(ys.state).toBe('transfer');
    ys.transferLastIo = now - 6;
    ys.cron();
    expect(y.logs().slice(0, 2)).toEqual([
      "# Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
      '* Reconnecting to MASTER 10.0.0.1:7001 after failure',
    ]);
    const z = toPsync('repl-timeout 5\n', { replid: ID, reploff: 10, dbIndex: 0 });
    z.fm.reply('+CONTINUE');
    z.logs();
    const zs = z.side();
    const m = zs.master!;
    m.lastInteraction = now - 5;
    zs.cron();
    expect(zs.master).toBe(m);
    expect(z.fm.take(1)).toEqual(['REPLCONF ACK 10']);
    m.lastInteraction = now - 6;
    zs.cron();
    expect(z.logs().slice(0, 4)).toEqual([
      '# MASTER timeout: no data nor PING received...',
      '# Connection with master lost.',
      '* Caching the disconnected master state.',
      '* Reconnecting to MASTER 10.0.0.1:7001',
    ]);
    expect(zs.cached).toEqual({ replid: ID, reploff: 10, dbIndex: 0 });
  });

  it('the cron ACKs a PSYNC master every second, never a SYNC one', () => {
    const x = toPsync('', { replid: ID, reploff: 10, dbIndex: 0 });
    x.fm.reply('+CONTINUE');
    x.side().cron();
    expect(x.fm.take(1)).toEqual(['REPLCONF ACK 10']);
    x.side().master!.prePsync = true;
    x.side().cron();
    x.w.run(5);
    expect(x.fm.got.filter((g) => g.startsWith('REPLCONF ACK'))).toEqual([]);
  });

  it('what the master sends while the replica is busy (DEBUG SLEEP) is handled afterwards, in order', () => {
    const x = toPsync('enable-debug-command yes\n', { replid: ID, reploff: 100, dbIndex: 0 });
    Object.assign(x.r.repl().st, { replid: ID, masterReplOffset: 100 });
    x.fm.reply('+CONTINUE');
    x.logs();
    const c = x.w.client(x.r);
    c.send('debug', 'sleep', '0.5');
    x.w.run(10);
    const set = ['SET', 'a', '1'];
    x.fm.conn!.send({ t: 'stream', entries: [{ argv: set, bytes: argvSize(set) }] }, argvSize(set), 'repl');
    x.fm.conn!.send({ t: 'stream', entries: [{ argv: ['SET', 'a', '2'], bytes: argvSize(set) }] }, argvSize(set), 'repl');
    x.fm.conn!.close();
    x.w.run(100);
    expect(x.side().master!.reploff).toBe(100);
    expect(x.logs()).toEqual([]);
    x.w.run(500);
    expect(x.side().cached).toEqual({ replid: ID, reploff: 100 + 2 * argvSize(set), dbIndex: 0 });
    expect(x.logs().slice(0, 2)).toEqual(['# Connection with master lost.', '* Caching the disconnected master state.']);
    expect(c.take(1)).toEqual([{ t: 'simple', v: 'OK' }]); // DEBUG SLEEP's
    expect(c.q('get', 'a')).toBe('2');
  });

  it('the master client: a stream db out of range selects db 0; CLIENT KILL of it caches it, an open MULTI discarded', () => {
    for (const [db, want] of [
      [15, 15],
      [16, 0],
      [-1, 0],
    ] as const) {
      const x = toPsync('', { replid: ID, reploff: 100, dbIndex: db });
      x.fm.reply('+CONTINUE');
      expect(x.side().master!.client.dbIndex, String(db)).toBe(want);
    }
    const x = toPsync('', { replid: ID, reploff: 100, dbIndex: 0 });
    Object.assign(x.r.repl().st, { replid: ID, masterReplOffset: 100 });
    x.fm.reply('+CONTINUE');
    const multi = ['MULTI'];
    x.fm.reply({ t: 'stream', entries: [{ argv: multi, bytes: argvSize(multi) }] });
    x.logs();
    expect(x.w.client(x.r).q('client', 'kill', 'type', 'master')).toBe(1);
    x.w.run(5);
    expect(x.logs().slice(0, 4)).toEqual([
      '# Connection with master lost.',
      '* Caching the disconnected master state.',
      '* Reconnecting to MASTER 10.0.0.1:7001',
      '* MASTER <-> REPLICA sync started',
    ]);
    expect(x.side().cached).toEqual({ replid: ID, reploff: 100, dbIndex: 0 });
    expect(x.r.repl().st.masterLinkUp).toBe(false);
    expect(x.side().downSince).toBe(x.r.repl().unixtime());
  });

  it('a new replid at +CONTINUE drops our own replicas (they must follow the new history); the same replid keeps them', () => {
    for (const [reply, dropped] of [
      [`+CONTINUE ${'c'.repeat(40)}`, true],
      [`+CONTINUE ${ID}`, false],
    ] as const) {
      const x = toPsync('', { replid: ID, reploff: 100, dbIndex: 0 });
      Object.assign(x.r.repl().st, { replid: ID, masterReplOffset: 100 });
      x.fm.reply('+CONTINUE');
      const sub = x.w.client(x.r);
      expect(sub.q('replconf', 'listening-port', '7009')).toBe('OK');
      sub.send('psync', ID, '101');
      x.w.run(5);
      expect(x.r.repl().links.length).toBe(1);
      x.w.client(x.r).q('client', 'kill', 'type', 'master');
      x.w.until(() => x.fm.accepted === 2, '2s');
      expect(x.fm.take(1)).toEqual(['PING']);
      x.fm.reply('+PONG');
      x.fm.take(2);
      x.fm.reply('+OK');
      x.fm.reply('+OK');
      expect(x.fm.take(1)).toEqual([`PSYNC ${ID} 101`]);
      x.fm.reply(reply);
      x.w.run(5);
      expect(x.r.repl().links.length, reply).toBe(dropped ? 0 : 1);
      expect(sub.closed !== null, reply).toBe(dropped);
    }
  });
});
