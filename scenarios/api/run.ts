// ScenarioRun: what a script drives on the simulator. Synchronous and deterministic: virtual time advances only inside
// sleep / at / waitFor and the calls that talk to nodes over the simulated network (exec, role, masterAddr).
// It implements ScenarioExecutor (executor.ts), the interface real Redis runs (bin/real) implement too.
import type { WorkloadOptions } from '../../engine/client/workload.ts';
import type { Resp } from '../../engine/net/resp.ts';
import { RunawayError } from '../../engine/sim/scheduler.ts';
import type { Simulation } from '../../engine/sim/simulation.ts';
import { formatClock, parseDuration, type Micros } from '../../engine/sim/time.ts';
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import { adminExec, type ExecOptions } from './admin.ts';
import { simApp, type AppFunction, type AppHandle, type AppOptions } from './apps.ts';
import type { HistorySource, ScenarioClient, ScenarioClientsOptions, ScenarioExecutor, ScenarioWorkload, WaitOptions, WaitTarget } from './executor.ts';
import { execFault } from './exec-faults.ts';
import { ScenarioFaults } from './faults.ts';
import { isEventName, lastEventsText, lastRelevant, selectEvents, waitPlan, type EventQuery, type RecordPredicate } from './match.ts';
import { resolveHost, resolveNode, ScenarioError } from './nodes.ts';
import type { ClusterSpec, Duration } from './spec.ts';
import { checkExpect, expectEqualMessage } from './expect.ts';
import { masterAddrOf, roleWord } from './reads.ts';
import { simAddClients, simStartWorkload } from './workloads.ts';

export type { HistorySource, WaitOptions, WaitTarget } from './executor.ts';

/** Thrown inside the script when the run reaches --until: the runner ends the run normally. */
export class StopRun extends Error {
  override readonly name = 'StopRun';
}

export interface ScenarioRunOptions {
  /** Hard stop (virtual µs): time never advances past it; the script is interrupted with StopRun. */
  untilUs?: Micros;
  /** Called regularly while time advances (the CLI's progress line). */
  onProgress?: (nowUs: Micros) => void;
  /** Default time-out of exec / role / masterAddr (default 5 s). */
  execTimeout?: Duration;
}

const CHUNK_US = 250_000;
const DEFAULT_WAIT = '60s';

export class ScenarioRun extends ScenarioFaults implements ScenarioExecutor {
  /** The master name the Sentinels monitor (default of masterAddr / sentinelFailover). */
  readonly masterName: string | null;
  /** "ip:port" of the master at start. */
  readonly initialMaster: string | null;
  readonly servers: string[];
  readonly sentinels: string[];
  private started = false;
  private advancing = false;
  private untilUs: Micros;
  private readonly onProgress: ((nowUs: Micros) => void) | undefined;
  private readonly execTimeoutUs: Micros;
  /** Every record but messages and keyframes, for events() and failure messages. */
  private readonly history: TraceRecord[] = [];
  /** history index where the last time advance ended: what the script did since counts for waitFor. */
  private mark = 0;
  private matcher: RecordPredicate | null = null;
  private matched: TraceRecord | null = null;
  private readonly finishHooks: (() => void)[] = [];
  readonly historySources: HistorySource[] = [];
  /** Messages of the failed expectations so far. */
  readonly failures: string[] = [];

  constructor(
    sim: Simulation,
    readonly spec: ClusterSpec,
    opts: ScenarioRunOptions = {},
  ) {
    super(sim);
    this.masterName = spec.masterName;
    this.initialMaster = spec.initialMaster;
    const names = (k: string) => [...sim.procs.values()].filter((p) => p.kind === k).map((p) => p.name);
    this.servers = names('server');
    this.sentinels = names('sentinel');
    this.untilUs = opts.untilUs ?? Infinity;
    this.onProgress = opts.onProgress;
    this.execTimeoutUs = parseDuration(opts.execTimeout ?? '5s');
    sim.trace.subscribe((r) => {
      if (r.k !== 'msg' && r.k !== 'keyframe') this.history.push(r);
      if (this.matcher && this.matched === null && this.matcher(r)) this.matched = r;
    });
  }

  // ---- time --------------------------------------------------------------------------------------

  /** Virtual time since the start, µs. */
  get now(): Micros {
    return this.sim.now;
  }

  /** Virtual time as "00:01:30.250". */
  clock(): string {
    return formatClock(this.sim.now);
  }

