// A run of a library scenario with the engine in the page (spec viz.md §3, live mode). The script runs up
// to a cut instant; user actions follow, each at its own virtual instant. Acting while scrubbed back forks:
// a new session replays the same recipe (scenario, seed, cut, earlier actions) and applies the new action,
// so the fork is deterministic and its actions are in the trace as faults (or notes for client commands).
import { js, ScenarioRun, scenarioSpec, buildSimulation, type Scenario } from '../../scenarios/api/index.ts';
import type { Simulation } from '../../engine/sim/simulation.ts';
import type { Resp } from '../../engine/net/resp.ts';
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import { readBundledFile } from './library.ts';

export type Action =
  | { op: 'kill' | 'restart' | 'pause' | 'resume' | 'isolate' | 'host-down' | 'host-up'; node: string }
  | { op: 'clock-jump'; node: string; deltaMs: number }
  | { op: 'cut' | 'heal-link'; a: string; b: string }
  | { op: 'lossy'; a: string; b: string; loss: number }
  | { op: 'heal' }
  | { op: 'sentinel-failover'; node: string }
  | { op: 'exec'; node: string; argv: string[] };

export interface Recipe {
  scenario: Scenario;
  seed: string;
  /** The script stops here (µs); Infinity = runs to its end. */
  cut: number;
  actions: { t: number; action: Action }[];
}

export class LiveSession {
  readonly sim: Simulation;
  readonly run: ScenarioRun;
  readonly records: TraceRecord[] = [];
  header!: TraceHeader;
  scriptError: string | null = null;
  /** Replies of client commands, by action index. */
  readonly replies: string[] = [];
  private readonly ownerCache = new Map<string, string>();
  /** Exact endpoints of message records (index → [from, to]), learned from the live sockets. */
  readonly msgEnds = new Map<number, [string | null, string | null]>();

  constructor(readonly recipe: Recipe) {
    const { scenario, seed } = recipe;
    const spec = scenarioSpec(scenario, seed, readBundledFile);
    this.sim = buildSimulation(spec, { seed, scenario: scenario.name, detail: 'messages', keyframeEveryMs: scenario.keyframeEveryMs });
    this.sim.trace.subscribe((r) => {
      if (!this.header && this.sim.trace.header) this.header = this.sim.trace.header;
      if (r.k === 'msg') this.msgEnds.set(this.records.length, [this.owner(r.from), this.owner(r.to)]);
      this.records.push(r);
    });
    this.run = new ScenarioRun(this.sim, spec, { untilUs: Number.isFinite(recipe.cut) ? recipe.cut : undefined });
    try {
      scenario.script(this.run);
    } catch (e) {
      if (!(e instanceof Error && e.name === 'StopRun')) {
        this.run.ensureStarted();
        this.scriptError = e instanceof Error ? e.message : String(e);
        this.sim.record({ t: this.sim.now, k: 'note', what: 'error', data: { message: this.scriptError } });
      }
    }
    this.run.ensureStarted();
    this.run.liftUntil();
    if (Number.isFinite(recipe.cut) && this.sim.now < recipe.cut) this.sim.run({ until: recipe.cut });
    for (const a of recipe.actions) {
      if (this.sim.now < a.t) this.sim.run({ until: a.t });
      this.replies.push(this.apply(a.action));
    }
    this.header = this.sim.trace.header!;
  }

  get now(): number {
    return this.sim.now;
  }

  /** Let virtual time pass up to `t` (live play past the end of the trace). */
  advance(t: number): void {
    if (t > this.sim.now) this.sim.run({ until: t });
  }

  /** Apply an action now (the session's head). Returns the text to show (a reply, or ''). */
  act(action: Action): string {
    this.recipe.actions.push({ t: this.sim.now, action });
    const reply = this.apply(action);
    this.replies.push(reply);
    return reply;
  }

  private apply(a: Action): string {
    const r = this.run;
    try {
      switch (a.op) {
        case 'kill': r.kill(a.node); break;
        case 'restart': r.restart(a.node); break;
        case 'pause': r.pause(a.node); break;
        case 'resume': r.resume(a.node); break;
        case 'isolate': r.isolate(a.node); break;
        case 'host-down': r.hostDown(a.node); break;
        case 'host-up': r.hostUp(a.node); break;
        case 'clock-jump': r.clockJump(a.node, `${a.deltaMs < 0 ? '-' : '+'}${Math.abs(a.deltaMs)}ms`); break;
        case 'cut': r.block(a.a, a.b); r.block(a.b, a.a); break;
        case 'heal-link':
        case 'heal': r.heal(); break;
        case 'lossy': r.setLink(a.a, a.b, { loss: a.loss }); break;
        case 'sentinel-failover': return show(r.sentinelFailover(a.node));
        case 'exec': {
          const reply = show(r.exec(a.node, ...a.argv));
          r.note(`client ${a.node}> ${a.argv.join(' ')} → ${reply.split('\n')[0]}`);
          return reply;
        }
      }
      return '';
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (a.op === 'exec' || a.op === 'sentinel-failover') {
        try {
          r.note(`client ${a.node}> ${a.op === 'exec' ? a.argv.join(' ') : 'SENTINEL FAILOVER'} → ${msg}`);
        } catch {
          /* the note is informative only */
        }
      }
      return `(error) ${msg}`;
    }
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

/** A reply as redis-cli prints it. */
export function show(resp: Resp, indent = ''): string {
  switch (resp.t) {
    case 'simple':
      return String(resp.v);
    case 'bulk':
      return resp.v === null ? '(nil)' : JSON.stringify(String(resp.v));
    case 'int':
      return `(integer) ${String(resp.v)}`;
    case 'error':
      return `(error) ${String(resp.v)}`;
    case 'array':
      if (resp.v === null) return '(nil)';
      if (resp.v.length === 0) return '(empty array)';
      return resp.v.map((e, i) => `${i === 0 ? '' : indent}${i + 1}) ${show(e, indent + '   ')}`).join('\n');
    default:
      return JSON.stringify(js(resp));
  }
}
