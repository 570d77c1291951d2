// The replica receiving data (replication.md §6; replication.c readSyncBulkPayload,
// replicationAttachToNewMaster, and the master client's stream): the snapshot's preamble and pieces,
// loading it as the new history (replid, offset, replid2 cleared, backlog), errors before the
// preamble, and the stream applied with its offsets, held by a pause and deferred by MULTI.
// The master is a fake the test speaks for (fake-master.ts) (mutation testing, issue 20).
import { describe, expect, it } from 'vitest';
import { argvSize } from '../../../../engine/net/resp.ts';
import { snapshot, type RdbFile } from '../../../../engine/redis/persistence/rdb.ts';
import { entry } from '../../../../engine/redis/replication/types.ts';
import { toPsync } from './fake-master.ts';

const ID = 'a'.repeat(40);

/** An RDB made by another server holding k1..kn in db 0 (and the given stream db). */
function rdbOf(x: ReturnType<typeof toPsync>, n: number, replStreamDb = 0): RdbFile {
  const src = x.w.server(`src${n}`, `10.0.1.${n}`, 7100 + n);
  x.w.start(`src${n}`);
  x.w.run(5);
  const c = x.w.client(src);
  for (let i = 1; i <= n; i++) c.q('set', `k${i}`, 'v');
  return snapshot(src.server().ks, src.server().mstime(), { replId: ID, replOffset: 0, replStreamDb });
}

/** A replica past +FULLRESYNC <ID> <offset>, in the transfer state. */
function inTransfer(conf = '', offset = 500) {
  const x = toPsync(conf);
  x.fm.reply(`+FULLRESYNC ${ID} ${offset}`);
  x.logs();
  return x;
}

