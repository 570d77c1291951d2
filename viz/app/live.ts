// Live runs (spec viz.md §3, issue 15 items 1 and 5): a library scenario, its forks and its branches, each run
// by the engine in a Web Worker (remote.ts). What a worker records is indexed as it arrives, chunk by chunk (a
// FrameStore per session, grown in short tasks: nothing is rebuilt when a run ends). Actions are queued; each
// applies at the playhead's instant: at the branch's head it extends the branch, before it it forks one.
import { formatClock } from '../../engine/sim/time.ts';
import type { FrameStore } from '../model/store.ts';
import { clientEntry, type ClientEntry, type ClientPanel } from './actions.ts';
import { branchName, type Branch, type BranchPanel, type BranchTree } from './branches.ts';
import { branchUrl, copyLink, exportBranch, showExportDialog, updateUrl, type ExportedBranch } from './branchExport.ts';
import { describeAction, type Action, type ActionResult, type BranchPlan } from './fork.ts';
import { catalogEntry, catalogScenarios } from './catalog.ts';
import { CancelledError, RemoteSession, type Progress } from './remote.ts';
import { SessionStores } from './sessionStores.ts';

/** Branch sessions kept in memory (switching to one of them is instant; the others are rebuilt from their plan). */
const KEEP_SESSIONS = 4;
/** Wall ms between redraws of the timeline and epochs while a shown run grows. */
const GROW_UI_MS = 1000;
/** Wall ms between updates of the progress bar and status line while a run goes on. */
const PROGRESS_MS = 200;

/** What live runs need of the page. */
export interface LiveHost {
  readonly t: number;
  readonly speed: number;
  readonly playing: boolean;
  pause(): void;
  seekNow(t: number): void;
  /** Show a store (a live one: its session is `live.session`). */
  showStore(store: FrameStore, label: string, keepT: number | undefined, streaming: boolean): void;
  /** The shown store has grown (timeline and epochs when `ui`). */
  grew(store: FrameStore, ui: boolean): void;
  /** Index a store's new records for Sentinel's reasoning (kept in step with the store). */
  index(store: FrameStore): void;
  nextLoad(): number;
  current(load: number): boolean;
  setStatus(text: string): void;
  loading(text: string): void;
  fail(message: string): void;
  progress: HTMLProgressElement;
  cancel: HTMLButtonElement;
  exportDialog: HTMLDialogElement;
  client: ClientPanel;
  branchPanel: BranchPanel;
  branches: BranchTree;
}

export class LiveRuns {
  session: RemoteSession | null = null;
  /** The run in progress in a worker (a scenario, a fork, a branch rebuilt): the progress bar's and cancel's. */
  private running: RemoteSession | null = null;
  /** Actions wait for the one before them. */
  private acting: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private readonly stores: SessionStores;
  /** How far the playhead has shown each session: its head for acting (the engine may run ahead while playing). */
  private readonly shown = new WeakMap<RemoteSession, number>();
  private readonly lastUi = new WeakMap<RemoteSession, number>();
  private readonly sessions = new Map<number, RemoteSession>();

  constructor(private readonly host: LiveHost) {
    this.stores = new SessionStores((store) => host.index(store));
  }

  /** The store of a session (see SessionStores.storeOf). */
  storeOf(s: RemoteSession, sliced = false): FrameStore | null {
    return this.stores.storeOf(s, sliced);
  }

  caughtUp(s: RemoteSession): Promise<void> {
    return this.stores.caughtUp(s);
  }

  /** Every chunk a worker sends is indexed at once (a short task each), shown or not. */
  private attach(s: RemoteSession, onFirst?: (store: FrameStore) => void): void {
    s.onData = () => {
      const had = this.stores.has(s);
      const store = this.storeOf(s, true);
      if (!store) return;
      if (!had && onFirst) onFirst(store);
      else if (this.session === s) {
        const now = performance.now();
        const ui = now - (this.lastUi.get(s) ?? 0) >= GROW_UI_MS;
        if (ui) this.lastUi.set(s, now);
        this.host.grew(store, ui);
      }
    };
  }

  /** How far the shown branch has been shown (an action at or after it extends the branch). */
  get head(): number {
    const s = this.session;
    return s ? (this.shown.get(s) ?? s.now) : 0;
  }

  /** The playhead reached `t` on the shown session. */
  noteShown(t: number): void {
    const s = this.session;
    if (s && s.ready && t > (this.shown.get(s) ?? 0)) this.shown.set(s, Math.min(t, s.now));
  }

