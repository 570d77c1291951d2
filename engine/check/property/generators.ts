// fast-check arbitraries for property cases (issue 7): topologies, workloads and fault schedules over
// virtual time with a quiet period at the end. Raw values are small integers and records, mapped to a
// Case, so fast-check shrinks them well (fewer episodes, earlier and shorter faults, index 0 targets).
import fc from 'fast-check';
import { CHECK_APP_NAME } from '../app-history.ts';
import type { Case, CaseApp, Persistence, Step, Target, Topology, WorkloadSpec } from './case.ts';

export interface CaseOptions {
  /** Length of the fault schedule (ms): the quiet period begins then. Default 120000. */
  scheduleMs?: number;
  /** Fixed topology (the benchmark's 3+3 cluster), else generated. */
  topology?: Topology;
  /** Most fault episodes in a general schedule (default 6). */
  maxEpisodes?: number;
  /** Force clients (default: 0–3 generated, mostly ≥ 1). */
  clients?: number;
  /** An application host in every case (`check --app`). */
  app?: CaseApp;
}

const PERSISTENCE: Persistence[] = ['none', 'none', 'rdb', 'aof-everysec', 'aof-always'];

export const topologyArb: fc.Arbitrary<Topology> = fc
  .record({
    replicas: fc.integer({ min: 1, max: 5 }),
    sentinels: fc.integer({ min: 1, max: 7 }),
    quorumDelta: fc.integer({ min: -3, max: 2 }),
    downAfterMs: fc.constantFrom(1000, 2000, 3000, 5000, 10000),
    failoverTimeoutMs: fc.constantFrom(5000, 10000, 15000, 30000),
    parallelSyncs: fc.integer({ min: 1, max: 5 }),
    persistence: fc.constantFrom(...PERSISTENCE),
    minReplicas: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) }),
    minReplicasMaxLag: fc.integer({ min: 1, max: 10 }),
    priorities: fc.array(fc.constantFrom(100, 100, 100, 100, 1, 50, 200, 0), { minLength: 6, maxLength: 6 }),
  })
  .map((r): Topology => {
    const majority = Math.floor(r.sentinels / 2) + 1;
    return {
      replicas: r.replicas,
      sentinels: r.sentinels,
      quorum: Math.max(1, Math.min(r.sentinels, majority + r.quorumDelta)),
      downAfterMs: r.downAfterMs,
      failoverTimeoutMs: r.failoverTimeoutMs,
      parallelSyncs: Math.min(r.parallelSyncs, r.replicas),
      persistence: r.persistence,
      minReplicasToWrite: Math.min(r.minReplicas, r.replicas),
      minReplicasMaxLag: r.minReplicasMaxLag,
      priorities: r.priorities.slice(0, r.replicas + 1),
    };
  });

export const workloadArb: fc.Arbitrary<WorkloadSpec> = fc.record({
  clients: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) }),
  rate: fc.integer({ min: 1, max: 10 }),
  timeoutMs: fc.constantFrom(500, 1000, 2000),
});

export type EpisodeKind = 'crash' | 'restart' | 'pause' | 'host' | 'isolate' | 'halves' | 'master-partition' | 'block' | 'link' | 'clock';
const KINDS: EpisodeKind[] = ['crash', 'restart', 'pause', 'host', 'isolate', 'halves', 'master-partition', 'block', 'link', 'clock'];
const NETWORK_KINDS: EpisodeKind[] = ['isolate', 'halves', 'master-partition', 'block', 'link'];

/** One fault and its undo, in raw form: position and length as fractions of the schedule (‰). */
export interface RawEpisode {
  kind: EpisodeKind;
  start: number;
  length: number;
  a: number;
  b: number;
  mask: number;
  magnitude: number;
}

const episodeArb = (kinds: EpisodeKind[]): fc.Arbitrary<RawEpisode> =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    start: fc.integer({ min: 0, max: 1000 }),
    length: fc.integer({ min: 0, max: 1000 }),
    a: fc.nat({ max: 63 }),
    b: fc.nat({ max: 63 }),
    mask: fc.nat({ max: 0xffff }),
    magnitude: fc.integer({ min: 0, max: 100 }),
  });

export interface RawSchedule {
  shape: 'none' | 'master-crash' | 'network' | 'general';
  crashAt: number;
  episodes: RawEpisode[];
}

export const scheduleArb = (maxEpisodes = 6): fc.Arbitrary<RawSchedule> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.record({ shape: fc.constant('none' as const), crashAt: fc.constant(0), episodes: fc.constant([] as RawEpisode[]) }) },
    { weight: 1, arbitrary: fc.record({ shape: fc.constant('master-crash' as const), crashAt: fc.integer({ min: 0, max: 1000 }), episodes: fc.constant([] as RawEpisode[]) }) },
    { weight: 1, arbitrary: fc.record({ shape: fc.constant('network' as const), crashAt: fc.constant(0), episodes: fc.array(episodeArb(NETWORK_KINDS), { minLength: 1, maxLength: maxEpisodes }) }) },
    { weight: 6, arbitrary: fc.record({ shape: fc.constant('general' as const), crashAt: fc.constant(0), episodes: fc.array(episodeArb(KINDS), { minLength: 1, maxLength: maxEpisodes }) }) },
  );

const FAULT_START_MS = 2000;

/**
 * Map a raw schedule onto a topology: steps sorted by time, each fault before its undo. With `withApp`
 * (`check --app`) the application's host is one more node and host for faults (kill, pause, host down,
 * clock jump, partitions); a kill or pause of it left without its undo ends with the quiet period, as any node's.
 */
