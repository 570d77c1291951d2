// Issue 18, example (d): a retry setting that never recovers. The master's machine goes silent (powered off:
// no RST, no FIN — a partition from the app does the same). The Sentinels fail over in about 3 s. Two copies
// of the ioredis Sentinel-mode writer (scenarios/apps/code/ioredis-sentinel-writer.ts) write every 10 ms:
// web-1 with ioredis's defaults, web-2 with `socketTimeout: 2000` (destroy a socket that answers nothing for
// 2 s, then reconnect through the Sentinels).
//
// The finding: with the defaults ioredis never notices. Its socket to the dead master stays open while TCP
// retransmits (Linux gives up after about 15 minutes, tcp_retries2), its commands wait in the queue and no
// write is acknowledged again for the rest of the run — while web-2 writes to the new master seconds after
// the switch. The notes "app web-1: …" / "app web-2: …" give the figures.
import { cluster, defineScenario, waitDiscovered } from '../api/index.ts';
import { moduleNextTo, noteAppFigures } from '../../bin/guest/index.ts';

const WRITER = moduleNextTo(import.meta.url, './code/ioredis-sentinel-writer');

export default defineScenario({
  name: 'ioredis-silent-master',
  description: "ioredis without socketTimeout never recovers when the master's machine goes silent; with socketTimeout 2000 it follows the failover",
  seed: 1,
  setup: () => cluster({ replicas: 2, sentinels: 3, quorum: 2, downAfter: '1500ms', failoverTimeout: '10s', hostsLayout: 'boxes' }),
  script: (s) => {
    const n1 = s.initialMaster!;
    const apps = [
      s.app('web-1', { host: '10.0.1.1', module: WRITER, params: { key: 'writes-1' } }),
      s.app('web-2', { host: '10.0.1.2', module: WRITER, params: { key: 'writes-2', redis: { socketTimeout: 2000 } } }),
    ];
    s.expect(waitDiscovered(s, '14s'), 'every Sentinel knows every replica and the other Sentinels');
    s.at('15s');
    s.expectEqual(apps.map((a) => a.master), [n1, n1], 'both services write to n1');
    const downAt = s.now;
    s.hostDown('n1');
    const sw = s.waitFor('+switch-master', { timeout: '30s' });
    const promoted = sw?.k === 'log' ? `${sw.line.split(' ')[4]}:${sw.line.split(' ')[5]}` : '?';
    s.sleep('30s');
    for (const app of apps) app.end();
    const [stuck, healthy] = apps.map((app) => noteAppFigures(s, app, { faultAt: downAt }));
    const lastOk = (i: number) => Math.max(0, ...apps[i]!.history.filter((e) => e.outcome === 'ok').map((e) => e.complete ?? 0));
    s.expect(lastOk(0) < downAt + 1_000_000, `web-1 (defaults): no write acknowledged after the master went silent (last at ${(lastOk(0) / 1e6).toFixed(1)} s)`);
    s.expectEqual(stuck!.firstOkOnNewMaster, null, `web-1 never wrote to the new master ${promoted}`);
    s.expect(healthy!.firstOkOnNewMaster !== null, `web-2 (socketTimeout 2000) writes to the new master ${promoted}`);
    s.expectEqual(apps[1]!.master, promoted, `web-2 follows the failover to ${promoted}`);
    s.expect(stuck!.unknown > 1000, `web-1's writes since the fault are still in flight at the end: ${stuck!.unknown} unknown`);
  },
});
