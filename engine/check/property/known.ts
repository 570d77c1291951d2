// Known failures made visible (issue 7): runs that demonstrate a real Redis Sentinel weakness. They are
// documented, named examples: `sentinel-sim check` runs them and prints what they show; they never fail
// the check.
import type { Case } from './case.ts';

export interface KnownFailure {
  name: string;
  /** What it demonstrates and why it is not a bug of the simulator. */
  description: string;
  source: string;
  seed: number;
  case: Case;
  /** The property whose figures show the weakness (reported, not judged). */
  property: string;
}

export const KNOWN_FAILURES: KnownFailure[] = [
  {
    name: 'lost-writes-isolated-master',
    description:
      'The master is partitioned together with its only client for 30 s. The majority side (both replicas, all three Sentinels) ' +
      'elects a leader and promotes a replica; the client, still connected to the old master, keeps getting its writes ' +
      'acknowledged. When the partition heals, the old master is converted to a replica of the new one and resynchronises ' +
      'from it: every write acknowledged during the partition is lost. Asynchronous replication cannot prevent it; ' +
      'min-replicas-to-write only bounds it.',
    source: "Redis Sentinel documentation, Example 2 (\"This data will be lost forever\"); Jepsen, 'Call me maybe: Redis' (2013)",
    seed: 2013,
    property: 'data',
    case: {
      topology: {
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
      },
      workload: { clients: 1, rate: 10, timeoutMs: 1000 },
      steps: [
        { at: 15_000, op: 'partition', groups: [['master#1', 'c1']] },
        { at: 45_000, op: 'heal' },
      ],
      quietAtMs: 60_000,
    },
  },
];
