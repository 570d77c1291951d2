// Client workloads of real runs, on the world's thread: Sentinel-aware ioredis clients (Sentinel mode, through
// the aliases) on client boxes, and the simulator's workloads (engine/client/workload.ts: set-add of i, i+n, …,
// counter INCRs, SET/GET mix; rate, start, duration, in-flight limit) recording each op ok / fail / unknown,
// then the final read and Jepsen's accounting (engine/client/history.ts), as trace notes of the same shapes.
//
// Outcomes as the simulator's clients define them: ok = acknowledged; fail = definitely not applied (an error
// reply, or not sent: the client had no verified master connection within its time-out — a call waits for
// one, as the simulator's client's calls wait while it resolves the master; ioredis's offline queue stays off
// so that "sent" is exact); unknown = sent, then a time-out or a lost connection. Re-resolution follows the
// simulator's client too: at once after a lost connection, on +switch-master to another master only.
//
// Each client's connections leave from its box's alias: the master connection through natMap (ioredis passes
// its result to net.createConnection), the Sentinel connections through a connector of our own (ioredis
// gives them no source address otherwise), so per-host iptables rules apply to client traffic too.
import { createConnection } from 'node:net';
import { summarizeCounter, summarizeHistory, countOutcomes, OP_NOTE, type HistoryEntry, type OpKind } from '../../engine/client/history.ts';
import { nextOp, type WorkloadOptions, type WorkloadResult } from '../../engine/client/workload.ts';
import { Rng } from '../../engine/sim/rng.ts';
import { parseDuration, type Micros } from '../../engine/sim/time.ts';
import { ScenarioError } from '../../scenarios/api/nodes.ts';
import type { RealWorld } from './world.ts';

/** What addClients sends: one entry per client, Sentinels already resolved to node names. */
export interface ClientSpec {
  host: string;
  name?: string;
  sentinels: string[];
  masterName: string;
  timeoutMs: number;
  subscribe?: boolean;
  password?: string;
  retryDelayMs?: number;
}

interface IoRedis {
  status: string;
  stream?: { remoteAddress?: string; remotePort?: number };
  call(cmd: string, ...args: (string | number)[]): Promise<unknown>;
  on(ev: string, fn: (...a: unknown[]) => void): unknown;
  once(ev: string, fn: (...a: unknown[]) => void): unknown;
  removeListener(ev: string, fn: (...a: unknown[]) => void): unknown;
  disconnect(): void;
}

interface Client {
  name: string;
  node: string;
  host: string;
  alias: string;
  spec: ClientSpec;
  redis: IoRedis | null;
  /** Subscriptions to +switch-master, one per Sentinel (spec.subscribe). */
  watchers: IoRedis[];
  /** The last +switch-master payload acted on. */
  lastSwitch: string;
  /** A repeat of it that came while the client was resolving: the master it names (see onSwitch). */
  repeatTo: string | null;
  lastLog: string;
}

type IoRedisModule = { Redis: new (o: Record<string, unknown>) => IoRedis; SentinelConnector: new (o: unknown) => object; AbstractConnector: new (t?: number) => object };
let ioredisModule: Promise<IoRedisModule> | null = null;

/** ioredis, loaded on first use (a real run without clients does not need it). */
function loadIoredis(): Promise<IoRedisModule> {
  ioredisModule ??= import('ioredis').then(
    (m) => m as unknown as IoRedisModule,
    (e: unknown) => {
      ioredisModule = null;
      throw new ScenarioError(`addClients: real runs with clients need the ioredis package (npm install ioredis): ${(e as Error).message}`);
    },
  );
  return ioredisModule;
}

/** A Connector whose plain connection leaves from `localAddress` (ioredis passes the client's options to it). */
function boundConnector(io: IoRedisModule): new (o: Record<string, unknown>) => object {
  type Conn = { connecting: boolean; stream: unknown; firstError?: unknown; options: Record<string, unknown> };
  const Abstract = io.AbstractConnector as unknown as new (t?: number) => Conn;
  class BoundConnector extends Abstract {
    constructor(readonly opts: Record<string, unknown>) {
      super(opts.disconnectTimeout as number | undefined);
    }
    connect(): Promise<unknown> {
      this.connecting = true;
      return new Promise((resolve, reject) =>
        process.nextTick(() => {
          if (!this.connecting) return reject(new Error('Connection is closed.'));
          try {
            const s = createConnection({ host: this.opts.host as string, port: this.opts.port as number, localAddress: this.opts.localAddress as string });
            s.once('error', (err) => (this.firstError = err));
            this.stream = s;
            resolve(s);
          } catch (e) {
            reject(e);
          }
        }),
      );
    }
  }
  return BoundConnector;
}

