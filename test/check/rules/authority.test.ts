// authorised-failover (engine/check/authority.ts) rule by rule: what opens, authorises, ends and clears an
// attempt, and when a +switch-master is an observer's. Each case must fail, next to its passing twin.
import { describe, expect, it } from 'vitest';
import { checkAuthorisedFailover } from '../../../engine/check/authority.ts';
import type { TraceRecord } from '../../../engine/trace/types.ts';
import { ev, input, master, R2, S1, S2, slave } from '../traces.ts';

const check = (recs: TraceRecord[]) => checkAuthorisedFailover(input(recs));
const msgs = (recs: TraceRecord[]) => check(recs).violations.map((v) => v.message);
const sw = (t: number, node: string) => ev(t, node, '+switch-master', 'mymaster 127.0.0.1 6379 127.0.0.1 6381');
const attempt = (t: number, node: string, name = 'mymaster') => [
  ev(t, node, '+try-failover', `master ${name} 127.0.0.1 6379`),
  ev(t + 0.1, node, '+elected-leader', `master ${name} 127.0.0.1 6379`),
];

describe('steps', () => {
  it('a step after +elected-leader of the same attempt passes; before it fails', () => {
    expect(check([...attempt(1, S1), ev(2, S1, '+selected-slave', slave(R2))]).ok).toBe(true);
    const r = check([ev(1, S1, '+try-failover', master()), ev(2, S1, '+selected-slave', slave(R2))]);
    expect(r.violations).toEqual([
      { t: 2e6, node: S1, message: '+selected-slave in an attempt (epoch started by +try-failover) where it was not elected' },
    ]);
  });

  it('+elected-leader with no attempt authorises nothing', () => {
    expect(msgs([ev(1, S1, '+elected-leader', master()), ev(2, S1, '+failover-end', master())])).toEqual([
      '+failover-end with no failover attempt in progress',
    ]);
  });

  it('every step event is judged', () => {
    const steps = ['+failover-state-select-slave', '+selected-slave', '+failover-state-send-slaveof-noone', '+failover-state-wait-promotion', '+promoted-slave', '+failover-state-reconf-slaves', '+slave-reconf-sent', '+slave-reconf-sent-be', '+failover-end-for-timeout', '+failover-end'];
    const r = check(steps.map((s, i) => ev(i + 1, S2, s, master())));
    expect(r.violations.map((v) => v.message.split(' ')[0])).toEqual(steps);
    expect(r.report).toContain('0 failover attempt(s), 10 failover step event(s)');
    // events that are not steps are not judged
    expect(check([ev(1, S2, '+slave-reconf-inprog', slave(R2)), ev(2, S2, '+slave-reconf-done', slave(R2))]).ok).toBe(true);
  });

  it('a step about another master than the attempt fails', () => {
    expect(msgs([...attempt(1, S1, 'other'), ev(2, S1, '+failover-state-select-slave', master())])).toEqual([
      '+failover-state-select-slave about mymaster during a failover of other',
    ]);
    // a step naming no master (e.g. +failover-end of "master"-less text) is not compared
    expect(check([...attempt(1, S1, 'other'), ev(2, S1, '+slave-reconf-sent', 'something else')]).ok).toBe(true);
  });

  it('an abort of any kind, a process start and a host coming up clear the attempt; other process events do not', () => {
    for (const clear of [
      ev(2, S1, '-failover-abort-not-elected', master()),
      ev(2, S1, '-failover-abort-slave-timeout', master()),
      { t: 2e6, k: 'proc', node: S1, ev: 'start' } as TraceRecord,
      { t: 2e6, k: 'proc', node: S1, ev: 'host-up' } as TraceRecord,
    ])
      expect(check([...attempt(1, S1), clear, ev(3, S1, '+promoted-slave', slave(R2))]).ok).toBe(false);
    expect(check([...attempt(1, S1), { t: 2e6, k: 'proc', node: S2, ev: 'start' } as TraceRecord, ev(3, S1, '+promoted-slave', slave(R2))]).ok).toBe(true);
    expect(check([...attempt(1, S1), { t: 2e6, k: 'proc', node: S1, ev: 'pause' } as TraceRecord, ev(3, S1, '+promoted-slave', slave(R2))]).ok).toBe(true);
  });

  it('an attempt whose +try-failover names no master does not compare the master of its steps', () => {
    const recs = [ev(1, S1, '+try-failover', 'something else'), ev(1.1, S1, '+elected-leader', master()), ev(2, S1, '+failover-state-select-slave', master())];
    expect(check(recs).ok).toBe(true);
  });

  it('only +failover-end ends an attempt: a switch after other steps alone fails', () => {
    expect(check([...attempt(1, S1), ev(2, S1, '+selected-slave', slave(R2)), ev(2.5, S1, '+failover-end-for-timeout', master()), sw(3, S1)]).ok).toBe(false);
    expect(check([...attempt(1, S1), ev(2, S1, '+selected-slave', slave(R2)), ev(2.5, S1, '+failover-end', master()), sw(3, S1)]).ok).toBe(true);
  });

  it('a new +try-failover starts an attempt that needs its own election', () => {
    expect(check([...attempt(1, S1), ev(2, S1, '+try-failover', master()), ev(3, S1, '+selected-slave', slave(R2))]).ok).toBe(false);
  });
});

describe('+switch-master', () => {
  it('ending an elected attempt passes; elected but not ended fails', () => {
    expect(check([...attempt(1, S1), ev(2, S1, '+failover-end', master()), sw(3, S1)]).ok).toBe(true);
    expect(msgs([...attempt(1, S1), sw(3, S1)])).toEqual([
      '+switch-master mymaster 127.0.0.1 6379 127.0.0.1 6381 with neither a finished failover it led nor a +config-update-from',
    ]);
  });

  it('an observer switches at the instant of its +config-update-from, not later', () => {
    const cu = (t: number) => ev(t, S2, '+config-update-from', 'sentinel x 127.0.0.1 26379 @ mymaster 127.0.0.1 6379');
    expect(check([cu(5), sw(5, S2)]).ok).toBe(true);
    expect(check([cu(5), sw(6, S2)]).ok).toBe(false);
    // another Sentinel's +config-update-from does not count
    expect(check([cu(5), sw(5, S1)]).ok).toBe(false);
  });

  it('the switch closes the attempt: a later step fails', () => {
    const recs = [...attempt(1, S1), ev(2, S1, '+failover-end', master()), sw(3, S1), ev(4, S1, '+failover-end', master())];
    expect(msgs(recs)).toEqual(['+failover-end with no failover attempt in progress']);
  });

  it('counts attempts and steps', () => {
    const r = check([...attempt(1, S1), ev(2, S1, '+failover-end', master()), sw(3, S1), ...attempt(4, S2)]);
    expect(r.report).toBe('authorised-failover: ok\n  2 failover attempt(s), 1 failover step event(s)');
  });
});
