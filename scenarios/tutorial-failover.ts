// The tutorial failover — the default scenario of `npm start`.
//
// What it shows: the tutorial cluster loaded from its own five, unchanged files (scenarios/tutorial/):
// master 7003 with a password, replica 8003, three Sentinels monitoring "TestMaster" with quorum 1,
// down-after 1500 ms, failover-timeout 10 s, current-epoch 8394. We write `name zhangsan` in db 1, kill
// the master (SIGQUIT in the tutorial: a crash without saving), and watch the Sentinels elect a leader in
// epoch 8395 and promote 8003. 8 s after the kill the old master restarts — still believing it is a
// master — and one Sentinel turns it into a replica of 8003.
//
// What to look for (compare with test/fixtures/oracle/results/seed-exact, a run of real Redis 7.0.15):
// about 1.5 s after the kill `+sdown`, `+odown #quorum 1/1`, `+new-epoch 8395`, `+try-failover` and the
// votes; `+elected-leader`, `+selected-slave`, `+promoted-slave`, `+failover-end` and `+switch-master
// TestMaster 127.0.0.1 7003 127.0.0.1 8003` on every Sentinel about 1.1 s later; `+sdown slave …7003`
// while it is down; and ~10 s after the restart `+convert-to-slave` (one Sentinel, whichever sees it first).
import { defineScenario, fromConfigFiles, js, waitDiscovered } from './api/index.ts';

export default defineScenario({
  name: 'tutorial-failover',
  description: 'the tutorial cluster: kill master 7003, 8003 is promoted in epoch 8395, 7003 returns as a replica',
  seed: 1,
  setup: () =>
    fromConfigFiles({
      servers: ['tutorial/redis.conf', 'tutorial/redis_slave.conf'],
      sentinels: ['tutorial/sentinel1.conf', 'tutorial/sentinel2.conf', 'tutorial/sentinel3.conf'],
    }),
  script: (s) => {
    // replicas sync and Sentinels discover each other (hellos every 2 s, INFO every 10 s)
    s.sleep('5s');
    s.expectEqual(s.exec('7003', { db: 1 }, 'SET', 'name', 'zhangsan'), 'OK', 'the master accepts the write');
    s.sleep('5s');
    s.expectEqual(s.exec('8003', { db: 1 }, 'GET', 'name'), 'zhangsan', 'the replica has it before the kill');
    // a Sentinel learns of 8003 from the master's INFO (every 10 s): with some seeds the replica connects
    // just after the first INFO, and a kill before the second would leave no replica to promote
    s.expect(waitDiscovered(s), 'every Sentinel knows the replica 8003 and the two other Sentinels');

    const killedAtMs = s.now / 1000;
    s.kill('7003');
    s.waitFor('+switch-master', { timeout: '30s' });
    s.sleep('1s');
    for (const sentinel of ['26371', '26372', '26373'])
      s.expectEqual(s.masterAddr(sentinel), '127.0.0.1:8003', `Sentinel ${sentinel} names 8003 as the master`);
    s.expectEqual(s.exec('26371', 'SENTINEL', 'get-master-addr-by-name', 'TestMaster'), ['127.0.0.1', '8003'], 'SENTINEL get-master-addr-by-name TestMaster');
    s.expectEqual(String(js(s.exec('26371', 'INFO', 'sentinel'))).includes('status=ok,address=127.0.0.1:8003'), true, 'INFO sentinel shows the new address');

    // restart the old master 8 s after the kill: it comes back as a master and is converted. On real
    // processes the first election can split (quorum 1: two Sentinels try in the same epoch) and the retry
    // waits failover-timeout × 2 = 20 s (sentinel.c, sentinelStartFailoverIfNeeded): then restart at once
    s.at(Math.max(killedAtMs + 8000, s.now / 1000));
    s.restart('7003');
    s.waitFor('+convert-to-slave', { timeout: '30s' });
    // 8003 waits repl-diskless-sync-delay (5 s) before the full sync of its new replica
    s.sleep('8s');
    s.expectEqual(s.role('7003'), 'slave', 'the old master is now a replica');
    s.expectEqual(s.exec('8003', { db: 1 }, 'GET', 'name'), 'zhangsan', 'the write survived on the new master');
    s.expectEqual(s.exec('7003', { db: 1 }, 'GET', 'name'), 'zhangsan', 'and on the old master, resynced from 8003');
    // the epoch the leader won: its own last +vote-for-leader before +elected-leader (8395; on real processes a
    // split first election makes it 8396)
    const elected = s.events('+elected-leader').at(0);
    const vote = elected?.k === 'log' ? s.events({ event: '+vote-for-leader', node: elected.node }).filter((r) => r.t <= elected.t).at(-1) : undefined;
    const won = (vote?.k === 'log' && /(\d+)$/.exec(vote.line)?.[1]) || '8395';
    const master = js(s.exec('26372', 'SENTINEL', 'master', 'TestMaster')) as string[];
    s.expectEqual(master[master.indexOf('config-epoch') + 1], won, `SENTINEL master TestMaster: config-epoch ${won}`);
  },
});
