// Example 3 of the Redis Sentinel documentation: "Sentinel in the client boxes".
//
// What it shows: the master M1 and its replica R1 run alone on their boxes; the three Sentinels run on
// the application boxes C1, C2, C3 (quorum 2), so they see what the clients see. (1) C3 is partitioned
// together with M1: S1 and S2 (2 = quorum, and a majority of 3) promote R1 and C1, C2 follow; C3's
// Sentinel still says M1, so C3 keeps writing to M1 — the same loss as Example 2 after the heal, and
// here min-replicas-to-write cannot help (with one replica, the master would stop accepting writes
// whenever that replica fails). (2) Then the box of the current master (R1) fails: the Sentinels on the
// client boxes fail over to M1 — the "box M1 fails → fine" case of the documentation.
//
// What to look for: `+switch-master … M1 → R1` on S1 and S2 during the partition, none on S3 until the
// heal (`+config-update-from`); `+convert-to-slave` of M1; the note with C3's lost writes; after the
// power-off of R1's box a second `+switch-master … R1 → M1` and every client writing again.
import { addClients, cluster, defineScenario, startWorkload, waitConverged, waitDiscovered } from './api/index.ts';

const RATE = 10;

export default defineScenario({
  name: 'ex3-client-side',
  description: 'Sentinels on the client boxes: C3 cut off with the master loses its writes; the loss of a Redis box is handled',
  seed: 1,
  setup: () =>
    cluster({
      replicas: 1,
      sentinels: 3,
      quorum: 2,
      downAfter: '5s',
      failoverTimeout: '60s',
      replicaPorts: [6379],
      sentinelPorts: [26379, 26379, 26379],
      hostsLayout: [
        { name: 'M1', nodes: ['redis1'] },
        { name: 'R1', nodes: ['redis2'] },
        { name: 'C1', nodes: ['sentinel1'] },
        { name: 'C2', nodes: ['sentinel2'] },
        { name: 'C3', nodes: ['sentinel3'] },
      ],
    }),
  script: (s) => {
    const [M1, R1] = s.servers as [string, string];
    // every application asks the Sentinel on its own box first
    const clients = addClients(s, { hosts: ['C1', 'C2', 'C3'], sentinels: (i) => [s.sentinels[i]!, ...s.sentinels.filter((_, j) => j !== i)] });
    const w = startWorkload(s, clients, { kind: 'set-add', rate: RATE, start: '10s', duration: '110s' });
    s.sleep('15s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');

    // (1) C3 with M1, the rest on the other side
    s.partition(['M1', 'C3'], ['R1', 'C1', 'C2']);
    s.waitFor('+switch-master', { timeout: '30s' });
    s.sleep('2s');
    s.expectEqual([s.masterAddr('C1'), s.masterAddr('C2'), s.masterAddr('C3')], [R1, R1, M1], 'S1 and S2 promoted R1; S3, cut off with M1, still names M1');
    s.expectEqual(clients.map((c) => c.masterAddress), [R1, R1, M1], 'C1 and C2 write to R1, C3 to M1: two masters');
    s.sleep('20s');
    s.heal();
    s.waitFor('+convert-to-slave', { timeout: '30s' });
    s.expectEqual(waitConverged(s, '60s'), R1, 'after the heal all three Sentinels name R1, and M1 is its replica');
    s.sleep('10s');
    s.expectEqual(clients.map((c) => c.masterAddress), [R1, R1, R1], 'every client writes to R1 again');

    // (2) the box of the current master fails: the client-side Sentinels fail over back to M1
    const downAt = s.clock();
    s.hostDown('R1');
    s.waitFor('+switch-master', { timeout: '30s' });
    s.sleep('5s');
    s.expectEqual(s.events({ event: '+switch-master', since: downAt }).length, 3, 'all three Sentinels switch to M1');
    s.expectEqual([s.masterAddr('C1'), s.masterAddr('C2'), s.masterAddr('C3')], [M1, M1, M1], 'M1 is the master again');
    s.sleep('10s');
    s.expectEqual(clients.map((c) => c.masterAddress), [M1, M1, M1], 'every client follows');

    const acc = w.finishSet();
    const byClient = [0, 1, 2].map((k) => acc.details.lost.filter((v) => v % 3 === k).length);
    s.note(`acknowledged writes lost per client: C1 ${byClient[0]}, C2 ${byClient[1]}, C3 ${byClient[2]}`);
    s.expect(byClient[2]! >= 20 * RATE, `C3, cut off with M1, lost its writes of the partition: ${byClient[2]} ≥ ${20 * RATE}`);
    // the majority side can lose only what R1 had not yet passed to M1 when its box died (asynchronous replication)
    s.expect(byClient[0]! + byClient[1]! <= 2, `C1 and C2 lost at most the last instant before R1's box died: ${byClient[0]! + byClient[1]!}`);
    s.expectEqual(acc.details.failedButPresent, [], 'no write reported as failed is present');
  },
});
