// check --confirm-real without real Redis: confirmOnReal judges each replay with the property's checker (here
// the "real" runs are simulator traces handed in through an injected runReal), the verdict counts them, and the
// evidence block goes into the repro file's header (replaced, not repeated, on a second confirmation). The
// real replays themselves are tested in test/real/confirm.test.ts.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confirmOnReal, evidenceLines, writeConfirmation } from '../../bin/check/confirm.ts';
import { checkCommand } from '../../bin/check/index.ts';
import type { RealResult } from '../../bin/real/types.ts';
import { KNOWN_FAILURES } from '../../engine/check/property/known.ts';
import { reproName } from '../../engine/check/property/repro.ts';
import { caseScenario } from '../../engine/check/property/run.ts';
import { runScenario } from '../../scenarios/api/index.ts';
import { summarizeTrace } from '../../scenarios/api/summary.ts';

const known = (name: string) => KNOWN_FAILURES.find((k) => k.name === name)!;

/** A simulator run of a known failure's case, shaped as a real run's result. */
function simAsReal(name: string, seed?: number): RealResult {
  const k = known(name);
  const property = k.violates ?? k.property;
  const r = runScenario(caseScenario(k.case, { name: `check-${reproName(property, k.seed)}`, seed: String(seed ?? k.seed), properties: [] }));
  const header = r.sim.trace.header!;
  const records = r.sim.trace.records();
  return { header, records, report: summarizeTrace(header, records), status: r.status, skipped: [], redisVersion: 'Redis server v=7.0.15 sha=00000000:0', error: null };
}

describe('check --known <name> --confirm-real (with an injected twin)', () => {
  it('writes the known failure as a repro file; each replay is judged; the verdict and the evidence go into the file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'confirm-test-'));
    const lines: string[] = [];
    const code = await checkCommand({ known: 'min-replicas-counts-unreached-replica', out, json: join(out, 'report.json') }, { out: (l) => lines.push(l), err: () => {} });
    expect(code).toBe(0);
    const file = join(out, 'known-min-replicas-counts-unreached-replica.ts');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain("the known failure 'min-replicas-counts-unreached-replica' (property data, seed 5508)");
    expect(text).toContain('// On real Redis: sentinel-sim real ');
    expect(lines.join("\n")).toMatch(/simulator: \d+ of \d+ acknowledged writes lost/);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.known).toMatchObject({ name: 'min-replicas-counts-unreached-replica', property: 'data', seed: 5508 });

    // two "real" runs: the first shows the failure, the second does not (a trace where nothing happens)
    const shown = simAsReal('min-replicas-counts-unreached-replica');
    const quiet: RealResult = { ...shown, records: shown.records.filter((r) => r.k !== 'note' || r.what !== 'op') };
    const runs = [shown, quiet];
    const c = await confirmOnReal(file, 'data', { repeats: 2, known: known('min-replicas-counts-unreached-replica'), runReal: async () => runs.shift()! });
    expect(c.confirmed).toBe(1);
    expect(c.judged).toBe(2);
    expect(c.verdict).toBe('confirmed on real Redis 7.0.15 (1/2)');
    expect(c.attempts[0]!.evidence.some((l) => / fault partition /.test(l))).toBe(true);
    expect(c.attempts[0]!.evidence.some((l) => /\+switch-master/.test(l))).toBe(true);
    writeConfirmation(file, c);
    writeConfirmation(file, c);
    const after = readFileSync(file, 'utf8');
    expect(after.split('replayed on real Redis (sentinel-sim check --confirm-real)').length).toBe(2);
    expect(after).toContain('// confirmed on real Redis 7.0.15 (1/2): property data, 2 replay(s)');
    expect(after).toContain('//   real run 1: FAILED — ');
    expect(after).toContain('//   real run 2: held — ');
    // the block sits in the header, before the imports, and the file still loads as a scenario
    expect(after.indexOf('replayed on real Redis')).toBeLessThan(after.indexOf('import '));
  }, 60_000);

  it('a known failure that is reported, not judged (spurious-failover-after-switch): shown when acknowledged writes are lost', async () => {
    const r = simAsReal('spurious-failover-after-switch');
    const c = await confirmOnReal('unused.ts', 'data', { repeats: 1, known: known('spurious-failover-after-switch'), runReal: async () => r });
    const lost = evidenceLines(r.records).find((l) => l.includes('clients:'));
    expect(lost).toBeDefined();
    expect(c.verdict).toBe(/ [1-9]\d* of \d+ acknowledged writes lost/.test(lost!) ? 'confirmed on real Redis 7.0.15 (1/1)' : 'simulator only (0/1)');
  }, 60_000);

  it('determinism is not replayed on real Redis', async () => {
    const c = await confirmOnReal('unused.ts', 'determinism', { repeats: 3, runReal: async () => expect.fail('no real run') });
    expect(c.verdict).toMatch(/^not replayed on real Redis: determinism is a property of the simulator/);
  });
});
