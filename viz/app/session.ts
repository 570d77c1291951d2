// A branch of a library scenario with the engine in the page (spec viz.md §3, live mode). The scenario's
// script runs up to the branch's cut, then its actions, each at its virtual instant (fork.ts runBranch: the
// same steps the exported scenario file takes); afterwards time passes as the playhead moves and new actions
// are applied at the head. A branch is deterministic: its plan (scenario, seed, cut, actions) rebuilds it.
import { ScenarioRun, scenarioSpec, buildSimulation, type Scenario } from '../../scenarios/api/index.ts';
import type { Simulation } from '../../engine/sim/simulation.ts';
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import { actAt, runBranch } from './branchRun.ts';
import type { Action, ActionResult, BranchPlan, TimedAction } from './fork.ts';
import { readBundledFile } from './library.ts';

export type { Action, ActionResult, TimedAction };

/**
 * Every Sentinel's view is read at least this often (virtual µs) besides after the records that touch it:
 * what changes it silently (its cron, a link that closes) shows within this.
 */
const SENTINEL_READ_US = 10_000;

/** A view's identity: its flat fields joined (a server's INFO numbers), else its JSON (a Sentinel's masters). */
function viewKey(view: Record<string, unknown> | null): string {
  if (view === null) return 'null';
  let flat = '';
  for (const k in view) {
    const v = view[k];
    if (v !== null && typeof v === 'object') return JSON.stringify(view);
    flat += `${k}=${String(v)}\u0001`;
  }
  return flat;
}

export class LiveSession {
  readonly sim: Simulation;
  readonly run: ScenarioRun;
  readonly records: TraceRecord[] = [];
  header!: TraceHeader;
  readonly plan: BranchPlan;
  scriptError: string | null = null;
  /** Virtual µs where the scenario's script ended (finished, failed, or cut). */
  readonly scriptEnd: number;
  /** The outcome of each action of the plan, in order. */
  readonly results: ActionResult[] = [];
  private readonly ownerCache = new Map<string, string>();
  /** Exact endpoints of message records (index → [from, to]), learned from the live sockets. */
  readonly msgEnds = new Map<number, [string | null, string | null]>();
  /**
   * Exact views between keyframes: before record i, these nodes' own views (what a keyframe would say) had
   * changed to these. Read from the engine after every event that touched the node (a message to or from it,
   * its log lines, its process, a fault), so the inspector is exact at every event, not at the last keyframe.
   */
  readonly patches = new Map<number, { node: string; view: Record<string, unknown> | null }[]>();
  private readonly dirty = new Set<string>();
  private readonly views = new Map<string, string>();
  private readonly servers: string[];
  private readonly sentinels: string[];
  private fullReadAt = -1;
  private sentinelReadAt = -Infinity;
  /**
   * Virtual µs where the branch's own steps left the engine (the cut, or the end of the last action): an
   * action at or after the last one's instant still belongs to this branch while the engine is there.
   */
  private settledAt: number;

  constructor(
    readonly scenario: Scenario,
    plan: BranchPlan,
    /** Called once the simulation exists, before anything runs (tests watch it). */
    onSimulation?: (sim: Simulation, session: LiveSession) => void,
  ) {
    this.plan = { ...plan, actions: [...plan.actions] };
    const spec = scenarioSpec(scenario, plan.seed, readBundledFile);
    this.sim = buildSimulation(spec, { seed: plan.seed, scenario: scenario.name, detail: 'messages', keyframeEveryMs: scenario.keyframeEveryMs });
    onSimulation?.(this.sim, this);
    this.sim.trace.subscribe((r) => {
      if (!this.header && this.sim.trace.header) this.header = this.sim.trace.header;
      const i = this.records.length;
      this.readViews(i);
      if (r.k === 'msg') {
        const ends: [string | null, string | null] = [this.owner(r.from), this.owner(r.to)];
        this.msgEnds.set(i, ends);
        for (const e of ends) if (e) this.dirty.add(e);
      } else if (r.k === 'log' || r.k === 'proc') this.dirty.add(r.node);
      else if (r.k === 'fault') for (const name of this.sim.procs.keys()) this.dirty.add(name);
      else if (r.k === 'keyframe') {
        // the keyframe is the engine's own view: the baseline of the next differences
        for (const [name, k] of Object.entries(r.nodes)) this.views.set(name, viewKey((k as { view?: Record<string, unknown> | null }).view ?? null));
        this.dirty.clear();
      }
      this.records.push(r);
    });
    this.servers = [...this.sim.procs.values()].filter((p) => p.kind === 'server').map((p) => p.name);
    this.sentinels = [...this.sim.procs.values()].filter((p) => p.kind === 'sentinel').map((p) => p.name);
    this.run = new ScenarioRun(this.sim, spec);
    const b = runBranch(this.run, scenario, this.plan, (r) => this.results.push(r));
    this.scriptError = b.scriptError;
    this.scriptEnd = b.scriptEnd;
    this.run.ensureStarted();
    this.header = this.sim.trace.header!;
    this.settledAt = this.sim.now;
  }

