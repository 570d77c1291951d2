// The simulated redis-server process (server.c / networking.c of Redis 7.0.15): connections, the
// event loop (one event = one delivery or timer), timers that respect DEBUG SLEEP, logging.
import { argvSize, respSize, type Reply, type Resp } from '../../net/resp.ts';
import { toProtocol } from '../../net/resp3.ts';
import type { Conn } from '../../net/types.ts';
import type { ProcessContext, ProcessInstance } from '../../sim/process.ts';
import type { Rng } from '../../sim/rng.ts';
import type { CommandContext } from '../commands/context.ts';
import type { Acl } from '../acl/registry.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { Aof } from '../persistence/aof.ts';
import { ChildManager } from '../persistence/child.ts';
import type { LogLevel, PersistHost } from '../persistence/host.ts';
import type { RdbAux } from '../persistence/rdb.ts';
import { RdbSaver } from '../persistence/saver.ts';
import { freeMemoryIfNeeded, maxmemoryBytes, usedMemory } from './admin.ts';
import { BlockManager } from './blocking.ts';
import { bootServer } from './boot.ts';
import { Client } from './client.ts';
import type { ServerConf } from './conf.ts';
import { processInput, retryBlocked, timeoutBlocked } from './dispatch.ts';
import { ClientPause } from './pause.ts';
import { Propagator } from './propagate.ts';
import { PubSub } from './pubsub.ts';
import { noteQueryRead } from './querybuf.ts';
import { ReplicationState } from './replication-state.ts';
import type { ReplicationInstaller, ReplicationPort } from './replication-port.ts';
import type { ScriptingInstaller, ScriptingPort } from './scripting-port.ts';
import { ServerStats } from './stats.ts';
import { WatchRegistry } from './watch.ts';
import { Tracking } from '../tracking/tracking.ts';
import { protectedModeRefusal } from './protected-mode.ts';

const LEVELS: Record<string, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const LEVEL_OF: Record<LogLevel, number> = { '.': 0, '-': 1, '*': 2, '#': 3 };

export interface ServerExtension {
  (server: RedisServer): void;
}

export class RedisServer implements ProcessInstance {
  conf!: ServerConf;
  /** ACL users, log (engine/redis/acl), set up at start after the config. */
  acl!: Acl;
  ks!: Keyspace;
  readonly clients = new Map<number, Client>();
  readonly pubsub = new PubSub();
  watch!: WatchRegistry;
  readonly blocks: BlockManager;
  readonly propagator = new Propagator();
  readonly child: ChildManager;
  readonly saver: RdbSaver;
  readonly aof: Aof;
  readonly repl: ReplicationState;
  readonly stats = new ServerStats();
  /** CLIENT PAUSE / FAILOVER / SHUTDOWN pauses (networking.c pauseClients). */
  readonly pause: ClientPause = new ClientPause(this);
  readonly runId: string;
  /** server.dirty: changes since the last save. */
  dirty = 0;
  /** Host ms at start (uptime). */
  startMs = 0;
  /** Client running right now (server.current_client). */
  currentClient: Client | null = null;
  /** call() nesting (EXEC runs its commands nested). */
  callDepth = 0;
  loading = false;
  /** A script past busy-reply-threshold (isInsideYieldingLongCommand): set by engine/redis/scripting. */
  longCommand: { client: Client; isEval: boolean } | null = null;
  activeExpireEnabled = true;
  shuttingDown = false;
  /** Role char for log lines: 'C' until the server is initialised (then M/S), 'C' for child lines. */
  private logRole: 'C' | null = 'C';
  private nextClientId = 3;
  private busyUntilUs = 0;
  private blockingIo = false;
  private readonly heldWrites: [Client, Reply][] = [];
  private readonly afterBusy: (() => void)[] = [];
  /** Clients with input that arrived while busy, in arrival order. */
  private readonly inbox: Client[] = [];
  /** Clients unblocked during this event: their queued input runs at its end. */
  readonly unblocked: Client[] = [];
  private readonly usedFds = new Set<number>();
  private readonly fds = new Map<number, number>();
  readonly extensions: ServerExtension[];
  /** Streams for commands (RANDOMKEY, SPOP...), active expiry and eviction sampling. */
  readonly cmdRng: Rng;
  readonly expireRng: Rng;
  readonly evictRng: Rng;
  /** Run after "Ready to accept connections" (replication connects to its master from here). */
  readonly readyHooks: (() => void)[] = [];
  /** Run on every serverCron tick, and once per second (replicationCron). */
  readonly cronHooks: ((loops: number) => void)[] = [];
  readonly secondHooks: (() => void)[] = [];
  /** rdb_last_load_keys_loaded / _expired, and the aux fields of the RDB loaded at start. */
  rdbLoadStats = { loaded: 0, expired: 0 };
  rdbLoadedAux: RdbAux | null = null;
  /** The replication subsystem, installed at boot (opts.replication). */
  replication!: ReplicationPort;
  /** The scripting subsystem (EVAL/FCALL flags, FUNCTION libraries), installed at boot (opts.scripting). */
  scripting!: ScriptingPort;

