// Known failures made visible (issue 7): runs that demonstrate a real Redis Sentinel weakness. They are
// documented, named examples: `sentinel-sim check` runs them and prints what they show; they never fail
// the check.
import { CLUSTER_3_3, type Case } from './case.ts';

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
      topology: CLUSTER_3_3,
      workload: { clients: 1, rate: 10, timeoutMs: 1000 },
      steps: [
        { at: 15_000, op: 'partition', groups: [['master#1', 'c1']] },
        { at: 45_000, op: 'heal' },
      ],
      quietAtMs: 60_000,
    },
  },
  {
    name: 'empty-master-restart-wipes-replicas',
    description:
      'The master runs without persistence and is killed, then restarted half a second later: before down-after-milliseconds ' +
      'passes, so no Sentinel sees it down (only +reboot). It comes back with an empty dataset; its replicas reconnect, ' +
      'resynchronise fully from it and empty themselves too: every acknowledged write is lost, with no failover at all. ' +
      'Either enable persistence on the master or keep it from restarting automatically.',
    source: 'Redis replication documentation, "Safety of replication when master has persistence turned off"',
    seed: 7,
    property: 'data',
    case: {
      topology: CLUSTER_3_3,
      workload: { clients: 1, rate: 10, timeoutMs: 1000 },
      steps: [
        { at: 20_000, op: 'kill', target: 'master#1' },
        { at: 20_500, op: 'restart', target: 'master#1' },
      ],
      quietAtMs: 40_000,
    },
  },
  {
    name: 'spurious-failover-after-switch',
    description:
      'down-after-milliseconds 1000 (the ping period) and quorum 1; the master is killed once. A Sentinel that learns of ' +
      'the promotion by +config-update-from resets its master record (the unanswered-PING clock starts at the switch) but ' +
      'reconnects to the new master only in its next once-a-second reconnection slot; when that slot comes after ' +
      'down-after-milliseconds, it finds the new, healthy master S_DOWN before its PING is answered and, with quorum 1, ' +
      'fails it over at once. The second promotion picks a replica that had not caught up; the clients keep writing to ' +
      'the demoted master until it is converted to a replica ~10 s later: those writes are lost.',
    source: 'Redis 7.0.15 sentinel.c: sentinelResetMaster sets act_ping_time but not last_reconn_time; sentinelReconnectInstance waits sentinel_ping_period between attempts',
    seed: 1,
    property: 'data',
    case: {
      topology: {
        replicas: 2,
        sentinels: 3,
        quorum: 1,
        downAfterMs: 1000,
        failoverTimeoutMs: 5000,
        parallelSyncs: 1,
        persistence: 'none',
        minReplicasToWrite: 0,
        minReplicasMaxLag: 10,
        priorities: [100, 100, 100],
      },
      workload: { clients: 1, rate: 10, timeoutMs: 1000 },
      steps: [{ at: 20_000, op: 'kill', target: 'master#1' }],
      quietAtMs: 40_000,
    },
  },
];
