// engine/check — invariants over a trace (design.md): pure checkers, each returning
// { name, ok, violations, report }. Property runs (engine/check/property) generate clusters, workloads and
// fault schedules, run them, and apply these. See engine/check/README.md.
import { checkAuthorisedFailover } from './authority.ts';
import { checkConvergence } from './convergence.ts';
import { checkData } from './data.ts';
import { checkElectionSafety } from './election.ts';
import { checkEpochsMonotonic } from './epochs.ts';
import { checkPriorityZero } from './priority.ts';
import type { Checker, CheckInput, CheckResult } from './types.ts';

export { appFigures, masterSwitches, type AppFigures, type MasterSwitch } from './app-history.ts';
export { checkAuthorisedFailover } from './authority.ts';
export { checkConvergence, convergenceBoundMs, convergenceTerms, probeVerdict, type BoundTerms } from './convergence.ts';
export { checkData, classifyRun, type DataClass } from './data.ts';
export { checkDeterminism, type RunFingerprint } from './determinism.ts';
export { checkElectionSafety } from './election.ts';
export { checkEpochsMonotonic } from './epochs.ts';
export { checkPriorityZero } from './priority.ts';
export { Coverage, HEADLINE_EVENTS, runCoverage } from './coverage.ts';
export * from './types.ts';

/** The trace checkers by property name (determinism needs a second run: see property/run.ts). */
export const TRACE_CHECKERS: Record<string, Checker> = {
  'election-safety': checkElectionSafety,
  'epochs-monotonic': checkEpochsMonotonic,
  'priority-zero': checkPriorityZero,
  'authorised-failover': checkAuthorisedFailover,
  convergence: checkConvergence,
  data: checkData,
};

/** Run the named trace checkers (default all) over one trace. */
export function runChecks(input: CheckInput, names: readonly string[] = Object.keys(TRACE_CHECKERS)): CheckResult[] {
  return names.filter((n) => TRACE_CHECKERS[n]).map((n) => TRACE_CHECKERS[n]!(input));
}
