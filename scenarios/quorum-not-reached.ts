// The quorum: how many Sentinels must agree the master is down before it is objectively down (O_DOWN).
//
// What it shows: a master, two replicas and three Sentinels with quorum 2. (1) Only Sentinel 1 loses
// sight of the master (a one-box network problem between them): it marks it subjectively down (S_DOWN),
// asks the others, hears "not down" from both, and never reaches O_DOWN — `#quorum 1/2` is not enough, no
// failover. (2) Sentinel 2 loses sight of it too: now 2 of 2 agree, the master is O_DOWN and they fail
// over — although the master itself is healthy and Sentinel 3 still sees it. The quorum counts views,
// not facts; after the switch, Sentinel 3 adopts the new configuration from the hellos and the old master
// is converted into a replica.
//
// What to look for: `+sdown master` on 26379 alone and no `+odown` for 30 s; then `+sdown` on 26380,
// `+odown master mymaster 127.0.0.1 6379 #quorum 2/2`, an election and `+switch-master`; finally
// `+convert-to-slave` of 6379.
import { cluster, defineScenario, expectSafety, waitConverged, waitDiscovered } from './api/index.ts';

export default defineScenario({
  name: 'quorum-not-reached',
  description: 'quorum 2 of 3: one Sentinel seeing the master down is S_DOWN only; a second one makes it O_DOWN and a failover follows',
  seed: 1,
  setup: () => cluster({ replicas: 2, sentinels: 3, quorum: 2, downAfter: '5s', failoverTimeout: '60s' }),
  script: (s) => {
    const M = s.initialMaster!;
    const [S1, S2, S3] = s.sentinels as [string, string, string];
    s.sleep('15s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');

    // (1) only Sentinel 1 is cut from the master
    const t1 = s.clock();
    s.cut(['redis1'], ['sentinel1']);
    s.waitFor('+sdown', { node: S1, match: /^\+sdown master /, timeout: '10s' });
    s.sleep('30s');
    s.expectEqual(s.events({ event: '+sdown', match: /^\+sdown master /, since: t1 }).length, 1, 'only Sentinel 1 sees the master down (S_DOWN)');
    s.expectEqual(s.events({ event: '+odown', since: t1 }).length, 0, 'one view is not a quorum: no O_DOWN');
    s.expectEqual(s.events({ event: '+try-failover', since: t1 }).length, 0, 'no failover');
    const master = s.exec(S1, 'SENTINEL', 'master', 'mymaster');
    const flags = master.t === 'array' && master.v ? String((master.v[master.v.findIndex((x) => x.t === 'bulk' && x.v === 'flags') + 1] as { v: string }).v) : '';
    s.expect(flags.split(',').includes('s_down') && !flags.split(',').includes('o_down'), `SENTINEL master on Sentinel 1: flags s_down without o_down (${flags})`);

    // (2) Sentinel 2 loses sight of it too: 2 of 2 needed
    const t2 = s.clock();
    s.cut(['redis1'], ['sentinel2']);
    const od = s.waitFor('+odown', { timeout: '15s' });
    s.expect(od?.k === 'log' && od.line.endsWith('#quorum 2/2'), `O_DOWN with two views (${od?.k === 'log' ? od.line : ''})`);
    s.waitFor('+switch-master', { timeout: '30s' });
    s.expectEqual(s.events({ event: '+sdown', node: S3, match: /^\+sdown master /, since: t2 }).length, 0, 'Sentinel 3 still saw the master up: the failover happened anyway');
    s.heal();
    s.waitFor('+convert-to-slave', { timeout: '30s' });
    const m = waitConverged(s, '60s');
    s.expect(m !== M, `everyone agrees on the promoted replica ${m}; the old master is its replica`);
    expectSafety(s);
  },
});
