// A branch of a library scenario, as data: the scenario and seed, the instant its script is cut at (null: it
// runs to its end), then the user's actions, each at its virtual instant. The same branch is
//  - run in the page (LiveSession, incrementally, as the playhead moves),
//  - run to an end by runScenario (the page's hash of the branch: forkScenario + runScenario),
//  - written as a scenario file that `sentinel-sim run` replays to that same hash (scenarioFileText),
//  - and carried by a URL (?scenario=&seed=&cut=&actions=&end=).
// The script part and the actions are driven through the public ScenarioRun API only (at, kill, exec, …),
// and scenarioFileText writes out the very same steps, so the page and the CLI build the same trace.
import { formatClock } from '../../engine/sim/time.ts';
import type { Resp } from '../../engine/net/resp.ts';
import { defineScenario, StopRun, type Scenario, type ScenarioRun } from '../../scenarios/api/index.ts';
// this file's own text (Vite's ?raw): exported branches carry part of it (runtimeSource)
import selfSource from './fork.ts?raw';

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

const us = (t: number) => `${t}us`;

// runtime: from here to its end mark, this file's text is written into every exported branch (RUNTIME).
/** A command line as the trace notes it: plain arguments as they are, others quoted (JSON). */
export const commandLine = (argv: readonly string[]) => argv.map((x) => (/^[\x21-\x7e]+$/.test(x) && !/["'\\]/.test(x) ? x : JSON.stringify(x))).join(' ');

/**
 * Run `script` on `s`, stopped at `cut`: a wait (sleep, at, waitFor, exec…) that would pass `cut` ends
 * there and the script is abandoned, as `--until` does. Returns the script's own error, if it threw one.
 */
export function runScriptUntil(s: ScenarioRun, script: (s: ScenarioRun) => void, cut: number | null): string | null {
  let run = s;
  if (cut !== null) {
    const advanceTo = s.advanceTo.bind(s);
    const advanceUntil = s.advanceUntil.bind(s);
    const stop = () => new StopRun('the branch cuts the script');
    run = new Proxy(s, {
      get(target, key, receiver) {
        if (key === 'advanceTo')
          return (to: number) => {
            advanceTo(Math.min(to, cut));
            if (to > cut) throw stop();
          };
        if (key === 'advanceUntil')
          return (done: () => boolean, deadline: number, what?: string) => {
            if (advanceUntil(done, Math.min(deadline, cut), what)) return true;
            if (deadline > cut) throw stop();
            return false;
          };
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  }
  try {
    script(run);
    return null;
  } catch (e) {
    if (e instanceof Error && e.name === 'StopRun') return null;
    const message = e instanceof Error ? e.message : String(e);
    s.note(`the scenario's script stopped: ${message}`);
    return message;
  }
}
// runtime: end

/** Apply one action now. A failure is noted in the trace and returned, never thrown. */
export function applyAction(s: ScenarioRun, a: Action): { reply: Resp | null; error: string | null } {
  try {
    let reply: Resp | null = null;
    switch (a.op) {
      case 'kill': s.kill(a.node); break;
      case 'restart': s.restart(a.node); break;
      case 'pause': s.pause(a.node); break;
      case 'resume': s.resume(a.node); break;
      case 'isolate': s.isolate(a.node); break;
      case 'host-down': s.hostDown(a.node); break;
      case 'host-up': s.hostUp(a.node); break;
      case 'partition': s.partition(a.groups); break;
      case 'clock-jump': s.clockJump(a.node, a.deltaMs); break;
      case 'cut': s.cut([a.a], [a.b]); break;
      case 'lossy': s.setLink(a.a, a.b, { loss: a.loss }); break;
      case 'heal': s.heal(); break;
      case 'sentinel-failover': reply = s.sentinelFailover(a.node); break;
      case 'exec':
        s.note(`client ${a.node}${a.db ? `[${a.db}]` : ''}> ${commandLine(a.argv)}`);
        reply = a.db ? s.exec(a.node, { db: a.db }, ...a.argv) : s.exec(a.node, ...a.argv);
        break;
    }
    return { reply, error: null };
  } catch (e) {
    if (e instanceof Error && e.name === 'StopRun') throw e;
    const error = e instanceof Error ? e.message : String(e);
    s.note(`${a.op} failed: ${error}`);
    return { reply: null, error };
  }
}

/** Let time pass to `t` (if not there yet), then apply the action. */
export function actAt(s: ScenarioRun, a: TimedAction): ActionResult {
  if (s.now < a.t) s.at(us(a.t));
  const at = s.now;
  const r = applyAction(s, a);
  return { action: a, at, end: s.now, ...r };
}

/**
 * The branch's script part: the scenario's script cut at `cut`, time up to the cut, then every action in
 * turn. Returns the script's error (if it threw) and the instant the script ended at.
 */
export function runBranch(s: ScenarioRun, base: Scenario, plan: Pick<BranchPlan, 'cut' | 'actions'>, onResult?: (r: ActionResult) => void): { scriptError: string | null; scriptEnd: number } {
  const scriptError = runScriptUntil(s, base.script as (s: ScenarioRun) => void, plan.cut);
  const scriptEnd = s.now;
  if (plan.cut !== null && s.now < plan.cut) s.at(us(plan.cut));
  for (const a of plan.actions) {
    const r = actAt(s, a);
    onResult?.(r);
  }
  return { scriptError, scriptEnd };
}

export const forkName = (base: string) => `${base}-branch`;

/** The branch as a scenario that ends at `end` (what `sentinel-sim run` of the exported file runs). */
export function forkScenario(base: Scenario, plan: BranchPlan, end: number): Scenario {
  return defineScenario({
    name: forkName(base.name),
    description: describePlan(plan, end),
    seed: plan.seed,
    setup: base.setup,
    detail: 'messages',
    keyframeEveryMs: base.keyframeEveryMs,
    script: (s) => {
      const run = s as unknown as ScenarioRun;
      runBranch(run, base, plan);
      if (run.now < end) run.at(us(end));
    },
  });
}

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

// ---- the scenario file of a branch -----------------------------------------------------------------

export interface ExportOptions {
  /**
   * Where the file imports sentinel-sim from: the package name ('sentinel-sim': the scenario API from the
   * package, the scenario from 'sentinel-sim/scenarios/<name>'), or the folder of a clone of the repository
   * ('/home/me/sentinel-sim', '../sentinel-sim': its scenarios/api/index.ts and scenarios/<name>.ts).
   */
  from?: string;
  /** The run's trace hash, written in the header comment. */
  sha256?: string;
  /** The branch's URL, written in the header comment. */
  url?: string;
  /**
   * The config files the scenario's setup reads (fromConfigFiles), by the path it names them: written into
   * the file, so it runs from anywhere (the paths are relative to the library scenario, not to this file).
   */
  configs?: Record<string, string>;
}

/** The config files a scenario's setup names (fromConfigFiles), read with `readFile`; empty for cluster(...). */
export function setupConfigs(base: Scenario, seed: string, readFile: (path: string) => string): Record<string, string> {
  const spec = base.setup({ seed });
  if (spec.kind !== 'config-files') return {};
  const out: Record<string, string> = {};
  for (const r of [...spec.servers, ...spec.sentinels]) {
    const path = typeof r === 'string' ? r : r.path;
    out[path] = readFile(path);
  }
  return out;
}

/**
 * The branch as a scenario file: `sentinel-sim run <file>` runs the scenario's script up to the cut, then
 * each action at its instant, up to `end` — the same steps as runBranch + forkScenario, written out.
 */
export function scenarioFileText(plan: BranchPlan, end: number, opts: ExportOptions = {}): string {
  const from = (opts.from ?? 'sentinel-sim').replace(/\/+$/, '');
  const isPath = from.startsWith('.') || from.startsWith('/') || /^[A-Za-z]:[\\/]/.test(from);
  const api = isPath ? `${from}/scenarios/api/index.ts` : from;
  const scenarioModule = isPath ? `${from}/scenarios/${plan.scenario}.ts` : `${from}/scenarios/${plan.scenario}`;
  const actions = plan.actions.map((a) => `  ${JSON.stringify(a)}, // ${formatClock(a.t)}`).join('\n');
  const configs = Object.entries(opts.configs ?? {});
  const lines = [
    `// A branch of the scenario ${plan.scenario} (seed ${plan.seed}), made in the sentinel-sim web replay:`,
    `// ${describePlan(plan, end)}.`,
    `// \`sentinel-sim run <this file>\` replays it${opts.sha256 ? `: trace sha256 ${opts.sha256}` : ''}.`,
    ...(opts.url ? [`// In the web replay: ${opts.url}`] : []),
    `import { defineScenario, ${configs.length ? 'resolveConfigFiles, ' : ''}StopRun, type ScenarioRun } from ${JSON.stringify(api)};`,
    `import base from ${JSON.stringify(scenarioModule)};`,
    '',
    '/** Where the scenario\'s script stops (µs; null: it runs to its end), and where the run ends. */',
    `const CUT: number | null = ${plan.cut === null ? 'null' : String(plan.cut)};${plan.cut === null ? '' : ` // ${formatClock(plan.cut)}`}`,
    `const END = ${Math.round(end)}; // ${formatClock(end)}`,
    '',
    '/** The actions, each at its instant t (µs); node names are ip:port. */',
    'const ACTIONS: Action[] = [',
    ...(actions ? [actions] : []),
    '];',
    '',
    ...(configs.length
      ? [
          "/** The config files the scenario's setup reads, as they were in the page (so this file runs from anywhere). */",
          'const CONFIGS: Record<string, string> = {',
          ...configs.map(([path, text]) => `  ${JSON.stringify(path)}: ${JSON.stringify(text)},`),
          '};',
          '',
        ]
      : []),
    RUNTIME,
    '',
    'export default defineScenario({',
    `  name: ${JSON.stringify(forkName(plan.scenario))},`,
    `  description: ${JSON.stringify(describePlan(plan, end))},`,
    `  seed: ${JSON.stringify(plan.seed)},`,
    configs.length
      ? `  setup: (ctx) => {\n    const spec = base.setup(ctx);\n    return spec.kind === 'config-files' ? resolveConfigFiles(spec, (path) => {\n      const text = CONFIGS[path];\n      if (text === undefined) throw new Error(\`no config file \${path} in this branch\`);\n      return text;\n    }) : spec;\n  },`
      : '  setup: base.setup,',
    "  detail: 'messages',",
    '  keyframeEveryMs: base.keyframeEveryMs,',
    '  script: (s: ScenarioRun) => {',
    '    runScriptUntil(s, base.script as (s: ScenarioRun) => void, CUT);',
    '    if (CUT !== null && s.now < CUT) s.at(`${CUT}us`);',
    '    for (const a of ACTIONS) {',
    '      if (s.now < a.t) s.at(`${a.t}us`);',
    '      applyAction(s, a);',
    '    }',
    '    if (s.now < END) s.at(`${END}us`);',
    '  },',
    '});',
    '',
  ];
  return lines.join('\n');
}

/** commandLine and runScriptUntil as this file writes them (between its "runtime:" marks), `export` dropped. */
function runtimeSource(): string {
  const from = selfSource.indexOf('\n', selfSource.indexOf('// runtime: from here')) + 1;
  const to = selfSource.indexOf('// runtime: end');
  return selfSource.slice(from, to).trimEnd().replace(/^export /gm, '');
}

/** The helpers of the exported file: runScriptUntil (the very text above) and applyAction above, word for word in effect. */
const RUNTIME = `type Action = { t: number; op: string; node?: string; a?: string; b?: string; groups?: string[][]; deltaMs?: number; loss?: number; argv?: string[]; db?: number };

${runtimeSource()}

/** One action now; a failure is noted in the trace. */
function applyAction(s: ScenarioRun, a: Action): void {
  try {
    switch (a.op) {
      case 'kill': s.kill(a.node!); break;
      case 'restart': s.restart(a.node!); break;
      case 'pause': s.pause(a.node!); break;
      case 'resume': s.resume(a.node!); break;
      case 'isolate': s.isolate(a.node!); break;
      case 'host-down': s.hostDown(a.node!); break;
      case 'host-up': s.hostUp(a.node!); break;
      case 'partition': s.partition(a.groups!); break;
      case 'clock-jump': s.clockJump(a.node!, a.deltaMs!); break;
      case 'cut': s.cut([a.a!], [a.b!]); break;
      case 'lossy': s.setLink(a.a!, a.b!, { loss: a.loss! }); break;
      case 'heal': s.heal(); break;
      case 'sentinel-failover': s.sentinelFailover(a.node!); break;
      case 'exec':
        s.note(\`client \${a.node}\${a.db ? \`[\${a.db}]\` : ''}> \${commandLine(a.argv!)}\`);
        if (a.db) s.exec(a.node!, { db: a.db }, ...a.argv!);
        else s.exec(a.node!, ...a.argv!);
        break;
      default: throw new Error(\`unknown action \${a.op}\`);
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'StopRun') throw e;
    s.note(\`\${a.op} failed: \${e instanceof Error ? e.message : String(e)}\`);
  }
}`;
