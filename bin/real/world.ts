// The real world of a real run, on the thread that called runReal (whose event loop stays free): redis-server
// processes on loopback aliases, their log lines (stdout, parsed into log records with the scenario's addresses),
// the admin client, views for the invariants, faults (signals, iptables), client workloads, and cleanup.
// Times: `t` = µs since the cluster started, on this thread's monotonic clock, stamped when a record is known
// (a log line when it arrives through the pipe, well under a millisecond after Redis wrote it), so records are
// appended in time order.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Resp } from '../../engine/net/resp.ts';
import type { ProcessState } from '../../engine/sim/process.ts';
import { formatClock, type Micros } from '../../engine/sim/time.ts';
import { TRACE_FORMAT, TRACE_VERSION, type LogRecord, type ProcRecord, type TraceHeader, type TraceRecord } from '../../engine/trace/types.ts';
import { ScenarioError } from '../../scenarios/api/nodes.ts';
import type { ClusterSpec } from '../../scenarios/api/spec.ts';
import { CLOCK_FILE_ENV, HostClock } from './clock.ts';
import { RealConfigError, RealTopology, rewriteConfig, type RealNodeSpec } from './config.ts';
import { dropRule, type Firewall, type Rule } from './firewall.ts';
import { callPipeline, canConnect, decodeResp } from './resp.ts';

export interface WorldOptions {
  redisServer: string;
  workDir: string;
  scenario: string;
  seed: string;
  /** null: network faults are skipped (with `firewallReason`). */
  firewall: Firewall | null;
  firewallReason: string | null;
  /** The clock preload library (clock.ts); null: clock jumps are skipped (with `clockReason`). */
  clockLib?: string | null;
  clockReason?: string | null;
  /** Every record as it is appended (in time order). */
  onRecord?: (r: TraceRecord) => void;
}

interface Proc {
  spec: RealNodeSpec;
  dir: string;
  confPath: string;
  child: ChildProcess | null;
  state: ProcessState;
  pid: number;
  /** Incarnations we ended ourselves (their exit is not news). */
  ours: Set<ChildProcess>;
  /** Last role character seen in its log. */
  role: string;
}

