// Client workloads from a scenario script: Sentinel-aware clients on client boxes (engine/client) whose
// histories feed the run summary, and a final read that yields Jepsen 2013's accounting
// (spec/scenarios.md, "The paper's table to reproduce").
import { formatSetAccounting } from '../../engine/client/apps.ts';
import type { CounterAccounting, SetAccounting } from '../../engine/client/history.ts';
import { addSentinelClient, type SentinelClient } from '../../engine/client/sentinel-client.ts';
import { addWorkload, type Workload, type WorkloadOptions, type WorkloadResult } from '../../engine/client/workload.ts';
import { ScenarioError } from './nodes.ts';
import type { ScenarioRun } from './run.ts';

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

/**
 * Add Sentinel-aware client processes. Call it before the script's first time step, so the clients
 * are part of the trace's topology (a client added later still works, it is just not in the header).
 */
export function addClients(s: ScenarioRun, o: ScenarioClientsOptions): SentinelClient[] {
  const masterName = s.masterName;
  if (!masterName) throw new ScenarioError('addClients: the cluster has no Sentinel (no master name to resolve)');
  return o.hosts.map((host, i) => {
    const sentinels = typeof o.sentinels === 'function' ? o.sentinels(i, host) : (o.sentinels ?? s.sentinels);
    return addSentinelClient(s.sim, {
      host,
      name: o.names?.[i],
      sentinels: sentinels.map((x) => s.node(x)),
      masterName,
      timeoutMs: o.timeoutMs ?? 1000,
      subscribe: o.subscribe,
      password: o.password,
      retryDelayMs: o.retryDelayMs,
    });
  });
}

export interface ScenarioWorkload {
  readonly workload: Workload;
  readonly clients: SentinelClient[];
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

/**
 * Start a workload on `clients` (see engine/client/workload.ts for the kinds: set-add of i, i+n, …;
 * counter INCRs; SET/GET mix). Its history feeds the summary's client ops; if the script does not call
 * finish(), it is finished after the script (so the summary's acknowledged-but-lost is filled in).
 */
export function startWorkload(s: ScenarioRun, clients: SentinelClient[], opts: WorkloadOptions): ScenarioWorkload {
  const w = addWorkload(s.sim, clients, opts);
  s.addHistorySource(w);
  let result: WorkloadResult | null = null;
  const finish = (o: { deadlineMs?: number } = {}): WorkloadResult => {
    if (result) return result;
    const deadlineMs = o.deadlineMs ?? 60_000;
    let res: WorkloadResult | undefined;
    w.finish((r) => (res = r), { deadlineMs });
    s.waitUntil(() => res !== undefined, { timeout: deadlineMs + 10_000 });
    result = res!;
    s.note(`workload ${opts.kind}: ${formatSetAccounting(result.accounting).split('\n').join(' / ')}`);
    return result;
  };
  s.onFinish(() => void finish());
  return {
    workload: w,
    clients,
    finish,
    finishSet: (o) => {
      const a = finish(o).accounting;
      if (a === null || isCounter(a)) throw new ScenarioError(`finishSet: ${a === null ? 'the final read of the set failed' : `a ${opts.kind} workload has no set accounting`}`);
      return a;
    },
    get accounting() {
      const a = result?.accounting ?? null;
      return a !== null && !isCounter(a) ? a : null;
    },
  };
}

const isCounter = (a: SetAccounting | CounterAccounting): a is CounterAccounting => 'finalValue' in a;
