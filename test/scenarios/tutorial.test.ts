// The default scenario (npm start): the tutorial cluster fails over exactly as the oracle run did.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../scenarios/api/index.ts';
import tutorial from '../../scenarios/tutorial-failover.ts';

const dir = resolve(dirname(new URL(import.meta.url).pathname), '../../scenarios');
const readFile = (p: string) => readFileSync(resolve(dir, p), 'utf8');

describe('scenarios/tutorial-failover.ts', () => {
  it('passes its expectations: 8003 promoted in epoch 8395, 7003 back as a replica, the data kept', () => {
    const r = runScenario(tutorial, { readFile });
    expect(r.error).toBeNull();
    expect(r.report.summary.expectations.failed).toBe(0);
    expect(r.report.summary.expectations.passed).toBeGreaterThanOrEqual(10);
    const logs = r.sim.trace.records().filter((x) => x.k === 'log' && x.kind === 'sentinel') as { node: string; event: string | null; line: string }[];
    // every Sentinel switches to 8003; exactly one converts the returning old master (as in both oracle runs)
    expect(logs.filter((l) => l.event === '+switch-master').map((l) => l.line)).toEqual(Array(3).fill('+switch-master TestMaster 127.0.0.1 7003 127.0.0.1 8003'));
    expect(logs.filter((l) => l.event === '+convert-to-slave').length).toBe(1);
    expect(logs.filter((l) => l.event === '+new-epoch').every((l) => l.line === '+new-epoch 8395')).toBe(true);
  });

  it('is deterministic: same seed, same trace hash', () => {
    const a = runScenario(tutorial, { readFile }).sha256;
    const b = runScenario(tutorial, { readFile }).sha256;
    expect(b).toBe(a);
    expect(runScenario(tutorial, { readFile, seed: 2 }).sha256).not.toBe(a);
  });

  it('ships the tutorial files unchanged', () => {
    for (const f of ['redis.conf', 'redis_slave.conf', 'sentinel1.conf', 'sentinel2.conf', 'sentinel3.conf'])
      expect(readFile(`tutorial/${f}`)).toBe(readFileSync(resolve(dir, '../test/scenarios/fixtures/tutorial', f), 'utf8'));
  });
});
