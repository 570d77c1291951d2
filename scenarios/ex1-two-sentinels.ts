// Example 1 of the Redis Sentinel documentation: "just two Sentinels, DON'T DO THIS".
//
// What it shows: box A runs the master M1 and Sentinel S1, box B the replica R1 and Sentinel S2; quorum 1.
// A failover needs the votes of a majority of all the Sentinels a Sentinel knows (here 2 of 2), not just
// the quorum. (1) Partition A | B — the documentation's `M1 --//-- [M1]`: S2 sees M1 down and reaches
// O_DOWN on its own (quorum 1), but cannot win an election, so R1 is never promoted and there is never a
// second master (no "permanent split brain"). (2) Box A dies: S2 alone still cannot authorise a failover,
// so the service stays down — the liveness failure the documentation predicts.
//
// What to look for: on S2 `+sdown master`, `+odown master mymaster … #quorum 1/1`, `+new-epoch`,
// `+try-failover`, its own `+vote-for-leader`, then ~10 s later `-failover-abort-not-elected` and
// `Next failover delay` (retry after 2 × failover-timeout = 120 s, with a higher epoch, aborted again).
// Never `+elected-leader`, `+promoted-slave` or `+switch-master`; R1 answers writes with -READONLY while
// box A is down.
// A trap worth knowing (seen with failover-timeout 10 s): if the partition heals while S2 is inside an
// attempt, S1 grants its vote (votes do not check that the master is down, sentinel.md §1) and S2 promotes
// R1 although M1 is back — so the partition here ends between two attempts.
import { cluster, defineScenario, js, waitDiscovered, watchMasters } from './api/index.ts';

export default defineScenario({
  name: 'ex1-two-sentinels',
  description: 'two Sentinels, quorum 1: a partition or the loss of box A never gives a failover (no majority of 2)',
  seed: 1,
  setup: () =>
    cluster({
      replicas: 1,
      sentinels: 2,
      quorum: 1,
      downAfter: '5s',
      failoverTimeout: '60s',
      hostsLayout: [
        { name: 'A', nodes: ['redis1', 'sentinel1'] },
        { name: 'B', nodes: ['redis2', 'sentinel2'] },
      ],
    }),
  script: (s) => {
    const [M1, R1] = s.servers as [string, string];
    const [S1, S2] = s.sentinels as [string, string];
    const masters = watchMasters(s);
    s.sleep('10s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
    s.expectEqual(s.exec(M1, 'SET', 'k', 'before'), 'OK', 'M1 accepts writes');
    s.expectEqual(s.exec(S2, 'SENTINEL', 'ckquorum', 'mymaster'), 'OK 2 usable Sentinels. Quorum and failover authorization can be reached', 'both Sentinels know each other: 2 usable');

    // (1) partition A | B for 40 s (one attempt of S2, aborted; the next one is 120 s after it)
    s.note('partition A | B: S2 sees M1 down, but a majority is 2 of 2');
    const cutAt = s.clock();
    const cutUs = s.now;
    s.partition(['A'], ['B']);
    s.waitFor('+odown', { node: S2, timeout: '15s' });
    s.waitFor('-failover-abort-not-elected', { node: S2, timeout: '15s' });
    // 40 s after the cut, not at a fixed time: a real run reaches the cut a little late, and what follows (the
    // heal, box A's power-off 15 s later) keeps the same distance from the cut on both
    s.at((cutUs + 40_000_000) / 1000);
    s.expectEqual(s.events({ event: '+try-failover', node: S2, since: cutAt }).length, 1, 'S2 tried to fail over once (the next try waits 2 × failover-timeout)');
    s.expectEqual(s.events({ event: '+elected-leader', since: cutAt }).length, 0, 'no Sentinel was elected');
    s.expectEqual(s.events({ event: '+switch-master', since: cutAt }).length, 0, 'no +switch-master');
    s.expectEqual(s.role(R1), 'slave', 'R1 is still a replica during the partition');
    s.expectEqual(s.exec(M1, 'SET', 'k', 'during'), 'OK', 'M1, cut from its replica, still accepts writes (min-replicas is off)');
    s.heal();
    s.sleep('15s');
    s.expectEqual([s.masterAddr(S1), s.masterAddr(S2)], [M1, M1], 'after the heal both Sentinels still name M1');
    s.expectEqual(s.exec(R1, 'GET', 'k'), 'during', 'R1 caught up with M1 after the heal');

    // (2) box A powers off: M1 and S1 with it
    s.note('box A dies: S2 is alone and cannot be elected');
    const downAt = s.clock();
    s.hostDown('A');
    s.waitFor('+odown', { node: S2, timeout: '15s' });
    // the retry gate of the first attempt (120 s after it) delays the next try
    s.waitFor('+try-failover', { node: S2, timeout: '90s' });
    s.waitFor('-failover-abort-not-elected', { node: S2, timeout: '15s' });
    s.sleep('5s');
    s.expectEqual(s.events({ event: '+elected-leader', since: downAt }).length, 0, 'no failover without box A: no leader elected');
    s.expect(s.events({ event: '-failover-abort-not-elected', node: S2, since: downAt }).length >= 1, 'S2 aborted its attempts: -failover-abort-not-elected');
    s.expectEqual(s.role(R1), 'slave', 'R1 is not promoted');
    s.expectEqual(s.masterAddr(S2), M1, 'S2 still names the dead M1');
    const w = s.exec(R1, 'SET', 'k', 'after');
    s.expect(w.t === 'error' && w.v.startsWith('READONLY'), `writes are refused: the service is unavailable (${JSON.stringify(js(w))})`);
    s.expectEqual(masters.max, 1, 'never two masters at once');
  },
});
