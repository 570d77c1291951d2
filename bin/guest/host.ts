// An application host of a scenario (s.app, docs/guest-apps.md): a simulated process on a host of the topology
// whose behaviour is the user's JavaScript, run in a worker thread (worker.ts) and called synchronously at
// each simulation event that concerns it — a byte on one of its connections, a connection opened or closed,
// one of its (virtual) timers due. Its TCP connections are simulated connections: RESP requests the client
// library writes are parsed here and sent as commands; replies are encoded back to bytes.
import { formatSetAccounting } from '../../engine/client/apps.ts';
import { summarizeHistory, type HistoryEntry, type SetAccounting } from '../../engine/client/history.ts';
import { argvSize, encodeResp, type Reply } from '../../engine/net/resp.ts';
import { RequestParser } from '../../engine/net/respCodec.ts';
import type { CloseReason, Conn } from '../../engine/net/types.ts';
import type { Host } from '../../engine/sim/host.ts';
import type { Timer } from '../../engine/sim/scheduler.ts';
import type { ProcessContext, ProcSlot, ProcTimer } from '../../engine/sim/process.ts';
import type { AppFunction, AppHandle, AppOptions } from '../../scenarios/api/apps.ts';
import { js } from '../../scenarios/api/admin.ts';
import { agreedMaster } from '../../scenarios/api/invariants.ts';
import { ScenarioError } from '../../scenarios/api/nodes.ts';
import type { ScenarioRun } from '../../scenarios/api/run.ts';
import { compiledAppModule } from './compile.ts';
import { releaseThread, takeThread, type GuestThread } from './pool.ts';
import type { GuestAction, GuestCode, GuestInit, GuestInput, GuestLater, GuestMessage, GuestReply } from './protocol.ts';

/** Wall-clock limits of one synchronous call into the guest (its start loads modules: longer). */
const INIT_TIMEOUT_MS = 120_000;
const CALL_TIMEOUT_MS = 60_000;

interface GuestConn {
  conn: Conn;
  parser: RequestParser;
}

/** A reply in one line for the trace: +OK, -ERR …, :1, "bulk", *3, (nil). */
export function replyText(r: Reply): string {
  switch (r.t) {
    case 'simple':
      return `+${r.v}`;
    case 'error':
      return `-${r.v}`;
    case 'int':
      return `:${r.v}`;
    case 'bulk':
      return r.v === null ? '(nil)' : JSON.stringify(r.v.length > 64 ? `${r.v.slice(0, 64)}…` : r.v);
    case 'array':
      return r.v === null ? '*-1' : `*${r.v.length}`;
    default:
      return `${r.t}`;
  }
}

export class GuestApp implements AppHandle {
  readonly slot: ProcSlot;
  readonly history: HistoryEntry[] = [];
  done = false;
  error: string | null = null;
  master: string | null = null;
  accounting: SetAccounting | null = null;
  /** Synchronous calls into the guest's threads so far (the cost that dominates a run's wall time). */
  calls = 0;
  /** The guest thread of the current incarnation (null once it ended: killed, or the run is over). */
  private worker: GuestThread | null = null;
  /** The thread has not been sent its init yet (it is started ahead, while the scenario is being set up). */
  private fresh = false;
  private readonly host: Host;
  private readonly code: GuestCode;
  private pctx: ProcessContext | null = null;
  private readonly conns = new Map<number, GuestConn>();
  private busy = false;
  private queue: GuestInput[] = [];
  private wake: ProcTimer | null = null;
  private wakeAt: number | null = null;
  /** The guest's own time: the last instant it ran ahead to (a call before it would break the run ahead's premise). */
  private aheadTo = -Infinity;
  /** The scheduler event (its count) in which one of its connections opened last. */
  private openedIn = -1;
  private closed = false;
  private stopping = false;

