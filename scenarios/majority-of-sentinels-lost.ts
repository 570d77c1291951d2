// O_DOWN is not enough: a failover must be authorised by a majority of the Sentinels.
//
// What it shows: a master, two replicas and five Sentinels with quorum 2. Three Sentinels die (their boxes
// are powered off), then the master dies. The two survivors agree it is down — 2 ≥ quorum, so it is
// O_DOWN — and each starts an election, but a leader needs the votes of a majority of all the Sentinels it
// knows (3 of 5), not of those still alive. With two voters nobody can win: after the election timeout
// (10 s, plus a random offset) each logs `-failover-abort-not-elected`, and waits 2 × failover-timeout
// before trying again with a higher epoch (the other survivor, having voted, waits as long). The service
// stays down until Sentinels come back: once the three boxes are powered on again, an attempt is elected
// and the failover completes (seed 1: 26379's second attempt, at 1:51 — its vote
// for 26380's attempt at 1:11 had pushed its own retry back). (With
// the boxes back 10 s earlier a quirk shows: a rebooted Sentinel wins the first election but finds no
// good replica — `-failover-abort-no-good-slave` — because the replicas have been
// cut from the dead master for longer than 10 × down-after plus its own short S_DOWN time, sentinel.md
// §10.3; the next attempt, by a Sentinel that has seen the master down for a minute, succeeds.)
//
// What to look for: `+odown master mymaster 127.0.0.1 6379 #quorum 2/2` on the survivors, `+try-failover`,
// `+vote-for-leader` (each votes for whoever asked first), `-failover-abort-not-elected`, `Next failover
// delay: I will not start a failover before …`; after the power-on `+elected-leader` and `+switch-master`.
import { cluster, defineScenario, expectSafety, failoversSoFar, waitDiscovered } from './api/index.ts';

export default defineScenario({
  name: 'majority-of-sentinels-lost',
  description: 'five Sentinels, quorum 2, three of them down: the master is O_DOWN but no failover is authorised (-failover-abort-not-elected)',
  seed: 1,
  setup: () => cluster({ replicas: 2, sentinels: 5, quorum: 2, downAfter: '5s', failoverTimeout: '20s' }),
  script: (s) => {
    const M = s.initialMaster!;
    s.sleep('15s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
    s.expectEqual(s.exec('26379', 'SENTINEL', 'ckquorum', 'mymaster'), 'OK 5 usable Sentinels. Quorum and failover authorization can be reached', 'five usable Sentinels');
    for (const h of ['sentinel3', 'sentinel4', 'sentinel5']) s.hostDown(h);
    s.sleep('10s');
    const ck = s.exec('26379', 'SENTINEL', 'ckquorum', 'mymaster');
    s.expect(ck.t === 'error' && ck.v.startsWith('NOQUORUM 2 usable Sentinels. Not enough available Sentinels to reach the majority and authorize a failover'), `SENTINEL ckquorum warns: ${ck.t === 'error' ? ck.v : JSON.stringify(ck)}`);

    const t = s.clock();
    s.kill(M);
    s.waitFor('+odown', { timeout: '15s' });
    // the first attempt is aborted after ~10 s; the other survivor voted for it, so it waits 2 × failover-timeout
    s.waitUntil(() => s.events({ event: '-failover-abort-not-elected', since: t }).length >= 2, { timeout: '90s' });
    s.expect(s.events({ event: '+odown', since: t }).length >= 1, 'the master is O_DOWN (2 ≥ quorum 2)');
    const tries = s.events({ event: '+try-failover', since: t }).length;
    s.expectEqual(s.events({ event: '-failover-abort-not-elected', since: t }).length, tries, `every attempt (${tries}) was aborted: -failover-abort-not-elected`);
    s.expectEqual(s.events({ event: '+elected-leader', since: t }).length, 0, 'nobody was elected (2 votes < majority 3 of 5)');
    s.expectEqual(s.masterAddr('26379'), M, 'the Sentinels still name the dead master: the service is down');

    // the three boxes come back: an attempt gets a majority
    const up = s.clock();
    for (const h of ['sentinel3', 'sentinel4', 'sentinel5']) s.hostUp(h);
    s.waitFor('+switch-master', { timeout: '120s' });
    s.sleep('5s');
    const promoted = failoversSoFar(s).filter((f) => f.promoted !== null);
    s.expectEqual(promoted.length, 1, 'exactly one failover promoted a replica');
    s.expect(s.events({ event: '+elected-leader', since: up }).length >= 1, 'with five Sentinels up again a leader is elected');
    s.expect(s.masterAddr('26379') !== M, `a replica was promoted: ${s.masterAddr('26379')}`);
    expectSafety(s);
  },
});
