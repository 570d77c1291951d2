// One property run: case → scenario (the same calls a repro file makes) → runScenario → the checkers.
import { defineScenario, runScenario, type Scenario } from '../../../scenarios/api/index.ts';
import type { Sha256Hasher } from '../../trace/trace.ts';
import type { TraceRecord } from '../../trace/types.ts';
import { CHECK_APP_IP, CHECK_APP_NAME } from '../app-history.ts';
import { runCoverage } from '../coverage.ts';
import { checkDeterminism } from '../determinism.ts';
import { TRACE_CHECKERS } from '../index.ts';
import { result, type CheckResult } from '../types.ts';
import type { Case, Step } from './case.ts';
import { applicable, applyStep, caseCluster, finishCase, quietPeriod, resolveStep, startCase } from './harness.ts';
import { checkCase, checkerFor, type CheckerTable } from './verdict.ts';

/** Every property a run can be checked for: the trace checkers, then determinism (a second run). */
export const PROPERTIES = [...Object.keys(TRACE_CHECKERS), 'determinism'] as const;

export interface AppliedStep {
  /** The step as generated (targets such as "master#1"). */
  step: Step;
  /** With targets resolved to host names. */
  resolved: Step;
  /** Not applicable when its time came (e.g. a restart on a downed host). */
  skipped: boolean;
}

export interface RunCaseOptions {
  seed: string;
  /** Scenario (trace) name; default "check". */
  name?: string;
  /** Properties to check (default all; 'determinism' re-runs the case). */
  properties?: readonly string[];
  hasher?: () => Sha256Hasher;
  /** Trace detail (default 'events'; a repro for the viewer may use 'messages'). */
  detail?: 'events' | 'messages';
  /** Extra checkers by property name (user-defined, tests), looked up before the built-in ones. */
  checkers?: CheckerTable;
}

export interface CaseOutcome {
  seed: string;
  case: Case;
  results: CheckResult[];
  /** The steps as run: "master" resolved, inapplicable ones marked skipped (what a repro file spells out). */
  applied: AppliedStep[];
  sha256: string;
  count: number;
  /** Sentinel events and fault kinds reached. */
  coverage: string[];
  records: TraceRecord[];
  /** Virtual ms at the end of the run. */
  endMs: number;
}

/** What the script of a case reports back: the steps as run, and the verdicts of its last step. */
export interface CaseSink {
  applied: AppliedStep[];
  /** Null until the script reached its checks (it threw before). */
  results: CheckResult[] | null;
}

export interface CaseScenarioOptions {
  name: string;
  seed: string;
  detail?: 'events' | 'messages';
  /** Properties checked (and recorded as expectations) at the end of the script. */
  properties: readonly string[];
  checkers?: CheckerTable;
}

/** The scenario of a case: the same calls, in the same order, as its repro file (repro.ts). */
export function caseScenario(c: Case, opts: CaseScenarioOptions, sink: CaseSink = { applied: [], results: null }): Scenario {
  return defineScenario({
    name: opts.name,
    seed: opts.seed,
    detail: opts.detail ?? 'events',
    keyframeEveryMs: 1000,
    setup: () => caseCluster(c.topology),
    script: (s) => {
      // `check --app`: the user's application on a host of its own (its history feeds app-recovers)
      const app = c.app ? s.app(CHECK_APP_NAME, { host: CHECK_APP_IP, module: c.app.module, params: c.app.params }) : null;
      const run = startCase(s, c.topology, c.workload, c.quietAtMs);
      for (const step of c.steps) {
        if (step.at > s.now / 1000) s.at(step.at);
        const r = resolveStep(s, run, step);
        const ok = applicable(s, r);
        sink.applied.push({ step, resolved: r, skipped: !ok });
        if (ok) applyStep(s, r);
      }
      s.at(c.quietAtMs);
      quietPeriod(s, run);
      finishCase(s, run);
      app?.end();
      sink.results = checkCase(s, opts.properties, opts.checkers);
    },
  });
}

export function runCase(c: Case, opts: RunCaseOptions): CaseOutcome {
  const props = opts.properties ?? PROPERTIES;
  const sink: CaseSink = { applied: [], results: null };
  const scenarioOpts: CaseScenarioOptions = { name: opts.name ?? 'check', seed: opts.seed, detail: opts.detail, properties: props, checkers: opts.checkers };
  const r = runScenario(caseScenario(c, scenarioOpts, sink), { hasher: opts.hasher });
  const records = r.sim.trace.records();
  const results: CheckResult[] = [];
  if (r.status === 'error')
    results.push(result('run', [{ t: r.error?.t ?? 0, message: `the run stopped with an error: ${r.error?.message ?? 'unknown'}` }], ['the scenario script threw']));
  if (sink.results) results.push(...sink.results);
  else {
    // the script threw before its checks: check what the trace has
    const input = { header: r.sim.trace.header, records };
    for (const p of props) {
      const ck = checkerFor(p, opts.checkers);
      if (ck) results.push(ck(input));
    }
  }
  if (props.includes('determinism')) {
    const again = runScenario(caseScenario(c, scenarioOpts), { hasher: opts.hasher });
    results.push(checkDeterminism({ sha256: r.sha256, count: r.sim.trace.count, records }, { sha256: again.sha256, count: again.sim.trace.count, records: again.sim.trace.records() }, opts.seed));
  }
  return { seed: opts.seed, case: c, results, applied: sink.applied, sha256: r.sha256, count: r.sim.trace.count, coverage: runCoverage(records), records, endMs: Math.round(r.sim.now / 1000) };
}
