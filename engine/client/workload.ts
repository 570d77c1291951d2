// Workloads over Sentinel clients that record a history (design.md, engine/client; spec/scenarios.md
// Jepsen 2013): set-add of unique integers (client i of n adds i, i+n, i+2n…), counter INCRs, and a
// SET/GET mix, each at a rate, then a final read from the final master to count the survivors.
import type { Resp } from '../net/resp.ts';
import type { Rng } from '../sim/rng.ts';
import type { Simulation } from '../sim/simulation.ts';
import { parseDuration, type Micros } from '../sim/time.ts';
import {
  countOutcomes,
  OP_NOTE,
  summarizeCounter,
  summarizeHistory,
  type CounterAccounting,
  type HistoryEntry,
  type OpKind,
  type Outcome,
  type SetAccounting,
} from './history.ts';
import type { CallResult, SentinelClient } from './sentinel-client.ts';

export type WorkloadKind = 'set-add' | 'counter' | 'mix';

export interface WorkloadOptions {
  kind: WorkloadKind;
  /** Invocations per second, per client. */
  rate: number;
  /**
   * set-add and counter use keys[0] (default "jepsen" / "counter"); mix picks one uniformly per op
   * (default ["k"]). A number n stands for the keys "key:0" … "key:<n-1>".
   */
  keys?: string[] | number;
  /** How long new ops are invoked (ms or "30s"), from `start`. */
  duration: number | string;
  /** Virtual instant of the first op (ms or "00:00:10"); default: when the client process starts. */
  start?: number | string;
  /** Exponential inter-arrival times (a Poisson process) from the client's rng; default a fixed 1/rate. */
  exponential?: boolean;
  /** Ops in flight per client (default 1: an arrival waits for the previous op, like Jepsen's workers). */
  inFlight?: number;
  /** mix: probability that an op is a GET (default 0.5). */
  readFraction?: number;
}

/** The ok / fail / unknown of a call result, and its reply as text (history.ts, Outcome). */
export function classifyResult(r: CallResult): { outcome: Outcome; reply: string } {
  if (r.t === 'timeout') return r.sent ? { outcome: 'unknown', reply: 'timeout' } : { outcome: 'fail', reply: 'timeout (not sent: no master)' };
  if (r.t === 'lost') return r.sent ? { outcome: 'unknown', reply: r.error.message } : { outcome: 'fail', reply: `${r.error.message} (not sent)` };
  // every error reply of SADD / INCR / SET / GET is a refusal before execution (-READONLY, -NOREPLICAS, -MASTERDOWN, -NOAUTH, -OOM, -LOADING, -WRONGTYPE...)
  if (r.reply.t === 'error') return { outcome: 'fail', reply: r.reply.v };
  return { outcome: 'ok', reply: replyText(r.reply) };
}

function replyText(r: Resp): string {
  switch (r.t) {
    case 'simple':
      return r.v;
    case 'error':
      return r.v;
    case 'int':
      return String(r.v);
    case 'bulk':
      return r.v ?? '(nil)';
    case 'array':
      return r.v === null ? '(nil)' : `(${r.v.length} elements)`;
  }
}

/** What a finished workload reports (also written to the trace as a 'workload-summary' note). */
export interface WorkloadResult {
  history: HistoryEntry[];
  /** set-add: Jepsen's accounting; counter: the counter's; mix: null. Null too when the final read failed. */
  accounting: SetAccounting | CounterAccounting | null;
  /** The final read's value: set members (sorted numerically), counter value, or per-key values (mix). */
  final: string[] | number | Record<string, string | null> | null;
}

interface ClientRun {
  /** The client process incarnation this loop belongs to. */
  incarnation: number;
  inFlight: number;
  blocked: boolean;
  rng: Rng;
}

export class Workload {
  readonly history: HistoryEntry[] = [];
  readonly keys: string[];
  result: WorkloadResult | null = null;
  private readonly startUs: Micros | null;
  private endUs: Micros;
  private readonly durationUs: Micros;
  private readonly maxInFlight: number;
  private readonly next: number[];
  private readonly runs: (ClientRun | null)[];
  private stopped = false;

  constructor(
    readonly sim: Simulation,
    readonly clients: SentinelClient[],
    readonly opts: WorkloadOptions,
  ) {
    if (clients.length === 0) throw new Error('workload: no clients');
    if (!(opts.rate > 0)) throw new Error('workload: rate must be > 0 ops/s');
    const keys = typeof opts.keys === 'number' ? Array.from({ length: opts.keys }, (_, i) => `key:${i}`) : (opts.keys ?? []);
    this.keys = keys.length > 0 ? keys : [opts.kind === 'set-add' ? 'jepsen' : opts.kind === 'counter' ? 'counter' : 'k'];
    this.startUs = opts.start === undefined ? null : parseDuration(opts.start);
    this.durationUs = parseDuration(opts.duration);
    this.endUs = this.startUs === null ? Infinity : this.startUs + this.durationUs;
    this.maxInFlight = Math.max(1, opts.inFlight ?? 1);
    this.next = clients.map((_, i) => i);
    this.runs = clients.map(() => null);
    clients.forEach((c, i) => c.onStart(() => this.begin(i)));
    // a sim that is already running: start the client processes now (before, startAll() does it)
    if (sim.trace.header !== null) for (const c of clients) void c.ctx;
  }