  /**
   * Start the cluster (at virtual time 0) if not yet done: called by everything that acts or lets time
   * pass. Processes added to the simulation before this appear in the trace header's topology.
   */
  ensureStarted(): void {
    if (this.started) return;
    this.started = true;
    this.sim.writeHeader();
    this.sim.startAll();
  }

  protected override beforeFault(): void {
    if (this.advancing) throw new ScenarioError('faults cannot be injected from inside a waitFor predicate');
    this.ensureStarted();
  }

  /** Let `d` of virtual time pass. */
  sleep(d: Duration): void {
    this.advanceTo(this.sim.now + parseDuration(d));
  }

  /** Let time pass until the scenario instant `t` ("00:01:30", "90s", 90000). */
  at(t: Duration): void {
    const target = parseDuration(t);
    if (target < this.sim.now) throw new ScenarioError(`at(${formatClock(target)}): the scenario is already at ${this.clock()}`);
    this.advanceTo(target);
  }

  /** @internal let time pass until virtual µs `target` (the runner's idle time up to --until). */
  advanceTo(target: Micros): void {
    this.guard();
    this.ensureStarted();
    this.advancing = true;
    try {
      const end = Math.min(target, this.untilUs);
      while (this.sim.now < end) {
        this.sim.run({ until: Math.min(end, this.sim.now + CHUNK_US) });
        this.onProgress?.(this.sim.now);
      }
    } finally {
      this.advancing = false;
      this.mark = this.history.length;
    }
    if (target > this.untilUs) throw new StopRun(`stopped at ${this.clock()} (--until)`);
  }

  private guard(): void {
    if (this.advancing) throw new ScenarioError('time cannot advance inside a waitFor predicate');
  }

  /**
   * Run until `done()` holds (checked after every event) or the deadline; false on the deadline.
   * Throws StopRun if --until comes first. `guestsAhead`: `done()` can only turn true at an event of the
   * simulation's own processes (a Sentinel event, a reply to the admin client), never at an app host's
   * event, so the script acts only at such events and app hosts may run their timers ahead up to the next
   * of them (bin/guest/host.ts aheadLimit), as inside a sleep: the same trace, fewer calls.
   */
  advanceUntil(done: () => boolean, deadlineUs: Micros, _what = '', guestsAhead = false): boolean {
    this.guard();
    this.ensureStarted();
    this.advancing = true;
    const sched = this.sim.sched;
    const limit = Math.min(deadlineUs, this.untilUs);
    const outerHorizon = sched.horizon;
    if (guestsAhead) sched.horizon = limit;
    try {
      let n = 0;
      for (;;) {
        if (done()) return true;
        if (sched.peekTime() > limit) break;
        this.sim.step();
        if (++n % 4096 === 0) {
          this.onProgress?.(sched.now);
          if (n > sched.maxEvents) throw new RunawayError(sched.now, n);
        }
      }
      if (limit > sched.now) sched.run({ until: limit });
    } finally {
      sched.horizon = outerHorizon;
      this.advancing = false;
      this.mark = this.history.length;
    }
    if (deadlineUs > this.untilUs) throw new StopRun(`stopped at ${this.clock()} (--until)`);
    return false;
  }

  /**
   * Wait for a log record (a Sentinel event name such as "+switch-master", or text inside a log line),
   * a record predicate `(r) => boolean`, or a state condition `() => boolean`. What happens from the
   * script's last time step on counts (including what its own actions caused at this instant, e.g. the
   * log of a restart), not earlier records. Returns the matching record (null for a state condition);
   * throws on time-out.
   */
  waitFor(target: WaitTarget, opts: WaitOptions = {}): TraceRecord | null {
    const timeoutUs = parseDuration(opts.timeout ?? DEFAULT_WAIT);
    const since = this.sim.now;
    const node = opts.node !== undefined ? resolveNode(this.sim, opts.node).name : undefined;
    const plan = waitPlan(target, node, opts.match);
    const desc = plan.desc;
    let done: () => boolean;
    if (plan.kind === 'cond') done = plan.cond;
    else {
      const m = plan.pred;
      // what the script's own actions caused at this instant counts (a restart logs at once)
      const already = this.history.slice(this.mark).find(m);
      if (already) return already;
      this.matcher = m;
      this.matched = null;
      done = () => this.matched !== null;
    }
    try {
      // a Sentinel event name: app hosts never log one (their lines carry no event), so they may run ahead
      const guestsAhead = typeof target === 'string' && isEventName(target);
      if (this.advanceUntil(done, this.sim.now + timeoutUs, desc, guestsAhead)) return this.matched;
    } finally {
      this.matcher = null;
    }
    throw new ScenarioError(`waitFor(${desc}) timed out after ${timeoutUs / 1e6}s (waiting since ${formatClock(since)})\n${lastEventsText(this.lastEvents(8, node))}`);
  }

