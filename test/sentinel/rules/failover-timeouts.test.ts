// The failover state machine's boundaries (sentinel.md §10): every time-out is strict (elapsed > limit),
// the election time-out is min(election-timeout, failover-timeout), and the end detection skips the
// promoted, reconfigured and S_DOWN replicas. Each `it` drives the rules itself (mutation testing, issue 20).
import { describe, expect, it } from 'vitest';
import {
  abortFailover,
  failoverStateMachine,
  startFailover,
  switchToPromotedSlave,
} from '../../../engine/sentinel/failover.ts';
import {
  FailoverState,
  SRI_FAILOVER_IN_PROGRESS,
  SRI_FORCE_FAILOVER,
  SRI_PROMOTED,
  SRI_RECONF_DONE,
  SRI_RECONF_INPROG,
  SRI_RECONF_SENT,
  SRI_S_DOWN,
  type Instance,
} from '../../../engine/sentinel/instance.ts';
import { unitWorld, type UnitWorld } from '../unit.ts';

const id = (c: string) => c.repeat(40);

/** A master, two other Sentinels, `n` replicas with a fake connected command link each. */
function world(n = 2) {
  const w: UnitWorld = unitWorld();
  const m = w.master();
  w.sentinel(m, id('b'), '10.0.0.20', 26379);
  w.sentinel(m, id('c'), '10.0.0.21', 26379);
  const sent = new Map<Instance, string[][]>();
  const rs = Array.from({ length: n }, (_, i) => {
    const r = w.replica(m, `10.0.0.${2 + i}`, 6379);
    r.link.disconnected = false;
    r.link.lastAvailTime = w.clock.now;
    r.infoRefresh = w.clock.now;
    const log: string[][] = [];
    sent.set(r, log);
    r.link.cc = { closed: true, command: (_ri: unknown, argv: string[]) => (log.push(argv), true) } as never;
    return r;
  });
  return { w, m, rs, sent };
}

/** The master in reconf-slaves with rs[0] promoted. */
function reconf(n: number, parallel = 1) {
  const s = world(n);
  s.m.parallelSyncs = parallel;
  startFailover(s.w.S, s.m);
  s.m.flags |= SRI_FORCE_FAILOVER;
  s.m.failoverState = FailoverState.RECONF_SLAVES;
  s.m.failoverStateChangeTime = s.w.clock.now;
  s.m.promotedSlave = s.rs[0]!;
  s.rs[0]!.flags |= SRI_PROMOTED;
  return s;
}

const ends = (w: UnitWorld) => w.events().filter((e) => e.startsWith('+failover-end'));

describe('start and abort', () => {
  it('startFailover raises the epoch, flags the master and stamps the state change time', () => {
    const { w, m } = world();
    w.S.currentEpoch = 7;
    w.tick(5);
    startFailover(w.S, m);
    expect(m.failoverEpoch).toBe(8);
    expect(w.S.currentEpoch).toBe(8);
    expect(m.flags & SRI_FAILOVER_IN_PROGRESS).toBeTruthy();
    expect(m.failoverStateChangeTime).toBe(w.clock.now);
    expect(w.events()).toEqual(['+new-epoch 8', '+try-failover master mymaster 10.0.0.1 6379']);
  });

  it('abortFailover clears the failover and force flags, the promoted mark, and stamps the time', () => {
    const { w, m, rs } = world();
    startFailover(w.S, m);
    m.flags |= SRI_FORCE_FAILOVER;
    m.promotedSlave = rs[1]!;
    rs[1]!.flags |= SRI_PROMOTED;
    w.tick(77);
    abortFailover(w.S, m);
    expect(m.flags & (SRI_FAILOVER_IN_PROGRESS | SRI_FORCE_FAILOVER)).toBe(0);
    expect(m.failoverStateChangeTime).toBe(w.clock.now);
    expect(rs[1]!.flags & SRI_PROMOTED).toBe(0);
    expect(m.promotedSlave).toBeNull();
    // without a promoted replica the abort still works
    startFailover(w.S, m);
    abortFailover(w.S, m);
    expect(m.failoverState).toBe(FailoverState.NONE);
  });

  it('the state machine ignores a master with no failover in progress, and replicas', () => {
    const { w, m, rs } = world();
    m.failoverState = FailoverState.WAIT_START;
    m.flags |= SRI_FORCE_FAILOVER;
    failoverStateMachine(w.S, m);
    expect(m.failoverState).toBe(FailoverState.WAIT_START);
    rs[0]!.flags |= SRI_FAILOVER_IN_PROGRESS | SRI_FORCE_FAILOVER;
    rs[0]!.failoverState = FailoverState.WAIT_START;
    failoverStateMachine(w.S, rs[0]!);
    expect(rs[0]!.failoverState).toBe(FailoverState.WAIT_START);
    expect(w.events()).toEqual([]);
  });
});

