// Master side (replication.md §5, §8): replicas attached to this server, PSYNC / SYNC, REPLCONF,
// putting replicas online, the good-replica count, WAIT waiters and the master half of the cron.
import { err, int, OK, simple, type Resp } from '../../net/resp.ts';
import { NO_REPLY } from '../server/call.ts';
import type { Client } from '../server/client.ts';
import { parseLongLong } from '../server/cmdutil.ts';
import { NOT_INTEGER, SYNTAX } from '../server/errors.ts';
import { psyncFailover } from './failover-command.ts';
import { startFullSync, startPendingFork } from './fullsync.ts';
import { sendOnLink } from './types.ts';
import type { Replication } from './replication.ts';
import { sameId, type ReplicaState, type StreamEntry } from './types.ts';

/** What a connection told us with REPLCONF before (and after) becoming a replica. */
export interface ReplConf {
  listeningPort: number;
  /** REPLCONF ip-address (replica-announce-ip), else null. */
  ip: string | null;
  capaEof: boolean;
  capaPsync2: boolean;
}

/** A replica attached to this server (a client with CLIENT_SLAVE). */
export interface ReplicaLink {
  c: Client;
  conf: ReplConf;
  state: ReplicaState;
  /** repl_ack_off / repl_ack_time (seconds). */
  ackOff: number;
  ackTime: number;
  /** Online, but the stream starts with the first REPLCONF ACK (diskless transfer). */
  startOnAck: boolean;
  /** SYNC instead of PSYNC: no +FULLRESYNC, no ACKs expected. */
  prePsync: boolean;
  /** Output accumulated for it (the shared replication buffer it references). */
  out: StreamEntry[];
  outBytes: number;
  psyncInitialOffset: number;
  /** The write handler is installed: out goes on the wire at the end of each event. */
  streaming: boolean;
}

export function replconfOf(r: Replication, c: Client): ReplConf {
  let rc = r.replconf.get(c);
  if (!rc) {
    rc = { listeningPort: 0, ip: null, capaEof: false, capaPsync2: false };
    r.replconf.set(c, rc);
  }
  return rc;
}

/** replicationGetSlaveName. */
export function replicaName(c: Client, conf: ReplConf | undefined): string {
  const peer = c.addr.slice(0, c.addr.lastIndexOf(':'));
  const addr = conf?.ip ?? peer;
  return conf && conf.listeningPort ? `${addr}:${conf.listeningPort}` : `${addr}:<unknown-replica-port>`;
}

export function linkName(l: ReplicaLink): string {
  return replicaName(l.c, l.conf);
}

function send(c: Client, payload: unknown, size: number): void {
  sendOnLink(c.conn, payload, size);
}

function addLink(r: Replication, c: Client, state: ReplicaState): ReplicaLink {
  const l: ReplicaLink = {
    c,
    conf: replconfOf(r, c),
    state,
    ackOff: 0,
    ackTime: r.unixtime(),
    startOnAck: false,
    prePsync: false,
    out: [],
    outBytes: 0,
    psyncInitialOffset: 0,
    streaming: false,
  };
  c.kind = 'replica';
  r.links.push(l);
  r.linkOf.set(c, l);
  return l;
}

// ---- SYNC / PSYNC (syncCommand) -------------------------------------------------------------------

export function syncCommand(r: Replication, c: Client, argv: string[]): Resp {
  if (r.linkOf.has(c)) return NO_REPLY; // already a replica: ignored
  // PSYNC <replid> <offset> FAILOVER: our master hands over to us (FAILOVER command); only PSYNC
  // takes arguments (SYNC's arity is 1)
  if (argv.length > 3 && argv[3]!.toLowerCase() === 'failover') {
    const refused = psyncFailover(r, c, argv);
    if (refused) return refused;
  }
  // don't let replicas sync with us while we're failing over
  if (r.failover.active) return err("NOMASTERLINK Can't SYNC while failing over");
  if (r.isReplica && r.replica.state !== 'connected') return err("NOMASTERLINK Can't SYNC while not connected with my master");
  const name = replicaName(c, r.replconf.get(c));
  r.s.log('*', `Replica ${name} asks for synchronization`);
  const psync = argv[0]!.toLowerCase() === 'psync';
  if (psync) {
    const off = parseLongLong(argv[2]!);
    if (off === null) {
      r.s.log('#', `Replica ${name} asks for synchronization but with a wrong offset`);
      return NOT_INTEGER;
    }
    if (tryPartialResync(r, c, argv[1]!, off)) {
      r.s.stats.syncPartialOk++;
      return NO_REPLY;
    }
    if (argv[1]![0] !== '?') r.s.stats.syncPartialErr++;
  }
  r.s.stats.syncFull++;
  const l = addLink(r, c, 'wait_bgsave_start');
  l.prePsync = !psync;
  // Redis also asks for this to be the only replica: a backlog exists whenever replicas do (it is
  // freed with none attached, and a full sync of ours drops our replicas first)
  if (!r.backlog) {
    // a backlog created from scratch starts a new history (§1.1)
    r.changeReplicationId();
    r.clearReplicationId2();
    r.createBacklog();
    r.s.log('*', `Replication backlog created, my new replication IDs are '${r.st.replid}' and '${r.st.replid2}'`);
  }
  startFullSync(r, l);
  return NO_REPLY;
}

