// app-history (engine/check/app-history.ts) rule by rule: which +switch-master lines count, the figures of a
// history (writes, outcomes, errors, gaps, stale-master writes, the first write on the new master) and the
// app-recovers property (a write acknowledged after the quiet period began). Each failing case next to its
// passing twin, from hand-made histories.
import { describe, expect, it } from 'vitest';
import { appFigures, APP_CHECKERS, CHECK_APP_IP, CHECK_APP_NAME, checkAppRecovers, masterSwitches } from '../../../engine/check/app-history.ts';
import type { HistoryEntry } from '../../../engine/client/history.ts';
import type { TraceRecord } from '../../../engine/trace/types.ts';
import { ev, input, note, S1 } from '../traces.ts';

/** A write of `value` completed at `complete` µs (invoked 100 µs before) and served by `node`. */
const w = (value: number, complete: number | null, node: string | undefined, outcome: HistoryEntry['outcome'] = 'ok', extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  client: 'a',
  op: 'sadd',
  key: 'k',
  value,
  invoke: (complete ?? 0) - 100,
  complete,
  outcome,
  ...(node ? { node } : {}),
  ...extra,
});
/** +switch-master at t µs from a to b ("ip:port"). */
const sw = (t: number, from: string, to: string): TraceRecord => ({ ...ev(0, S1, '+switch-master', `mymaster ${from.replace(':', ' ')} ${to.replace(':', ' ')}`), t }) as TraceRecord;

describe('masterSwitches', () => {
  it('reads every +switch-master of a Sentinel with its five words; other lines and short ones are skipped', () => {
    const server = { ...sw(5, 'a:1', 'b:2'), kind: 'server' } as TraceRecord;
    const plain = { ...sw(6, 'a:1', 'b:2'), event: null } as TraceRecord;
    const other = ev(0, S1, '+switch-masters', 'mymaster a 1 b 2');
    const short = { ...ev(0, S1, '+switch-master', 'mymaster a 1 b'), t: 7 } as TraceRecord;
    expect(masterSwitches([sw(1, 'a:1', 'b:2'), server, plain, other, short, sw(9, 'b:2', 'a:1')])).toEqual([
      { t: 1, from: 'a:1', to: 'b:2' },
      { t: 9, from: 'b:2', to: 'a:1' },
    ]);
    expect(masterSwitches([])).toEqual([]);
  });
});

describe('appFigures', () => {
  it('counts writes (not reads) by outcome', () => {
    const h = [
      w(1, 10, 'm:1'),
      w(2, 20, 'm:1', 'fail'),
      w(3, 30, 'm:1', 'unknown'),
      w(4, 40, 'm:1', 'ok', { op: 'set' }),
      w(5, 50, 'm:1', 'ok', { op: 'incr' }),
      w(6, 60, 'm:1', 'ok', { op: 'get' }),
      w(7, 70, 'm:1', 'ok', { op: 'read-all' }),
      w(8, 80, 'm:1', 'fail', { op: 'get' }),
    ];
    const f = appFigures(h, []);
    expect([f.writes, f.acknowledged, f.failed, f.unknown]).toEqual([5, 3, 1, 1]);
  });

  it('an acknowledged write still in flight (no completion) is not acknowledged', () => {
    const f = appFigures([w(1, 10, 'm:1'), w(2, null, 'm:1')], []);
    expect(f.acknowledged).toBe(1);
    expect(f.longestGapUs).toBe(0);
    expect(f.longestGapFrom).toBe(null);
  });

  it('errors of failed and unknown writes with a reply, by count then message; acknowledged replies and reads are not errors', () => {
    const h = [
      w(1, 10, 'm:1', 'fail', { reply: 'READONLY' }),
      w(2, 20, 'm:1', 'unknown', { reply: 'timeout' }),
      w(3, 30, 'm:1', 'fail', { reply: 'READONLY' }),
      w(4, 40, 'm:1', 'fail', { reply: 'LOADING' }),
      w(5, 50, 'm:1', 'ok', { reply: '1' }),
      w(6, 60, 'm:1', 'fail'),
      w(7, 70, 'm:1', 'fail', { op: 'get', reply: 'NOAUTH' }),
    ];
    expect(appFigures(h, []).errors).toEqual([
      { message: 'READONLY', count: 2 },
      { message: 'LOADING', count: 1 },
      { message: 'timeout', count: 1 },
    ]);
    // the same counts in the other order of first appearance sort the same way
    expect(appFigures([...h].reverse(), []).errors.map((e) => e.message)).toEqual(['READONLY', 'LOADING', 'timeout']);
  });

  it('the longest gap between acknowledged writes, in completion order; a tie keeps the first', () => {
    const f = appFigures([w(3, 500, 'm:1'), w(1, 100, 'm:1'), w(2, 200, 'm:1', 'fail'), w(4, 900, 'm:1'), w(5, 1000, 'm:1')], []);
    expect([f.longestGapUs, f.longestGapFrom]).toEqual([400, 100]);
    const g = appFigures([w(1, 100, 'm:1'), w(2, 300, 'm:1'), w(3, 500, 'm:1')], []);
    expect([g.longestGapUs, g.longestGapFrom]).toEqual([200, 100]);
    expect(appFigures([w(1, 100, 'm:1')], []).longestGapUs).toBe(0);
  });

  it('with the end of the run, the stretch after the last acknowledgement counts when it is longer', () => {
    const h = [w(1, 100, 'm:1'), w(2, 300, 'm:1')];
    expect(appFigures(h, [], 600)).toMatchObject({ longestGapUs: 300, longestGapFrom: 300 });
    expect(appFigures(h, [], 500)).toMatchObject({ longestGapUs: 200, longestGapFrom: 100 });
    expect(appFigures(h, [], 400)).toMatchObject({ longestGapUs: 200, longestGapFrom: 100 });
    expect(appFigures([w(1, 100, 'm:1', 'fail')], [], 600)).toMatchObject({ longestGapUs: 0, longestGapFrom: null });
  });

  it('a write is stale-master when a switch away from its node came at or before its acknowledgement, until a switch back', () => {
    const recs = [sw(1000, 'm:1', 'r:2'), sw(3000, 'r:2', 'm:1')];
    const h = [
      w(1, 999, 'm:1'), // before the switch
      w(2, 1000, 'm:1'), // at the switch: stale
      w(3, 2000, 'm:1'), // stale
      w(4, 2000, 'r:2'), // on the new master
      w(5, 2500, undefined), // unknown node: never stale
      w(6, 3000, 'm:1'), // switched back: master again
      w(7, 3500, 'r:2'), // now r:2 is the stale one
      w(8, 3600, 'x:9'), // never involved
    ];
    expect(appFigures(h, recs).staleMasterWrites.map((e) => e.value)).toEqual([2, 3, 7]);
  });

  it('the first switch and the first acknowledged write of its new master at or after it', () => {
    const recs = [sw(1000, 'm:1', 'r:2'), sw(2000, 'r:2', 'x:3')];
    const f = appFigures([w(1, 900, 'r:2'), w(2, 1500, 'm:1'), w(3, 1800, 'r:2', 'fail'), w(4, 1900, 'r:2'), w(5, 2100, 'x:3')], recs);
    expect(f.firstSwitch).toEqual({ t: 1000, from: 'm:1', to: 'r:2' });
    expect(f.firstOkOnNewMaster).toBe(1900);
    expect(appFigures([w(1, 1000, 'r:2')], recs).firstOkOnNewMaster).toBe(1000);
    expect(appFigures([w(1, 900, 'r:2')], recs).firstOkOnNewMaster).toBe(null);
    expect(appFigures([w(1, 900, 'r:2')], [])).toMatchObject({ firstSwitch: null, firstOkOnNewMaster: null });
  });
});

