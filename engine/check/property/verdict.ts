// The last step of a property case, inside the script: run the property checkers over the trace so far and
// record each verdict as a scenario expectation. The property run and its repro file make the same call, so
// `sentinel-sim run failures/<property>-<seed>.ts` prints the same violation and exits 1, and both traces
// hash alike.
import type { ScenarioExecutor } from '../../../scenarios/api/index.ts';
import { APP_CHECKERS } from '../app-history.ts';
import { TRACE_CHECKERS } from '../index.ts';
import type { Checker, CheckResult } from '../types.ts';

/** Extra property checkers (user-defined, or deliberately failing ones in tests), by property name. */
export type CheckerTable = Record<string, Checker>;

/** The checker of a property: an extra one first, then the built-in trace checkers; undefined if none. */
export function checkerFor(property: string, extra: CheckerTable = {}): Checker | undefined {
  if (Object.hasOwn(extra, property)) return extra[property];
  if (Object.hasOwn(TRACE_CHECKERS, property)) return TRACE_CHECKERS[property];
  return Object.hasOwn(APP_CHECKERS, property) ? APP_CHECKERS[property] : undefined;
}

/**
 * Check the named properties (those without a trace checker, such as determinism, are skipped) and record
 * an expectation per property: "property <name> holds", or the checker's whole report when it does not.
 */
export function checkCase(s: ScenarioExecutor, properties: readonly string[], extra: CheckerTable = {}): CheckResult[] {
  const input = s.trace();
  const results: CheckResult[] = [];
  for (const p of properties) {
    const ck = checkerFor(p, extra);
    if (!ck) continue;
    const r = ck(input);
    results.push(r);
    s.expect(r.ok, r.ok ? `property ${p} holds` : `property ${p} violated\n${r.report}`);
  }
  return results;
}
