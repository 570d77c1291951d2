// The scenario API driving Sentinel: the tutorial files, masterAddr over the network, a manual failover.
import { describe, expect, it } from 'vitest';
import { js, runScenario } from '../../../scenarios/api/index.ts';
import tutorial from '../fixtures/tutorial.ts';
import { cluster, runInline } from './helpers.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIXTURES } from './helpers.ts';

describe('scenarios with Sentinel', () => {
  it('the tutorial from its five files: 8003 is promoted with epoch 8395, 7003 comes back as a replica', () => {
    const r = runScenario(tutorial, { readFile: (p) => readFileSync(resolve(FIXTURES, p), 'utf8') });
    expect(r.error).toBeNull();
    expect(r.run.failures).toEqual([]);
    const s = r.report.summary;
    expect(s.masters).toEqual({ '127.0.0.1:26371': '127.0.0.1:8003', '127.0.0.1:26372': '127.0.0.1:8003', '127.0.0.1:26373': '127.0.0.1:8003' });
    expect(Object.values(s.currentEpochs)).toEqual([8395, 8395, 8395]);
    expect(s.roles).toEqual({ '127.0.0.1:7003': 'slave', '127.0.0.1:8003': 'master' });
    expect(s.failovers).toHaveLength(1);
    const f = s.failovers[0]!;
    expect([f.epoch, f.promoted]).toEqual([8395, '127.0.0.1:8003']);
    expect(r.run.sentinels).toContain(f.leader);
    // sdown after down-after-milliseconds (1500 ms) of the kill at 10 s, then a failover of about a second
    expect(f.startMs).toBeGreaterThan(11_500);
    expect(f.startMs).toBeLessThan(12_000);
    expect(f.endMs! - f.startMs).toBeLessThan(2_000);
  });

  it('masterAddr asks each Sentinel; sentinelFailover is a recorded fault; the old master is converted later', () => {
    const r = runInline(
      () => cluster({ replicas: 2, sentinels: 3, quorum: 2, masterPort: 7000, failoverTimeout: '10s' }),
      (s) => {
        s.sleep('3s');
        expect(s.sentinels.map((x) => s.masterAddr(x))).toEqual(['127.0.0.1:7000', '127.0.0.1:7000', '127.0.0.1:7000']);
        expect(s.masterAddr('26379', 'nosuch')).toBeNull();
        expect(s.events({ event: '+slave', node: '26380' })).toHaveLength(2);
        expect(js(s.sentinelFailover('26380'))).toBe('OK');
        const sw = s.waitFor('+switch-master', { node: '26380', timeout: '30s' });
        const promoted = sw!.k === 'log' ? sw!.line.split(' ').slice(4).join(':') : '';
        expect(['127.0.0.1:7001', '127.0.0.1:7002']).toContain(promoted);
        s.waitUntil(() => s.sentinels.every((x) => s.events({ event: '+switch-master', node: x }).length === 1), { timeout: '10s' });
        s.sleep('1s');
        expect(s.sentinels.map((x) => s.masterAddr(x))).toEqual([promoted, promoted, promoted]);
        expect(s.role(promoted)).toBe('master');
        s.waitFor('+convert-to-slave', { timeout: '60s' });
        s.sleep('2s');
        expect(s.role('7000')).toBe('slave');
      },
    );
    expect(r.error?.message).toBeUndefined();
    const fo = r.report.summary.failovers;
    expect(fo).toHaveLength(1);
    expect(fo[0]!.leader).toBe('127.0.0.1:26380');
    expect(r.sim.trace.records().some((x) => x.k === 'fault' && x.fault === 'sentinel-failover' && x.target === '127.0.0.1:26380')).toBe(true);
  });
});