describe('the snapshot transfer', () => {
  it('an EOF-marked transfer: pieces counted, loaded as the new history, then an ACK at once', () => {
    const x = inTransfer();
    const file = rdbOf(x, 3, 2);
    const s = x.r.server();
    s.ks.dbs[0]!.dict.set('old', { value: { t: 'string', v: 'x' } } as never);
    const in0 = s.stats.netReplInputBytes;
    const dirty0 = s.dirty;
    const side = x.side();
    x.fm.reply({ t: 'rdb-eof' });
    expect(x.logs()).toEqual(['* MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk']);
    expect([side.usemark, side.transferSize]).toEqual([true, 0]);
    x.fm.reply({ t: 'rdb-part', bytes: 100 });
    x.fm.reply({ t: 'rdb-part', bytes: 50 });
    expect(side.transferRead).toBe(150);
    expect(s.stats.netReplInputBytes).toBe(in0 + 150);
    x.r.repl().st.replid2 = 'c'.repeat(40);
    x.r.repl().st.secondReplOffset = 9;
    x.fm.reply({ t: 'rdb', file, bytes: 7 });
    expect(side.transferRead).toBe(157);
    expect(s.stats.netReplInputBytes).toBe(in0 + 157);
    const l = x.logs();
    expect(l[0]).toBe('* MASTER <-> REPLICA sync: Flushing old data');
    expect(l[1]).toBe('* MASTER <-> REPLICA sync: Loading DB in memory');
    expect(l.at(-1)).toBe('* MASTER <-> REPLICA sync: Finished with success');
    expect(l.slice(2, -1)).toEqual([
      '* Loading RDB produced by version 7.0.15',
      '* RDB age 0 seconds',
      '* RDB memory usage when created 0.84 Mb',
      '* Done loading RDB, keys loaded: 3, keys expired: 0.',
    ]);
    expect(x.fm.got).toEqual(['REPLCONF ACK 500']); // at once, not the cron's
    x.fm.got.length = 0;
    expect(s.rdbLoadStats).toEqual({ loaded: 3, expired: 0 });
    const conf = s.conf;
    expect(x.w.sim.host('r').disk.read(`${conf.get('dir')}/${conf.get('dbfilename')}`.replace('//', '/'))).toBe(file);
    const st = x.r.repl().st;
    expect([st.replid, st.masterReplOffset, st.replid2, st.secondReplOffset]).toEqual([ID, 500, '0'.repeat(40), -1]);
    expect(x.r.repl().backlog!.offset).toBe(501);
    expect(s.ks.dbs[0]!.dict.has('old')).toBe(false);
    expect(s.ks.dbs[0]!.dict.size).toBe(3);
    expect(s.dirty).toBe(dirty0 + 1);
    expect(s.loading).toBe(false);
    const m = side.master!;
    expect([m.replid, m.reploff, m.client.dbIndex, side.state]).toEqual([ID, 500, 2, 'connected']);
  });

  it('a transfer with a length: no ACK until the cron; pieces before the length are not counted', () => {
    const x = inTransfer('repl-diskless-load swapdb\n', 0);
    const file = rdbOf(x, 1);
    const side = x.side();
    x.fm.reply({ t: 'rdb-part', bytes: 100 });
    x.fm.reply({ t: 'rdb', file, bytes: 100 });
    expect(side.transferRead).toBe(0);
    expect(side.state).toBe('transfer');
    x.fm.reply({ t: 'rdb-bulk', size: 321 });
    expect(x.logs()).toEqual(['* MASTER <-> REPLICA sync: receiving 321 bytes from master to parser']);
    expect([side.usemark, side.transferSize]).toEqual([false, 321]);
    const dirty0 = x.r.server().dirty;
    x.fm.reply({ t: 'rdb', file, bytes: 321 });
    expect(side.transferRead).toBe(321);
    expect(side.state).toBe('connected');
    expect(x.r.server().dirty).toBe(dirty0);
    x.w.run(5);
    expect(x.fm.got).toEqual([]);
  });

  it('a replica loads keys already expired (the master expires them) and, without a stream db, reads db 0', () => {
    const x = inTransfer();
    const src = x.w.server('src', '10.0.1.1', 7100);
    x.w.start('src');
    x.w.run(5);
    const c = x.w.client(src);
    c.q('set', 'gone', '1', 'px', '20');
    c.q('set', 'kept', '1');
    const file = snapshot(src.server().ks, 0, {});
    x.w.run(100);
    x.fm.reply({ t: 'rdb-eof' });
    x.logs();
    x.fm.reply({ t: 'rdb', file, bytes: 10 });
    expect(x.logs()).toContain('* Done loading RDB, keys loaded: 2, keys expired: 0.');
    expect(x.r.server().ks.dbs[0]!.dict.has('gone')).toBe(true);
    expect(x.side().master!.client.dbIndex).toBe(0);
  });

  it("the master's functions replace the replica's", () => {
    const x = inTransfer();
    const s = x.r.server();
    s.loadFunctionCodes(["#!lua name=old\nredis.register_function('f_old', function() return 1 end)"], false);
    const src = x.w.server('src', '10.0.1.1', 7100);
    x.w.start('src');
    x.w.run(5);
    const lib = "#!lua name=new\nredis.register_function('f_new', function() return 2 end)";
    x.fm.reply({ t: 'rdb-eof' });
    x.fm.reply({ t: 'rdb', file: snapshot(src.server().ks, 0, {}, undefined, [lib]), bytes: 10 });
    expect(s.functionCodes()).toEqual([lib]);
  });

  it('a +FULLRESYNC without a usable replid loads under the null replid', () => {
    const x = toPsync();
    x.fm.reply('+FULLRESYNC bad 5');
    x.fm.reply({ t: 'rdb-eof' });
    x.fm.reply({ t: 'rdb', file: rdbOf(x, 1), bytes: 10 });
    expect(x.r.repl().st.replid).toBe('0'.repeat(40));
  });

  it('before the preamble: an error aborts, another line is bad protocol, a newline is a keep-alive', () => {
    const x = inTransfer();
    x.fm.reply({ t: 'newline' });
    expect(x.logs()).toEqual([]);
    expect(x.side().state).toBe('transfer');
    x.fm.reply('-ERR no way');
    expect(x.logs().slice(0, 2)).toEqual(['# MASTER aborted replication with an error: ERR no way', '* Reconnecting to MASTER 10.0.0.1:7001 after failure']);
    const y = inTransfer();
    y.fm.reply('+OK');
    expect(y.logs().slice(0, 2)).toEqual([
      "# Bad protocol from MASTER, the first byte is not '$' (we received '+OK'), are you sure the host and port are right?",
      '* Reconnecting to MASTER 10.0.0.1:7001 after failure',
    ]);
    // after the preamble stray lines are ignored
    const z = inTransfer();
    z.fm.reply({ t: 'rdb-bulk', size: 10 });
    z.logs();
    z.fm.reply('-ERR late');
    z.fm.reply('+late');
    z.fm.reply({ t: 'newline' });
    expect(z.logs()).toEqual([]);
    expect(z.side().state).toBe('transfer');
    // before it, a RESP bulk string is no protocol error (the preamble travels as its own payload)
    const b = inTransfer();
    b.fm.reply({ t: 'bulk', v: 'abc' });
    expect(b.logs()).toEqual([]);
    expect(b.side().state).toBe('transfer');
  });

  it('every byte read refreshes the transfer clock', () => {
    const x = inTransfer();
    const side = x.side();
    side.transferLastIo = 0;
    x.fm.reply({ t: 'newline' });
    expect(side.transferLastIo).toBe(x.r.repl().unixtime());
  });
});

