// The shapes `sentinel-sim compare` works on: one run (simulated or real) as trace records, and the
// comparison it produces (printed as a table, written as JSON by --json).
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import type { RunStatus, SummaryReport } from '../../scenarios/api/summary.ts';

export type RunKind = 'sim' | 'real';

/** One run, simulated or real, in the simulator's shape (bin/real/types.ts's RealResult has it too). */
export interface RunInput {
  kind: RunKind;
  /** "seed 3", "real 1", … */
  label: string;
  seed: string;
  header: TraceHeader;
  /** Sorted by t. Only what the comparison reads need be here: faults, proc, Sentinel log lines, notes, a keyframe. */
  records: TraceRecord[];
  report: SummaryReport;
  status: RunStatus;
  error: string | null;
  /** The simulated run's trace hash (`sentinel-sim run <scenario> --seed <seed>` prints the same). */
  sha256?: string;
  /** Real runs: script steps that could not run there. */
  skipped?: string[];
  redisVersion?: string;
}

/** Sentinel settings the Redis timer windows depend on (from the scenario's sentinel.conf texts). */
export interface SentinelParams {
  masterName: string | null;
  quorum: number | null;
  downAfterMs: number;
  failoverTimeoutMs: number;
}

export interface ScenarioParams {
  /** Per Sentinel node ("ip:port"). */
  sentinels: Record<string, SentinelParams>;
  /** The master name the Sentinels monitor, and the master at start ("ip:port"), when known. */
  masterName: string | null;
  initialMaster: string | null;
  /** Extra tolerance of every window, ms: 50 ms of process scheduling plus twice the links' one-way delay. */
  slackMs: number;
}

export type Verdict = 'pass' | 'fail' | 'n/a';

/** min–max and median over the runs that reached a milestone. */
export interface Band {
  /** Runs that reached it, of `of`. */
  n: number;
  of: number;
  min: number | null;
  max: number | null;
  median: number | null;
  /** Per run, in run order (null: not reached). */
  values: (number | null)[];
}

/** A window the Redis timers allow, relative to an anchor event of the same run. */
export interface WindowDef {
  /** "fault", "heal", "own +odown", "+selected-slave", … */
  anchor: string;
  loMs: number;
  hiMs: number;
  /** Why, in terms of Redis 7.0.15's src/sentinel.c. */
  reason: string;
}

/** A row's window: the union of its runs' windows (they differ where the rule depends on the run, e.g. leader or follower). */
export interface RowWindow {
  anchor: string;
  loMs: number;
  hiMs: number;
  reasons: string[];
}

export interface MilestoneRow {
  key: string;
  label: string;
  sim: Band;
  real: Band;
  /** The window (the union over runs when it depends on the run), or null when none applies. */
  window: RowWindow | null;
  /** Runs whose value lies in its window (± slack), of those where it could be checked. */
  simInWindow: { n: number; of: number } | null;
  realInWindow: { n: number; of: number } | null;
  verdict: Verdict;
  /** "band": inside the real band; "window": inside the Redis window; or why it failed / is n/a. */
  how: string;
}

export interface VerdictRow {
  name: string;
  verdict: Verdict;
  detail: string;
}

export interface SegmentComparison {
  /** 1-based. */
  index: number;
  fault: { fault: string; target: string | null; args?: Record<string, unknown> };
  /** The master the Sentinels named when the fault came. */
  oldMaster: string | null;
  rows: MilestoneRow[];
  verdicts: VerdictRow[];
  /** Distinct normalised event sequences per role, with how many Sentinels logged each. */
  sequences: {
    leader: { sim: SequenceCount[]; real: SequenceCount[] };
    follower: { sim: SequenceCount[]; real: SequenceCount[] };
  };
}

export interface SequenceCount {
  sequence: string[];
  count: number;
}

export interface RunSummaryOut {
  label: string;
  kind: RunKind;
  seed: string;
  status: RunStatus;
  error: string | null;
  sha256?: string;
  skipped?: string[];
  redisVersion?: string;
}

export interface Comparison {
  format: 'sentinel-sim-compare';
  version: 1;
  scenario: string;
  /** Where the real runs came from: "redis-server", a recorded results file, or "none". */
  realSource: string;
  redisVersion: string | null;
  slackMs: number;
  runs: RunSummaryOut[];
  segments: SegmentComparison[];
  /** Whole-run rows: acknowledged writes lost. */
  rows: MilestoneRow[];
  verdicts: VerdictRow[];
  /** Every verdict holds (n/a holds). */
  ok: boolean;
  failed: number;
}

