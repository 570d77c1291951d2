// Sentinel's reasoning derived from traces (issue 15 item 2) and the tour's milestones (item 9): elections and
// their tallies, the sdown timers from PING / PONG, countdowns, the replica selection ranked with the
// engine's comparison, all read from runs of library scenarios.
import { describe, expect, it } from 'vitest';
import tutorial from '../../scenarios/tutorial-failover.ts';
import priorities from '../../scenarios/priorities.ts';
import majorityLost from '../../scenarios/majority-of-sentinels-lost.ts';
import type { LogRecord, TraceRecord } from '../../engine/trace/types.ts';
import { FrameStore } from '../../viz/model/store.ts';
import { ReasoningIndex, type SelectionRecord } from '../../viz/model/reasoning.ts';
import { selectionAt, selectionView } from '../../viz/model/selection.ts';
import { countdowns, downTimers, odownForming, resultText, tallyAt, tallyText } from '../../viz/model/tally.ts';
import { tourSteps } from '../../viz/app/tour.ts';
import { runLibrary } from './support.ts';

function indexed(records: TraceRecord[], header: ReturnType<typeof runLibrary>['sim']['trace']['header']) {
  const store = new FrameStore(header!, records);
  const ix = new ReasoningIndex({ records: store.records, ingestedCount: () => store.last.next, messageEnds: (i) => store.messageEnds(i) });
  ix.sync();
  return { store, ix };
}

const tut = (() => {
  const doc = runLibrary(tutorial).sim.trace.document();
  return { doc, ...indexed(doc.records, doc.header) };
})();
const logs = (recs: TraceRecord[]) => recs.filter((r): r is LogRecord => r.k === 'log');

describe('elections and tallies', () => {
  it('the tutorial: one election in epoch 8395, won 3/3 with 2 needed', () => {
    const { ix, store } = tut;
    expect(ix.elections).toHaveLength(1);
    const e = ix.elections[0];
    const tryF = logs(tut.doc.records).find((r) => r.event === '+try-failover')!;
    const elected = logs(tut.doc.records).find((r) => r.event === '+elected-leader')!;
    expect(e).toMatchObject({ candidate: tryF.node, master: 'TestMaster', epoch: 8395, start: tryF.t, end: elected.t, result: 'elected' });
    expect(e.odown).toMatchObject({ k: 1, q: 1 });
    // at the start only its own vote; every vote once the replies are read; the result once logged
    const at = (t: number) => tallyAt(ix, e, store.stateAt(t), t);
    expect(tallyText(at(e.start))).toBe('1/3 votes, needs 2');
    expect(resultText(at(e.start))).toBe('counting…');
    const heard = logs(tut.doc.records).filter((r) => r.node === e.candidate && / voted for /.test(r.line));
    expect(heard).toHaveLength(2);
    expect(tallyText(at(heard[0].t))).toBe('2/3 votes, needs 2');
    expect(tallyText(at(heard[1].t))).toBe('3/3 votes, needs 2');
    const end = at(e.end!);
    expect(end).toMatchObject({ voters: 3, quorum: 1, majority: 2, needed: 2, result: 'elected' });
    expect(resultText(end)).toBe('+elected-leader');
    // the candidate asked both other Sentinels and both answered
    expect(new Set(end.requests.map((m) => m.to))).toEqual(new Set(['127.0.0.1:26371', '127.0.0.1:26372']));
    expect(new Set(end.replies.map((m) => m.from))).toEqual(new Set(['127.0.0.1:26371', '127.0.0.1:26372']));
  });

  it('priorities: every election needs max(quorum, majority), and a won one reached it', () => {
    const sc = runLibrary(priorities);
    const doc = sc.sim.trace.document();
    const { ix, store } = indexed(doc.records, doc.header);
    for (const e of ix.elections) {
      const x = tallyAt(ix, e, store.stateAt(e.end!), e.end!);
      expect(x.needed).toBe(Math.max(x.quorum, Math.floor(x.voters / 2) + 1));
      if (e.result === 'elected') expect(x.granted.length).toBeGreaterThanOrEqual(x.needed);
      else expect(x.granted.length).toBeLessThan(x.needed);
    }
  });
});

