// The failover state machine (sentinel.md §10): start conditions, elections, time-outs, reconfiguration.
import { describe, expect, it } from 'vitest';
import { abortFailover, failoverStateMachine, startFailover, startFailoverIfNeeded } from '../../engine/sentinel/failover.ts';
import {
  FailoverState,
  SRI_FAILOVER_IN_PROGRESS,
  SRI_FORCE_FAILOVER,
  SRI_O_DOWN,
  SRI_PROMOTED,
  SRI_RECONF_DONE,
  SRI_RECONF_SENT,
  type Instance,
} from '../../engine/sentinel/instance.ts';
import { unitWorld, type UnitWorld } from './unit.ts';

const id = (c: string) => c.repeat(40);

/** A master with two other Sentinels; replicas get a fake connected command link. */
function setup(w: UnitWorld, replicas = 2) {
  const m = w.master();
  const others = [w.sentinel(m, id('b'), '10.0.0.20', 26379), w.sentinel(m, id('c'), '10.0.0.21', 26379)];
  const sent = new Map<Instance, string[][]>();
  const rs = Array.from({ length: replicas }, (_, i) => {
    const r = w.replica(m, `10.0.0.${2 + i}`, 6379);
    r.link.disconnected = false;
    r.link.lastAvailTime = w.clock.now;
    r.infoRefresh = w.clock.now;
    const log: string[][] = [];
    sent.set(r, log);
    r.link.cc = { command: (_ri: unknown, argv: string[]) => (log.push(argv), true) } as never;
    return r;
  });
  return { m, others, rs, sent };
}