describe('loading the snapshot: what goes before the data', () => {
  it('an RDB child of the replica is killed first; the file is written as its dump; a cached master is discarded', () => {
    const x = toPsync('', { replid: 'c'.repeat(40), reploff: 5, dbIndex: 0 });
    x.fm.reply(`+FULLRESYNC ${ID} 500`);
    const s = x.r.server();
    const pid = s.child.start('rdb', 60_000, () => {}, () => {});
    x.r.repl().socketChildPid = pid;
    x.fm.reply({ t: 'rdb-eof' });
    x.logs();
    const file = rdbOf(x, 2);
    x.fm.reply({ t: 'rdb', file, bytes: 10 });
    const l = x.logs();
    expect(l.slice(0, 3)).toEqual([
      `* Replica is about to load the RDB file received from the master, but there is a pending RDB child running. Killing process ${pid} and removing its temp file to avoid any race`,
      '* Discarding previously cached master state.',
      '* MASTER <-> REPLICA sync: Flushing old data',
    ]);
    expect(s.child.active).toBe(false);
    expect(x.r.repl().socketChildPid).toBe(-1);
    expect(x.side().cached).toBeNull();
    expect(s.rdbLoadStats.loaded).toBe(2);
  });

  it('with appendonly yes the AOF is stopped for the load and started again (a rewrite) after it', () => {
    const x = inTransfer('appendonly yes\n');
    x.fm.reply({ t: 'rdb-eof' });
    x.fm.reply({ t: 'rdb', file: rdbOf(x, 1), bytes: 10 });
    const l = x.logs();
    const done = l.indexOf('* MASTER <-> REPLICA sync: Finished with success');
    expect(done).toBeGreaterThan(0);
    expect(l.slice(done + 1).some((z) => z.startsWith('* Background append only file rewriting started by pid '))).toBe(true);
    // after the load, the stream is propagated again (to the AOF)
    x.w.run(2000);
    const size = () => Number(/aof_current_size:(\d+)/.exec(String(x.w.client(x.r).q('info', 'persistence')))![1]);
    const before = size();
    x.fm.reply({ t: 'stream', entries: [{ argv: ['SET', 'a', '1'], bytes: 29 }] });
    x.w.run(5);
    expect(size()).toBeGreaterThan(before);
  });

  it('a WATCH of a key the replica holds is invalidated by the flush', () => {
    const x = inTransfer();
    x.r.server().ks.dbs[0]!.dict.set('k', { value: { t: 'string', v: 'x' } } as never);
    const c = x.w.client(x.r);
    expect(c.q('watch', 'k')).toBe('OK');
    x.fm.reply({ t: 'rdb-eof' });
    x.fm.reply({ t: 'rdb', file: rdbOf(x, 1), bytes: 10 });
    c.q('multi');
    c.q('ping');
    expect(c.q('exec')).toBeNull();
  });
});

