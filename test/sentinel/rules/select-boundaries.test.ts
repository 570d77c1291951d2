// sentinelSelectSlave's time limits at their exact boundaries (sentinel.md §10.3): INFO validity 5 × ping
// period while the master is S_DOWN (3 × info period otherwise), and the master-link-down allowance that
// grows with the time the master has been S_DOWN. Each failing case next to its passing one (issue 20).
import { describe, expect, it } from 'vitest';
import { FailoverState, SRI_FORCE_FAILOVER, SRI_S_DOWN } from '../../../engine/sentinel/instance.ts';
import { failoverStateMachine, startFailover } from '../../../engine/sentinel/failover.ts';
import { SELECT_SLAVE_NOTE, slaveRejection, type SelectionNote } from '../../../engine/sentinel/select.ts';
import { healthy, unitWorld } from '../unit.ts';

describe('slaveRejection boundaries', () => {
  it('master S_DOWN: INFO exactly 5 s old is valid, 5.001 s is not', () => {
    const w = unitWorld();
    const m = w.master();
    m.flags |= SRI_S_DOWN;
    m.sDownSinceTime = w.clock.now;
    const a = healthy(w, w.replica(m, '10.0.0.2', 6379));
    a.infoRefresh = w.clock.now - 5000;
    expect(slaveRejection(w.S, m, a)).toBeNull();
    a.infoRefresh = w.clock.now - 5001;
    expect(slaveRejection(w.S, m, a)).toBe('old INFO');
  });

  it('master not S_DOWN: INFO exactly 30 s old is valid, 30.001 s is not', () => {
    const w = unitWorld();
    const m = w.master();
    const a = healthy(w, w.replica(m, '10.0.0.2', 6379));
    a.infoRefresh = w.clock.now - 30000;
    expect(slaveRejection(w.S, m, a)).toBeNull();
    a.infoRefresh = w.clock.now - 30001;
    expect(slaveRejection(w.S, m, a)).toBe('old INFO');
  });

  it('the link-down allowance adds the time the master has been S_DOWN, not more', () => {
    const w = unitWorld();
    const m = w.master();
    m.flags |= SRI_S_DOWN;
    m.sDownSinceTime = w.clock.now - 2000;
    const a = healthy(w, w.replica(m, '10.0.0.2', 6379));
    a.masterLinkDownTime = 17000; // 2 s S_DOWN + 10 × 1.5 s
    expect(slaveRejection(w.S, m, a)).toBeNull();
    a.masterLinkDownTime = 17001;
    expect(slaveRejection(w.S, m, a)).toBe('link down too long');
  });
});

describe('the select-slave trace note', () => {
  it('the failover records it under the name select-slave, with the choice', () => {
    const w = unitWorld();
    const notes: { what: string; data: unknown }[] = [];
    (w.S.ctx as unknown as { note: (what: string, data: unknown) => void }).note = (what, data) => notes.push({ what, data });
    const m = w.master();
    const a = healthy(w, w.replica(m, '10.0.0.2', 6379));
    startFailover(w.S, m);
    m.flags |= SRI_FORCE_FAILOVER;
    m.failoverState = FailoverState.SELECT_SLAVE;
    failoverStateMachine(w.S, m);
    expect(SELECT_SLAVE_NOTE).toBe('select-slave');
    expect(notes.map((n) => n.what)).toEqual(['select-slave']);
    expect((notes[0]!.data as SelectionNote).chosen).toBe(a.name);
  });
});
