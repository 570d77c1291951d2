// The real-Redis twin's contract (issue 14): a scenario's topology and script run on real redis-server
// processes (Sentinels as `redis-server --sentinel`), one loopback alias (127.0.77.x) per simulated host.
// What comes back has the simulator's shape — a trace header and records whose `t` is µs since the cluster
// started and whose node names and log lines use the scenario's (simulated) addresses — so that the run
// printer, the summary (scenarios/api/summary.ts) and `compare` read both alike.
import type { Micros } from '../../engine/sim/time.ts';
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import type { RunStatus, SummaryReport } from '../../scenarios/api/summary.ts';

export interface RealRunOptions {
  /** The scenario's seed is only a label here (real processes are not seeded); kept in the header. */
  seed?: string;
  /** Stop the script at this time since the start (µs), as `run --until` does. */
  untilUs?: Micros;
  /** Called with each record as it is known (log lines in time order per node; merged by the printer). */
  onRecord?: (r: TraceRecord) => void;
  /** Aborts the run: processes stopped, iptables rules removed, then the promise rejects. */
  signal?: AbortSignal;
  /** Keep the work directory (configs, logs, data) for inspection instead of deleting it. */
  keepDir?: boolean;
  /** How long to wait for another real run on this machine to finish (default 3 min), then fail (exit 2). */
  lockWaitMs?: number;
}

export interface RealResult {
  header: TraceHeader;
  /** Sorted by t: log lines (addresses mapped back to the scenario's), faults, notes (expectations, client ops). */
  records: TraceRecord[];
  report: SummaryReport;
  status: RunStatus;
  /** Script steps that could not run here, each with the reason (no root for iptables, no libfaketime, …). */
  skipped: string[];
  /** `redis-server --version` of the binary used. */
  redisVersion: string;
  error: string | null;
  /** The work directory (configs, data, logs, pids), only when it was kept (RealRunOptions.keepDir). */
  workDir?: string;
}

/**
 * The entry point (bin/real/index.ts): `scenario` is a scenario file or a built-in scenario's name, as for
 * `run`, or an already loaded scenario (bin/run/load.ts's LoadedScenario: its `path` is used).
 */
export type RunReal = (scenario: string | { path: string }, opts?: RealRunOptions) => Promise<RealResult>;
