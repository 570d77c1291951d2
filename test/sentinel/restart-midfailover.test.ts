// Two scenarios of issue 5's list not covered elsewhere: the leader Sentinel crashes in the middle of a
// failover and restarts; a replica pointed at the wrong master behind Sentinel's back is fixed.
import { describe, expect, it } from 'vitest';
import { buildCluster } from './harness.ts';

describe('Sentinel restart mid-failover', () => {
  it('the leader dies right after +promoted-slave: restarted from its rewritten config it names the promoted replica, its hellos switch the others, and it fixes the remaining replica', () => {
    const c = buildCluster({ seed: 'restart-mid', replicas: [{}, {}], quorum: 2, failoverTimeout: 10000 });
    c.sim.sleep('5s');
    const t0 = c.sim.now;
    c.sim.kill(c.master);
    const promoted = c.waitEvent('+promoted-slave', '30s', undefined, t0);
    const leader = promoted.node;
    c.sim.kill(leader);
    c.sim.sleep('8s');
    c.sim.restart(leader);
    c.sim.sleep('60s');
    const evs = c.events(t0);
    const newMaster = promoted.line.split(' ')[2]!;
    // one election per epoch, never two leaders for one epoch
    const leaders = new Map<string, Set<string>>();
    for (const e of evs.filter((x) => x.event === '+elected-leader')) {
      const epoch = e.line.split(' ').at(-1)!;
      (leaders.get(epoch) ?? leaders.set(epoch, new Set()).get(epoch)!).add(e.node);
    }
    for (const s of leaders.values()) expect(s.size).toBe(1);
    // the file was rewritten at +promoted-slave: the restarted leader monitors the promoted replica
    expect(evs.some((e) => e.node === leader && e.line.startsWith(`+monitor master mymaster ${newMaster.replace(':', ' ')}`))).toBe(true);
    expect(evs.filter((e) => e.event === '+config-update-from').map((e) => e.node).sort()).toEqual(c.sentinels.filter((x) => x !== leader).sort());
    expect(evs.some((e) => e.event === '+fix-slave-config' && e.node === leader)).toBe(true);
    // every Sentinel, the restarted leader included, names the promoted replica
    for (let i = 0; i < 3; i++) expect(c.view(i).masters[0]!.addr).toBe(newMaster);
    expect((c.cli(newMaster).q('ROLE') as unknown[])[0]).toBe('master');
    if (process.env.SHOW) for (const e of evs) if (e.event) console.log(e.t, e.node, e.line);
    // the other replica replicates from the new master
    for (const r of c.replicas.filter((x) => x !== newMaster)) {
      const info = c.cli(r).q('INFO', 'replication') as string;
      expect(info).toContain(`master_host:${newMaster.split(':')[0]}`);
      expect(info).toContain('master_link_status:up');
    }
  });
});

describe('a replica pointing at the wrong master', () => {
  it('is sent SLAVEOF the right master (+fix-slave-config) and follows it again', () => {
    const c = buildCluster({ seed: 'fix-slave', replicas: [{}, {}], quorum: 2 });
    c.sim.sleep('12s');
    const [r1, r2] = c.replicas as [string, string];
    const [ip, port] = r1.split(':');
    const t0 = c.sim.now;
    // behind Sentinel's back: r2 now replicates from r1 (a chained replica is a wrong master for Sentinel)
    expect(c.cli(r2).q('REPLICAOF', ip!, port!)).toBe('OK');
    const fix = c.waitEvent('+fix-slave-config', '30s', undefined, t0);
    expect(fix.line).toContain(`slave ${r2}`);
    c.sim.sleep('8s');
    const info = c.cli(r2).q('INFO', 'replication') as string;
    expect(info).toContain(`master_host:${c.master.split(':')[0]}`);
    expect(info).toContain('master_link_status:up');
  });
});
