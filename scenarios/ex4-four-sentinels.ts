// Example 4 of the Redis Sentinel documentation: "Sentinel client side with less than three clients".
//
// What it shows: box A runs M1+S1, box B the replica R1+S2, and the two application boxes C1 and C2 run
// S3 and S4: four Sentinels, quorum 3. (1) Box A dies: S2, S3 and S4 are 3 ≥ quorum and a majority of 4,
// so they fail over to R1. (2) Box A comes back: M1 (no persistence) restarts empty as a master and is
// converted to a replica of R1, from which it gets the data back. (3) The price of quorum 3: with C2's
// box and then R1's box down, only S1 and S3 are left — 2 < quorum 3, so R1's death is never O_DOWN and
// nothing fails over (the documentation notes it "in theory" works with three Sentinels and quorum 2).
//
// What to look for: `+odown master … #quorum 3/3` then one election and `+switch-master … R1` on S2–S4;
// `+convert-to-slave` of M1 after box A's power-on; in the last phase `+sdown master` on S1 and S3 but no
// `+odown`.
import { cluster, defineScenario, waitDiscovered } from './api/index.ts';

export default defineScenario({
  name: 'ex4-four-sentinels',
  description: 'four Sentinels (two on client boxes), quorum 3: box A dies ⇒ S2–S4 fail over; with two boxes gone the quorum is out of reach',
  seed: 1,
  setup: () =>
    cluster({
      replicas: 1,
      sentinels: 4,
      quorum: 3,
      downAfter: '5s',
      failoverTimeout: '60s',
      replicaPorts: [6379],
      sentinelPorts: [26379, 26379, 26379, 26379],
      hostsLayout: [
        { name: 'A', nodes: ['redis1', 'sentinel1'] },
        { name: 'B', nodes: ['redis2', 'sentinel2'] },
        { name: 'C1', nodes: ['sentinel3'] },
        { name: 'C2', nodes: ['sentinel4'] },
      ],
    }),
  script: (s) => {
    const [M1, R1] = s.servers as [string, string];
    const [S1, S2, S3, S4] = s.sentinels as [string, string, string, string];
    s.sleep('10s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
    s.expectEqual(s.exec(M1, 'SET', 'k', 'v'), 'OK', 'M1 accepts writes');
    s.expectEqual(s.exec(M1, 'WAIT', 1, 1000), 1, 'R1 has the write');
    s.expectEqual(s.exec(S3, 'SENTINEL', 'ckquorum', 'mymaster'), 'OK 4 usable Sentinels. Quorum and failover authorization can be reached', 'four usable Sentinels');

    // (1) box A (M1 + S1) dies
    s.hostDown('A');
    const od = s.waitFor('+odown', { timeout: '15s' });
    s.expect(od?.k === 'log' && od.line.endsWith('#quorum 3/3'), `O_DOWN with the quorum of 3 (${od?.k === 'log' ? od.line : ''})`);
    s.waitFor('+switch-master', { timeout: '30s' });
    s.sleep('3s');
    s.expectEqual([S2, S3, S4].map((x) => s.masterAddr(x)), [R1, R1, R1], 'S2, S3, S4 promoted R1');
    s.expectEqual(s.exec(R1, 'GET', 'k'), 'v', 'the data is on R1');

    // (2) box A powers on: M1 restarts empty (no persistence) as a master and is converted to a replica
    s.hostUp('A');
    s.waitFor('+convert-to-slave', { timeout: '30s' });
    s.sleep('8s');
    s.expectEqual(s.role(M1), 'slave', 'M1 is a replica of R1');
    s.expectEqual(s.exec(M1, 'GET', 'k'), 'v', 'M1 got the data back from R1');
    s.expectEqual(s.masterAddr(S1), R1, 'S1 learnt the new configuration');

    // (3) C2 (S4) and then box B (R1 + S2) go down: S1 and S3 are 2 < quorum 3
    s.hostDown('C2');
    s.sleep('2s');
    const lateAt = s.clock();
    s.hostDown('B');
    s.waitFor('+sdown', { match: /^\+sdown master /, timeout: '15s' });
    s.sleep('30s');
    s.expectEqual(s.events({ event: '+odown', since: lateAt }).length, 0, 'no O_DOWN: 2 Sentinels cannot reach quorum 3');
    s.expectEqual(s.events({ event: '+try-failover', since: lateAt }).length, 0, 'no failover attempt');
    s.expectEqual(s.role(M1), 'slave', 'M1 stays a replica of the dead R1: the service is unavailable');
  },
});
