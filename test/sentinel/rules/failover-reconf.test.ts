// sentinelFailoverReconfNextSlave and the best-effort end of sentinelFailoverDetectEnd (sentinel.md §10.5,
// §10.6): parallel-syncs bounds the SLAVEOFs in flight, a replica whose transaction could not be queued is not
// marked, and the best effort after a time-out skips disconnected replicas (mutation testing, issue 20).
import { describe, expect, it } from 'vitest';
import { failoverStateMachine, startFailover } from '../../../engine/sentinel/failover.ts';
import { FailoverState, SRI_FORCE_FAILOVER, SRI_PROMOTED, SRI_RECONF_DONE, SRI_RECONF_SENT, type Instance } from '../../../engine/sentinel/instance.ts';
import { unitWorld } from '../unit.ts';

/** The master in reconf-slaves, replica 0 promoted; every replica with a connected, recording command link. */
function reconf(n: number, parallel: number) {
  const w = unitWorld();
  const m = w.master();
  const sent = new Map<Instance, string[][]>();
  const rs = Array.from({ length: n }, (_, i) => {
    const r = w.replica(m, `10.0.0.${2 + i}`, 6379);
    r.link.disconnected = false;
    const log: string[][] = [];
    sent.set(r, log);
    r.link.cc = { closed: false, command: (_ri: unknown, argv: string[]) => (log.push(argv), true) } as never;
    return r;
  });
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
    expect(one.reconfSent()).toEqual(['10.0.0.3']);
    failoverStateMachine(one.w.S, one.m);
    expect(one.reconfSent()).toEqual(['10.0.0.3']);
    const two = reconf(4, 2);
    failoverStateMachine(two.w.S, two.m);
    expect(two.reconfSent()).toEqual(['10.0.0.3', '10.0.0.4']);
    expect(two.w.events().filter((e) => e.startsWith('+slave-reconf-sent '))).toHaveLength(2);
  });

  it('a replica whose transaction cannot be queued (no command link) is not marked and does not use a slot', () => {
    const s = reconf(3, 1);
    s.rs[1]!.link.cc = null;
    failoverStateMachine(s.w.S, s.m);
    expect(s.reconfSent()).toEqual(['10.0.0.4']);
    expect(s.w.events().filter((e) => e.startsWith('+slave-reconf-sent '))).toEqual([
      '+slave-reconf-sent slave 10.0.0.4:6379 10.0.0.4 6379 @ mymaster 10.0.0.1 6379',
    ]);
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
    expect(s.reconfSent()).toEqual(['10.0.0.5']);
    expect(s.w.events().filter((e) => e.startsWith('+slave-reconf-sent-be'))).toEqual([
      '+slave-reconf-sent-be slave 10.0.0.5:6379 10.0.0.5 6379 @ mymaster 10.0.0.1 6379',
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