/** masterTryPartialResynchronization (§5.1). */
function tryPartialResync(r: Replication, c: Client, replid: string, off: number): boolean {
  const st = r.st;
  const log = (line: string) => r.s.log('*', line);
  if (!sameId(replid, st.replid) && (!sameId(replid, st.replid2) || off > st.secondReplOffset)) {
    if (replid[0] !== '?') {
      if (!sameId(replid, st.replid) && !sameId(replid, st.replid2))
        log(
          `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${st.replid}' and '${st.replid2}')`,
        );
      else log(`Partial resynchronization not accepted: Requested offset for second ID was ${off}, but I can reply up to ${st.secondReplOffset}`);
    } else {
      log(`Full resync requested by replica ${replicaName(c, r.replconf.get(c))}`);
    }
    return false;
  }
  const b = r.backlog;
  const entries = b ? b.from(off) : null;
  if (!b || !entries) {
    log(`Unable to partial resync with replica ${replicaName(c, r.replconf.get(c))} for lack of backlog (Replica request was: ${off}).`);
    if (off > st.masterReplOffset)
      r.s.log('#', `Warning: replica ${replicaName(c, r.replconf.get(c))} tried to PSYNC with an offset that is greater than the master replication offset.`);
    return false;
  }
  const l = addLink(r, c, 'online');
  l.ackTime = r.unixtime();
  l.streaming = true;
  const reply = l.conf.capaPsync2 ? `CONTINUE ${st.replid}` : 'CONTINUE';
  send(c, simple(reply), reply.length + 3);
  for (const e of entries) r.queue(l, e);
  const len = b.offset + b.histlen - off;
  log(`Partial resynchronization request from ${linkName(l)} accepted. Sending ${len} bytes of backlog starting from offset ${off}.`);
  refreshGoodReplicas(r);
  r.flushOutputs();
  return true;
}

/** replicationSetupSlaveForFullResync: +FULLRESYNC <replid> <offset>, then WAIT_BGSAVE_END. */
export function setupFullResync(r: Replication, l: ReplicaLink, offset: number): void {
  l.psyncInitialOffset = offset;
  l.state = 'wait_bgsave_end';
  r.seldb = -1; // the stream for it must start with a SELECT
  if (!l.prePsync) {
    const line = `FULLRESYNC ${r.st.replid} ${offset}`;
    send(l.c, simple(line), line.length + 3);
  }
}

/** replicaPutOnline. */
export function putOnline(r: Replication, l: ReplicaLink): void {
  l.state = 'online';
  l.ackTime = r.unixtime();
  refreshGoodReplicas(r);
  r.s.log('*', `Synchronization with replica ${linkName(l)} succeeded`);
}

/** replicaStartCommandStream. */
export function startStream(r: Replication, l: ReplicaLink): void {
  l.startOnAck = false;
  l.streaming = true;
  r.flushOutputs();
}

// ---- REPLCONF (§5.3) ------------------------------------------------------------------------------------

export function replconfCommand(r: Replication, c: Client, argv: string[]): Resp {
  if (argv.length % 2 === 0) return SYNTAX;
  const rc = replconfOf(r, c);
  for (let j = 1; j < argv.length; j += 2) {
    const opt = argv[j]!.toLowerCase();
    const val = argv[j + 1]!;
    if (opt === 'listening-port') {
      const port = parseLongLong(val);
      if (port === null) return NOT_INTEGER;
      rc.listeningPort = port;
    } else if (opt === 'ip-address') {
      if (val.length >= 256) return err(`ERR REPLCONF ip-address provided by replica instance is too long: ${val.length} bytes`);
      rc.ip = val;
    } else if (opt === 'capa') {
      const v = val.toLowerCase();
      if (v === 'eof') rc.capaEof = true;
      else if (v === 'psync2') rc.capaPsync2 = true;
    } else if (opt === 'ack') {
      const l = r.linkOf.get(c);
      if (!l) return NO_REPLY;
      const off = parseLongLong(val);
      if (off === null) return NO_REPLY;
      l.ackOff = Math.max(l.ackOff, off);
      l.ackTime = r.unixtime();
      if (l.startOnAck && l.state === 'online') startStream(r, l);
      return NO_REPLY; // no reply to ACKs; WAIT waiters are looked at in beforeSleep
    } else if (opt === 'getack') {
      r.replica.sendAck(); // only with a live master link (server.masterhost && server.master)
      return NO_REPLY;
    } else if (opt === 'rdb-only') {
      const v = parseLongLong(val);
      if (v === null) return NOT_INTEGER;
      if (v < 0 || v > 1) return err('ERR value is out of range, value must between 0 and 1');
    } else if (opt === 'rdb-filter-only') {
      for (const f of val.split(/\s/).filter((x) => x !== ''))
        if (f.toLowerCase() !== 'functions') return err(`ERR Unsupported rdb-filter-only option: ${f}`);
    } else {
      return err(`ERR Unrecognized REPLCONF option: ${argv[j]}`);
    }
  }
  return OK;
}

