// The world: scheduler + seeded streams + network + hosts/processes + trace, and the fault API (design.md).
import { Network, type Listener, type NetWorld } from '../net/network.ts';
import type { LinkConfig, NetworkOptions } from '../net/types.ts';
import { daysFromCivil } from '../trace/logformat.ts';
import { Trace, type TraceOptions } from '../trace/trace.ts';
import { TRACE_FORMAT, TRACE_VERSION, type TraceRecord } from '../trace/types.ts';
import { Host, type HostClockOptions } from './host.ts';
import { ProcSlot, type ProcessFactory, type ProcessKind, type ProcessSink } from './process.ts';
import { Rng } from './rng.ts';
import { Scheduler } from './scheduler.ts';
import { parseDuration, type Micros } from './time.ts';

export interface SimulationOptions {
  seed?: string | number;
  scenario?: string;
  /** Wall-clock instant (ms since 1970) of virtual time 0; default 2026-11-25 00:00:00 UTC. */
  epochMs?: number;
  trace?: TraceOptions;
  net?: NetworkOptions;
  maxEvents?: number;
  /** Record a keyframe of every node's visible state this often (ms of virtual time); 0 = never. */
  keyframeEveryMs?: number;
}

export const DEFAULT_EPOCH_MS = daysFromCivil(2026, 11, 25) * 86_400_000;

export class Simulation implements NetWorld, ProcessSink {
  readonly seed: string;
  readonly scenario: string;
  readonly epochMs: number;
  readonly sched: Scheduler;
  readonly rng: Rng;
  readonly net: Network;
  readonly trace: Trace;
  readonly hosts = new Map<string, Host>();
  /** Process slots by "ip:port". */
  readonly procs = new Map<string, ProcSlot>();
  private pidCounter = 0;
  private headerWritten = false;
  private keyframeEveryUs: Micros;

  constructor(opts: SimulationOptions = {}) {
    this.seed = String(opts.seed ?? 1);
    this.scenario = opts.scenario ?? 'unnamed';
    this.epochMs = opts.epochMs ?? DEFAULT_EPOCH_MS;
    this.sched = new Scheduler({ maxEvents: opts.maxEvents });
    this.rng = new Rng(this.seed);
    this.trace = new Trace(opts.trace);
    this.net = new Network(this.sched, this.rng.fork('net'), this, opts.net);
    this.pidCounter = 1000 + this.rng.fork('pid').int(0, 20000);
    this.keyframeEveryUs = Math.round((opts.keyframeEveryMs ?? 0) * 1000);
    if (this.trace.messages) {
      this.net.observer = (m) => this.record({ t: this.sched.now, k: 'msg', ...m });
      this.net.connObserver = (c) => this.record({ t: this.sched.now, k: 'conn', ...c });
    }
  }

  get now(): Micros {
    return this.sched.now;
  }

  // ---- building the world -------------------------------------------------------------------

  addHost(name: string, ip: string, clock?: HostClockOptions): Host {
    if (this.hosts.has(name)) throw new Error(`duplicate host name '${name}'`);
    const h = new Host(name, ip, this.epochMs * 1000, clock);
    this.hosts.set(name, h);
    return h;
  }

  addProcess(host: Host | string, port: number, kind: ProcessKind, factory: ProcessFactory, opts: { ip?: string } = {}): ProcSlot {
    const h = typeof host === 'string' ? this.host(host) : host;
    const ip = opts.ip ?? h.ip;
    const name = `${ip}:${port}`;
    if (this.procs.has(name)) throw new Error(`address ${name} is already used by another process`);
    const slot = new ProcSlot(h, ip, port, kind, factory, this.sched, this.net, this, this.rng.fork(`proc/${name}`));
    slot.restartOnBoot = true;
    this.procs.set(name, slot);
    return slot;
  }

  host(name: string): Host {
    const h = this.hosts.get(name) ?? this.procs.get(name)?.host;
    if (!h) throw new Error(`unknown host or node '${name}'`);
    return h;
  }

  proc(name: string): ProcSlot {
    const p = this.procs.get(name);
    if (!p) throw new Error(`unknown node '${name}' (known: ${[...this.procs.keys()].join(', ')})`);
    return p;
  }

