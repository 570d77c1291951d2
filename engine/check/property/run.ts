// One property run: case → scenario (the same calls a repro file makes) → runScenario → the checkers.
import { defineScenario, runScenario, type Scenario } from '../../../scenarios/api/index.ts';
import type { Sha256Hasher } from '../../trace/trace.ts';
import type { TraceRecord } from '../../trace/types.ts';
import { runCoverage } from '../coverage.ts';
import { checkDeterminism } from '../determinism.ts';
import { TRACE_CHECKERS } from '../index.ts';
import { result, type Checker, type CheckResult } from '../types.ts';
import type { Case, Step } from './case.ts';
import { applicable, applyStep, caseCluster, finishCase, quietPeriod, resolveStep, startCase } from './harness.ts';

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
  /** Extra checkers by property name (tests, experiments), looked up before the built-in ones. */
  checkers?: Record<string, Checker>;
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

/** The scenario of a case; `applied` receives the resolved steps as they run. */
export function caseScenario(c: Case, opts: { name: string; seed: string; detail?: 'events' | 'messages' }, applied: AppliedStep[] = []): Scenario {
  return defineScenario({
    name: opts.name,
    seed: opts.seed,
    detail: opts.detail ?? 'events',
    keyframeEveryMs: 1000,
    setup: () => caseCluster(c.topology),
    script: (s) => {
      const run = startCase(s, c.topology, c.workload, c.quietAtMs);
      for (const step of c.steps) {
        if (step.at > s.sim.now / 1000) s.at(step.at);
        const r = resolveStep(s, run, step);
        const ok = applicable(s, r);
        applied.push({ step, resolved: r, skipped: !ok });
        if (ok) applyStep(s, r);
      }
      s.at(c.quietAtMs);
      quietPeriod(s, run);
      finishCase(s, run);
    },
  });
}

export function runCase(c: Case, opts: RunCaseOptions): CaseOutcome {
  const props = opts.properties ?? PROPERTIES;
  const applied: AppliedStep[] = [];
  const name = opts.name ?? 'check';
  const r = runScenario(caseScenario(c, { name, seed: opts.seed, detail: opts.detail }, applied), { hasher: opts.hasher });
  const records = r.sim.trace.records();
  const input = { header: r.sim.trace.header, records };
  const results: CheckResult[] = [];
  if (r.status === 'error')
    results.push(result('run', [{ t: r.error?.t ?? 0, message: `the run stopped with an error: ${r.error?.message ?? 'unknown'}` }], ['the scenario script threw']));
  for (const p of props) {
    const ck = opts.checkers?.[p] ?? TRACE_CHECKERS[p];
    if (ck) results.push(ck(input));
  }
  if (props.includes('determinism')) {
    const again = runScenario(caseScenario(c, { name, seed: opts.seed, detail: opts.detail }), { hasher: opts.hasher });
    results.push(checkDeterminism({ sha256: r.sha256, count: r.sim.trace.count, records }, { sha256: again.sha256, count: again.sim.trace.count, records: again.sim.trace.records() }, opts.seed));
  }
  return { seed: opts.seed, case: c, results, applied, sha256: r.sha256, count: r.sim.trace.count, coverage: runCoverage(records), records, endMs: Math.round(r.sim.now / 1000) };
}
