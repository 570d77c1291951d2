// Live mode's engine side: actions at the head, forks replayed from their recipe (deterministic).
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../engine/trace/canonical.ts';
import { findScenario } from '../../viz/app/library.ts';
import { LiveSession } from '../../viz/app/session.ts';
import { FrameStore } from '../../viz/model/store.ts';

const tutorial = findScenario('tutorial-failover')!;

describe('live session', () => {
  it('runs the bundled tutorial, then acts at the head: a client command, a kill', () => {
    const s = new LiveSession({ scenario: tutorial, seed: '1', cut: Infinity, actions: [] });
    expect(s.scriptError).toBeNull();
    const end = s.now;
    expect(s.act({ op: 'exec', node: '8003', argv: ['SET', 'greeting', 'hello'] })).toBe('OK');
    expect(s.act({ op: 'exec', node: '8003', argv: ['GET', 'greeting'] })).toBe('"hello"');
    expect(s.act({ op: 'exec', node: '7003', argv: ['SET', 'x', '1'] })).toMatch(/^\(error\) READONLY/);
    expect(s.keyspace('127.0.0.1:8003')![0].keys).toContain('greeting');
    expect(s.keyspace('127.0.0.1:8003')![1].keys).toEqual(['name']);
    s.act({ op: 'kill', node: '8003' });
    s.advance(s.now + 5_000_000);
    expect(s.records.some((r) => r.k === 'fault' && r.fault === 'kill' && r.target === '127.0.0.1:8003' && r.t >= end)).toBe(true);
    expect(s.records.some((r) => r.k === 'log' && r.event === '+sdown' && r.line.includes('8003'))).toBe(true);
    // exact message endpoints from the live sockets: every Sentinel message has a known sender
    const unknown = [...s.msgEnds.values()].filter(([from, to]) => !from || !to).length;
    expect(unknown / s.msgEnds.size).toBeLessThan(0.02);
    // a trace file has the same information: its conn records name the node behind each connecting socket
    const fromFile = new FrameStore(s.header!, s.records);
    let same = 0;
    for (const [i, ends] of s.msgEnds) if (canonicalJson(fromFile.messageEnds(i)) === canonicalJson(ends)) same++;
    expect(same / s.msgEnds.size).toBeGreaterThan(0.99);
  });

  it('a fork is its recipe: the same cut and actions give the same trace', () => {
    const recipe = () => ({ scenario: tutorial, seed: '1', cut: 7_000_000, actions: [{ t: 8_000_000, action: { op: 'pause' as const, node: '26371' } }] });
    const a = new LiveSession(recipe());
    const b = new LiveSession(recipe());
    a.advance(20_000_000);
    b.advance(20_000_000);
    expect(a.records.map((r) => canonicalJson(r))).toEqual(b.records.map((r) => canonicalJson(r)));
    const pause = a.records.find((r) => r.k === 'fault' && r.fault === 'pause')!;
    expect(pause.t).toBe(8_000_000);
    // the script stopped at the cut: its kill at 10 s never happened
    expect(a.records.some((r) => r.k === 'fault' && r.fault === 'kill')).toBe(false);
  });
});
