// Workloads and histories: Jepsen 2013 accounting, outcomes under faults, trace notes, determinism.
import { describe, expect, it } from 'vitest';
import { historyFromTrace, summarizeCounter, summarizeHistory, type HistoryEntry, type Outcome } from '../../engine/client/history.ts';
import { addSentinelClient, type SentinelClient } from '../../engine/client/sentinel-client.ts';
import { addWorkload, type WorkloadOptions } from '../../engine/client/workload.ts';
import { formatSetAccounting } from '../../engine/client/apps.ts';
import type { HistorySource } from '../../scenarios/api/run.ts';
import { buildTestCluster, MASTER_NAME, type TestClusterOptions } from './sentinel-client-harness.ts';

const entry = (value: number, outcome: Outcome, client = 'c'): HistoryEntry => ({
  client,
  op: 'sadd',
  key: 'jepsen',
  value,
  invoke: value * 1000,
  complete: outcome === 'unknown' ? null : value * 1000 + 500,
  outcome,
});

describe('summarizeHistory: Jepsen 2013 accounting', () => {
  it("reproduces the paper's table from a hand-made history", () => {
    // 2000 writes; 0 and 1 unacknowledged (time-outs); of the 1998 acknowledged, 1126 missing after the heal
    const h: HistoryEntry[] = [];
    for (let v = 0; v < 2000; v++) h.push(entry(v, v < 2 ? 'unknown' : 'ok', `n${(v % 5) + 1}`));
    const final = [];
    for (let v = 2; v < 2000; v++) if (v >= 1128) final.push(String(v));
    const s = summarizeHistory(h, final);
    expect({ ...s, details: undefined }).toEqual({
      total: 2000,
      acknowledged: 1998,
      survivors: 872,
      lost: 1126,
      unacknowledgedButPresent: 0,
      failed: 0,
      unknown: 2,
      details: undefined,
    });
    expect(s.details.lost).toHaveLength(1126);
    expect(s.details.lost[0]).toBe(2);
    expect(s.details.lost.at(-1)).toBe(1127);
    expect((s.lost / s.acknowledged).toFixed(2)).toBe('0.56');
    expect(formatSetAccounting(s)).toBe(
      '2000 total\n1998 acknowledged\n872 survivors\n1126 acknowledged writes lost (56 %)\n0 unacknowledged but present\n0 failed, 2 unknown',
    );
  });

  it('unacknowledged-but-present, failed-but-present (a violation), unexpected members, other keys and ops', () => {
    const h: HistoryEntry[] = [
      entry(1, 'ok'),
      entry(2, 'ok'),
      entry(3, 'unknown'),
      entry(4, 'unknown'),
      entry(5, 'fail'),
      entry(6, 'fail'),
      { ...entry(7, 'ok'), key: 'other' },
      { ...entry(8, 'ok'), op: 'incr' },
      // a retried value counts once, with its best outcome
      entry(9, 'fail'),
      entry(9, 'ok'),
    ];
    const s = summarizeHistory(h, ['1', '3', '6', '9', '42', 'x', '7'], 'jepsen');
    expect(s).toEqual({
      total: 7,
      acknowledged: 3,
      survivors: 4,
      lost: 1,
      unacknowledgedButPresent: 2,
      failed: 2,
      unknown: 2,
      details: { lost: [2], unacknowledgedButPresent: [3, 6], failedButPresent: [6], unexpected: ['42', '7', 'x'] },
    });
  });

  it('counter accounting: acknowledged ≤ final ≤ acknowledged + unknown', () => {
    const inc = (outcome: Outcome): HistoryEntry => ({ client: 'c', op: 'incr', key: 'n', value: 1, invoke: 0, complete: 1, outcome });
    const h = [inc('ok'), inc('ok'), inc('ok'), inc('unknown'), inc('fail')];
    expect(summarizeCounter(h, 4)).toEqual({ total: 5, acknowledged: 3, failed: 1, unknown: 1, finalValue: 4, lost: 0, unexpected: 0 });
    expect(summarizeCounter(h, 1)).toMatchObject({ lost: 2, unexpected: 0 });
    expect(summarizeCounter(h, 6)).toMatchObject({ lost: 0, unexpected: 2 });
  });
});

