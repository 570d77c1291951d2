// A branch of a library scenario, as data: the scenario and seed, the instant its script is cut at (null: it
// runs to its end), then the user's actions, each at its virtual instant. The same branch is
//  - run in the page's worker (LiveSession, incrementally, as the playhead moves),
//  - run to an end by runScenario (the page's hash of the branch: forkScenario + runScenario, branchRun.ts),
//  - written as a scenario file that `sentinel-sim run` replays to that same hash (scenarioFileText, branchRun.ts),
//  - and carried by a URL (?scenario=&seed=&cut=&actions=&end=).
// This file is data only (no engine): the page's main thread reads plans, links and action names with it;
// running a plan is branchRun.ts's (in the worker, or loaded on demand to export a branch).
import { formatClock } from '../../engine/sim/time.ts';
import type { Resp } from '../../engine/net/resp.ts';

/** What the user can do to the cluster (node names are full "ip:port" names). */
export type Action =
  | { op: 'kill' | 'restart' | 'pause' | 'resume' | 'isolate' | 'host-down' | 'host-up'; node: string }
  | { op: 'partition'; groups: string[][] }
  | { op: 'clock-jump'; node: string; deltaMs: number }
  | { op: 'cut'; a: string; b: string }
  | { op: 'lossy'; a: string; b: string; loss: number }
  | { op: 'heal' }
  | { op: 'sentinel-failover'; node: string }
  | { op: 'exec'; node: string; argv: string[]; db?: number };

/** An action at its virtual instant (µs). */
export type TimedAction = Action & { t: number };

export interface BranchPlan {
  /** Library scenario name. */
  scenario: string;
  seed: string;
  /** The script stops here (µs): every wait that would pass it ends there. Null: the script runs to its end. */
  cut: number | null;
  actions: TimedAction[];
}

/** The outcome of one action: the reply of a command, or why it failed. */
export interface ActionResult {
  action: TimedAction;
  /** Virtual µs it was applied at (later than action.t when an earlier command's reply was still coming). */
  at: number;
  /** Virtual µs when it was done (a command: when its reply came). */
  end: number;
  reply: Resp | null;
  error: string | null;
}

