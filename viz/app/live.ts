// Live runs (spec viz.md §3, issue 15 items 1 and 5): a library scenario, its forks and its branches, each run
// by the engine in a Web Worker (the sessions of liveSessions.ts). Actions are queued; each applies at the
// playhead's instant: at the branch's head it extends the branch, before it it forks one.
import { formatClock } from '../../engine/sim/time.ts';
import { clientEntry, type ClientEntry } from './actions.ts';
import { branchName, type Branch } from './branches.ts';
import { branchUrl, copyLink, exportBranch, showExportDialog, type ExportedBranch } from './branchExport.ts';
import { describeAction, type Action, type ActionResult, type BranchPlan } from './fork.ts';
import { catalogEntry, catalogScenarios } from './catalog.ts';
import { CancelledError, RemoteSession } from './remote.ts';
import { LiveSessions } from './liveSessions.ts';

export type { LiveHost } from './liveSessions.ts';

export class LiveRuns extends LiveSessions {
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

  branchUrl(): string {
    const st = this.branchState();
    return branchUrl(st?.plan ?? null, st?.end ?? 0, this.host.t);
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

  showExport(): void {
    showExportDialog(this.host.exportDialog, `Export ${branchName(this.host.branches.active)} as a scenario file`, (from) => this.exportBranch(from));
  }
}