describe('the stream from the master', () => {
  function connected(conf = '') {
    const x = toPsync(conf, { replid: ID, reploff: 100, dbIndex: 0 });
    Object.assign(x.r.repl().st, { replid: ID, masterReplOffset: 100 }); // the history the cached master stands for
    x.fm.reply('+CONTINUE');
    x.logs();
    return x;
  }
  const stream = (...cmds: string[][]) => ({ t: 'stream', entries: cmds.map((c) => entry(c)) });

  it('each command is applied, moves both offsets by its bytes and is fed to our own backlog', () => {
    const x = connected();
    const s = x.r.server();
    const m = x.side().master!;
    const in0 = s.stats.netReplInputBytes;
    x.fm.reply(stream(['SELECT', '0'], ['SET', 'a', '1'], ['SET', 'b', '2']));
    const n = argvSize(['SELECT', '0']) + argvSize(['SET', 'a', '1']) + argvSize(['SET', 'b', '2']);
    expect([m.reploff, m.readReploff]).toEqual([100 + n, 100 + n]);
    expect(s.stats.netReplInputBytes).toBe(in0 + n);
    expect(x.r.repl().st.masterReplOffset).toBe(100 + n);
    expect(x.r.repl().backlog!.from(101)!.map((e) => e.argv.join(' '))).toEqual(['SELECT 0', 'SET a 1', 'SET b 2']);
    expect(x.w.client(x.r).q('get', 'b')).toBe('2');
  });

  it('anything from the master refreshes its last interaction; only stream payloads are applied', () => {
    const x = connected();
    const m = x.side().master!;
    m.lastInteraction = 0;
    m.client.lastInteraction = 0;
    x.fm.reply({ t: 'newline' });
    expect(m.lastInteraction).toBe(x.r.repl().unixtime());
    expect(m.client.lastInteraction).toBeGreaterThan(x.r.server().mstime() - 5); // the reply's delivery, 2 ms ago at most
    x.fm.reply('+PONG');
    expect(m.reploff).toBe(100);
  });

  it('REPLCONF GETACK * in the stream: an ACK at once, of the offset before it (reploff moves after the command)', () => {
    const x = connected();
    x.fm.reply(stream(['REPLCONF', 'GETACK', '*']));
    expect(x.fm.take(1)).toEqual(['REPLCONF ACK 100']);
    expect(x.side().master!.reploff).toBe(100 + argvSize(['REPLCONF', 'GETACK', '*']));
  });

  it('a MULTI block moves the offset (and is proxied) only at its EXEC', () => {
    const x = connected();
    const m = x.side().master!;
    x.fm.reply(stream(['MULTI'], ['SET', 'a', '1']));
    expect(m.reploff).toBe(100);
    expect(m.readReploff).toBe(100 + argvSize(['MULTI']) + argvSize(['SET', 'a', '1']));
    expect(m.pending.length).toBe(2);
    x.fm.reply(stream(['EXEC']));
    expect(m.reploff).toBe(m.readReploff);
    expect(m.pending).toEqual([]);
    expect(x.r.repl().backlog!.from(101)!.map((e) => e.argv[0])).toEqual(['MULTI', 'SET', 'EXEC']);
  });

  it('stray values that are neither a reply nor a link payload are ignored during the transfer', () => {
    const x = inTransfer();
    x.fm.conn!.send(['PING'], 14, 'repl');
    x.w.run(5);
    expect(x.logs()).toEqual([]);
    expect(x.side().state).toBe('transfer');
  });

  it('a client pause holds the stream: read on, applied after the pause in order', () => {
    const x = connected();
    const m = x.side().master!;
    const c = x.w.client(x.r);
    expect(c.q('client', 'pause', '1000', 'write')).toBe('OK');
    x.fm.reply(stream(['SET', 'a', '1'], ['SET', 'a', '2']));
    expect(m.reploff).toBe(100);
    expect(m.readReploff).toBe(100 + 2 * argvSize(['SET', 'a', '1']));
    expect(m.held.length).toBeGreaterThanOrEqual(1);
    x.w.run(1200);
    expect(m.held).toEqual([]);
    expect(m.reploff).toBe(m.readReploff);
    expect(c.q('get', 'a')).toBe('2');
  });
});
