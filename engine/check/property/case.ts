// A property case: a cluster, a workload and a fault schedule over virtual time, ending in a quiet period.
// Plain data (structured-clone safe: it crosses worker threads and is printed into repro files).

export type Persistence = 'none' | 'rdb' | 'aof-everysec' | 'aof-always';

export interface Topology {
  replicas: number;
  sentinels: number;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  parallelSyncs: number;
  persistence: Persistence;
  /** 0 = off. */
  minReplicasToWrite: number;
  /** Seconds (min-replicas-max-lag), used when minReplicasToWrite > 0. */
  minReplicasMaxLag: number;
  /** replica-priority of redis1..redisN (redis1 = the initial master). */
  priorities: number[];
}

/** The plain 3 + 3 cluster (1 master, 2 replicas, 3 Sentinels, quorum 2) of the known failures and the bench. */
export const CLUSTER_3_3: Topology = {
  replicas: 2,
  sentinels: 3,
  quorum: 2,
  downAfterMs: 5000,
  failoverTimeoutMs: 10000,
  parallelSyncs: 1,
  persistence: 'none',
  minReplicasToWrite: 0,
  minReplicasMaxLag: 10,
  priorities: [100, 100, 100],
};

export interface WorkloadSpec {
  /** Client boxes c1..cN, each a Sentinel-aware client adding unique integers to one set (0 = none). */
  clients: number;
  /** Ops per second per client. */
  rate: number;
  /** Per-call time-out, ms. */
  timeoutMs: number;
}

/**
 * A node or host reference in a step: "redis2", "sentinel1", "c1" (host names of cluster() and the client
 * boxes), "master" (the server that is master when the step runs, resolved without time passing), or
 * "master#k" (the same, resolved at its first use in the run and remembered: a fault and its undo).
 */
export type Target = string;

export type Step =
  | { at: number; op: 'kill' | 'restart' | 'pause' | 'resume' | 'host-down' | 'host-up' | 'isolate'; target: Target }
  | { at: number; op: 'partition'; groups: Target[][] }
  | { at: number; op: 'block'; from: Target; to: Target }
  | { at: number; op: 'heal' }
  | { at: number; op: 'link'; a: Target; b: Target; latencyMs: number; loss: number }
  | { at: number; op: 'clock-jump'; target: Target; deltaMs: number };

export interface Case {
  topology: Topology;
  workload: WorkloadSpec;
  /** Faults, sorted by `at` (virtual ms from the start). */
  steps: Step[];
  /** When the quiet period begins (ms): every fault is healed then. */
  quietAtMs: number;
  /** An application host running this module through the case (`check --app`, docs/guest-apps.md). */
  app?: CaseApp;
}

/** The application of a case: a module exporting `async (ctx) => { … }`, its ctx.params. */
export interface CaseApp {
  module: string;
  params?: unknown;
}

/** The hosts of a case: cluster()'s one-per-node hosts, then the client boxes. */
export function caseHosts(t: Topology, w: WorkloadSpec): { servers: string[]; sentinels: string[]; clients: string[] } {
  return {
    servers: Array.from({ length: t.replicas + 1 }, (_, i) => `redis${i + 1}`),
    sentinels: Array.from({ length: t.sentinels }, (_, i) => `sentinel${i + 1}`),
    clients: Array.from({ length: w.clients }, (_, i) => `c${i + 1}`),
  };
}

const ms = (n: number) => {
  const s = Math.floor(n / 1000);
  const p2 = (x: number) => String(x).padStart(2, '0');
  return `${p2(Math.floor(s / 3600))}:${p2(Math.floor((s % 3600) / 60))}:${p2(s % 60)}.${String(Math.round(n) % 1000).padStart(3, '0')}`;
};

/** "00:00:12.500" of a step time. */
export const clockOf = ms;

/** One line per step, e.g. "00:00:12.500 kill master". */
export function describeStep(s: Step): string {
  switch (s.op) {
    case 'partition':
      return `${ms(s.at)} partition ${s.groups.map((g) => `{${g.join(',')}}`).join(' | ')}`;
    case 'block':
      return `${ms(s.at)} block ${s.from} → ${s.to}`;
    case 'heal':
      return `${ms(s.at)} heal`;
    case 'link':
      return `${ms(s.at)} link ${s.a} ↔ ${s.b} latency ${s.latencyMs} ms loss ${s.loss}`;
    case 'clock-jump':
      return `${ms(s.at)} clock-jump ${s.target} ${s.deltaMs >= 0 ? '+' : ''}${s.deltaMs} ms`;
    default:
      return `${ms(s.at)} ${s.op} ${s.target}`;
  }
}

export function describeTopology(t: Topology): string {
  const extra = [
    t.persistence !== 'none' ? `persistence ${t.persistence}` : '',
    t.minReplicasToWrite > 0 ? `min-replicas-to-write ${t.minReplicasToWrite} max-lag ${t.minReplicasMaxLag}s` : '',
    t.priorities.some((p) => p !== 100) ? `priorities ${t.priorities.join('/')}` : '',
  ].filter(Boolean);
  return `1 master + ${t.replicas} replica(s), ${t.sentinels} Sentinel(s) quorum ${t.quorum}, down-after ${t.downAfterMs} ms, failover-timeout ${t.failoverTimeoutMs} ms, parallel-syncs ${t.parallelSyncs}${extra.length ? ', ' + extra.join(', ') : ''}`;
}

export function describeCase(c: Case): string[] {
  return [
    describeTopology(c.topology),
    c.workload.clients > 0 ? `${c.workload.clients} client(s) × ${c.workload.rate} SADD/s (time-out ${c.workload.timeoutMs} ms)` : 'no clients',
    ...(c.steps.length ? c.steps.map(describeStep) : ['(no faults)']),
    `${ms(c.quietAtMs)} quiet period: heal everything`,
  ];
}
