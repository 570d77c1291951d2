// The FAILOVER command (Redis 6.2+ coordinated failover) on a master that three Sentinels watch,
// compared with SENTINEL FAILOVER on the same cluster (failover-command-sentinel.ts runs that variant).
//
// What it shows: one master, three replicas, three Sentinels (quorum 2), a client adding 20 members a
// second to a set through the Sentinels. The operator sends `FAILOVER` to the master: it pauses writes
// (`master_failover_state:waiting-for-sync`), waits for a replica's REPLCONF ACK to reach its offset,
// turns itself into a replica of that one and sends `PSYNC <replid> <offset> FAILOVER`; the target logs
// `MASTER MODE enabled (failover request from …)` and promotes itself; the clients the pause held get
// `-READONLY` (they are re-processed on what is now a replica). Nothing is lost and the servers switch
// within a second — but the Sentinels are not told: they log nothing at notice level, keep naming the
// old master (the client keeps getting `-READONLY` from it), and after down-after-milliseconds + 2 INFO
// periods of it reporting `role:slave` they put it in `+sdown`, `+odown`, elect a leader and fail over on
// their own — promoting the best replica they know, which may be another one than FAILOVER's target
// (that one, reporting `role:master`, is then reconfigured as a replica). Real Redis 7.0.15 does exactly
// this (checked on loopback: +sdown 32 s after FAILOVER, the Sentinels promoted a third replica).
// With SENTINEL FAILOVER the Sentinels drive the switch and announce it at once (`+switch-master`), but
// nothing pauses the old master: it acknowledges the client's writes until a Sentinel converts it
// (`+convert-to-slave`, ~10 s later), and those writes vanish in its resync from the new master.
//
// What to look for: the notes "servers switched after … ms", "Sentinels' +switch-master after … s",
// "longest write gap … s", the READONLY count and the set accounting; `+sdown master` on every Sentinel in
// the FAILOVER run and none in the SENTINEL FAILOVER run.
import { addClients, cluster, defineScenario, expectSafety, type Scenario, startWorkload, waitConverged, waitDiscovered } from './api/index.ts';
import type { ScenarioExecutor } from './api/executor.ts';

const RATE = 20; // set-add writes per second

export type SwitchMode = 'failover-command' | 'sentinel-failover';

/** Time (µs) of the first log line of a server matching `text` after `since`, or null. */
function firstLog(s: ScenarioExecutor, text: string, since: number): number | null {
  const r = s.events({ match: text, since: since / 1000 })[0];
  return r ? r.t : null;
}

export function coordinatedFailover(mode: SwitchMode): Scenario {
  const command = mode === 'failover-command';
  return defineScenario({
    name: command ? 'failover-command' : 'failover-command-sentinel',
    description: command
      ? 'FAILOVER on a master watched by Sentinels: no write lost, servers switch in ~1 s, but the Sentinels only notice the old master reporting role:slave and fail over on their own ~30 s later'
      : 'SENTINEL FAILOVER on the same cluster as failover-command: the Sentinels switch and announce the new master at once',
    seed: 1,
    setup: () => cluster({ replicas: 3, sentinels: 3, quorum: 2, downAfter: '5s', failoverTimeout: '60s' }),
    script: (s) => {
      const M = s.initialMaster!;
      const [S1] = s.sentinels as [string];
      const clients = addClients(s, { hosts: ['C1'] });
      const w = startWorkload(s, clients, { kind: 'set-add', rate: RATE, start: '10s', duration: '80s' });
      s.sleep('15s');
      s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
      s.expectEqual(clients[0]!.masterAddress, M, 'the client writes to the master');

      const t0 = s.now;
      if (command) {
        s.expectEqual(s.exec(M, 'FAILOVER'), 'OK', 'FAILOVER: OK');
        s.waitFor('MASTER MODE enabled (failover request', { timeout: '10s' });
      } else {
        s.expectEqual(s.sentinelFailover(S1), 'OK', 'SENTINEL FAILOVER mymaster: OK');
        s.waitFor('MASTER MODE enabled (user request', { timeout: '30s' });
      }
      const serverSwitch = firstLog(s, 'MASTER MODE enabled', t0)!;
      const promoted = s.servers.find((n) => n !== M && s.role(n) === 'master') ?? null;
      s.note(`${command ? 'FAILOVER' : 'SENTINEL FAILOVER'}: ${promoted} promoted, servers switched after ${Math.round((serverSwitch - t0) / 1000)} ms`);
      if (command) {
        s.expectEqual(s.role(M), 'slave', 'the old master made itself a replica of the target');
        s.expectEqual(s.masterAddr(S1), M, 'the Sentinels still name the old master');
      }

      const sw = s.waitFor('+switch-master', { timeout: '90s' });
      const switchAt = sw ? sw.t : null;
      const agreed = waitConverged(s, '120s');
      s.note(`Sentinels' +switch-master after ${switchAt === null ? '—' : ((switchAt - t0) / 1e6).toFixed(1)} s; they agree on ${agreed}`);
      const sdowns = s.events({ event: '+sdown', since: t0 / 1000 }).filter((r) => r.k === 'log' && r.line.startsWith('+sdown master'));
      if (command) {
        s.expectEqual(sdowns.length, s.sentinels.length, 'every Sentinel put the old master (reporting role:slave) in +sdown');
        s.note(`the Sentinels promoted ${agreed}${agreed === promoted ? ' (FAILOVER’s target)' : `, not FAILOVER’s target ${promoted}`}`);
      } else {
        s.expectEqual(sdowns.length, 0, 'no +sdown: the Sentinels drove the switch');
        s.expectEqual(agreed, promoted, 'the Sentinels name the replica they promoted');
      }
      s.sleep('20s');

      const acc = w.finishSet();
      const hist = w.workload.history;
      const oks = hist.filter((e) => e.outcome === 'ok' && e.complete !== null && e.invoke >= t0 - 1e6).map((e) => e.complete!);
      let gap = 0;
      for (let i = 1; i < oks.length; i++) gap = Math.max(gap, oks[i]! - oks[i - 1]!);
      const readonly = hist.filter((e) => e.invoke >= t0 && e.reply?.startsWith('READONLY')).length;
      s.note(`longest write gap ${(gap / 1e6).toFixed(1)} s; ${readonly} writes answered -READONLY`);
      if (command) s.expectEqual(acc.lost, 0, `FAILOVER: no acknowledged write lost (${acc.total} total, ${acc.acknowledged} acknowledged)`);
      else s.expect(acc.lost > 0, `SENTINEL FAILOVER: the old master acknowledged writes until it was converted; ${acc.lost} of them lost`);
      s.expectEqual(acc.details.failedButPresent, [], 'no write reported as failed is present');
      expectSafety(s);
    },
  });
}

export default coordinatedFailover('failover-command');