  /** Write the trace header (done automatically by the first run/start). */
  writeHeader(): void {
    if (this.headerWritten) return;
    this.headerWritten = true;
    this.trace.setHeader({
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      seed: this.seed,
      scenario: this.scenario,
      epochMs: this.epochMs,
      detail: this.trace.detail,
      topology: {
        hosts: [...this.hosts.values()].map((h) => ({ name: h.name, ip: h.ip })),
        nodes: [...this.procs.values()].map((p) => ({ name: p.name, kind: p.kind, host: p.host.name })),
      },
    });
    if (this.keyframeEveryUs > 0) this.scheduleKeyframe();
  }

  record(rec: TraceRecord): void {
    this.writeHeader();
    this.trace.append(rec);
  }

  // ---- NetWorld ------------------------------------------------------------------------------

  listener(ip: string, port: number): Listener | undefined {
    const p = this.procs.get(`${ip}:${port}`);
    if (!p || p.state === 'stopped' || !p.listening || !p.ctx || !p.host.up) return undefined;
    const slot = p;
    return {
      owner: p.ctx,
      accept: (conn) => {
        const inst = slot.instance;
        if (inst?.onConnection) inst.onConnection(conn);
        else conn.close();
      },
    };
  }

  hostFor(ip: string, port: number, from: { ip: string } & object): Host | undefined {
    const p = this.procs.get(`${ip}:${port}`);
    if (p) return p.host;
    if ((from as Host).ip === ip && this.hosts.get((from as Host).name) === from) return from as Host;
    for (const h of this.hosts.values()) if (h.ip === ip) return h;
    return undefined;
  }

  // ---- ProcessSink ---------------------------------------------------------------------------

  nextPid(): number {
    return ++this.pidCounter;
  }

  log(proc: ProcSlot, level: string, line: string, event: string | null): void {
    this.record({
      t: this.sched.now,
      k: 'log',
      node: proc.name,
      kind: proc.kind,
      pid: proc.pid,
      role: proc.instance?.roleChar?.() ?? (proc.kind === 'sentinel' ? 'X' : proc.kind === 'server' ? 'M' : 'C'),
      wall: proc.host.mstime(this.sched.now),
      level,
      event,
      line,
    });
  }

  note(proc: ProcSlot, what: string, data: unknown): void {
    this.record({ t: this.sched.now, k: 'note', node: proc.name, what, data });
  }

  exited(proc: ProcSlot, code: number, reason: string): void {
    this.record({ t: this.sched.now, k: 'proc', node: proc.name, ev: 'exit', reason: `${reason} (exit ${code})` });
  }

  // ---- lifecycle and faults ------------------------------------------------------------------

  start(name: string): void {
    const p = this.proc(name);
    this.record({ t: this.now, k: 'proc', node: p.name, ev: 'start' });
    p.start();
  }

  /** Start every process that is stopped on a live host. */
  startAll(): void {
    for (const p of this.procs.values()) if (p.state === 'stopped' && p.host.up) this.start(p.name);
  }

  private fault(fault: string, target?: string, args?: Record<string, unknown>): void {
    this.record({ t: this.now, k: 'fault', fault, target, args });
  }

  /** kill -9 (or SIGQUIT without save): memory lost, disk kept, peers see resets. */
  kill(name: string): void {
    const p = this.proc(name);
    this.fault('kill', p.name);
    if (p.state === 'stopped') return;
    p.terminate(false, 'kill');
    this.record({ t: this.now, k: 'proc', node: p.name, ev: 'crash' });
  }

  restart(name: string): void {
    const p = this.proc(name);
    this.fault('restart', p.name);
    if (p.state !== 'stopped') {
      p.terminate(false, 'restart');
      this.record({ t: this.now, k: 'proc', node: p.name, ev: 'crash' });
    }
    this.start(p.name);
  }

  pause(name: string): void {
    const p = this.proc(name);
    this.fault('pause', p.name);
    p.pause();
    this.record({ t: this.now, k: 'proc', node: p.name, ev: 'pause' });
  }

  resume(name: string): void {
    const p = this.proc(name);
    this.fault('resume', p.name);
    p.resume();
    this.record({ t: this.now, k: 'proc', node: p.name, ev: 'resume' });
  }

