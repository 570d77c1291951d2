// priority-zero (engine/check/priority.ts) rule by rule: which events are judged, and when a priority-0
// server's selection is Redis's own behaviour (its record re-created by +switch-master or +slave and not
// seen as a replica since). Each failing case next to its passing twin.
import { describe, expect, it } from 'vitest';
import { checkPriorityZero } from '../../../engine/check/priority.ts';
import type { TraceRecord } from '../../../engine/trace/types.ts';
import { config, ev, input, keyframe, M, R1, R2, S1, S2, slave } from '../traces.ts';

const check = (recs: TraceRecord[]) => checkPriorityZero(input(recs));
const sel = (t: number, node = S1, who = R1, m = M) => ev(t, node, '+selected-slave', slave(who, m));
const asRole = (t: number, role: string, state = 'running') => {
  const k = keyframe(t, {}, { [R1]: { role, offset: 1 } });
  if (k.k === 'keyframe') (k.nodes[R1] as { state: string }).state = state;
  return k;
};
const switchTo = (t: number, node = S1) => ev(t, node, '+switch-master', `mymaster ${M.replace(':', ' ')} ${R2.replace(':', ' ')}`);

describe('judged events', () => {
  it('+selected-slave and +promoted-slave of a priority-0 server fail; other events and servers pass', () => {
    expect(check([sel(1)]).ok).toBe(false);
    expect(check([ev(1, S1, '+promoted-slave', slave(R1))]).ok).toBe(false);
    expect(check([ev(1, S1, '+slave-reconf-sent', slave(R1)), ev(2, S1, '+slave-reconf-done', slave(R1))]).ok).toBe(true);
    expect(check([sel(1, S1, R2)]).ok).toBe(true);
    // a selection event without an instance is not judged
    expect(check([ev(1, S1, '+selected-slave', 'nonsense')]).ok).toBe(true);
  });

  it('reports the priority-0 servers and the count of selections', () => {
    const r = check([sel(1, S1, R2), ev(2, S1, '+promoted-slave', slave(R2))]);
    expect(r.report).toBe(`priority-zero: ok\n  1 server(s) with replica-priority 0 (${R1}); 2 selection/promotion event(s)`);
    const none = checkPriorityZero(input([sel(1)], { ...config, priorities: {} }));
    expect(none.report).toContain('0 server(s) with replica-priority 0 (none)');
  });

  it('without any configuration there is nothing to check', () => {
    const r = checkPriorityZero(input([sel(1)], null));
    expect(r.ok).toBe(true);
    expect(r.report).toContain('no cluster configuration in the trace: nothing to check');
  });
});

describe('records re-created (Redis cannot know the 0)', () => {
  it('after +switch-master: allowed until a keyframe shows the server as a replica', () => {
    expect(check([switchTo(1), sel(3)]).ok).toBe(true);
    expect(check([switchTo(1), asRole(2, 'master'), sel(3)]).ok).toBe(true);
    expect(check([switchTo(1), asRole(2, 'slave'), sel(3)]).ok).toBe(false);
    // a stopped server's entry shows nothing
    expect(check([switchTo(1), asRole(2, 'slave', 'stopped'), sel(3)]).ok).toBe(true);
    // a keyframe before the switch does not count
    expect(check([asRole(0.5, 'slave'), switchTo(1), sel(3)]).ok).toBe(true);
  });

  it('per Sentinel: another Sentinel that did not switch is judged', () => {
    expect(check([switchTo(1, S2), sel(3, S1)]).ok).toBe(false);
  });

  it('+switch-master re-creates the old master\'s record too', () => {
    const cfg = { ...config, priorities: { [M]: 0 } };
    const selM = ev(3, S1, '+selected-slave', slave(M, R2));
    expect(checkPriorityZero(input([switchTo(1), selM], cfg)).ok).toBe(true);
    expect(checkPriorityZero(input([selM], cfg)).ok).toBe(false);
  });

  it('+slave of a priority-0 server re-creates its record; +slave of another server does not', () => {
    const seen = [asRole(1, 'slave')];
    expect(check([...seen, sel(3)]).ok).toBe(false);
    expect(check([...seen, ev(2, S1, '+slave', slave(R1)), sel(3)]).ok).toBe(true);
    expect(check([switchTo(0.5), ...seen, ev(2, S1, '+slave', slave(R2)), sel(3)]).ok).toBe(false);
    const r = check([ev(2, S1, '+slave', slave(R1)), sel(3), ev(4, S1, '+promoted-slave', slave(R1))]);
    expect(r.report).toContain('; 2 of a priority-0 server not a replica since its record was re-created (Redis cannot know its 0: allowed)');
  });

  it('a violation names the event, the server and its Sentinel', () => {
    const r = check([sel(3)]);
    expect(r.violations).toEqual([{ t: 3e6, node: S1, message: `+selected-slave ${R1}, whose replica-priority is 0` }]);
  });
});

describe('summary (mutation testing, issue 20)', () => {
  it('lists every priority-0 server, comma-separated', () => {
    const r = checkPriorityZero(input([], { ...config, priorities: { [M]: 0, [R1]: 0, [R2]: 100 } }));
    expect(r.report).toContain(`2 server(s) with replica-priority 0 (${M}, ${R1}); 0 selection/promotion event(s)`);
  });
});
