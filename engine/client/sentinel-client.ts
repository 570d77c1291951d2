// A Sentinel-aware client process, following Redis's "Sentinel client spec" (redis.io/docs/reference/
// sentinel-clients): step 1 ask each Sentinel in turn (short time-out; the first that answers moves to
// the front), step 2 SENTINEL get-master-addr-by-name, step 3 verify with ROLE (not a master ⇒ wait a
// little and start again); re-resolve after any connection loss, on -READONLY / -MASTERDOWN and,
// optionally, when a subscribed Sentinel publishes +switch-master. Every call has a time-out.
// Commands are sent only on a verified master connection, so "sent" is exact (history outcomes).
import type { Resp } from '../net/resp.ts';
import type { CloseReason } from '../net/types.ts';
import type { ProcessContext, ProcSlot, ProcTimer } from '../sim/process.ts';
import type { Simulation } from '../sim/simulation.ts';
import { RedisConnection } from './connection.ts';
import { clientError, type ClientError } from './errors.ts';
import { parseAddress } from './simClient.ts';

export interface SentinelClientOptions {
  /** Host (box) the client runs on; created if missing. Default `client-<n>`. */
  host?: string;
  /** IP of the host when it is created (default: the name if it is an IPv4 address, else 10.254.0.N). */
  ip?: string;
  /** Label in histories and logs (default: the host name). */
  name?: string;
  /** Sentinel addresses "ip:port", in the order to try them. */
  sentinels: string[];
  masterName: string;
  /** AUTH sent to the data nodes: a password or [username, password]. */
  password?: string | [string, string];
  /** AUTH sent to the Sentinels (sentinel requirepass). */
  sentinelPassword?: string | [string, string];
  /** SELECT after AUTH on data nodes. */
  db?: number;
  /** Per-call time-out (ms): a sent call without a reply by then has an unknown outcome. */
  timeoutMs: number;
  /** Time-out of one Sentinel query, connect included (spec: "a few hundreds of milliseconds"; default min(timeoutMs, 500)). */
  sentinelTimeoutMs?: number;
  /** Wait before starting again from step 1 after a failed resolution (spec: a few hundred ms; default 250). */
  retryDelayMs?: number;
  /** Subscribe to +switch-master on every Sentinel and re-resolve when it fires for our master. */
  subscribe?: boolean;
}

/** What became of a call. `sent` tells whether the command may have reached the server. */
export type CallResult =
  | { t: 'reply'; reply: Resp; sent: true }
  | { t: 'timeout'; sent: boolean }
  | { t: 'lost'; error: ClientError; sent: boolean };

interface Op {
  argv: string[];
  cb: (r: CallResult) => void;
  done: boolean;
  sent: boolean;
  conn: RedisConnection | null;
  timer: ProcTimer;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** Error replies after which the connection is to a server that is (no longer) the master. */
const REROUTE = /^(READONLY|MASTERDOWN)\b/;

export class SentinelClient {
  readonly name: string;
  /** Sentinels in the order they will be tried (the last one that answered first). */
  readonly sentinels: string[];
  /** Completed resolutions (master connections verified with ROLE). */
  resolutions = 0;
  private ctxNow: ProcessContext | null = null;
  private master: RedisConnection | null = null;
  private resolving = false;
  /** Bumped to abandon a resolution in progress (new incarnation). */
  private gen = 0;
  private waiting: Op[] = [];
  private readonly draining = new Set<RedisConnection>();
  private failedAttempts = 0;
  private lastFailure = '';
  private lastSwitch = '';
  private readonly startHooks: (() => void)[] = [];
  private readonly timeoutMs: number;
  private readonly sentinelTimeoutMs: number;
  private readonly retryDelayMs: number;

  constructor(
    readonly sim: Simulation,
    readonly slot: ProcSlot,
    readonly opts: SentinelClientOptions,
  ) {
    this.name = opts.name ?? slot.host.name;
    this.sentinels = opts.sentinels.map((s) => {
      const a = parseAddress(s);
      return `${a.ip}:${a.port}`;
    });
    if (this.sentinels.length === 0) throw new Error(`client ${this.name}: no Sentinel addresses`);
    if (!(opts.timeoutMs > 0)) throw new Error(`client ${this.name}: timeoutMs must be > 0`);
    this.timeoutMs = opts.timeoutMs;
    this.sentinelTimeoutMs = opts.sentinelTimeoutMs ?? Math.min(opts.timeoutMs, 500);
    this.retryDelayMs = opts.retryDelayMs ?? 250;
  }

  /** "ip:port" of the verified master connection, or null while (re)resolving. */
  get masterAddress(): string | null {
    return this.master && this.master.state !== 'closed' ? this.master.address : null;
  }