function world(opts: TestClusterOptions = {}, clients = 1, clientHosts?: string[]) {
  const c = buildTestCluster(opts);
  const cs: SentinelClient[] = [];
  for (let i = 0; i < clients; i++)
    cs.push(addSentinelClient(c.sim, { host: clientHosts?.[i] ?? `app${i + 1}`, ip: `10.0.3.${i + 1}`, sentinels: c.sentinels, masterName: MASTER_NAME, timeoutMs: 1000, password: opts.password }));
  c.waitSettled();
  return { c, sim: c.sim, clients: cs };
}

describe('set-add workload', () => {
  it('no faults: client i of n adds i, i+n, i+2n… at the rate; every acknowledged write survives', () => {
    const { sim, clients } = world({}, 3);
    const start = Math.ceil(sim.now / 1e6 + 1) * 1000;
    const w = addWorkload(sim, clients, { kind: 'set-add', rate: 20, duration: '2s', start });
    sim.sleep('5s');
    const r = w.finishSync();
    const adds = w.history.filter((e) => e.op === 'sadd');
    expect(adds).toHaveLength(120);
    expect(adds.filter((e) => e.client === 'app2').map((e) => e.value).slice(0, 4)).toEqual([1, 4, 7, 10]);
    expect(adds[0]!.invoke).toBe(start * 1000);
    expect(adds.every((e) => e.outcome === 'ok' && e.reply === '1' && e.complete! > e.invoke)).toBe(true);
    expect(r.accounting).toEqual({
      total: 120,
      acknowledged: 120,
      survivors: 120,
      lost: 0,
      unacknowledgedButPresent: 0,
      failed: 0,
      unknown: 0,
      details: { lost: [], unacknowledgedButPresent: [], failedButPresent: [], unexpected: [] },
    });
    expect(r.final).toHaveLength(120);
    expect(w.clientOps()).toEqual({ ok: 120, failed: 0, unknown: 0, lostAcknowledged: 0 });
    // the trace alone gives the same history (completion order) and the final read
    const fromTrace = historyFromTrace(sim.trace.records());
    const key = (e: HistoryEntry) => `${e.client}/${e.op}/${e.invoke}/${JSON.stringify(e.value)}`;
    expect(fromTrace.map(key).sort()).toEqual(w.history.map(key).sort());
    expect(fromTrace.at(-1)).toMatchObject({ op: 'read-all', outcome: 'ok', reply: '120 members' });
  });

  it('a killed master: ops during the failover fail (never sent) or are unknown; writes resume on the new master', () => {
    const { c, sim, clients } = world({}, 2);
    const w = addWorkload(sim, clients, { kind: 'set-add', rate: 10, duration: '15s' });
    sim.sleep('3s');
    sim.kill(c.master);
    const killedAt = sim.now;
    sim.sleep('14s');
    const r = w.finishSync();
    const after = w.history.filter((e) => e.op === 'sadd' && e.invoke > killedAt);
    const outcomes = new Set(after.map((e) => e.outcome));
    expect(outcomes.has('ok') && outcomes.has('fail')).toBe(true);
    expect(after.filter((e) => e.outcome === 'fail').every((e) => e.reply === 'timeout (not sent: no master)')).toBe(true);
    expect(after.filter((e) => e.outcome === 'unknown').every((e) => e.reply === 'Connection reset by peer')).toBe(true);
    const lastFail = Math.max(...after.filter((e) => e.outcome !== 'ok').map((e) => e.invoke));
    expect(after.filter((e) => e.invoke > lastFail).length).toBeGreaterThan(50);
    for (const cl of clients) expect(c.replicas).toContain(cl.masterAddress);
    const acc = r.accounting as ReturnType<typeof summarizeHistory>;
    // asynchronous replication: at most the writes of the last instant before the crash can be lost
    expect(acc.lost).toBeLessThanOrEqual(2);
    expect(acc.details.failedButPresent).toEqual([]);
    expect(acc.survivors).toBe(acc.acknowledged - acc.lost + acc.unacknowledgedButPresent);
  });

  it('Jepsen 2013: the master and one client cut off with a minority; the majority fails over; acked writes lost after the heal', () => {
    const { c, sim, clients } = world({}, 2, ['app-minority', 'app-majority']);
    const w = addWorkload(sim, clients, { kind: 'set-add', rate: 20, duration: '25s' });
    sim.sleep('2s');
    sim.partition([['m', 's1', 'app-minority'], ['r1', 'r2', 's2', 's3', 'app-majority']]);
    c.waitEvent('+switch-master', '30s');
    sim.sleep('10s');
    sim.heal();
    c.waitEvent('+convert-to-slave', '30s');
    sim.sleep('15s');
    const r = w.finishSync();
    const acc = r.accounting as ReturnType<typeof summarizeHistory>;
    // the minority client wrote to the old master all along: those acknowledged writes are gone
    const lostBy = new Set(acc.details.lost.map((v) => (v % 2 === 0 ? 'app-minority' : 'app-majority')));
    expect(acc.lost).toBeGreaterThan(100);
    expect([...lostBy]).toEqual(['app-minority']);
    expect(acc.details.failedButPresent).toEqual([]);
    expect(acc.details.unexpected).toEqual([]);
    expect(acc.total).toBe(acc.acknowledged + acc.failed + acc.unknown);
    expect(w.clientOps().lostAcknowledged).toBe(acc.lost);
    expect(clients[0]!.masterAddress).toBe(clients[1]!.masterAddress);
    expect(c.replicas).toContain(clients[0]!.masterAddress);
  });

  it('the same with min-replicas-to-write 1, min-replicas-max-lag 10: the old master refuses (-NOREPLICAS) after ~10 s', () => {
    const { c, sim, clients } = world({ serverExtra: 'min-replicas-to-write 1\nmin-replicas-max-lag 10\n' }, 2, ['app-minority', 'app-majority']);
    const w = addWorkload(sim, clients, { kind: 'set-add', rate: 20, duration: '40s' });
    sim.sleep('2s');
    const cutAt = sim.now;
    sim.partition([['m', 's1', 'app-minority'], ['r1', 'r2', 's2', 's3', 'app-majority']]);
    sim.sleep('30s');
    sim.heal();
    c.waitEvent('+convert-to-slave', '30s');
    sim.sleep('15s');
    const r = w.finishSync();
    const acc = r.accounting as ReturnType<typeof summarizeHistory>;
    const minority = w.history.filter((e) => e.client === 'app-minority' && e.invoke > cutAt && e.invoke < cutAt + 30_000_000);
    const refused = minority.filter((e) => e.reply === 'NOREPLICAS Not enough good replicas to write.');
    expect(refused.length).toBeGreaterThan(200);
    expect(refused.every((e) => e.outcome === 'fail')).toBe(true);
    // refusals start once the replicas' last ACK is more than 10 s old (lag is counted in whole seconds)
    const firstRefusal = (refused[0]!.invoke - cutAt) / 1e6;
    expect(firstRefusal).toBeGreaterThan(9);
    expect(firstRefusal).toBeLessThan(12.5);
    // the loss is bounded by the lag window: ~10 s at 20 writes/s, not the whole partition
    expect(acc.lost).toBeGreaterThan(100);
    expect(acc.lost).toBeLessThanOrEqual(12.5 * 20);
  });
});

