// A branch whose engine runs in a Web Worker (worker.ts): the page keeps a mirror of what it recorded (records,
// exact message ends, view patches, the plan and the actions' results) — what a FrameStore reads — and asks
// the worker to run on, act, or read a keyspace. Requests are served in order; cancel() ends the worker.
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import type { ViewPatch } from '../model/store.ts';
import type { Action, ActionResult, BranchPlan, TimedAction } from './fork.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

export interface Progress {
  /** Virtual µs the engine has reached. */
  t: number;
  records: number;
  /** Virtual µs the run goes to, when known (a shared branch's end). */
  end: number | null;
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

type Done = Extract<WorkerReply, { type: 'done' }>;

export class RemoteSession {
  readonly records: TraceRecord[] = [];
  readonly msgEnds = new Map<number, [string | null, string | null]>();
  readonly patches = new Map<number, ViewPatch[]>();
  header: TraceHeader | null = null;
  plan: BranchPlan;
  results: ActionResult[] = [];
  scriptError: string | null = null;
  scriptEnd = 0;
  now = 0;
  readonly run = { masterName: null as string | null };
  /** The start request has been answered (the script and the plan's actions have run). */
  ready = false;
  /** Requests sent and not answered yet. */
  busy = 0;
  /** Called after every chunk of records (the page indexes and draws them). */
  onData: (() => void) | null = null;
  onProgress: ((p: Progress) => void) | null = null;
  private settledAt = 0;
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (d: Done) => void; reject: (e: Error) => void }>();
  private cancelled = false;
  /** The last request's answer (requests are answered in order). */
  private tail: Promise<unknown> = Promise.resolve();
  private readonly end: number | null;

  constructor(plan: BranchPlan, end: number | null = null) {
    this.plan = { ...plan, actions: [...plan.actions] };
    this.end = end;
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `branch ${plan.scenario}` });
    this.worker.onmessage = (e: MessageEvent<WorkerReply>) => this.receive(e.data);
    this.worker.onerror = (e) => this.failAll(new Error(e.message || 'the engine worker failed'));
  }

  /** Run the branch's script and actions (up to `end` when given). */
  start(): Promise<void> {
    return this.request({ id: 0, op: 'start', plan: this.plan, end: this.end }).then(() => {
      this.ready = true;
    });
  }

  /** Let virtual time pass up to `t`. */
  advance(t: number): Promise<void> {
    return this.request({ id: 0, op: 'advance', t: Math.round(t) }).then(() => undefined);
  }

  /** Apply an action at `t` (see canAppendAt). */
  async act(t: number, action: Action): Promise<ActionResult> {
    const d = await this.request({ id: 0, op: 'act', t: Math.round(t), action });
    return d.result!;
  }

  async keyspaceAsync(node: string): Promise<{ db: number; keys: string[] }[] | null> {
    return (await this.request({ id: 0, op: 'keyspace', node })).keyspace ?? null;
  }

  private keyspaceAsked = '';
  private keyspaceCache: { node: string; at: number; dbs: { db: number; keys: string[] }[] } | null = null;

  /** The keyspace of a server at the head: cached, else asked of the worker (`then` runs when it comes). */
  keyspaceAt(node: string, then: () => void): { dbs: { db: number; keys: string[] }[]; at: number } | null {
    const c = this.keyspaceCache;
    if (c && c.node === node && c.at === this.now) return { dbs: c.dbs, at: c.at };
    const ask = `${node}@${this.now}`;
    if (this.keyspaceAsked !== ask && this.busy === 0) {
      this.keyspaceAsked = ask;
      const at = this.now;
      this.keyspaceAsync(node).then(
        (dbs) => {
          if (!dbs) return;
          this.keyspaceCache = { node, at, dbs };
          then();
        },
        () => undefined,
      );
    }
    return null;
  }

  get lastStepT(): number {
    const a = this.plan.actions;
    return a.length ? a[a.length - 1].t : (this.plan.cut ?? this.settledAt);
  }

  canAppendAt(t: number): boolean {
    return t >= this.now || (this.now === this.settledAt && t >= this.lastStepT);
  }

  /** The plan of a branch forked from this one at `t` with `action` (LiveSession.forkPlan's rule). */
  forkPlan(t: number, action: Action): BranchPlan {
    const p = this.plan;
    const cut = p.cut === null ? (t < this.scriptEnd ? t : null) : Math.min(p.cut, t);
    return { ...p, cut, actions: [...p.actions.filter((x) => x.t <= t), { ...action, t: Math.round(t) } as TimedAction] };
  }

  /** Stop the worker: every pending request fails with CancelledError. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.worker.terminate();
    this.failAll(new CancelledError('cancelled'));
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  private request(m: WorkerRequest): Promise<Done> {
    if (this.cancelled) return Promise.reject(new CancelledError('cancelled'));
    const id = this.nextId++;
    this.busy++;
    const p = new Promise<Done>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...m, id });
    }).finally(() => this.busy--);
    this.tail = p.catch(() => undefined);
    return p;
  }

  /** Resolves once every request sent so far is answered (or failed). */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  private receive(m: WorkerReply): void {
    if (this.cancelled) return;
    if (m.type === 'chunk') {
      if (m.from !== this.records.length) return;
      for (const r of m.records) this.records.push(r);
      for (const [i, e] of m.msgEnds) this.msgEnds.set(i, e);
      for (const [i, p] of m.patches) this.patches.set(i, p);
      if (m.header) this.header = m.header;
      this.now = m.now;
      this.onProgress?.({ t: m.now, records: this.records.length, end: this.end });
      this.onData?.();
      return;
    }
    const w = this.waiting.get(m.id);
    this.waiting.delete(m.id);
    if (m.type === 'error') {
      w?.reject(new Error(m.message));
      return;
    }
    this.now = m.now;
    this.settledAt = m.settledAt;
    this.scriptEnd = m.scriptEnd;
    this.scriptError = m.scriptError;
    this.run.masterName = m.masterName;
    this.plan = m.plan;
    this.results = m.results;
    w?.resolve(m);
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}

