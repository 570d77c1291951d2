// Processes: a slot (host + port + factory) and the running incarnation's OS-like context (design.md, engine/sim).
import type { Conn, ConnHandlers } from '../net/types.ts';
import type { Network, NetOwner } from '../net/network.ts';
import type { Host } from './host.ts';
import type { Rng } from './rng.ts';
import type { Scheduler, Timer } from './scheduler.ts';
import type { Micros } from './time.ts';

export type ProcessKind = 'server' | 'sentinel' | 'client';
export type ProcessState = 'stopped' | 'running' | 'paused';

/** What a process implementation provides. All its memory lives in the instance: a crash discards it. */
export interface ProcessInstance {
  /** An accepted connection on the listening port. */
  onConnection?(conn: Conn): void;
  /** Called once after construction, when the process starts. */
  boot?(): void;
  /** Visible state for keyframes and the viewer (plain JSON). */
  snapshot?(): unknown;
  /** Role character of Redis log lines: 'M' master, 'S' replica, 'X' sentinel, 'C' child/client. */
  roleChar?(): string;
  /**
   * The incarnation ended (kill, host down, exit), after its connections were aborted: for a process whose
   * memory lives outside the instance (an application host's guest thread, bin/guest) to drop it.
   */
  onTerminate?(): void;
}

export type ProcessFactory = (ctx: ProcessContext) => ProcessInstance;

/** Where a process reports log lines and events (the Simulation routes them to the trace). */
export interface ProcessSink {
  log(proc: ProcSlot, level: string, line: string, event: string | null): void;
  exited(proc: ProcSlot, code: number, reason: string): void;
  /** A structured trace note of the process (what a log line does not say: the viewer reads it). */
  note?(proc: ProcSlot, what: string, data: unknown): void;
  /** The OS's next process id. */
  nextPid(): number;
}

export interface ProcTimer {
  cancel(): void;
}

/**
 * The OS as one incarnation of a process sees it. Once the incarnation dies every method becomes a
 * no-op, so stale callbacks of a crashed process can never act.
 */
export class ProcessContext implements NetOwner {
  readonly conns = new Set<Conn>();
  private dead = false;
  /** Timers and deliveries that came due while paused (SIGSTOP); they run, late, after resume. */
  private deferred: (() => void)[] = [];

  constructor(
    readonly slot: ProcSlot,
    readonly rng: Rng,
    private readonly sched: Scheduler,
    private readonly net: Network,
    private readonly sink: ProcessSink,
  ) {}

  get host(): Host {
    return this.slot.host;
  }
  get name(): string {
    return this.slot.name;
  }
  get port(): number {
    return this.slot.port;
  }
  /** Incarnation number: 1 for the first start, +1 per restart. */
  get incarnation(): number {
    return this.slot.incarnation;
  }

  alive(): boolean {
    return !this.dead;
  }

  /** World (monotonic) time in µs: what timers run on. */
  now(): Micros {
    return this.sched.now;
  }

  /** This host's wall clock in ms since 1970 (Redis's mstime()); affected by clock jumps. */
  mstime(): number {
    return this.slot.host.mstime(this.sched.now);
  }

  /** Monotonic ms, like Redis 7's getMonotonicUs()/1000. */
  monoMs(): number {
    return Math.floor(this.sched.now / 1000);
  }

  runsNow(): boolean {
    return !this.dead && this.slot.state !== 'paused';
  }

  run(fn: () => void): void {
    if (this.dead) return;
    if (this.slot.state === 'paused') this.deferred.push(fn);
    else fn();
  }

  setTimer(delayMs: number, fn: () => void): ProcTimer {
    return this.setTimerWith(delayMs, fn, undefined);
  }

  /** setTimer calling fn(arg): lets hot paths share one function instead of allocating a closure per timer. */
  setTimerWith<A>(delayMs: number, fn: (arg: A) => void, arg: A): ProcTimer {
    const h = new CtxTimer(this, fn as (arg: unknown) => void, arg, this.sched);
    const delay = Math.round(delayMs * 1000);
    h.timer = this.sched.atWith(this.sched.now + (delay > 0 ? delay : 0), runCtxTimer, h);
    return h;
  }

