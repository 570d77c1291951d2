// SENTINEL FAILOVER: a failover on demand, with the master alive.
//
// What it shows: a master, two replicas, three Sentinels (quorum 2). The operator runs
// `SENTINEL FAILOVER mymaster` on one Sentinel. No agreement is needed: it logs `Executing user requested
// FAILOVER of 'mymaster'`, raises the epoch, elects itself without votes (FORCE_FAILOVER), promotes the
// best replica and reconfigures the other one. A second request while it runs gets `-INPROG`. The old
// master is still up and still a master: once the switch is announced, a Sentinel converts it into a
// replica of the new master (~10 s later). Then, with replica-priority 0 set on both current replicas,
// a new request is refused at once with `-NOGOODSLAVE`.
//
// What to look for: no `+sdown` / `+odown`; `+new-epoch 1`, `+try-failover`, `+elected-leader` with no
// `+vote-for-leader` from the others, `+selected-slave`, `+promoted-slave`, `+failover-end`,
// `+switch-master` on all three; `+convert-to-slave` of 6379; the writes kept.
import { cluster, defineScenario, expectSafety, js, waitDiscovered } from './api/index.ts';

export default defineScenario({
  name: 'manual-failover',
  description: 'SENTINEL FAILOVER with the master alive: forced election, promotion, the old master converted into a replica; -INPROG and -NOGOODSLAVE',
  seed: 1,
  setup: () => cluster({ replicas: 2, sentinels: 3, quorum: 2, downAfter: '5s', failoverTimeout: '60s' }),
  script: (s) => {
    const M = s.initialMaster!;
    const [S1] = s.sentinels as [string];
    s.sleep('15s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
    s.expectEqual(s.exec(M, 'SET', 'k', 'v'), 'OK', 'the master accepts writes');
    s.expectEqual(s.exec(M, 'WAIT', 2, 1000), 2, 'both replicas have it');

    const t = s.clock();
    s.expectEqual(s.sentinelFailover(S1), 'OK', 'SENTINEL FAILOVER mymaster: OK');
    const again = s.exec(S1, 'SENTINEL', 'FAILOVER', 'mymaster');
    s.expectEqual(js(again), { err: 'INPROG Failover already in progress' }, 'a second request while it runs: -INPROG');
    s.waitFor('+switch-master', { node: S1, timeout: '30s' });
    s.sleep('3s');
    const promoted = s.masterAddr(S1)!;
    s.expect(promoted !== M, `a replica was promoted: ${promoted}`);
    s.expectEqual(s.sentinels.map((x) => s.masterAddr(x)), [promoted, promoted, promoted], 'every Sentinel names it');
    s.expectEqual(s.events({ event: '+odown', since: t }).length, 0, 'no O_DOWN: the master was never down');
    s.expectEqual(s.events({ event: '+vote-for-leader', since: t }).filter((r) => r.k === 'log' && r.node !== S1).length, 0, 'no other Sentinel voted: a forced failover needs no election');
    s.expectEqual(s.events({ event: 'Executing user requested FAILOVER', node: S1, since: t }).length, 1, "S1 logged Executing user requested FAILOVER of 'mymaster'");

    s.waitFor('+convert-to-slave', { timeout: '30s' });
    s.sleep('8s');
    s.expectEqual(s.role(M), 'slave', 'the old master is now a replica');
    s.expectEqual(s.exec(M, 'GET', 'k'), 'v', 'the data is everywhere');
    s.expectEqual(s.exec(promoted, 'GET', 'k'), 'v', 'including the new master');

    // no replica may be promoted: replica-priority 0 on both (Sentinel reads it from their INFO)
    for (const r of s.servers.filter((x) => x !== promoted)) s.exec(r, 'CONFIG', 'SET', 'replica-priority', '0');
    s.sleep('12s');
    s.expectEqual(js(s.exec(S1, 'SENTINEL', 'FAILOVER', 'mymaster')), { err: 'NOGOODSLAVE No suitable replica to promote' }, 'with every replica at priority 0: -NOGOODSLAVE');
    s.expectEqual(s.masterAddr(S1), promoted, 'nothing changed');
    expectSafety(s);
  },
});
