// Client workloads of real runs, script side: addClients / startWorkload as calls to the world's thread
// (clients.ts), behind the same ScenarioClient / ScenarioWorkload interfaces as the simulator's.
import type { HistoryEntry } from '../../engine/client/history.ts';
import type { WorkloadOptions, WorkloadResult } from '../../engine/client/workload.ts';
import type { ScenarioClient, ScenarioClientsOptions, ScenarioWorkload } from '../../scenarios/api/executor.ts';
import { ScenarioError } from '../../scenarios/api/nodes.ts';
import { workloadHandle } from '../../scenarios/api/workloads.ts';
import type { ClientSpec } from './clients.ts';
import type { RealRun } from './script.ts';

class RealClientHandle implements ScenarioClient {
  constructor(
    private readonly run: RealRun,
    readonly name: string,
    readonly node: string,
  ) {}

  get masterAddress(): string | null {
    return this.run.call<string | null>('clientMaster', { name: this.name });
  }
}

export function realAddClients(s: RealRun, o: ScenarioClientsOptions): ScenarioClient[] {
  const masterName = s.masterName;
  if (!masterName) throw new ScenarioError('addClients: the cluster has no Sentinel (no master name to resolve)');
  const specs: ClientSpec[] = o.hosts.map((host, i) => {
    const sentinels = typeof o.sentinels === 'function' ? o.sentinels(i, host) : (o.sentinels ?? s.sentinels);
    return {
      host,
      name: o.names?.[i],
      sentinels: sentinels.map((x) => s.node(x)),
      masterName,
      timeoutMs: o.timeoutMs ?? 1000,
      subscribe: o.subscribe,
      password: o.password,
      retryDelayMs: o.retryDelayMs,
    };
  });
  const made = s.call<{ name: string; node: string; host: string; ip: string }[]>('addClients', { clients: specs });
  return made.map((c) => {
    s.addClientProc(c.node, c.host, c.ip);
    return new RealClientHandle(s, c.name, c.node);
  });
}

export function realStartWorkload(s: RealRun, clients: ScenarioClient[], opts: WorkloadOptions): ScenarioWorkload {
  const names = clients.map((c) => {
    if (!(c instanceof RealClientHandle)) throw new ScenarioError(`startWorkload: client ${c.name} was not made by this run's addClients`);
    return c.name;
  });
  s.ensureStarted();
  const id = s.call<number>('startWorkload', { clients: names, opts });
  s.addHistorySource({ clientOps: () => s.call('workloadOps', { id }) });
  const workload = {
    get history(): readonly HistoryEntry[] {
      return s.call<HistoryEntry[]>('workloadHistory', { id });
    },
  };
  return workloadHandle(
    s,
    opts.kind,
    workload,
    clients,
    (deadlineMs) => void s.call('finishWorkload', { id, deadlineMs }),
    () => s.call<WorkloadResult | null>('workloadResult', { id }) ?? undefined,
  );
}