describe('wait-start', () => {
  it('the election time-out is failover-timeout when that is below 10 s', () => {
    const { w, m } = world();
    m.failoverTimeout = 3000;
    startFailover(w.S, m);
    w.clock.now = m.failoverStartTime + 3000;
    failoverStateMachine(w.S, m);
    expect(m.failoverState).toBe(FailoverState.WAIT_START);
    w.clock.now = m.failoverStartTime + 3001;
    failoverStateMachine(w.S, m);
    expect(w.events().at(-1)).toBe('-failover-abort-not-elected master mymaster 10.0.0.1 6379');
    expect(m.failoverState).toBe(FailoverState.NONE);
  });

  it('a leader named in another case is still us; a different runid is not', () => {
    const { w, m } = world();
    w.S.myid = 'A'.repeat(40);
    startFailover(w.S, m);
    const [b, c] = [...m.sentinels.values()];
    b!.leader = id('a');
    b!.leaderEpoch = 1;
    c!.leader = id('a');
    c!.leaderEpoch = 1;
    failoverStateMachine(w.S, m);
    expect(m.failoverState).toBe(FailoverState.SELECT_SLAVE);
    expect(m.failoverStateChangeTime).toBe(w.clock.now);

    const o = world();
    startFailover(o.w.S, o.m);
    for (const s of o.m.sentinels.values()) {
      s.leader = id('b');
      s.leaderEpoch = 1;
    }
    failoverStateMachine(o.w.S, o.m);
    expect(o.m.failoverState).toBe(FailoverState.WAIT_START);
    expect(o.w.events()).not.toContain('+elected-leader master mymaster 10.0.0.1 6379');
  });
});

describe('send-slaveof-noone and wait-promotion', () => {
  it('stays in send-slaveof-noone while the transaction cannot be queued (no command link)', () => {
    const { w, m, rs } = world(1);
    startFailover(w.S, m);
    m.flags |= SRI_FORCE_FAILOVER;
    failoverStateMachine(w.S, m);
    failoverStateMachine(w.S, m);
    expect(m.promotedSlave).toBe(rs[0]);
    rs[0]!.link.cc = null;
    failoverStateMachine(w.S, m);
    expect(m.failoverState).toBe(FailoverState.SEND_SLAVEOF_NOONE);
    expect(w.events().at(-1)).toMatch(/^\+failover-state-send-slaveof-noone /);
  });

  it('the slave time-out of send-slaveof-noone counts from the state change', () => {
    const { w, m, rs } = world(1);
    startFailover(w.S, m);
    m.flags |= SRI_FORCE_FAILOVER;
    failoverStateMachine(w.S, m);
    w.tick(4000);
    failoverStateMachine(w.S, m); // select-slave at +4 s
    rs[0]!.link.disconnected = true;
    w.tick(10000);
    failoverStateMachine(w.S, m);
    expect(m.failoverState).toBe(FailoverState.SEND_SLAVEOF_NOONE);
    w.tick(1);
    failoverStateMachine(w.S, m);
    expect(m.failoverState).toBe(FailoverState.NONE);
    expect(rs[0]!.flags & SRI_PROMOTED).toBe(0);
  });

  it('wait-promotion times out strictly after failover-timeout from entering it', () => {
    const { w, m } = world(1);
    startFailover(w.S, m);
    m.flags |= SRI_FORCE_FAILOVER;
    failoverStateMachine(w.S, m);
    failoverStateMachine(w.S, m);
    w.tick(3000);
    failoverStateMachine(w.S, m);
    expect(m.failoverState).toBe(FailoverState.WAIT_PROMOTION);
    expect(m.failoverStateChangeTime).toBe(w.clock.now);
    expect(w.events().at(-1)).toBe('+failover-state-wait-promotion slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379');
    w.tick(10000);
    failoverStateMachine(w.S, m);
    expect(m.failoverState).toBe(FailoverState.WAIT_PROMOTION);
    w.tick(1);
    failoverStateMachine(w.S, m);
    expect(w.events().at(-1)).toBe('-failover-abort-slave-timeout master mymaster 10.0.0.1 6379');
  });
});

