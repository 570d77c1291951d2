// The minimal ACL user Redis documents for Sentinel, and what a Sentinel does when one permission is missing.
//
// What it shows: every server defines the user the Redis Sentinel documentation gives ("Redis Sentinel and ACL"):
//   user sentinel-user on >somepassword allchannels +multi +slaveof +ping +exec +subscribe +config|rewrite
//        +role +publish +info +client|setname +client|kill +script|kill
// and the three Sentinels monitor the master as that user (`sentinel auth-user` / `sentinel auth-pass`); the
// default user stays open to clients. (1) The master dies: the Sentinels fail over as usual — the user is
// enough for PING, INFO, hellos, the promotion (MULTI, SLAVEOF NO ONE, CONFIG REWRITE, CLIENT KILL, EXEC) and
// the reconfiguration of the other replica. (2) An operator removes `+slaveof` from the user on the servers
// left (ACL SETUSER sentinel-user -slaveof), then the new master dies: the leader picks the remaining replica
// and sends its promotion transaction; SLAVEOF is refused with -NOPERM inside MULTI, EXEC answers
// -EXECABORT, and the Sentinel — which does not read those replies — waits for the replica to report
// role:master. It never does: after failover-timeout the leader logs `-failover-abort-slave-timeout` and
// `Next failover delay: ...`, and the replica's ACL LOG holds the refusal (reason command, context multi,
// object slaveof, username sentinel-user). Checked on redis-server 7.0.15 (1 Sentinel, 1 replica, loopback):
// the same events in the same order, and the same ACL LOG entry.
//
// The replicas have different priorities (A 10, B 50) so that the first failover promotes A in every run, simulated
// or real: with equal priorities and offsets compareSlavesForPromotion falls through to the run id, random per
// process, and the second fault (kill the new master) hit 6380 in some real runs and 6381 in others.
//
// What to look for: in phase 2 `+failover-state-wait-promotion` followed, failover-timeout later, by
// `-failover-abort-slave-timeout`; no `+promoted-slave`, no `+switch-master`; `ACL LOG` on the replica.
import { cluster, defineScenario, js, waitDiscovered } from './api/index.ts';

const USER =
  'user sentinel-user on >somepassword allchannels +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill';

export default defineScenario({
  name: 'sentinel-acl-user',
  description: 'Sentinels authenticated as the documented minimal ACL user fail over; without +slaveof the promotion is refused (-NOPERM in MULTI) and ends in -failover-abort-slave-timeout',
  seed: 1,
  setup: () =>
    cluster({
      replicas: 2,
      sentinels: 3,
      quorum: 2,
      downAfter: '5s',
      failoverTimeout: '20s',
      priorities: [100, 10, 50],
      serverConfig: USER,
      sentinelConfig: 'sentinel auth-user mymaster sentinel-user\nsentinel auth-pass mymaster somepassword',
    }),
  script: (s) => {
    const [M, A, B] = s.servers as [string, string, string];
    s.sleep('15s');
    s.expect(waitDiscovered(s), 'every Sentinel knows both replicas and the other Sentinels');
    const clients = js(s.exec(M, 'CLIENT', 'LIST')) as string;
    s.expect(/name=sentinel-[0-9a-f]{8}-cmd .* user=sentinel-user /.test(clients), 'the Sentinels are connected to the master as sentinel-user');
    s.expectEqual(s.exec(M, 'ACL', 'LOG'), { t: 'array', v: [] }, 'the master refused nothing to the Sentinels');

    // (1) the master dies: a normal failover with the minimal user
    let t = s.clock();
    s.kill(M);
    s.waitFor('+switch-master', { timeout: '30s' });
    const promoted = s.masterAddr(s.sentinels[0]!)!;
    const other = promoted === A ? B : A;
    s.expectEqual(promoted, A, 'A, the replica with the lower replica-priority, was promoted');
    s.sleep('20s');
    s.expectEqual(s.role(other), 'slave', 'the other replica was reconfigured (SLAVEOF inside MULTI was allowed)');
    s.expectEqual(s.exec(promoted, 'ACL', 'LOG'), { t: 'array', v: [] }, 'nothing refused on the new master');

    // (2) one permission less: the promotion of the last replica is refused
    for (const n of [promoted, other]) s.expectEqual(s.exec(n, 'ACL', 'SETUSER', 'sentinel-user', '-slaveof'), 'OK', `${n}: sentinel-user loses +slaveof`);
    t = s.clock();
    s.kill(promoted);
    s.waitFor('+failover-state-wait-promotion', { timeout: '30s' });
    const abort = s.waitFor('-failover-abort-slave-timeout', { timeout: '30s' });
    s.sleep('1s');
    const delay = s.events((r) => r.k === 'log' && r.t >= (abort?.t ?? 0) && r.line.includes('Next failover delay: I will not start a failover before'));
    s.expect(delay.length > 0, 'the leader logs "Next failover delay" after the abort');
    s.expectEqual(s.events({ event: '+promoted-slave', since: t }).length, 0, 'no replica was promoted');
    s.expectEqual(s.events({ event: '+switch-master', since: t }).length, 0, 'no switch');
    s.expectEqual(s.role(other), 'slave', `${other} is still a replica`);
    const log = js(s.exec(other, 'ACL', 'LOG', '1')) as unknown[][];
    const entry = log[0] ?? [];
    s.expectEqual(
      [entry[1], entry[3], entry[5], entry[7], entry[9]],
      [entry[1], 'command', 'multi', 'slaveof', 'sentinel-user'],
      `${other}'s ACL LOG: SLAVEOF refused to sentinel-user inside MULTI`,
    );
  },
});
