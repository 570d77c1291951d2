// Example 2 of the Redis Sentinel documentation: "basic setup with three boxes", the master partitioned
// away together with a client.
//
// What it shows: boxes 1–3 run M1+S1, R2+S2, R3+S3 (quorum 2); client C1 sits with box 1, client C2
// with boxes 2 and 3. Partition {box1, C1} | {box2, box3, C2}: S2 and S3 agree M1 is down, elect a leader
// and promote a replica, and C2 follows it. C1 keeps writing to M1 — which still believes it is the
// master — for the whole partition and until the Sentinels demote it after the heal (~10 s: the old
// master is converted on the first INFO 8 s after it reports role:master). Then M1 full-syncs from the
// new master and "this data will be lost forever".
// The variant ex2-isolated-master-min-replicas adds `min-replicas-to-write 1` and
// `min-replicas-max-lag 10`: M1 refuses writes (-NOREPLICAS) once its replicas' last ACK is more than
// 10 s old, so C1's loss is bounded by that window; the price is that a master with no replica left
// stops taking writes.
//
// What to look for: `+sdown` / `+odown` / election / `+switch-master` on S2 and S3 only; C1's client
// log staying on M1; after the heal `+convert-to-slave` of M1 and its `Full resync` from the new master;
// the note "workload set-add: … acknowledged writes lost" and the summary's acknowledged-but-lost.
import { addClients, cluster, defineScenario, type Scenario, startWorkload, waitConverged, waitDiscovered } from './api/index.ts';

const RATE = 10; // writes per second per client
const PARTITION_S = 30;

/** The scenario with or without min-replicas-to-write 1 / min-replicas-max-lag 10. */
export function isolatedMaster(minReplicas: boolean): Scenario {
  return defineScenario({
    name: minReplicas ? 'ex2-isolated-master-min-replicas' : 'ex2-isolated-master',
    description: minReplicas
      ? 'Example 2 with min-replicas-to-write 1 / max-lag 10: the isolated master refuses writes after ~10 s, the loss is bounded'
      : 'Example 2: the master isolated with client C1; the majority fails over; C1’s acknowledged writes are lost after the heal',
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
        ...(minReplicas ? { minReplicasToWrite: 1, minReplicasMaxLag: 10 } : {}),
        hostsLayout: [
          { name: 'box1', nodes: ['redis1', 'sentinel1'] },
          { name: 'box2', nodes: ['redis2', 'sentinel2'] },
          { name: 'box3', nodes: ['redis3', 'sentinel3'] },
          { name: 'C1', ip: '10.0.1.1' },
          { name: 'C2', ip: '10.0.1.2' },
        ],
      }),
    script: (s) => {
      const M1 = s.initialMaster!;
      // each client asks the Sentinel of "its" side first
      const clients = addClients(s, { hosts: ['C1', 'C2'], sentinels: (i) => (i === 0 ? s.sentinels : [...s.sentinels].reverse()) });
      const w = startWorkload(s, clients, { kind: 'set-add', rate: RATE, start: '10s', duration: `${PARTITION_S + 40}s` });
      s.sleep('15s');
      s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
      s.expectEqual(clients.map((c) => c.masterAddress), [M1, M1], 'both clients write to M1');

      const cutAt = s.now;
      s.partition(['box1', 'C1'], ['box2', 'box3', 'C2']);
      const sw = s.waitFor('+switch-master', { timeout: '30s' });
      const newMaster = s.masterAddr(sw?.k === 'log' ? sw.node : s.sentinels[1]!)!;
      s.note(`the majority promoted ${newMaster}; C1 still writes to ${M1}`);
      s.at(cutAt / 1000 + PARTITION_S * 1000);
      s.expectEqual(s.role(M1), 'master', 'M1 still believes it is the master at the end of the partition');
      s.heal();
      s.waitFor('+convert-to-slave', { timeout: '30s' });
      s.expectEqual(waitConverged(s, '60s'), newMaster, 'after the heal everyone agrees on the new master; M1 is its replica');
      s.sleep('15s');

      const acc = w.finishSet();
      const lostByC1 = acc.details.lost.filter((v) => v % 2 === 0).length;
      s.note(`C1 (with M1): ${lostByC1} acknowledged writes lost; C2: ${acc.lost - lostByC1}`);
      s.expectEqual(acc.details.failedButPresent, [], 'no write reported as failed is present');
      s.expectEqual(acc.lost - lostByC1, 0, 'C2 (majority side) lost nothing');
      if (!minReplicas) {
        s.expect(acc.lost >= 0.9 * RATE * PARTITION_S, `without min-replicas C1 loses every write of the partition and until M1 is demoted: ${acc.lost} ≥ ${0.9 * RATE * PARTITION_S}`);
      } else {
        const refused = w.workload.history.filter((e) => e.reply?.startsWith('NOREPLICAS'));
        s.expect(refused.length > 0, `M1 refused ${refused.length} writes with -NOREPLICAS`);
        const first = refused.length > 0 ? (refused[0]!.invoke - cutAt) / 1e6 : Infinity;
        s.expect(first > 9 && first < 12.5, `M1 started refusing ${first.toFixed(1)} s after the cut (min-replicas-max-lag 10, lag counted in whole seconds)`);
        s.expect(acc.lost > 0 && acc.lost <= 12.5 * RATE, `the loss is bounded by the lag window: 0 < ${acc.lost} ≤ ${12.5 * RATE}`);
      }
    },
  });
}

export default isolatedMaster(false);
