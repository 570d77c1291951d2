// `sentinel-sim compare` with real processes (issue 14, CI): the tutorial failover on simulated seeds and one
// run on real redis-server 7.0.15, every verdict holding. Needs redis-server: skipped outside CI when it is
// missing (the reason is in the test name), failed under CI=true. About 40 s of real time.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { cli, needs, redisMissing } from '../support/cli-process.ts';

const tmp = mkdtempSync(join(tmpdir(), 'sentinel-sim-compare-real-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('sentinel-sim compare on real Redis', () => {
  const missing = redisMissing();
  const name = 'tutorial-failover: 2 simulated seeds vs 1 real run, every verdict holds';
  const body = async () => {
    const json = join(tmp, 'cmp.json');
    const r = await cli(['compare', 'tutorial-failover', '--seeds', '2', '--repeats', '1', '--json', json]);
    expect(r.stderr).toMatch(/real 1 of 1: done in [\d.]+ s \(ok\)/);
    expect(r.stdout).toContain('result: every verdict holds');
    expect(r.code).toBe(0);
    const c = JSON.parse(readFileSync(json, 'utf8')) as { ok: boolean };
    expect(c.ok).toBe(true);
    expect(r.stdout).toMatch(/✓ same promoted replica: simulated 127\.0\.0\.1:8003 ×2; real 127\.0\.0\.1:8003 ×1/);
  };
  needs(missing, name, body, 240_000);
});
