// data (engine/check/data.ts) rule by rule: which class a run falls in (classifyRun, caughtUp), and the
// min-replicas window's edges (a loss acknowledged exactly L + 2 s after an anchor is allowed, later not).
import { describe, expect, it } from 'vitest';
import { caughtUp, checkData, classifyRun } from '../../../engine/check/data.ts';
import type { TraceRecord } from '../../../engine/trace/types.ts';
import { config, ev, fault, finalRead, input, keyframe, M, note, op, R1, R2, S1, S2 } from '../traces.ts';

const SERVERS = [M, R1, R2];
const kf = (t: number, m: number, r1: number, r2 = r1, mRole = 'master', r1Role = 'slave') =>
  keyframe(t, {}, { [M]: { role: mRole, offset: m }, [R1]: { role: r1Role, offset: r1 }, [R2]: { role: 'slave', offset: r2 } });
const sw = (t: number) => ev(t, S1, '+switch-master', 'mymaster 127.0.0.1 6379 127.0.0.1 6381');

describe('caughtUp', () => {
  it('needs two keyframes before t, the master\'s role in the earlier one and every replica at its offset', () => {
    expect(caughtUp([kf(4, 100, 100), kf(5, 200, 100)], M, SERVERS, 6e6)).toBe(true);
    expect(caughtUp([kf(4, 100, 100), kf(5, 200, 100)], M, SERVERS, 5e6)).toBe(true);
    expect(caughtUp([kf(4, 100, 100), kf(5, 200, 100)], M, SERVERS, 4.9e6)).toBe(false);
    expect(caughtUp([kf(5, 200, 100)], M, SERVERS, 6e6)).toBe(false);
    expect(caughtUp([kf(4, 100, 100), kf(5, 200, 99)], M, SERVERS, 6e6)).toBe(false);
    expect(caughtUp([kf(4, 100, 100, 100, 'slave'), kf(5, 200, 100)], M, SERVERS, 6e6)).toBe(false);
    expect(caughtUp([kf(4, 100, 100), kf(5, 200, 100, 100, 'master', 'master')], M, SERVERS, 6e6)).toBe(false);
    expect(caughtUp([kf(4, 0, 0), kf(5, 0, 0)], M, SERVERS, 6e6)).toBe(false);
  });
});

describe('classifyRun', () => {
  const cls = (recs: TraceRecord[], cfg = config) => classifyRun([...recs].sort((a, b) => a.t - b.t), cfg, SERVERS);

  it('faults at or after the quiet period do not count', () => {
    expect(cls([note(5, 'quiet', {}), fault(5, 'kill', M)]).cls).toBe('no-faults');
    expect(cls([fault(4.9, 'kill', R1), note(5, 'quiet', {})]).cls).toBe('faults');
  });

  it('one kill of a caught-up master, switched away from, is a clean crash; of a replica it is not', () => {
    const base = [kf(4, 100, 100), kf(5, 200, 100), sw(9)];
    expect(cls([...base, fault(5.5, 'kill', M)])).toEqual({ cls: 'clean-master-crash', why: `one kill of the master ${M}, down until the Sentinels switched away from it` });
    expect(cls([...base, fault(5.5, 'kill', R1)]).cls).toBe('faults');
    expect(cls([...base, fault(5.5, 'kill', 'redis1')]).cls).toBe('faults');
    expect(cls([...base, fault(5.5, 'kill', M), fault(5.6, 'kill', R1)]).cls).toBe('faults');
    expect(cls([...base, fault(5.5, 'pause', M)]).cls).toBe('faults');
  });

  it('the switch must come before the killed master restarts', () => {
    const base = [kf(4, 100, 100), kf(5, 200, 100), fault(5.5, 'kill', M)];
    expect(cls([...base, { t: 7e6, k: 'proc', node: M, ev: 'start' } as TraceRecord, sw(9)]).cls).toBe('faults');
    expect(cls([...base, { t: 7e6, k: 'proc', node: R1, ev: 'start' } as TraceRecord, sw(9)]).cls).toBe('clean-master-crash');
    // a switch before the kill does not count
    expect(cls([...base, sw(5.2)]).cls).toBe('faults');
  });

  it('min-replicas-window: every replica required, a lag above 0, network faults only', () => {
    const cfg = { ...config, minReplicasToWrite: 2, minReplicasMaxLag: 3 };
    expect(cls([fault(1, 'partition'), fault(2, 'heal')], cfg)).toEqual({ cls: 'min-replicas-window', why: 'min-replicas-to-write 2 (every replica), max-lag 3 s, network faults only' });
    expect(cls([fault(1, 'partition')], { ...cfg, minReplicasToWrite: 1 }).cls).toBe('faults');
    expect(cls([fault(1, 'partition')], { ...cfg, minReplicasMaxLag: 0 }).cls).toBe('faults');
    expect(cls([fault(1, 'partition'), fault(2, 'kill', R1)], cfg)).toEqual({ cls: 'faults', why: '2 fault(s) of kinds partition, kill' });
    expect(classifyRun([fault(1, 'partition')], cfg, [M]).cls).toBe('faults');
  });
});

