// sentinelStartFailoverIfNeeded and the simulate-failure crash after the election (sentinel.md §10.1):
// each start condition alone blocks, the "Next failover delay" date is start + 2 × failover-timeout and
// logged once per start time (mutation testing, issue 20).
import { describe, expect, it } from 'vitest';
import { SIMFAILURE_CRASH_AFTER_ELECTION } from '../../../engine/sentinel/constants.ts';
import { SentinelExit } from '../../../engine/sentinel/exit.ts';
import { failoverStateMachine, startFailover, startFailoverIfNeeded } from '../../../engine/sentinel/failover.ts';
import { FailoverState, SRI_FAILOVER_IN_PROGRESS, SRI_FORCE_FAILOVER, SRI_O_DOWN } from '../../../engine/sentinel/instance.ts';
import { ctime } from '../../../engine/sentinel/util.ts';
import { unitWorld } from '../unit.ts';

const delays = (w: ReturnType<typeof unitWorld>) => w.logs.filter((l) => l.line.startsWith('Next failover delay')).map((l) => l.line);

describe('startFailoverIfNeeded', () => {
  it('a failover in progress blocks a start even long after the last one', () => {
    const w = unitWorld();
    const m = w.master();
    m.flags |= SRI_O_DOWN | SRI_FAILOVER_IN_PROGRESS;
    m.failoverStartTime = w.clock.now - 1_000_000;
    expect(startFailoverIfNeeded(w.S, m)).toBe(false);
    expect(w.events()).toEqual([]);
    expect(delays(w)).toEqual([]);
    m.flags &= ~SRI_FAILOVER_IN_PROGRESS;
    expect(startFailoverIfNeeded(w.S, m)).toBe(true);
  });

  it('without O_DOWN nothing starts and nothing is logged', () => {
    const w = unitWorld();
    const m = w.master();
    m.failoverStartTime = w.clock.now - 1000;
    expect(startFailoverIfNeeded(w.S, m)).toBe(false);
    expect(w.logs).toEqual([]);
  });

  it('exactly 2 × failover-timeout after the last start is allowed; the delay names that instant', () => {
    const w = unitWorld();
    const m = w.master();
    m.failoverTimeout = 12_345;
    m.flags |= SRI_O_DOWN;
    const start = w.clock.now - 24_689;
    m.failoverStartTime = start;
    expect(startFailoverIfNeeded(w.S, m)).toBe(false);
    expect(delays(w)).toEqual([`Next failover delay: I will not start a failover before ${ctime(Math.floor((start + 24_690) / 1000))}`]);
    expect(m.failoverDelayLogged).toBe(start);
    // a new start time is logged again, the same one is not
    m.failoverStartTime = start + 1;
    startFailoverIfNeeded(w.S, m);
    startFailoverIfNeeded(w.S, m);
    expect(delays(w)).toHaveLength(2);
    w.clock.now = start + 24_690;
    m.failoverStartTime = start;
    expect(startFailoverIfNeeded(w.S, m)).toBe(true);
    expect(m.failoverState).toBe(FailoverState.WAIT_START);
    expect(m.failoverStateChangeTime).toBe(w.clock.now);
  });

  it('the failover start time gets 0..999 ms of desync added, never taken away', () => {
    for (const seed of ['s1', 's2', 's3', 's4', 's5', 's6']) {
      const w = unitWorld(seed);
      const m = w.master();
      startFailover(w.S, m);
      const d = m.failoverStartTime - w.clock.now;
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(1000);
    }
  });
});

describe('SENTINEL SIMULATE-FAILURE crash-after-election', () => {
  it('exits with 99 right after +elected-leader, before select-slave', () => {
    const w = unitWorld();
    const m = w.master();
    startFailover(w.S, m);
    m.flags |= SRI_FORCE_FAILOVER;
    w.S.simfailureFlags = SIMFAILURE_CRASH_AFTER_ELECTION;
    const exits: unknown[][] = [];
    (w.S.ctx as unknown as { exit: (...a: unknown[]) => void }).exit = (...a) => exits.push(a);
    let code = -1;
    try {
      failoverStateMachine(w.S, m);
    } catch (e) {
      expect(e).toBeInstanceOf(SentinelExit);
      code = (e as SentinelExit).code;
    }
    expect(code).toBe(99);
    expect(exits).toEqual([[99, 'SENTINEL simulate-failure']]);
    expect(w.events().at(-1)).toBe('+elected-leader master mymaster 10.0.0.1 6379');
    expect(w.logs.at(-1)!.line).toBe('Sentinel CRASH because of SENTINEL simulate-failure');
    expect(m.failoverState).toBe(FailoverState.WAIT_START);
  });

  it('without the flag the election goes on to select-slave', () => {
    const w = unitWorld();
    const m = w.master();
    startFailover(w.S, m);
    m.flags |= SRI_FORCE_FAILOVER;
    w.S.simfailureFlags = 2; // crash-after-promotion only
    failoverStateMachine(w.S, m);
    expect(m.failoverState).toBe(FailoverState.SELECT_SLAVE);
  });
});
