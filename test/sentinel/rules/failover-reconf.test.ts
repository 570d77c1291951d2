// sentinelFailoverReconfNextSlave and the best-effort end of sentinelFailoverDetectEnd (sentinel.md §10.5,
// §10.6): parallel-syncs bounds the SLAVEOFs in flight, a replica whose transaction could not be queued is not
// marked, and the best effort after a time-out skips disconnected replicas (mutation testing, issue 20).
import { describe, expect, it } from 'vitest';
import { failoverStateMachine, startFailover } from '../../../engine/sentinel/failover.ts';
import { FailoverState, SRI_FORCE_FAILOVER, SRI_PROMOTED, SRI_RECONF_DONE, SRI_RECONF_SENT, type Instance } from '../../../engine/sentinel/instance.ts';
import { unitWorld } from '../unit.ts';

/** The master in reconf-slaves, replica 0 promoted; every replica with a connected, recording command link. */
function reconf(n: number, parallel: number, seed = 'unit') {
  const w = unitWorld(seed);
  const m = w.master();
  const sent = new Map<Instance, string[][]>();
  const created = Array.from({ length: n }, (_, i) => {
    const r = w.replica(m, `10.0.0.${2 + i}`, 6379);
    r.link.disconnected = false;
    const log: string[][] = [];
    sent.set(r, log);
    r.link.cc = { closed: false, command: (_ri: unknown, argv: string[]) => (log.push(argv), true) } as never;
    return r;
  });
  // the replicas in the order the walk visits them (Redis's dict order, engine/sentinel/dict.ts), [0] promoted
  const rs = [...m.slaves.values()];
  expect(rs).toHaveLength(created.length);
  m.parallelSyncs = parallel;
  startFailover(w.S, m);
  m.flags |= SRI_FORCE_FAILOVER;
  m.failoverState = FailoverState.RECONF_SLAVES;
  m.failoverStateChangeTime = w.clock.now;
  m.promotedSlave = rs[0]!;
  rs[0]!.flags |= SRI_PROMOTED;
  const reconfSent = () => rs.filter((r) => r.flags & SRI_RECONF_SENT).map((r) => r.addr.ip);
  return { w, m, rs, sent, reconfSent };
}

describe('parallel-syncs', () => {
  it('1: one SLAVEOF per step while the first is in flight; 2: two', () => {
    const one = reconf(4, 1);
    failoverStateMachine(one.w.S, one.m);
    expect(one.reconfSent()).toEqual([one.rs[1]!.addr.ip]);
    failoverStateMachine(one.w.S, one.m);
    expect(one.reconfSent()).toEqual([one.rs[1]!.addr.ip]);
    const two = reconf(4, 2);
    failoverStateMachine(two.w.S, two.m);
    expect(two.reconfSent()).toEqual([two.rs[1]!.addr.ip, two.rs[2]!.addr.ip]);
    expect(two.w.events().filter((e) => e.startsWith('+slave-reconf-sent '))).toHaveLength(2);
  });

  it('a replica whose transaction cannot be queued (no command link) is not marked and does not use a slot', () => {
    const s = reconf(3, 1);
    s.rs[1]!.link.cc = null;
    failoverStateMachine(s.w.S, s.m);
    const ip = s.rs[2]!.addr.ip;
    expect(s.reconfSent()).toEqual([ip]);
    expect(s.w.events().filter((e) => e.startsWith('+slave-reconf-sent '))).toEqual([
      `+slave-reconf-sent slave ${ip}:6379 ${ip} 6379 @ mymaster 10.0.0.1 6379`,
    ]);
  });
});

describe('the order of the walk (dict order: a hash keyed per process, not the order replicas were found)', () => {
  // jepsen-2013-min-replicas: with parallel-syncs 1 the leader's first SLAVEOF goes to the unreachable n2 in some
  // processes only; in insertion order it always did (n2 is the first replica the master's INFO lists)
  it('parallel-syncs 1: the first replica in dict order with a connected link gets SLAVEOF; across processes, each one does', () => {
    const firsts = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const s = reconf(4, 1, `process-${i}`);
      failoverStateMachine(s.w.S, s.m);
      const walk = [...s.m.slaves.values()].filter((r) => !(r.flags & SRI_PROMOTED));
      expect(s.reconfSent()).toEqual([walk[0]!.addr.ip]);
      firsts.add(walk[0]!.addr.ip);
    }
    expect([...firsts].sort()).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']);
  });

  it('a replica whose link is disconnected is passed over for the next one in dict order, and gets SLAVEOF once back', () => {
    const s = reconf(4, 1, 'process-1');
    const walk = [...s.m.slaves.values()].filter((r) => !(r.flags & SRI_PROMOTED));
    walk[0]!.link.disconnected = true;
    failoverStateMachine(s.w.S, s.m);
    expect(s.reconfSent()).toEqual([walk[1]!.addr.ip]);
    walk[1]!.flags = (walk[1]!.flags & ~SRI_RECONF_SENT) | SRI_RECONF_DONE;
    walk[0]!.link.disconnected = false;
    failoverStateMachine(s.w.S, s.m);
    expect(s.reconfSent()).toEqual([walk[0]!.addr.ip]);
  });
});

describe('the best effort after +failover-end-for-timeout', () => {
  it('skips disconnected replicas and those whose transaction cannot be queued', () => {
    const s = reconf(4, 0);
    s.rs[1]!.link.disconnected = true;
    s.rs[2]!.link.cc = null;
    s.w.tick(10_001);
    failoverStateMachine(s.w.S, s.m);
    expect(s.w.events().filter((e) => e.startsWith('+failover-end'))).toEqual([
      '+failover-end-for-timeout master mymaster 10.0.0.1 6379',
      '+failover-end master mymaster 10.0.0.1 6379',
    ]);
    expect(s.sent.get(s.rs[1]!)).toEqual([]);
    const ip = s.rs[3]!.addr.ip;
    expect(s.reconfSent()).toEqual([ip]);
    expect(s.w.events().filter((e) => e.startsWith('+slave-reconf-sent-be'))).toEqual([
      `+slave-reconf-sent-be slave ${ip}:6379 ${ip} 6379 @ mymaster 10.0.0.1 6379`,
    ]);
    expect(s.m.failoverState).toBe(FailoverState.UPDATE_CONFIG);
  });

  it('before the time-out, parallel-syncs 0 sends nothing and the failover waits', () => {
    const s = reconf(3, 0);
    s.w.tick(10_000);
    failoverStateMachine(s.w.S, s.m);
    expect(s.reconfSent()).toEqual([]);
    expect(s.m.failoverState).toBe(FailoverState.RECONF_SLAVES);
  });
});

describe('the end detection guard', () => {
  it('no promoted replica recorded: nothing ends, even past failover-timeout, and nothing is read from it', () => {
    const s = reconf(1, 1);
    // the only replica is done, so the walk reads no promoted address: only the end detection runs
    s.rs[0]!.flags = (s.rs[0]!.flags & ~SRI_PROMOTED) | SRI_RECONF_DONE;
    s.m.promotedSlave = null;
    s.w.tick(20_000);
    expect(() => failoverStateMachine(s.w.S, s.m)).not.toThrow();
    expect(s.w.events().filter((e) => e.startsWith('+failover-end'))).toEqual([]);
    expect(s.m.failoverState).toBe(FailoverState.RECONF_SLAVES);
  });
});