describe('checkData', () => {
  it('no set-add history: nothing to check; no final read: loss unknown', () => {
    expect(checkData(input([finalRead(1, [])])).figures).toEqual({ class: 'none' });
    const r = checkData(input([op(1, 0, 'ok')]));
    expect(r.ok).toBe(true);
    expect(r.report).toContain('no successful final read: loss unknown');
    expect(r.figures).toEqual({ class: 'no-faults', total: 0, acknowledged: 0, lost: 0 });
  });

  it('the accounting line and figures of a clean run', () => {
    const r = checkData(input([op(1, 0, 'ok'), op(2, 1, 'unknown'), op(3, 2, 'fail'), finalRead(5, [0, 1])]));
    expect(r.ok).toBe(true);
    expect(r.report).toContain('jepsen: 3 total, 1 acknowledged, 2 survivors, 0 acknowledged lost, 1 unacknowledged but present');
    expect(r.figures).toEqual({ class: 'no-faults', total: 3, acknowledged: 1, lost: 0 });
  });

  it('a no-faults loss is placed at the acknowledgement of the first lost write', () => {
    const r = checkData(input([op(1, 0, 'ok'), op(2, 1, 'ok'), finalRead(5, [])]));
    expect(r.violations[0]!.t).toBe(1.001e6);
    expect(r.violations[0]!.message).toBe('2 acknowledged write(s) of jepsen lost (no-faults), e.g. 0, 1');
  });

  describe('min-replicas window', () => {
    const cfg = { ...config, minReplicasToWrite: 2, minReplicasMaxLag: 3 };
    // op(t) completes at t + 1 ms: an anchor at 1 s and L + 2 = 5 s
    const run = (ackAt: number, anchor: TraceRecord = fault(1, 'partition')) => checkData(input([anchor, op(ackAt - 0.001, 7, 'ok'), finalRead(20, [])], cfg));

    it('a loss acknowledged exactly at the window end passes; 1 µs later fails', () => {
      expect(run(6).ok).toBe(true);
      expect(run(1).ok).toBe(true);
      expect(run(6.000001).ok).toBe(false);
      expect(run(0.999999).ok).toBe(false);
    });

    it('Sentinel repointing events anchor the window; other events do not', () => {
      const cfgNet = [fault(0.5, 'heal')];
      const mk = (e: TraceRecord) => checkData(input([...cfgNet, e, op(10, 7, 'ok'), finalRead(20, [])], cfg));
      for (const name of ['+failover-state-send-slaveof-noone', '+slave-reconf-sent', '+slave-reconf-sent-be', '+convert-to-slave', '+fix-slave-config'])
        expect(mk(ev(8, S1, name, 'slave x')).ok, name).toBe(true);
      expect(mk(ev(8, S1, '+sdown', 'slave x')).ok).toBe(false);
      expect(mk(fault(8, 'kill', R1)).ok).toBe(true); // classified as faults: reported, not judged
    });

    it('the message names the window and the lost writes', () => {
      const r = run(9);
      expect(r.violations[0]!.message).toBe('1 lost acknowledged write(s) of jepsen were acknowledged more than 5 s after every network fault, SLAVEOF or replica put online (e.g. 7)');
      expect(r.violations[0]!.t).toBe(9e6);
    });

    it('a replica put online by a sentinel log line does not anchor (only the server says it)', () => {
      const line = (kind: string, text: string) => ({ t: 8e6, k: 'log', node: M, kind, pid: 1, role: 'M', wall: 0, level: '*', event: null, line: text }) as TraceRecord;
      const mk = (r: TraceRecord) => checkData(input([fault(0.5, 'heal'), r, op(10, 7, 'ok'), finalRead(20, [])], cfg)).ok;
      expect(mk(line('server', 'Synchronization with replica 127.0.0.1:6380 succeeded'))).toBe(true);
      expect(mk(line('sentinel', 'Synchronization with replica 127.0.0.1:6380 succeeded'))).toBe(false);
      expect(mk(line('server', 'Synchronization with replica 127.0.0.1:6380 failed'))).toBe(false);
      expect(mk(line('server', 'Partial synchronization with replica 127.0.0.1:6380 succeeded'))).toBe(false);
    });
  });
});