describe('starting a failover', () => {
  it('needs O_DOWN, no failover in progress, and 2 × failover-timeout since the last start', () => {
    const w = unitWorld();
    const { m } = setup(w);
    expect(startFailoverIfNeeded(w.S, m)).toBe(false);
    m.flags |= SRI_O_DOWN;
    m.failoverStartTime = w.clock.now - 19999;
    expect(startFailoverIfNeeded(w.S, m)).toBe(false);
    expect(w.logs.at(-1)!.line).toMatch(/^Next failover delay: I will not start a failover before \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
    // logged once per failover_start_time
    startFailoverIfNeeded(w.S, m);
    expect(w.logs.filter((l) => l.line.startsWith('Next failover delay'))).toHaveLength(1);
    w.tick(1);
    expect(startFailoverIfNeeded(w.S, m)).toBe(true);
    expect(w.events()).toEqual(['+new-epoch 1', '+try-failover master mymaster 10.0.0.1 6379']);
    expect(m.failoverState).toBe(FailoverState.WAIT_START);
    expect(m.failoverEpoch).toBe(1);
    expect(m.failoverStartTime - w.clock.now).toBeGreaterThanOrEqual(0);
    expect(m.failoverStartTime - w.clock.now).toBeLessThan(1000);
    expect(startFailoverIfNeeded(w.S, m)).toBe(false);
  });
});

describe('wait-start', () => {
  it('not elected: -failover-abort-not-elected after min(10 s, failover-timeout) from failover_start_time', () => {
    const w = unitWorld();
    const { m } = setup(w);
    startFailover(w.S, m);
    const start = m.failoverStartTime;
    w.clock.now = start + 10000;
    failoverStateMachine(w.S, m);
    expect(m.flags & SRI_FAILOVER_IN_PROGRESS).toBeTruthy();
    w.clock.now = start + 10001;
    failoverStateMachine(w.S, m);
    expect(w.events().at(-1)).toBe('-failover-abort-not-elected master mymaster 10.0.0.1 6379');
    expect(m.flags & SRI_FAILOVER_IN_PROGRESS).toBe(0);
    expect(m.failoverStartTime).toBe(start); // kept: no retry before 2 × failover-timeout
  });

  it('elected with a majority: select-slave, then the best replica, SLAVEOF NO ONE in a transaction', () => {
    const w = unitWorld();
    const { m, others, rs, sent } = setup(w);
    rs[1]!.slaveReplOffset = 10;
    startFailover(w.S, m);
    others[0]!.leader = id('a');
    others[0]!.leaderEpoch = 1;
    failoverStateMachine(w.S, m);
    expect(w.events().slice(-3)).toEqual([
      `+vote-for-leader ${id('a')} 1`,
      '+elected-leader master mymaster 10.0.0.1 6379',
      '+failover-state-select-slave master mymaster 10.0.0.1 6379',
    ]);
    failoverStateMachine(w.S, m);
    expect(w.events().slice(-2)).toEqual([
      '+selected-slave slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.1 6379',
      '+failover-state-send-slaveof-noone slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.1 6379',
    ]);
    expect(rs[1]!.flags & SRI_PROMOTED).toBeTruthy();
    failoverStateMachine(w.S, m);
    expect(sent.get(rs[1]!)).toEqual([
      ['MULTI'], ['SLAVEOF', 'NO', 'ONE'], ['CONFIG', 'REWRITE'], ['CLIENT', 'KILL', 'TYPE', 'normal'], ['CLIENT', 'KILL', 'TYPE', 'pubsub'], ['EXEC'],
    ]);
    expect(rs[1]!.link.pendingCommands).toBe(6);
    expect(m.failoverState).toBe(FailoverState.WAIT_PROMOTION);
    // wait-promotion only times out
    w.tick(10001);
    failoverStateMachine(w.S, m);
    expect(w.events().at(-1)).toBe('-failover-abort-slave-timeout master mymaster 10.0.0.1 6379');
    expect(rs[1]!.flags & SRI_PROMOTED).toBe(0);
    expect(m.promotedSlave).toBeNull();
  });

  it('FORCE_FAILOVER skips the election', () => {
    const w = unitWorld();
    const { m } = setup(w);
    startFailover(w.S, m);
    m.flags |= SRI_FORCE_FAILOVER;
    failoverStateMachine(w.S, m);
    expect(m.failoverState).toBe(FailoverState.SELECT_SLAVE);
  });

  it('no good replica: -failover-abort-no-good-slave', () => {
    const w = unitWorld();
    const { m, rs } = setup(w);
    for (const r of rs) r.slavePriority = 0;
    startFailover(w.S, m);
    m.flags |= SRI_FORCE_FAILOVER;
    failoverStateMachine(w.S, m);
    failoverStateMachine(w.S, m);
    expect(w.events().at(-1)).toBe('-failover-abort-no-good-slave master mymaster 10.0.0.1 6379');
    expect(m.flags & (SRI_FAILOVER_IN_PROGRESS | SRI_FORCE_FAILOVER)).toBe(0);
  });

  it('send-slaveof-noone waits for a disconnected replica, then times out', () => {
    const w = unitWorld();
    const { m, rs } = setup(w, 1);
    startFailover(w.S, m);
    m.flags |= SRI_FORCE_FAILOVER;
    failoverStateMachine(w.S, m);
    failoverStateMachine(w.S, m);
    rs[0]!.link.disconnected = true;
    w.tick(10000);
    failoverStateMachine(w.S, m);
    expect(m.failoverState).toBe(FailoverState.SEND_SLAVEOF_NOONE);
    w.tick(1);
    failoverStateMachine(w.S, m);
    expect(w.events().at(-1)).toBe('-failover-abort-slave-timeout master mymaster 10.0.0.1 6379');
  });
});

describe('reconf-slaves', () => {
  function promoted(replicas: number, parallel = 1) {
    const w = unitWorld();
    const s = setup(w, replicas);
    // the replicas in the order the reconfiguration walks them (Redis's dict order, engine/sentinel/dict.ts)
    s.rs = [...s.m.slaves.values()];
    s.m.parallelSyncs = parallel;
    startFailover(w.S, s.m);
    s.m.flags |= SRI_FORCE_FAILOVER;
    s.m.failoverState = FailoverState.RECONF_SLAVES;
    s.m.failoverStateChangeTime = w.clock.now;
    s.m.promotedSlave = s.rs[0]!;
    s.rs[0]!.flags |= SRI_PROMOTED;
    return { w, ...s };
  }

  it('sends SLAVEOF <promoted> to parallel-syncs replicas at a time', () => {
    const { w, m, rs, sent } = promoted(4, 2);
    failoverStateMachine(w.S, m);
    expect(rs.map((r) => !!(r.flags & SRI_RECONF_SENT))).toEqual([false, true, true, false]);
    expect(sent.get(rs[1]!)![1]).toEqual(['SLAVEOF', rs[0]!.addr.ip, '6379']);
    failoverStateMachine(w.S, m);
    expect(rs[3]!.flags & SRI_RECONF_SENT).toBe(0);
    rs[1]!.flags = (rs[1]!.flags & ~SRI_RECONF_SENT) | SRI_RECONF_DONE;
    failoverStateMachine(w.S, m);
    expect(rs[3]!.flags & SRI_RECONF_SENT).toBeTruthy();
    expect(w.events().filter((e) => e.startsWith('+slave-reconf-sent '))).toHaveLength(3);
  });

  it('a replica stuck in RECONF_SENT for 10 s counts as done (-slave-reconf-sent-timeout) when visited', () => {
    const { w, m, rs } = promoted(3, 2);
    m.failoverTimeout = 60000;
    failoverStateMachine(w.S, m);
    w.tick(10001);
    // with parallel-syncs 2 both are in progress: the walk stops before visiting them (quirk)
    failoverStateMachine(w.S, m);
    expect(w.events().some((e) => e.startsWith('-slave-reconf-sent-timeout'))).toBe(false);
    rs[2]!.flags = (rs[2]!.flags & ~SRI_RECONF_SENT) | SRI_RECONF_DONE;
    failoverStateMachine(w.S, m);
    const ip = rs[1]!.addr.ip;
    expect(w.events()).toContain(`-slave-reconf-sent-timeout slave ${ip}:6379 ${ip} 6379 @ mymaster 10.0.0.1 6379`);
    expect(w.events().at(-1)).toBe('+failover-end master mymaster 10.0.0.1 6379');
    expect(m.failoverState).toBe(FailoverState.UPDATE_CONFIG);
  });

  it('after failover-timeout: +failover-end-for-timeout and best-effort SLAVEOF (+slave-reconf-sent-be)', () => {
    const { w, m, rs } = promoted(3, 1);
    rs[2]!.link.disconnected = true;
    failoverStateMachine(w.S, m);
    rs[2]!.link.disconnected = false;
    rs[1]!.link.disconnected = true;
    w.tick(10001);
    failoverStateMachine(w.S, m);
    const ev = w.events();
    expect(ev.slice(-3)).toEqual([
      '+failover-end-for-timeout master mymaster 10.0.0.1 6379',
      '+failover-end master mymaster 10.0.0.1 6379',
      '+slave-reconf-sent-be slave 10.0.0.4:6379 10.0.0.4 6379 @ mymaster 10.0.0.1 6379',
    ]);
  });

  it('an abort is only possible up to wait-promotion', () => {
    const { w, m } = promoted(1);
    m.failoverState = FailoverState.WAIT_PROMOTION;
    abortFailover(w.S, m);
    expect(m.failoverState).toBe(FailoverState.NONE);
  });
});
