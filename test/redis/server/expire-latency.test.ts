// The expiry latency events (expire-del, expire-cycle) and the busy time of freeing a big expired value
// (server/free-cost.ts, server/expire-latency.ts), as latency-monitor.tcl's "LATENCY of expire events".
import { describe, expect, it } from 'vitest';
import { freeCostUs, freeEffort } from '../../../engine/redis/server/free-cost.ts';
import { js, ReplWorld } from '../replication/world.ts';

function bigSet(n: number): Set<string> {
  const s = new Set<string>();
  for (let i = 0; i < n; i++) s.add(String(i));
  return s;
}

function world(conf = '') {
  const w = new ReplWorld();
  const a = w.server('a', '10.0.0.1', 7001, conf);
  w.start('a');
  w.run(100);
  return { w, a, c: w.client(a) };
}

const events = (latest: unknown) => (latest as unknown[][]).map((e) => [e[0], e[2]]);

describe('free cost model', () => {
  it('charges big encodings per allocation, nothing for one-allocation values', () => {
    expect(freeCostUs({ type: 'string', v: 'x'.repeat(1000) })).toBe(0);
    expect(freeCostUs({ type: 'set', v: new Set(['1', '2', '3']) })).toBe(0); // intset
    const big = { type: 'set' as const, v: bigSet(100_000) };
    expect(freeEffort(big)).toBe(100_000);
    expect(freeCostUs(big)).toBe(8_000);
    expect(freeCostUs({ type: 'hash', v: new Map([...big.v].map((m) => [m, m])) })).toBe(12_000);
  });
});

describe('LATENCY: expire events', () => {
  it('the active expire cycle freeing a 1M-member set reports expire-del and expire-cycle and blocks the server', () => {
    const { w, a, c } = world();
    c.q('config', 'set', 'latency-monitor-threshold', '20');
    a.server().ks.db(0).set('mybigkey', { type: 'set', v: bigSet(1_000_000) });
    expect(c.q('scard', 'mybigkey')).toBe(1_000_000);
    c.q('pexpire', 'mybigkey', '50');
    w.until(() => a.server().busy, '2s', 'the expire cycle');
    const t0 = w.sim.now;
    const r = c.cmd('dbsize');
    expect(js(r)).toBe(0);
    const waited = (w.sim.now - t0) / 1000;
    expect(waited).toBeGreaterThan(70); // the PING-like DBSIZE waited for the free
    const ev = events(c.q('latency', 'latest'));
    expect(ev).toContainEqual(['expire-cycle', 80]);
    expect(ev).toContainEqual(['expire-del', 80]);
    const info = js(c.cmd('info', 'stats')) as string;
    expect(info).toMatch(/expire_cycle_cpu_milliseconds:80\r\n/);
  });

  it('lazyfree-lazy-expire frees a big value in the background: no event', () => {
    const { w, a, c } = world('lazyfree-lazy-expire yes\n');
    c.q('config', 'set', 'latency-monitor-threshold', '1');
    a.server().ks.db(0).set('mybigkey', { type: 'set', v: bigSet(100_000) });
    c.q('pexpire', 'mybigkey', '10');
    w.run(500);
    expect(c.q('dbsize')).toBe(0);
    expect(c.q('latency', 'latest')).toEqual([]);
  });

  it('small keys expire without busy time', () => {
    const { w, a, c } = world();
    for (let i = 0; i < 50; i++) c.q('set', `k${i}`, 'v', 'px', '10');
    const before = a.server().busyUntil;
    w.run(1000);
    expect(c.q('dbsize')).toBe(0);
    expect(a.server().busyUntil).toBe(before);
  });
});