describe('reconf-slaves and the end', () => {
  it('skips disconnected replicas and counts RECONF_INPROG against parallel-syncs', () => {
    const { w, m, rs, sent } = reconf(4, 1);
    rs[1]!.flags |= SRI_RECONF_INPROG;
    failoverStateMachine(w.S, m);
    expect(sent.get(rs[2]!)).toEqual([]);
    rs[1]!.flags = (rs[1]!.flags & ~SRI_RECONF_INPROG) | SRI_RECONF_DONE;
    rs[2]!.link.disconnected = true;
    failoverStateMachine(w.S, m);
    expect(rs[2]!.flags & SRI_RECONF_SENT).toBe(0);
    expect(rs[3]!.flags & SRI_RECONF_SENT).toBeTruthy();
    expect(rs[3]!.slaveReconfSentTime).toBe(w.clock.now);
    expect(sent.get(rs[3]!)![1]).toEqual(['SLAVEOF', '10.0.0.2', '6379']);
    expect(ends(w)).toEqual([]);
  });

  it('-slave-reconf-sent-timeout strictly after 10 s', () => {
    const { w, m, rs } = reconf(2, 1);
    m.failoverTimeout = 60000;
    failoverStateMachine(w.S, m);
    expect(rs[1]!.flags & SRI_RECONF_SENT).toBeTruthy();
    // parallel-syncs 2 lets the walk visit the replica in RECONF_SENT
    m.parallelSyncs = 2;
    w.tick(10000);
    failoverStateMachine(w.S, m);
    expect(rs[1]!.flags & SRI_RECONF_DONE).toBe(0);
    w.tick(1);
    failoverStateMachine(w.S, m);
    expect(rs[1]!.flags & SRI_RECONF_DONE).toBeTruthy();
    // Redis's quirk (sentinelFailoverReconfNextSlave): no `continue` after the time-out, so the replica
    // just marked done gets SLAVEOF again and is RECONF_SENT and RECONF_DONE at once
    expect(w.events().slice(-3)).toEqual([
      '-slave-reconf-sent-timeout slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.1 6379',
      '+slave-reconf-sent slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.1 6379',
      '+failover-end master mymaster 10.0.0.1 6379',
    ]);
    expect(rs[1]!.slaveReconfSentTime).toBe(w.clock.now);
    expect(ends(w)).toEqual(['+failover-end master mymaster 10.0.0.1 6379']);
  });

  it('S_DOWN replicas do not hold the end back; a replica still to do does', () => {
    const { w, m, rs } = reconf(3, 1);
    rs[1]!.flags |= SRI_RECONF_DONE;
    rs[2]!.link.disconnected = true;
    failoverStateMachine(w.S, m);
    expect(ends(w)).toEqual([]);
    expect(m.failoverState).toBe(FailoverState.RECONF_SLAVES);
    rs[2]!.flags |= SRI_S_DOWN;
    failoverStateMachine(w.S, m);
    expect(ends(w)).toEqual(['+failover-end master mymaster 10.0.0.1 6379']);
    expect(m.failoverState).toBe(FailoverState.UPDATE_CONFIG);
    expect(m.failoverStateChangeTime).toBe(w.clock.now);
  });

  it('no end while the promoted replica is S_DOWN, even past failover-timeout', () => {
    const { w, m, rs } = reconf(2, 1);
    rs[1]!.flags |= SRI_RECONF_DONE;
    rs[0]!.flags |= SRI_S_DOWN;
    w.tick(20000);
    failoverStateMachine(w.S, m);
    expect(ends(w)).toEqual([]);
    expect(m.failoverState).toBe(FailoverState.RECONF_SLAVES);
  });

  it('failover-end-for-timeout strictly after failover-timeout; best effort skips RECONF_SENT and done replicas', () => {
    const { w, m, rs, sent } = reconf(4, 1);
    // the walk follows dict order (engine/sentinel/dict.ts): leave rs[1] the only candidate of the first step
    rs[2]!.flags |= SRI_RECONF_DONE;
    rs[3]!.link.disconnected = true;
    failoverStateMachine(w.S, m); // rs[1] gets SLAVEOF
    rs[3]!.link.disconnected = false;
    expect(sent.get(rs[1]!)).toHaveLength(6);
    w.tick(10000 - 0);
    m.failoverStateChangeTime = w.clock.now - 10000;
    rs[1]!.slaveReconfSentTime = w.clock.now; // not timed out
    failoverStateMachine(w.S, m);
    expect(ends(w)).toEqual([]);
    w.tick(1);
    rs[1]!.slaveReconfSentTime = w.clock.now;
    failoverStateMachine(w.S, m);
    expect(ends(w)).toEqual(['+failover-end-for-timeout master mymaster 10.0.0.1 6379', '+failover-end master mymaster 10.0.0.1 6379']);
    expect(sent.get(rs[1]!)).toHaveLength(6); // not sent again
    expect(sent.get(rs[2]!)).toEqual([]);
    expect(sent.get(rs[0]!)).toEqual([]);
    expect(sent.get(rs[3]!)![1]).toEqual(['SLAVEOF', '10.0.0.2', '6379']);
    expect(rs[3]!.flags & SRI_RECONF_SENT).toBeTruthy();
    expect(w.events().at(-1)).toBe('+slave-reconf-sent-be slave 10.0.0.5:6379 10.0.0.5 6379 @ mymaster 10.0.0.1 6379');
  });
});

describe('+switch-master', () => {
  it('names the old and the promoted address and re-creates the replicas with the old master', () => {
    const { w, m, rs } = reconf(2, 1);
    switchToPromotedSlave(w.S, m);
    expect(w.events()).toContain('+switch-master mymaster 10.0.0.1 6379 10.0.0.2 6379');
    expect(m.addr).toMatchObject({ ip: '10.0.0.2', port: 6379 });
    expect([...m.slaves.values()].map((s) => `${s.addr.ip}:${s.addr.port}`).sort()).toEqual(['10.0.0.1:6379', '10.0.0.3:6379']);
    expect(rs).toHaveLength(2);
  });

  it('without a promoted replica it keeps the master address', () => {
    const { w, m } = world(1);
    switchToPromotedSlave(w.S, m);
    expect(w.events()).toContain('+switch-master mymaster 10.0.0.1 6379 10.0.0.1 6379');
    expect(m.addr).toMatchObject({ ip: '10.0.0.1', port: 6379 });
  });
});
