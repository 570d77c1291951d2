// TILT: a Sentinel whose timer stalls for more than 2 s stops acting for 30 s.
//
// What it shows: a master, two replicas, three Sentinels (quorum 2). Sentinel 1 is paused (SIGSTOP) for
// 3 s and resumed: its next tick sees more than 2000 ms since the previous one and it enters TILT
// (`+tilt #tilt mode entered`): it keeps pinging, reading INFO and hellos, but takes no decision — no
// S_DOWN/O_DOWN, no failover — and answers "not down" to the others (it still votes). The master is
// killed during its TILT: Sentinels 2 and 3 (2 = quorum, and a majority of 3 with Sentinel 1's vote) fail
// over without it; Sentinel 1 learns the new configuration from their hellos even in TILT. 30 s after
// entering, it leaves TILT (`-tilt #tilt mode exited`).
//
// What to look for: `+tilt` on 26379 right after the resume; `INFO sentinel` with `sentinel_tilt:1`; no
// `+sdown master` on 26379 while it is in TILT; the failover by 26380/26381; `-tilt` 30 s after `+tilt`.
import { cluster, defineScenario, expectSafety, js, waitDiscovered } from './api/index.ts';

export default defineScenario({
  name: 'tilt-after-pause',
  description: 'a Sentinel paused for 3 s enters TILT for 30 s: it takes no action while the two others fail over a dead master',
  seed: 1,
  setup: () => cluster({ replicas: 2, sentinels: 3, quorum: 2, downAfter: '5s', failoverTimeout: '60s' }),
  script: (s) => {
    const M = s.initialMaster!;
    const [S1, S2, S3] = s.sentinels as [string, string, string];
    s.sleep('15s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
    s.pause(S1);
    s.sleep('3s');
    s.resume(S1);
    const tilt = s.waitFor('+tilt', { node: S1, timeout: '2s' })!;
    s.expectEqual(tilt.k === 'log' ? tilt.line : '', '+tilt #tilt mode entered', 'the paused Sentinel enters TILT');
    s.expect(String(js(s.exec(S1, 'INFO', 'sentinel'))).includes('sentinel_tilt:1'), 'INFO sentinel: sentinel_tilt:1');

    // the master dies while Sentinel 1 is in TILT
    s.sleep('2s');
    s.kill(M);
    s.waitFor('+switch-master', { timeout: '30s' });
    s.sleep('2s');
    s.expect(s.now < tilt.t + 30e6, 'the failover happened while Sentinel 1 was still in TILT');
    const inTilt = (n: string, ev: string) => s.events({ event: ev, node: n, since: tilt.t / 1000 }).length; // since: ms
    s.expectEqual([inTilt(S1, '+sdown'), inTilt(S1, '+odown'), inTilt(S1, '+try-failover')], [0, 0, 0], 'in TILT Sentinel 1 did not judge the master nor try a failover');
    s.expect(inTilt(S2, '+odown') + inTilt(S3, '+odown') >= 1, 'Sentinels 2 and 3 agreed the master is down');
    const promoted = s.masterAddr(S2)!;
    s.expectEqual(s.masterAddr(S1), promoted, 'Sentinel 1 adopted the new configuration from the hellos, even in TILT');

    const exit = s.waitFor('-tilt', { node: S1, timeout: '40s' })!;
    const after = (exit.t - tilt.t) / 1e6;
    s.expect(after >= 30 && after < 31, `TILT lasted 30 s (${after.toFixed(2)} s)`);
    s.expect(String(js(s.exec(S1, 'INFO', 'sentinel'))).includes('sentinel_tilt:0'), 'INFO sentinel: sentinel_tilt:0');
    expectSafety(s);
  },
});
