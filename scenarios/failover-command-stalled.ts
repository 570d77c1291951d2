// The FAILOVER command waiting for a replica that never catches up, on a master three Sentinels watch.
//
// What it shows: one master, three replicas, three Sentinels (quorum 2, down-after 5 s). The replicas are
// paused for writes (`CLIENT PAUSE 30000 WRITE` on each: they read the master's stream but apply nothing,
// so their ACKs stay behind), then `FAILOVER TIMEOUT 15000` on the master after one more write. The master
// pauses its own writes while it waits (`master_failover_state:waiting-for-sync`). Writes include the
// Sentinels' `PUBLISH __sentinel__:hello` (PUBLISH may replicate): each Sentinel's hello to the master, and
// to the paused replicas, is postponed, and the PINGs it sends on the same connection wait behind it. So
// the Sentinels see every node stop answering: `+sdown` of the replicas and of the master ~10 s in,
// `+odown`, an election. At 15 s the FAILOVER gives up (`FAILOVER to any replica aborted: Replica never
// caught up before timeout`), writes resume, the postponed hellos and PINGs are answered and the
// Sentinels log `-sdown` / `-odown`. Each stalled link is reset once (sentinelCheckSubjectivelyDown closes a link
// whose PING waits more than down-after / 2, if the link is older than 15 s) and the fresh link's PING is
// answered until its own hello is postponed: that is why +sdown comes ~10 s after FAILOVER, not 5 s. The replicas
// stay S_DOWN through the election (until that second link, 15 s old in turn, is reset ~19 s in), so the
// elected leader finds no replica to promote:
// `-failover-abort-no-good-slave`, as in the `sentinel-sim real` runs of this scenario on Redis 7.0.15. (Paused
// earlier, while a link to a replica found at the second INFO was younger than 15 s, that replica goes S_DOWN
// first, its link is reset during the election, it looks up, is selected and the leader ends with
// `-failover-abort-slave-timeout`: the script waits until every link is older.) Nothing is promoted.
//
// What to look for: `+sdown master` before the FAILOVER's abort line, the election, `-sdown master` right
// after the abort; no `+switch-master`, the master still the master at the end.
import { cluster, defineScenario, expectSafety, waitDiscovered } from './api/index.ts';

export default defineScenario({
  name: 'failover-command-stalled',
  description: 'FAILOVER TIMEOUT 15000 waiting for replicas that never catch up: the pause postpones the Sentinels’ hellos and PINGs, they see the master down and try to fail over',
  seed: 1,
  setup: () => cluster({ replicas: 3, sentinels: 3, quorum: 2, downAfter: '5s', failoverTimeout: '60s' }),
  script: (s) => {
    const M = s.initialMaster!;
    s.sleep('15s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
    // a replica missing from the master's first INFO is found at the next one, 10 s later; a link younger than
    // SENTINEL_MIN_LINK_RECONNECT_PERIOD (15 s) is never reset for a late PING (sentinelCheckSubjectivelyDown),
    // so wait until every link is older: the run then does not depend on which replicas the first INFO listed
    s.sleep('11s');
    for (const r of s.servers.filter((n) => n !== M)) s.expectEqual(s.exec(r, 'CLIENT', 'PAUSE', '30000', 'WRITE'), 'OK', `CLIENT PAUSE 30000 WRITE on ${r}`);
    s.expectEqual(s.exec(M, 'SET', 'k', 'v'), 'OK', 'a write the paused replicas will not acknowledge');
    const t0 = s.now;
    s.expectEqual(s.exec(M, 'FAILOVER', 'TIMEOUT', '15000'), 'OK', 'FAILOVER TIMEOUT 15000: OK');
    s.expectEqual(s.exec(M, 'GET', 'k'), 'v', 'reads are still served while it waits');
    const sd = s.waitFor('+sdown', { match: /^\+sdown master/, timeout: '14s' });
    s.note(`+sdown master ${sd ? ((sd.t - t0) / 1e6).toFixed(1) : '—'} s after FAILOVER`);
    const abort = s.waitFor('Replica never caught up before timeout', { node: M, timeout: '10s' });
    s.note(`FAILOVER aborted ${abort ? ((abort.t - t0) / 1e6).toFixed(1) : '—'} s after it was sent`);
    const back = s.waitFor('-sdown', { match: /^-sdown master/, timeout: '10s' });
    s.expect(back !== null && abort !== null && back.t >= abort.t, '-sdown master once the pause is over');
    s.sleep('65s');
    s.expectEqual(s.role(M), 'master', 'the master is still the master');
    s.expectEqual(s.masterAddr(s.sentinels[0]!), M, 'and the Sentinels still name it');
    s.expectEqual(s.events({ event: '+switch-master', since: t0 / 1000 }).length, 0, 'no +switch-master');
    expectSafety(s);
  },
});
