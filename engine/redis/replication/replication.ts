// The replication module of one server (replication.c): identity (replid/replid2/offsets), the
// backlog, the stream fed to replicas, and the hooks that tie it to the server's event loop.
import { err, type Resp } from '../../net/resp.ts';
import type { Rng } from '../../sim/rng.ts';
import type { BlockRequest } from '../commands/context.ts';
import type { RdbAux } from '../persistence/rdb.ts';
import type { Client } from '../server/client.ts';
import type { RedisServer } from '../server/server.ts';
import { Backlog } from './backlog.ts';
import { diskSaveDone } from './fullsync.ts';
import { infoLines } from './info.ts';
import { masterCron, onReplicaClientFreed, processWaiters, refreshGoodReplicas, type ReplicaLink, type ReplConf } from './master.ts';
import { sendOnLink } from './types.ts';
import { Failover } from './failover.ts';
import { ReplicaSide } from './replica.ts';
import { resumeHeld } from './replica-sync.ts';
import { entry, ZERO_REPLID, type StreamEntry } from './types.ts';

const registry = new WeakMap<RedisServer, Replication>();

/** The replication module of a server (installed at boot). */
export function replicationOf(s: RedisServer): Replication {
  const r = registry.get(s);
  if (!r) throw new Error('replication is not installed on this server');
  return r;
}

/** CONFIG_REPL_BACKLOG_MIN_SIZE: CONFIG SET never goes below it. */
const BACKLOG_MIN = 16 * 1024;

/** A client blocked in WAIT. */
export interface Waiter {
  c: Client;
  req: BlockRequest;
  offset: number;
  numreplicas: number;
}

export class Replication {
  backlog: Backlog | null = null;
  backlogSize: number;
  /** server.slaveseldb: db of the last SELECT in the stream (-1 = force one). */
  seldb = -1;
  /** server.repl_no_slaves_since (seconds). */
  noReplicasSince: number;
  cronLoops = 0;
  /** server.get_ack_from_slaves: one REPLCONF GETACK * goes out before sleeping. */
  getAckPending = false;
  /** server.slaves, in attach order. */
  readonly links: ReplicaLink[] = [];
  readonly linkOf = new Map<Client, ReplicaLink>();
  /** REPLCONF data of clients that are not replicas yet. */
  readonly replconf = new WeakMap<Client, ReplConf>();
  readonly waiters = new Set<Waiter>();
  /** The socket-target RDB child of a diskless full sync, while it runs. */
  socketChildPid = -1;
  /** The server's own link to its master. */
  readonly replica: ReplicaSide;
  /** The FAILOVER command's state. */
  readonly failover: Failover;
  private outputPending = false;
  private skipCron = false;
  private readonly idRng: Rng;

  constructor(readonly s: RedisServer) {
    registry.set(s, this);
    this.idRng = s.ctx.rng.fork('replid/change');
    this.backlogSize = s.conf.int('repl-backlog-size') || 1048576;
    this.noReplicasSince = this.unixtime();
    this.replica = new ReplicaSide(this);
    this.failover = new Failover(this);
    this.mirror();
    s.repl.infoLines = () => infoLines(this);
    s.onPropagate((db, argv, target) => {
      if (target.repl) this.feedCommand(db, argv);
    });
    // Redis runs its first replicationCron ~1 ms after start (serverCron's loop 0); ours runs it
    // right after "Ready to accept connections" and skips the server cron's first 1 s tick
    s.readyHooks.push(() => {
      this.cron();
      this.skipCron = true;
    });
    s.secondHooks.push(() => {
      if (this.skipCron) this.skipCron = false;
      else if (!this.failover.fastCronRan) this.cron();
    });
    s.clientFreedHooks.push((c) => this.onClientFreed(c));
    s.configHooks.push((before) => this.onConfigChanged(before));
    const hooks = (s as unknown as { beforeSleepHooks?: (() => void)[] }).beforeSleepHooks;
    if (hooks) hooks.push(() => this.beforeSleep());
    s.replSaveInfo = () => this.saveInfo();
    const prevDone = s.saver.onBgsaveDone;
    s.saver.onBgsaveDone = (ok) => {
      prevDone?.(ok);
      diskSaveDone(this, ok);
      this.beforeSleep();
    };
  }