  /**
   * Run a library scenario in a worker (live: the engine keeps running when played past the end). With a
   * plan (a shared branch link), run that branch instead, and up to `end` when given.
   */
  loadScenario(name: string, seed: string | undefined, branch?: { plan: BranchPlan; end: number | null; t?: number | null }, opts: { t?: number | null } = {}): { name: string; seed: string } | null {
    const sc = catalogEntry(name);
    if (!sc) {
      this.host.fail(`unknown scenario '${name}' (the library has: ${catalogScenarios().map((s) => s.name).join(', ')})`);
      return null;
    }
    const s = seed ?? sc.seed;
    const plan: BranchPlan = branch ? { ...branch.plan, scenario: name, seed: branch.plan.seed || s } : { scenario: name, seed: s, cut: null, actions: [] };
    const t0 = performance.now();
    const load = this.host.nextLoad();
    const session = new RemoteSession(plan, branch?.end ?? null);
    const keepT = branch?.t ?? opts.t ?? undefined;
    // the first records are drawn as they come (the engine runs in a worker)
    this.attach(session, (store) => {
      if (!this.host.current(load)) return;
      this.session = session;
      this.host.showStore(store, `${name} (seed ${s}) · running…`, keepT, true);
    });
    for (const old of this.sessions.values()) if (old !== this.session) old.cancel();
    this.sessions.clear();
    this.host.loading(`running ${name} seed ${s}…`);
    void this.track(this.runInWorker(session, `${name} seed ${s}`).then(() => this.caughtUp(session)))
      .then(() => {
        if (!this.host.current(load)) return;
        const root = this.host.branches.reset(session.plan, session.now);
        this.useSession(session, root, keepT ?? (this.session === session ? this.host.t : undefined));
        document.body.dataset.load = 'done';
        document.body.dataset.ready = 'true';
        this.host.setStatus(`ran ${name} seed ${s}${plan.actions.length || plan.cut !== null ? ` (a branch: ${plan.actions.length} actions)` : ''} in ${Math.round(performance.now() - t0)} ms${session.scriptError ? ` — the script failed: ${session.scriptError}` : ''}`);
      })
      .catch((e: Error) => {
        if (!this.host.current(load)) return;
        if (e instanceof CancelledError) this.host.setStatus(`${name}: cancelled (${session.records.length} records, up to ${formatClock(session.now)})`);
        else this.host.fail(`scenario ${name} could not start: ${e.message}`);
        document.body.dataset.ready = 'true';
        if (document.body.dataset.load === 'loading') document.body.dataset.load = 'done';
      });
    return { name, seed: s };
  }

  /** Run a session's start in its worker with the progress bar and the cancel button shown. */
  private async runInWorker(session: RemoteSession, what: string): Promise<void> {
    this.running?.cancel();
    this.running = session;
    const { progress, cancel } = this.host;
    progress.hidden = false;
    cancel.hidden = false;
    progress.removeAttribute('value');
    document.body.dataset.busy = 'true';
    let shownAt = 0;
    session.onProgress = (p: Progress) => {
      if (this.running !== session) return;
      // the bar and the status line a few times a second (each write lays the header out again)
      const now = performance.now();
      if (now - shownAt < PROGRESS_MS) return;
      shownAt = now;
      if (p.end) progress.value = Math.min(1, p.t / p.end);
      this.host.setStatus(`running ${what}: ${formatClock(p.t)} of virtual time, ${p.records} records…`);
    };
    if (!this.stores.has(session) && session.onData === null) this.attach(session);
    try {
      await session.start();
    } finally {
      if (this.running === session) {
        this.running = null;
        progress.hidden = true;
        cancel.hidden = true;
        if (this.pending === 0) delete document.body.dataset.busy;
      }
    }
  }

  /** Stop the run in progress (its worker ends; what it recorded so far stays on screen). */
  cancelRun(): void {
    this.running?.cancel();
  }

  /** A trace file is shown: no live session. */
  detach(): void {
    this.session = null;
    for (const s of this.sessions.values()) s.cancel();
    this.sessions.clear();
  }

