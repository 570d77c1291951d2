// The growth and memory bench figures (issue 19 items 4–5): the exponent fit on synthetic data, the
// deployment the curves measure, and each figure function on its smallest size (timings are not checked).
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../engine/trace/types.ts';
import type { SentinelProcess } from '../../engine/sentinel/index.ts';
import { deployment, deploymentConfigs, fittedExponent, measureCurve, SETTLE_US, stepExponents } from '../../bench/growth.ts';
import { idleHeap, linearSlope, mastersPeak, resyncPeak } from '../../bench/memory.ts';

describe('fittedExponent', () => {
  it('recovers the exponent of a power law', () => {
    for (const k of [0.5, 1, 1.5, 2, 3]) {
      const pts = [1, 10, 100, 1000].map((x) => ({ x, y: 7 * x ** k }));
      expect(fittedExponent(pts)).toBeCloseTo(k, 10);
    }
    expect(fittedExponent([3, 5, 9, 15].map((x) => ({ x, y: 42 })))).toBeCloseTo(0, 10);
  });

  it('is the least-squares slope when the points are not on one line', () => {
    // log-log points (0,0), (1,1), (2,3): slope 1.5 by hand
    const pts = [0, 1, 2].map((lx, i) => ({ x: Math.exp(lx), y: Math.exp([0, 1, 3][i]!) }));
    expect(fittedExponent(pts)).toBeCloseTo(1.5, 10);
  });

  it('shows a super-linear step between neighbouring sizes', () => {
    const steps = stepExponents([
      { x: 1, y: 2 },
      { x: 10, y: 20 },
      { x: 100, y: 2000 },
    ]);
    expect(steps[0]).toBeCloseTo(1, 10);
    expect(steps[1]).toBeCloseTo(2, 10);
  });

  it('linearSlope: bytes per hour of a line', () => {
    expect(linearSlope([1, 2, 3, 4].map((x) => ({ x, y: 5 + 7 * x })))).toBeCloseTo(7, 10);
    expect(linearSlope([1, 2, 3].map((x) => ({ x, y: 9 })))).toBe(0);
  });
});

describe('the measured deployments', () => {
  it('every Sentinel monitors every master, its replicas and the other Sentinels, with no discovery left to do', () => {
    const d = { masters: 3, replicas: 2, sentinels: 3 };
    const cfg = deploymentConfigs(d);
    expect(cfg.servers).toHaveLength(9);
    expect(cfg.sentinels).toHaveLength(3);
    const sim = deployment(d, 'growth-test');
    sim.startAll();
    sim.run({ until: SETTLE_US });
    const logs = sim.trace.records().filter((r): r is LogRecord => r.k === 'log');
    expect(logs.filter((r) => r.event === '+monitor')).toHaveLength(9);
    // the configs already know every replica and Sentinel (as after a first start): nothing to discover
    expect(logs.filter((r) => r.event === '+slave' || r.event === '+sentinel' || r.event === '+sdown')).toHaveLength(0);
    for (let s = 0; s < 3; s++) {
      const view = (sim.proc(`10.2.0.${s + 1}:26379`).instance as SentinelProcess).snapshot();
      expect(view.masters).toHaveLength(3);
      for (const m of view.masters) {
        expect(m.flags).toBe('master');
        expect(m.replicas.map((r) => r.flags)).toEqual(['slave', 'slave']);
        expect(m.sentinels.map((o) => o.flags)).toEqual(['sentinel', 'sentinel']);
      }
    }
    // each replica is linked to its master
    expect(logs.filter((r) => r.line.includes('MASTER <-> REPLICA sync: Finished with success'))).toHaveLength(6);
  });
});

describe('figure functions on their smallest size', () => {
  it('growth curves', () => {
    for (const [which, sizes] of [
      ['masters', [1, 2]],
      ['sentinels', [3, 5]],
      ['replicas', [1, 2]],
      ['resync', [100, 1000]],
    ] as const) {
      const [f, step] = measureCurve(which, false, [...sizes]);
      expect(f!.name).toMatch(/^growth-.*-exponent$/);
      expect(Number.isFinite(f!.value)).toBe(true);
      expect(f!.unit).toContain(`${sizes[1]}: `);
      expect(f!.unit).toMatch(/load \d/);
      // two sizes: the one step is the fitted exponent
      expect(step!.name).toBe(f!.name.replace(/-exponent$/, '-max-step'));
      expect(step!.value).toBeCloseTo(f!.value, 1);
    }
  });

  it('memory figures', () => {
    const m = mastersPeak(2, 1);
    expect(m.name).toBe('memory-2-masters-peak-rss-mb');
    expect(m.value).toBeGreaterThan(0);
    const r = resyncPeak(1000);
    expect(r.value).toBeGreaterThan(0);
    const idle = idleHeap(2);
    expect(idle.samples).toHaveLength(2);
    expect(idle.samples.every((b) => b > 0)).toBe(true);
    expect(idle.figure.target).toMatch(/^< \d+/);
  });
});
