// A master without persistence restarted by a supervisor before Sentinel notices: it wipes its replicas.
//
// What it shows: the hazard of the Redis replication documentation ("Safety of replication when master
// has persistence turned off") in a Sentinel cluster: master 6379 runs with `save ""` and `appendonly no`;
// it crashes and is restarted one second later (an auto-restart), well within down-after-milliseconds
// (5 s), so no Sentinel ever sees it down and nothing fails over. It comes back empty with a new
// replication ID; its replicas reconnect, their PSYNC is refused, and after the diskless-sync delay each
// loads the master's empty dataset: the whole dataset is gone everywhere. Sentinel only notices a
// `+reboot` (run ID changed). The safe configuration is in no-persistence-safe-config.
//
// What to look for: no `+sdown master`; on the master `Partial resynchronization not accepted: Replication
// ID mismatch`; on each replica `Full resync from master` and the flush; Sentinel's `+reboot master`;
// DBSIZE 100 → 0 on every server.
import { cluster, defineScenario, js, waitDiscovered } from './api/index.ts';

export default defineScenario({
  name: 'no-persistence-restart-wipes-replicas',
  description: 'master without persistence auto-restarted within down-after: it comes back empty and its replicas copy the empty dataset',
  seed: 1,
  setup: () => cluster({ replicas: 2, sentinels: 3, quorum: 2, downAfter: '5s', failoverTimeout: '60s', persistence: 'none' }),
  script: (s) => {
    const [M, R1, R2] = s.servers as [string, string, string];
    s.sleep('10s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
    for (let i = 0; i < 100; i++) s.exec(M, 'SET', `key:${i}`, `value-${i}`);
    s.expectEqual(s.exec(M, 'WAIT', 2, 1000), 2, 'both replicas have the 100 keys');
    s.expectEqual([M, R1, R2].map((n) => js(s.exec(n, 'DBSIZE'))), [100, 100, 100], 'DBSIZE 100 everywhere');

    const crashAt = s.clock();
    s.kill(M);
    s.sleep('1s');
    s.restart(M); // the supervisor restarts it: no RDB, no AOF to load
    s.expectEqual(js(s.exec(M, 'DBSIZE')), 0, 'the master restarted empty');
    // replicas reconnect, are refused a partial resync and wait the 5 s diskless delay for the empty RDB
    const resynced = (n: string) => s.events({ event: 'Full resync from master', node: n, since: crashAt }).length > 0;
    s.waitUntil(() => resynced(R1) && resynced(R2), { timeout: '20s' });
    s.sleep('3s');
    s.expectEqual([M, R1, R2].map((n) => js(s.exec(n, 'DBSIZE'))), [0, 0, 0], 'the replicas copied the empty dataset: every key is gone');
    s.expectEqual(s.events({ event: '+sdown', match: /^\+sdown master /, since: crashAt }).length, 0, 'no Sentinel saw the master down');
    s.expectEqual(s.events({ event: '+switch-master', since: crashAt }).length, 0, 'nothing failed over');
    // each Sentinel notices the new run ID in the master's next INFO (sentinelRefreshInstanceInfo): at once on
    // reconnection if its INFO (every 10 s) fell due while the master was down, else up to 10 s later
    const rebooted = () => new Set(s.events({ event: '+reboot', since: crashAt }).map((e) => (e.k === 'log' ? e.node : '')));
    s.waitUntil(() => s.sentinels.every((x) => rebooted().has(x)), { timeout: '15s' });
    s.expect(s.sentinels.every((x) => rebooted().has(x)), 'every Sentinel logged +reboot (the run ID changed), and only that');
    s.expectEqual([s.role(M), s.role(R1), s.role(R2)], ['master', 'slave', 'slave'], 'the topology looks healthy');
  },
});