  /** Show a branch's session: its store, its client history, the branch list, the URL. */
  private useSession(session: RemoteSession, branch: Branch, keepT?: number): void {
    this.host.nextLoad();
    this.session = session;
    if (!this.shown.has(session)) this.shown.set(session, session.now);
    this.sessions.delete(branch.id);
    this.sessions.set(branch.id, session);
    // most recently used last; the oldest beyond KEEP_SESSIONS end their workers
    for (const [id, s] of this.sessions)
      if (this.sessions.size > KEEP_SESSIONS && id !== branch.id) {
        this.sessions.delete(id);
        s.cancel();
      }
    const store = this.storeOf(session, true)!;
    const p = session.plan;
    this.host.showStore(store, `${p.scenario} (seed ${p.seed}) · ${branchName(branch)}`, keepT, false);
    this.host.client.setHistory(session.results.flatMap((r) => clientEntry(r, session.run.masterName) ?? []));
    this.host.branchPanel.render(this.host.branches);
    this.updateUrl();
  }

  /** While playing: the engine runs ahead of the playhead by about a second of wall time. */
  runAhead(t: number): void {
    const s = this.session;
    if (!s || !s.ready || s.isCancelled) return;
    const ahead = Math.max(200_000, this.host.speed * 1_000_000);
    if (t + ahead > s.now && s.busy === 0) void s.advance(t + 2 * ahead).catch(() => undefined);
  }

  /** A seek past the head: the engine runs there (the branch's head moves there). Resolves once it has. */
  async advanceTo(t: number): Promise<boolean> {
    const s = this.session;
    if (!s || !s.ready || s.isCancelled) return false;
    try {
      await s.advance(t);
    } catch {
      return false;
    }
    if (this.session !== s) return false;
    this.shown.set(s, Math.max(this.shown.get(s) ?? 0, Math.min(t, s.now)));
    return true;
  }

  /** Work in progress: runs, branch switches (idle() waits for them). */
  private readonly work = new Set<Promise<unknown>>();

  private track<T>(p: Promise<T>): Promise<T> {
    const w = p.catch(() => undefined);
    this.work.add(w);
    void w.then(() => this.work.delete(w));
    return p;
  }

  /** Resolves when every queued action, run and branch switch is done. */
  async idle(): Promise<void> {
    for (;;) {
      const a = this.acting;
      await a;
      await Promise.all([...this.work]);
      await this.session?.idle();
      if (this.session) await this.caughtUp(this.session);
      if (a === this.acting && this.pending === 0 && this.work.size === 0) return;
    }
  }

  /**
   * Act on the cluster at the playhead's instant. At the head of the current branch (where the playhead has
   * been, or right after its last step) the action extends the branch; anywhere earlier it forks a new branch
   * there, which keeps every action of the current one up to that instant. The playhead then shows where the
   * engine is (a command: when its reply came).
   */
  act(a: Action): Promise<ActionResult | null> {
    const t = Math.round(this.host.t);
    this.host.pause();
    this.pending++;
    document.body.dataset.busy = 'true';
    const next = this.acting.then(() => this.actNow(a, t));
    this.acting = next.catch(() => undefined).finally(() => {
      if (--this.pending === 0 && !this.running) delete document.body.dataset.busy;
    });
    return next;
  }

  private async actNow(a: Action, t: number): Promise<ActionResult | null> {
    const session = this.session;
    if (!session) {
      this.host.fail('This run was loaded from a trace file: pick a scenario and press run to act on a live cluster.');
      return null;
    }
    if (!session.ready) {
      this.host.setStatus('the scenario is still running: wait for it (or cancel it) before acting');
      return null;
    }
    // a run-ahead still in the worker settles first: the engine's head is then known
    await session.idle();
    if (this.session !== session) return null;
    const head = this.head;
    let result: ActionResult;
    let forked: Branch | null = null;
    let rebuilt = false;
    try {
      if (session.canAppendAt(t)) {
        result = await session.act(t, a);
        if (this.session !== session) return result;
        this.storeOf(session);
        this.host.grew(this.stores.get(session)!, true);
        this.shown.set(session, session.now);
        this.host.branches.active.head = session.now;
        this.host.branches.active.plan = session.plan;
        const entry = clientEntry(result, session.run.masterName);
        if (entry) this.host.client.add(entry);
        this.host.seekNow(session.now);
        this.host.branchPanel.render(this.host.branches);
        this.updateUrl();
      } else {
        const plan = session.forkPlan(t, a);
        // at the head, but the engine had run ahead while playing: the same branch, rebuilt with the action at t
        rebuilt = t >= head && plan.cut === session.plan.cut && plan.actions.length === session.plan.actions.length + 1;
        const s = new RemoteSession(plan);
        try {
          await this.runInWorker(s, rebuilt ? `the branch with ${describeAction(a)} at ${formatClock(t)}` : `a fork at ${formatClock(t)}`);
        } catch (e) {
          if (!(e instanceof CancelledError)) this.host.fail(`fork failed: ${(e as Error).message}`);
          else this.host.setStatus('fork cancelled');
          return null;
        }
        const tree = this.host.branches;
        if (rebuilt) {
          forked = null;
          const b = tree.active;
          b.plan = s.plan;
          b.head = s.now;
          this.sessions.delete(b.id);
          session.cancel();
          this.useSession(s, b, s.now);
        } else {
          tree.active.head = head;
          forked = tree.add(tree.current, s.plan, t, s.now);
          this.useSession(s, forked, s.now);
        }
        result = s.results[s.results.length - 1];
      }
    } catch (e) {
      if (!(e instanceof CancelledError)) this.host.fail(`${describeAction(a)} failed: ${(e as Error).message}`);
      return null;
    }
    const what = a.op === 'exec' || a.op === 'sentinel-failover' ? `${describeAction(a)} → ${(clientEntry(result, session.run.masterName)?.text ?? '').split('\n')[0]}` : `${describeAction(a)}${result.error ? ` failed: ${result.error}` : ''}`;
    this.host.setStatus(`${forked ? `forked ${branchName(forked)} at ${formatClock(t)}: ` : ''}${what} at ${formatClock(result.at)}`);
    return result;
  }