  /** The running incarnation's context, starting the process on first use; null when it is down. */
  get ctx(): ProcessContext | null {
    if (this.slot.state === 'stopped' && this.slot.incarnation === 0 && this.slot.host.up) this.sim.start(this.slot.name);
    return this.slot.state === 'stopped' ? null : this.ctxNow;
  }

  /** Run `fn` at each start of the process (now, if it is running); a crash loses everything else. */
  onStart(fn: () => void): void {
    this.startHooks.push(fn);
    if (this.ctxNow && this.slot.state !== 'stopped') fn();
  }

  /**
   * Send a command to the master. It waits (unsent) while the master is being resolved; `cb` gets
   * the reply, or a time-out / lost connection after `timeoutMs` at most. Never re-entrant.
   */
  call(argv: string[], cb: (r: CallResult) => void): void {
    const ctx = this.ctx;
    if (!ctx) {
      this.sim.sched.after(0, () => cb({ t: 'lost', error: clientError('not-running'), sent: false }));
      return;
    }
    const op: Op = { argv, cb, done: false, sent: false, conn: null, timer: null as unknown as ProcTimer };
    op.timer = ctx.setTimer(this.timeoutMs, () => this.timedOut(op));
    if (this.master && this.master.state === 'open') this.send(op, this.master);
    else {
      this.waiting.push(op);
      this.ensureResolving();
    }
  }

  /** Close every connection (calls waiting for a master fail at their time-out). */
  close(): void {
    this.master?.close();
    this.master = null;
  }

  /** @internal a new incarnation of the process. */
  attach(ctx: ProcessContext): void {
    this.ctxNow = ctx;
    this.master = null;
    this.resolving = false;
    this.gen++;
    this.waiting = [];
    this.draining.clear();
    if (this.opts.subscribe) for (const s of this.sentinels) this.subscribeTo(ctx, s);
    for (const fn of this.startHooks) fn();
  }

  /** @internal keyframe view. */
  snapshot(): unknown {
    return { name: this.name, master: this.masterAddress, resolving: this.resolving, waiting: this.waiting.length, sentinels: [...this.sentinels] };
  }

  // ---- calls --------------------------------------------------------------------------------------

  private send(op: Op, conn: RedisConnection): void {
    op.sent = true;
    op.conn = conn;
    // the client's own state changes before the caller hears (it may call again at once)
    conn.call(op.argv, (r) => {
      if (r.t === 'client-error') {
        this.connectionGone(conn, r.reason);
        this.finish(op, { t: 'lost', error: r, sent: true });
        return;
      }
      if (r.t === 'error' && REROUTE.test(r.v) && conn === this.master) {
        this.log('#', `${r.v.split(' ')[0]} from ${conn.address}: re-resolving master ${this.opts.masterName}`);
        this.retire(conn);
      }
      if (this.draining.has(conn) && conn.pending === 0) {
        this.draining.delete(conn);
        conn.close();
      }
      this.finish(op, { t: 'reply', reply: r, sent: true });
    });
  }

  private finish(op: Op, r: CallResult): void {
    if (op.done) return;
    op.done = true;
    op.timer.cancel();
    op.cb(r);
  }

  private timedOut(op: Op): void {
    if (op.done) return;
    if (!op.sent) {
      const i = this.waiting.indexOf(op);
      if (i >= 0) this.waiting.splice(i, 1);
      this.finish(op, { t: 'timeout', sent: false });
      return;
    }
    // the connection's reply stream is out of step with its callers now: drop it, as client libraries do
    const conn = op.conn!;
    if (conn === this.master) {
      this.log('#', `Timeout from ${conn.address} after ${this.timeoutMs} ms: re-resolving master ${this.opts.masterName}`);
      this.master = null;
    }
    this.draining.delete(conn);
    conn.close();
    this.finish(op, { t: 'timeout', sent: true });
  }

  /** Stop sending to `conn` (its in-flight calls still get their replies), then resolve again. */
  private retire(conn: RedisConnection): void {
    if (this.master === conn) this.master = null;
    if (conn.pending === 0) conn.close();
    else this.draining.add(conn);
    if (this.waiting.length > 0) this.ensureResolving();
  }

  private connectionGone(conn: RedisConnection, reason: CloseReason | string): void {
    this.draining.delete(conn);
    if (conn !== this.master) return;
    this.master = null;
    this.log('#', `Connection to master ${conn.address} lost (${reason}): re-resolving master ${this.opts.masterName}`);
    if (this.waiting.length > 0) this.ensureResolving();
  }

  // ---- resolution (spec steps 1-3) ------------------------------------------------------------------