  constructor(
    readonly ctx: ProcessContext,
    readonly opts: {
      configPath?: string;
      configText?: string;
      overrides?: Record<string, string>;
      extensions?: ServerExtension[];
      rdb?: Uint8Array;
      /** Installs replication at boot (the process factory passes replication/'s). */
      replication: ReplicationInstaller;
      /** Installs scripting at boot (the process factory passes scripting/'s). */
      scripting: ScriptingInstaller;
    },
  ) {
    this.runId = ctx.rng.fork('runid').hex40();
    this.cmdRng = ctx.rng.fork('cmd');
    this.expireRng = ctx.rng.fork('expire');
    this.evictRng = ctx.rng.fork('evict');
    this.repl = new ReplicationState(ctx.rng.fork('replid').hex40());
    const host = this.persistHost();
    this.child = new ChildManager(host);
    this.saver = new RdbSaver(host, this.child);
    this.aof = new Aof(host, this.child);
    this.blocks = new BlockManager({
      mstime: () => this.ctx.mstime(),
      setTimer: (ms, fn) => this.setTimer(ms, fn),
      retry: (c) => retryBlocked(this, c),
      timeout: (c) => timeoutBlocked(this, c),
    });
    this.extensions = opts.extensions ?? [];
    // the AOF is the first sink of every propagated command (feedAppendOnlyFile)
    this.propagator.onPropagate((db, argv, t) => {
      if (t.aof) this.aof.feed(db, argv);
    });
  }

  // ---- process interface -------------------------------------------------------------------------

  boot(): void {
    bootServer(this);
  }

  roleChar(): string {
    if (this.logRole) return this.logRole;
    return this.repl.isReplica ? 'S' : 'M';
  }

  snapshot(): unknown {
    return {
      role: this.repl.role,
      runId: this.runId,
      keys: this.ks ? this.ks.totalKeys() : 0,
      clients: this.clients.size,
      offset: this.repl.masterReplOffset,
    };
  }

  /** After initServer(): lines carry M or S. */
  setInitialised(): void {
    this.logRole = null;
  }

  // ---- logging ------------------------------------------------------------------------------------

  log(level: LogLevel, line: string): void {
    const verbosity = LEVELS[this.conf?.get('loglevel') || 'notice'] ?? 2;
    if (LEVEL_OF[level] < verbosity) return;
    this.ctx.log(level, line);
  }

  /** A line from a fork()ed child: its pid and role 'C'. */
  logChild(pid: number, level: LogLevel, line: string): void {
    const slot = this.ctx.slot;
    const saved = slot.pid;
    const role = this.logRole;
    slot.pid = pid;
    this.logRole = 'C';
    try {
      this.log(level, line);
    } finally {
      slot.pid = saved;
      this.logRole = role;
    }
  }

  /** The OS pid a fork() would get (the simulation's process-id counter). */
  forkPid(): number {
    const sink = (this.ctx as unknown as { sink?: { nextPid?: () => number } }).sink;
    return sink?.nextPid ? sink.nextPid() : this.ctx.slot.pid + 1;
  }

  // ---- time and events -----------------------------------------------------------------------------

  mstime(): number {
    return this.ctx.mstime();
  }

