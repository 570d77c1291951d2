// Shrinking one failure on a worker thread of `sentinel-sim worker` (the pool's `shrink` task, beside its
// default per-seed run): the same shrinkFailure call as a local search's (bin/check/index.ts), returned without
// the trace records so that it crosses threads and Redis small.
import type { CaseOptions } from '../../../engine/check/property/generators.ts';
import { shrinkFailure, type ShrinkResult } from '../../../engine/check/property/shrink.ts';
import { nodeSha256 } from '../../nodeHash.ts';
import { loadCheckers } from '../task.ts';

export interface ShrinkTask {
  property: string;
  seed: number;
  caseOptions: CaseOptions;
  maxRuns: number;
  checkerModule: string | null;
}

export async function shrinkTask(t: ShrinkTask): Promise<ShrinkResult | null> {
  const checkers = await loadCheckers(t.checkerModule);
  const r = shrinkFailure(t.seed, t.property, { caseOptions: t.caseOptions, maxRuns: t.maxRuns, hasher: nodeSha256, checkers });
  return r && { ...r, outcome: { ...r.outcome, records: [] } };
}