  /** No new invocations from now on (ops in flight still complete). */
  stop(): void {
    this.stopped = true;
  }

  /** Ops still waiting for their outcome (complete === null). */
  get inFlight(): number {
    let n = 0;
    this.runs.forEach((r, i) => {
      const slot = this.clients[i]!.slot;
      // ops of a dead incarnation never complete: not worth waiting for
      if (r && slot.state !== 'stopped' && slot.incarnation === r.incarnation) n += r.inFlight;
    });
    return n;
  }

  /** The run's counts for the scenario summary (scenarios/api HistorySource). */
  clientOps(): { ok: number; failed: number; unknown: number; lostAcknowledged: number } {
    const c = countOutcomes(this.history);
    return { ok: c.ok, failed: c.fail, unknown: c.unknown, lostAcknowledged: this.result?.accounting?.lost ?? 0 };
  }

  // ---- the invocation loop, per client ------------------------------------------------------------

  private begin(i: number): void {
    const c = this.clients[i]!;
    const ctx = c.ctx;
    if (!ctx) return;
    // a restarted client starts with no ops in flight (those of the dead incarnation never complete)
    const run: ClientRun = { incarnation: ctx.incarnation, inFlight: 0, blocked: false, rng: ctx.rng.fork(`workload/${this.opts.kind}`) };
    this.runs[i] = run;
    const now = this.sim.now;
    let at = this.startUs ?? now;
    if (this.startUs === null && this.endUs === Infinity) this.endUs = now + this.durationUs;
    if (at < now) at = now;
    ctx.setTimer((at - now) / 1000, () => this.tick(i, run));
  }

  private tick(i: number, run: ClientRun): void {
    if (this.runs[i] !== run || this.stopped || this.sim.now >= this.endUs) return;
    if (run.inFlight >= this.maxInFlight) {
      run.blocked = true;
      return;
    }
    this.invoke(i, run);
    const mean = 1000 / this.opts.rate;
    const gap = this.opts.exponential ? run.rng.exponential(mean) : mean;
    this.clients[i]!.ctx?.setTimer(gap, () => this.tick(i, run));
  }

  private invoke(i: number, run: ClientRun): void {
    const c = this.clients[i]!;
    const seq = this.next[i]!;
    this.next[i] = seq + this.clients.length;
    const { op, key, value, argv } = nextOp(this.opts, this.keys, seq, run.rng);
    const e: HistoryEntry = { client: c.name, op, key, value, invoke: this.sim.now, complete: null, outcome: 'unknown' };
    this.history.push(e);
    run.inFlight++;
    c.call(argv, (r) => {
      this.complete(c, e, r);
      if (this.runs[i] !== run) return;
      run.inFlight--;
      if (run.blocked) {
        run.blocked = false;
        this.tick(i, run);
      }
    });
  }

  private complete(c: SentinelClient, e: HistoryEntry, r: CallResult): void {
    const { outcome, reply } = classifyResult(r);
    e.complete = this.sim.now;
    e.outcome = outcome;
    e.reply = reply;
    if (e.op === 'get' && outcome === 'ok' && r.t === 'reply' && r.reply.t === 'bulk') e.value = r.reply.v;
    this.sim.record({ t: this.sim.now, k: 'note', node: c.slot.name, what: OP_NOTE, data: { ...e } });
  }

  // ---- the final read -----------------------------------------------------------------------------

  /**
   * Stop invoking, let the ops in flight finish (each within the client's time-out), then read the
   * final state from the master the Sentinels name (ROLE-verified), retrying failed reads every
   * `retryMs` until `deadlineMs` from now. Calls `done` with the result (also kept in `this.result`).
   */
  finish(done: (r: WorkloadResult) => void, opts: { reader?: SentinelClient; retryMs?: number; deadlineMs?: number } = {}): void {
    this.stop();
    const reader = opts.reader ?? this.clients[0]!;
    const deadline = this.sim.now + (opts.deadlineMs ?? 60_000) * 1000;
    const retryMs = opts.retryMs ?? 500;
    const waitIdle = () => {
      if (this.inFlight > 0 && this.sim.now < deadline) return void this.sim.sched.after(10_000, waitIdle);
      this.readAll(reader, deadline, retryMs, (final) => {
        this.result = this.conclude(final);
        done(this.result);
      });
    };
    waitIdle();
  }

