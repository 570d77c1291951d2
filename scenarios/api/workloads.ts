// Client workloads from a scenario script: Sentinel-aware clients on client boxes whose histories feed the run
// summary, and a final read that yields Jepsen 2013's accounting (spec/scenarios.md, "The paper's table to
// reproduce"). addClients / startWorkload go through the executor (executor.ts): on the simulator they are
// engine/client processes (simAddClients / simStartWorkload below), on real Redis real clients (bin/real).
import { formatSetAccounting } from '../../engine/client/apps.ts';
import type { CounterAccounting, SetAccounting } from '../../engine/client/history.ts';
import { addSentinelClient, SentinelClient } from '../../engine/client/sentinel-client.ts';
import { addWorkload, type WorkloadOptions, type WorkloadResult } from '../../engine/client/workload.ts';
import type { ScenarioClient, ScenarioClientsOptions, ScenarioExecutor, ScenarioWorkload } from './executor.ts';
import { ScenarioError } from './nodes.ts';
import type { ScenarioRun } from './run.ts';

export type { ScenarioClientsOptions, ScenarioClient, ScenarioWorkload } from './executor.ts';

/**
 * Add Sentinel-aware clients, one per box. Call it before the script's first time step, so the clients
 * are part of the trace's topology (a client added later still works, it is just not in the header).
 */
export function addClients(s: ScenarioExecutor, o: ScenarioClientsOptions): ScenarioClient[] {
  return s.addClients(o);
}

/**
 * Start a workload on `clients` (see engine/client/workload.ts for the kinds: set-add of i, i+n, …;
 * counter INCRs; SET/GET mix). Its history feeds the summary's client ops; if the script does not call
 * finish(), it is finished after the script (so the summary's acknowledged-but-lost is filled in).
 */
export function startWorkload(s: ScenarioExecutor, clients: ScenarioClient[], opts: WorkloadOptions): ScenarioWorkload {
  return s.startWorkload(clients, opts);
}

/** @internal the simulator's addClients: engine/client processes. */
export function simAddClients(s: ScenarioRun, o: ScenarioClientsOptions): SentinelClient[] {
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

/** Finishing a workload the same way on every executor: wait for `finishAsync`'s result, note the accounting. */
export function workloadHandle(
  s: ScenarioExecutor,
  kind: string,
  workload: ScenarioWorkload['workload'],
  clients: ScenarioClient[],
  start: (deadlineMs: number, done: (r: WorkloadResult) => void) => void,
  poll: () => WorkloadResult | undefined = () => undefined,
): ScenarioWorkload {
  let result: WorkloadResult | null = null;
  const finish = (o: { deadlineMs?: number } = {}): WorkloadResult => {
    if (result) return result;
    const deadlineMs = o.deadlineMs ?? 60_000;
    let res: WorkloadResult | undefined;
    start(deadlineMs, (r) => (res = r));
    s.waitUntil(() => (res ??= poll()) !== undefined, { timeout: deadlineMs + 10_000 });
    result = res!;
    s.note(`workload ${kind}: ${formatSetAccounting(result.accounting).split('\n').join(' / ')}`);
    return result;
  };
  s.onFinish(() => void finish());
  return {
    workload,
    clients,
    finish,
    finishSet: (o) => {
      const a = finish(o).accounting;
      if (a === null || isCounter(a)) throw new ScenarioError(`finishSet: ${a === null ? 'the final read of the set failed' : `a ${kind} workload has no set accounting`}`);
      return a;
    },
    get accounting() {
      const a = result?.accounting ?? null;
      return a !== null && !isCounter(a) ? a : null;
    },
  };
}

/** @internal the simulator's startWorkload: an engine/client workload. */
export function simStartWorkload(s: ScenarioRun, clients: ScenarioClient[], opts: WorkloadOptions): ScenarioWorkload {
  const sims = clients.map((c) => {
    if (!(c instanceof SentinelClient)) throw new ScenarioError(`startWorkload: client ${c.name} was not made by this run's addClients`);
    return c;
  });
  const w = addWorkload(s.sim, sims, opts);
  s.addHistorySource(w);
  return workloadHandle(s, opts.kind, w, sims, (deadlineMs, done) => w.finish(done, { deadlineMs }));
}

const isCounter = (a: SetAccounting | CounterAccounting): a is CounterAccounting => 'finalValue' in a;