  get now(): number {
    return this.sim.now;
  }

  /** Where the branch's own steps left the engine (see canAppendAt). */
  get settledNow(): number {
    return this.settledAt;
  }

  /** Instant of the branch's last step: its last action, else its cut, else the end of the script. */
  get lastStepT(): number {
    const a = this.plan.actions;
    return a.length ? a[a.length - 1].t : (this.plan.cut ?? this.settledAt);
  }

  /** Let virtual time pass up to `t` (live play past the end of the trace). */
  advance(t: number): void {
    if (t > this.sim.now) this.run.at(`${Math.round(t)}us`);
  }

  /**
   * Whether an action at `t` extends this branch (else it forks a new one): at or after the head, or —
   * while the engine has not run on since its last step (a command's reply) — at or after that step.
   */
  canAppendAt(t: number): boolean {
    return t >= this.sim.now || (this.sim.now === this.settledAt && t >= this.lastStepT);
  }

  /** Apply an action at `t` (see canAppendAt): recorded in the plan, applied once the engine is there. */
  act(t: number, action: Action): ActionResult {
    if (!this.canAppendAt(t)) throw new Error(`an action at ${t} µs is before this branch's head: fork instead`);
    const a = { ...action, t: Math.round(t) } as TimedAction;
    this.plan.actions.push(a);
    const r = actAt(this.run, a);
    this.results.push(r);
    this.settledAt = this.sim.now;
    return r;
  }

  /** The plan of a branch forked from this one at `t` with `action`: the cut, and every action up to `t`, kept. */
  forkPlan(t: number, action: Action): BranchPlan {
    const p = this.plan;
    // a script that ran to its end before t stays whole; else it is cut at t (actions are all after the cut)
    const cut = p.cut === null ? (t < this.scriptEnd ? t : null) : Math.min(p.cut, t);
    return { ...p, cut, actions: [...p.actions.filter((x) => x.t <= t), { ...action, t: Math.round(t) } as TimedAction] };
  }


  /** Read the views of the nodes touched since the last record; keep those that changed, to apply before record i. */
  private readViews(i: number): void {
    let out: { node: string; view: Record<string, unknown> | null }[] | undefined;
    // views also change without a record of their own (a write fed to the backlog, a PING sent, a link
    // closed): every node is read once time has moved on since the last full read; within one instant,
    // the nodes the records touched
    const now = this.sim.now;
    if (now !== this.fullReadAt) {
      this.fullReadAt = now;
      for (const name of this.servers) this.dirty.add(name);
    }
    if (now >= this.sentinelReadAt + SENTINEL_READ_US) {
      this.sentinelReadAt = now;
      for (const name of this.sentinels) this.dirty.add(name);
    }
    for (const name of this.dirty) {
      const p = this.sim.procs.get(name);
      if (!p || p.kind === 'client') continue;
      const view = ((p.state === 'running' || p.state === 'paused') && p.host.up ? (p.instance?.snapshot?.() ?? null) : null) as Record<string, unknown> | null;
      if (view === null) continue;
      const json = viewKey(view);
      if (this.views.get(name) === json) continue;
      this.views.set(name, json);
      (out ??= []).push({ node: name, view });
    }
    this.dirty.clear();
    if (out) this.patches.set(i, out);
  }

  /** The process owning a socket address, asked of the live processes' open connections. */
  private owner(addr: string): string | null {
    if (this.sim.procs.has(addr)) return addr;
    const hit = this.ownerCache.get(addr);
    if (hit) return hit;
    for (const p of this.sim.procs.values()) {
      if (!p.ctx) continue;
      for (const c of p.ctx.conns)
        if (c.local === addr) {
          this.ownerCache.set(addr, p.name);
          return p.name;
        }
    }
    return null;
  }

  /** The keyspace of a server now (a read of the engine's memory: no time passes, nothing is recorded). */
  keyspace(node: string): { db: number; keys: string[] }[] | null {
    const p = this.sim.procs.get(node);
    const ks = (p?.instance as { ks?: { dbs: { index: number; dict: Map<string, unknown> }[] } } | null | undefined)?.ks;
    if (!p || p.kind !== 'server' || !ks) return null;
    return ks.dbs.map((d) => ({ db: d.index, keys: [...d.dict.keys()].sort() }));
  }
}
