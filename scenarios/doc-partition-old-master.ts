// The "Consistency under partitions" figure of the Redis Sentinel documentation.
//
// What it shows: three boxes, each with a Redis and a Sentinel; Redis 3 is the master. A partition cuts
// box 3 (Redis 3 + S3) and Client B away from boxes 1 and 2 (and Client A). S1 and S2 are a majority:
// they fail over and promote Redis 1 (replica-priority 10 here, so that the promoted replica is the
// figure's Redis 1). S3 cannot learn the new configuration and keeps naming Redis 3, so Client B, asking
// S3, keeps writing to the old master. When the partition heals, S3 receives the hellos with the higher
// configuration epoch and switches; Redis 3 is reconfigured as a replica of Redis 1, full-syncs and "all
// the data written during the partition [to Redis 3] will be lost". Sentinel's model is eventual
// consistency: the last configuration (highest epoch) wins, data included.
//
// What to look for: `+switch-master … 10.0.0.3 6379 10.0.0.1 6379` on S1 and S2 during the partition;
// after the heal `+switch-master` on S3 from a hello (no election of its own), `+convert-to-slave` of
// Redis 3, its `MASTER <-> REPLICA sync` from Redis 1; Client B's acknowledged writes lost, Client A's kept.
import { addClients, cluster, defineScenario, startWorkload, waitConverged, waitDiscovered } from './api/index.ts';

export default defineScenario({
  name: 'doc-partition-old-master',
  description: 'the documentation’s partition figure: the majority promotes Redis 1, Client B writes to the old master Redis 3, its writes are lost on heal',
  seed: 1,
  setup: () =>
    cluster({
      replicas: 2,
      sentinels: 3,
      quorum: 2,
      downAfter: '5s',
      failoverTimeout: '60s',
      replicaPorts: [6379, 6379],
      sentinelPorts: [26379, 26379, 26379],
      // redis1 is the initial master: it is the figure's Redis 3, on box 3
      priorities: [100, 10, 100],
      hostsLayout: [
        { name: 'box1', nodes: ['redis2', 'sentinel1'] },
        { name: 'box2', nodes: ['redis3', 'sentinel2'] },
        { name: 'box3', nodes: ['redis1', 'sentinel3'] },
        { name: 'clientA', ip: '10.0.1.1' },
        { name: 'clientB', ip: '10.0.1.2' },
      ],
    }),
  script: (s) => {
    const redis = (box: number) => `10.0.0.${box}:6379`;
    const sentinel = (box: number) => `10.0.0.${box}:26379`;
    const [A, B] = addClients(s, { hosts: ['clientA', 'clientB'], sentinels: (i) => (i === 0 ? [sentinel(1), sentinel(2), sentinel(3)] : [sentinel(3), sentinel(2), sentinel(1)]) });
    const w = startWorkload(s, [A!, B!], { kind: 'set-add', rate: 10, start: '10s', duration: '60s' });
    s.sleep('10s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
    s.expectEqual(s.exec(redis(3), 'SET', 'before', '1'), 'OK', 'Redis 3 is the master');
    s.expectEqual(s.exec(redis(3), 'WAIT', 2, 1000), 2, 'both replicas have it before the partition');

    s.partition(['box1', 'box2', 'clientA'], ['box3', 'clientB']);
    s.waitFor('+switch-master', { timeout: '30s' });
    s.sleep('3s');
    s.expectEqual([1, 2, 3].map((b) => s.masterAddr(sentinel(b))), [redis(1), redis(1), redis(3)], 'S1 and S2 promoted Redis 1; S3 keeps the old configuration');
    s.expectEqual([A!.masterAddress, B!.masterAddress], [redis(1), redis(3)], 'Client A writes to Redis 1, Client B to Redis 3');
    s.expectEqual(s.exec(redis(3), 'SET', 'during', 'B'), 'OK', 'Redis 3 still accepts writes');
    s.sleep('20s');

    const healAt = s.clock();
    s.heal();
    const sw = s.waitFor('+switch-master', { node: sentinel(3), timeout: '20s' });
    s.expectEqual(s.events({ event: '+try-failover', node: sentinel(3), since: healAt }).length, 0, 'S3 switches by the hellos, without an election of its own');
    s.note(`S3 switched: ${sw?.k === 'log' ? sw.line : ''}`);
    s.waitFor('+convert-to-slave', { timeout: '30s' });
    s.expectEqual(waitConverged(s, '60s'), redis(1), 'everyone agrees on Redis 1; Redis 3 is its replica');
    s.sleep('10s');
    s.expectEqual(s.exec(redis(3), 'GET', 'during'), null, 'the key written to Redis 3 during the partition is gone');
    s.expectEqual(s.exec(redis(3), 'GET', 'before'), '1', 'what was replicated before the partition is kept');

    const acc = w.finishSet();
    const lostB = acc.details.lost.filter((v) => v % 2 === 1).length;
    s.expect(lostB > 100, `Client B's acknowledged writes to Redis 3 are lost: ${lostB}`);
    s.expectEqual(acc.lost - lostB, 0, "Client A's writes all survive");
  },
});
