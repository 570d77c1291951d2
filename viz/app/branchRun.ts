// Running a branch (fork.ts's BranchPlan) with the engine: its script cut at its instant, then its actions,
// through the public ScenarioRun API only (at, kill, exec, …); the same branch as a scenario (forkScenario, what
// the page hashes) and as a scenario file (scenarioFileText) that writes out the very same steps, so the page
// and the CLI build the same trace. Evaluated where the engine is: the worker, and an export (on demand).
import { formatClock } from '../../engine/sim/time.ts';
import type { Resp } from '../../engine/net/resp.ts';
import { defineScenario, StopRun, type Scenario, type ScenarioRun } from '../../scenarios/api/index.ts';
import { commandLine, describePlan, forkName, type Action, type ActionResult, type BranchPlan, type TimedAction } from './fork.ts';
// the texts of commandLine (fork.ts) and runScriptUntil (here), between their "runtime:" marks: every exported branch carries them
import forkSource from './fork.ts?raw';
import selfSource from './branchRun.ts?raw';

const us = (t: number) => `${t}us`;

// runtime: from here to its end mark, this file's text is written into every exported branch (RUNTIME).

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

/** A file's text between its "runtime:" marks, `export` dropped. */
function runtimePart(source: string): string {
  const from = source.indexOf('\n', source.indexOf('// runtime: from here')) + 1;
  const to = source.indexOf('// runtime: end');
  return source.slice(from, to).trimEnd().replace(/^export /gm, '');
}

/** commandLine (fork.ts) and runScriptUntil (this file) as they are written there. */
function runtimeSource(): string {
  return `${runtimePart(forkSource)}\n${runtimePart(selfSource)}`;
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
