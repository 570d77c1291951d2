// The replay shows an application host (s.app) as a client node and the master it believes in: its 'app-view'
// notes and the keyframes' view of its process (docs/guest-apps.md), in the inspector's fields; its commands,
// replies and connections, its place on the stage, and its lane of beliefs on the timeline (issue 18 item 6).
import { describe, expect, it } from 'vitest';
import { applyRecord, initialState } from '../../viz/model/state.ts';
import { describe as describeNode } from '../../viz/stage/inspector.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import { FrameStore } from '../../viz/model/store.ts';
import { nodeLines } from '../../viz/stage/labels.ts';
import { isRingNode, ringLayout } from '../../viz/stage/layout.ts';
import { handHeader } from './hand-trace.ts';

const header = handHeader('events', { hosts: [{ name: 'web-1', ip: '10.0.0.9' }], nodes: [{ name: '10.0.0.9:0', kind: 'client', host: 'web-1' }] });

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

describe('application hosts: commands, connections, lanes and labels', () => {
  const recs: TraceRecord[] = [
    { t: 0, k: 'proc', node: '10.0.0.9:0', ev: 'start' },
    { t: 0, k: 'note', node: '10.0.0.9:0', what: 'app-conn', data: { conn: 2, ev: 'connect', to: '127.0.0.1:26371' } },
    { t: 268, k: 'note', node: '10.0.0.9:0', what: 'app-conn', data: { conn: 2, ev: 'open', local: '10.0.0.9:32768', to: '127.0.0.1:26371' } },
    { t: 268, k: 'note', node: '10.0.0.9:0', what: 'app-cmd', data: { argv: ['sentinel', 'get-master-addr-by-name', 'mymaster'], conn: 2, to: '127.0.0.1:26371' } },
    { t: 554, k: 'note', node: '10.0.0.9:0', what: 'app-reply', data: { conn: 2, from: '127.0.0.1:26371', reply: '*2' } },
    { t: 1115, k: 'note', node: '10.0.0.9:0', what: 'app-conn', data: { conn: 2, ev: 'close', to: '127.0.0.1:26371' } },
    { t: 1115, k: 'note', node: '10.0.0.9:0', what: 'app-conn', data: { conn: 19, ev: 'connect', to: '127.0.0.1:7003' } },
    { t: 1200, k: 'note', node: '10.0.0.9:0', what: 'app-conn', data: { conn: 19, ev: 'open', local: '10.0.0.9:32769', to: '127.0.0.1:7003' } },
    { t: 2387, k: 'note', node: '10.0.0.9:0', what: 'app-view', data: { master: '127.0.0.1:7003' } },
    { t: 2400, k: 'note', node: '10.0.0.9:0', what: 'app-cmd', data: { argv: ['sadd', 'writes', '0'], conn: 19, to: '127.0.0.1:7003' } },
    { t: 2500, k: 'note', node: '10.0.0.9:0', what: 'app-reply', data: { conn: 19, from: '127.0.0.1:7003', reply: ':1' } },
    // a refused connection never opened: it does not count down the open ones
    { t: 9000, k: 'note', node: '10.0.0.9:0', what: 'app-conn', data: { conn: 30, ev: 'connect', to: '127.0.0.1:7004' } },
    { t: 9001, k: 'note', node: '10.0.0.9:0', what: 'app-conn', data: { conn: 30, ev: 'refused', to: '127.0.0.1:7004' } },
    { t: 10_000_493, k: 'note', node: '10.0.0.9:0', what: 'app-view', data: { master: null } },
    { t: 10_000_500, k: 'note', node: '10.0.0.9:0', what: 'app-view', data: { master: null } },
    { t: 13_475_278, k: 'note', node: '10.0.0.9:0', what: 'app-view', data: { master: '127.0.0.1:8003' } },
    { t: 37_940_000, k: 'note', node: '10.0.0.9:0', what: 'app-done', data: { error: null } },
  ];

  it('folds its notes: the master it believes in, open connections, last command and reply, its end', () => {
    const s = initialState(header);
    const n0 = s.nodes['10.0.0.9:0']!;
    // a client process of the topology is not an app until it writes app-* notes (Jepsen's clients are not)
    expect(n0.kind === 'client' && n0.app).toBe(undefined);
    expect(isRingNode(n0)).toBe(false);
    recs.slice(0, 11).forEach((r, i) => applyRecord(s, r, i));
    const n = s.nodes['10.0.0.9:0']!;
    if (n.kind !== 'client') throw new Error('not a client');
    expect(n.app).toBe('web-1');
    expect(n.believes).toBe('127.0.0.1:7003');
    expect(n.openConns).toEqual([19]);
    expect(n.lastCmd).toEqual({ t: 2400, argv: ['sadd', 'writes', '0'], to: '127.0.0.1:7003' });
    expect(n.lastReply).toEqual({ t: 2500, reply: ':1', from: '127.0.0.1:7003' });
    recs.slice(11).forEach((r, i) => applyRecord(s, r, 11 + i));
    expect(n.openConns).toEqual([19]);
    expect(n.believes).toBe('127.0.0.1:8003');
    expect(n.appDone).toBe(true);
    expect(describeNode(n, s)).toContain('status:returned');
    expect(describeNode(n, s)).toContain('open_connections:1 (conn 19)');
    expect(describeNode(n, s)).toContain('last_command:00:00:00.002 to 127.0.0.1:7003: sadd writes 0');
  });

  it("the label names the app, its view, its connections and its last command and reply", () => {
    const s = initialState(header);
    recs.slice(0, 11).forEach((r, i) => applyRecord(s, r, i));
    expect(nodeLines(s.nodes['10.0.0.9:0']!, s, new Map())).toEqual(['app web-1 10.0.0.9', 'believes master 127.0.0.1:7003 · 1 conn', '→ 127.0.0.1:7003 sadd writes 0', '← :1']);
  });

  it("the store keeps one lane point per change of belief; app-cmd/reply/conn notes are not log events", () => {
    const store = new FrameStore(header, recs);
    expect(store.appViews.get('10.0.0.9:0')).toEqual([
      { t: 2387, master: '127.0.0.1:7003' },
      { t: 10_000_493, master: null },
      { t: 13_475_278, master: '127.0.0.1:8003' },
    ]);
    expect(store.logIndex.map((i) => recs[i].t)).toEqual([0, 2387, 10_000_493, 10_000_500, 13_475_278, 37_940_000]);
    // the stage places it (a host box of its own when hosts are grouped)
    expect(isRingNode(store.last.nodes['10.0.0.9:0']!)).toBe(true);
    const lay = ringLayout([{ name: '10.0.0.1:6379', kind: 'server', host: 'n1' }, { name: '10.0.0.1:26379', kind: 'sentinel', host: 'n1' }, { name: '10.0.0.2:6379', kind: 'server', host: 'n2' }, { name: '10.0.0.9:0', kind: 'client', host: 'web-1', app: true }, { name: '127.0.0.1:40000', kind: 'client' }], 1000);
    expect(lay.boxes.map((b) => b.host)).toEqual(['n1', 'n2', 'web-1']);
    expect(lay.pos.has('127.0.0.1:40000')).toBe(false);
  });
});