describe('what the data checker reads (mutation testing, issue 20)', () => {
  const cfg = { ...config, minReplicasToWrite: 2, minReplicasMaxLag: 3 };
  const cls = (recs: TraceRecord[], c = cfg) => classifyRun([...recs].sort((a, b) => a.t - b.t), c, SERVERS);
  const srvLog = (t: number, node: string, role: string) => ({ t: t * 1e6, k: 'log', node, kind: 'server', pid: 1, role, wall: 0, level: '*', event: null, line: 'x' }) as TraceRecord;

  it('every network fault kind keeps the min-replicas window; a fault of another kind does not', () => {
    for (const f of ['partition', 'isolate', 'block', 'heal', 'set-link']) expect(cls([fault(1, f)]).cls, f).toBe('min-replicas-window');
    expect(cls([fault(1, 'pause', M)]).cls).toBe('faults');
    // and each anchors the window
    for (const f of ['isolate', 'block', 'set-link']) expect(checkData(input([fault(0.5, 'heal'), fault(8, f), op(10, 7, 'ok'), finalRead(20, [])], cfg)).ok, f).toBe(true);
  });

  it('without a configuration, network faults are only reported', () => {
    expect(cls([fault(1, 'partition')], null as never).cls).toBe('faults');
  });

  it('the fault kinds are named once each', () => {
    expect(cls([fault(1, 'kill', R1), fault(2, 'kill', R2), fault(3, 'pause', M)]).why).toBe('3 fault(s) of kinds kill, pause');
  });

  it('a killed server\'s role comes from its log lines when no keyframe shows it', () => {
    const killed = (role: string, t = 1) => cls([srvLog(t, M, role), srvLog(1, R1, 'M'), fault(2, 'kill', M)]);
    expect(killed('M')).toEqual({ cls: 'faults', why: `the master ${M} was killed before its replicas had caught up with it` });
    expect(killed('S').why).toBe('1 fault(s) of kinds kill');
    // a line of another role letter keeps the role read before; a line after the kill does not count
    expect(cls([srvLog(0.5, M, 'M'), srvLog(1, M, 'C'), fault(2, 'kill', M)]).why).toMatch(/^the master/);
    expect(cls([srvLog(0.5, M, 'M'), srvLog(1, M, 'X'), fault(2, 'kill', M)]).why).toMatch(/^the master/);
    expect(killed('M', 3).why).toBe('1 fault(s) of kinds kill');
    // a keyframe's role wins over the log lines
    expect(cls([srvLog(0.5, M, 'M'), kf(1, 100, 100, 100, 'slave'), fault(2, 'kill', M)]).why).toBe('1 fault(s) of kinds kill');
    // a keyframe after the kill does not count
    expect(cls([srvLog(0.5, M, 'S'), kf(3, 100, 100), fault(2, 'kill', M)]).why).toBe('1 fault(s) of kinds kill');
  });

  it('caughtUp: a replica without an offset, or a master without one, has not caught up', () => {
    const noOff = keyframe(5, {}, { [M]: { role: 'master', offset: 200 }, [R1]: { role: 'slave', offset: 100 }, [R2]: { role: 'slave', offset: 100 } });
    delete ((noOff as { nodes: Record<string, { view: { offset?: number } }> }).nodes[R2]!.view).offset;
    expect(caughtUp([kf(4, 100, 100), noOff], M, SERVERS, 6e6)).toBe(false);
    const m0 = kf(4, 100, 100);
    delete ((m0 as { nodes: Record<string, { view: { offset?: number } }> }).nodes[M]!.view).offset;
    expect(caughtUp([m0, kf(5, 200, 100)], M, SERVERS, 6e6)).toBe(false);
    // a replica missing from the last keyframe (stopped) has not caught up; the master itself is not compared
    const stopped = kf(5, 200, 100);
    ((stopped as { nodes: Record<string, { state: string }> }).nodes[R2]!).state = 'stopped';
    expect(caughtUp([kf(4, 100, 100), stopped], M, SERVERS, 6e6)).toBe(false);
    expect(caughtUp([kf(4, 100, 100), kf(5, 50, 100)], M, SERVERS, 6e6)).toBe(true);
    expect(caughtUp([kf(4, 100, 100), kf(5, 200, 100)], M, [M], 6e6)).toBe(true);
  });

  it('final reads: only successful reads of a set count, per key, with the figures summed', () => {
    const read = (t: number, key: string, value: unknown, outcome = 'ok') => note(t, 'op', { client: 'c1', op: 'read-all', key, value, invoke: t * 1e6, complete: t * 1e6, outcome });
    const add = (t: number, key: string, value: number, outcome = 'ok') => note(t, 'op', { client: 'c1', op: 'sadd', key, value, invoke: t * 1e6, complete: t * 1e6 + 1000, outcome });
    const r = checkData(input([add(1, 'a', 1), add(2, 'b', 2), add(3, 'b', 3), read(10, 'a', ['1']), read(11, 'b', ['2']), read(12, 'a', [], 'fail'), read(13, 'b', '7')]));
    expect(r.figures).toEqual({ class: 'no-faults', total: 3, acknowledged: 3, lost: 1 });
    expect(r.report).toContain('a: 1 total, 1 acknowledged, 1 survivors, 0 acknowledged lost, 0 unacknowledged but present');
    expect(r.report).toContain('b: 2 total, 2 acknowledged, 1 survivors, 1 acknowledged lost, 0 unacknowledged but present');
    expect(r.violations).toEqual([{ t: 3.001e6, message: '1 acknowledged write(s) of b lost (no-faults), e.g. 3' }]);
    // the acknowledgement time is that of the key's own ok write of the value
    const other = checkData(input([add(1, 'a', 3), add(2, 'b', 3, 'fail'), add(3, 'b', 3), read(10, 'b', [])]));
    expect(other.violations[0]!.t).toBe(3.001e6);
  });

  it('the clean-crash loss is judged and placed at the first lost write', () => {
    const base = [kf(4, 100, 100), kf(5, 200, 100), fault(5.5, 'kill', M), ev(9, S1, '+switch-master', 'mymaster 127.0.0.1 6379 127.0.0.1 6381')];
    const r = checkData(input([...base, op(1, 4, 'ok'), op(2, 3, 'ok'), finalRead(20, [])]));
    expect(r.violations).toEqual([{ t: 2.001e6, message: '2 acknowledged write(s) of jepsen lost (clean-master-crash), e.g. 3, 4' }]);
  });

  it('failed writes present: at most five named; lists of lost writes are cut at 8 and 6', () => {
    const fails = [0, 1, 2, 3, 4, 5].map((v) => op(1 + v, v, 'fail'));
    const r = checkData(input([fault(0.5, 'kill', R1), ...fails, finalRead(20, [0, 1, 2, 3, 4, 5])]));
    expect(r.violations).toEqual([{ t: 0, message: '6 write(s) reported failed are present in jepsen (e.g. 0, 1, 2, 3, 4)' }]);
    const oks = Array.from({ length: 9 }, (_, v) => op(10 + v, v, 'ok'));
    expect(checkData(input([...oks, finalRead(30, [])])).violations[0]!.message).toBe('9 acknowledged write(s) of jepsen lost (no-faults), e.g. 0, 1, 2, 3, 4, 5, 6, 7');
    const late = checkData(input([fault(0.5, 'heal'), ...oks, finalRead(30, [])], cfg));
    expect(late.violations).toEqual([{ t: 10.001e6, message: '9 lost acknowledged write(s) of jepsen were acknowledged more than 5 s after every network fault, SLAVEOF or replica put online (e.g. 0, 1, 2, 3, 4, 5)' }]);
  });

  it('the servers come from the header: without one, a kill is never a clean crash', () => {
    const recs = [kf(4, 100, 100), kf(5, 200, 100), fault(5.5, 'kill', M), ev(9, S1, '+switch-master', 'mymaster 127.0.0.1 6379 127.0.0.1 6381'), op(1, 4, 'ok'), finalRead(20, [])];
    expect(checkData(input(recs)).figures?.class).toBe('clean-master-crash');
    expect(checkData({ ...input(recs), header: null }).figures?.class).toBe('faults');
  });
});