// runtime: from here to its end mark, this file's text is written into every exported branch (branchRun.ts, RUNTIME).
/** A command line as the trace notes it: plain arguments as they are, others quoted (JSON). */
export const commandLine = (argv: readonly string[]) => argv.map((x) => (/^[\x21-\x7e]+$/.test(x) && !/["'\\]/.test(x) ? x : JSON.stringify(x))).join(' ');
// runtime: end

export const forkName = (base: string) => `${base}-branch`;

/** One line per action, for descriptions, lists and titles. */
export function describeAction(a: Action): string {
  switch (a.op) {
    case 'partition': return `partition ${a.groups.map((g) => g.join(',')).join(' | ')}`;
    case 'clock-jump': return `clock jump ${a.deltaMs >= 0 ? '+' : ''}${a.deltaMs} ms on ${a.node}`;
    case 'cut': return `cut ${a.a} ↔ ${a.b}`;
    case 'lossy': return `lossy ${Math.round(a.loss * 100)}% ${a.a} ↔ ${a.b}`;
    case 'heal': return 'heal';
    case 'sentinel-failover': return `SENTINEL FAILOVER on ${a.node}`;
    case 'exec': return `${a.node}${a.db ? `[${a.db}]` : ''}> ${commandLine(a.argv)}`;
    default: return `${a.op} ${a.node}`;
  }
}

export function describePlan(plan: BranchPlan, end?: number): string {
  const head = `${plan.scenario} (seed ${plan.seed}), its script ${plan.cut === null ? 'run to its end' : `cut at ${formatClock(plan.cut)}`}`;
  const acts = plan.actions.map((a) => `${describeAction(a)} at ${formatClock(a.t)}`);
  return `${head}${acts.length ? `, then ${acts.join('; ')}` : ''}${end !== undefined ? `; ends at ${formatClock(end)}` : ''}`;
}

// ---- the URL of a branch ---------------------------------------------------------------------------

/** Query parameters of a branch (with the end it was played to and the playhead). */
export function planQuery(plan: BranchPlan, end?: number, t?: number): URLSearchParams {
  const q = new URLSearchParams();
  q.set('scenario', plan.scenario);
  q.set('seed', plan.seed);
  if (plan.cut !== null) q.set('cut', String(plan.cut));
  if (plan.actions.length) q.set('actions', JSON.stringify(plan.actions));
  if (end !== undefined) q.set('end', String(Math.round(end)));
  if (t !== undefined) q.set('t', String(Math.round(t)));
  return q;
}

const NODE = (x: unknown) => typeof x === 'string' && /^[^\s]+:\d+$/.test(x);
const OPS = new Set(['kill', 'restart', 'pause', 'resume', 'isolate', 'host-down', 'host-up', 'partition', 'clock-jump', 'cut', 'lossy', 'heal', 'sentinel-failover', 'exec']);

/** Check one action read from a URL or a file; throws with what is wrong. */
export function checkAction(x: unknown, i: number): TimedAction {
  const a = x as Record<string, unknown>;
  const bad = (why: string) => new Error(`action ${i + 1}: ${why} (${JSON.stringify(x)})`);
  if (typeof a !== 'object' || a === null) throw bad('not an object');
  if (typeof a.t !== 'number' || !Number.isInteger(a.t) || a.t < 0) throw bad('"t" must be a whole number of µs');
  if (typeof a.op !== 'string' || !OPS.has(a.op)) throw bad(`unknown op (one of ${[...OPS].join(', ')})`);
  if (a.op === 'partition') {
    if (!Array.isArray(a.groups) || !a.groups.every((g) => Array.isArray(g) && g.every(NODE))) throw bad('"groups" must be lists of ip:port');
  } else if (a.op === 'cut' || a.op === 'lossy') {
    if (!NODE(a.a) || !NODE(a.b)) throw bad('"a" and "b" must be ip:port');
    if (a.op === 'lossy' && !(typeof a.loss === 'number' && a.loss >= 0 && a.loss < 1)) throw bad('"loss" must be in [0, 1)');
  } else if (a.op !== 'heal') {
    if (!NODE(a.node)) throw bad('"node" must be ip:port');
    if (a.op === 'clock-jump' && typeof a.deltaMs !== 'number') throw bad('"deltaMs" must be a number');
    if (a.op === 'exec' && (!Array.isArray(a.argv) || a.argv.length === 0 || !a.argv.every((s) => typeof s === 'string'))) throw bad('"argv" must be a list of strings');
    if (a.op === 'exec' && a.db !== undefined && !(Number.isInteger(a.db) && (a.db as number) >= 0)) throw bad('"db" must be a database number');
  }
  return a as unknown as TimedAction;
}

/** A branch from query parameters (scenario, seed, cut, actions, end); null when there is no scenario. Throws on bad parameters. */
export function planFromQuery(q: URLSearchParams, defaultSeed: string): { plan: BranchPlan; end: number | null } | null {
  const scenario = q.get('scenario');
  if (!scenario) return null;
  const num = (name: string): number | null => {
    const v = q.get(name);
    if (v === null || v === '') return null;
    if (!/^\d+$/.test(v)) throw new Error(`?${name}= must be a whole number of µs, not '${v}'`);
    return Number(v);
  };
  let actions: TimedAction[] = [];
  const raw = q.get('actions');
  if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      throw new Error(`?actions= is not JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new Error('?actions= must be a JSON list of actions');
    actions = parsed.map((x, i) => checkAction(x, i));
    for (let i = 1; i < actions.length; i++) if (actions[i].t < actions[i - 1].t) throw new Error(`?actions=: action ${i + 1} is earlier than action ${i}`);
  }
  const cut = num('cut');
  if (cut !== null && actions.length && actions[0].t < cut) throw new Error('?actions=: the first action is before the cut');
  return { plan: { scenario, seed: q.get('seed') || defaultSeed, cut, actions }, end: num('end') };
}