/**
 * SentinelConnector whose connections to Sentinels leave from `localAddress` (see the file comment), and which
 * asks the Sentinels in the simulated client's order (engine/client/sentinel-client.ts askSentinel): from the
 * first at every resolution, the one that answered moved to the front. ioredis resets its Sentinel cursor only
 * in its failover detector (off here): without that, each reconnection asks the next Sentinel in turn, and a
 * client re-resolving after a +switch-master asked a Sentinel across the cut that still named the old master.
 */
function boundSentinelConnector(io: IoRedisModule): new (o: Record<string, unknown>) => object {
  const BoundConnector = boundConnector(io);
  type Iterator = { cursor: number; sentinels: unknown[] };
  const Sentinel = io.SentinelConnector as unknown as new (o: Record<string, unknown>) => { options: Record<string, unknown>; sentinelIterator: Iterator };
  const base = Sentinel.prototype as unknown as { connect(e: unknown): unknown; resolve(endpoint: unknown): Promise<unknown> };
  class BoundSentinelConnector extends Sentinel {
    connect(eventEmitter: unknown): unknown {
      this.sentinelIterator.cursor = 0;
      return base.connect.call(this, eventEmitter);
    }
    async resolve(endpoint: unknown): Promise<unknown> {
      const r = await base.resolve.call(this, endpoint);
      const it = this.sentinelIterator;
      const i = it.sentinels.indexOf(endpoint);
      if (r && i > 0) {
        it.sentinels.unshift(...it.sentinels.splice(i, 1));
        it.cursor = 1;
      }
      return r;
    }

    // connectToSentinel is private in ioredis's types; the override is the point of this class
    connectToSentinel(endpoint: unknown, options: Record<string, unknown> = {}): unknown {
      const base = (Sentinel.prototype as unknown as { connectToSentinel: (e: unknown, o: Record<string, unknown>) => unknown }).connectToSentinel;
      // the simulated client's Sentinel query time-out covers the connection too (sentinelTimeoutMs); ioredis would
      // give a Sentinel it cannot reach the whole connectTimeout (the client's time-out)
      const connectTimeout = this.options.sentinelCommandTimeout ?? this.options.connectTimeout;
      return base.call(this, endpoint, { connectTimeout, ...options, Connector: BoundConnector, localAddress: this.options.localAddress });
    }
  }
  return BoundSentinelConnector;
}

