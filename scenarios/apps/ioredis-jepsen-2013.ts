// Issue 18, example (c): Jepsen 2013's partition with ioredis clients on the minority side. Five boxes n1–n5
// each run Redis and Sentinel (quorum 3, down-after 5 s, failover-timeout 60 s, as in jepsen-2013.ts); n1 is
// the master. Two services on host web-1 / web-2 — the same ioredis Sentinel-mode writer, web-2 with
// ioredis's `failoverDetector: true` (it subscribes to +switch-master on the Sentinels) — write every 20 ms.
// 15 s in, the network splits {n1, n2, web-1, web-2} | {n3, n4, n5} for 30 s: the majority promotes a
// replica, the minority's Sentinels keep naming n1, and the services keep writing to n1. After the heal n1 is
// demoted and resyncs from the new master: what the services wrote to n1 meanwhile is gone.
//
// The question: does the client library's own Sentinel handling change the loss (the simulator's own clients
// 1–2 of jepsen-2013 lose every write of the partition)? The answers are the notes "app web-1: …" and
// "app web-2: …" (README, "Your own application in the simulation").
import { cluster, defineScenario, waitConverged, waitDiscovered } from '../api/index.ts';
import { moduleNextTo, noteAppFigures } from '../../bin/guest/index.ts';

const WRITER = moduleNextTo(import.meta.url, './code/ioredis-sentinel-writer');
const CUT_AT_S = 15;
const PARTITION_S = 30;

export default defineScenario({
  name: 'ioredis-jepsen-2013',
  description: "Jepsen 2013's partition with ioredis on the minority side (with and without failoverDetector): writes lost to the old master",
  seed: 1,
  setup: () => cluster({ replicas: 4, sentinels: 5, quorum: 3, downAfter: '5s', failoverTimeout: '60s', hostsLayout: 'boxes' }),
  script: (s) => {
    const n1 = s.initialMaster!;
    const apps = [
      s.app('web-1', { host: '10.0.1.1', module: WRITER, params: { key: 'writes-1', everyMs: 20 } }),
      s.app('web-2', { host: '10.0.1.2', module: WRITER, params: { key: 'writes-2', everyMs: 20, redis: { failoverDetector: true } } }),
    ];
    s.expect(waitDiscovered(s, '14s'), 'every Sentinel knows every replica and the other Sentinels');
    s.at(`${CUT_AT_S}s`);
    s.expectEqual(apps.map((a) => a.master), [n1, n1], 'both services write to n1');
    s.cut(['n1', 'n2', 'web-1', 'web-2'], ['n3', 'n4', 'n5']);
    const sw = s.waitFor('+switch-master', { timeout: '30s' });
    const promoted = sw?.k === 'log' ? `${sw.line.split(' ')[4]}:${sw.line.split(' ')[5]}` : '?';
    s.sleep('3s');
    s.expectEqual(apps.map((a) => a.master), [n1, n1], `the services stay on n1 while the majority promoted ${promoted}`);
    s.at(`${CUT_AT_S + PARTITION_S}s`);
    const healAt = s.now;
    s.heal();
    s.waitFor('+convert-to-slave', { timeout: '30s' });
    s.expectEqual(waitConverged(s, '60s'), promoted, 'after the heal every Sentinel names the new master and n1 is its replica');
    s.sleep('15s');
    for (const app of apps) {
      const acc = app.finishSet(app === apps[0] ? 'writes-1' : 'writes-2');
      const f = noteAppFigures(s, app, { faultAt: healAt });
      s.note(`app ${app.name}: now on ${app.master ?? 'no master'}; ${acc.lost} acknowledged writes lost of ${acc.acknowledged}`);
      s.expect(acc.lost > 0, `${app.name}: writes acknowledged by n1 during the partition are lost (${acc.lost})`);
      s.expect(f.staleMasterWrites.length > 0, `${app.name}: n1 acknowledged writes after the majority's +switch-master (${f.staleMasterWrites.length})`);
    }
  },
});