describe('an election lost', () => {
  it('majority-of-sentinels-lost: 2 of 5 votes, 3 needed, -failover-abort-not-elected; the retry countdown follows', () => {
    const doc = runLibrary(majorityLost).sim.trace.document();
    const { ix, store } = indexed(doc.records, doc.header);
    const e = ix.elections[0];
    expect(e.result).toBe('not-elected');
    const abort = logs(doc.records).find((r) => r.event === '-failover-abort-not-elected')!;
    expect(e.end).toBe(abort.t);
    const x = tallyAt(ix, e, store.stateAt(e.end!), e.end!);
    expect(tallyText(x)).toBe('2/5 votes, needs 3');
    expect(resultText(x)).toBe('-failover-abort-not-elected');
    // waiting for votes, the election timeout ran out at the abort
    const before = countdowns(ix, store.stateAt(e.end! - 1), e.candidate, e.end! - 1).find((c) => c.kind === 'election')!;
    expect(before.until).toBeLessThanOrEqual(e.end!);
    expect(e.end! - before.until).toBeLessThan(200_000);
    // then the wait before the next try (2 × failover-timeout from failover_start_time)
    const t = e.end! + 2_000_000;
    const retry = countdowns(ix, store.stateAt(t), e.candidate, t).find((c) => c.kind === 'retry');
    const mv = (store.stateAt(t).nodes[e.candidate] as { masters: { failoverTimeoutMs?: number }[] }).masters[0];
    expect(retry!.until - retry!.from).toBe(2 * mv.failoverTimeoutMs! * 1000);
  });
});

describe('timers', () => {
  it('a Sentinel reaches down-after for the dead master exactly when it logs +sdown', () => {
    const { ix, store } = tut;
    const sd = logs(tut.doc.records).find((r) => r.event === '+sdown' && / master /.test(r.line))!;
    const timer = (t: number) => downTimers(ix, store.stateAt(t), sd.node, t).find((d) => d.instance === '127.0.0.1:7003')!;
    const atSdown = timer(sd.t);
    expect(atSdown.downAfterMs).toBe(1500);
    expect(atSdown.since).toBe('unanswered-ping');
    expect(atSdown.sdown).toBe(true);
    expect(atSdown.elapsedMs).toBeGreaterThan(1500);
    // the check runs every 100 ms: a tick earlier it had not passed down-after yet
    const before = timer(sd.t - 100_000);
    expect(before.sdown).toBe(false);
    expect(before.elapsedMs).toBeLessThanOrEqual(1500);
    expect(before.elapsedMs).toBeGreaterThan(1300);
    // a healthy instance has no unanswered PING for long
    const healthy = downTimers(ix, store.stateAt(sd.t), sd.node, sd.t).find((d) => d.instance === '127.0.0.1:8003')!;
    expect(healthy.elapsedMs).toBeLessThan(100);
  });

  it('the election timeout counts down from failover_start_time; odown shows #quorum k/q', () => {
    const { ix, store } = tut;
    const e = ix.elections[0];
    const t = e.start + 10_000;
    const st = store.stateAt(t);
    const cd = countdowns(ix, st, e.candidate, t).find((c) => c.kind === 'election')!;
    const mv = st.nodes[e.candidate].kind === 'sentinel' ? (st.nodes[e.candidate] as { masters: { electionTimeoutMs?: number }[] }).masters[0] : null;
    expect(cd.until - cd.from).toBe(mv!.electionTimeoutMs! * 1000);
    expect(cd.from).toBeGreaterThanOrEqual(e.start);
    expect(odownForming(ix, st, e.candidate, t)).toEqual([{ master: 'TestMaster', k: 1, q: 1, odown: true, fromLine: false }]);
  });
});

