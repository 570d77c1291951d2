import { describe, expect, it } from 'vitest';
import { js, summarizeTrace, type ScenarioRun } from '../../../scenarios/api/index.ts';
import type { FaultRecord, LogRecord, NoteRecord } from '../../../engine/trace/types.ts';
import { cluster, runInline } from './helpers.ts';

const solo = () => cluster({ replicas: 0, sentinels: 0 });
const notes = (r: ReturnType<typeof runInline>, what: string) =>
  r.sim.trace.records().filter((x): x is NoteRecord => x.k === 'note' && x.what === what);

describe('ScenarioRun: time', () => {
  it('sleep and at advance virtual time; at() into the past is an error naming both instants', () => {
    const seen: number[] = [];
    const r = runInline(solo, (s) => {
      s.sleep('1500ms');
      seen.push(s.now);
      s.at('00:00:05');
      seen.push(s.now);
      s.at('00:00:04');
    });
    expect(seen).toEqual([1_500_000, 5_000_000]);
    expect(r.status).toBe('error');
    expect(r.error!.message).toBe('at(00:00:04.000): the scenario is already at 00:00:05.000');
    expect(r.report.endReason).toBe('error');
  });

  it('the cluster starts at time 0 on the first action; nothing runs before', () => {
    const r = runInline(solo, (s) => {
      expect(s.sim.trace.count).toBe(0);
      s.sleep(0);
      expect(s.sim.procs.get('127.0.0.1:6379')!.state).toBe('running');
    });
    expect(r.status).toBe('ok');
    expect(r.sim.trace.header!.topology.nodes.map((n) => n.name)).toEqual(['127.0.0.1:6379']);
  });

  it('--until stops the script without failing it; a script that ends earlier idles until then', () => {
    const r = runInline(solo, (s) => s.sleep('10s'), { until: '3s' });
    expect([r.status, r.report.endReason, r.sim.now]).toEqual(['ok', 'until', 3_000_000]);
    const r2 = runInline(solo, (s) => s.sleep('1s'), { until: '4s' });
    expect([r2.status, r2.report.endReason, r2.sim.now]).toEqual(['ok', 'until', 4_000_000]);
    const r3 = runInline(solo, (s) => void s.waitFor('+never', { timeout: '1m' }), { until: '2s' });
    expect([r3.status, r3.sim.now]).toEqual(['ok', 2_000_000]);
  });
});

describe('ScenarioRun: waitFor', () => {
  it('returns the matching log record; node and match narrow it', () => {
    const r = runInline(solo, (s) => {
      const rec = s.waitFor('Ready to accept connections', { node: '6379', timeout: '1s' }) as LogRecord;
      expect([rec.node, rec.kind, rec.t]).toEqual(['127.0.0.1:6379', 'server', 0]);
      s.sleep('1s');
      s.restart('redis1');
      const again = s.waitFor((x) => x.k === 'log' && x.line.includes('Server initialized'), { timeout: '1s' }) as LogRecord;
      expect(again.t).toBe(1_000_000);
      let n = 0;
      s.waitFor(() => ++n > 3, { timeout: '10s' });
    });
    expect(r.error?.message).toBeUndefined();
  });

  it('a time-out throws a clear message with the time it waited since and the last events', () => {
    const r = runInline(solo, (s) => {
      s.sleep('1s');
      s.kill('6379');
      s.waitFor('+switch-master', { timeout: '2s' });
    });
    expect(r.status).toBe('error');
    expect(r.error!.t).toBe(3_000_000);
    expect(r.error!.message).toBe(
      "waitFor('+switch-master') timed out after 2s (waiting since 00:00:01.000)\n" +
        '  last events:\n' +
        '    00:00:00.000  127.0.0.1:6379  process start\n' +
        '    00:00:01.000  fault kill 127.0.0.1:6379\n' +
        '    00:00:01.000  127.0.0.1:6379  process crash',
    );
    // the error is in the trace, so a replay knows it
    expect(notes(r, 'error')[0]!.data).toEqual({ message: `at 00:00:03.000: ${r.error!.message}` });
  });

  it('time cannot advance inside a predicate', () => {
    const r = runInline(solo, (s) => void s.waitFor(() => s.role('6379') === 'master'));
    expect(r.error!.message).toMatch(/time cannot advance inside a waitFor predicate/);
  });
});