  get st() {
    return this.s.repl;
  }

  /** server.unixtime. */
  unixtime(): number {
    return Math.floor(this.s.mstime() / 1000);
  }

  get isReplica(): boolean {
    return this.s.repl.isReplica;
  }

  // ---- identity (§3.1) ---------------------------------------------------------------------

  changeReplicationId(): void {
    this.st.replid = this.idRng.hex40();
  }

  clearReplicationId2(): void {
    this.st.replid2 = ZERO_REPLID;
    this.st.secondReplOffset = -1;
  }

  /** shiftReplicationId: the current history stays valid as ID2 up to offset + 1. */
  shiftReplicationId(): void {
    this.st.replid2 = this.st.replid;
    this.st.secondReplOffset = this.st.masterReplOffset + 1;
    this.changeReplicationId();
    this.s.log(
      '#',
      `Setting secondary replication ID to ${this.st.replid2}, valid up to offset: ${this.st.secondReplOffset}. New replication ID is ${this.st.replid}`,
    );
  }

  createBacklog(): void {
    this.backlog = new Backlog(this.st.masterReplOffset + 1);
    this.mirror();
  }

  freeBacklog(): void {
    this.backlog = null;
    this.mirror();
  }

  /** Copy what INFO / dispatch / keyframes read into the shared ReplicationState. */
  mirror(): void {
    const st = this.st;
    st.backlogSize = this.backlogSize;
    st.backlogActive = this.backlog !== null;
    st.backlogFirstByteOffset = this.backlog ? this.backlog.offset : 0;
    st.backlogHistlen = this.backlog ? this.backlog.histlen : 0;
  }

  // ---- the stream (§3.2) ---------------------------------------------------------------------

  /** replicationFeedSlaves for a propagated command of this (top-level) master. */
  feedCommand(db: number, argv: string[]): void {
    if (this.isReplica) return; // a replica proxies its master's stream instead
    if (!this.backlog && this.links.length === 0) return;
    if (this.seldb !== db) {
      this.feedRaw(entry(['SELECT', String(db)]));
      this.seldb = db;
    }
    this.feedRaw(entry(argv));
    const c = this.s.currentClient;
    if (c) c.woff = this.st.masterReplOffset;
  }

  /** PING / REPLCONF GETACK: fed with the current db, never preceded by a SELECT. */
  feedSpecial(argv: string[]): void {
    if (this.isReplica) return;
    if (!this.backlog && this.links.length === 0) return;
    this.feedRaw(entry(argv));
  }

  /** feedReplicationBuffer: offset, backlog, and every replica past WAIT_BGSAVE_START. */
  feedRaw(e: StreamEntry): void {
    if (!this.backlog) return;
    this.st.masterReplOffset += e.bytes;
    this.backlog.append(e, this.backlogSize);
    this.mirror();
    for (const l of this.links) if (l.state !== 'wait_bgsave_start') this.queue(l, e);
  }

  /** Add to a replica's output (sent once it streams, at the end of the event). */
  queue(l: ReplicaLink, e: StreamEntry): void {
    // usually one entry per event: an exact-size array (a push on [] would allocate room for 17)
    if (l.out.length === 0) l.out = [e];
    else l.out.push(e);
    l.outBytes += e.bytes;
    this.outputPending = true;
  }

