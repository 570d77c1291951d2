// The script's side of a real run, in a worker thread: RealRun (a ScenarioExecutor) answers the script
// synchronously by blocking on the world's thread (channel.ts). sleep = block while the world's event loop runs
// on; waitFor / waitUntil = fetch the new records every POLL_MS and evaluate the predicate here (so function
// predicates work); exec / role / view / faults = one call each. Then the same end of run as the simulator's
// runner: idle time up to --until, finish hooks, client ops, a final keyframe, the run-end note.
import type { WorkloadOptions } from '../../engine/client/workload.ts';
import type { Resp } from '../../engine/net/resp.ts';
import { formatClock, parseDuration, type Micros } from '../../engine/sim/time.ts';
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import type { ExecOptions } from '../../scenarios/api/admin.ts';
import type { HistorySource, ScenarioClient, ScenarioClientsOptions, ScenarioExecutor, ScenarioWorkload, WaitOptions, WaitTarget } from '../../scenarios/api/executor.ts';
import { driveScript } from '../../scenarios/api/drive.ts';
import { execFault } from '../../scenarios/api/exec-faults.ts';
import { cutLinks, masterAddrOf, roleWord } from '../../scenarios/api/reads.ts';
import { checkExpect, expectEqualMessage } from '../../scenarios/api/expect.ts';
import { toLink, signedMs, type LinkOptions } from '../../scenarios/api/faults.ts';
import { lastEventsText, lastRelevant, selectEvents, waitPlan, type EventQuery, type RecordPredicate } from '../../scenarios/api/match.ts';
import { resolveHost, resolveNode, ScenarioError, type NamedProc } from '../../scenarios/api/nodes.ts';
import { StopRun } from '../../scenarios/api/run.ts';
import type { ClusterSpec, Duration } from '../../scenarios/api/spec.ts';
import type { RunStatus } from '../../scenarios/api/summary.ts';
import { RealAborted, SyncChannel, type Reply } from './channel.ts';
import { realAddClients, realStartWorkload } from './clients-script.ts';

/** An at() this late (µs) on real time is still run (at once, with a 'late' note); later, the script is wrong. */
const LATE_AT_US = 1_000_000;

/** How often a waiting script looks at the new records (ms of real time). */
export const POLL_MS = 30;
const DEFAULT_WAIT = '60s';

interface TopoProc extends NamedProc {
  readonly kind: 'server' | 'sentinel' | 'client';
}

export class RealRun implements ScenarioExecutor {
  readonly masterName: string | null;
  readonly initialMaster: string | null;
  readonly servers: string[];
  readonly sentinels: string[];
  readonly failures: string[] = [];
  readonly historySources: HistorySource[] = [];
  /** Processes and hosts by name, for resolving references ("7003", "redis1", "127.0.0.1:7003"). */
  readonly topo: { procs: Map<string, TopoProc>; hosts: Map<string, { ip: string }> };
  private nowUs: Micros = 0;
  private started = false;
  private advancing = false;
  private untilUs: Micros;
  private readonly execTimeoutUs: Micros;
  private readonly history: TraceRecord[] = [];
  /** Every record, keyframes included (trace()). */
  private readonly all: TraceRecord[] = [];
  private mark = 0;
  private matcher: RecordPredicate | null = null;
  private matched: TraceRecord | null = null;
  private readonly subscribers: ((r: TraceRecord) => void)[] = [];
  private readonly deferred: (() => void)[] = [];
  private readonly inbox: TraceRecord[] = [];
  private draining = false;
  private readonly finishHooks: (() => void)[] = [];
  private headerCache: TraceHeader | null = null;

  constructor(
    readonly spec: ClusterSpec,
    readonly ch: SyncChannel,
    opts: { untilUs?: Micros; execTimeout?: Duration } = {},
  ) {
    ch.onReply = (r: Reply) => {
      if (r.now > this.nowUs) this.nowUs = r.now;
      for (const x of r.recs) this.inbox.push(x);
    };
    this.masterName = spec.masterName;
    this.initialMaster = spec.initialMaster;
    const procs = new Map<string, TopoProc>();
    const hosts = new Map<string, { ip: string }>();
    for (const h of spec.hosts) hosts.set(h.name, { ip: h.ip });
    for (const n of spec.nodes) {
      const ip = hosts.get(n.host)!.ip;
      procs.set(`${ip}:${n.port}`, { name: `${ip}:${n.port}`, kind: n.kind, port: n.port, host: { name: n.host } });
    }
    this.topo = { procs, hosts };
    this.servers = [...procs.values()].filter((p) => p.kind === 'server').map((p) => p.name);
    this.sentinels = [...procs.values()].filter((p) => p.kind === 'sentinel').map((p) => p.name);
    this.untilUs = opts.untilUs ?? Infinity;
    this.execTimeoutUs = parseDuration(opts.execTimeout ?? '5s');
  }