  /** World µs at which the current busy period (DEBUG SLEEP, a script) ends: command durations (call-observe.ts). */
  get busyUntil(): number {
    return this.busyUntilUs;
  }

  get busy(): boolean {
    return this.blockingIo || this.ctx.now() < this.busyUntilUs;
  }

  /** A command waits on a blocking socket (MIGRATE's connSyncReadLine): nothing else runs until endBlockingIo. */
  beginBlockingIo(): void {
    this.blockingIo = true;
  }

  /** The blocking socket call returned: `then` (the command's end) runs first, then what waited. */
  endBlockingIo(then: () => void): void {
    this.blockingIo = false;
    this.afterBusy.unshift(then);
    this.endBusy();
  }

  /** A timer of this process; if it comes due while the process is busy (DEBUG SLEEP) it runs after. */
  setTimer(ms: number, fn: () => void): { cancel(): void } {
    const h = new ServerTimer(this, fn);
    h.timer = this.ctx.setTimerWith(ms, fireServerTimer, h);
    return h;
  }

  /** @internal ServerTimer's way into the busy queue. */
  deferWhileBusy(job: () => void): void {
    this.afterBusy.push(job);
  }

  /** One event-loop iteration: run `fn`, then what Redis does in beforeSleep. */
  event(fn: () => void): void {
    fn();
    this.beforeSleep();
  }

  beforeSleep(): void {
    while (this.unblocked.length > 0) {
      const c = this.unblocked.shift()!;
      if (!c.closed) processInput(this, c);
    }
    const hooks = this.beforeSleepHooks;
    for (let i = 0; i < hooks.length; i++) hooks[i]!();
    this.tracking.broadcast();
    this.aof.flush();
  }

  /** Run in every beforeSleep (replication: REPLCONF GETACK for WAIT, output to replicas). */
  readonly beforeSleepHooks: (() => void)[] = [];

  /** DEBUG SLEEP: nothing is read, no timer runs, replies wait, for `ms` of virtual time. */
  startBusy(ms: number): void {
    this.busyUntilUs = Math.max(this.busyUntilUs, this.ctx.now() + Math.round(ms * 1000));
    this.ctx.setTimer(ms, () => this.endBusy());
  }

  /** Work of `us` virtual µs right now (freeing a big value): the busy period grows by that much. */
  addBusyUs(us: number): void {
    if (us <= 0) return;
    const now = this.ctx.now();
    this.busyUntilUs = Math.max(this.busyUntilUs, now) + us;
    this.ctx.setTimer((this.busyUntilUs - now) / 1000, () => this.endBusy());
  }

  /** A long command (timed-out script) ended: run the timers and input it held back. */
  endLongCommand(): void {
    this.longCommand = null;
    this.endBusy();
  }

  private endBusy(): void {
    if (this.busy) return;
    if (this.longCommand) {
      // a timed-out script: Redis reads and answers clients between its slices (processEventsWhileBlocked),
      // input held back during its first, uninterruptible part included; timers wait for its end
      for (const [c, r] of this.heldWrites.splice(0)) this.deliver(c, r);
      const held = this.inbox.splice(0);
      this.event(() => {
        for (const c of held) if (!c.closed) processInput(this, c);
      });
      return;
    }
    for (const [c, r] of this.heldWrites.splice(0)) this.deliver(c, r);
    const jobs = this.afterBusy.splice(0);
    const inbox = this.inbox.splice(0);
    this.event(() => {
      for (const j of jobs) j();
      for (const c of inbox) if (!c.closed) processInput(this, c);
    });
  }

  // ---- connections -----------------------------------------------------------------------------------

