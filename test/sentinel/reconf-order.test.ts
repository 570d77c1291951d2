// Which replica the failover leader reconfigures first (sentinelFailoverReconfNextSlave walks master->slaves in
// dict order, a hash keyed per process), in jepsen-2013-min-replicas: {n1, n2} | {n3, n4, n5}, parallel-syncs 1.
// In insertion order the unreachable n2 (the first replica n1's INFO lists) came first in 4 of 5 seeds, and its
// RECONF_SENT held n4 and n5 back for the 60 s failover-timeout, the new master refusing writes with -NOREPLICAS;
// the real runs reconfigured the reachable replicas first in 5 of 6 (test/fixtures/real-runs, docs/fidelity.md).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../scenarios/api/index.ts';
import scenario from '../../scenarios/jepsen-2013-min-replicas.ts';

/** The leader's reconfiguration events of a seed's run: `event instance-ip`. */
function reconf(seed: string): string[] {
  const r = runScenario(scenario, { seed, ring: 1 << 16 });
  expect(r.error).toBeNull();
  const names = new Set(['+slave-reconf-sent', '+failover-end-for-timeout', '+failover-end', '+slave-reconf-sent-be']);
  const out: string[] = [];
  for (const x of r.run.records()) {
    if (x.k !== 'log' || x.event === null || !names.has(x.event)) continue;
    // "+slave-reconf-sent slave 10.0.0.5:6379 10.0.0.5 6379 @ …": the replica's ip; "+failover-end master …": none
    const words = x.line.slice(x.line.indexOf(x.event)).split(' ');
    out.push(words[1] === 'slave' ? `${x.event} ${words[3]}` : x.event);
  }
  return out;
}

describe('jepsen-2013-min-replicas: the order of the leader’s SLAVEOFs', () => {
  it('seed 1: the reachable replicas first, n2 last, and the failover ends on time (n2 is S_DOWN)', () => {
    expect(reconf('1')).toEqual([
      '+slave-reconf-sent 10.0.0.5',
      '+slave-reconf-sent 10.0.0.4',
      '+slave-reconf-sent 10.0.0.2',
      '+failover-end',
    ]);
  }, 120_000);

  it('seed 7: n2 first; it holds the others back until +failover-end-for-timeout', () => {
    const seq = reconf('7');
    expect(seq[0]).toBe('+slave-reconf-sent 10.0.0.2');
    expect(seq.slice(1, 3)).toEqual(['+failover-end-for-timeout', '+failover-end']);
    expect(seq.slice(3).sort()).toEqual(['+slave-reconf-sent-be 10.0.0.4', '+slave-reconf-sent-be 10.0.0.5']);
  }, 120_000);
});