  /** A command from the client panel (the reply is shown there). */
  async command(node: string, argv: string[], db: number): Promise<ClientEntry | null> {
    const r = await this.act({ op: 'exec', node, argv, ...(db ? { db } : {}) });
    return r && this.session ? clientEntry(r, this.session.run.masterName) : null;
  }

  /** Show another branch: its engine rebuilt from its plan in a worker (or kept from a recent visit), up to where it had run. */
  switchBranch(id: number): Promise<void> {
    return this.track(this.switchNow(id));
  }

  private async switchNow(id: number): Promise<void> {
    const tree = this.host.branches;
    const b = tree.get(id);
    if (!b || !this.session) return;
    tree.active.head = Math.max(tree.active.head, this.head);
    let s = this.sessions.get(id);
    if (!s || s.isCancelled) {
      s = new RemoteSession(b.plan, b.head);
      try {
        await this.runInWorker(s, `branch ${branchName(b)}`);
      } catch (e) {
        if (e instanceof CancelledError) this.host.setStatus(`switching to ${branchName(b)} cancelled`);
        else this.host.fail(`cannot rebuild ${branchName(b)}: ${(e as Error).message}`);
        return;
      }
    }
    tree.current = id;
    this.useSession(s, b, Math.min(this.host.t, s.now));
    this.host.setStatus(`switched to ${branchName(b)}`);
  }

  /** The current branch and how far it has run: what its file and its link reproduce. */
  branchState(): { plan: BranchPlan; end: number } | null {
    if (!this.session) return null;
    return { plan: this.session.plan, end: this.head };
  }

  branchUrl(): string {
    const st = this.branchState();
    return branchUrl(st?.plan ?? null, st?.end ?? 0, this.host.t);
  }

  private updateUrl(): void {
    const st = this.branchState();
    if (st) updateUrl(st.plan, st.end);
  }

  copyLink(): Promise<void> {
    return copyLink(this.branchUrl(), (text) => this.host.setStatus(text));
  }

  exportBranch(from = 'sentinel-sim'): Promise<ExportedBranch | null> {
    const st = this.branchState();
    return st ? exportBranch(st.plan, st.end, this.branchUrl(), branchName(this.host.branches.active), from) : Promise.resolve(null);
  }

  /** SENTINEL FAILOVER on the first running Sentinel at the playhead. */
  sentinelFailover(sentinel: string | null): void {
    if (!sentinel) this.host.fail('no running Sentinel');
    else void this.act({ op: 'sentinel-failover', node: sentinel });
  }

  /** The keyspace of a server at the head (read in the worker, then drawn on the next frame), or null meanwhile. */
  keyspace(node: string, t: number, redraw: () => void): { dbs: { db: number; keys: string[] }[]; at: number } | null {
    const s = this.session;
    return s && s.ready && Math.abs(t - s.now) <= 1 ? s.keyspaceAt(node, () => this.session === s && redraw()) : null;
  }

  showExport(): void {
    showExportDialog(this.host.exportDialog, `Export ${branchName(this.host.branches.active)} as a scenario file`, (from) => this.exportBranch(from));
  }
}
