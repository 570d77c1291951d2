// The text table and the JSON of `sentinel-sim compare`, and the real-run path with bin/real's runReal
// replaced: recorded real runs handed back as RealResults, and runners that cannot start.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../bin/compare/compare.ts';
import { runComparison, seedList, writeAtomic } from '../../bin/compare/index.ts';
import { formatBand, renderComparison } from '../../bin/compare/render.ts';
import { CliError } from '../../bin/errors.ts';
import type { RealResult } from '../../bin/real/types.ts';
import { asRealResult, seedExactReal, simRun, tutorialParams } from './fixtures.ts';

const tmp = mkdtempSync(join(tmpdir(), 'sentinel-sim-compare-'));

describe('the table', () => {
  it('shows bands, windows, verdicts and the windows\' reasons; the real column "—" without real runs', async () => {
    const sim = await Promise.all(['1', '2', '3'].map(simRun));
    const c = compareRuns({ scenario: 'tutorial-failover', params: await tutorialParams(), sim, real: [], realSource: 'none' });
    const lines = renderComparison(c);
    expect(lines[0]).toBe('compare tutorial-failover: 3 simulated seeds (1, 2, 3) vs no real runs');
    expect(lines).toContain('after fault 1: kill 127.0.0.1:7003 (master then: 127.0.0.1:7003) — ms after the fault, min–max (median)');
    const head = lines.findIndex((l) => l.trimStart().startsWith('milestone'));
    expect(lines[head]).toMatch(/^ {2}milestone +simulated \(3\) +real \(0\) +Redis window +verdict$/);
    const rows = lines.slice(head + 1, lines.findIndex((l, i) => i > head && /^ {2}(✓|✗|n\/a) /.test(l)));
    expect(rows.length).toBe(c.segments[0]!.rows.length);
    // the columns line up: "real" starts at the same place on every row, and holds "—"
    const col = lines[head]!.indexOf('real (0)');
    for (const r of rows) expect(r.slice(col, col + 1)).toBe('—');
    const sdown = rows.find((r) => r.includes('+sdown master 127.0.0.1:26371'))!;
    expect(sdown).toMatch(/fault \+1500…2700 \[1\] +✓ window$/);
    expect(rows.find((r) => r.includes('heal: restart 127.0.0.1:7003'))).toMatch(/8000 +— +n\/a \(set by the script\)$/);
    expect(lines).toContain('  n/a same promoted replica: simulated 127.0.0.1:8003 ×3; no real runs');
    expect(lines.some((l) => l.startsWith('  [1] sentinelCheckSubjectivelyDown: +sdown once now − act_ping_time > down-after-milliseconds'))).toBe(true);
    expect(lines[lines.length - 1]).toBe('result: every verdict holds');
  });

  it('with real runs: the real band beside the simulated one, ✓ / ✗ marks, the failure count', async () => {
    const sim = await simRun('1');
    const real = await seedExactReal();
    const c = compareRuns({ scenario: 'tutorial-failover', params: await tutorialParams(), sim: [sim], real, realSource: 'recorded: seed-exact.json' });
    const lines = renderComparison(c);
    expect(lines[0]).toBe('compare tutorial-failover: 1 simulated seed (1) vs 2 real runs (recorded: seed-exact.json, Redis 7.0.15)');
    expect(lines.find((l) => l.includes('+elected-leader '))).toMatch(/\+elected-leader +\d{4} +1636–1675 \(1656\) +leader's \+try-failover \+0…100 \[\d+\] +✓ (window|band ±50 ms)$/);
    expect(lines).toContain('  ✓ same promoted replica: simulated 127.0.0.1:8003 ×1; real 127.0.0.1:8003 ×2');
    const bad = compareRuns({ scenario: 't', params: await tutorialParams(), sim: [{ ...sim, report: { ...sim.report, summary: { ...sim.report.summary, masters: {} } } }], real, realSource: 'x' });
    const text = renderComparison(bad);
    expect(text).toContain('  ✗ same final master on every Sentinel: simulated none ×3; real 127.0.0.1:8003 ×6 (Sentinels of one run disagree)');
    expect(text[text.length - 1]).toBe('result: 1 verdict failed');
  });

  it('final master: each simulated outcome must be one real Redis reached (replicas that tie are picked by run id)', async () => {
    const sim = await simRun('1');
    const real = await seedExactReal();
    const other = (r: typeof sim) => ({ ...r, report: { ...r.report, summary: { ...r.report.summary, masters: Object.fromEntries(Object.keys(r.report.summary.masters).map((k) => [k, '127.0.0.1:7003'])) } } });
    const mixed = compareRuns({ scenario: 't', params: await tutorialParams(), sim: [sim], real: [real[0]!, other(real[1]!)], realSource: 'x' });
    expect(renderComparison(mixed)).toContain('  ✓ same final master on every Sentinel: simulated 127.0.0.1:8003 ×3; real 127.0.0.1:8003 ×3, 127.0.0.1:7003 ×3');
    const never = compareRuns({ scenario: 't', params: await tutorialParams(), sim: [other(sim)], real, realSource: 'x' });
    expect(renderComparison(never)).toContain('  ✗ same final master on every Sentinel: simulated 127.0.0.1:7003 ×3; real 127.0.0.1:8003 ×6');
  });

  it('formats bands: one value, a range with its median, runs that missed it', () => {
    expect(formatBand({ n: 0, of: 3, min: null, max: null, median: null, values: [null, null, null] })).toBe('—');
    expect(formatBand({ n: 2, of: 2, min: 8000.2, max: 7999.9, median: 8000, values: [] })).toBe('8000');
    expect(formatBand({ n: 2, of: 3, min: 1553.4, max: 1642, median: 1600.5, values: [] })).toBe('1553–1642 (1601) [2/3]');
  });
});

describe('the JSON', () => {
  it('is the comparison, written atomically (no temporary file left)', async () => {
    const sim = await Promise.all(['1', '2'].map(simRun));
    const c = compareRuns({ scenario: 'tutorial-failover', params: await tutorialParams(), sim, real: await seedExactReal(), realSource: 'oracle' });
    const file = join(tmp, 'out.json');
    writeAtomic(file, JSON.stringify(c, null, 2) + '\n');
    const back = JSON.parse(readFileSync(file, 'utf8'));
    expect(back).toEqual(JSON.parse(JSON.stringify(c)));
    expect(back).toMatchObject({ format: 'sentinel-sim-compare', version: 1, scenario: 'tutorial-failover', ok: true, failed: 0, redisVersion: '7.0.15' });
    expect(back.runs.map((r: { label: string }) => r.label)).toEqual(['seed 1', 'seed 2', 'real 1', 'real 2']);
    expect(back.runs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const elected = back.segments[0].rows.find((r: { key: string }) => r.key === 'elected-leader');
    expect(elected.real).toMatchObject({ n: 2, of: 2, min: 1636, max: 1675, values: [1675, 1636] });
    expect(elected.window.reasons[0]).toMatch(/^sentinelFailoverWaitStart/);
    expect(readdirSync(tmp)).toEqual(['out.json']);
    expect(() => writeAtomic(join(tmp, 'no-such-dir', 'x.json'), '{}')).toThrow(CliError);
  });
});

describe('real runs through runReal', () => {
  it('runs M real runs after the N seeds and compares them', async () => {
    const recorded = await seedExactReal();
    let i = 0;
    const runReal = async (): Promise<RealResult> => asRealResult(recorded[i++ % recorded.length]!);
    const { comparison: c } = await runComparison('tutorial-failover', { seeds: 2, repeats: 2, quiet: true }, undefined, runReal);
    expect(i).toBe(2);
    expect(c.realSource).toBe('redis-server');
    expect(c.redisVersion).toBe('7.0.15');
    expect(c.runs.map((r) => `${r.kind} ${r.label}`)).toEqual(['sim seed 1', 'sim seed 2', 'real real 1', 'real real 2']);
    expect(c.ok).toBe(true);
  });

  it('a real run that cannot start is an error with exit status 2', async () => {
    const noServer = async (): Promise<RealResult> => {
      throw new Error('redis-server not found (install Redis 7.0.15 or put it on PATH)');
    };
    const e = await runComparison('tutorial-failover', { seeds: 1, repeats: 1, quiet: true }, undefined, noServer).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(2);
    expect((e as CliError).message).toBe('real 1 of 1 failed to start: redis-server not found (install Redis 7.0.15 or put it on PATH)');
    const header = (await simRun('1')).header;
    const nothing = async (): Promise<RealResult> => ({ header, records: [], report: (await simRun('1')).report, status: 'error', skipped: [], redisVersion: '', error: 'spawn redis-server ENOENT' });
    const e2 = await runComparison('tutorial-failover', { seeds: 1, repeats: 1, quiet: true }, undefined, nothing).catch((x: unknown) => x);
    expect(e2).toMatchObject({ exitCode: 2, message: 'real 1 failed to start: spawn redis-server ENOENT' });
  });

  it('seeds: the scenario\'s and the next ones', () => {
    expect(seedList('1', 3)).toEqual(['1', '2', '3']);
    expect(seedList('abc', 3)).toEqual(['abc', 'abc-2', 'abc-3']);
  });
});