  /** Put what each streaming replica has accumulated on its socket (one write per event loop). */
  flushOutputs(): void {
    if (!this.outputPending) return;
    this.outputPending = false;
    for (const l of this.links) {
      if (l.out.length === 0) continue;
      if (!l.streaming) {
        this.outputPending = true;
        continue;
      }
      const entries = l.out;
      const size = l.outBytes;
      l.out = [];
      l.outBytes = 0;
      if (!l.c.conn || !l.c.conn.open) continue;
      this.s.stats.netReplOutputBytes += size;
      sendOnLink(l.c.conn, { t: 'stream', entries }, size);
    }
  }

  /** Called at the end of every event-loop iteration (and after each timer of ours). */
  beforeSleep(): void {
    if (this.waiters.size > 0) processWaiters(this);
    // no GETACK while clients are paused: it would grow the backlog (sent after the pause)
    if (this.getAckPending && !this.s.pause.checkTimeout()) {
      this.getAckPending = false;
      this.feedSpecial(['REPLCONF', 'GETACK', '*']);
    }
    if (this.failover.state === 'waiting-for-sync') this.failover.update();
    // a pause ended on a replica: apply the stream read meanwhile
    const m = this.replica.master;
    if (m && m.held.length > 0 && !m.client.blocked) resumeHeld(this.replica);
    this.flushOutputs();
  }

  /** An event of ours (timers, link callbacks) with the server's loop semantics. */
  event(fn: () => void): void {
    // = this.s.event(() => { fn(); this.beforeSleep(); }) without the extra closure
    fn();
    this.beforeSleep();
    this.s.beforeSleep();
  }

  // ---- hooks -----------------------------------------------------------------------------------

  /** replicationCron, once per second. */
  cron(): void {
    this.failover.update();
    this.replica.cron();
    masterCron(this);
    this.beforeSleep();
  }

  private onClientFreed(c: Client): void {
    this.replica.onClientFreed(c);
    onReplicaClientFreed(this, c);
  }

  private onConfigChanged(before: Map<string, string>): void {
    if (before.has('min-replicas-to-write') || before.has('min-replicas-max-lag')) refreshGoodReplicas(this);
    if (before.has('repl-backlog-size')) {
      // resizeReplicationBacklog: never below 16 KB at run time
      this.backlogSize = Math.max(BACKLOG_MIN, this.s.conf.int('repl-backlog-size'));
      this.backlog?.trim(this.backlogSize);
      this.mirror();
    }
  }

  /** rdbPopulateSaveInfo: what an RDB saved now records about replication (null = nothing). */
  saveInfo(): RdbAux | null {
    if (!this.isReplica && this.backlog) {
      return { replId: this.st.replid, replOffset: this.st.masterReplOffset, replStreamDb: this.seldb === -1 ? 0 : this.seldb };
    }
    const m = this.replica.master;
    if (m) return { replId: this.st.replid, replOffset: this.st.masterReplOffset, replStreamDb: m.client.dbIndex };
    const cm = this.replica.cached;
    if (cm) return { replId: this.st.replid, replOffset: this.st.masterReplOffset, replStreamDb: cm.dbIndex };
    return null;
  }

  /** loadDataFromDisk: replication info found in the RDB (§12). */
  afterLoad(): void {
    const aux = this.s.rdbLoadedAux;
    if (!aux || aux.replId === undefined || aux.replOffset === undefined || aux.replOffset === -1) return;
    if (aux.replStreamDb === undefined || aux.replStreamDb === -1) return;
    if (this.isReplica) {
      this.st.replid = aux.replId;
      this.st.masterReplOffset = aux.replOffset;
      this.replica.cacheMasterUsingMyself(aux.replStreamDb);
    } else {
      this.st.replid2 = aux.replId;
      this.st.secondReplOffset = aux.replOffset + 1;
      this.st.masterReplOffset += aux.replOffset;
      this.createBacklog();
      this.noReplicasSince = this.unixtime();
    }
  }

  /** disconnectSlaves(). */
  disconnectReplicas(): void {
    for (const l of [...this.links]) this.s.freeClient(l.c);
  }
}

export const WAIT_ON_REPLICA: Resp = err(
  'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
);
