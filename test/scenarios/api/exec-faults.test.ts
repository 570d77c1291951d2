// Admin commands recorded as faults (scenarios/api/exec-faults.ts): FAILOVER and CLIENT PAUSE leave a fault
// record in the trace (so `compare` measures milestones from them), their undo steps a heal; other commands none.
import { describe, expect, it } from 'vitest';
import { execFault } from '../../../scenarios/api/exec-faults.ts';
import { isDisruptive, isHeal } from '../../../bin/compare/extract.ts';
import { cluster, defineScenario } from '../../../scenarios/api/index.ts';
import { runScenario } from '../../../scenarios/api/runner.ts';

describe('execFault', () => {
  it('FAILOVER and CLIENT PAUSE are disruptive faults; FAILOVER ABORT and CLIENT UNPAUSE heals; the rest nothing', () => {
    const f = execFault(5, '127.0.0.1:6379', ['failover', 'TIMEOUT', '15000'])!;
    expect(f).toEqual({ t: 5, k: 'fault', fault: 'failover-command', target: '127.0.0.1:6379', args: { argv: ['TIMEOUT', '15000'] } });
    expect(isDisruptive(f)).toBe(true);
    const p = execFault(5, '127.0.0.1:6380', ['CLIENT', 'pause', '30000', 'write'])!;
    expect(p).toMatchObject({ fault: 'client-pause', args: { timeoutMs: 30000, mode: 'WRITE' } });
    expect(isDisruptive(p)).toBe(true);
    expect(execFault(5, 'x', ['CLIENT', 'PAUSE', '100'])!.args).toEqual({ timeoutMs: 100, mode: 'ALL' });
    expect(isHeal(execFault(5, 'x', ['FAILOVER', 'ABORT'])!)).toBe(true);
    expect(isHeal(execFault(5, 'x', ['client', 'unpause'])!)).toBe(true);
    for (const argv of [['SET', 'k', 'v'], ['CLIENT', 'LIST'], ['SENTINEL', 'FAILOVER', 'mymaster'], []]) expect(execFault(5, 'x', argv)).toBeNull();
  });

  it('exec records them in the simulator, on servers only (SENTINEL FAILOVER goes through sentinelFailover)', () => {
    const sc = defineScenario({
      name: 'exec-faults',
      setup: () => cluster({ replicas: 1, sentinels: 1, quorum: 1 }),
      script: (s) => {
        s.sleep('2s');
        s.exec(s.initialMaster!, 'CLIENT', 'PAUSE', '100', 'WRITE');
        s.exec(s.initialMaster!, 'CLIENT', 'UNPAUSE');
        s.exec(s.sentinels[0]!, 'SENTINEL', 'MASTERS');
        s.exec(s.initialMaster!, 'GET', 'k');
      },
    });
    const r = runScenario(sc, { seed: '1' });
    const faults = r.sim.trace.records().filter((x) => x.k === 'fault');
    expect(faults.map((x) => (x.k === 'fault' ? `${x.fault} ${x.target}` : ''))).toEqual(['client-pause 127.0.0.1:6379', 'client-unpause 127.0.0.1:6379']);
  });
});