  private ensureResolving(): void {
    const ctx = this.ctx;
    if (!ctx || this.resolving || (this.master && this.master.state === 'open')) return;
    this.resolving = true;
    const gen = this.gen;
    this.askSentinel(ctx, gen, 0, []);
  }

  private current(ctx: ProcessContext, gen: number): boolean {
    return gen === this.gen && ctx === this.ctxNow && ctx.alive();
  }

  /** Steps 1-2: ask Sentinel #i; on an address, move it to the front and go to step 3. */
  private askSentinel(ctx: ProcessContext, gen: number, i: number, why: string[]): void {
    if (!this.current(ctx, gen)) return;
    if (i >= this.sentinels.length) {
      this.attemptFailed(`No Sentinel gave the address of ${this.opts.masterName} (${why.join(', ')}): retrying in ${this.retryDelayMs} ms`);
      return this.retryLater(ctx, gen);
    }
    const addr = this.sentinels[i]!;
    let done = false;
    const conn = this.open(ctx, addr, this.opts.sentinelPassword, undefined, this.sentinelTimeoutMs);
    const next = (reason: string) => {
      if (done) return;
      done = true;
      timer.cancel();
      conn.close();
      this.askSentinel(ctx, gen, i + 1, [...why, `${addr} ${reason}`]);
    };
    const timer = ctx.setTimer(this.sentinelTimeoutMs, () => next('timeout'));
    conn.call(['SENTINEL', 'get-master-addr-by-name', this.opts.masterName], (r) => {
      if (done) return;
      if (!this.current(ctx, gen)) {
        done = true;
        timer.cancel();
        return conn.close();
      }
      if (r.t === 'client-error') return next(r.message.toLowerCase());
      if (r.t === 'error') return next(r.v);
      const a = r.t === 'array' && r.v && r.v.length === 2 ? r.v.map((x) => (x.t === 'bulk' ? x.v : null)) : null;
      if (!a || a[0] == null || a[1] == null) return next('null reply');
      done = true;
      timer.cancel();
      conn.close();
      if (i > 0) this.sentinels.unshift(...this.sentinels.splice(i, 1));
      this.verifyRole(ctx, gen, `${a[0]}:${a[1]}`, addr);
    });
  }

  /** Step 3: connect to the address and check ROLE says master; else wait and start again. */
  private verifyRole(ctx: ProcessContext, gen: number, addr: string, via: string): void {
    let done = false;
    const conn = this.open(ctx, addr, this.opts.password, this.opts.db, this.timeoutMs, (reason) => {
      if (this.master === conn) this.connectionGone(conn, reason);
      else if (!done) fail(`connection ${reason}`);
    });
    const fail = (reason: string) => {
      if (done) return;
      done = true;
      timer.cancel();
      conn.close();
      if (!this.current(ctx, gen)) return;
      this.attemptFailed(`${addr} (from Sentinel ${via}) is not usable as master ${this.opts.masterName}: ${reason}; retrying in ${this.retryDelayMs} ms`);
      this.retryLater(ctx, gen);
    };
    const timer = ctx.setTimer(this.timeoutMs, () => fail('ROLE timed out'));
    conn.call(['ROLE'], (r) => {
      if (done) return;
      if (!this.current(ctx, gen)) {
        done = true;
        timer.cancel();
        return conn.close();
      }
      if (r.t === 'client-error') return fail(r.message.toLowerCase());
      if (r.t === 'error') return fail(r.v);
      const role = r.t === 'array' && r.v && r.v[0]?.t === 'bulk' ? r.v[0].v : null;
      if (role !== 'master') return fail(`ROLE is ${role ?? 'unknown'}`);
      const hs = conn.handshakeError;
      if (hs) return fail(hs.t === 'error' ? hs.v : hs.t === 'client-error' ? hs.message : 'handshake failed');
      done = true;
      timer.cancel();
      this.ready(conn, via);
    });
  }

  private ready(conn: RedisConnection, via: string): void {
    this.master = conn;
    this.resolving = false;
    this.resolutions++;
    const after = this.failedAttempts > 0 ? `, after ${this.failedAttempts} failed attempt${this.failedAttempts > 1 ? 's' : ''}` : '';
    this.failedAttempts = 0;
    this.lastFailure = '';
    this.log('*', `Master ${this.opts.masterName} is ${conn.address} (Sentinel ${via}, ROLE master${after})`);
    const q = this.waiting;
    this.waiting = [];
    for (const op of q) if (!op.done) this.send(op, conn);
  }

  /** A failed resolution: logged unless it is the same as the previous failure (retries every few hundred ms). */
  private attemptFailed(line: string): void {
    this.failedAttempts++;
    if (line === this.lastFailure) return;
    this.lastFailure = line;
    this.log('#', line);
  }

