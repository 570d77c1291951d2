// ScenarioExecutor: everything a scenario script (and the helpers of invariants.ts / workloads.ts) may call.
// Two executors implement it: ScenarioRun (run.ts, the deterministic simulation) and RealRun (bin/real, real
// redis-server processes on loopback aliases, real time). A script written against this interface runs on both.
import type { Resp } from '../../engine/net/resp.ts';
import type { HistoryEntry, SetAccounting } from '../../engine/client/history.ts';
import type { WorkloadOptions, WorkloadResult } from '../../engine/client/workload.ts';
import type { Micros } from '../../engine/sim/time.ts';
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import type { ExecOptions } from './admin.ts';
import type { LinkOptions } from './faults.ts';
import type { EventQuery, RecordPredicate } from './match.ts';
import type { ClusterSpec, Duration } from './spec.ts';
import type { ClientOpsCounts } from './summary.ts';

export type WaitTarget = string | RecordPredicate | (() => boolean);

export interface WaitOptions extends Omit<EventQuery, 'event' | 'since'> {
  /** Time to wait before failing (default 60 s). */
  timeout?: Duration;
}

/** Reports the client operations of a workload (filled by the client library's workloads). */
export interface HistorySource {
  clientOps(): ClientOpsCounts;
}

/** Options of addClients (scenarios/api/workloads.ts). */
export interface ScenarioClientsOptions {
  /** One client per box, in order (a host of the cluster's layout, e.g. a client box { name: 'C1' }, or a new one). */
  hosts: string[];
  /** Label of client i (default: its host name). */
  names?: string[];
  /** The Sentinels client i asks, in order (default: every Sentinel of the cluster). */
  sentinels?: string[] | ((i: number, host: string) => string[]);
  /** Per-call time-out, ms (default 1000). */
  timeoutMs?: number;
  /** Re-resolve on +switch-master published by any Sentinel (default false). */
  subscribe?: boolean;
  /** AUTH for the data nodes. */
  password?: string;
  retryDelayMs?: number;
}

/** A Sentinel-aware client as a script sees it (the simulator's SentinelClient, or a real client). */
export interface ScenarioClient {
  /** Its label in histories and logs. */
  readonly name: string;
  /** "ip:port" of its verified master connection, or null while it (re)resolves. */
  readonly masterAddress: string | null;
}

/** A workload's history as a script sees it. */
export interface WorkloadHistory {
  readonly history: readonly HistoryEntry[];
}

export interface ScenarioWorkload {
  readonly workload: WorkloadHistory;
  readonly clients: ScenarioClient[];
  /**
   * Stop invoking, drain the ops in flight, read the final state from the master the Sentinels name
   * (retrying for up to `deadline`), note the accounting in the trace and return it. Idempotent.
   */
  finish(opts?: { deadlineMs?: number }): WorkloadResult;
  /** finish() for a set-add workload: its Jepsen accounting (throws if the final read failed). */
  finishSet(opts?: { deadlineMs?: number }): SetAccounting;
  /** The set-add accounting once finished (null before, or when the final read failed). */
  readonly accounting: SetAccounting | null;
}

/** What a scenario script drives. Times are µs since the cluster started; nodes are named by their scenario ("simulated") addresses. */
export interface ScenarioExecutor {
  /** The master name the Sentinels monitor (default of masterAddr / sentinelFailover). */
  readonly masterName: string | null;
  /** "ip:port" of the master at start. */
  readonly initialMaster: string | null;
  readonly servers: string[];
  readonly sentinels: string[];
  readonly spec: ClusterSpec;
  /** Messages of the failed expectations so far. */
  readonly failures: string[];

  // ---- time
  /** Time since the start, µs. */
  readonly now: Micros;
  /** `now` as "00:01:30.250". */
  clock(): string;
  /** Start the cluster if not yet done (everything that acts or lets time pass calls it). */
  ensureStarted(): void;
  sleep(d: Duration): void;
  at(t: Duration): void;
  waitFor(target: WaitTarget, opts?: WaitOptions): TraceRecord | null;
  waitUntil(cond: () => boolean, opts?: Pick<WaitOptions, 'timeout'>): void;

  // ---- observation
  events(filter?: string | EventQuery | RecordPredicate): TraceRecord[];
  lastEvents(n?: number, node?: string): TraceRecord[];
  /** Every record so far but messages and keyframes. */
  records(): TraceRecord[];
  /** The trace header (topology, seed, epoch); starts the cluster if needed. */
  header(): TraceHeader;
  exec(node: string, ...args: (string | number | ExecOptions)[]): Resp;
  role(node: string): string;
  masterAddr(sentinel: string, master?: string | null): string | null;
  sentinelFailover(sentinel?: string, master?: string | null): Resp;
  /**
   * The node's visible state: a server `{ role: 'master' | 'slave', ... }`, a Sentinel `{ myid, currentEpoch,
   * tilt, masters: [{ name, addr, flags, numReplicas, numOtherSentinels, ... }] }`; null when it is not running.
   */
  view(node: string): unknown;
  /** The node's process is running (not stopped, not paused) and its host is up. */
  isRunning(node: string): boolean;
  /** The node's process state (its host may be down: `hostUp`). */
  processState(node: string): { state: 'running' | 'paused' | 'stopped'; hostUp: boolean };
  /** Whether the host is powered on (not hostDown). */
  hostIsUp(host: string): boolean;
  /**
   * The whole trace so far, keyframes included (what the property checkers read): the simulator's trace, or
   * on real Redis the records the run has produced up to now.
   */
  trace(): { header: TraceHeader; records: TraceRecord[] };

  // ---- assertions and notes
  expect(cond: boolean, message: string, opts?: { node?: string }): boolean;
  expectEqual(actual: unknown, expected: unknown, message: string, opts?: { node?: string }): boolean;
  note(text: string): void;
  /** A note record with structured data, `{ k: 'note', what, data }` at `now` (the property harness's notes). */
  noteData(what: string, data: unknown): void;

  // ---- hooks
  onFinish(fn: () => void): void;
  addHistorySource(src: HistorySource): void;
  /** Call `fn` with every record from now on, as it becomes known. */
  onRecord(fn: (r: TraceRecord) => void): void;
  /** Run `fn` once the event being handled is over (at the same instant), e.g. from an onRecord callback. */
  afterEvent(fn: () => void): void;

  // ---- clients
  addClients(o: ScenarioClientsOptions): ScenarioClient[];
  startWorkload(clients: ScenarioClient[], opts: WorkloadOptions): ScenarioWorkload;

  // ---- faults
  node(ref: string | number): string;
  host(ref: string | number): string;
  kill(node: string): void;
  restart(node: string): void;
  start(node: string): void;
  pause(node: string): void;
  resume(node: string): void;
  hostDown(host: string): void;
  hostUp(host: string): void;
  partition(...groups: (string[] | string[][])[]): void;
  cut(a: string[], b: string[]): void;
  isolate(host: string): void;
  block(from: string, to: string): void;
  heal(): void;
  setLink(a: string | LinkOptions, b?: string, o?: LinkOptions, opts?: { oneWay?: boolean }): void;
  clockJump(host: string, delta: Duration): void;
}