  connect(ip: string, port: number, handlers: ConnHandlers, opts?: { timeoutMs?: number }): Conn {
    return this.net.connect(this, ip, port, handlers, opts);
  }

  /** A log line in Redis's format; `event` is the Sentinel event name (first word) or null. */
  log(level: '.' | '-' | '*' | '#', line: string, event: string | null = null): void {
    if (!this.dead) this.sink.log(this.slot, level, line, event);
  }

  /** A structured trace note (`{ k: 'note', node, what, data }`), e.g. the Sentinel's replica selection. */
  note(what: string, data: unknown): void {
    if (!this.dead) this.sink.note?.(this.slot, what, data);
  }

  /** The process ends itself (SHUTDOWN, fatal config error, ...). */
  exit(code: number, reason: string): void {
    if (this.dead) return;
    this.slot.terminate(false, 'exit');
    this.sink.exited(this.slot, code, reason);
  }

  /** @internal */
  resumeDeferred(): void {
    const q = this.deferred;
    this.deferred = [];
    for (const fn of q) this.sched.after(0, () => this.run(fn));
  }

  /** @internal */
  kill(hostDown: boolean): void {
    if (this.dead) return;
    this.dead = true;
    this.deferred = [];
    this.net.abortAll(this, hostDown);
  }
}

/** A timer of one incarnation: the handle setTimer returns is also what the scheduler passes back. */
class CtxTimer implements ProcTimer {
  timer: Timer | null = null;
  constructor(
    readonly ctx: ProcessContext,
    readonly fn: (arg: unknown) => void,
    readonly arg: unknown,
    private readonly sched: Scheduler,
  ) {}
  cancel(): void {
    this.sched.cancel(this.timer);
  }
}

function runCtxTimer(h: CtxTimer): void {
  if (h.ctx.runsNow()) h.fn(h.arg);
  else h.ctx.run(() => h.fn(h.arg));
}

/** A process slot: where a program runs on a host, surviving crashes and restarts. */
export class ProcSlot {
  state: ProcessState = 'stopped';
  incarnation = 0;
  /** OS process id of the current incarnation (assigned by the Simulation at start). */
  pid = 0;
  ctx: ProcessContext | null = null;
  instance: ProcessInstance | null = null;
  /** Start automatically when the host comes back up. */
  restartOnBoot = false;
  /** Listening: accepted connections go to instance.onConnection. */
  listening = true;
  private readonly baseRng: Rng;

  constructor(
    readonly host: Host,
    readonly ip: string,
    readonly port: number,
    readonly kind: ProcessKind,
    readonly factory: ProcessFactory,
    private readonly sched: Scheduler,
    private readonly net: Network,
    private readonly sink: ProcessSink,
    rng: Rng,
  ) {
    this.baseRng = rng;
  }

  /** "ip:port", the name Redis and Sentinel use. */
  get name(): string {
    return `${this.ip}:${this.port}`;
  }

  /** Start a new incarnation (fresh memory; the host's disk is whatever survived). */
  start(): void {
    if (this.state !== 'stopped') throw new Error(`${this.name} is already running`);
    if (!this.host.up) throw new Error(`cannot start ${this.name}: host ${this.host.name} is down`);
    this.incarnation++;
    this.pid = this.sink.nextPid();
    const ctx = new ProcessContext(this, this.baseRng.fork(`#${this.incarnation}`), this.sched, this.net, this.sink);
    this.ctx = ctx;
    this.state = 'running';
    this.instance = this.factory(ctx);
    if (ctx.alive()) this.instance.boot?.();
  }

  /** Kill -9: memory gone, connections reset (or silently gone if the host went down). */
  terminate(hostDown: boolean, _why: string): void {
    if (this.state === 'stopped') return;
    this.ctx?.kill(hostDown);
    const inst = this.instance;
    this.ctx = null;
    this.instance = null;
    this.state = 'stopped';
    inst?.onTerminate?.();
  }

  pause(): void {
    if (this.state === 'running') this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    this.ctx?.resumeDeferred();
  }
}