  onConnection(conn: Conn): void {
    if (this.shuttingDown) {
      conn.close();
      return;
    }
    const maxclients = this.conf.int('maxclients') || 10000;
    if (this.clients.size >= maxclients) {
      this.stats.rejectedConnections++;
      conn.send({ t: 'error', v: 'ERR max number of clients reached' }, 36, 'client');
      conn.close();
      return;
    }
    const c = this.createClient(conn, conn.remote, conn.local);
    this.log('-', `Accepted ${conn.remote}`);
    // clientAcceptHandler: protected mode, then the connection counts as received
    const denied = protectedModeRefusal(this.conf.bool('protected-mode'), this.acl.defaultUser.nopass, conn.remote);
    if (denied) {
      this.stats.rejectedConnections++;
      conn.send(denied, respSize(denied), 'client');
      this.freeClient(c);
      return;
    }
    this.stats.connectionsReceived++;
    conn.setHandlers({
      onData: (payload) => this.onData(c, payload),
      // a busy server (DEBUG SLEEP) notices the hang-up only afterwards
      onClose: () => (this.busy ? this.afterBusy.push(() => this.event(() => this.freeClient(c))) : this.event(() => this.freeClient(c))),
    });
  }

  /** A client of this server (also used for pseudo clients: conn = null). */
  createClient(conn: Conn | null, addr: string, laddr: string): Client {
    const authed = !this.acl.authRequired();
    const c = new Client(this.nextClientId++, conn, addr, laddr, this.mstime(), authed, {
      deliver: (cl, r) => this.deliver(cl, r),
      countError: (text) => this.stats.error(text),
    });
    this.clients.set(c.id, c);
    let fd = 8;
    while (this.usedFds.has(fd)) fd++;
    this.usedFds.add(fd);
    this.fds.set(c.id, fd);
    return c;
  }

  /** A client without a socket (AOF loading, the replication master link, ...). */
  createPseudoClient(kind: 'aof' | 'master' | 'normal'): Client {
    const c = this.createClient(null, kind === 'aof' ? '' : '', '');
    c.authenticated = true;
    if (kind === 'master') c.kind = 'master';
    return c;
  }

  dropPseudoClient(c: Client): void {
    this.freeClient(c);
  }

  fdOf(c: Client): number {
    return this.fds.get(c.id) ?? -1;
  }

  private onData(c: Client, payload: unknown): void {
    if (c.closed) return;
    if (!Array.isArray(payload)) return;
    for (let i = 0; i < payload.length; i++) if (typeof payload[i] !== 'string') return;
    const argv = payload as string[];
    const size = argvSize(argv);
    this.stats.netInputBytes += size;
    c.lastInteraction = this.mstime();
    noteQueryRead(this, c, size);
    if (argv.length === 0) return;
    this.feed(c, argv);
  }

  /** Process a command for `c` as if it had just arrived on its socket (used by the replication link). */
  feed(c: Client, argv: string[]): void {
    c.pending.push(argv);
    if (this.busy) {
      this.inbox.push(c);
      return;
    }
    // this.event(() => processInput(this, c)), without a closure per command
    processInput(this, c);
    this.beforeSleep();
  }

  /** Put a reply on the wire (held while busy); counts error replies. */
  deliver(c: Client, typed: Reply): void {
    if (c.closed || !c.conn || !c.conn.open) return;
    if (this.busy) {
      this.heldWrites.push([c, typed]);
      return;
    }
    // the reply in the shape of the client's protocol (HELLO 2/3)
    const r = toProtocol(typed, c.resp);
    // the master link never gets replies, except those the replication code lets through (REPLCONF ACK)
    if (c.kind === 'master' && !c.replyToMaster) return;
    // pushes (pub/sub messages and (un)subscribe confirmations, invalidations) are sent even under
    // CLIENT REPLY OFF / SKIP, in RESP2 too (CLIENT_PUSHING), and do not use up a SKIP
    if (typed.t !== 'push' && (c.replyMode === 'off' || c.replyMode === 'skip')) return;
    const size = respSize(r);
    this.stats.netOutputBytes += size;
    this.stats.writesProcessed++;
    c.conn.send(r, size, replyKind(r, c));
  }

  /** freeClient: forget everything about it and close the socket. */
  freeClient(c: Client): void {
    if (c.closed) return;
    c.closed = true;
    this.blocks.unblock(c);
    this.watch?.unwatchAll(c);
    this.pubsub.dropClient(c);
    this.tracking.disable(c);
    this.clients.delete(c.id);
    const fd = this.fds.get(c.id);
    if (fd !== undefined) this.usedFds.delete(fd);
    this.fds.delete(c.id);
    if (c.conn?.open) c.conn.close();
    for (const h of this.clientFreedHooks) h(c);
  }