  constructor(
    private readonly run: ScenarioRun,
    readonly name: string,
    private readonly opts: AppOptions,
    fn: AppFunction | undefined,
  ) {
    const sim = run.sim;
    if (sim.trace.header) throw new ScenarioError(`s.app(${name}): add application hosts before the script's first step (they are part of the topology)`);
    // an existing host by name or IP (the app shares its machine), else a new host named after the app
    const byIp = [...sim.hosts.values()].find((h) => h.ip === opts.host);
    const host = sim.hosts.get(opts.host) ?? byIp ?? (sim.hosts.has(name) ? null : sim.addHost(name, opts.host));
    if (!host) throw new ScenarioError(`s.app(${name}): host ${name} exists with IP ${sim.hosts.get(name)!.ip}, not ${opts.host}`);
    const module = opts.module === undefined ? undefined : String(opts.module);
    const compiled = module === undefined ? null : compiledAppModule(module);
    const code: GuestCode | null = fn
      ? { source: fn.toString() }
      : module
        ? { module: compiled?.url ?? module, export: opts.export, ...(compiled ? { named: module, commonjs: compiled.commonjs } : {}) }
        : null;
    if (!code) throw new ScenarioError(`s.app(${name}): give the app as a function or as { module }`);
    this.host = host;
    this.code = code;
    this.slot = sim.addProcess(host, opts.port ?? 0, 'client', (ctx) => {
      this.pctx = ctx;
      return {
        boot: () => this.boot(),
        roleChar: () => 'C',
        snapshot: () => ({ app: this.name, master: this.master, done: this.done }),
        onTerminate: () => this.terminated(ctx),
      };
    });
    this.slot.listening = false;
    // a host that comes back up boots the app again, as a service manager would (a new process: boot())
    this.slot.restartOnBoot = true;
    // the first thread starts now: it loads while the scenario is set up
    this.spawn();
    run.addHistorySource(this);
    run.onFinish(() => this.finish());
  }

  get node(): string {
    return this.slot.name;
  }

  // ---- the guest thread of an incarnation

  /** A thread from the pool (pool.ts): a new one, or one whose last run ended cleanly and put it back as new. */
  private spawn(): void {
    this.worker = takeThread();
    this.fresh = true;
  }

  private initMessage(): GuestInit {
    const sim = this.run.sim;
    const endpoints = (kind: string) => [...sim.procs.values()].filter((p) => p.kind === kind).map((p) => ({ host: p.ip, port: p.port }));
    const n = this.slot.incarnation;
    return {
      k: 'init',
      name: this.name,
      ip: this.host.ip,
      node: this.slot.name,
      code: this.code,
      params: this.opts.params ?? null,
      // a restarted process draws other numbers than the first one
      seed: `${sim.seed}/app/${this.name}${n > 1 ? `#${n}` : ''}`,
      startUs: sim.now,
      wallMs: this.host.mstime(sim.now),
      sentinels: endpoints('sentinel'),
      servers: endpoints('server'),
      masterName: this.run.masterName,
      cwd: process.cwd(),
    };
  }

  /** The process was killed (or its host went down): its thread ends with it; the ops in flight are unknown. */
  private terminated(ctx: ProcessContext): void {
    if (ctx !== this.pctx) return;
    this.conns.clear();
    this.queue = [];
    this.wake?.cancel();
    this.wake = null;
    this.wakeAt = null;
    this.aheadTo = -Infinity;
    if (this.master !== null) {
      this.master = null;
      this.record('app-view', { master: null });
    }
    this.endThread('killed');
  }

  /** Ask the thread for its ops in flight (they become 'unknown'), restore its globals and hand it back to the pool (or end it). */
  private endThread(why: 'end' | 'killed'): void {
    const w = this.worker;
    if (!w) return;
    let reusable = this.fresh;
    try {
      if (!this.fresh) {
        const r = this.rpc({ k: 'shutdown', why }, CALL_TIMEOUT_MS);
        reusable = r.reusable === true;
        this.apply(r.actions.filter((a) => a.k === 'op'));
      }
    } finally {
      this.worker = null;
      releaseThread(w, reusable);
    }
  }

  // ---- the synchronous call into the guest

  private rpc(m: GuestMessage, timeoutMs: number): GuestReply {
    this.calls++;
    const reply = this.worker!.channel.call(m, timeoutMs, `app ${this.name}`) as GuestReply;
    if (reply.fatal) throw new Error(`app ${this.name}: the guest runtime failed: ${reply.fatal}`);
    return reply;
  }

  /** A (re)start of the app's process: a fresh thread loads the app's module and calls its function. */
  private boot(): void {
    if (this.closed) return;
    if (!this.worker) this.spawn();
    this.done = false;
    this.error = null;
    const init = this.initMessage();
    this.fresh = false;
    this.worker!.runs++;
    this.apply(this.rpc(init, INIT_TIMEOUT_MS).actions);
    this.deliver(this.stopping ? [{ k: 'start' }, { k: 'stop' }] : [{ k: 'start' }]);
  }