describe('client processes', () => {
  it('a crashed client: its op in flight stays unknown (complete null); restarted, it resumes with fresh values', () => {
    const { sim, clients } = world({}, 1);
    const w = addWorkload(sim, clients, { kind: 'set-add', rate: 10, duration: '6s', inFlight: 4 });
    // the scenario API sees a HistorySource
    const src: HistorySource = w;
    sim.sleep('1s');
    // a slow link: ops are in flight when the client dies
    sim.setLink('app1', 'm', { latencyMs: 150 });
    sim.sleep('1s');
    sim.kill(clients[0]!.slot.name);
    const inFlightAtCrash = w.history.filter((e) => e.complete === null).length;
    expect(inFlightAtCrash).toBeGreaterThan(0);
    sim.sleep('1s');
    sim.restart(clients[0]!.slot.name);
    sim.sleep('4s');
    const r = w.finishSync();
    const never = w.history.filter((e) => e.complete === null);
    expect(never).toHaveLength(inFlightAtCrash);
    expect(never.every((e) => e.outcome === 'unknown')).toBe(true);
    const values = w.history.filter((e) => e.op === 'sadd').map((e) => e.value);
    expect(new Set(values).size).toBe(values.length);
    expect(r.accounting).toMatchObject({ lost: 0, failed: 0, unknown: inFlightAtCrash });
    expect(src.clientOps()).toMatchObject({ unknown: inFlightAtCrash, failed: 0, lostAcknowledged: 0 });
    // the trace holds them too (noted when the workload finished)
    const traced = historyFromTrace(sim.trace.records()).filter((e) => e.complete === null);
    expect(traced).toHaveLength(inFlightAtCrash);
  });
});

