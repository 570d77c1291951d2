// The replay shows an application host (s.app) as a client node and the master it believes in: its 'app-view'
// notes and the keyframes' view of its process (docs/guest-apps.md), in the inspector's fields.
import { describe, expect, it } from 'vitest';
import { applyRecord, initialState } from '../../viz/model/state.ts';
import { describe as describeNode } from '../../viz/stage/inspector.ts';
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';

const header: TraceHeader = {
  format: 'sentinel-sim-trace',
  version: 1,
  seed: '1',
  scenario: 'x',
  epochMs: 0,
  detail: 'events',
  topology: { hosts: [{ name: 'web-1', ip: '10.0.0.9' }], nodes: [{ name: '10.0.0.9:0', kind: 'client', host: 'web-1' }] },
};

describe('application hosts in the replay', () => {
  it("the master an app believes in follows its app-view notes and keyframes", () => {
    const s = initialState(header);
    const recs: TraceRecord[] = [
      { t: 1, k: 'proc', node: '10.0.0.9:0', ev: 'start' },
      { t: 2, k: 'note', node: '10.0.0.9:0', what: 'app-view', data: { master: '127.0.0.1:7003' } },
      { t: 3, k: 'note', node: '10.0.0.9:0', what: 'app-view', data: { master: null } },
    ];
    recs.forEach((r, i) => applyRecord(s, r, i));
    const n = s.nodes['10.0.0.9:0']!;
    expect(n.kind).toBe('client');
    expect(n.kind === 'client' && n.believes).toBe(null);
    applyRecord(s, { t: 4, k: 'keyframe', cuts: [], nodes: { '10.0.0.9:0': { state: 'running', hostUp: true, pid: 7, view: { app: 'web-1', master: '127.0.0.1:8003', done: false } } } }, 3);
    expect(describeNode(s.nodes['10.0.0.9:0']!, s)).toContain('# Application (s.app)\nbelieves_master:127.0.0.1:8003');
  });
});