  /**
   * Hand inputs to the guest now (or after the call in progress, or once its process is resumed), then act on
   * what it did. `ahead`: nothing else can reach the guest in the rest of the current event (its wake-up; a
   * segment's arrival), so it may run ahead (aheadLimit).
   */
  private deliver(inputs: GuestInput[], ahead = false): void {
    const pctx = this.pctx;
    if (this.closed || !pctx?.alive() || !this.worker) return;
    // SIGSTOP: the process reads nothing and runs no timer until it is resumed
    if (!pctx.runsNow()) return pctx.run(() => this.deliver(inputs));
    this.queue.push(...inputs);
    if (this.busy) return;
    this.busy = true;
    try {
      do {
        const batch = this.queue;
        this.queue = [];
        const now = this.run.sim.now;
        if (now < this.aheadTo) throw new Error(`app ${this.name}: called at ${now} µs, but it ran ahead to ${this.aheadTo} µs (a run ahead that was not safe)`);
        const aheadUs = ahead ? this.aheadLimit(now) : now;
        ahead = false;
        const reply = this.rpc({ k: 'call', now, wallMs: this.host.mstime(now), inputs: batch, aheadUs }, CALL_TIMEOUT_MS);
        this.apply(reply.actions);
        if (reply.ranToUs === undefined) this.scheduleWake(reply.nextTimerUs);
        else this.applyLater(reply.later ?? [], reply.ranToUs, reply.nextTimerUs);
      } while (this.queue.length > 0 && !this.closed && this.worker);
    } finally {
      this.busy = false;
    }
  }

  /**
   * How far the guest may run ahead of its wake-up at `now` (GuestCall.aheadUs): to the next event of the
   * simulation, within the current run's horizon (the script acts only after it), and only while its host's
   * wall clock moves with virtual time on whole ms (its Date needs no update). Until then nothing can reach
   * the guest — a byte, a fault, a stop — so its timers run as they would at their own instants, without a
   * call each: the same trace, fewer calls across threads. Its pending wake-up is not an event of the others.
   */
  private aheadLimit(now: number): number {
    const sched = this.run.sim.sched;
    if (!(sched.horizon > now)) return now;
    const off = this.host.wallUs(now) - now;
    if (off % 1000 !== 0 || this.host.wallUs(now + 1e9) - (now + 1e9) !== off) return now;
    // the wake-up's scheduler event (engine/sim/process.ts CtxTimer.timer)
    const own = (this.wake as { timer?: Timer | null } | null)?.timer ?? null;
    return Math.min(sched.horizon, sched.peekTimeExcept(own));
  }

  /**
   * The guest ran ahead to `ranTo`: what it did at each later instant is applied then (a scheduler event at
   * that instant, which the wake-up would have been), and its next wake-up is scheduled after the last of
   * them, as the call at that instant would have done.
   */
  private applyLater(later: GuestLater[], ranTo: number, next: number | null): void {
    this.wake?.cancel();
    this.wake = null;
    this.wakeAt = null;
    this.aheadTo = ranTo;
    const pctx = this.pctx!;
    const now = this.run.sim.now;
    if (later.length === 0) return this.scheduleWake(next);
    later.forEach((g, i) => {
      pctx.setTimer((g.at - now) / 1000, () => {
        this.apply(g.actions);
        if (i < later.length - 1) return;
        this.scheduleWake(next);
        // a connection outside the topology is refused at once: the guest hears it now
        if (this.queue.length > 0) this.deliver([]);
      });
    });
  }

  private scheduleWake(us: number | null): void {
    if (us === this.wakeAt && this.wake) return;
    this.wake?.cancel();
    this.wake = null;
    this.wakeAt = us;
    if (us === null || !this.pctx) return;
    const now = this.run.sim.now;
    this.wake = this.pctx.setTimer(Math.max(0, us - now) / 1000, () => {
      this.wake = null;
      this.wakeAt = null;
      this.deliver([], true);
    });
  }

  private record(what: string, data: unknown): void {
    this.run.sim.record({ t: this.run.sim.now, k: 'note', node: this.node, what, data });
  }

  // ---- what the guest did

  private apply(actions: GuestAction[]): void {
    for (const a of actions) {
      switch (a.k) {
        case 'connect':
          this.connect(a.id, a.host, a.port);
          break;
        case 'write': {
          const c = this.conns.get(a.id);
          if (!c) break;
          c.parser.feed(a.bytes);
          for (let item = c.parser.next(); item; item = c.parser.next()) {
            if (item.kind !== 'command') {
              this.record('app-error', { conn: c.conn.id, message: `protocol error in what the client wrote: ${item.kind === 'error' ? item.error : item.reason}` });
              break;
            }
            this.record('app-cmd', { conn: c.conn.id, to: c.conn.remote, argv: item.argv.map((x) => (x.length > 64 ? `${x.slice(0, 64)}…` : x)) });
            c.conn.send(item.argv, argvSize(item.argv), 'app');
          }
          break;
        }
        case 'end': {
          const c = this.conns.get(a.id);
          this.conns.delete(a.id);
          if (c) {
            this.record('app-conn', { conn: c.conn.id, to: c.conn.remote, ev: 'close' });
            c.conn.close();
          }
          break;
        }
        case 'op': {
          const e: HistoryEntry = { client: this.name, ...a.entry };
          this.history.push(e);
          this.record('op', e);
          break;
        }
        case 'log':
          this.pctx?.log('*', a.line);
          break;
        case 'view':
          if (a.master !== this.master) {
            this.master = a.master;
            this.record('app-view', { master: a.master });
          }
          break;
        case 'done':
          this.done = true;
          this.error = a.error;
          this.record('app-done', { error: a.error });
          if (a.error !== null) this.pctx?.log('#', `app ${this.name} failed: ${a.error}`);
          break;
        case 'error':
          this.record('app-error', { message: a.message });
          break;
      }
    }
  }

