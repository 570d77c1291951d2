// The fidelity page's verdicts stay true: every built-in scenario with real runs saved by `npm run fidelity`
// (test/fixtures/real-runs/<scenario>/real-N.json, recorded from redis-server 7.0.15) is compared again with
// the simulator as it is now. A scenario whose verdicts all held when the page was generated must still hold:
// a change of the engine that moves a milestone out of the real band fails here, without real Redis.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runComparison } from '../../bin/compare/index.ts';
import { renderComparison } from '../../bin/compare/render.ts';
import { ROOT } from '../support/cli-process.ts';

const DIR = join(ROOT, 'test', 'fixtures', 'real-runs');
const verdicts: Record<string, { ok: boolean | null; seeds: number }> = existsSync(join(DIR, 'verdicts.json'))
  ? JSON.parse(readFileSync(join(DIR, 'verdicts.json'), 'utf8'))
  : {};
const held = Object.entries(verdicts).filter(([name, v]) => v.ok === true && existsSync(join(DIR, name)));

describe('docs/fidelity.md: scenarios that agree with real Redis keep agreeing', () => {
  it('has saved real runs for the scenarios the page judged', () => {
    expect(held.length).toBeGreaterThan(0);
    for (const [name] of held) expect(readdirSync(join(DIR, name)).filter((f) => /^real-\d+\.json$/.test(f)).length).toBeGreaterThanOrEqual(1);
  });

  for (const [name, v] of held) {
    it(`${name}: every verdict holds (${v.seeds} simulated seeds vs the saved real runs)`, async () => {
      const { comparison } = await runComparison(name, { seeds: v.seeds, realRuns: join(DIR, name), quiet: true });
      const failed = renderComparison(comparison).filter((l) => l.includes('✗'));
      expect(failed).toEqual([]);
      expect(comparison.ok).toBe(true);
    }, 120_000);
  }
});
