// Running a scenario end to end (browser-safe: the CLI and the viewer both come here).
// setup → Simulation (hosts, processes, links) → script → finish hooks, client ops, final keyframe → summary.
import { redisServerFactory } from '../../engine/redis/server/index.ts';
import { sentinelFactory } from '../../engine/sentinel/index.ts';
import { Simulation } from '../../engine/sim/simulation.ts';
import { parseDuration, type Micros } from '../../engine/sim/time.ts';
import type { Sha256Hasher } from '../../engine/trace/trace.ts';
import { resolveConfigFiles } from './configs.ts';
import type { Scenario } from './define.ts';
import { driveScript } from './drive.ts';
import { ScenarioRun } from './run.ts';
import type { ClusterSpec, Duration } from './spec.ts';
import { SummaryBuilder, type RunStatus, type SummaryReport } from './summary.ts';

export interface RunScenarioOptions {
  /** Master seed (default: the scenario's, else "1"). */
  seed?: string | number;
  /** Stop at this virtual time; if the script ends earlier, keep running until then. */
  until?: Duration;
  /** Reads fromConfigFiles paths (the CLI: relative to the scenario file; the viewer: bundled texts). */
  readFile?: (path: string, encoding?: 'latin1') => string;
  hasher?: () => Sha256Hasher;
  /** Keep only this many trace records in memory (the hash still covers all). */
  ring?: number;
  /** Called once the simulation exists, before anything is recorded (attach printers, file writers). */
  onSimulation?: (sim: Simulation) => void;
  /** Called regularly while virtual time advances. */
  onProgress?: (nowUs: Micros) => void;
}

export interface RunError {
  message: string;
  /** Virtual µs when it was thrown. */
  t: Micros;
  /** The original exception (for a stack frame pointing into the script). */
  cause: unknown;
}

export interface RunResult {
  sim: Simulation;
  run: ScenarioRun;
  report: SummaryReport;
  sha256: string;
  status: RunStatus;
  error: RunError | null;
}

/** The cluster description a scenario's setup returns, with config files read. */
export function scenarioSpec(scenario: Scenario, seed: string, readFile?: (path: string, encoding?: 'latin1') => string): ClusterSpec {
  const spec = scenario.setup({ seed });
  if (!spec || (spec.kind !== 'cluster' && spec.kind !== 'config-files'))
    throw new Error(`scenario ${scenario.name}: setup() must return cluster(...), fromConfigFiles(...) or fromConfigTexts(...)`);
  if (spec.kind === 'cluster') return spec;
  if (!readFile) throw new Error(`scenario ${scenario.name}: fromConfigFiles needs a file reader (use fromConfigTexts in the browser)`);
  return resolveConfigFiles(spec, readFile);
}

/** A Simulation with the spec's hosts, links and (stopped) processes. */
export function buildSimulation(spec: ClusterSpec, opts: { seed: string; scenario: string; detail?: 'events' | 'messages'; keyframeEveryMs?: number; hasher?: () => Sha256Hasher; ring?: number }): Simulation {
  const sim = new Simulation({
    seed: opts.seed,
    scenario: opts.scenario,
    epochMs: spec.epochMs,
    trace: { detail: opts.detail ?? 'messages', hasher: opts.hasher, ring: opts.ring },
    net: { ...spec.net, defaultLink: { ...spec.net?.defaultLink, ...spec.link } },
    keyframeEveryMs: opts.keyframeEveryMs ?? 1000,
  });
  for (const h of spec.hosts) sim.addHost(h.name, h.ip, h.clock);
  for (const n of spec.nodes) {
    // the config file is on the box's disk before anything starts (CONFIG REWRITE / Sentinel rewrite it there)
    const disk = sim.host(n.host).disk;
    if (!disk.exists(n.configPath)) disk.write(n.configPath, n.configText);
    const f =
      n.kind === 'server'
        ? redisServerFactory({ configPath: n.configPath, configText: n.configText, rdb: n.rdb })
        : sentinelFactory({ configPath: n.configPath, configText: n.configText });
    sim.addProcess(n.host, n.port, n.kind, f);
  }
  return sim;
}

/**
 * Run a scenario. Config errors (ScenarioConfigError) and setup errors are thrown before anything runs;
 * an error inside the script is caught, recorded (note "error") and returned, the trace still ends cleanly.
 */
export function runScenario(scenario: Scenario, opts: RunScenarioOptions = {}): RunResult {
  const seed = String(opts.seed ?? scenario.seed ?? 1);
  const spec = scenarioSpec(scenario, seed, opts.readFile);
  const sim = buildSimulation(spec, {
    seed,
    scenario: scenario.name,
    detail: scenario.detail,
    keyframeEveryMs: scenario.keyframeEveryMs,
    hasher: opts.hasher,
    ring: opts.ring,
  });
  const summary = new SummaryBuilder();
  let summaryHeaderSet = false;
  sim.trace.subscribe((r) => {
    if (sim.trace.header && !summaryHeaderSet) {
      summary.setHeader(sim.trace.header);
      summaryHeaderSet = true;
    }
    summary.add(r);
  });
  opts.onSimulation?.(sim);
  const untilUs = opts.until !== undefined ? parseDuration(opts.until) : undefined;
  const run = new ScenarioRun(sim, spec, { untilUs, onProgress: opts.onProgress });
  const end = driveScript(run, () => scenario.script(run), untilUs, { record: (r) => sim.record(r), keyframe: () => sim.keyframe() });
  const status = end.status;
  const error: RunError | null = end.error;
  const sha256 = sim.trace.sha256();
  return { sim, run, report: summary.report(), sha256, status, error };
}
