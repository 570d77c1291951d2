// replica-priority: the lowest non-zero priority is promoted first; priority 0 is never promoted.
//
// What it shows: a master and three replicas — A (6380) with replica-priority 0, B (6381) with 10, C (6382)
// with 50 — watched by three Sentinels. (1) The master dies: B, the lowest non-zero priority, is promoted
// and A and C follow it. (2) B dies: C is promoted, A follows. (3) C dies: only A is left and its priority
// is 0, so the leader finds no candidate: `-failover-abort-no-good-slave`, and the service stays down
// (Sentinel retries after 2 × failover-timeout, with the same outcome).
//
// What to look for: `+selected-slave slave 127.0.0.1:6381` then `…:6382`; never a `+selected-slave` or
// `+promoted-slave` naming 6380; in the last phase `+elected-leader` followed by
// `-failover-abort-no-good-slave`.
import { cluster, defineScenario, expectSafety, js, waitDiscovered } from './api/index.ts';

export default defineScenario({
  name: 'priorities',
  description: 'replica-priority 10 is promoted before 50; priority 0 never is (-failover-abort-no-good-slave when it is the last replica)',
  seed: 1,
  setup: () => cluster({ replicas: 3, sentinels: 3, quorum: 2, downAfter: '5s', failoverTimeout: '30s', priorities: [100, 0, 10, 50] }),
  script: (s) => {
    const [M, A, B, C] = s.servers as [string, string, string, string];
    const selected = (since: string) => s.events({ event: '+selected-slave', since }).map((r) => (r.k === 'log' ? r.line.split(' ')[2] : ''));
    // the Sentinels learn replicas from the master's INFO (every 10 s): one that connected after the first
    // INFO is known from the second one on
    s.sleep('15s');
    s.expect(waitDiscovered(s), 'every Sentinel knows every replica and the other Sentinels');
    for (const sn of s.sentinels) s.expectEqual((js(s.exec(sn, 'SENTINEL', 'replicas', 'mymaster')) as unknown[]).length, 3, `${sn} knows the three replicas`);
    s.expectEqual(s.exec(M, 'SET', 'k', 'v'), 'OK', 'the master accepts writes');

    // (1) the master dies: B (priority 10) before C (50); A (0) never
    let t = s.clock();
    s.kill(M);
    s.waitFor('+switch-master', { timeout: '30s' });
    s.expectEqual(selected(t), [B], 'the leader selected B, the lowest non-zero replica-priority');
    s.expectEqual(s.masterAddr(s.sentinels[0]!), B, 'B is the master');
    s.sleep('20s');
    s.expectEqual([s.role(A), s.role(C)], ['slave', 'slave'], 'A and C replicate from B');

    // (2) B dies: C (50) is promoted, A (0) still not
    t = s.clock();
    s.kill(B);
    s.waitFor('+switch-master', { timeout: '30s' });
    s.expectEqual(selected(t), [C], 'the leader selected C');
    s.sleep('20s');
    s.expectEqual(s.role(A), 'slave', 'A replicates from C');
    s.expectEqual(s.exec(A, 'GET', 'k'), 'v', 'A has the data');

    // (3) C dies: A is the only replica left, with priority 0
    t = s.clock();
    s.kill(C);
    s.waitFor('+elected-leader', { timeout: '30s' });
    s.waitFor('-failover-abort-no-good-slave', { timeout: '5s' });
    s.sleep('10s');
    s.expectEqual(s.events({ event: '+switch-master', since: t }).length, 0, 'no switch: there is no good replica');
    s.expectEqual(s.role(A), 'slave', 'A, with replica-priority 0, is never promoted');
    expectSafety(s, { priorities: { [M]: 100, [A]: 0, [B]: 10, [C]: 50 } });
  },
});