describe('ScenarioRun: expect', () => {
  it('a failure names the scenario time and the last relevant events; the script goes on; status failed', () => {
    let after = false;
    const r = runInline(solo, (s) => {
      s.sleep('2s');
      s.pause('6379');
      s.expect(false, 'the server answers', { node: '6379' });
      s.expectEqual(s.role('6379'), 'paused', 'role of a paused server');
      s.resume('6379');
      after = true;
    });
    expect(after).toBe(true);
    expect(r.status).toBe('failed');
    expect(r.report.summary.expectations).toEqual({ passed: 1, failed: 1 });
    expect(r.run.failures).toEqual([
      'expectation failed at 00:00:02.000: the server answers\n' +
        '  last events:\n' +
        '    00:00:00.000  127.0.0.1:6379  process start\n' +
        '    00:00:02.000  fault pause 127.0.0.1:6379',
    ]);
    expect(notes(r, 'expect').map((n) => (n.data as { ok: boolean }).ok)).toEqual([false, true]);
  });

  it('expectEqual compares by value, a Resp as its JS value', () => {
    const r = runInline(solo, (s) => {
      s.sleep(10);
      s.expectEqual(s.exec('6379', 'SET', 'k', 'v'), 'OK', 'SET');
      s.expectEqual(s.exec('6379', 'RPUSH', 'l', 'a', 'b'), 2, 'RPUSH');
      s.expectEqual(s.exec('6379', 'LRANGE', 'l', 0, -1), ['a', 'b'], 'LRANGE');
      s.expectEqual(s.exec('6379', 'GET', 'nope'), null, 'GET missing');
      s.expectEqual(s.exec('6379', 'GET', 'k'), 'w', 'GET k');
    });
    expect(r.run.failures).toHaveLength(1);
    expect(r.run.failures[0]!.split('\n')[0]).toMatch(/^expectation failed at 00:00:00\.0\d\d: GET k: expected "w", got "v"$/);
  });
});