  /** waitFor with a state condition, spelled out. */
  waitUntil(cond: () => boolean, opts: Pick<WaitOptions, 'timeout'> = {}): void {
    this.waitFor(() => cond(), opts);
  }

  // ---- observation -------------------------------------------------------------------------------

  /**
   * Records so far. No filter: Sentinel events. A string: that event (or log lines containing it). A
   * query: log records by event / node / text / time. A function: any record (log, fault, proc, note).
   */
  events(filter?: string | EventQuery | RecordPredicate): TraceRecord[] {
    return selectEvents(this.history, filter, (ref) => resolveNode(this.sim, ref).name, parseDuration);
  }

  /** The last `n` relevant records (Sentinel events, faults, process starts/crashes), of one node if given. */
  lastEvents(n = 8, node?: string): TraceRecord[] {
    return lastRelevant(this.history, n, node, (name) => this.sim.procs.get(name)?.kind === 'client');
  }

  /** Every record so far but messages and keyframes (the CLI keeps only a ring of the trace; this history is complete). */
  records(): TraceRecord[] {
    return this.history.slice();
  }

  /** The trace header (the cluster is started if it was not). */
  header(): TraceHeader {
    this.ensureStarted();
    return this.sim.trace.header!;
  }

  /** Send a command from an admin client on the node's own box: `exec("7003", "GET", "k")` or `exec("7003", {db: 1}, "GET", "k")`. */
  exec(node: string, ...args: (string | number | ExecOptions)[]): Resp {
    const opts: ExecOptions = args.length > 0 && typeof args[0] === 'object' ? (args.shift() as ExecOptions) : {};
    const argv = args.map((a) => String(a));
    if (argv.length === 0) throw new ScenarioError('exec: no command given');
    const slot = resolveNode(this.sim, node);
    this.guard();
    this.ensureStarted();
    const spec = this.spec.nodes.find((n) => `${this.sim.host(n.host).ip}:${n.port}` === slot.name);
    const timeout = opts.timeout !== undefined ? parseDuration(opts.timeout) : this.execTimeoutUs;
    const fault = slot.kind === 'server' ? execFault(this.sim.now, slot.name, argv) : null;
    if (fault) this.sim.record(fault);
    // the reply reaches the admin client at its own event, never at an app host's: app hosts may run ahead
    return adminExec(this.sim, slot, argv, spec?.password, opts, timeout, (d, dl, w) => this.advanceUntil(d, dl, w, true));
  }

  /** ROLE's first word ('master' | 'slave' | 'sentinel'), or 'down' (process or host down) / 'paused'. */
  role(node: string): string {
    const slot = resolveNode(this.sim, node, 'server');
    if (slot.state === 'stopped' || !slot.host.up) return 'down';
    if (slot.state === 'paused') return 'paused';
    return roleWord(this.exec(slot.name, 'ROLE'), slot.name);
  }

  /** Ask a Sentinel (SENTINEL get-master-addr-by-name) for the master's "ip:port"; null if it does not know it. */
  masterAddr(sentinel: string, master: string | null = this.masterName): string | null {
    if (!master) throw new ScenarioError('masterAddr: no master name (the cluster has no Sentinel monitor line)');
    const slot = resolveNode(this.sim, sentinel, 'sentinel');
    return masterAddrOf(this.exec(slot.name, 'SENTINEL', 'get-master-addr-by-name', master), slot.name);
  }

  /** SENTINEL FAILOVER <master> on a Sentinel (default the first); recorded as a fault. Returns the reply. */
  sentinelFailover(sentinel?: string, master: string | null = this.masterName): Resp {
    if (!master) throw new ScenarioError('sentinelFailover: no master name');
    const ref = sentinel ?? this.sentinels[0];
    if (ref === undefined) throw new ScenarioError('sentinelFailover: the cluster has no Sentinel');
    const slot = resolveNode(this.sim, ref, 'sentinel');
    this.beforeFault();
    this.sim.record({ t: this.sim.now, k: 'fault', fault: 'sentinel-failover', target: slot.name, args: { master } });
    return this.exec(slot.name, 'SENTINEL', 'FAILOVER', master);
  }

