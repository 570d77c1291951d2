// Live runs' sessions (spec viz.md §3, issue 15 items 1 and 5): each run of a library scenario, a fork or a
// branch is a RemoteSession whose engine runs in a Web Worker (remote.ts). What a worker records is indexed as it
// arrives, chunk by chunk (a FrameStore per session, grown in short tasks: nothing is rebuilt when a run ends);
// which session is shown, how far the playhead has shown it, the run in progress with its progress bar, and the
// few recent sessions kept in memory. What the user does with them (scenarios, actions, branches) is live.ts.
import { formatClock } from '../../engine/sim/time.ts';
import type { FrameStore } from '../model/store.ts';
import { clientEntry, type ClientPanel } from './actions.ts';
import { branchName, type Branch, type BranchPanel, type BranchTree } from './branches.ts';
import { updateUrl } from './branchExport.ts';
import type { BranchPlan } from './fork.ts';
import { RemoteSession, type Progress } from './remote.ts';
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

export class LiveSessions {
  session: RemoteSession | null = null;
  /** The run in progress in a worker (a scenario, a fork, a branch rebuilt): the progress bar's and cancel's. */
  protected running: RemoteSession | null = null;
  /** Actions wait for the one before them. */
  protected acting: Promise<unknown> = Promise.resolve();
  protected pending = 0;
  protected readonly stores: SessionStores;
  /** How far the playhead has shown each session: its head for acting (the engine may run ahead while playing). */
  protected readonly shown = new WeakMap<RemoteSession, number>();
  private readonly lastUi = new WeakMap<RemoteSession, number>();
  protected readonly sessions = new Map<number, RemoteSession>();

  constructor(protected readonly host: LiveHost) {
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
  protected attach(s: RemoteSession, onFirst?: (store: FrameStore) => void): void {
    s.onData = () => {
      const had = this.stores.has(s);
      const store = this.storeOf(s, true);
      if (!store) return;
      // the first records are shown in a task of their own (the stage, the log and the panels are built
      // there), not in the one that received and indexed them
      if (!had && onFirst) setTimeout(() => onFirst(store), 0);
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

  /** Run a session's start in its worker with the progress bar and the cancel button shown. */
  protected async runInWorker(session: RemoteSession, what: string): Promise<void> {
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
  protected useSession(session: RemoteSession, branch: Branch, keepT?: number): void {
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

  protected track<T>(p: Promise<T>): Promise<T> {
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

  /** The current branch and how far it has run: what its file and its link reproduce. */
  branchState(): { plan: BranchPlan; end: number } | null {
    if (!this.session) return null;
    return { plan: this.session.plan, end: this.head };
  }

  protected updateUrl(): void {
    const st = this.branchState();
    if (st) updateUrl(st.plan, st.end);
  }

  /** The keyspace of a server at the head (read in the worker, then drawn on the next frame), or null meanwhile. */
  keyspace(node: string, t: number, redraw: () => void): { dbs: { db: number; keys: string[] }[]; at: number } | null {
    const s = this.session;
    return s && s.ready && Math.abs(t - s.now) <= 1 ? s.keyspaceAt(node, () => this.session === s && redraw()) : null;
  }
}