describe('ScenarioRun: exec, role and faults', () => {
  it('exec authenticates, selects a db, and fails like redis-cli when the node is down', () => {
    const r = runInline(
      () => cluster({ replicas: 0, sentinels: 0, auth: 'pw' }),
      (s: ScenarioRun) => {
        s.sleep(10);
        expect(js(s.exec('6379', { db: 3 }, 'SET', 'k', 'v'))).toBe('OK');
        expect(js(s.exec('6379', 'GET', 'k'))).toBe(null);
        expect(js(s.exec('6379', { db: 3 }, 'GET', 'k'))).toBe('v');
        expect(js(s.exec('6379', { auth: false }, 'GET', 'k'))).toEqual({ err: 'NOAUTH Authentication required.' });
        expect(js(s.exec('6379', { auth: 'wrong' }, 'GET', 'k'))).toEqual({ err: 'WRONGPASS invalid username-password pair or user is disabled.' });
        s.kill('6379');
        expect(() => s.exec('6379', 'PING')).toThrow('Could not connect to Redis at 127.0.0.1:6379: Connection refused');
        expect(s.role('6379')).toBe('down');
        s.restart('6379');
        s.pause('6379');
        expect(() => s.exec('6379', { timeout: '1s' }, 'PING')).toThrow('no reply from 127.0.0.1:6379 to PING within 1s');
        s.resume('6379');
        expect(s.role('6379')).toBe('master');
        s.hostDown('redis1');
        expect(() => s.exec('6379', 'PING')).toThrow('cannot run PING on 127.0.0.1:6379: host redis1 is down');
        expect(s.role('6379')).toBe('down');
      },
    );
    expect(r.error).toBeNull();
  });

  it('nodes are named by ip:port, port or host; ambiguity and unknown names are explained', () => {
    const r = runInline(
      () => cluster({ hostsLayout: 'boxes', replicas: 1, sentinels: 2, quorum: 1 }),
      (s) => {
        expect(s.node('10.0.0.2:6379')).toBe('10.0.0.2:6379');
        expect(s.node('26379') === '10.0.0.1:26379').toBe(false);
        expect(s.host('10.0.0.2:26379')).toBe('n2');
        expect(s.servers).toEqual(['10.0.0.1:6379', '10.0.0.2:6379']);
        expect(s.sentinels).toEqual(['10.0.0.1:26379', '10.0.0.2:26379']);
        expect(s.initialMaster).toBe('10.0.0.1:6379');
      },
    );
    expect(r.error!.message).toBe("'26379' is ambiguous: listens on port 26379 matches 10.0.0.1:26379, 10.0.0.2:26379; name one as ip:port");
    const r2 = runInline(solo, (s) => void s.kill('redis9'));
    expect(r2.error!.message).toBe('unknown node \'redis9\' (nodes: 127.0.0.1:6379; hosts: redis1)');
  });

  it('faults land in the trace with host names; partition takes groups either way; clockJump takes signed durations', () => {
    const r = runInline(
      () => cluster({ hostsLayout: 'boxes', replicas: 2, sentinels: 0 }),
      (s) => {
        s.partition(['10.0.0.1:6379'], ['n2', 'n3']);
        s.partition([['n1', 'n2'], ['n3']]);
        s.block('n1', '6379' === '6379' ? 'n3' : 'n2');
        s.isolate('n2');
        s.heal();
        s.setLink({ latency: '5ms', loss: 0.01 });
        s.setLink('n1', 'n2', { latency: 20 }, { oneWay: true });
        s.clockJump('n1', '-1s');
        s.clockJump('n2', 5000);
        s.hostDown('n3');
        s.hostUp('n3');
      },
    );
    expect(r.error).toBeNull();
    const faults = r.sim.trace.records().filter((x): x is FaultRecord => x.k === 'fault');
    expect(faults.map((f) => [f.fault, f.target ?? null, f.args ?? null])).toEqual([
      ['partition', null, { groups: [['n1'], ['n2', 'n3']] }],
      ['partition', null, { groups: [['n1', 'n2'], ['n3']] }],
      ['block', 'n1', { to: 'n3' }],
      ['isolate', 'n2', null],
      ['heal', null, null],
      ['set-link', null, { latencyMs: 5, loss: 0.01 }],
      ['set-link', 'n1', { to: 'n2', latencyMs: 20, oneWay: true }],
      ['clock-jump', 'n1', { deltaMs: -1000 }],
      ['clock-jump', 'n2', { deltaMs: 5000 }],
      ['host-down', 'n3', null],
      ['host-up', 'n3', null],
    ]);
  });

  it('events() filters by event, node, text and time; notes are recorded', () => {
    const r = runInline(solo, (s) => {
      s.sleep('1s');
      s.restart('6379');
      s.sleep('1s');
      expect(s.events('Ready to accept connections').map((e) => e.t)).toEqual([0, 1_000_000]);
      expect(s.events({ match: 'Ready', since: '500ms' }).map((e) => e.t)).toEqual([1_000_000]);
      expect(s.events({ node: 'redis1', match: /^Server init/ })).toHaveLength(2);
      expect(s.events()).toEqual([]);
      expect(s.events((x) => x.k === 'fault').map((x) => (x as FaultRecord).fault)).toEqual(['restart']);
      s.note('hello');
    });
    expect(notes(r, 'note').map((n) => n.data)).toEqual([{ text: 'hello' }]);
  });
});

describe('runScenario', () => {
  it('same seed ⇒ same trace hash; another seed ⇒ another; the summary can be rebuilt from the trace', () => {
    const go = (seed: number) =>
      runInline(
        () => cluster({ replicas: 1, sentinels: 0, latency: 1, jitter: 0.5 }),
        (s) => {
          s.sleep('3s');
          s.exec('6379', 'SET', 'k', 'v');
          s.kill('6379');
          s.sleep('1s');
        },
        { seed },
      );
    const a = go(7);
    expect(go(7).sha256).toBe(a.sha256);
    expect(go(8).sha256).not.toBe(a.sha256);
    expect(summarizeTrace(a.sim.trace.header!, a.sim.trace.records())).toEqual(a.report);
    expect(a.report.summary.roles).toEqual({ '127.0.0.1:6379': 'down', '127.0.0.1:6380': 'slave' });
  });

  it('history sources and finish hooks feed the client ops of the summary', () => {
    const r = runInline(solo, (s) => {
      s.onFinish(() => s.exec('6379', 'PING'));
      s.addHistorySource({ clientOps: () => ({ ok: 3, failed: 1, unknown: 2, lostAcknowledged: 1 }) });
      s.addHistorySource({ clientOps: () => ({ ok: 1, failed: 0, unknown: 0, lostAcknowledged: 0 }) });
    });
    expect(r.report.hasClients).toBe(true);
    expect(r.report.summary.clientOps).toEqual({ ok: 4, failed: 1, unknown: 2, lostAcknowledged: 1 });
    expect(runInline(solo, () => {}).report.hasClients).toBe(false);
  });
});