  /** The simulator's internals do not exist here: say so instead of failing on `undefined`. */
  get sim(): never {
    throw new ScenarioError("s.sim is the simulator's internals, not available on real Redis: use the ScenarioExecutor calls (s.header(), s.records(), s.view(), s.isRunning(), …)");
  }

  // ---- the channel ------------------------------------------------------------------------------------

  /** One call to the world, then the records it brought are handed to the history, the waiters and the subscribers. */
  call<T = unknown>(op: string, args: unknown = null): T {
    let v: T;
    try {
      v = this.ch.call<T>(op, args);
    } catch (e) {
      if (e instanceof RealAborted) throw e;
      if ((e as Error).name === 'ScenarioError') throw new ScenarioError((e as Error).message);
      throw e;
    } finally {
      this.drain();
    }
    return v;
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.inbox.length > 0) {
        const r = this.inbox.shift()!;
        this.all.push(r);
        if (r.k !== 'msg' && r.k !== 'keyframe') this.history.push(r);
        if (this.matcher && this.matched === null && this.matcher(r)) this.matched = r;
        for (const f of this.subscribers) f(r);
        if (this.inbox.length === 0) while (this.deferred.length > 0) this.deferred.shift()!();
      }
    } finally {
      this.draining = false;
    }
  }

  // ---- time ---------------------------------------------------------------------------------------------

  get now(): Micros {
    return this.nowUs;
  }

  clock(): string {
    return formatClock(this.nowUs);
  }

  ensureStarted(): void {
    if (this.started) return;
    this.started = true;
    this.call('start');
  }

  private guard(): void {
    if (this.advancing) throw new ScenarioError('time cannot advance inside a waitFor predicate');
  }

  private beforeFault(): void {
    if (this.advancing) throw new ScenarioError('faults cannot be injected from inside a waitFor predicate');
    this.ensureStarted();
  }

  sleep(d: Duration): void {
    this.advanceTo(this.nowUs + parseDuration(d));
  }

  at(t: Duration): void {
    const target = parseDuration(t);
    if (target < this.nowUs) {
      // real time: a waitFor that returned late (a loaded machine) makes the next step a little late, not wrong
      if (this.nowUs - target > LATE_AT_US) throw new ScenarioError(`at(${formatClock(target)}): the scenario is already at ${this.clock()}`);
      this.noteData('late', { text: `at(${formatClock(target)}) came ${((this.nowUs - target) / 1000).toFixed(0)} ms late`, target, at: this.nowUs });
      return;
    }
    this.advanceTo(target);
  }

  /** @internal let real time pass until `target` µs since the start. */
  advanceTo(target: Micros): void {
    this.guard();
    this.ensureStarted();
    this.advancing = true;
    try {
      const end = Math.min(target, this.untilUs);
      while (this.nowUs < end) this.call('poll', { untilUs: end, maxMs: POLL_MS });
    } finally {
      this.advancing = false;
      this.mark = this.history.length;
    }
    if (target > this.untilUs) throw new StopRun(`stopped at ${this.clock()} (--until)`);
  }

  /** Poll until `done()` or the deadline; false on the deadline. Throws StopRun if --until comes first. */
  advanceUntil(done: () => boolean, deadlineUs: Micros): boolean {
    this.guard();
    this.ensureStarted();
    this.advancing = true;
    const limit = Math.min(deadlineUs, this.untilUs);
    try {
      for (;;) {
        if (done()) return true;
        if (this.nowUs >= limit) break;
        this.call('poll', { untilUs: limit, maxMs: POLL_MS });
      }
    } finally {
      this.advancing = false;
      this.mark = this.history.length;
    }
    if (deadlineUs > this.untilUs) throw new StopRun(`stopped at ${this.clock()} (--until)`);
    return false;
  }

  waitFor(target: WaitTarget, opts: WaitOptions = {}): TraceRecord | null {
    const timeoutUs = parseDuration(opts.timeout ?? DEFAULT_WAIT);
    this.ensureStarted();
    const since = this.nowUs;
    const node = opts.node !== undefined ? resolveNode(this.topo, opts.node).name : undefined;
    const plan = waitPlan(target, node, opts.match);
    let done: () => boolean;
    if (plan.kind === 'cond') done = plan.cond;
    else {
      const m = plan.pred;
      const already = this.history.slice(this.mark).find(m);
      if (already) return already;
      this.matcher = m;
      this.matched = null;
      done = () => this.matched !== null;
    }
    try {
      if (this.advanceUntil(done, this.nowUs + timeoutUs)) return this.matched;
    } finally {
      this.matcher = null;
    }
    throw new ScenarioError(`waitFor(${plan.desc}) timed out after ${timeoutUs / 1e6}s (waiting since ${formatClock(since)})\n${lastEventsText(this.lastEvents(8, node))}`);
  }

  waitUntil(cond: () => boolean, opts: Pick<WaitOptions, 'timeout'> = {}): void {
    this.waitFor(() => cond(), opts);
  }

  // ---- observation --------------------------------------------------------------------------------------

  events(filter?: string | EventQuery | RecordPredicate): TraceRecord[] {
    return selectEvents(this.history, filter, (ref) => resolveNode(this.topo, ref).name, parseDuration);
  }

  lastEvents(n = 8, node?: string): TraceRecord[] {
    return lastRelevant(this.history, n, node, (name) => this.topo.procs.get(name)?.kind === 'client');
  }

  records(): TraceRecord[] {
    return this.history.slice();
  }

  header(): TraceHeader {
    this.ensureStarted();
    this.headerCache ??= this.call<TraceHeader>('header');
    return this.headerCache;
  }

  exec(node: string, ...args: (string | number | ExecOptions)[]): Resp {
    const opts: ExecOptions = args.length > 0 && typeof args[0] === 'object' ? (args.shift() as ExecOptions) : {};
    const argv = args.map((a) => String(a));
    if (argv.length === 0) throw new ScenarioError('exec: no command given');
    const slot = resolveNode(this.topo, node);
    this.guard();
    this.ensureStarted();
    const timeoutUs = opts.timeout !== undefined ? parseDuration(opts.timeout) : this.execTimeoutUs;
    const fault = slot.kind === 'server' ? execFault(this.nowUs, slot.name, argv) : null;
    if (fault) this.record(fault);
    return this.call<Resp>('exec', { node: slot.name, argv, auth: opts.auth, db: opts.db, timeoutMs: timeoutUs / 1000 });
  }

  private state(name: string): { state: 'running' | 'paused' | 'stopped'; hostUp: boolean } {
    this.ensureStarted();
    return this.call<{ state: 'running' | 'paused' | 'stopped'; hostUp: boolean }>('state', { node: name });
  }

  processState(node: string): { state: 'running' | 'paused' | 'stopped'; hostUp: boolean } {
    const st = this.state(resolveNode(this.topo, node).name);
    return { state: st.state, hostUp: st.hostUp };
  }

  hostIsUp(host: string): boolean {
    this.ensureStarted();
    return this.call<boolean>('hostUp', { host: resolveHost(this.topo, host) });
  }

  trace(): { header: TraceHeader; records: TraceRecord[] } {
    return { header: this.header(), records: this.all.slice() };
  }

  role(node: string): string {
    const slot = resolveNode(this.topo, node, 'server');
    const st = this.state(slot.name);
    if (st.state === 'stopped' || !st.hostUp) return 'down';
    if (st.state === 'paused') return 'paused';
    return roleWord(this.exec(slot.name, 'ROLE'), slot.name);
  }

  masterAddr(sentinel: string, master: string | null = this.masterName): string | null {
    if (!master) throw new ScenarioError('masterAddr: no master name (the cluster has no Sentinel monitor line)');
    const slot = resolveNode(this.topo, sentinel, 'sentinel');
    return masterAddrOf(this.exec(slot.name, 'SENTINEL', 'get-master-addr-by-name', master), slot.name);
  }

  sentinelFailover(sentinel?: string, master: string | null = this.masterName): Resp {
    if (!master) throw new ScenarioError('sentinelFailover: no master name');
    const ref = sentinel ?? this.sentinels[0];
    if (ref === undefined) throw new ScenarioError('sentinelFailover: the cluster has no Sentinel');
    const slot = resolveNode(this.topo, ref, 'sentinel');
    this.beforeFault();
    this.record({ t: this.nowUs, k: 'fault', fault: 'sentinel-failover', target: slot.name, args: { master } });
    return this.exec(slot.name, 'SENTINEL', 'FAILOVER', master);
  }

  view(node: string): unknown {
    const slot = resolveNode(this.topo, node);
    this.ensureStarted();
    return this.call('view', { node: slot.name });
  }

  isRunning(node: string): boolean {
    const slot = resolveNode(this.topo, node);
    const st = this.state(slot.name);
    return st.state === 'running' && st.hostUp;
  }

  // ---- assertions and notes -----------------------------------------------------------------------------

  /** @internal append a record (the world stamps it with its time if this one is behind). */
  record(r: TraceRecord): void {
    this.call('record', r);
  }

  expect(cond: boolean, message: string, opts: { node?: string } = {}): boolean {
    const node = opts.node !== undefined ? resolveNode(this.topo, opts.node).name : undefined;
    return checkExpect(this, (r) => this.record(r), cond, message, () => this.lastEvents(8, node));
  }

  expectEqual(actual: unknown, expected: unknown, message: string, opts: { node?: string } = {}): boolean {
    const m = expectEqualMessage(actual, expected, message);
    return this.expect(m === null, m ?? message, opts);
  }

  note(text: string): void {
    this.ensureStarted();
    this.record({ t: this.nowUs, k: 'note', what: 'note', data: { text } });
  }

  noteData(what: string, data: unknown): void {
    this.record({ t: this.nowUs, k: 'note', what, data });
  }

  // ---- hooks ---------------------------------------------------------------------------------------------

  onFinish(fn: () => void): void {
    this.finishHooks.push(fn);
  }

  addHistorySource(src: HistorySource): void {
    this.historySources.push(src);
  }

  onRecord(fn: (r: TraceRecord) => void): void {
    this.subscribers.push(fn);
  }

  afterEvent(fn: () => void): void {
    this.deferred.push(fn);
  }

  /** @internal the runner lets finish hooks run past --until. */
  liftUntil(): void {
    this.untilUs = Infinity;
  }

  /** @internal */
  runFinishHooks(): void {
    for (const fn of this.finishHooks.splice(0)) fn();
  }

  // ---- clients -------------------------------------------------------------------------------------------

  addClients(o: ScenarioClientsOptions): ScenarioClient[] {
    return realAddClients(this, o);
  }

  startWorkload(clients: ScenarioClient[], opts: WorkloadOptions): ScenarioWorkload {
    return realStartWorkload(this, clients, opts);
  }

  /** @internal a client host known to the world (and to name resolution). */
  addClientProc(name: string, host: string, ip: string): void {
    if (!this.topo.hosts.has(host)) this.topo.hosts.set(host, { ip });
    this.topo.procs.set(name, { name, kind: 'client', port: Number(name.slice(name.lastIndexOf(':') + 1)), host: { name: host } });
  }

  // ---- faults --------------------------------------------------------------------------------------------

  node(ref: string | number): string {
    return resolveNode(this.topo, ref).name;
  }

  host(ref: string | number): string {
    return resolveHost(this.topo, ref);
  }

  private fault(name: string, args: unknown): void {
    this.beforeFault();
    this.call('fault', { name, args });
  }

  kill(node: string): void {
    this.fault('kill', this.node(node));
  }

  restart(node: string): void {
    this.fault('restart', this.node(node));
  }

  start(node: string): void {
    this.fault('start', this.node(node));
  }

  pause(node: string): void {
    this.fault('pause', this.node(node));
  }

  resume(node: string): void {
    this.fault('resume', this.node(node));
  }

  hostDown(host: string): void {
    this.fault('hostDown', this.host(host));
  }

  hostUp(host: string): void {
    this.fault('hostUp', this.host(host));
  }

  partition(...groups: (string[] | string[][])[]): void {
    const gs = (groups.length === 1 && Array.isArray(groups[0]![0]) ? groups[0] : groups) as string[][];
    if (gs.length === 0) throw new ScenarioError('partition: no groups given');
    this.fault('partition', gs.map((g) => [...new Set(g.map((r) => this.host(r)))]));
  }

  cut(a: string[], b: string[]): void {
    this.beforeFault();
    // one step, one firewall transaction (RealWorld.blocks): the simulator cuts every link at one instant
    this.fault('blocks', cutLinks(a, b, (r) => this.host(r)));
  }

  isolate(host: string): void {
    this.fault('isolate', this.host(host));
  }

  block(from: string, to: string): void {
    this.fault('block', [this.host(from), this.host(to)]);
  }

  heal(): void {
    this.fault('heal', null);
  }

  setLink(a: string | LinkOptions, b?: string, o?: LinkOptions, opts: { oneWay?: boolean } = {}): void {
    this.beforeFault();
    if (typeof a === 'object') return this.fault('setLink', { a: null, b: null, link: toLink(a), oneWay: false });
    if (b === undefined || o === undefined) throw new ScenarioError('setLink(a, b, {latency, loss, ...}) needs two hosts and the link options');
    this.fault('setLink', { a: this.host(a), b: this.host(b), link: toLink(o), oneWay: opts.oneWay ?? false });
  }

  clockJump(host: string, delta: Duration): void {
    this.fault('clockJump', { host: this.host(host), deltaMs: signedMs(delta) });
  }
}

/** The end of a real run as the simulator's runner ends one; returns the status (the records are the world's). */
export function runRealScript(script: (s: RealRun) => void, run: RealRun, untilUs: Micros | undefined): { status: RunStatus; error: string | null } {
  const end = driveScript(run, () => script(run), untilUs, {
    record: (r) => run.record(r),
    keyframe: () => run.call('keyframe'),
    rethrow: (e) => e instanceof RealAborted,
  });
  return { status: end.status, error: end.error?.message ?? null };
}