const LOG_RE = /^(\d+):([A-Z]) (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) ([.\-*#]) (.*)$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const EVENT_RE = /^[+-][a-z][a-z0-9-]*$/i;

/** Redis's log line "pid:R dd Mon yyyy hh:mm:ss.mmm L text" (the processes run with TZ=UTC). */
export function parseLogLine(line: string): { pid: number; role: string; wall: number; level: string; text: string } | null {
  const m = LOG_RE.exec(line);
  if (!m) return null;
  const mon = MONTHS.indexOf(m[4]!);
  if (mon < 0) return null;
  const wall = Date.UTC(Number(m[5]), mon, Number(m[3]), Number(m[6]), Number(m[7]), Number(m[8]), Number(m[9]));
  return { pid: Number(m[1]), role: m[2]!, wall, level: m[10]!, text: m[11]! };
}

/** How long a log line is held back to be put in order with the other processes' lines (µs). */
const HOLD_US = 20_000;

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A time limit for a race: does not keep the process alive once the race is won. */
const limit = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export class RealWorld {
  readonly topo: RealTopology;
  readonly records: TraceRecord[] = [];
  readonly skipped: string[] = [];
  header: TraceHeader | null = null;
  private readonly procs = new Map<string, Proc>();
  private readonly downHosts = new Set<string>();
  /** One-way cuts "from>to" between host names. */
  private readonly cuts = new Set<string>();
  private defaultLoss = 0;
  private readonly pairLoss = new Map<string, number>();
  private t0 = 0;
  /** Wall clock (ms since 1970, fractional) at t0: maps Redis's log timestamps to times since the start. */
  private wall0 = 0;
  private lastT = 0;
  private held: { rec: LogRecord; arrival: Micros }[] = [];
  private holdTimer: NodeJS.Timeout | null = null;
  private started = false;
  private closed = false;
  private frozen = false;
  private readonly clientNodes: { name: string; host: string }[] = [];
  /** Each host's wall-clock offset (a control file its processes map), when clock jumps are available. */
  private readonly clocks = new Map<string, HostClock>();

  constructor(
    readonly spec: ClusterSpec,
    readonly opts: WorldOptions,
  ) {
    this.topo = new RealTopology(spec);
    mkdirSync(join(opts.workDir, 'nodes'), { recursive: true });
    if (opts.clockLib) mkdirSync(join(opts.workDir, 'clock'), { recursive: true });
    for (const n of this.topo.nodes) {
      const dir = join(opts.workDir, 'nodes', `${n.host}-${n.port}`.replace(/[^A-Za-z0-9._-]/g, '_'));
      mkdirSync(dir, { recursive: true });
      const confPath = join(dir, n.kind === 'sentinel' ? 'sentinel.conf' : 'redis.conf');
      const { text, dropped } = rewriteConfig(n, this.topo, dir);
      writeFileSync(confPath, text);
      for (const d of dropped) this.skipped.push(d);
      this.procs.set(n.name, { spec: n, dir, confPath, child: null, state: 'stopped', pid: 0, ours: new Set(), role: n.kind === 'sentinel' ? 'X' : 'M' });
    }
  }

  // ---- time and records -------------------------------------------------------------------------------

  /** µs since the cluster started (0 before), on this thread's monotonic clock. */
  now(): Micros {
    if (!this.started) return 0;
    return Math.max(this.lastT, Math.round((performance.now() - this.t0) * 1000));
  }

  /** After the run-end note: nothing more is recorded (the dying processes' last lines are not part of the run). */
  freeze(): void {
    if (this.keyframeTimer) clearInterval(this.keyframeTimer);
    this.keyframeTimer = null;
    this.flushHeld(true);
    this.frozen = true;
  }

  /** Append a record now (log lines still held back go first). */
  record(r: TraceRecord): void {
    if (this.frozen || this.closed) return;
    this.flushHeld(true);
    this.append(r);
  }

  private append(r: TraceRecord): void {
    if (r.t < this.lastT) r.t = this.lastT;
    this.lastT = r.t;
    this.records.push(r);
    this.opts.onRecord?.(r);
  }

  /**
   * A log line is stamped with Redis's own timestamp (ms, hence + 999 µs: it was written within that
   * millisecond), or its arrival if that is earlier, and held back HOLD_US so that lines of several
   * processes read in one turn of the event loop are appended in the order they were written. A fault or
   * note flushes them first: a line its step caused was written after it, so it still comes after.
   */
  private hold(rec: LogRecord, wallMs: number | null): void {
    const arrival = this.now();
    // Redis stamps its lines with its host's (possibly jumped) wall clock: back to this thread's clock first
    const offsetMs = this.clocks.get(this.topo.nodes.find((n) => n.name === rec.node)?.host ?? '')?.offsetMs ?? 0;
    const written = wallMs === null ? arrival : Math.max(0, Math.round((wallMs - offsetMs - this.wall0) * 1000) + 999);
    rec.t = Math.min(arrival, written);
    this.held.push({ rec, arrival });
    this.holdTimer ??= setTimeout(() => {
      this.holdTimer = null;
      this.flushHeld(false);
    }, HOLD_US / 1000 + 5);
  }

  /** Append the held log lines that have waited long enough (all of them with `all`), in time order. */
  flushHeld(all: boolean): void {
    if (this.held.length === 0) return;
    this.held.sort((a, b) => a.rec.t - b.rec.t);
    const cutoff = this.now() - HOLD_US;
    let i = 0;
    while (i < this.held.length && (all || this.held[i]!.arrival <= cutoff)) i++;
    for (const h of this.held.splice(0, i)) if (!this.frozen && !this.closed) this.append(h.rec);
    if (this.held.length > 0)
      this.holdTimer ??= setTimeout(() => {
        this.holdTimer = null;
        this.flushHeld(false);
      }, HOLD_US / 1000 + 5);
  }

  /** A step that cannot be done here: reported in `skipped` and as a note. */
  skip(text: string): void {
    const line = `${formatClock(this.now())} ${text}`;
    this.skipped.push(line);
    this.record({ t: this.now(), k: 'note', what: 'skipped', data: { text } });
  }

  /** Client processes appear in the header when added before the start. */
  addClientNode(name: string, host: string): void {
    this.clientNodes.push({ name, host });
  }

  // ---- processes ------------------------------------------------------------------------------------

  /** Start every process (time 0 is now); returns once each listens (or has exited). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.t0 = performance.now();
    this.wall0 = performance.timeOrigin + this.t0;
    this.header = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      seed: this.opts.seed,
      scenario: this.opts.scenario,
      epochMs: Date.now(),
      topology: {
        hosts: this.topo.hosts.map((h) => ({ name: h.name, ip: h.ip })),
        nodes: [...this.topo.nodes.map((n) => ({ name: n.name, kind: n.kind, host: n.host })), ...this.clientNodes.map((c) => ({ name: c.name, kind: 'client' as const, host: c.host }))],
      },
      detail: 'events',
    };
    const ps = [...this.procs.values()];
    for (const p of ps) this.spawnProc(p);
    await Promise.all(ps.map((p) => this.waitListening(p)));
  }

  private spawnProc(p: Proc): void {
    this.record({ t: this.now(), k: 'proc', node: p.spec.name, ev: 'start' });
    const args = p.spec.kind === 'sentinel' ? [p.confPath, '--sentinel'] : [p.confPath];
    // its own process group: a Ctrl-C on the terminal is ours to handle, and a kill reaches its fork()ed children
    const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC', LC_ALL: 'C' };
    if (this.opts.clockLib) {
      // its host's wall clock (clock.ts): the preload library maps the host's offset file
      env.LD_PRELOAD = [this.opts.clockLib, process.env.LD_PRELOAD].filter(Boolean).join(':');
      env[CLOCK_FILE_ENV] = this.hostClock(p.spec.host).path;
    }
    const child = spawn(this.opts.redisServer, args, { cwd: p.dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    p.child = child;
    p.state = 'running';
    p.pid = child.pid ?? 0;
    this.registerPid(p.pid);
    // the node's log as Redis wrote it, kept in its directory (see --keep)
    const file = createWriteStream(join(p.dir, 'redis.log'), { flags: 'a' });
    file.on('error', () => {});
    let open = 2;
    for (const stream of [child.stdout!, child.stderr!]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('close', () => {
        if (--open === 0) file.end();
      });
      stream.on('data', (chunk: string) => {
        if (!file.destroyed) file.write(chunk);
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).replace(/\r$/, '');
          buf = buf.slice(i + 1);
          if (line !== '') this.logLine(p, child, line);
        }
      });
      stream.on('end', () => {
        if (buf !== '') this.logLine(p, child, buf);
        buf = '';
      });
    }
    child.on('error', (e) => {
      if (p.child === child) {
        p.state = 'stopped';
        p.child = null;
      }
      this.record({ t: this.now(), k: 'proc', node: p.spec.name, ev: 'exit', reason: `cannot start ${this.opts.redisServer}: ${e.message}` });
    });
    child.on('exit', (code, signal) => {
      if (p.ours.has(child)) return;
      if (p.child === child) {
        p.child = null;
        p.state = 'stopped';
      }
      if (!this.closed) this.record({ t: this.now(), k: 'proc', node: p.spec.name, ev: 'exit', reason: signal ? `killed by ${signal}` : `exited (exit ${code})` });
    });
  }

  private logLine(p: Proc, child: ChildProcess, raw: string): void {
    const parsed = parseLogLine(raw);
    const kind = p.spec.kind;
    const line = this.topo.toSim(parsed ? parsed.text : raw);
    if (parsed && parsed.pid === child.pid) p.role = parsed.role;
    const first = line.split(' ', 1)[0]!;
    const rec: LogRecord = {
      t: 0,
      k: 'log',
      node: p.spec.name,
      kind,
      pid: parsed?.pid ?? child.pid ?? 0,
      role: parsed?.role ?? p.role,
      wall: parsed?.wall ?? Date.now(),
      level: parsed?.level ?? '#',
      event: kind === 'sentinel' && parsed && EVENT_RE.test(first) ? first : null,
      line,
    };
    if (!this.frozen && !this.closed) this.hold(rec, parsed?.wall ?? null);
  }

  private async waitListening(p: Proc, ms = 5000): Promise<void> {
    const deadline = performance.now() + ms;
    while (p.state === 'running' && performance.now() < deadline) {
      if (await canConnect({ host: p.spec.alias, port: p.spec.port, localAddress: p.spec.alias })) return;
      await sleepMs(10);
    }
  }

  /** Did the first start fail (a config real Redis refuses)? The lines it printed, then. */
  startupFailures(): { node: string; lines: string[] }[] {
    const out: { node: string; lines: string[] }[] = [];
    for (const p of this.procs.values()) {
      if (p.state !== 'stopped') continue;
      const lines = this.records.filter((r): r is LogRecord => r.k === 'log' && r.node === p.spec.name).map((r) => r.line);
      out.push({ node: `${p.spec.name} (${p.spec.source ?? p.spec.configPath}, real address ${p.spec.alias}:${p.spec.port})`, lines });
    }
    return out;
  }

  private proc(name: string): Proc {
    const p = this.procs.get(name);
    if (!p) throw new ScenarioError(`unknown node '${name}'`);
    return p;
  }

  /** Signal the process group of `p` (the server and any fork()ed child). */
  private signal(p: Proc, sig: NodeJS.Signals): void {
    if (!p.child || p.pid <= 0) return;
    try {
      process.kill(-p.pid, sig);
    } catch {
      try {
        process.kill(p.pid, sig);
      } catch {
        // already gone
      }
    }
  }

  /** SIGKILL and wait for the exit (a paused process dies too). */
  private async killProc(p: Proc): Promise<void> {
    const child = p.child;
    if (!child) return;
    p.ours.add(child);
    const exited = new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
    this.signal(p, 'SIGKILL');
    await Promise.race([exited, limit(5000)]);
    p.child = null;
    p.state = 'stopped';
  }

  async kill(name: string): Promise<void> {
    const p = this.proc(name);
    this.record({ t: this.now(), k: 'fault', fault: 'kill', target: name });
    if (p.state === 'stopped') return;
    this.record({ t: this.now(), k: 'proc', node: name, ev: 'crash' });
    await this.killProc(p);
  }

  async restart(name: string): Promise<void> {
    const p = this.proc(name);
    this.record({ t: this.now(), k: 'fault', fault: 'restart', target: name });
    if (p.state !== 'stopped') {
      this.record({ t: this.now(), k: 'proc', node: name, ev: 'crash' });
      await this.killProc(p);
    }
    this.spawnProc(p);
    await this.waitListening(p, 2000);
  }

  async startNode(name: string): Promise<void> {
    const p = this.proc(name);
    if (p.state !== 'stopped') throw new ScenarioError(`start: ${name} is already running`);
    if (this.downHosts.has(p.spec.host)) throw new ScenarioError(`start: host ${p.spec.host} of ${name} is down`);
    this.spawnProc(p);
    await this.waitListening(p, 2000);
  }

  pause(name: string): void {
    const p = this.proc(name);
    this.record({ t: this.now(), k: 'fault', fault: 'pause', target: name });
    if (p.state === 'running') {
      this.signal(p, 'SIGSTOP');
      p.state = 'paused';
    }
    this.record({ t: this.now(), k: 'proc', node: name, ev: 'pause' });
  }

  resume(name: string): void {
    const p = this.proc(name);
    this.record({ t: this.now(), k: 'fault', fault: 'resume', target: name });
    if (p.state === 'paused') {
      this.signal(p, 'SIGCONT');
      p.state = 'running';
    }
    this.record({ t: this.now(), k: 'proc', node: name, ev: 'resume' });
  }

  /**
   * Power a box off, as the simulator means it: its processes die without a word and its peers find out by
   * time-out — every packet to or from its alias is dropped first, then its processes are SIGKILLed (their
   * FIN / RST never leave). Without iptables the processes are killed and the peers see resets (reported).
   */
  async hostDown(host: string): Promise<void> {
    this.record({ t: this.now(), k: 'fault', fault: 'host-down', target: host });
    if (this.downHosts.has(host)) return;
    this.downHosts.add(host);
    if (this.opts.firewall) await this.applyRules();
    else this.skip(`hostDown(${host}): the host's processes are killed, but without iptables (${this.opts.firewallReason}) its peers see connection resets, not silence`);
    for (const p of this.procs.values()) {
      if (p.spec.host !== host || p.state === 'stopped') continue;
      this.record({ t: this.now(), k: 'proc', node: p.spec.name, ev: 'host-down' });
      await this.killProc(p);
    }
  }

  /** Power it back on: the drop rules go, its processes start again from their config files and data directories. */
  async hostUp(host: string): Promise<void> {
    this.record({ t: this.now(), k: 'fault', fault: 'host-up', target: host });
    if (!this.downHosts.has(host)) return;
    this.downHosts.delete(host);
    if (this.opts.firewall) await this.applyRules();
    const ps = [...this.procs.values()].filter((p) => p.spec.host === host && p.state === 'stopped');
    for (const p of ps) {
      this.record({ t: this.now(), k: 'proc', node: p.spec.name, ev: 'host-up' });
      this.spawnProc(p);
    }
    await Promise.all(ps.map((p) => this.waitListening(p, 2000)));
  }

  // ---- network ----------------------------------------------------------------------------------------

  private allHosts(): string[] {
    return this.topo.hosts.map((h) => h.name);
  }

  private netStep(what: string): boolean {
    if (this.opts.firewall) return true;
    this.skip(`${what}: skipped (${this.opts.firewallReason})`);
    return false;
  }

  async partition(groups: string[][]): Promise<void> {
    this.record({ t: this.now(), k: 'fault', fault: 'partition', args: { groups } });
    if (!this.netStep(`partition ${groups.map((g) => g.join(',')).join(' | ')}`)) return;
    const groupOf = new Map<string, number>();
    groups.forEach((g, i) => g.forEach((h) => groupOf.set(h, i)));
    for (const a of this.allHosts())
      for (const b of this.allHosts()) if (a !== b && (groupOf.get(a) ?? -1) !== (groupOf.get(b) ?? -1)) this.cuts.add(`${a}>${b}`);
    await this.applyRules();
  }

  async isolate(host: string): Promise<void> {
    this.record({ t: this.now(), k: 'fault', fault: 'isolate', target: host });
    if (!this.netStep(`isolate ${host}`)) return;
    for (const o of this.allHosts())
      if (o !== host) {
        this.cuts.add(`${host}>${o}`);
        this.cuts.add(`${o}>${host}`);
      }
    await this.applyRules();
  }

  block(from: string, to: string): Promise<void> {
    return this.blocks([[from, to]]);
  }

  /**
   * One-way cuts made by one script step (`cut(a, b)`): recorded as `block` faults at one instant, as the
   * simulator does, and applied in one firewall transaction. Applied one by one, a partition of five boxes
   * took 150–550 ms, and the replicas cut last kept receiving the master's writes.
   */
  async blocks(pairs: [string, string][]): Promise<void> {
    const t = this.now();
    for (const [from, to] of pairs) this.record({ t, k: 'fault', fault: 'block', target: from, args: { to } });
    if (!this.netStep(pairs.map(([from, to]) => `block ${from} -> ${to}`).join(', '))) return;
    for (const [from, to] of pairs) this.cuts.add(`${from}>${to}`);
    await this.applyRules();
  }

  async heal(): Promise<void> {
    this.record({ t: this.now(), k: 'fault', fault: 'heal' });
    if (!this.netStep('heal')) return;
    this.cuts.clear();
    await this.applyRules();
  }

  /** Loss as random drops (iptables statistic); latency, jitter and bandwidth are not applied (reported). */
  async setLink(a: string | null, b: string | null, link: { latencyMs?: number; jitter?: unknown; loss?: number; bandwidth?: number }, oneWay: boolean): Promise<void> {
    this.record({ t: this.now(), k: 'fault', fault: 'set-link', ...(a !== null ? { target: a, args: { to: b, ...link, oneWay } } : { args: { ...link } }) });
    const what = a === null ? 'setLink(every link)' : `setLink(${a}, ${b})`;
    const ignored = (['latencyMs', 'jitter', 'bandwidth'] as const).filter((k) => link[k] !== undefined);
    if (ignored.length > 0)
      this.skip(`${what}: ${ignored.map((k) => (k === 'latencyMs' ? 'latency' : k)).join(', ')} not applied (real runs model only loss, with iptables; tc netem on lo would delay every loopback user of the machine)`);
    if (link.loss === undefined) return;
    if (!this.netStep(`${what}: loss ${link.loss}`)) return;
    if (a === null) this.defaultLoss = link.loss;
    else {
      this.pairLoss.set(`${a}>${b}`, link.loss);
      if (!oneWay) this.pairLoss.set(`${b}>${a}`, link.loss);
    }
    await this.applyRules();
  }

  /** The offset file of a host (created at 0 on first use). */
  private hostClock(host: string): HostClock {
    let c = this.clocks.get(host);
    if (!c) this.clocks.set(host, (c = new HostClock(join(this.opts.workDir, 'clock', host.replace(/[^A-Za-z0-9._-]/g, '_')))));
    return c;
  }

  /**
   * Step the wall clock (CLOCK_REALTIME: gettimeofday, time) of every process on the host by deltaMs, at once,
   * as an NTP step would and as the simulator does (its timers run on monotonic time; clock.ts). Skipped
   * (reported) without the clock preload library.
   */
  clockJump(host: string, deltaMs: number): void {
    this.record({ t: this.now(), k: 'fault', fault: 'clock-jump', target: host, args: { deltaMs } });
    if (!this.opts.clockLib) {
      this.skip(`clockJump(${host}, ${deltaMs} ms): skipped (${this.opts.clockReason ?? 'clock jumps are not available'})`);
      return;
    }
    this.hostClock(host).jump(deltaMs);
  }

  private alias(host: string): string {
    return this.topo.host(host).alias;
  }

  private applyRules(): Promise<void> {
    const fw = this.opts.firewall;
    if (!fw) return Promise.resolve();
    const rules: Rule[] = [];
    for (const h of [...this.downHosts].sort()) rules.push(dropRule(this.alias(h), null), dropRule(null, this.alias(h)));
    for (const c of [...this.cuts].sort()) {
      const [a, b] = c.split('>') as [string, string];
      rules.push(dropRule(this.alias(a), this.alias(b)));
    }
    const hosts = this.allHosts();
    for (const a of hosts)
      for (const b of hosts) {
        if (a === b || this.cuts.has(`${a}>${b}`)) continue;
        const p = this.pairLoss.get(`${a}>${b}`) ?? this.defaultLoss;
        if (p > 0) rules.push(dropRule(this.alias(a), this.alias(b), p));
      }
    return fw.apply(rules);
  }

  // ---- talking to nodes -------------------------------------------------------------------------------

  isHostDown(host: string): boolean {
    return this.downHosts.has(host);
  }

  states(): Record<string, { state: ProcessState; hostUp: boolean; pid: number }> {
    const out: Record<string, { state: ProcessState; hostUp: boolean; pid: number }> = {};
    for (const [name, p] of this.procs) out[name] = { state: p.state, hostUp: !this.downHosts.has(p.spec.host), pid: p.pid };
    return out;
  }

  /**
   * Send a command as redis-cli on the node's own box would: a fresh connection from the node's alias, AUTH
   * (the node's password unless told otherwise) and SELECT first; a failed AUTH / SELECT is what comes back.
   * Errors with redis-cli's words (as the simulator's admin client).
   */
  async exec(name: string, argv: string[], o: { auth?: boolean | string; db?: number; timeoutMs: number }): Promise<Resp> {
    const p = this.proc(name);
    if (this.downHosts.has(p.spec.host)) throw new ScenarioError(`cannot run ${argv[0]} on ${name}: host ${p.spec.host} is down`);
    const pass = typeof o.auth === 'string' ? o.auth : o.auth === false ? undefined : p.spec.password;
    const cmds: string[][] = [];
    if (pass !== undefined) cmds.push(['AUTH', pass]);
    if (o.db !== undefined) cmds.push(['SELECT', String(o.db)]);
    cmds.push(this.topo.argsToReal(argv));
    const res = await callPipeline({ host: p.spec.alias, port: p.spec.port, localAddress: p.spec.alias }, cmds, o.timeoutMs);
    const map = (s: string) => this.topo.toSim(s);
    if (res.t === 'replies') {
      const pre = res.replies.slice(0, -1).find((r) => r.t === 'error');
      return decodeResp(pre ?? res.replies[res.replies.length - 1]!, map);
    }
    if (res.t === 'connect-failed') throw new ScenarioError(`Could not connect to Redis at ${name}: ${res.message}`);
    if (res.t === 'closed') throw new ScenarioError(`${name}: ${res.message} before replying to ${argv.join(' ')}`);
    throw new ScenarioError(`no reply from ${name} to ${argv.join(' ')} within ${o.timeoutMs / 1000}s`);
  }

  /** The node's visible state in the simulator's shapes (see ScenarioExecutor.view); null unless running. */
  async view(name: string): Promise<unknown> {
    const p = this.proc(name);
    if (p.state !== 'running' || this.downHosts.has(p.spec.host)) return null;
    // an observer, as the simulator reads state from memory: from the loopback peer 127.0.0.1, which protected
    // mode lets in (a node's own alias is refused when the scenario sets protected-mode yes)
    const target = { host: p.spec.alias, port: p.spec.port, localAddress: '127.0.0.1' };
    const auth: string[][] = p.spec.kind === 'server' && p.spec.password !== undefined ? [['AUTH', p.spec.password]] : [];
    const map = (s: string) => this.topo.toSim(s);
    if (p.spec.kind === 'server') {
      const r = await callPipeline(target, [...auth, ['ROLE']], 1000);
      if (r.t !== 'replies') return null;
      const role = decodeResp(r.replies[r.replies.length - 1]!, map);
      if (role.t !== 'array' || !role.v) return null;
      const word = role.v[0]?.t === 'bulk' ? role.v[0].v : null;
      const off = role.v[word === 'master' ? 1 : 4];
      return { role: word === 'master' ? 'master' : 'slave', offset: off?.t === 'int' ? Number(off.v) : 0 };
    }
    const r = await callPipeline(target, [['SENTINEL', 'MASTERS'], ['INFO', 'sentinel'], ['SENTINEL', 'MYID']], 1000);
    if (r.t !== 'replies') return null;
    const [mastersR, infoR, myidR] = r.replies.map((x) => decodeResp(x, map));
    const masters = pairsList(mastersR!);
    const more = await callPipeline(
      target,
      masters.flatMap((m) => [
        ['SENTINEL', 'REPLICAS', m.name ?? ''],
        ['SENTINEL', 'SENTINELS', m.name ?? ''],
      ]),
      1000,
    );
    const extra = more.t === 'replies' ? more.replies.map((x) => pairsList(decodeResp(x, map))) : [];
    const info = infoR?.t === 'bulk' ? (infoR.v ?? '') : '';
    return {
      myid: myidR?.t === 'bulk' ? myidR.v : '',
      currentEpoch: this.sentinelCurrentEpoch(p),
      tilt: /sentinel_tilt:1/.test(info),
      masters: masters.map((m, i) => {
        const flags = m.flags ?? '';
        const has = (f: string) => flags.split(',').includes(f);
        return {
          name: m.name ?? '',
          addr: `${m.ip}:${m.port}`,
          flags,
          sDown: has('s_down'),
          oDown: has('o_down'),
          failoverInProgress: has('failover_in_progress'),
          failoverState: m['failover-state'] ?? 'none',
          configEpoch: Number(m['config-epoch'] ?? 0),
          leader: null,
          leaderEpoch: 0,
          quorum: Number(m.quorum ?? 0),
          numReplicas: Number(m['num-slaves'] ?? 0),
          numOtherSentinels: Number(m['num-other-sentinels'] ?? 0),
          promoted: null,
          replicas: (extra[2 * i] ?? []).map((x) => ({ name: `${x.ip}:${x.port}`, flags: x.flags ?? '' })),
          sentinels: (extra[2 * i + 1] ?? []).map((x) => ({ runid: x.runid ?? '', addr: `${x.ip}:${x.port}`, flags: x.flags ?? '', leader: null, leaderEpoch: Number(x['voted-leader-epoch'] ?? 0) })),
        };
      }),
    };
  }

  /** A Sentinel's current epoch, from its config file (it is flushed at every epoch change). */
  private sentinelCurrentEpoch(p: Proc): number {
    try {
      const m = /^sentinel current-epoch (\d+)$/m.exec(readFileSync(p.confPath, 'utf8'));
      return m ? Number(m[1]) : 0;
    } catch {
      return 0;
    }
  }

  private keyframeTimer: NodeJS.Timeout | null = null;
  private keyframing = false;

  /**
   * A keyframe every `everyMs` (as the simulator's keyframeEveryMs), for the checkers that read states over time
   * (the data property's "replicas had caught up"). One at a time: a tick while the last one is still being
   * read is skipped.
   */
  startKeyframes(everyMs: number): void {
    if (this.keyframeTimer) return;
    this.keyframeTimer = setInterval(() => {
      if (this.keyframing || this.frozen || this.closed) return;
      this.keyframing = true;
      this.keyframe()
        .catch(() => {})
        .finally(() => (this.keyframing = false));
    }, everyMs);
  }

  /** A keyframe of every node (the summary's final roles, masters and epochs), as the simulator ends a run. */
  async keyframe(): Promise<void> {
    const nodes: Record<string, unknown> = {};
    for (const [name, p] of this.procs)
      nodes[name] = { state: p.state, hostUp: !this.downHosts.has(p.spec.host), pid: p.pid, view: p.state === 'running' ? await this.view(name).catch(() => null) : null };
    this.record({ t: this.now(), k: 'keyframe', nodes, cuts: [...this.cuts].sort() });
  }

  // ---- cleanup ----------------------------------------------------------------------------------------

  /** pids of every process started (for the exit hook and the leftover registry). */
  readonly pids = new Set<number>();
  private registerPid(pid: number): void {
    if (pid <= 0) return;
    this.pids.add(pid);
    try {
      writeFileSync(join(this.opts.workDir, 'pids'), [...this.pids].join('\n') + '\n');
    } catch {
      // the work directory is gone: cleanup is under way
    }
  }

  /** Kill every process (SIGCONT first for a paused one) and remove the rules. Synchronous, idempotent. */
  closeSync(): void {
    this.closed = true;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    if (this.keyframeTimer) clearInterval(this.keyframeTimer);
    this.keyframeTimer = null;
    for (const p of this.procs.values()) {
      if (p.child) p.ours.add(p.child);
      if (p.state === 'paused') this.signal(p, 'SIGCONT');
      this.signal(p, 'SIGKILL');
      p.state = 'stopped';
    }
    this.opts.firewall?.uninstall();
  }

  /** closeSync, then wait (briefly) for the processes to be gone. */
  async close(): Promise<void> {
    const children = [...this.procs.values()].map((p) => p.child).filter((c): c is ChildProcess => c !== null && c.exitCode === null && c.signalCode === null);
    this.closeSync();
    await Promise.race([Promise.all(children.map((c) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r()))))), limit(5000)]);
  }
}

/** SENTINEL MASTERS / REPLICAS / SENTINELS replies: arrays of flat key/value arrays. */
function pairsList(r: Resp): Record<string, string>[] {
  if (r.t !== 'array' || !r.v) return [];
  return r.v.map((item) => {
    const o: Record<string, string> = {};
    if (item.t === 'array' && item.v)
      for (let i = 0; i + 1 < item.v.length; i += 2) {
        const k = item.v[i]!;
        const v = item.v[i + 1]!;
        if (k.t === 'bulk' && k.v !== null) o[k.v] = v.t === 'bulk' ? (v.v ?? '') : v.t === 'int' ? String(v.v) : '';
      }
    return o;
  });
}

export { RealConfigError };
