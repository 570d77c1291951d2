import { describe, expect, it } from 'vitest';
import tutorial from '../../scenarios/tutorial-failover.ts';
import { FrameStore } from '../../viz/model/store.ts';
import { applyRecord, initialState } from '../../viz/model/state.ts';
import type { ClusterState, SentinelNode, ServerNode } from '../../viz/model/types.ts';
import type { MsgRecord } from '../../engine/trace/types.ts';
import { runLibrary } from './support.ts';

const res = runLibrary(tutorial);
const doc = res.sim.trace.document();
const store = new FrameStore(doc.header, doc.records);
const S = (st: ClusterState, n: string) => st.nodes[`127.0.0.1:${n}`] as SentinelNode;
const R = (st: ClusterState, n: string) => st.nodes[`127.0.0.1:${n}`] as ServerNode;
const tOf = (event: string) => doc.records.find((r) => r.k === 'log' && r.event === event)!.t;

function foldFromZero(t: number): ClusterState {
  const s = initialState(doc.header);
  doc.records.forEach((r, i) => {
    if (r.t <= t) applyRecord(s, r, i);
  });
  s.t = t;
  return s;
}

describe('trace → frames (tutorial failover)', () => {
  it('starts with 7003 master, 8003 its replica, epoch 8394', () => {
    const st = store.stateAt(9_000_000);
    expect(R(st, '7003')).toMatchObject({ role: 'master', proc: 'running' });
    expect(R(st, '8003')).toMatchObject({ role: 'slave', masterAddr: '127.0.0.1:7003', link: 'up' });
    for (const p of ['26371', '26372', '26373']) {
      expect(S(st, p).currentEpoch).toBe(8394);
      expect(S(st, p).masters[0].addr).toBe('127.0.0.1:7003');
    }
  });

  it('shows the kill, +sdown/+odown on the leader, its vote, and the switch to 8003 in epoch 8395', () => {
    const tOdown = tOf('+odown');
    let st = store.stateAt(tOdown);
    expect(R(st, '7003').proc).toBe('stopped');
    const leader = Object.values(st.nodes).find((n) => n.kind === 'sentinel' && n.masters[0]?.oDown) as SentinelNode;
    expect(leader).toBeDefined();
    expect(leader.sdown).toContain('127.0.0.1:7003');
    st = store.stateAt(tOf('+elected-leader'));
    const l2 = S(st, leader.name.split(':')[1]);
    expect(l2.currentEpoch).toBe(8395);
    expect(l2.masters[0].leader).toBe(l2.myid);
    st = store.stateAt(store.endT);
    expect(R(st, '8003').role).toBe('master');
    expect(R(st, '7003')).toMatchObject({ role: 'slave', masterAddr: '127.0.0.1:8003' });
    for (const p of ['26371', '26372', '26373']) {
      expect(S(st, p).currentEpoch).toBe(8395);
      expect(S(st, p).masters[0].addr).toBe('127.0.0.1:8003');
    }
    expect(res.report.summary.currentEpochs['127.0.0.1:26371']).toBe(8395);
  });

  it('seeking backwards and forwards gives the same state as a fold from zero', () => {
    const end = store.endT;
    const times = [end, 0, 11_600_000, 5_000_000, 36_000_000, 11_553_000, 12_700_000, 1, end, 20_000_000, 19_999_999];
    for (const t of times) {
      const a = JSON.parse(JSON.stringify(store.stateAt(t)));
      const b = JSON.parse(JSON.stringify(foldFromZero(t)));
      expect(a, `t=${t}`).toEqual(b);
    }
    expect(store.checkpointCount).toBeGreaterThan(30);
  });

  it('puts sdown, odown, the election with its epoch, switch-master and the faults on the timeline', () => {
    const kinds = store.markers.map((m) => m.kind);
    expect(kinds).toContain('sdown');
    expect(kinds).toContain('odown');
    const election = store.markers.find((m) => m.kind === 'election')!;
    expect(election.epoch).toBe(8395);
    expect(election.label).toContain('8395');
    expect(store.markers.filter((m) => m.kind === 'switch-master')).toHaveLength(3);
    expect(store.markers.filter((m) => m.kind === 'fault').map((m) => m.label)).toEqual(['kill 127.0.0.1:7003', 'restart 127.0.0.1:7003']);
    const series = store.epochs.get('127.0.0.1:26371')!;
    expect(series.map((p) => p.epoch)).toEqual([8394, 8395]);
  });

  it('lists the messages in flight at an instant, each between its send and its arrival', () => {
    const t = 2_000_000 + 1000;
    const dots = store.dotsAt(t);
    const msgs = doc.records.filter((r): r is MsgRecord => r.k === 'msg' && r.sent <= t && r.t > t);
    expect(dots.map((d) => d.index).sort()).toEqual(msgs.map((m) => doc.records.indexOf(m)).sort());
    for (const d of dots) expect(d.pos).toBeGreaterThanOrEqual(0);
    // stretched: a message stays on screen at least minVisibleUs
    const m = doc.records.find((r): r is MsgRecord => r.k === 'msg' && r.t - r.sent < 1000)!;
    const stretched = store.dotsAt(m.sent + 50_000, { minVisibleUs: 100_000 });
    const dot = stretched.find((d) => d.index === doc.records.indexOf(m))!;
    expect(dot.pos).toBeCloseTo(0.5, 5);
  });

  it('steps from event to event', () => {
    const tKill = doc.records.find((r) => r.k === 'fault')!.t;
    expect(store.nextEventTime(tKill - 1)).toBe(tKill);
    expect(store.prevEventTime(tKill + 1)).toBe(tKill);
  });
});