describe('data: the run classes edge by edge (mutation testing, issue 20)', () => {
  const cls = (recs: TraceRecord[], c = config) => classifyRun([...recs].sort((a, b) => a.t - b.t), c, SERVERS);
  const srvLog = (t: number, node: string, role: string) => ({ t: t * 1e6, k: 'log', node, kind: 'server', pid: 1, role, wall: 0, level: '*', event: null, line: 'x' }) as TraceRecord;
  const MASTER_WHY = `the master ${M} was killed before its replicas had caught up with it`;
  const proc = (t: number, node: string, e: string) => ({ t: t * 1e6, k: 'proc', node, ev: e }) as TraceRecord;
  const swFrom = (t: number, from: string, to: string, node = S1) => ev(t, node, '+switch-master', `mymaster ${from.replace(':', ' ')} ${to.replace(':', ' ')}`);
  const clean = [kf(4, 100, 100), kf(5, 200, 100), fault(5.5, 'kill', M)];

  it('role from the logs: the last S or M line before (or at) the kill; a keyframe at the kill counts; one without the server does not', () => {
    expect(cls([srvLog(0.5, M, 'M'), srvLog(1, M, 'S'), fault(2, 'kill', M)]).why).toBe('1 fault(s) of kinds kill');
    expect(cls([srvLog(0.5, M, 'S'), srvLog(1, M, 'X'), fault(2, 'kill', M)]).why).toBe('1 fault(s) of kinds kill');
    expect(cls([srvLog(2, M, 'M'), fault(2, 'kill', M)]).why).toBe(MASTER_WHY);
    expect(cls([srvLog(0.5, M, 'M'), kf(2, 100, 100, 100, 'slave'), fault(2, 'kill', M)]).why).toBe('1 fault(s) of kinds kill');
    expect(cls([keyframe(1, {}, { [R1]: { role: 'slave', offset: 1 } }), srvLog(1.5, M, 'M'), fault(2, 'kill', M)]).why).toBe(MASTER_WHY);
  });

  it('caughtUp reads the last keyframe, not the second of three', () => {
    expect(caughtUp([kf(3, 100, 100), kf(4, 100, 100), kf(5, 200, 50)], M, SERVERS, 6e6)).toBe(false);
    expect(caughtUp([kf(3, 100, 0), kf(4, 100, 0), kf(5, 200, 100)], M, SERVERS, 6e6)).toBe(true);
  });

  it('no faults: the reason is given', () => {
    expect(cls([])).toEqual({ cls: 'no-faults', why: 'no fault before the quiet period' });
  });

  it('a switch at the kill instant counts; other Sentinel events are not switches', () => {
    expect(cls([...clean, swFrom(5.5, M, R2)]).cls).toBe('clean-master-crash');
    expect(cls([...clean, ev(6, S1, '+sdown', `${'master mymaster 127.0.0.1 6379'}`)]).cls).toBe('faults');
    expect(cls([...clean, ev(6, S1, '+sdown', 'master mymaster 127.0.0.1 6379'), swFrom(9, M, R2)]).cls).toBe('clean-master-crash');
  });

  it('the killed master\'s own crash or exit record is not a restart', () => {
    for (const e of ['crash', 'exit', 'host-down']) expect(cls([...clean, proc(5.5, M, e), swFrom(9, M, R2)]).cls, e).toBe('clean-master-crash');
  });

  it('a second failover: only a switch at or after the kill, away from another master, and it is a fault run', () => {
    // a switch before the kill (the killed server became master by it) is history, not a second failover
    expect(cls([swFrom(1, R2, M), ...clean, swFrom(9, M, R2)]).cls).toBe('clean-master-crash');
    // at the kill instant it counts
    expect(cls([...clean, swFrom(5.5, R1, R2, S2), swFrom(9, M, R2)]).cls).toBe('faults');
    const second = cls([...clean, swFrom(9, M, R2), swFrom(12, R2, R1, S2)]);
    expect(second).toEqual({ cls: 'faults', why: `one kill of the master ${M}, then a second failover away from the promoted ${R2} (${S2} at 00:00:12.000)` });
  });

  it('the early return names the checker and says why', () => {
    const r = checkData(input([finalRead(1, [])]));
    expect(r.name).toBe('data');
    expect(r.report).toBe('data: ok\n  no set-add history in this trace: nothing to check');
    expect(checkData(input([op(1, 0, 'ok')])).name).toBe('data');
  });

  it('"loss unknown" only without a successful final read', () => {
    expect(checkData(input([op(1, 0, 'ok'), finalRead(5, [0])])).report).not.toContain('loss unknown');
  });

  it('the time of a loss is its own key\'s acknowledged set-add, not a later failed, other-key, other-op or unfinished one', () => {
    const e = (t: number, extra: Record<string, unknown>) => note(t, 'op', { client: 'c1', op: 'sadd', key: 'b', value: 3, invoke: t * 1e6, complete: t * 1e6 + 1000, outcome: 'ok', ...extra });
    const recs = [e(1, {}), e(2, { key: 'a' }), e(3, { outcome: 'fail' }), e(4, { op: 'incr' }), e(5, { complete: null }), note(10, 'op', { client: 'c1', op: 'read-all', key: 'b', value: [], invoke: 10e6, complete: 10e6, outcome: 'ok' })];
    const v = checkData(input(recs)).violations.filter((x) => x.message.includes(' of b '));
    expect(v).toEqual([{ t: 1.001e6, message: '1 acknowledged write(s) of b lost (no-faults), e.g. 3' }]);
  });

  it('min-replicas window: a non-network fault after the quiet period does not anchor it', () => {
    const cfg = { ...config, minReplicasToWrite: 2, minReplicasMaxLag: 3 };
    const recs = [fault(0.5, 'heal'), note(5, 'quiet', {}), fault(9, 'kill', R1), op(10, 7, 'ok'), finalRead(20, [])];
    const r = checkData(input(recs, cfg));
    expect(r.figures?.class).toBe('min-replicas-window');
    expect(r.ok).toBe(false);
  });
});