  /** The node's visible state (what keyframes record), read directly without time passing. */
  view(node: string): unknown {
    return resolveNode(this.sim, node).instance?.snapshot?.() ?? null;
  }

  /** The node's process is running (not stopped or paused) and its host is up. */
  isRunning(node: string): boolean {
    const slot = resolveNode(this.sim, node);
    return slot.state === 'running' && slot.host.up;
  }

  /** The node's process state and whether its host is up (no time passes). */
  processState(node: string): { state: 'running' | 'paused' | 'stopped'; hostUp: boolean } {
    const slot = resolveNode(this.sim, node);
    return { state: slot.state, hostUp: slot.host.up };
  }

  /** Whether the host is powered on. */
  hostIsUp(host: string): boolean {
    return this.sim.host(resolveHost(this.sim, host)).up;
  }

  /** The simulation's trace so far (keyframes and messages included). */
  trace(): { header: TraceHeader; records: TraceRecord[] } {
    return { header: this.header(), records: this.sim.trace.records() };
  }

  // ---- assertions and notes ----------------------------------------------------------------------

  /**
   * Check a condition. A failure is recorded (trace note, with the scenario time and the last relevant
   * events) and the script goes on; the run then exits 1. Returns the condition.
   */
  expect(cond: boolean, message: string, opts: { node?: string } = {}): boolean {
    const node = opts.node !== undefined ? resolveNode(this.sim, opts.node).name : undefined;
    return checkExpect(this, (r) => this.sim.record(r), cond, message, () => this.lastEvents(8, node));
  }

  /** expect(actual equals expected) by value; a Resp is compared as its plain JS value (see js()). */
  expectEqual(actual: unknown, expected: unknown, message: string, opts: { node?: string } = {}): boolean {
    const m = expectEqualMessage(actual, expected, message);
    return this.expect(m === null, m ?? message, opts);
  }

  /** A free-form note in the trace (shown in the log). */
  note(text: string): void {
    this.ensureStarted();
    this.sim.record({ t: this.sim.now, k: 'note', what: 'note', data: { text } });
  }

  /** A note with structured data (does not start the cluster: a note before the first step stays before it). */
  noteData(what: string, data: unknown): void {
    this.sim.record({ t: this.sim.now, k: 'note', what, data });
  }

  // ---- hooks for clients and workloads ---------------------------------------------------------

  /**
   * An application host running the user's own code (real ioredis / node-redis) in virtual time; needs the
   * Node guest runtime (import 'sentinel-sim/guest'). Add it before the first time step. docs/guest-apps.md.
   */
  app(name: string, opts: AppOptions, fn?: AppFunction): AppHandle {
    return simApp(this, name, opts, fn);
  }

  /** Run when the script ends (before the final summary), e.g. a workload's final read. */
  onFinish(fn: () => void): void {
    this.finishHooks.push(fn);
  }

  /** A workload's history, summed into the summary's client ops. */
  addHistorySource(src: HistorySource): void {
    this.historySources.push(src);
  }

  /** Every trace record from now on (messages and keyframes included), as it is appended. */
  onRecord(fn: (r: TraceRecord) => void): void {
    this.sim.trace.subscribe(fn);
  }

  /** Run `fn` once the current event is over, at the same virtual instant. */
  afterEvent(fn: () => void): void {
    this.sim.sched.after(0, fn);
  }

  /** Sentinel-aware client processes (engine/client) on client boxes: see workloads.ts addClients. */
  addClients(o: ScenarioClientsOptions): ScenarioClient[] {
    return simAddClients(this, o);
  }

  /** A workload on clients of addClients: see workloads.ts startWorkload. */
  startWorkload(clients: ScenarioClient[], opts: WorkloadOptions): ScenarioWorkload {
    return simStartWorkload(this, clients, opts);
  }

  /** @internal the runner lets finish hooks run past --until. */
  liftUntil(): void {
    this.untilUs = Infinity;
  }

  /** @internal the runner's end of run: finish hooks, then the summed client ops. */
  runFinishHooks(): void {
    for (const fn of this.finishHooks.splice(0)) fn();
  }
}
