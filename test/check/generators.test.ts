// The generators (engine/check/property/generators.ts): topologies within their documented ranges, fault
// schedules sorted in time, each fault before the quiet period, and every target a host of the case.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseHosts, describeCase, type Step } from '../../engine/check/property/case.ts';
import { caseArb, caseForSeed, scheduleSteps, topologyArb } from '../../engine/check/property/generators.ts';

const targetsOf = (s: Step): string[] => {
  switch (s.op) {
    case 'partition':
      return s.groups.flat();
    case 'block':
      return [s.from, s.to];
    case 'heal':
      return [];
    case 'link':
      return [s.a, s.b];
    default:
      return [s.target];
  }
};

describe('generators', () => {
  it('topologies: 1–5 replicas, 1–7 Sentinels, a quorum they can reach, one priority per server', () => {
    fc.assert(
      fc.property(topologyArb, (t) => {
        expect(t.replicas).toBeGreaterThanOrEqual(1);
        expect(t.replicas).toBeLessThanOrEqual(5);
        expect(t.sentinels).toBeGreaterThanOrEqual(1);
        expect(t.sentinels).toBeLessThanOrEqual(7);
        expect(t.quorum).toBeGreaterThanOrEqual(1);
        expect(t.quorum).toBeLessThanOrEqual(t.sentinels);
        expect(t.priorities).toHaveLength(t.replicas + 1);
        expect(t.minReplicasToWrite).toBeLessThanOrEqual(t.replicas);
        expect(t.parallelSyncs).toBeLessThanOrEqual(t.replicas);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('schedules: sorted, inside the schedule, on hosts of the case, ending in a quiet period', () => {
    fc.assert(
      fc.property(caseArb({ scheduleMs: 60_000 }), (c) => {
        expect(c.quietAtMs).toBe(60_000);
        const h = caseHosts(c.topology, c.workload);
        const hosts = new Set([...h.servers, ...h.sentinels, ...h.clients]);
        let prev = 0;
        for (const s of c.steps) {
          expect(s.at).toBeGreaterThanOrEqual(prev);
          expect(s.at).toBeLessThan(c.quietAtMs);
          prev = s.at;
          for (const t of targetsOf(s)) expect(hosts.has(t) || /^master(#\d+)?$/.test(t), `${t} in ${describeCase(c).join('\n')}`).toBe(true);
        }
        expect(describeCase(c).at(-1)).toMatch(/quiet period: heal everything$/);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('reaches every kind of fault, and cases without faults', () => {
    const ops = new Set<string>();
    let none = 0;
    for (const c of fc.sample(caseArb(), { seed: 3, numRuns: 400 })) {
      if (c.steps.length === 0) none++;
      for (const s of c.steps) ops.add(s.op);
    }
    expect([...ops].sort()).toEqual(['block', 'clock-jump', 'heal', 'host-down', 'host-up', 'isolate', 'kill', 'link', 'partition', 'pause', 'restart', 'resume']);
    expect(none).toBeGreaterThan(0);
  });

  it('a fault and its undo name the same master ("master#k"), and Sentinel restarts are generated', () => {
    const t = { replicas: 2, sentinels: 3, quorum: 2, downAfterMs: 5000, failoverTimeoutMs: 10000, parallelSyncs: 1, persistence: 'none' as const, minReplicasToWrite: 0, minReplicasMaxLag: 10, priorities: [100, 100, 100] };
    const w = { clients: 1, rate: 5, timeoutMs: 1000 };
    const crash = scheduleSteps({ shape: 'general', crashAt: 0, episodes: [{ kind: 'crash', start: 100, length: 100, a: 0, b: 0, mask: 0, magnitude: 0 }] }, t, w, 120_000);
    expect(crash.map((s) => `${s.op} ${'target' in s ? s.target : ''}`)).toEqual(['kill master#1', 'restart master#1']);
    const sentinel = scheduleSteps({ shape: 'general', crashAt: 0, episodes: [{ kind: 'crash', start: 100, length: 100, a: 5, b: 0, mask: 0, magnitude: 0 }] }, t, w, 120_000);
    expect(sentinel.map((s) => ('target' in s ? s.target : ''))).toEqual(['sentinel2', 'sentinel2']);
  });

  it('a seed always stands for the same case', () => {
    expect(caseForSeed(42)).toEqual(caseForSeed(42));
    expect(caseForSeed(42)).not.toEqual(caseForSeed(43));
  });
});
