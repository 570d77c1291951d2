// data (engine/check/data.ts) rule by rule: which class a run falls in (classifyRun, caughtUp), and the
// min-replicas window's edges (a loss acknowledged exactly L + 2 s after an anchor is allowed, later not).
import { describe, expect, it } from 'vitest';
import { caughtUp, checkData, classifyRun } from '../../../engine/check/data.ts';
import type { TraceRecord } from '../../../engine/trace/types.ts';
import { config, ev, fault, finalRead, input, keyframe, M, note, op, R1, R2, S1 } from '../traces.ts';

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