  private connect(id: number, host: string, port: number): void {
    const sim = this.run.sim;
    const inTopology = [...sim.hosts.values()].some((h) => h.ip === host);
    if (!inTopology) {
      this.record('app-conn', { to: `${host}:${port}`, ev: 'outside-topology' });
      this.queue.push({ k: 'close', id, reason: 'outside' });
      return;
    }
    const conn: Conn = this.pctx!.connect(host, port, {
      onOpen: () => {
        this.openedIn = this.run.sim.sched.executed;
        this.record('app-conn', { conn: conn.id, to: conn.remote, ev: 'open', local: conn.local });
        this.deliver([{ k: 'open', id, local: conn.local }]);
      },
      onData: (m) => {
        const r = m as Reply;
        this.record('app-reply', { conn: conn.id, from: conn.remote, reply: replyText(r) });
        // a segment's arrival is an event of its own, unless it was held for an opening connection: then the
        // open and what the peer sent meanwhile (more data, a FIN) come in one event
        this.deliver([{ k: 'data', id, bytes: encodeResp(r) }], this.openedIn !== this.run.sim.sched.executed);
      },
      onClose: (reason: CloseReason) => {
        if (!this.conns.delete(id)) return;
        this.record('app-conn', { conn: conn.id, to: conn.remote, ev: reason });
        this.deliver([{ k: 'close', id, reason }]);
      },
    });
    this.conns.set(id, { conn, parser: new RequestParser() });
    this.record('app-conn', { conn: conn.id, to: conn.remote, ev: 'connect' });
  }

  // ---- the script's handle

  /** Ask the app to stop (ctx.stopped, ctx.untilStopped()); it ends when its function returns. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.run.ensureStarted();
    this.deliver([{ k: 'stop' }]);
  }

  /** Stop the app and wait (virtual time) for its function to return. */
  stopAndWait(timeout = '30s'): void {
    this.stop();
    if (!this.done) this.run.waitUntil(() => this.done, { timeout });
  }

  /**
   * Stop the app, read `key`'s members from the master the Sentinels agree on (waiting up to 60 s for them
   * to agree), record it as the history's final read and return Jepsen's accounting of the app's set-adds.
   */
  finishSet(key: string): SetAccounting {
    if (this.accounting) return this.accounting;
    this.end();
    this.run.waitUntil(() => agreedMaster(this.run) !== null, { timeout: '60s' });
    const master = agreedMaster(this.run)!;
    const invoke = this.run.now;
    const members = (js(this.run.exec(master, 'SMEMBERS', key)) as string[]).slice().sort();
    const e: HistoryEntry = { client: this.name, op: 'read-all', key, value: members, invoke, complete: this.run.now, outcome: 'ok', node: master };
    this.history.push(e);
    this.record('op', e);
    this.accounting = summarizeHistory(this.history, members, key);
    this.run.note(`app ${this.name} set-add: ${formatSetAccounting(this.accounting).split('\n').join(' / ')}`);
    return this.accounting;
  }

  clientOps(): { ok: number; failed: number; unknown: number; lostAcknowledged: number } {
    const n = (o: string) => this.history.filter((e) => e.op !== 'read-all' && e.outcome === o).length;
    return { ok: n('ok'), failed: n('fail'), unknown: n('unknown'), lostAcknowledged: this.accounting?.lost ?? 0 };
  }

  /**
   * Stop the app and wait (up to 10 s of virtual time) for it to return, then close its history (operations
   * still in flight become 'unknown'), restore the guest's globals and end its thread. Also done at the end
   * of the run.
   */
  end(): void {
    if (this.closed) return;
    try {
      if (this.pctx?.alive() && !this.done) this.stopAndWait('10s');
    } catch {
      this.record('app-error', { message: `app ${this.name} did not return within 10 s of being stopped` });
    } finally {
      this.shutdown();
    }
  }

  private finish(): void {
    this.end();
  }

  /** Restore the guest thread's globals (clock, Math.random, crypto, net) and terminate it. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake?.cancel();
    // the ops still in flight come back as 'unknown' entries of the history
    this.endThread('end');
  }
}
