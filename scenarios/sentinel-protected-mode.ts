// Sentinels started with `protected-mode yes` on separate boxes: they cannot talk to each other, so a dead
// master is never failed over.
//
// What it shows: three boxes (10.0.0.1-3), each running a server and a Sentinel (Jepsen's layout). The servers
// say `protected-mode no` (as any multi-host deployment must); every sentinel.conf adds `protected-mode yes`.
// A Sentinel starts with protected mode off (sentinel.c initSentinelConfig: "Sentinel must be exposed"), but
// the file turns it on, and with no requirepass the default user has no password, so each Sentinel answers
// every connection that does not come from 127.0.0.1 / ::1 with Redis's DENIED text and closes it
// (networking.c clientAcceptHandler). The Sentinels still meet through the master's `__sentinel__:hello`
// channel (`+sentinel` for each peer), but each command link to a peer is refused at once, so no PING is ever
// answered: down-after-milliseconds later each Sentinel logs `+sdown sentinel` for both peers, and nothing else
// is logged about it (the link errors are not logged at notice level). The master dies: every Sentinel logs
// `+sdown master`, but SENTINEL is-master-down-by-addr cannot reach the peers, so the count never reaches the
// quorum of 2: no `+odown`, no `+try-failover`, no `+switch-master` — the cluster stays without a master. A
// client on another box asking a Sentinel for the master's address gets -DENIED as well.
// Real 7.0.15 counts only the peers 127.0.0.1 and ::1 as local (islocalClient), so on this machine a Sentinel
// with protected-mode yes refuses a client from 127.0.0.2 with the same bytes (test/redis/differential-
// protected-mode.test.ts). `sentinel-sim real sentinel-protected-mode` replays it as it is (each box is a
// loopback alias, never 127.0.0.1): all 11 expectations pass on real 7.0.15 too (docs/real.md).
//
// What to look for: `+sentinel` at about 2 s, `+sdown sentinel` for both peers 5 s later on each Sentinel;
// after the kill, `+sdown master` on all three and then silence.
import { cluster, defineScenario, js } from './api/index.ts';

export default defineScenario({
  name: 'sentinel-protected-mode',
  description: 'Sentinels with protected-mode yes on separate hosts refuse each other (DENIED): +sdown for every peer Sentinel, and a dead master is never failed over (no +odown)',
  seed: 1,
  setup: () =>
    cluster({
      hostsLayout: 'boxes',
      replicas: 2,
      sentinels: 3,
      quorum: 2,
      downAfter: '5s',
      failoverTimeout: '20s',
      sentinelConfig: 'protected-mode yes',
    }),
  script: (s) => {
    const [M] = s.servers as [string];
    s.sleep('15s');
    for (const S of s.sentinels) {
      const peers = s.events({ event: '+sentinel', node: S }).length;
      s.expectEqual(peers, 2, `${S} learnt both peers from the master's hello channel`, { node: S });
      const down = s.events({ event: '+sdown', node: S, match: /^\+sdown sentinel / }).length;
      s.expectEqual(down, 2, `${S} sees both peer Sentinels down: their command links are refused`, { node: S });
    }
    const denied = js(s.exec(s.sentinels[0]!, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')) as { err?: string };
    s.expect(typeof denied.err === 'string' && denied.err.startsWith('DENIED Redis is running in protected mode'), 'a client on another host gets -DENIED from a Sentinel');

    const t = s.clock();
    s.kill(M);
    s.sleep('40s');
    s.expectEqual(s.events({ event: '+sdown', match: /^\+sdown master /, since: t }).length, 3, 'every Sentinel sees the master down (S_DOWN)');
    s.expectEqual(s.events({ event: '+odown', since: t }).length, 0, 'no O_DOWN: the other Sentinels cannot be asked');
    s.expectEqual(s.events({ event: '+try-failover', since: t }).length, 0, 'no failover is attempted');
    s.expectEqual(s.events({ event: '+switch-master', since: t }).length, 0, 'no switch: the cluster stays without a master');
  },
});
