// Jepsen, "Call me maybe: Redis" (2013): Redis Sentinel under a partition of five boxes.
//
// What it shows: boxes n1–n5 each run Redis and Sentinel (quorum 3); n1 is the master. Five clients
// (Jepsen's workers on the control node, which reaches every box) each add integers to one set — client
// i adds i, i+5, i+10, … — at 10 writes/s for 40 s, 2000 writes in all, each recorded ok / fail /
// unknown. Client i asks the Sentinel of n<i> first and follows +switch-master. 5 s into the writes the
// network splits {n1, n2} | {n3, n4, n5} for 30 s. The majority's Sentinels fail over to n3 about 6 s
// after the cut and clients 3–5 follow; the Sentinels of n1 and n2 cannot learn it, so clients 1 and 2
// keep writing to n1, which still acknowledges them (its replica n2 is on its side). After the heal n1's
// Sentinels switch on the majority's hellos, n1 is demoted (~12 s after the heal) and full-syncs from
// n3: every write it took after the cut is discarded.
//
// The accounting, as Jepsen printed it (the notes "workload set-add: …" and "… per client"):
//   Jepsen 2013:       2000 total / 1998 acknowledged /  872 survivors / 1126 lost (56 %)
//   this run (seed 1): 2000 total / 2000 acknowledged / 1205 survivors /  795 lost (40 %) / 0 unacknowledged
//                      but present; lost per client: c1 303, c2 303, c3–c5 63 each.
// Same mechanism, loss of the same order: clients 1–2 lose everything from the cut until they leave n1
// (on the +switch-master of their own Sentinels after the heal), clients 3–5 the ~6 s before the failover. The share
// depends on the partition's length relative to the run. Also visible: with parallel-syncs 1 the leader
// reconfigures the replicas in its dict's order (a hash keyed per process); when the unreachable n2 comes
// before n4 or n5 (a connecting link counts as connected), its RECONF_SENT blocks them and the failover ends
// only at the failover timeout (`+failover-end-for-timeout`, 60 s); in seed 1 it comes last.
// Variants: jepsen-2013-min-replicas (min-replicas-to-write 1) and jepsen-2013-min-replicas-2.
//
// What to look for: `+odown … #quorum 3/3`, one election and `+switch-master` on n4, n5 ~6 s after the
// cut; the clients' `+switch-master from Sentinel …: re-resolving` lines; after the heal `+switch-master`
// on n1 and n2, `+convert-to-slave` of n1 and its full resync; the accounting notes and the summary's
// acknowledged-but-lost.
import { checkData } from '../engine/check/index.ts';
import { addClients, cluster, defineScenario, runRecords, type Scenario, startWorkload, waitConverged, waitDiscovered, watchMasters } from './api/index.ts';

const CLIENTS = 5;
const RATE = 10; // writes per second per client
const WRITES_S = 40;
const CUT_AFTER_S = 5; // into the writes
const PARTITION_S = 30;

