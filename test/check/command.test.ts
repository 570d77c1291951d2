// checkCommand in-process: the time budget stops starting runs, options are validated, and the known
// failures are printed as demonstrations while the check still passes.
import { describe, expect, it } from 'vitest';
import { checkCommand, parseShard, resolveOptions, shardSeeds } from '../../bin/check/index.ts';

function capture(stepMs: number) {
  const out: string[] = [];
  const err: string[] = [];
  let t = 0;
  return {
    out,
    err,
    io: {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      // every reading of the clock advances it: a deterministic wall clock for the budget
      now: () => (t += stepMs),
    },
  };
}

describe('checkCommand', () => {
  it('stops starting runs once the time budget is spent, and says so', async () => {
    const c = capture(10_000);
    const code = await checkCommand({ runs: 20, workers: 0, schedule: '10s', timeBudget: '30s', known: false, property: 'election-safety' }, c.io);
    expect(code).toBe(0);
    const head = c.out.find((l) => / run\(s\) in /.test(l))!;
    const m = /^(\d+) run\(s\) in .* stopped by the time budget after \1 of 20$/.exec(head);
    expect(m, head).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![1])).toBeLessThan(20);
  });

  it('prints the known failures whose property is checked, as demonstrations that do not fail the check', async () => {
    const c = capture(1);
    const code = await checkCommand({ runs: 1, seed: 6, workers: 0, property: 'data' }, c.io);
    expect(code).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/known failures \(documented demonstrations of Sentinel weaknesses, not failures of the check\):/);
    expect(text).toMatch(/ {2}lost-writes-isolated-master \(property data, seed 2013\): \d+ of \d+ acknowledged writes lost/);
    expect(text).toMatch(/ {2}empty-master-restart-wipes-replicas .*: \d+ of \d+ acknowledged writes lost/);
    expect(text).toMatch(/ {2}spurious-failover-after-switch .*: \d+ of \d+ acknowledged writes lost/);
    expect(text).toMatch(/every property held$/);
  });

  it('validates and splits the seed range', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('0/3')).toThrow(/--shard must be i\/n/);
    expect(shardSeeds(10, 7, { index: 2, count: 3 })).toEqual([11, 14]);
    const all = [1, 2, 3].flatMap((i) => shardSeeds(10, 7, { index: i, count: 3 })).sort((a, b) => a - b);
    expect(all).toEqual([10, 11, 12, 13, 14, 15, 16]);
    expect(resolveOptions({ timeBudget: '1m' }).timeBudgetMs).toBe(60_000);
    expect(() => resolveOptions({ workers: -1 })).toThrow(/--workers must be an integer ≥ 0/);
    expect(() => resolveOptions({ schedule: '2s' })).toThrow(/--schedule must be at least 5s/);
    expect(resolveOptions({ property: 'x' }, ['x']).properties).toEqual(['x']);
  });
});