describe('replica selection', () => {
  it('the tutorial: 8003 is the only candidate', () => {
    const v = selectionAt(tut.ix, tut.store.endT)!;
    expect(v).toMatchObject({ chosen: '127.0.0.1:8003', decidedBy: 'only-candidate', epoch: 8395 });
    expect(v.rows.map((r) => r.name)).toEqual(['127.0.0.1:8003']);
    const sel = logs(tut.doc.records).find((r) => r.event === '+selected-slave')!;
    expect(v.at).toBe(sel.t);
    expect(selectionAt(tut.ix, sel.t - 1)).toBeNull();
  });

  it('priorities: replica-priority decides (10 before 50, 0 never), then no candidate is left', () => {
    const doc = runLibrary(priorities).sim.trace.document();
    const { ix } = indexed(doc.records, doc.header);
    const [first, , last] = ix.selections.map(selectionView);
    expect(first.decidedBy).toBe('priority');
    expect(first.chosen).toBe('127.0.0.1:6381');
    expect(first.rows.map((r) => [r.name, r.priority, r.rank, r.rejected])).toEqual([
      ['127.0.0.1:6381', 10, 1, null],
      ['127.0.0.1:6382', 50, 2, null],
      ['127.0.0.1:6380', 0, null, 'priority 0'],
    ]);
    expect(first.reason).toBe('127.0.0.1:6381 wins on lower replica-priority (10 < 50 of 127.0.0.1:6382)');
    expect(last.decidedBy).toBe('no-candidate');
    expect(last.chosen).toBeNull();
  });

  it('offset, then run id decide when priorities tie; the same order as the engine', () => {
    const rec = (replicas: SelectionRecord['note']['replicas']): SelectionRecord => ({ t: 1, index: 0, node: 's', note: { master: 'm', epoch: 1, replicas, chosen: replicas.find((r) => r.rejected === null)?.name ?? null } });
    const a = { name: 'a', runid: 'bbbb', priority: 100, offset: 10, rejected: null };
    const b = { name: 'b', runid: 'aaaa', priority: 100, offset: 20, rejected: null };
    const v = selectionView({ ...rec([a, b]), note: { ...rec([a, b]).note, chosen: 'b' } });
    expect(v).toMatchObject({ decidedBy: 'offset', runnerUp: 'a' });
    expect(v.rows.map((r) => r.name)).toEqual(['b', 'a']);
    const c = { ...b, offset: 10 };
    expect(selectionView({ ...rec([a, c]), note: { ...rec([a, c]).note, chosen: 'b' } })).toMatchObject({ decidedBy: 'runid', runnerUp: 'a' });
    const down = { ...a, rejected: 'down' };
    expect(selectionView(rec([down, c]))).toMatchObject({ decidedBy: 'only-candidate', chosen: 'b' });
  });
});

describe('the tour', () => {
  it('stops at every milestone of the tutorial failover, in order, with captions from the trace', () => {
    const steps = tourSteps(tut.store, tut.ix);
    expect(steps.map((s) => s.title)).toEqual([
      'Sentinels watch the master',
      'The master dies',
      'Subjectively down',
      'Objectively down',
      'An election',
      'Votes come back',
      'Elected',
      'Choosing a replica',
      'Promoted',
      'The switch',
      'The old master returns',
      'Converted',
    ]);
    for (let i = 1; i < steps.length; i++) expect(steps[i].t).toBeGreaterThanOrEqual(steps[i - 1].t);
    const byTitle = Object.fromEntries(steps.map((s) => [s.title, s]));
    expect(byTitle['Sentinels watch the master'].caption).toContain('down-after-milliseconds (1500 ms)');
    expect(byTitle['Objectively down'].caption).toContain('+odown #quorum 1/1');
    expect(byTitle['An election'].caption).toContain('needs 2 = max(quorum 1, majority 2 of 3)');
    expect(byTitle['Votes come back'].caption).toContain('3/3 votes, needs 2');
    expect(byTitle['Choosing a replica'].caption).toContain('127.0.0.1:8003 is the only candidate');
    const conv = logs(tut.doc.records).find((r) => r.event === '+convert-to-slave')!;
    expect(byTitle.Converted.t).toBe(conv.t);
  });
});
