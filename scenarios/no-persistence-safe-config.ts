// The configuration that avoids no-persistence-restart-wipes-replicas: no automatic restart of a master
// that runs without persistence.
//
// What it shows: the same cluster, still with `save ""` and `appendonly no`, and the same crash; but, as
// the Redis replication documentation recommends when a master runs without persistence ("auto restart
// of instances should be disabled"), nothing restarts it at once. The Sentinels see it down after
// down-after-milliseconds, fail over to a replica that has every key, and reconfigure the other replica.
// When the operator starts the old master a minute later it comes back empty, as a master — but its old
// replicas now follow the promoted one, so it wipes nobody; ~10 s later a Sentinel converts it into a
// replica and it full-syncs the data back. (Keeping persistence on the master, e.g. `appendonly yes`,
// is the other documented way out: the restarted master reloads its data.)
//
// What to look for: `+sdown` / `+odown` / `+switch-master` about 5–6 s after the kill; the restart's empty
// master; `+convert-to-slave` and its `Full resync from master`; DBSIZE 100 on every server at the end.
import { cluster, defineScenario, js, waitDiscovered } from './api/index.ts';

export default defineScenario({
  name: 'no-persistence-safe-config',
  description: 'the same master without persistence, not auto-restarted: Sentinel fails over first, the data survives',
  seed: 1,
  setup: () => cluster({ replicas: 2, sentinels: 3, quorum: 2, downAfter: '5s', failoverTimeout: '60s', persistence: 'none' }),
  script: (s) => {
    const [M, R1, R2] = s.servers as [string, string, string];
    s.sleep('10s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
    for (let i = 0; i < 100; i++) s.exec(M, 'SET', `key:${i}`, `value-${i}`);
    s.expectEqual(s.exec(M, 'WAIT', 2, 1000), 2, 'both replicas have the 100 keys');

    s.kill(M); // and no supervisor restarts it
    const sw = s.waitFor('+switch-master', { timeout: '30s' });
    const promoted = s.masterAddr(s.sentinels[0]!)!;
    s.note(`promoted ${promoted}: ${sw?.k === 'log' ? sw.line : ''}`);
    s.expect(promoted === R1 || promoted === R2, 'a replica was promoted');
    s.sleep('10s');
    s.expectEqual([R1, R2].map((n) => js(s.exec(n, 'DBSIZE'))), [100, 100], 'the promoted master and the other replica kept every key');

    // the operator starts the old master later: empty, but nobody replicates from it any more
    s.sleep('45s');
    s.start(M);
    s.expectEqual(js(s.exec(M, 'DBSIZE')), 0, 'the old master came back empty');
    s.waitFor('+convert-to-slave', { timeout: '30s' });
    s.waitFor('Full resync from master', { node: M, timeout: '20s' });
    s.sleep('2s');
    s.expectEqual(s.role(M), 'slave', 'the old master is now a replica');
    s.expectEqual([M, R1, R2].map((n) => js(s.exec(n, 'DBSIZE'))), [100, 100, 100], 'every server has the 100 keys');
    s.expectEqual(s.exec(M, 'GET', 'key:42'), 'value-42', 'including the restarted old master');
  },
});