  /** Replication and others learn about clients going away (replica links, master link). */
  readonly clientFreedHooks: ((c: Client) => void)[] = [];

  /** Other modules react to CONFIG SET (replication: replica-read-only, masterauth...). */
  readonly configHooks: ((before: Map<string, string>) => void)[] = [];

  maxmemoryBytes(): number {
    return maxmemoryBytes(this);
  }

  usedMemory(): number {
    return usedMemory(this);
  }

  freeMemoryIfNeeded(): boolean {
    return freeMemoryIfNeeded(this);
  }

  // ---- glue for commands ---------------------------------------------------------------------------------

  /** touch(): WATCH versions and blocked clients (signalModifiedKey + signalKeyAsReady). */
  touched(db: number, key: string, by: Client | null = this.currentClient): void {
    this.watch.touch(db, key);
    this.tracking.invalidateKey(by, key);
    this.blocks.signal(db, key);
  }

  /** Client side caching (tracking.c). */
  readonly tracking = new Tracking(this);

  /** For a full resync: flag every WATCHing client whose key exists, before the data is replaced. */
  invalidateAllWatches(): void {
    this.watch.invalidateAll();
  }

  /** Subscribe to propagated commands (replication). */
  onPropagate(fn: (dbIndex: number, argv: string[], target: { aof: boolean; repl: boolean }) => void): () => void {
    return this.propagator.onPropagate(fn);
  }

  /** Function libraries in RDB files (scripting's, once installed at boot). */
  functionCodes(): string[] {
    return this.scripting.libraryCodes();
  }
  loadFunctionCodes(codes: string[], clearFirst: boolean): void {
    this.scripting.loadLibraries(codes, clearFirst);
  }

  /** rdbPopulateSaveInfo: replication fields saved in an RDB (overridable by the replication module). */
  replSaveInfo: () => RdbAux | null = () =>
    this.repl.role === 'master' && this.repl.backlogActive
      ? { replId: this.repl.replid, replOffset: this.repl.masterReplOffset, replStreamDb: 0 }
      : null;

  private persistHost(): PersistHost {
    const self = this;
    return {
      get ks() {
        return self.ks;
      },
      disk: this.ctx.host.disk,
      mstime: () => this.mstime(),
      setTimer: (ms, fn) => this.setTimer(ms, fn),
      log: (level, line) => this.log(level, line),
      logChild: (pid, level, line) => this.logChild(pid, level, line),
      forkPid: () => this.forkPid(),
      getDirty: () => this.dirty,
      setDirty: (n) => {
        this.dirty = n;
      },
      replSaveInfo: () => this.replSaveInfo(),
      functionCodes: () => this.functionCodes(),
      conf: (name) => this.conf.get(name),
    };
  }
}

export { serverOf } from './server-of.ts';

/** Trace label of a reply: pub/sub pushes of the Sentinel hello channel are 'hello'. */
function replyKind(r: Reply, c: Client): string {
  if ((r.t === 'array' || r.t === 'push') && r.v && r.v.length >= 3 && r.v[0]!.t === 'bulk') {
    const k = r.v[0]!.v;
    if (k === 'message' || k === 'pmessage') {
      const ch = r.v[k === 'message' ? 1 : 2]!;
      return ch.t === 'bulk' && ch.v === '__sentinel__:hello' ? 'hello' : 'pubsub';
    }
  }
  return c.lastCmd === 'ping' ? 'ping' : c.lastCmd === 'info' ? 'info' : 'client';
}

/** A server timer (no closures per timer: the cron re-arms one every 100 ms). */
class ServerTimer {
  cancelled = false;
  timer: { cancel(): void } | null = null;
  constructor(
    readonly s: RedisServer,
    readonly fn: () => void,
  ) {}
  cancel(): void {
    this.cancelled = true;
    this.timer?.cancel();
  }
}

function fireServerTimer(h: ServerTimer): void {
  if (h.cancelled) return;
  const s = h.s;
  if (s.busy || s.longCommand) s.deferWhileBusy(() => !h.cancelled && s.event(h.fn));
  else s.event(h.fn);
}