// ---- good replicas, WAIT ------------------------------------------------------------------------------

/** refreshGoodSlavesCount (§8). */
export function refreshGoodReplicas(r: Replication): void {
  const toWrite = r.s.conf.int('min-replicas-to-write');
  const maxLag = r.s.conf.int('min-replicas-max-lag');
  if (!toWrite || !maxLag) return;
  const now = r.unixtime();
  let good = 0;
  for (const l of r.links) if (l.state === 'online' && now - l.ackTime <= maxLag) good++;
  r.st.goodReplicas = good;
}

/** replicationCountAcksByOffset. */
export function countAcks(r: Replication, offset: number): number {
  let n = 0;
  for (const l of r.links) if (l.state === 'online' && l.ackOff >= offset) n++;
  return n;
}

/** processClientsWaitingReplicas. */
export function processWaiters(r: Replication): void {
  for (const w of [...r.waiters]) {
    if (w.c.closed || !w.c.blocked || w.c.blocked.req !== w.req) {
      r.waiters.delete(w);
      continue;
    }
    const n = countAcks(r, w.offset);
    if (n < w.numreplicas) continue;
    r.waiters.delete(w);
    r.s.blocks.unblock(w.c);
    w.c.addReply(int(n));
    r.s.unblocked.push(w.c);
  }
}

// ---- losing a replica, the cron ------------------------------------------------------------------------

export function onReplicaClientFreed(r: Replication, c: Client): void {
  const l = r.linkOf.get(c);
  if (!l) return;
  r.linkOf.delete(c);
  r.links.splice(r.links.indexOf(l), 1);
  if (r.s.shuttingDown) return;
  r.s.log('#', `Connection with replica ${linkName(l)} lost.`);
  if (r.links.length === 0) r.noReplicasSince = r.unixtime();
  refreshGoodReplicas(r);
}

/** The master half of replicationCron. */
export function masterCron(r: Replication): void {
  const s = r.s;
  const now = r.unixtime();
  const period = s.conf.int('repl-ping-replica-period'); // 1.. (the config's range)
  // no PING while a FAILOVER with a TIMEOUT keeps clients paused: it would move the offset to match
  const failoverPause = r.failover.endMs !== 0 && s.pause.checkTimeout();
  if (r.cronLoops % period === 0 && r.links.length > 0 && !failoverPause) r.feedSpecial(['PING']);
  // newlines to replicas waiting for their snapshot to start (not counted in offsets)
  for (const l of r.links) {
    const presync = l.state === 'wait_bgsave_start' || (l.state === 'wait_bgsave_end' && r.socketChildPid === -1);
    if (presync) send(l.c, { t: 'newline' }, 1);
  }
  const timeout = s.conf.int('repl-timeout'); // 1..
  for (const l of [...r.links]) {
    // startOnAck: our transfer ends (for the master) before the network delivered it; Redis is still
    // in WAIT_BGSAVE_END then, where only a stalled socket times out (left to the TCP time-out here)
    if (l.state !== 'online' || l.prePsync || l.startOnAck) continue;
    if (now - l.ackTime > timeout) {
      s.log('#', `Disconnecting timedout replica (streaming sync): ${linkName(l)}`);
      s.freeClient(l.c);
    }
  }
  const ttl = s.conf.int('repl-backlog-ttl');
  if (r.links.length === 0 && ttl > 0 && r.backlog && !r.isReplica && now - r.noReplicasSince > ttl) {
    r.changeReplicationId();
    r.clearReplicationId2();
    r.freeBacklog();
    s.log('*', `Replication backlog freed after ${ttl} seconds without connected replicas.`);
  }
  startPendingFork(r);
  refreshGoodReplicas(r);
  r.cronLoops++;
}