describe('app-recovers', () => {
  const op = (t: number, outcome: HistoryEntry['outcome'], extra: Partial<HistoryEntry> = {}): TraceRecord =>
    note(t, 'op', { client: CHECK_APP_NAME, op: 'set', key: 'k', value: 'v', invoke: t * 1e6, complete: t * 1e6 + 1000, outcome, ...extra });
  const quiet = note(10, 'quiet', {});

  it('a write acknowledged that was invoked at or after the quiet period began passes; none fails', () => {
    const ok = checkAppRecovers(input([quiet, op(5, 'ok'), op(10, 'ok')]));
    expect(ok.ok, ok.report).toBe(true);
    expect(ok.figures).toEqual({ writes: 2, acknowledged: 2, afterQuiet: 1 });
    const bad = checkAppRecovers(input([quiet, op(5, 'ok'), op(9.999999, 'ok'), op(11, 'fail', { reply: 'READONLY You can\'t write against a read only replica.' }), op(12, 'unknown')]));
    expect(bad.ok).toBe(false);
    expect(bad.violations).toEqual([{ t: 10e6, message: 'the application never had a write acknowledged after the faults ended at 10.000 s' }]);
    expect(bad.report).toContain('4 writes, 2 acknowledged, 1 failed, 1 unknown; 0 acknowledged after the faults ended (10.000 s)');
    expect(bad.report).toContain("1× READONLY You can't write against a read only replica.");
    expect(bad.figures).toEqual({ writes: 4, acknowledged: 2, afterQuiet: 0 });
  });

  it('only the application host\'s writes count: other clients and reads do not recover it', () => {
    const recs = [quiet, op(5, 'ok'), op(11, 'ok', { client: 'c1' }), op(12, 'ok', { op: 'get' }), op(13, 'ok', { op: 'read-all' })];
    const r = checkAppRecovers(input(recs));
    expect(r.ok).toBe(false);
    expect(r.figures).toEqual({ writes: 1, acknowledged: 1, afterQuiet: 0 });
  });

  it('lists at most three error kinds', () => {
    const errs = ['E1', 'E2', 'E3', 'E4'].flatMap((e, i) => Array.from({ length: 4 - i }, (_, j) => op(1 + i + j / 10, 'fail', { reply: e })));
    const r = checkAppRecovers(input([quiet, ...errs, op(11, 'ok')]));
    expect(r.report.split('\n').slice(1)).toEqual(['  11 writes, 1 acknowledged, 10 failed, 0 unknown; 1 acknowledged after the faults ended (10.000 s)', '  4× E1', '  3× E2', '  2× E3']);
  });

  it('nothing to check without an application history or without a quiet period', () => {
    expect(checkAppRecovers(input([quiet])).report).toBe('app-recovers: ok\n  no application history in this trace: nothing to check');
    expect(checkAppRecovers(input([quiet, op(5, 'ok', { op: 'get' })])).report).toContain('no application history');
    expect(checkAppRecovers(input([op(5, 'fail')])).report).toBe('app-recovers: ok\n  no quiet period in this trace: nothing to check');
  });

  it('is the app-recovers property of the application host "app" at 10.0.9.1 (repro scripts name both)', () => {
    expect(APP_CHECKERS['app-recovers']).toBe(checkAppRecovers);
    expect(Object.keys(APP_CHECKERS)).toEqual(['app-recovers']);
    expect([CHECK_APP_NAME, CHECK_APP_IP]).toEqual(['app', '10.0.9.1']);
  });
});