  private retryLater(ctx: ProcessContext, gen: number): void {
    ctx.setTimer(this.retryDelayMs, () => {
      if (!this.current(ctx, gen)) return;
      // resolve lazily: only while calls wait for a master
      if (this.waiting.length === 0) {
        this.resolving = false;
        return;
      }
      this.askSentinel(ctx, gen, 0, []);
    });
  }

  private open(
    ctx: ProcessContext,
    addr: string,
    auth: string | [string, string] | undefined,
    db: number | undefined,
    connectTimeoutMs: number,
    onClose?: (reason: CloseReason) => void,
  ): RedisConnection {
    const { ip, port } = parseAddress(addr);
    return new RedisConnection(ctx, ip, port, { auth, db, connectTimeoutMs, onClose });
  }

  // ---- +switch-master ---------------------------------------------------------------------------------

  private subscribeTo(ctx: ProcessContext, addr: string): void {
    if (ctx !== this.ctxNow || !ctx.alive()) return;
    const conn = this.open(ctx, addr, this.opts.sentinelPassword, undefined, this.sentinelTimeoutMs, () => {
      // a lost subscription is retried after a second (Sentinel down or restarted)
      ctx.setTimer(1000, () => this.subscribeTo(ctx, addr));
    });
    conn.onPush((m) => this.onSentinelMessage(m, addr));
    conn.call(['SUBSCRIBE', '+switch-master']);
  }

  private onSentinelMessage(m: Resp, from: string): void {
    if (m.t !== 'array' || !m.v || m.v.length !== 3) return;
    const [kind, channel, payload] = m.v.map((x) => (x.t === 'bulk' ? x.v : null));
    if (kind !== 'message' || channel !== '+switch-master' || !payload) return;
    // +switch-master <name> <old ip> <old port> <new ip> <new port>
    const w = payload.split(' ');
    if (w[0] !== this.opts.masterName) return;
    const to = `${w[3]}:${w[4]}`;
    // already on the new master: nothing to do; every Sentinel publishes the same switch, so a repeat
    // while the first one is being acted on is skipped (a repeat later, still on another master, is not)
    if (this.master && this.master.address === to) return;
    if (payload === this.lastSwitch && this.resolving) return;
    this.lastSwitch = payload;
    this.log('*', `+switch-master from Sentinel ${from} (${payload}): re-resolving master ${this.opts.masterName}`);
    // the three steps again from step 1, now (the spec: the message only triggers the procedure)
    if (this.resolving) {
      this.gen++;
      this.resolving = false;
    }
    if (this.master) this.retire(this.master);
    this.ensureResolving();
  }

  private log(level: '*' | '#', line: string): void {
    this.ctxNow?.log(level, `${this.name}: ${line}`);
  }
}

/**
 * Add a Sentinel-aware client process on `opts.host` (created if missing). The process starts on first
 * use or with sim.startAll(); a crash loses its connections and waiting calls, a restart starts afresh.
 */
export function addSentinelClient(sim: Simulation, opts: SentinelClientOptions): SentinelClient {
  let hostName = opts.host;
  for (let n = 1; hostName === undefined; n++) if (!sim.hosts.has(`client-${n}`)) hostName = `client-${n}`;
  let host = sim.hosts.get(hostName);
  if (!host) {
    let ip = opts.ip ?? (IPV4.test(hostName) ? hostName : `10.254.0.${sim.hosts.size + 1}`);
    if (opts.ip === undefined) {
      const used = new Set([...sim.hosts.values()].map((h) => h.ip));
      for (let n = sim.hosts.size + 1; used.has(ip); n++) ip = `10.254.0.${n}`;
    }
    host = sim.addHost(hostName, ip);
  }
  let port = 40000;
  while (sim.procs.has(`${host.ip}:${port}`)) port++;
  let client: SentinelClient | null = null;
  const slot = sim.addProcess(host, port, 'client', (ctx) => {
    client!.attach(ctx);
    return { roleChar: () => 'C', snapshot: () => client!.snapshot() };
  });
  slot.listening = false;
  client = new SentinelClient(sim, slot, { ...opts, host: hostName });
  return client;
}

/** From test or scenario code: one call, running the simulation until its result is there. */
export function sentinelCallSync(sim: Simulation, client: SentinelClient, argv: string[], opts: { timeout?: number | string } = {}): CallResult {
  let res: CallResult | undefined;
  client.call(argv, (r) => (res = r));
  sim.runUntil(() => res !== undefined, { timeout: opts.timeout ?? '60s', what: `the result of ${argv.slice(0, 3).join(' ')} from ${client.name}` });
  return res!;
}
