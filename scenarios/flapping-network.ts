// A flapping network: every link lossy and slow for a minute and a half.
//
// What it shows: a master, two replicas, three Sentinels (quorum 2, down-after 5 s, failover-timeout
// 20 s). For 90 s every link has 250 ms latency, 100 ms mean jitter and loses 40 % of its segments; TCP
// hides a loss as a retransmission after an RTO that doubles (200 ms, 400 ms, …), so replies sometimes
// arrive seconds late and Sentinels see each other, the master and the replicas come and go. This is
// not a case the documentation predicts; the run shows what Sentinel's rules make of it (the note
// "during the flapping: …"). Seed 1: 10 +sdown master, 22 +sdown slave, 19 +sdown sentinel, 4 +odown,
// 3 +try-failover, 2 elected leaders (epochs 1 and 2), 1 -failover-abort-not-elected, 6 +switch-master —
// two real failovers (6379 → 6381 in epoch 1, 6381 → 6380 in epoch 2), and for a while two servers acting
// as master (a demoted master is converted only once a Sentinel reaches it). Sentinel promises nothing
// better: its invariants are per epoch. They are what is asserted: at most one leader and one
// promoted replica per epoch, epochs never go backwards, and once the links are clean every Sentinel
// names the same master, the only master, within the convergence bound of engine/check (seed 1: it
// had settled before the links were cleaned).
//
// What to look for: `+sdown` / `-sdown` flapping on Sentinels, replicas and the master; any `+odown`,
// `+try-failover`, `-failover-abort-*` or `+switch-master` during the bad minute; after the heal, the
// note "converged on … after … s".
import { convergenceBoundMs } from '../engine/check/index.ts';
import { agreedMaster, cluster, defineScenario, expectSafety, failoversSoFar, waitConverged, waitDiscovered, watchMasters } from './api/index.ts';

const DOWN_AFTER_MS = 5000;
const FAILOVER_TIMEOUT_MS = 20000;

export default defineScenario({
  name: 'flapping-network',
  description: '90 s of lossy (40 %), slow (250 ms) links: whatever Sentinel does, one leader per epoch and convergence after the links heal',
  seed: 1,
  setup: () => cluster({ replicas: 2, sentinels: 3, quorum: 2, downAfter: DOWN_AFTER_MS, failoverTimeout: FAILOVER_TIMEOUT_MS }),
  script: (s) => {
    s.sleep('15s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
    s.expect(agreedMaster(s) === s.initialMaster, 'a healthy cluster before the flapping');
    const masters = watchMasters(s);
    const t0 = s.clock();
    s.setLink({ latency: 250, jitter: 100, loss: 0.4 });
    s.sleep('90s');
    const count = (ev: string, match?: RegExp) => s.events({ event: ev, match, since: t0 }).length;
    const switches = count('+switch-master');
    s.note(
      `during the flapping: ${count('+sdown', /^\+sdown master /)} +sdown master, ${count('+sdown', /^\+sdown slave /)} +sdown slave, ` +
        `${count('+sdown', /^\+sdown sentinel /)} +sdown sentinel, ${count('+odown')} +odown, ${count('+try-failover')} +try-failover, ` +
        `${count('+elected-leader')} +elected-leader, ${count('-failover-abort-not-elected')} -failover-abort-not-elected, ${switches} +switch-master; ` +
        `at most ${masters.max} server(s) acting as master at once`,
    );

    // clean links again: the cluster must settle on one master
    const healAt = s.now;
    s.setLink({ latency: 0.1, jitter: 0, loss: 0 });
    const boundMs = convergenceBoundMs(DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS);
    const m = waitConverged(s, boundMs);
    s.note(`converged on ${m} after ${((s.now - healAt) / 1e6).toFixed(1)} s (bound ${boundMs / 1000} s); failovers: ${failoversSoFar(s).length}`);
    s.sleep('10s');
    s.expectEqual(agreedMaster(s), m, `every Sentinel names ${m}, the only master, and it stays so`);
    s.expectEqual(s.servers.filter((n) => n !== m).map((n) => s.role(n)), ['slave', 'slave'], 'the other servers are its replicas');
    s.expectEqual(s.exec(m, 'SET', 'after', 'ok'), 'OK', 'it accepts writes');
    expectSafety(s);
  },
});
