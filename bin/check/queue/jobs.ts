// What goes through the queue: the jobs of a distributed search (a batch of seeds, or the shrinking of one
// failure), the run id that names a search in Redis, and how the seeds are cut into batches. BullMQ job ids
// are derived from the run id and the batch, so enqueueing a batch twice (a resumed coordinator) adds it once.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { ShrinkResult } from '../../../engine/check/property/shrink.ts';
import { packageVersion } from '../../version.ts';
import type { ResolvedOptions } from '../options.ts';

/** The BullMQ queue every coordinator and worker uses (several searches can share it: jobs carry their run id). */
export const QUEUE_NAME = 'sentinel-sim-check';

/** The options a worker needs to run a seed exactly as a local search would (JSON: no Infinity). */
export type WireOptions = Omit<ResolvedOptions, 'timeBudgetMs'>;

export interface BatchJob {
  kind: 'batch';
  runId: string;
  /** The coordinator's sentinel-sim version: a worker of another version refuses the job (other verdicts). */
  version: string;
  seeds: number[];
  options: WireOptions;
}

/** Shrink the failure of `property` at `seed` with `maxRuns` runs (as bin/check/index.ts's shrinkAndWrite does). */
export interface ShrinkJob {
  kind: 'shrink';
  runId: string;
  version: string;
  property: string;
  seed: number;
  maxRuns: number;
  options: WireOptions;
}

export type SearchJob = BatchJob | ShrinkJob;

/** A shrink as stored in Redis: the result without the trace records (a repro file and its report need none). */
export type StoredShrink = { result: ShrinkResult | null } | { error: string };

export function wireOptions(o: ResolvedOptions): WireOptions {
  const { timeBudgetMs: _, ...rest } = o;
  // a worker may run in another directory: the checker module by absolute path (same path on every machine)
  return { ...rest, checkerModule: o.checkerModule === null ? null : resolve(o.checkerModule) };
}

export function fromWire(w: WireOptions, workers: number): ResolvedOptions {
  return { ...w, workers, timeBudgetMs: Infinity };
}

/**
 * The run id of a search: a hash of everything that decides its per-seed verdicts (seed range, shard,
 * properties, schedule, determinism period, topology, checker and --app modules, the simulator's version). The same
 * command line gives the same id, which is what --resume finds.
 */
export function runIdOf(o: ResolvedOptions): string {
  const identity = {
    v: packageVersion(),
    seed: o.seed,
    runs: o.runs,
    shard: o.shard,
    properties: o.properties,
    scheduleMs: o.scheduleMs,
    determinismEvery: o.determinismEvery,
    topology: o.topology,
    checkerModule: o.checkerModule === null ? null : resolve(o.checkerModule),
    app: o.app,
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
}

/** The seeds cut into batches of `size`, in order (the same cut for a resumed search, so job ids match). */
export function batches(seeds: readonly number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < seeds.length; i += size) out.push(seeds.slice(i, i + size));
  return out;
}

/** BullMQ job ids (custom ids may not contain ':'). */
export const batchJobId = (runId: string, seeds: readonly number[]) => `${runId}-b${seeds[0]}-${seeds.at(-1)}`;
export const shrinkJobId = (runId: string, property: string, seed: number, maxRuns: number) => `${runId}-s-${property.replace(/[^\w.-]/g, '_')}-${seed}-${maxRuns}`;

/** "seeds 17..20" / "seed 17" */
export const seedRange = (seeds: readonly number[]) => (seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds[0]}..${seeds.at(-1)}`);
