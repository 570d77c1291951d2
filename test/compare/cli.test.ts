// `sentinel-sim compare` as a process: simulated only (--repeats 0: the real column "—"), against recorded
// real runs (--real-from), --json, usage errors (status 2).
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli-process.ts';

const tmp = mkdtempSync(join(tmpdir(), 'sentinel-sim-compare-cli-'));

describe('sentinel-sim compare', () => {
  it('tutorial-failover --seeds 3 --repeats 0: simulated only, the real column "—", progress on stderr, status 0', async () => {
    const json = join(tmp, 'sim.json');
    const r = await cli(['compare', 'tutorial-failover', '--seeds', '3', '--repeats', '0', '--json', json]);
    expect(r.stderr.split('\n').filter((l) => l).map((l) => l.replace(/ in [\d.]+ s \(ok\)$/, ''))).toEqual([
      'sentinel-sim: compare: simulated seed 1 (1/3)',
      'sentinel-sim: compare: simulated seed 2 (2/3)',
      'sentinel-sim: compare: simulated seed 3 (3/3)',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('compare tutorial-failover: 3 simulated seeds (1, 2, 3) vs no real runs');
    const head = lines.find((l) => l.trimStart().startsWith('milestone'))!;
    const col = head.indexOf('real (0)');
    const rows = lines.filter((l) => /^ {2}[+-]|^ {2}heal/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(16);
    for (const row of rows) expect(row.slice(col, col + 1)).toBe('—');
    expect(r.stdout).toContain('result: every verdict holds');
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    expect(doc).toMatchObject({ format: 'sentinel-sim-compare', scenario: 'tutorial-failover', realSource: 'none', ok: true });
    expect(doc.runs).toHaveLength(3);
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--real-from a recorded results file: compared with real Redis 7.0.15', async () => {
    const r = await cli(['compare', 'tutorial-failover', '--seeds', '2', '--real-from', 'test/fixtures/oracle/results/seed-exact.json', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('compare tutorial-failover: 2 simulated seeds (1, 2) vs 2 real runs (recorded: test/fixtures/oracle/results/seed-exact.json, Redis 7.0.15)');
    expect(r.stdout).toContain('  ✓ same promoted replica: simulated 127.0.0.1:8003 ×2; real 127.0.0.1:8003 ×2');
    expect(r.stdout).toContain('  ✓ same epochs (final current and config epoch per Sentinel): current 8395, config 8395 on every Sentinel of every run');
  });

  it('usage errors: status 2, one line and the hint; no JSON written', async () => {
    const json = join(tmp, 'never.json');
    for (const args of [
      ['--seeds', '0'],
      ['--repeats', 'x'],
      ['--repeats', '1', '--real-from', 'test/fixtures/oracle/results/seed-exact.json'],
    ]) {
      const r = await cli(['compare', 'tutorial-failover', ...args, '--json', json]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0], args.join(' ')).toMatch(/^sentinel-sim: /);
      expect(r.stdout).toBe('');
    }
    const missing = await cli(['compare', 'no-such-scenario', '--repeats', '0']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^sentinel-sim: cannot open scenario 'no-such-scenario'/);
    expect(existsSync(json)).toBe(false);
  });
});