describe('counter and mix workloads', () => {
  it('counter INCRs: the final counter equals the acknowledged increments without faults', () => {
    const { sim, clients } = world({}, 2);
    const w = addWorkload(sim, clients, { kind: 'counter', rate: 50, duration: '1s', keys: ['hits'] });
    sim.sleep('2s');
    const r = w.finishSync();
    expect(r.final).toBe(100);
    expect(r.accounting).toEqual({ total: 100, acknowledged: 100, failed: 0, unknown: 0, finalValue: 100, lost: 0, unexpected: 0 });
    expect(w.history.filter((e) => e.op === 'incr').map((e) => Number(e.reply)).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('read/write mix with exponential inter-arrival times from the client rng', () => {
    const { sim, clients } = world({}, 1);
    const opts: WorkloadOptions = { kind: 'mix', rate: 100, duration: '10s', keys: ['a', 'b', 'c'], exponential: true, readFraction: 0.3 };
    const w = addWorkload(sim, clients, opts);
    sim.sleep('11s');
    const r = w.finishSync();
    const ops = w.history.filter((e) => e.op !== 'read-all');
    // Poisson arrivals at 100/s for 10 s (closed loop: an op in flight delays the next arrival a little)
    expect(ops.length).toBeGreaterThan(850);
    expect(ops.length).toBeLessThan(1100);
    const reads = ops.filter((e) => e.op === 'get').length / ops.length;
    expect(reads).toBeGreaterThan(0.25);
    expect(reads).toBeLessThan(0.35);
    const gaps = ops.slice(1).map((e, i) => e.invoke - ops[i]!.invoke);
    expect(new Set(gaps).size).toBeGreaterThan(100);
    // a GET reads the last value SET on its key (one client, no faults)
    const last: Record<string, string | null> = {};
    for (const e of ops) {
      if (e.op === 'set') last[e.key] = e.value as string;
      else expect(e.value ?? null).toBe(last[e.key] ?? null);
    }
    expect(r.final).toEqual({ a: last.a ?? null, b: last.b ?? null, c: last.c ?? null });
    expect(r.accounting).toBeNull();
  });
});

describe('determinism', () => {
  const runOnce = (seed: string) => {
    const { c, sim, clients } = world({ seed }, 2);
    const w = addWorkload(sim, clients, { kind: 'set-add', rate: 30, duration: '12s', exponential: true });
    sim.sleep('2s');
    sim.kill(c.master);
    sim.sleep('12s');
    w.finishSync();
    return { history: JSON.stringify(w.history), sha: sim.trace.sha256() };
  };

  it('same seed ⇒ same history and trace hash; another seed ⇒ another history', () => {
    const a = runOnce('det-1');
    const b = runOnce('det-1');
    expect(b.history).toBe(a.history);
    expect(b.sha).toBe(a.sha);
    expect(runOnce('det-2').history).not.toBe(a.history);
  });
});