class RealWorkload {
  readonly history: HistoryEntry[] = [];
  readonly keys: string[];
  result: WorkloadResult | null = null;
  finishing = false;
  private stopped = false;
  private readonly next: number[];
  private readonly inFlight: number[];
  /** Per client: the arrival waiting for an op in flight to complete (its rng), or null. */
  private readonly blocked: (Rng | null)[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private endUs: Micros;

  constructor(
    readonly owner: RealClients,
    readonly clients: Client[],
    readonly opts: WorkloadOptions,
    seed: string,
  ) {
    if (clients.length === 0) throw new ScenarioError('workload: no clients');
    if (!(opts.rate > 0)) throw new ScenarioError('workload: rate must be > 0 ops/s');
    const keys = typeof opts.keys === 'number' ? Array.from({ length: opts.keys }, (_, i) => `key:${i}`) : (opts.keys ?? []);
    this.keys = keys.length > 0 ? keys : [opts.kind === 'set-add' ? 'jepsen' : opts.kind === 'counter' ? 'counter' : 'k'];
    this.next = clients.map((_, i) => i);
    this.inFlight = clients.map(() => 0);
    this.blocked = clients.map(() => null);
    const w = owner.world;
    const startUs = opts.start === undefined ? w.now() : parseDuration(opts.start);
    this.endUs = startUs + parseDuration(opts.duration);
    clients.forEach((c, i) => {
      const rng = new Rng(seed, `real/workload/${opts.kind}/${c.name}`);
      const due = Math.max(startUs, w.now());
      this.after(Math.max(0, due - w.now()) / 1000, () => this.tick(i, rng, due));
    });
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /**
   * The simulator's loop: an arrival while the in-flight limit is reached waits, and is invoked when an op
   * completes (the schedule then goes on from there). Arrivals are scheduled by their due time, not by
   * chaining timers, so that timer lateness does not add up over a long workload.
   */
  private tick(i: number, rng: Rng, dueUs: Micros): void {
    const w = this.owner.world;
    if (this.stopped || dueUs >= this.endUs) return;
    if (this.inFlight[i]! >= Math.max(1, this.opts.inFlight ?? 1)) {
      this.blocked[i] = rng;
      return;
    }
    this.invoke(i, rng);
    const mean = 1000 / this.opts.rate;
    const next = dueUs + Math.round((this.opts.exponential ? rng.exponential(mean) : mean) * 1000);
    this.after(Math.max(0, next - w.now()) / 1000, () => this.tick(i, rng, next));
  }

  private invoke(i: number, rng: Rng): void {
    const c = this.clients[i]!;
    const w = this.owner.world;
    const seq = this.next[i]!;
    this.next[i] = seq + this.clients.length;
    const { op, key, value, argv } = nextOp(this.opts, this.keys, seq, rng);
    const e: HistoryEntry = { client: c.name, op, key, value, invoke: w.now(), complete: null, outcome: 'unknown' };
    this.history.push(e);
    this.inFlight[i]!++;
    void this.owner.send(c, argv).then((r) => {
      this.inFlight[i]!--;
      e.complete = w.now();
      e.outcome = r.outcome;
      e.reply = r.reply;
      if (op === 'get' && r.outcome === 'ok') e.value = r.value as string | null;
      w.record({ t: w.now(), k: 'note', node: c.node, what: OP_NOTE, data: { ...e } });
      const waiting = this.blocked[i];
      if (waiting) {
        this.blocked[i] = null;
        this.tick(i, waiting, w.now());
      }
    });
  }

  get pending(): number {
    return this.inFlight.reduce((a, b) => a + b, 0);
  }

  clientOps(): { ok: number; failed: number; unknown: number; lostAcknowledged: number } {
    const c = countOutcomes(this.history);
    return { ok: c.ok, failed: c.fail, unknown: c.unknown, lostAcknowledged: this.result?.accounting?.lost ?? 0 };
  }

  /** Stop, drain (each op ends within the client's time-out), read the final state from the master, conclude. */
  async finish(deadlineMs: number): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    this.stop();
    const w = this.owner.world;
    const deadline = w.now() + deadlineMs * 1000;
    while (this.pending > 0 && w.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const reader = this.clients[0]!;
    const kind = this.opts.kind;
    const keys = kind === 'mix' ? this.keys : [this.keys[0]!];
    const perKey: Record<string, string | null> = {};
    let final: WorkloadResult['final'] = null;
    let failed = false;
    for (const key of keys) {
      for (;;) {
        const e: HistoryEntry = { client: reader.name, op: 'read-all', key, value: null, invoke: w.now(), complete: null, outcome: 'unknown' };
        this.history.push(e);
        const r = await this.owner.send(reader, kind === 'set-add' ? ['SMEMBERS', key] : ['GET', key]);
        e.complete = w.now();
        e.outcome = r.outcome;
        e.reply = r.reply;
        if (r.outcome === 'ok') {
          if (kind === 'set-add' && Array.isArray(r.value)) {
            const members = (r.value as unknown[]).map(String).sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
            e.value = members;
            e.reply = `${members.length} members`;
            final = members;
          } else if (kind !== 'set-add') {
            const v = r.value === null || r.value === undefined ? null : String(r.value);
            e.value = kind === 'counter' ? Number(v ?? 0) : v;
            if (kind === 'counter') final = Number(v ?? 0);
            perKey[key] = v;
          } else {
            e.outcome = 'fail';
            e.reply = `unexpected reply ${r.reply}`;
          }
        }
        w.record({ t: w.now(), k: 'note', node: reader.node, what: OP_NOTE, data: { ...e } });
        if (e.outcome === 'ok') break;
        if (w.now() >= deadline) {
          failed = true;
          break;
        }
        await new Promise((res) => setTimeout(res, 500));
      }
      if (failed) break;
    }
    if (kind === 'mix' && !failed) final = perKey;
    if (failed) final = null;
    for (const e of this.history) if (e.complete === null && e.op !== 'read-all') w.record({ t: w.now(), k: 'note', node: this.clients.find((c) => c.name === e.client)?.node, what: OP_NOTE, data: { ...e } });
    let accounting: WorkloadResult['accounting'] = null;
    if (kind === 'set-add' && Array.isArray(final)) accounting = summarizeHistory(this.history, final, this.keys[0]);
    else if (kind === 'counter' && typeof final === 'number') accounting = summarizeCounter(this.history, final, this.keys[0]);
    this.result = { history: this.history, accounting, final };
    w.record({ t: w.now(), k: 'note', what: 'workload-summary', data: { kind, keys: this.keys, ...this.clientOps(), accounting } });
  }
}

/** The clients and workloads of one real run. */
export class RealClients {
  private readonly clients = new Map<string, Client>();
  private readonly workloads: RealWorkload[] = [];
  private started = false;
  private closing = false;
  private io: IoRedisModule | null = null;

  constructor(readonly world: RealWorld) {}

  handles(op: string): boolean {
    return ['addClients', 'clientMaster', 'startWorkload', 'workloadOps', 'workloadHistory', 'finishWorkload', 'workloadResult'].includes(op);
  }

  async handle(op: string, args: unknown): Promise<unknown> {
    const a = args as Record<string, unknown>;
    switch (op) {
      case 'addClients':
        return this.add(a.clients as ClientSpec[]);
      case 'clientMaster':
        return this.masterAddress(this.client(a.name as string));
      case 'startWorkload': {
        const w = new RealWorkload(this, (a.clients as string[]).map((n) => this.client(n)), a.opts as WorkloadOptions, this.world.opts.seed);
        this.workloads.push(w);
        return this.workloads.length - 1;
      }
      case 'workloadOps':
        return this.workload(a.id as number).clientOps();
      case 'workloadHistory':
        return this.workload(a.id as number).history;
      case 'finishWorkload':
        void this.workload(a.id as number).finish(a.deadlineMs as number);
        return null;
      case 'workloadResult':
        return this.workload(a.id as number).result;
      default:
        throw new Error(`unknown request '${op}'`);
    }
  }

  private client(name: string): Client {
    const c = this.clients.get(name);
    if (!c) throw new ScenarioError(`unknown client '${name}'`);
    return c;
  }

  private workload(id: number): RealWorkload {
    const w = this.workloads[id];
    if (!w) throw new ScenarioError(`unknown workload ${id}`);
    return w;
  }

  /** Clients on their boxes (a box that is not in the cluster gets an IP like the simulator's, 10.254.0.N, and an alias). */
  private async add(specs: ClientSpec[]): Promise<{ name: string; node: string; host: string; ip: string }[]> {
    this.io ??= await loadIoredis();
    const out: { name: string; node: string; host: string; ip: string }[] = [];
    const topo = this.world.topo;
    for (const s of specs) {
      let h = topo.hosts.find((x) => x.name === s.host);
      if (!h) {
        const used = new Set(topo.hosts.map((x) => x.ip));
        let n = topo.hosts.length + 1;
        while (used.has(`10.254.0.${n}`)) n++;
        h = topo.addHost(s.host, /^\d{1,3}(\.\d{1,3}){3}$/.test(s.host) ? s.host : `10.254.0.${n}`);
      }
      let port = 40000;
      const taken = new Set([...this.clients.values()].map((c) => c.node));
      while (taken.has(`${h.ip}:${port}`) || topo.nodes.some((x) => x.name === `${h!.ip}:${port}`)) port++;
      const name = s.name ?? s.host;
      if (this.clients.has(name)) throw new ScenarioError(`addClients: a client named '${name}' exists already`);
      const c: Client = { name, node: `${h.ip}:${port}`, host: h.name, alias: h.alias, spec: s, redis: null, watchers: [], lastSwitch: '', repeatTo: null, lastLog: '' };
      this.clients.set(name, c);
      this.world.addClientNode(c.node, c.host);
      if (this.started) this.connect(c);
      out.push({ name, node: c.node, host: c.host, ip: h.ip });
    }
    return out;
  }

  /** At the cluster's start (clients added before it), or at once (added after). */
  startAll(): null {
    if (this.started) return null;
    this.started = true;
    for (const c of this.clients.values()) this.connect(c);
    return null;
  }

  private log(c: Client, level: '*' | '#', text: string): void {
    const line = `${c.name}: ${text}`;
    if (line === c.lastLog) return;
    c.lastLog = line;
    this.world.record({ t: this.world.now(), k: 'log', node: c.node, kind: 'client', pid: process.pid, role: 'C', wall: Date.now(), level, event: null, line });
  }

  private connect(c: Client): void {
    const io = this.io!;
    const topo = this.world.topo;
    const sentinels = c.spec.sentinels.map((n) => {
      const node = topo.nodes.find((x) => x.name === n);
      if (!node) throw new ScenarioError(`addClients: ${n} is not a Sentinel of the cluster`);
      return { host: node.alias, port: node.port };
    });
    const timeoutMs = c.spec.timeoutMs;
    const retry = c.spec.retryDelayMs ?? 250;
    const redis = new io.Redis({
      sentinels,
      name: c.spec.masterName,
      role: 'master',
      password: c.spec.password,
      Connector: boundSentinelConnector(io),
      localAddress: c.alias,
      // the master as the Sentinels name it (an alias): connect to it from this box's alias
      natMap: (key: string) => {
        const i = key.lastIndexOf(':');
        return { host: key.slice(0, i), port: Number(key.slice(i + 1)), localAddress: c.alias };
      },
      updateSentinels: false,
      // +switch-master is watched by watchSwitches, as the simulator's client does (ioredis's failover detector
      // drops the connection on every +switch-master of every Sentinel, even one naming the master it is on)
      failoverDetector: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      sentinelCommandTimeout: Math.min(timeoutMs, 500),
      // a lost master connection is resolved again at once, a failed attempt after the retry delay
      // (engine/client/sentinel-client.ts: connectionGone / retryLater); ioredis counts from 1 after each 'ready'
      retryStrategy: (times: number) => (times <= 1 ? 0 : retry),
      sentinelRetryStrategy: () => retry,
      sentinelReconnectStrategy: () => retry,
      reconnectOnError: (err: Error) => (/^(READONLY|MASTERDOWN)\b/.test(err.message) ? 1 : false),
      enableAutoPipelining: false,
      disableClientInfo: true,
      lazyConnect: false,
    });
    c.redis = redis;
    redis.on('ready', () => this.onReady(c, redis));
    if (c.watchers.length === 0) this.watchSwitches(c);
    redis.on('close', () => this.log(c, '#', `Connection to master ${c.spec.masterName} lost: re-resolving`));
    redis.on('error', (e) => this.log(c, '#', `${(e as Error).message}`));
    // ioredis ends a client for good when its failover detector disconnects it while it is resolving the
    // master ("Connection is closed." during a reconnection): start it again, as an application would
    redis.on('end', () => {
      if (this.closing || c.redis !== redis) return;
      this.log(c, '#', 'ioredis ended the connection for good: connecting again');
      const t = setTimeout(() => {
        if (!this.closing && c.redis === redis) (redis as unknown as { connect(): Promise<void> }).connect().catch(() => {});
      }, retry);
      t.unref();
    });
  }

  /**
   * Subscribe to +switch-master on every Sentinel of the client (spec.subscribe), as the simulator's client does
   * (engine/client/sentinel-client.ts onSentinelMessage): a switch to the master it is already on is ignored, a
   * repeat of the switch it is acting on too; otherwise it drops the master connection and resolves again.
   */
  private watchSwitches(c: Client): void {
    if (!c.spec.subscribe) return;
    const io = this.io!;
    const Connector = boundConnector(io);
    for (const n of c.spec.sentinels) {
      const node = this.world.topo.nodes.find((x) => x.name === n);
      if (!node) continue;
      const sub = new io.Redis({
        host: node.alias,
        port: node.port,
        localAddress: c.alias,
        Connector,
        // a lost subscription is retried after a second (Sentinel down or restarted); ioredis subscribes again
        retryStrategy: () => 1000,
        connectTimeout: Math.min(c.spec.timeoutMs, 500),
        maxRetriesPerRequest: null,
        disableClientInfo: true,
      });
      sub.on('error', () => {});
      sub.on('message', (...a: unknown[]) => this.onSwitch(c, n, String(a[0]), String(a[1])));
      (sub as unknown as { subscribe(ch: string): Promise<unknown> }).subscribe('+switch-master').catch(() => {});
      c.watchers.push(sub);
    }
  }

  private onReady(c: Client, redis: IoRedis): void {
    const at = this.masterAddress(c);
    this.log(c, '*', `Master ${c.spec.masterName} is ${at ?? '?'} (ioredis, Sentinel mode)`);
    const to = c.repeatTo;
    c.repeatTo = null;
    if (to !== null && at !== to && !this.closing) {
      this.log(c, '*', `+switch-master to ${to} repeated while resolving: re-resolving master ${c.spec.masterName}`);
      (redis as unknown as { disconnect(reconnect: boolean): void }).disconnect(true);
    }
  }

  private onSwitch(c: Client, from: string, channel: string, payload: string): void {
    if (this.closing || channel !== '+switch-master') return;
    // +switch-master <name> <old ip> <old port> <new ip> <new port>
    const w = payload.split(' ');
    if (w[0] !== c.spec.masterName || w[3] === undefined || w[4] === undefined) return;
    const to = this.world.topo.nodeAt(w[3], Number(w[4]));
    const r = c.redis;
    if (!r) return;
    const ready = r.status === 'ready';
    if (ready && this.masterAddress(c) === to) return;
    if (payload === c.lastSwitch && !ready) {
      // the simulator's client skips a repeat while it resolves, but it resolves within a few ms, so a repeat from
      // a Sentinel that switched a moment later finds it ready and is acted on; here a resolution takes 100–300 ms
      // on a loaded machine: keep the repeat and act on it once ready (resolve) if the master is not the one it names
      c.repeatTo = to;
      return;
    }
    c.lastSwitch = payload;
    c.repeatTo = null;
    this.log(c, '*', `+switch-master from Sentinel ${from} (${this.world.topo.toSim(payload)}): re-resolving master ${c.spec.masterName}`);
    (r as unknown as { disconnect(reconnect: boolean): void }).disconnect(true);
  }

  masterAddress(c: Client): string | null {
    const r = c.redis;
    if (!r || r.status !== 'ready' || !r.stream?.remoteAddress || !r.stream.remotePort) return null;
    return this.world.topo.nodeAt(r.stream.remoteAddress, r.stream.remotePort);
  }

  /** One command: its outcome (see the file comment), the reply as text and as a value. */
  async send(c: Client, argv: string[]): Promise<{ outcome: 'ok' | 'fail' | 'unknown'; reply: string; value?: unknown }> {
    // as the simulator's client: a call waits (unsent) while the master is being resolved, up to the time-out
    const r = await this.ready(c, c.spec.timeoutMs);
    if (!r) return { outcome: 'fail', reply: 'not sent: no master connection' };
    try {
      const v = await r.call(argv[0]!, ...argv.slice(1));
      const text = v === null ? '(nil)' : Array.isArray(v) ? `(${v.length} elements)` : String(v);
      return { outcome: 'ok', reply: this.world.topo.toSim(text), value: v };
    } catch (e) {
      const err = e as Error & { name?: string };
      const msg = this.world.topo.toSim(err.message ?? String(e));
      if (err.name === 'ReplyError') return { outcome: 'fail', reply: msg };
      if (/enableOfflineQueue|Stream isn't writeable/.test(msg)) return { outcome: 'fail', reply: `${msg} (not sent)` };
      if (/timed out/i.test(msg)) {
        // a time-out means re-resolving the master (the Sentinel client spec, as the simulator's clients do);
        // ioredis alone keeps a silently cut connection 'ready' for as long as the kernel does
        if (c.redis === r && r.status === 'ready') {
          this.log(c, '#', `Timeout from ${this.masterAddress(c) ?? '?'} after ${c.spec.timeoutMs} ms: re-resolving master ${c.spec.masterName}`);
          (r as unknown as { disconnect(reconnect: boolean): void }).disconnect(true);
        }
        return { outcome: 'unknown', reply: 'timeout' };
      }
      return { outcome: 'unknown', reply: msg };
    }
  }

  /** The client's master connection once it is ready, waiting at most `ms` for it (null: not ready by then). */
  private ready(c: Client, ms: number): Promise<IoRedis | null> {
    const r = c.redis;
    if (!r) return Promise.resolve(null);
    if (r.status === 'ready') return Promise.resolve(r);
    if (r.status === 'end' || this.closing) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        r.removeListener('ready', done);
        resolve(r.status === 'ready' && c.redis === r ? r : null);
      };
      const timer = setTimeout(done, ms);
      r.once('ready', done);
    });
  }

  state(node: string): { state: string; hostUp: boolean } | undefined {
    const c = [...this.clients.values()].find((x) => x.node === node);
    return c ? { state: 'running', hostUp: !this.world.isHostDown(c.host) } : undefined;
  }

  closeSync(): void {
    this.closing = true;
    for (const w of this.workloads) w.stop();
    for (const c of this.clients.values()) {
      for (const x of [c.redis, ...c.watchers]) {
        try {
          x?.disconnect();
        } catch {
          // closing anyway
        }
      }
      c.redis = null;
      c.watchers = [];
    }
  }

  async close(): Promise<void> {
    this.closeSync();
  }
}