/** Jepsen's five-box test; `minReplicasToWrite` adds min-replicas-to-write N / min-replicas-max-lag 10. */
export function jepsen2013(minReplicasToWrite = 0): Scenario {
  return defineScenario({
    name: minReplicasToWrite === 0 ? 'jepsen-2013' : minReplicasToWrite === 1 ? 'jepsen-2013-min-replicas' : `jepsen-2013-min-replicas-${minReplicasToWrite}`,
    description:
      minReplicasToWrite > 0
        ? `Jepsen 2013 with min-replicas-to-write ${minReplicasToWrite} / max-lag 10`
        : 'Jepsen 2013: five boxes, partition {n1,n2} | {n3,n4,n5}, acknowledged writes to n1 lost after the heal',
    seed: 1,
    setup: () =>
      cluster({
        replicas: 4,
        sentinels: 5,
        quorum: 3,
        downAfter: '5s',
        failoverTimeout: '60s',
        hostsLayout: 'boxes',
        ...(minReplicasToWrite > 0 ? { minReplicasToWrite, minReplicasMaxLag: 10 } : {}),
      }),
    script: (s) => {
      const n1 = s.initialMaster!;
      const hosts = Array.from({ length: CLIENTS }, (_, i) => `c${i + 1}`);
      const clients = addClients(s, {
        hosts,
        // client i asks the Sentinel on n<i> first
        sentinels: (i) => [s.sentinels[i]!, ...s.sentinels.filter((_, j) => j !== i)],
        subscribe: true,
        timeoutMs: 1000,
      });
      const startS = 10;
      const w = startWorkload(s, clients, { kind: 'set-add', rate: RATE, start: `${startS}s`, duration: `${WRITES_S}s` });
      s.expect(waitDiscovered(s, '14s'), 'every Sentinel knows every replica and the other Sentinels');
      const masters = watchMasters(s);
      s.at(`${startS + CUT_AFTER_S}s`);
      s.expect(clients.every((c) => c.masterAddress === n1), 'every client writes to n1');

      // the clients' boxes stay connected to both sides (Jepsen's control node)
      const cutAt = s.now;
      s.cut(['n1', 'n2'], ['n3', 'n4', 'n5']);
      const sw = s.waitFor('+switch-master', { timeout: '30s' });
      const promoted = sw?.k === 'log' ? `${sw.line.split(' ')[4]}:${sw.line.split(' ')[5]}` : '?';
      s.sleep('3s');
      s.expectEqual(clients.map((c) => c.masterAddress), [n1, n1, promoted, promoted, promoted], `clients 1–2 stay on n1 (their Sentinels' view), clients 3–5 follow the switch to ${promoted}`);
      s.at(`${startS + CUT_AFTER_S + PARTITION_S}s`);
      s.expectEqual(s.role(n1), 'master', 'n1 is still a master when the partition heals');
      const healAt = s.now;
      s.heal();
      const conv = s.waitFor('+convert-to-slave', { timeout: '30s' });
      // a client still on n1 re-resolves on its own Sentinels' +switch-master after the heal, before n1 is demoted
      const leftN1 = (c: string) => runRecords(s).find((r) => r.k === 'log' && r.t > healAt && r.line.startsWith(`${c}: +switch-master from Sentinel`));
      s.expect(['c1', 'c2'].every((c) => (leftN1(c)?.t ?? Infinity) < (conv?.t ?? 0)), "clients 1–2 leave n1 on their Sentinels' +switch-master after the heal, before n1 is demoted");
      s.expectEqual(waitConverged(s, '60s'), promoted, 'after the heal every Sentinel names the new master and n1 is its replica');
      s.sleep('5s');
      s.expectEqual(masters.max, 2, `two masters during the partition (n1 and the promoted replica)${masters.max !== 2 ? `: ${JSON.stringify(masters.at)}` : ''}`);

      const acc = w.finishSet();
      s.note(`Jepsen 2013: 2000 total / 1998 acknowledged / 872 survivors / 1126 acknowledged writes lost (56 %)`);
      s.expectEqual(acc.total, CLIENTS * RATE * WRITES_S, 'the workload made 2000 writes');
      s.expectEqual(acc.details.failedButPresent, [], 'no write reported as failed is present');
      s.expectEqual(acc.survivors, acc.acknowledged - acc.lost + acc.unacknowledgedButPresent, 'survivors = acknowledged − lost + unacknowledged-but-present');
      const data = checkData({ header: s.header(), records: runRecords(s) });
      s.expectEqual(data.figures?.lost, acc.lost, 'the data checker (engine/check) counts the same loss from the trace');
      const lostBy = [0, 1, 2, 3, 4].map((k) => acc.details.lost.filter((v) => v % CLIENTS === k).length);
      s.note(`acknowledged writes lost per client: ${lostBy.map((n, k) => `c${k + 1} ${n}`).join(', ')}`);
      const refused = (k: number) => w.workload.history.filter((e) => e.op === 'sadd' && (e.value as number) % CLIENTS === k && e.reply?.startsWith('NOREPLICAS'));
      s.note(`writes refused with -NOREPLICAS per client: ${[0, 1, 2, 3, 4].map((k) => `c${k + 1} ${refused(k).length}`).join(', ')}`);
      const firstRefusal = (k: number) => {
        const e = refused(k)[0];
        return e ? (e.invoke - cutAt) / 1e6 : Infinity;
      };
      const partitionWrites = RATE * PARTITION_S;
      if (minReplicasToWrite === 0) {
        const share = acc.lost / acc.acknowledged;
        s.expect(share > 0.25 && share < 0.75, `the loss is of the order of Jepsen's 56 %: ${(100 * share).toFixed(0)} % of acknowledged writes`);
        s.expect(lostBy[0]! >= partitionWrites && lostBy[1]! >= partitionWrites, 'clients 1 and 2 lost every write of the partition (and those until they left n1)');
        s.expect(lostBy.slice(2).every((n) => n > 0 && n < 10 * RATE), 'clients 3–5 lost only the writes before the failover (< 10 s)');
      } else if (minReplicasToWrite === 1) {
        // n2 is on n1's side and stays its replica: n1 always has one good replica
        s.expect(lostBy[0]! >= partitionWrites && lostBy[1]! >= partitionWrites, `min-replicas-to-write 1 does not bound the loss here: n2 keeps n1 writable (c1 ${lostBy[0]}, c2 ${lostBy[1]} lost)`);
        const refusedDuringCut = [0, 1].map((k) => refused(k).filter((e) => e.invoke < healAt).length);
        s.expectEqual(refusedDuringCut, [0, 0], 'n1 never refused a write during the partition');
      } else {
        // n1 has only n2 left: after max-lag (10 s) it refuses
        s.expect([0, 1].every((k) => firstRefusal(k) > 9 && firstRefusal(k) < 12.5), `n1 starts refusing clients 1–2 about 10 s after the cut (${firstRefusal(0).toFixed(1)} s)`);
        s.expect(lostBy[0]! < 0.6 * partitionWrites && lostBy[1]! < 0.6 * partitionWrites, `the loss of clients 1–2 is bounded by the lag window plus the moments after the heal: c1 ${lostBy[0]}, c2 ${lostBy[1]} < ${0.6 * partitionWrites}`);
      }
    },
  });
}

export default jepsen2013();