  /** finish() from script or test code: runs the simulation until the result is there. */
  finishSync(opts: { reader?: SentinelClient; retryMs?: number; deadlineMs?: number } = {}): WorkloadResult {
    let res: WorkloadResult | undefined;
    this.finish((r) => (res = r), opts);
    this.sim.runUntil(() => res !== undefined, { timeout: (opts.deadlineMs ?? 60_000) + 10_000, what: 'the final read of the workload' });
    return res!;
  }

  private readAll(reader: SentinelClient, deadline: Micros, retryMs: number, done: (final: WorkloadResult['final']) => void): void {
    const kind = this.opts.kind;
    const keys = kind === 'mix' ? this.keys : [this.keys[0]!];
    const perKey: Record<string, string | null> = {};
    const readKey = (k: number) => {
      if (k >= keys.length) return done(kind === 'mix' ? perKey : null);
      const key = keys[k]!;
      const argv = kind === 'set-add' ? ['SMEMBERS', key] : ['GET', key];
      const e: HistoryEntry = { client: reader.name, op: 'read-all', key, value: null, invoke: this.sim.now, complete: null, outcome: 'unknown' };
      this.history.push(e);
      reader.call(argv, (r) => {
        const { outcome, reply } = classifyResult(r);
        e.complete = this.sim.now;
        e.outcome = outcome;
        let final: string[] | number | null = null;
        if (outcome === 'ok' && r.t === 'reply') {
          const v = r.reply;
          if (kind === 'set-add' && v.t === 'array' && v.v) {
            final = v.v.map((x) => (x.t === 'bulk' ? (x.v ?? '') : '')).sort(numeric);
            e.value = final;
            e.reply = `${final.length} members`;
          } else if (v.t === 'bulk') {
            e.value = kind === 'counter' ? Number(v.v ?? 0) : v.v;
            e.reply = reply;
            final = kind === 'counter' ? (e.value as number) : null;
            perKey[key] = v.v;
          } else {
            e.outcome = 'fail';
            e.reply = `unexpected reply ${reply}`;
          }
        } else e.reply = reply;
        this.sim.record({ t: this.sim.now, k: 'note', node: reader.slot.name, what: OP_NOTE, data: { ...e } });
        if (e.outcome !== 'ok') {
          if (this.sim.now >= deadline) return done(null);
          return void this.sim.sched.after(retryMs * 1000, () => readKey(k));
        }
        if (kind === 'mix') return readKey(k + 1);
        done(final);
      });
    };
    readKey(0);
  }

  private conclude(final: WorkloadResult['final']): WorkloadResult {
    // ops that never completed (the client crashed, or the deadline passed) are noted as unknown
    for (const e of this.history)
      if (e.complete === null && e.op !== 'read-all') {
        const c = this.clients.find((x) => x.name === e.client);
        this.sim.record({ t: this.sim.now, k: 'note', node: c?.slot.name, what: OP_NOTE, data: { ...e } });
      }
    let accounting: WorkloadResult['accounting'] = null;
    if (this.opts.kind === 'set-add' && Array.isArray(final)) accounting = summarizeHistory(this.history, final, this.keys[0]);
    else if (this.opts.kind === 'counter' && typeof final === 'number') accounting = summarizeCounter(this.history, final, this.keys[0]);
    const r: WorkloadResult = { history: this.history, accounting, final };
    this.sim.record({ t: this.sim.now, k: 'note', what: 'workload-summary', data: { kind: this.opts.kind, keys: this.keys, ...this.clientOps(), accounting } });
    return r;
  }
}

const numeric = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);

/** Attach a workload to one client, or to n clients (client i of n adds i, i+n, i+2n… in set-add). */
export function addWorkload(sim: Simulation, client: SentinelClient | SentinelClient[], opts: WorkloadOptions): Workload {
  return new Workload(sim, Array.isArray(client) ? client : [client], opts);
}

/** The next operation of a workload client: its kind, key, value and command (the twin's workload uses it too). */
export function nextOp(opts: Pick<WorkloadOptions, 'kind' | 'readFraction'>, keys: readonly string[], seq: number, rng: Rng): { op: OpKind; key: string; value: HistoryEntry['value']; argv: string[] } {
  const key = keys[0]!;
  switch (opts.kind) {
    case 'set-add':
      return { op: 'sadd', key, value: seq, argv: ['SADD', key, String(seq)] };
    case 'counter':
      return { op: 'incr', key, value: 1, argv: ['INCR', key] };
    case 'mix': {
      const k = keys.length === 1 ? key : rng.choice(keys);
      if (rng.chance(opts.readFraction ?? 0.5)) return { op: 'get', key: k, value: null, argv: ['GET', k] };
      return { op: 'set', key: k, value: String(seq), argv: ['SET', k, String(seq)] };
    }
  }
}
