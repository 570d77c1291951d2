// Full resynchronization on the master (replication.md §5.2): when to fork, the diskless transfer to
// replica sockets (default) and the disk-based one, and putting replicas online afterwards.
import { err } from '../../net/resp.ts';
import { childDurationMs } from '../persistence/host.ts';
import { isRdbFile, snapshot, type RdbFile } from '../persistence/rdb.ts';
import { linkName, putOnline, setupFullResync, startStream, type ReplicaLink } from './master.ts';
import type { Replication } from './replication.ts';
import { sendOnLink } from './types.ts';
import { EOF_PREAMBLE_BYTES, RDB_CHUNK } from './types.ts';

/** The part of syncCommand after the replica was added in WAIT_BGSAVE_START. */
export function startFullSync(r: Replication, l: ReplicaLink): void {
  const s = r.s;
  const log = (line: string) => s.log('*', line);
  const rdbChild = s.child.type === 'rdb';
  if (rdbChild && r.socketChildPid < 0) {
    // CASE 1: a BGSAVE to disk is in progress: attach if another replica is registering differences
    const other = r.links.find((x) => x !== l && x.state === 'wait_bgsave_end');
    if (other && (!other.conf.capaEof || l.conf.capaEof)) {
      for (const e of other.out) r.queue(l, e);
      setupFullResync(r, l, other.psyncInitialOffset);
      log('Waiting for end of BGSAVE for SYNC');
    } else {
      log("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
    }
  } else if (rdbChild) {
    log('Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC');
  } else if (s.conf.bool('repl-diskless-sync') && l.conf.capaEof && s.conf.int('repl-diskless-sync-delay') > 0) {
    // the cron starts it, to let more replicas arrive
    log('Delay next BGSAVE for diskless SYNC');
  } else if (!s.child.active) {
    startBgsaveForReplication(r, l.conf.capaEof);
  } else {
    log('No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed');
  }
}

/** shouldStartChildReplication + replicationStartPendingFork (from the cron). */
export function startPendingFork(r: Replication): void {
  const s = r.s;
  if (s.child.active) return;
  const now = r.unixtime();
  let waiting = 0;
  let maxIdle = 0;
  let mincapaEof = true;
  for (const l of r.links) {
    if (l.state !== 'wait_bgsave_start') continue;
    const idle = now - Math.floor(l.c.lastInteraction / 1000);
    if (idle > maxIdle) maxIdle = idle;
    waiting++;
    mincapaEof = mincapaEof && l.conf.capaEof;
  }
  if (waiting === 0) return;
  const maxReplicas = s.conf.int('repl-diskless-sync-max-replicas');
  if (!s.conf.bool('repl-diskless-sync') || (maxReplicas > 0 && waiting >= maxReplicas) || maxIdle >= s.conf.int('repl-diskless-sync-delay'))
    startBgsaveForReplication(r, mincapaEof);
}

/** startBgsaveForReplication. */
export function startBgsaveForReplication(r: Replication, mincapaEof: boolean): boolean {
  const s = r.s;
  const socketTarget = s.conf.bool('repl-diskless-sync') && mincapaEof;
  s.log('*', `Starting BGSAVE for SYNC with target: ${socketTarget ? 'replicas sockets' : 'disk'}`);
  const rsi = r.saveInfo();
  let ok = false;
  if (!rsi) {
    s.log('#', "BGSAVE for replication: replication information not available, can't generate the RDB file right now. Try later.");
  } else if (socketTarget) {
    ok = saveToReplicaSockets(r);
  } else {
    ok = s.saver.bgsave();
  }
  if (!ok) {
    s.log('#', 'BGSAVE for replication failed');
    for (const l of [...r.links]) {
      if (l.state !== 'wait_bgsave_start') continue;
      r.links.splice(r.links.indexOf(l), 1);
      r.linkOf.delete(l.c);
      l.c.kind = 'normal';
      l.c.addReply(err("ERR BGSAVE failed, replication can't continue"));
      s.freeClient(l.c);
    }
    return false;
  }
  if (!socketTarget) for (const l of r.links) if (l.state === 'wait_bgsave_start') setupFullResync(r, l, r.st.masterReplOffset);
  return true;
}

/** rdbSaveToSlavesSockets: snapshot at the fork instant, streamed to every waiting replica. */
function saveToReplicaSockets(r: Replication): boolean {
  const s = r.s;
  if (s.child.active) return false;
  const targets = r.links.filter((l) => l.state === 'wait_bgsave_start');
  for (const l of targets) setupFullResync(r, l, r.st.masterReplOffset);
  const file = snapshot(s.ks, s.mstime(), r.saveInfo() ?? {}, s.conf, s.functionCodes());
  for (const l of targets) {
    if (!l.c.conn?.open) continue;
    sendOnLink(l.c.conn, { t: 'rdb-eof' }, EOF_PREAMBLE_BYTES);
    s.stats.netReplOutputBytes += EOF_PREAMBLE_BYTES;
  }
  const pid = s.child.start(
    'rdb',
    childDurationMs(file.size),
    (childPid) => s.logChild(childPid, '*', 'Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB'),
    () => socketTransferDone(r, targets, file),
  );
  r.socketChildPid = pid;
  s.log('*', `Background RDB transfer started by pid ${pid}`);
  return true;
}

/** backgroundSaveDoneHandlerSocket + updateSlavesWaitingBgsave(socket). */
function socketTransferDone(r: Replication, targets: ReplicaLink[], file: RdbFile): void {
  const s = r.s;
  r.socketChildPid = -1;
  // the child's output (RDB + 40-byte EOF mark) is on the sockets when it exits; the network's
  // bandwidth decides when it has all arrived
  for (const l of targets) {
    if (!r.links.includes(l) || l.state !== 'wait_bgsave_end' || !l.c.conn?.open) continue;
    sendRdb(r, l, file, file.size + 40);
  }
  const up = r.links.filter((l) => l.state === 'wait_bgsave_end').length;
  s.log('#', `Diskless rdb transfer, done reading from pipe, ${up} replicas still up.`);
  s.log('*', 'Background RDB transfer terminated with success');
  for (const l of [...r.links]) {
    if (l.state !== 'wait_bgsave_end') continue;
    s.log('*', `Streamed RDB transfer with replica ${linkName(l)} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`);
    putOnline(r, l);
    // the buffered stream follows the replica's first REPLCONF ACK
    l.startOnAck = true;
  }
  r.beforeSleep();
}

/** The snapshot on the wire in RDB_CHUNK pieces (the file rides on the last one). */
function sendRdb(r: Replication, l: ReplicaLink, file: RdbFile, bytes: number): void {
  r.s.stats.netReplOutputBytes += bytes;
  let left = bytes;
  while (left > RDB_CHUNK) {
    sendOnLink(l.c.conn, { t: 'rdb-part', bytes: RDB_CHUNK }, RDB_CHUNK, 'rdb');
    left -= RDB_CHUNK;
  }
  sendOnLink(l.c.conn, { t: 'rdb', file, bytes: left }, left, 'rdb');
}

/** updateSlavesWaitingBgsave(disk): a BGSAVE to disk ended; send the file to replicas waiting for it. */
export function diskSaveDone(r: Replication, ok: boolean): void {
  const s = r.s;
  for (const l of [...r.links]) {
    if (l.state !== 'wait_bgsave_end') continue;
    const f = s.ctx.host.disk.read(s.saver.path());
    if (!ok || !isRdbFile(f)) {
      s.freeClient(l.c);
      s.log('#', 'SYNC failed. BGSAVE child returned an error');
      continue;
    }
    sendBulk(r, l, f);
  }
}

/** sendBulkToSlave: "$<len>\r\n" + the file, then online with the stream right behind. */
function sendBulk(r: Replication, l: ReplicaLink, file: RdbFile): void {
  l.state = 'send_bulk';
  if (l.c.conn?.open) {
    const pre = `$${file.size}\r\n`.length;
    sendOnLink(l.c.conn, { t: 'rdb-bulk', size: file.size }, pre);
    r.s.stats.netReplOutputBytes += pre;
    sendRdb(r, l, file, file.size);
  }
  putOnline(r, l);
  startStream(r, l);
}