  /** Power off a machine: its processes die silently, it stops answering (time-outs, not refusals). */
  hostDown(name: string): void {
    const h = this.host(name);
    this.fault('host-down', h.name);
    if (!h.up) return;
    h.up = false;
    this.net.topologyChanged();
    for (const p of this.procs.values()) {
      if (p.host !== h) continue;
      const wasUp = p.state !== 'stopped';
      p.terminate(true, 'host-down');
      if (wasUp) this.record({ t: this.now, k: 'proc', node: p.name, ev: 'host-down' });
    }
  }

  /** Power the machine back on: processes marked restartOnBoot start again from their disk. */
  hostUp(name: string): void {
    const h = this.host(name);
    this.fault('host-up', h.name);
    if (h.up) return;
    h.up = true;
    this.net.reachabilityChanged();
    for (const p of this.procs.values()) {
      if (p.host !== h || !p.restartOnBoot || p.state !== 'stopped') continue;
      this.record({ t: this.now, k: 'proc', node: p.name, ev: 'host-up' });
      p.start();
    }
  }

  private allHosts(): Host[] {
    return [...this.hosts.values()];
  }

  /** Cut the network between groups (each a list of host or node names). */
  partition(groups: string[][]): void {
    const hs = groups.map((g) => g.map((n) => this.host(n)));
    this.fault('partition', undefined, { groups: hs.map((g) => g.map((h) => h.name)) });
    this.net.partition(hs, this.allHosts());
  }

  isolate(name: string): void {
    const h = this.host(name);
    this.fault('isolate', h.name);
    this.net.isolate(h, this.allHosts());
  }

  /** One-way cut: nothing from `from` reaches `to`. */
  block(from: string, to: string): void {
    const a = this.host(from);
    const b = this.host(to);
    this.fault('block', a.name, { to: b.name });
    this.net.block(a, b);
  }

  heal(): void {
    this.fault('heal');
    this.net.heal();
  }

  setLink(a: string, b: string, link: Partial<LinkConfig>, oneWay = false): void {
    const ha = this.host(a);
    const hb = this.host(b);
    this.fault('set-link', ha.name, { to: hb.name, ...link, oneWay });
    this.net.setLink(ha, hb, link, oneWay);
  }

  setDefaultLink(link: Partial<LinkConfig>): void {
    this.fault('set-link', undefined, { ...link });
    this.net.setDefaultLink(link);
  }

  clockJump(name: string, deltaMs: number): void {
    const h = this.host(name);
    this.fault('clock-jump', h.name, { deltaMs });
    h.clockJump(deltaMs);
  }

  // ---- running -------------------------------------------------------------------------------

  run(opts: { until?: Micros | string; forMs?: number | string } = {}): void {
    this.writeHeader();
    let until: Micros | undefined;
    if (opts.until !== undefined) until = typeof opts.until === 'string' ? parseDuration(opts.until) : opts.until;
    if (opts.forMs !== undefined) until = this.now + parseDuration(opts.forMs);
    this.sched.run({ until });
  }

  /** Advance virtual time by a duration ("5s", 1500, ...). */
  sleep(d: number | string): void {
    this.run({ forMs: d });
  }

  step(): boolean {
    this.writeHeader();
    return this.sched.step();
  }

  runUntil(pred: () => boolean, opts: { timeout?: number | string; what?: string } = {}): void {
    this.writeHeader();
    const timeout = opts.timeout === undefined ? undefined : parseDuration(opts.timeout);
    this.sched.runUntil(pred, { timeout, what: opts.what });
  }

  keyframe(): void {
    const nodes: Record<string, unknown> = {};
    for (const p of this.procs.values()) {
      nodes[p.name] = {
        state: p.state,
        hostUp: p.host.up,
        pid: p.pid,
        view: p.instance?.snapshot?.() ?? null,
      };
    }
    this.record({ t: this.now, k: 'keyframe', nodes, cuts: this.net.cuts() });
  }

  private scheduleKeyframe(): void {
    this.sched.after(this.keyframeEveryUs, () => {
      this.keyframe();
      // keep keyframes from keeping an otherwise finished simulation alive forever
      if (this.sched.pending > 0) this.scheduleKeyframe();
    });
  }
}
