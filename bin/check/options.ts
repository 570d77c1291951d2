// Options of `sentinel-sim check`, parsed and validated (the CLI wiring passes strings or numbers).
import type { Topology } from '../../engine/check/property/case.ts';
import { KNOWN_FAILURES } from '../../engine/check/property/known.ts';
import { PROPERTIES } from '../../engine/check/property/run.ts';
import { resolve } from 'node:path';
import { parseDuration } from '../../engine/sim/time.ts';
import { CliError } from '../errors.ts';
import { parseQueueUrl } from './queue/url.ts';

export interface CheckOptions {
  /** Runs in the seed range (before sharding). Default 100. */
  runs?: number | string;
  /** First seed of the range. Default 1. */
  seed?: number | string;
  /** Property names (comma separated or repeated); default all. */
  property?: string | string[];
  /** Worker threads (default 2; 0 = run in this thread). */
  workers?: number | string;
  /** "i/n": this shard takes the runs j with j mod n = i − 1. */
  shard?: string;
  /** Stop starting runs after this much wall time ("60s", ms as a number). */
  timeBudget?: string | number;
  /** Length of each fault schedule, virtual ("120s"). Default 120 s. */
  schedule?: string | number;
  /** Directory of repro files (default "failures"). */
  out?: string;
  /** Runs spent shrinking each failure (default 40; 0 = no shrinking, the seed's case is written as is). */
  shrinkRuns?: number | string;
  /** Run the known-failure demonstrations (default true); a name: only that known failure, no search. */
  known?: boolean | string;
  /** Replay each failure (and the named known failure) on real Redis (bin/real) and say whether it fails there too. */
  confirmReal?: boolean;
  /** Real runs per failure with confirmReal (default 3). */
  confirmRepeats?: number | string;
  /** Also write the report as JSON to this file (failures with their real-Redis replays). */
  json?: string;
  /** Check determinism on every k-th seed of the range (default 8; the determinism property alone: every run). */
  determinismEvery?: number | string;
  /** A module exporting `checkers`: extra properties by name (user-defined invariants). */
  checkers?: string;
  /** An application module run on an application host in every case (docs/guest-apps.md); adds app-recovers. */
  app?: string;
  /** One line per run (seed, trace sha256, verdict), sorted by seed. */
  verbose?: boolean;
  /** A fixed topology instead of generated ones (the benchmark's 3+3 cluster). */
  topology?: Topology;
  /** redis://host:port/db of a BullMQ queue: the seeds run on `sentinel-sim worker` processes (bin/check/queue). */
  queue?: string;
  /** With `queue`: continue the search of the same parameters, skipping the seeds already done. */
  resume?: boolean;
  /** With `queue`: seeds per job (default 4). */
  batch?: number | string;
}

export interface ResolvedOptions {
  runs: number;
  seed: number;
  properties: string[];
  workers: number;
  shard: { index: number; count: number };
  timeBudgetMs: number;
  scheduleMs: number;
  out: string;
  shrinkRuns: number;
  known: boolean;
  /** `--known <name>`: only that known failure (its demonstration, its repro file, its real replay), no search. */
  knownName: string | null;
  confirmReal: boolean;
  confirmRepeats: number;
  json: string | null;
  determinismEvery: number;
  checkerModule: string | null;
  /** Absolute path of the `--app` module, or null. */
  app: string | null;
  verbose: boolean;
  topology: Topology | null;
  /** The queue's URL (`--queue`), validated by bin/check/queue/url.ts; null: a local search. */
  queue: string | null;
  resume: boolean;
  batch: number;
}

/** A bad option value: exit 2 with the hint to --help, like commander's own usage errors (bin/cli.ts). */
export function usageError(message: string): CliError {
  return Object.assign(new CliError(message, 2), { usage: true });
}

function int(name: string, v: number | string | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < min) throw usageError(`--${name} must be an integer ≥ ${min}, got '${v}'`);
  return n;
}

/** "2/4" → {index 2, count 4}. */
export function parseShard(s: string | undefined): { index: number; count: number } {
  if (s === undefined) return { index: 1, count: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw usageError(`--shard must be i/n with 1 ≤ i ≤ n, got '${s}'`);
  return { index, count };
}

/** The seeds a shard runs: seed + j for j in [0, runs) with j mod count = index − 1. */
export function shardSeeds(seed: number, runs: number, shard: { index: number; count: number }): number[] {
  const out: number[] = [];
  for (let j = shard.index - 1; j < runs; j += shard.count) out.push(seed + j);
  return out;
}

const durationMs = (name: string, v: string | number | undefined, dflt: number): number => {
  if (v === undefined) return dflt;
  try {
    return parseDuration(v) / 1000;
  } catch (e) {
    throw usageError(`--${name}: ${(e as Error).message}`);
  }
};

function knownName(n: string): string {
  const names = KNOWN_FAILURES.map((k) => k.name);
  if (!names.includes(n)) throw usageError(`unknown known failure '${n}' (known failures: ${names.join(', ')})`);
  return n;
}

/** Validate the options; `extra` are the property names an extra checker module defines. */
export function resolveOptions(o: CheckOptions, extra: readonly string[] = []): ResolvedOptions {
  const known = [...PROPERTIES, ...extra.filter((n) => !(PROPERTIES as readonly string[]).includes(n)), ...(o.app ? ['app-recovers'] : [])];
  const names = (Array.isArray(o.property) ? o.property : o.property !== undefined ? [o.property] : [])
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
  for (const n of names) if (!known.includes(n)) throw usageError(`unknown property '${n}' (properties: ${known.join(', ')})`);
  const scheduleMs = durationMs('schedule', o.schedule, 120_000);
  if (scheduleMs < 5000) throw usageError('--schedule must be at least 5s');
  return {
    runs: int('runs', o.runs, 100, 1),
    seed: int('seed', o.seed, 1, 0),
    properties: names.length ? [...new Set(names)] : known,
    workers: Math.min(int('workers', o.workers, 2, 0), 64),
    shard: parseShard(o.shard),
    timeBudgetMs: durationMs('time-budget', o.timeBudget, Infinity),
    scheduleMs,
    out: o.out ?? 'failures',
    shrinkRuns: int('shrink-runs', o.shrinkRuns, 40, 0),
    known: o.known !== false,
    knownName: typeof o.known === 'string' ? knownName(o.known) : null,
    confirmReal: o.confirmReal ?? false,
    confirmRepeats: int('confirm-repeats', o.confirmRepeats, 3, 1),
    json: o.json ?? null,
    determinismEvery: int('determinism-every', o.determinismEvery, 8, 1),
    checkerModule: o.checkers ?? null,
    app: o.app ? resolve(o.app) : null,
    verbose: o.verbose ?? false,
    topology: o.topology ?? null,
    ...queueOptions(o),
  };
}

/** --queue, --resume, --batch: a distributed search needs an explicit --runs and no time budget. */
function queueOptions(o: CheckOptions): Pick<ResolvedOptions, 'queue' | 'resume' | 'batch'> {
  if (o.queue === undefined) {
    if (o.resume) throw usageError('--resume needs --queue <redis://host:port/db> (it continues a distributed search)');
    return { queue: null, resume: false, batch: 4 };
  }
  if (o.runs === undefined) throw usageError('--queue needs --runs <n> (the size of the search to enqueue)');
  if (o.timeBudget !== undefined) throw usageError('--time-budget cannot be used with --queue (stop a distributed search with Ctrl-C and continue it with --resume)');
  parseQueueUrl(o.queue);
  return { queue: o.queue, resume: o.resume ?? false, batch: int('batch', o.batch, 4, 1) };
}
