// Shrinking a failure (issue 7): fast-check replays the seed's case (its first value for that seed) and
// shrinks it while the same property still fails, within a budget of runs. The last failing run is the
// minimal repro.
import fc from 'fast-check';
import type { Sha256Hasher } from '../../trace/trace.ts';
import type { Case } from './case.ts';
import { caseArb, type CaseOptions } from './generators.ts';
import { reproName } from './repro.ts';
import { runCase, type CaseOutcome } from './run.ts';
import type { CheckerTable } from './verdict.ts';

export interface ShrinkOptions {
  caseOptions?: CaseOptions;
  /** Most runs spent on shrinking (default 60). */
  maxRuns?: number;
  hasher?: () => Sha256Hasher;
  /** Extra checkers by property name (see RunCaseOptions.checkers). */
  checkers?: CheckerTable;
  /** Called after each run of a candidate (progress). */
  onRun?: (failed: boolean, runs: number) => void;
}

export interface ShrinkResult {
  property: string;
  seed: number;
  /** The smallest failing case found (the original when nothing smaller fails). */
  case: Case;
  outcome: CaseOutcome;
  /** Successful shrink steps (each a smaller failing case). */
  shrinks: number;
  /** Runs spent (the first replay included). */
  runs: number;
}

const fails = (o: CaseOutcome, property: string) => o.results.some((r) => r.name === property && !r.ok);

/** Shrink the case of `seed` while `property` still fails. Null when the seed's case does not fail it. */
export function shrinkFailure(seed: number, property: string, opts: ShrinkOptions = {}): ShrinkResult | null {
  const maxRuns = opts.maxRuns ?? 60;
  const props = property === 'run' ? [] : [property];
  let runs = 0;
  let shrinks = -1;
  let best: CaseOutcome | null = null;
  const predicate = (c: Case): boolean => {
    // past the budget every candidate "passes", which ends the shrinking where it is
    if (runs >= maxRuns) return true;
    runs++;
    // named like the repro file's scenario, so that the file's run hashes alike
    const o = runCase(c, { seed: String(seed), name: `check-${reproName(property, seed)}`, properties: props, hasher: opts.hasher, checkers: opts.checkers });
    const failed = fails(o, property);
    opts.onRun?.(failed, runs);
    if (failed) {
      best = o;
      shrinks++;
    }
    return !failed;
  };
  fc.check(fc.property(caseArb(opts.caseOptions), predicate), { seed, numRuns: 1 });
  const b = best as CaseOutcome | null;
  if (!b) return null;
  return { property, seed, case: b.case, outcome: b, shrinks: Math.max(0, shrinks), runs };
}