export function scheduleSteps(raw: RawSchedule, t: Topology, w: WorkloadSpec, scheduleMs: number, withApp = false): Step[] {
  const servers = Array.from({ length: t.replicas + 1 }, (_, i) => `redis${i + 1}`);
  const sentinels = Array.from({ length: t.sentinels }, (_, i) => `sentinel${i + 1}`);
  const clients = Array.from({ length: w.clients }, (_, i) => `c${i + 1}`);
  const apps = withApp ? [CHECK_APP_NAME] : [];
  const nodes: Target[] = ['master', ...servers, ...sentinels, ...apps];
  const hosts = [...servers, ...sentinels, ...clients, ...apps];
  const span = Math.max(1000, scheduleMs - FAULT_START_MS - 500);
  const at = (permille: number) => FAULT_START_MS + Math.round((span * permille) / 1000);
  if (raw.shape === 'none') return [];
  if (raw.shape === 'master-crash') return [{ at: Math.max(10_000, at(raw.crashAt)), op: 'kill', target: 'master' }];
  const steps: Step[] = [];
  raw.episodes.forEach((e, k) => {
    const start = at(e.start);
    // the undo lands inside the schedule, or is left to the quiet period
    const end = start + Math.max(200, Math.round(((scheduleMs - start) * e.length) / 1000));
    const undo = end < scheduleMs;
    // "master#k": the server that is master when episode k begins; its undo names the same server
    const pick = nodes[e.a % nodes.length]!;
    const node = pick === 'master' ? `master#${k + 1}` : pick;
    const host = hosts[e.a % hosts.length]!;
    const other = hosts[(e.a + 1 + (e.b % (hosts.length - 1))) % hosts.length]!;
    switch (e.kind) {
      case 'crash':
        steps.push({ at: start, op: 'kill', target: node });
        if (undo) steps.push({ at: end, op: 'restart', target: node });
        break;
      case 'restart':
        steps.push({ at: start, op: 'restart', target: node });
        break;
      case 'pause':
        steps.push({ at: start, op: 'pause', target: node });
        if (undo) steps.push({ at: end, op: 'resume', target: node });
        break;
      case 'host':
        steps.push({ at: start, op: 'host-down', target: node });
        if (undo) steps.push({ at: end, op: 'host-up', target: node });
        break;
      case 'isolate':
        steps.push({ at: start, op: 'isolate', target: e.mask % 2 === 0 ? node : host });
        if (undo) steps.push({ at: end, op: 'heal' });
        break;
      case 'halves': {
        const side = hosts.filter((_, i) => (e.mask >> i) & 1);
        if (side.length === 0 || side.length === hosts.length) side.splice(0, side.length, host);
        steps.push({ at: start, op: 'partition', groups: [side] });
        if (undo) steps.push({ at: end, op: 'heal' });
        break;
      }
      case 'master-partition': {
        // the master with some of the clients (Jepsen 2013, the documentation's Example 2)
        const withIt = clients.filter((_, i) => (e.mask >> i) & 1);
        steps.push({ at: start, op: 'partition', groups: [[`master#${k + 1}`, ...(withIt.length ? withIt : clients)]] });
        if (undo) steps.push({ at: end, op: 'heal' });
        break;
      }
      case 'block':
        steps.push({ at: start, op: 'block', from: host, to: other });
        if (undo) steps.push({ at: end, op: 'heal' });
        break;
      case 'link': {
        const slow = e.mask % 2 === 0;
        steps.push({ at: start, op: 'link', a: host, b: other, latencyMs: slow ? 5 * e.magnitude + 1 : 0.1, loss: slow ? 0 : Math.min(0.5, e.magnitude / 200) });
        if (undo) steps.push({ at: end, op: 'link', a: host, b: other, latencyMs: 0.1, loss: 0 });
        break;
      }
      case 'clock': {
        const delta = (e.mask % 2 === 0 ? 1 : -1) * (1000 + 100 * e.magnitude);
        steps.push({ at: start, op: 'clock-jump', target: node, deltaMs: delta });
        break;
      }
    }
  });
  // stable: equal times keep episode order
  return steps.map((s, i) => ({ s, i })).sort((x, y) => x.s.at - y.s.at || x.i - y.i).map((x) => x.s);
}

/** The arbitrary of whole cases. */
export function caseArb(opts: CaseOptions = {}): fc.Arbitrary<Case> {
  const scheduleMs = opts.scheduleMs ?? 120_000;
  const topo = opts.topology ? fc.constant(opts.topology) : topologyArb;
  const work = opts.clients !== undefined ? workloadArb.map((w) => ({ ...w, clients: opts.clients! })) : workloadArb;
  return fc.record({ topology: topo, workload: work, schedule: scheduleArb(opts.maxEpisodes ?? 6) }).map(
    (r): Case => ({
      topology: r.topology,
      workload: r.workload,
      steps: scheduleSteps(r.schedule, r.topology, r.workload, scheduleMs, opts.app !== undefined),
      quietAtMs: scheduleMs,
      ...(opts.app ? { app: opts.app } : {}),
    }),
  );
}

/** The case a seed stands for (fast-check's first value for that seed: what fc.check would try first). */
export function caseForSeed(seed: number, opts: CaseOptions = {}): Case {
  return fc.sample(caseArb(opts), { seed, numRuns: 1 })[0]!;
}
