// The replica receiving data (replication.md §6): loading a full sync (flush, load, new history)
// and applying / proxying the stream from its master.
import { joinPath, loadRdb, type RdbFile } from '../persistence/rdb.ts';
import { processCommand } from '../server/dispatch.ts';
import { replyLine, type MasterLink, type ReplicaSide } from './replica.ts';
import { isLinkPayload, type LinkPayload, type StreamEntry } from './types.ts';

/** The end of readSyncBulkPayload: the RDB is complete; replace the dataset with it. */
export function loadFullSync(side: ReplicaSide, file: RdbFile): void {
  const r = side.r;
  const s = r.s;
  const conf = s.conf;
  if (s.child.type === 'rdb') {
    s.log(
      '*',
      `Replica is about to load the RDB file received from the master, but there is a pending RDB child running. Killing process ${s.child.pid} and removing its temp file to avoid any race`,
    );
    s.child.kill();
    r.socketChildPid = -1;
  }
  const aofOn = conf.bool('appendonly');
  s.aof.stop(); // (only if on: aof_state != AOF_OFF)
  // the received file replaces the replica's own dump (repl-diskless-load disabled), even with save ""
  s.ctx.host.disk.write(joinPath(conf.get('dir'), conf.get('dbfilename')), file);
  // replicationAttachToNewMaster
  side.discardCached();
  r.disconnectReplicas();
  r.freeBacklog();
  s.log('*', 'MASTER <-> REPLICA sync: Flushing old data');
  s.invalidateAllWatches();
  s.ks.flushAll();
  s.log('*', 'MASTER <-> REPLICA sync: Loading DB in memory');
  s.loading = true;
  s.propagator.loading = true;
  let replStreamDb: number;
  try {
    const res = loadRdb(file, s.ks, { nowMs: s.mstime(), isMaster: false, log: (l) => s.log('*', l), warn: (l) => s.log('#', l) });
    s.loadFunctionCodes(res.functions, true);
    s.rdbLoadStats = { loaded: res.loaded, expired: res.expired };
    replStreamDb = res.aux.replStreamDb ?? -1;
  } finally {
    s.loading = false;
    s.propagator.loading = false;
    s.propagator.discard();
  }
  if (side.usemark) s.dirty++;
  side.createMasterClient(side.masterReplid, side.masterInitialOffset, replStreamDb);
  // after a full sync this server's history is the master's
  const st = s.repl;
  st.replid = side.masterReplid || '0'.repeat(40);
  st.masterReplOffset = side.masterInitialOffset;
  r.clearReplicationId2();
  r.createBacklog(); // freed above (replicationAttachToNewMaster)
  s.log('*', 'MASTER <-> REPLICA sync: Finished with success');
  if (side.usemark) side.sendAck();
  if (aofOn) s.aof.start();
}

/** Data from the master on an established link: run it as the master client, proxy it on. */
export function applyStream(side: ReplicaSide, p: unknown): void {
  const r = side.r;
  const s = r.s;
  const m = side.master!; // the link is CONNECTED: server.master exists
  m.lastInteraction = r.unixtime();
  m.client.lastInteraction = s.mstime();
  if (!isLinkPayload(p) || p.t !== 'stream') return; // newlines and stray replies only keep it alive
  for (const e of p.entries) {
    if (side.master !== m) return; // the link went away while applying
    // the master's entry (argv and its wire size) is applied, held and proxied as it is
    m.readReploff += e.bytes;
    s.stats.netReplInputBytes += e.bytes;
    // a paused replica reads on but applies nothing (slave_read_repl_offset moves, slave_repl_offset not)
    if (m.held.length > 0 || m.client.blocked) m.held.push(e);
    else if (!applyEntry(side, m, e)) m.held.push(e);
  }
}

/** One command of the stream; false when the pause postponed it (nothing applied, offsets unchanged). */
function applyEntry(side: ReplicaSide, m: MasterLink, e: StreamEntry): boolean {
  const r = side.r;
  processCommand(r.s, m.client, e.argv);
  if (m.client.blocked) return false;
  if (m.client.multi) {
    m.pending.push(e);
    return true;
  }
  // commandProcessed: the offset moves (and the bytes are proxied) outside transactions only
  for (const p of m.pending) {
    m.reploff += p.bytes;
    r.feedRaw(p);
  }
  m.pending.length = 0;
  m.reploff += e.bytes;
  r.feedRaw(e);
  return true;
}

/** The pause ended: apply what was read meanwhile, in order (processInputBuffer of the master client). */
export function resumeHeld(side: ReplicaSide): void {
  const m = side.master!; // beforeSleep calls it only with a master holding input
  while (m.held.length > 0 && !m.client.blocked && side.master === m) {
    const e = m.held.shift()!;
    if (!applyEntry(side, m, e)) {
      m.held.unshift(e);
      return;
    }
  }
}

/** readSyncBulkPayload: the snapshot arriving (TRANSFER state). */
export function transferData(side: ReplicaSide, p: unknown): void {
  side.transferLastIo = side.r.unixtime();
  const where = side.s.conf.get('repl-diskless-load') === 'disabled' ? 'to disk' : 'to parser';
  if (isLinkPayload(p)) {
    const lp = p as LinkPayload;
    if (lp.t === 'rdb-eof') {
      side.usemark = true;
      side.transferSize = 0;
      side.log('*', `MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF ${where}`);
    } else if (lp.t === 'rdb-bulk') {
      side.usemark = false;
      side.transferSize = lp.size;
      side.log('*', `MASTER <-> REPLICA sync: receiving ${lp.size} bytes from master ${where}`);
    } else if (lp.t === 'rdb-part' && side.transferSize !== -1) {
      side.transferRead += lp.bytes;
      side.s.stats.netReplInputBytes += lp.bytes;
    } else if (lp.t === 'rdb' && side.transferSize !== -1) {
      side.transferRead += lp.bytes;
      side.s.stats.netReplInputBytes += lp.bytes;
      loadFullSync(side, lp.file);
    }
    return;
  }
  // a keep-alive newline is a link payload (above): a line here is never empty
  const line = replyLine(p);
  if (line === null || side.transferSize !== -1) return;
  if (line[0] === '-') {
    side.log('#', `MASTER aborted replication with an error: ${line.slice(1)}`);
    side.cancelHandshake(true);
  } else if (line[0] !== '$') {
    side.log('#', `Bad protocol from MASTER, the first byte is not '$' (we received '${line}'), are you sure the host and port are right?`);
    side.cancelHandshake(true);
  }
}
