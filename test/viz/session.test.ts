// Live mode's engine side: actions at the head, branches replayed from their plan (deterministic), and the
// same branch run by runScenario (what `sentinel-sim run` of the exported file runs) gives the same trace.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../engine/trace/canonical.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import { runScenario } from '../../scenarios/api/index.ts';
import { forkScenario, scenarioFileText } from '../../viz/app/branchRun.ts';
import { planFromQuery, planQuery, type BranchPlan } from '../../viz/app/fork.ts';
import { findScenario, readBundledFile } from '../../viz/app/library.ts';
import { LiveSession } from '../../viz/app/session.ts';
import { FrameStore } from '../../viz/model/store.ts';

const tutorial = findScenario('tutorial-failover')!;
const main = (): BranchPlan => ({ scenario: 'tutorial-failover', seed: '1', cut: null, actions: [] });
const faults = (rs: readonly TraceRecord[]) => rs.flatMap((r) => (r.k === 'fault' ? [`${r.t} ${r.fault} ${r.target ?? ''}`.trim()] : []));

describe('live session', () => {
  it('runs the bundled tutorial, then acts at the head: a client command, a kill', () => {
    const s = new LiveSession(tutorial, main());
    expect(s.scriptError).toBeNull();
    const end = s.now;
    const ok = s.act(end, { op: 'exec', node: '127.0.0.1:8003', argv: ['SET', 'greeting', 'hello'] });
    expect(ok.reply).toEqual({ t: 'simple', v: 'OK' });
    expect(ok.at).toBe(end);
    expect(ok.end).toBeGreaterThan(end);
    // the reply took a round trip: an action at the same playhead instant still extends the branch
    expect(s.canAppendAt(end)).toBe(true);
    expect(s.act(end, { op: 'exec', node: '127.0.0.1:8003', argv: ['GET', 'greeting'] }).reply).toEqual({ t: 'bulk', v: 'hello' });
    expect(s.act(s.now, { op: 'exec', node: '127.0.0.1:8003', argv: ['GET', 'name'], db: 1 }).reply).toEqual({ t: 'bulk', v: 'zhangsan' });
    const ro = s.act(s.now, { op: 'exec', node: '127.0.0.1:7003', argv: ['SET', 'x', '1'] });
    expect(ro.reply?.t).toBe('error');
    expect(String(ro.reply?.v)).toMatch(/^READONLY/);
    expect(s.keyspace('127.0.0.1:8003')![0].keys).toContain('greeting');
    expect(s.keyspace('127.0.0.1:8003')![1].keys).toEqual(['name']);
    const killT = s.now;
    s.act(killT, { op: 'kill', node: '127.0.0.1:8003' });
    s.advance(s.now + 5_000_000);
    expect(s.canAppendAt(killT)).toBe(false);
    expect(faults(s.records)).toContain(`${killT} kill 127.0.0.1:8003`);
    expect(s.records.some((r) => r.k === 'log' && r.event === '+sdown' && r.line.includes('8003'))).toBe(true);
    // a command to a dead node fails as redis-cli does; the failure is a result, not an exception
    const dead = s.act(s.now, { op: 'exec', node: '127.0.0.1:8003', argv: ['PING'] });
    expect(dead.error).toMatch(/^Could not connect to Redis at 127\.0\.0\.1:8003/);
    // exact message endpoints from the live sockets: every Sentinel message has a known sender
    const unknown = [...s.msgEnds.values()].filter(([from, to]) => !from || !to).length;
    expect(unknown / s.msgEnds.size).toBeLessThan(0.02);
    // a trace file has the same information: its conn records name the node behind each connecting socket
    const fromFile = new FrameStore(s.header, s.records);
    let same = 0;
    for (const [i, ends] of s.msgEnds) if (canonicalJson(fromFile.messageEnds(i)) === canonicalJson(ends)) same++;
    expect(same / s.msgEnds.size).toBeGreaterThan(0.99);
  });

  it('a fork keeps every earlier action, applies the new one at its instant, and is its plan', () => {
    // kill at t1 (scrubbed back into the script: the script is cut there)
    const s0 = new LiveSession(tutorial, main());
    const t1 = 3_000_000;
    expect(s0.canAppendAt(t1)).toBe(false);
    const p1 = s0.forkPlan(t1, { op: 'kill', node: '127.0.0.1:26371' });
    expect(p1.cut).toBe(t1);
    const b1 = new LiveSession(tutorial, p1);
    b1.advance(8_000_000);
    // partition at t2, scrubbed back from 8 s: a second fork keeps the kill
    const t2 = 5_000_000;
    expect(b1.canAppendAt(t2)).toBe(false);
    const b2 = new LiveSession(tutorial, b1.forkPlan(t2, { op: 'partition', groups: [['127.0.0.1:7003'], ['127.0.0.1:8003', '127.0.0.1:26371', '127.0.0.1:26372', '127.0.0.1:26373']] }));
    expect(b2.now).toBe(t2);
    // restart at t3, past the head: the same branch
    const t3 = 7_000_000;
    expect(b2.canAppendAt(t3)).toBe(true);
    b2.act(t3, { op: 'restart', node: '127.0.0.1:26371' });
    b2.advance(20_000_000);
    expect(faults(b2.records)).toEqual([`${t1} kill 127.0.0.1:26371`, `${t2} partition`, `${t3} restart 127.0.0.1:26371`]);
    // the script stopped at the cut: its kill of 7003 at 10 s never happened
    expect(b2.records.some((r) => r.k === 'fault' && r.target === '127.0.0.1:7003')).toBe(false);
    // the same plan again: the same trace
    const again = new LiveSession(tutorial, b2.plan);
    again.advance(20_000_000);
    expect(again.records.map((r) => canonicalJson(r))).toEqual(b2.records.map((r) => canonicalJson(r)));
    // run to an end by runScenario, as `sentinel-sim run` runs the exported file: the page's trace is a prefix
    const res = runScenario(forkScenario(tutorial, b2.plan, 20_000_000), { readFile: readBundledFile });
    expect(res.error).toBeNull();
    const recs = res.sim.trace.records();
    expect(recs.slice(0, b2.records.length).map((r) => canonicalJson(r))).toEqual(b2.records.map((r) => canonicalJson(r)));
    expect(recs.slice(b2.records.length).every((r) => r.t === 20_000_000)).toBe(true);
    // the URL of the branch carries it whole
    const back = planFromQuery(planQuery(b2.plan, 20_000_000), '1')!;
    expect(back.plan).toEqual(b2.plan);
    expect(back.end).toBe(20_000_000);
    expect(scenarioFileText(b2.plan, 20_000_000)).toContain(`import base from "sentinel-sim/scenarios/tutorial-failover";`);
  });

  it('a fork after the script ended keeps the script whole and the actions after it', () => {
    const s = new LiveSession(tutorial, main());
    const e = s.now;
    s.act(e, { op: 'pause', node: '127.0.0.1:26372' });
    s.advance(e + 4_000_000);
    const p = s.forkPlan(e + 2_000_000, { op: 'resume', node: '127.0.0.1:26372' });
    expect(p.cut).toBeNull();
    expect(p.actions.map((a) => `${a.t} ${a.op}`)).toEqual([`${e} pause`, `${e + 2_000_000} resume`]);
    const f = new LiveSession(tutorial, p);
    expect(faults(f.records).slice(-2)).toEqual([`${e} pause 127.0.0.1:26372`, `${e + 2_000_000} resume 127.0.0.1:26372`]);
  });
});
