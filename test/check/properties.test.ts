// Every property over a modest number of generated cases (the same ones `sentinel-sim check --seed 1
// --runs 20` runs), the coverage of that search, and the known-failure demonstrations.
import { beforeAll, describe, expect, it } from 'vitest';
import { Coverage } from '../../engine/check/coverage.ts';
import { describeCase } from '../../engine/check/property/case.ts';
import { caseForSeed } from '../../engine/check/property/generators.ts';
import { KNOWN_FAILURES } from '../../engine/check/property/known.ts';
import { PROPERTIES, runCase, type CaseOutcome } from '../../engine/check/property/run.ts';
import { TRACE_CHECKERS } from '../../engine/check/index.ts';
import { nodeSha256 } from '../../bin/nodeHash.ts';

const RUNS = 20;
const DETERMINISM_EVERY = 5;
const outcomes: CaseOutcome[] = [];

beforeAll(() => {
  for (let seed = 1; seed <= RUNS; seed++) {
    const props = PROPERTIES.filter((p) => p !== 'determinism' || (seed - 1) % DETERMINISM_EVERY === 0);
    outcomes.push(runCase(caseForSeed(seed), { seed: String(seed), properties: props, hasher: nodeSha256 }));
  }
}, 120_000);

function failuresOf(property: string): string[] {
  const out: string[] = [];
  for (const o of outcomes)
    for (const r of o.results)
      if ((r.name === property || r.name === 'run') && !r.ok) out.push([`seed ${o.seed}:`, ...describeCase(o.case).map((l) => `  ${l}`), r.report].join('\n'));
  return out;
}

describe(`every property over ${RUNS} generated cases`, () => {
  it.each(PROPERTIES.map((p) => [p]))('%s holds', (p) => {
    const checked = outcomes.filter((o) => o.results.some((r) => r.name === p)).length;
    expect(checked).toBe(p === 'determinism' ? RUNS / DETERMINISM_EVERY : RUNS);
    expect(failuresOf(p)).toEqual([]);
  });

  it('the search explores failovers, not only quiet runs', () => {
    const cov = new Coverage();
    for (const o of outcomes) cov.add(o.coverage);
    const runs = (e: string) => cov.runs.get(e) ?? 0;
    expect(cov.total).toBe(RUNS);
    for (const e of ['+sdown', '+odown', '+try-failover', '+elected-leader', '+failover-end', '+switch-master', '+convert-to-slave']) expect(runs(e), e).toBeGreaterThan(0);
    expect(runs('+failover-end')).toBeLessThan(RUNS);
    expect(cov.lines()[0]).toMatch(/^event \(runs reaching it\)\s+runs\s+of all$/);
  });

  it('runs with clients are accounted Jepsen style (total, acknowledged, lost)', () => {
    const withData = outcomes.map((o) => o.results.find((r) => r.name === 'data')!).filter((r) => r.figures?.class !== 'none');
    expect(withData.length).toBeGreaterThan(RUNS / 2);
    for (const r of withData) {
      expect(r.figures).toMatchObject({ acknowledged: expect.any(Number), lost: expect.any(Number) });
      expect(r.report).toMatch(/class (no-faults|clean-master-crash|min-replicas-window|faults): /);
    }
  });
});

describe('known failures (documented demonstrations, never failures)', () => {
  const reported = KNOWN_FAILURES.filter((k) => k.violates === undefined);
  const flagged = KNOWN_FAILURES.filter((k) => k.violates !== undefined);

  it.each(reported.map((k) => [k.name, k]))('%s shows lost acknowledged writes, reported and not judged', (_, k) => {
    expect(Object.keys(TRACE_CHECKERS)).toContain(k.property);
    const o = runCase(k.case, { seed: String(k.seed), name: `known-${k.name}`, properties: [k.property, 'convergence'], hasher: nodeSha256 });
    const data = o.results.find((r) => r.name === k.property)!;
    expect(data.ok, data.report).toBe(true);
    expect(['faults', 'min-replicas-window']).toContain(data.figures?.class);
    expect(Number(data.figures?.lost)).toBeGreaterThan(0);
    expect(o.results.find((r) => r.name === 'convergence')!.ok).toBe(true);
  });

  // Real Redis 7.0.15 behaviour that a property's rule, stricter than Redis, reports (docs/triage.md): the
  // demonstration keeps both the loss and the flagged violation visible, so a change of either shows here.
  it.each(flagged.map((k) => [k.name, k]))('%s shows lost acknowledged writes and the behaviour its property flags', (_, k) => {
    expect(Object.keys(TRACE_CHECKERS)).toContain(k.property);
    expect(Object.keys(TRACE_CHECKERS)).toContain(k.violates);
    const props = [...new Set([k.property, k.violates!, 'convergence'])];
    const o = runCase(k.case, { seed: String(k.seed), name: `known-${k.name}`, properties: props, hasher: nodeSha256 });
    const data = o.results.find((r) => r.name === k.property)!;
    expect(Number(data.figures?.lost)).toBeGreaterThan(0);
    const judged = o.results.find((r) => r.name === k.violates)!;
    expect(judged.ok, judged.report).toBe(false);
    expect(o.results.find((r) => r.name === 'convergence')!.ok).toBe(true);
  });

  it('min-replicas-counts-unreached-replica: writes accepted 3-5 s into the partition, after the transfer put the replica online', () => {
    const k = KNOWN_FAILURES.find((x) => x.name === 'min-replicas-counts-unreached-replica')!;
    const o = runCase(k.case, { seed: String(k.seed), name: `known-${k.name}`, properties: ['data'], hasher: nodeSha256 });
    const data = o.results.find((r) => r.name === 'data')!;
    expect(data.figures).toMatchObject({ class: 'min-replicas-window', lost: 19 });
    // each lost write was acknowledged within L + 2 s of the replica being put online: Redis's rule, allowed
    expect(data.ok, data.report).toBe(true);
    const log = o.records.filter((r) => r.k === 'log').map((r) => `${(r as { line: string }).line}`);
    expect(log).toContain('Synchronization with replica 127.0.0.1:6380 succeeded');
  });

  it('priority-zero-old-master-promoted: the old master, priority 0, is selected and promoted once the partition heals', () => {
    const k = KNOWN_FAILURES.find((x) => x.name === 'priority-zero-old-master-promoted')!;
    const o = runCase(k.case, { seed: String(k.seed), name: `known-${k.name}`, properties: ['priority-zero'], hasher: nodeSha256 });
    const r = o.results.find((x) => x.name === 'priority-zero')!;
    // Redis 7.0.15 cannot know its 0 (a master's INFO has no slave_priority line): allowed, and counted
    expect(r.ok, r.report).toBe(true);
    expect(r.report).toMatch(/2 of a priority-0 server not a replica since its record was re-created/);
    const events = o.records.filter((x) => x.k === 'log' && (x as { event: string | null }).event !== null).map((x) => (x as { line: string }).line);
    expect(events).toContain('+selected-slave slave 127.0.0.1:6379 127.0.0.1 6379 @ mymaster 127.0.0.1 6381');
    expect(events).toContain('+promoted-slave slave 127.0.0.1:6379 127.0.0.1 6379 @ mymaster 127.0.0.1 6381');
  });
});
