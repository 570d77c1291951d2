// Issue 15, item 3: the state under the playhead is exact at every event, not at the last keyframe. With the
// engine in the page, the fold of the records plus the views read from the engine between keyframes gives,
// just before any record, what the engine itself holds at that moment (read in a second run of the plan).
import { describe, expect, it } from 'vitest';
import { findScenario } from '../../viz/app/library.ts';
import { LiveSession } from '../../viz/app/session.ts';
import { FrameStore } from '../../viz/model/store.ts';
import { applyRecord, applyView, initialState } from '../../viz/model/state.ts';
import type { ClusterState, ServerNode } from '../../viz/model/types.ts';


/** The fold as the store does it, up to just before record `j`: records before it, and the views read before it. */
function foldBefore(s: LiveSession, js: Set<number>, at: (j: number, st: ClusterState) => void): void {
  const st = initialState(s.header);
  s.records.forEach((r, i) => {
    for (const p of s.patches.get(i) ?? []) if (p.view && st.nodes[p.node]) applyView(st.nodes[p.node], p.view, r.t, true);
    if (js.has(i)) at(i, st);
    applyRecord(st, r, i);
  });
}

const pick = <T>(m: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, m[k]])) as T;
const MASTER_KEYS = ['name', 'addr', 'sDown', 'oDown', 'failoverState', 'configEpoch', 'leader', 'leaderEpoch', 'promoted'];

describe('exact state at every event (engine in the page)', () => {
  for (const name of ['tutorial-failover', 'manual-failover', 'jepsen-2013'])
    it(`${name}: at any record, each server's role, offset, keys, clients and each Sentinel's view are the engine's`, () => {
      const sc = findScenario(name)!;
      const plan = { scenario: name, seed: '1', cut: null, actions: [] };
      // the truth: the same run again, every node's own view read as each chosen record is written
      const truth = new Map<number, Record<string, Record<string, unknown> | null>>();
      const probe = new LiveSession(sc, plan);
      const n = probe.records.length;
      const js = new Set(Array.from({ length: 300 }, (_, k) => Math.floor(((k + 0.5) / 300) * n)));
      let count = 0;
      const s2 = new LiveSession(sc, plan, (sim) =>
        sim.trace.subscribe(() => {
          if (js.has(count)) {
            const views: Record<string, Record<string, unknown> | null> = {};
            for (const p of sim.procs.values())
              if (p.kind !== 'client') views[p.name] = (p.state === 'running' || p.state === 'paused') && p.host.up ? ((p.instance?.snapshot?.() ?? null) as Record<string, unknown> | null) : null;
            truth.set(count, views);
          }
          count++;
        }),
      );
      expect(s2.records.length).toBe(n);
      let compared = 0;
      const bad: string[] = [];
      foldBefore(probe, js, (j, st) => {
        const t = probe.records[j].t;
        for (const [node, view] of Object.entries(truth.get(j)!)) {
          const m = st.nodes[node];
          if (!view || !m) continue;
          if (m.kind === 'server') {
            const v = view as { role: string; offset: number; keys: number; clients: number };
            const got = { role: m.role, offset: m.offset, keys: m.keys, clients: m.clients };
            const want = { role: v.role === 'master' ? 'master' : 'slave', offset: v.offset, keys: v.keys, clients: v.clients };
            if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`record ${j} (${t}) ${node} ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
            compared++;
          } else if (m.kind === 'sentinel') {
            const v = view as { currentEpoch: number; tilt: boolean; masters: Record<string, unknown>[] };
            const got = { epoch: m.currentEpoch, tilt: m.tilt, masters: m.masters.map((x) => pick(x as unknown as Record<string, unknown>, MASTER_KEYS)) };
            const want = { epoch: v.currentEpoch, tilt: v.tilt, masters: v.masters.map((x) => pick(x, MASTER_KEYS)) };
            if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`record ${j} (${t}) ${node} ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
            compared++;
          }
        }
      });
      expect(compared).toBeGreaterThan(900);
      expect(bad.slice(0, 3)).toEqual([]);
    }, 60_000);

  it('the store shows a write at the event of its reply: keys and offset change there, not at the next keyframe', () => {
    const tutorial = findScenario('tutorial-failover')!;
    const s = new LiveSession(tutorial, { scenario: 'tutorial-failover', seed: '1', cut: null, actions: [] });
    const t0 = s.now;
    const r = s.act(t0, { op: 'exec', node: '127.0.0.1:8003', argv: ['SET', 'fresh', '1'] });
    const store = new FrameStore(s.header, s.records, (i) => s.msgEnds.get(i), (i) => s.patches.get(i));
    const before = store.stateAt(t0).nodes['127.0.0.1:8003'] as ServerNode;
    const keys0 = before.keys!;
    const off0 = before.offset!;
    const after = store.stateAt(r.end).nodes['127.0.0.1:8003'] as ServerNode;
    expect(after.keys).toBe(keys0 + 1);
    expect(after.offset).toBeGreaterThan(off0);
    expect(after.viewExact).toBe(true);
    expect(after.viewAt).toBeLessThanOrEqual(r.end);
    expect(after.viewAt).toBeGreaterThan(t0);
    // no keyframe in between: the change came from the engine at the event
    expect(s.records.some((x) => x.k === 'keyframe' && x.t > t0 && x.t <= r.end)).toBe(false);
  });
});

describe('series built with the engine in the page', () => {
  it('the epochs of the Sentinels over time are the same as from the trace alone', () => {
    const s = new LiveSession(findScenario('tutorial-failover')!, { scenario: 'tutorial-failover', seed: '1', cut: null, actions: [] });
    const live = new FrameStore(s.header, s.records, (i) => s.msgEnds.get(i), (i) => s.patches.get(i));
    const file = new FrameStore(s.header, s.records);
    expect([...live.epochs.keys()].sort()).toEqual(['127.0.0.1:26371', '127.0.0.1:26372', '127.0.0.1:26373']);
    for (const [name, series] of live.epochs) {
      expect(series.map((p) => p.epoch)).toEqual(file.epochs.get(name)!.map((p) => p.epoch));
      expect(series[series.length - 1].epoch).toBe(8395);
    }
    expect(live.markers.map((m) => `${m.t} ${m.kind} ${m.epoch ?? ''}`)).toEqual(file.markers.map((m) => `${m.t} ${m.kind} ${m.epoch ?? ''}`));
  });
});
