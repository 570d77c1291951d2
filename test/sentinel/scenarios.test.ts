// Whole-cluster scenarios with simulated servers: crashes with 1/2/3 replicas, priority 0, quorum not
// reached, majority of Sentinels lost, manual failover, the old master coming back.
import { describe, expect, it } from 'vitest';
import { asMap, buildCluster, type Cluster, type Ev } from './harness.ts';

const names = (evs: Ev[]) => evs.map((e) => e.event);
const leaderOf = (c: Cluster, since: number) => c.events(since).find((e) => e.event === '+elected-leader')?.node;

function killMasterAndWaitSwitch(c: Cluster) {
  c.sim.sleep('5s');
  const t0 = c.sim.now;
  c.sim.kill(c.master);
  c.waitEvent('+failover-end', '30s', undefined, t0);
  c.sim.sleep('3s');
  return t0;
}

describe('master crash', () => {
  for (const n of [1, 2, 3]) {
    it(`with ${n} replica(s): one leader, a replica promoted, every Sentinel and replica follows`, () => {
      const c = buildCluster({ seed: `crash-${n}`, replicas: Array.from({ length: n }, () => ({})), quorum: 2 });
      const t0 = killMasterAndWaitSwitch(c);
      const evs = c.events(t0);
      const leaders = new Set(evs.filter((e) => e.event === '+elected-leader').map((e) => e.node));
      expect(leaders.size).toBe(1);
      const selected = evs.find((e) => e.event === '+selected-slave')!.line.split(' ')[2]!;
      expect(c.replicas).toContain(selected);
      for (let i = 0; i < 3; i++) {
        const m = c.view(i).masters[0]!;
        expect(m.addr).toBe(selected);
        expect(m.configEpoch).toBe(1);
        // the other replicas plus the old master
        expect(m.numReplicas).toBe(n);
      }
      const leader = [...leaders][0]!;
      const expected = [
        '+sdown', '+odown', '+new-epoch', '+try-failover', '+vote-for-leader', '+elected-leader',
        '+failover-state-select-slave', '+selected-slave', '+failover-state-send-slaveof-noone',
        '+failover-state-wait-promotion', '+promoted-slave', '+failover-state-reconf-slaves',
      ];
      expect(names(c.eventsOf(leader, t0)).slice(0, expected.length)).toEqual(expected);
      // every other replica got SLAVEOF, one at a time (parallel-syncs 1), and reported done
      const sent = evs.filter((e) => e.event === '+slave-reconf-sent');
      const done = evs.filter((e) => e.event === '+slave-reconf-done');
      expect(sent).toHaveLength(n - 1);
      expect(done).toHaveLength(n - 1);
      for (let i = 1; i < sent.length; i++) expect(sent[i]!.t).toBeGreaterThanOrEqual(done[i - 1]!.t);
      // the replicas now replicate from the promoted one
      for (const r of c.replicas.filter((x) => x !== selected)) {
        const info = c.cli(r).q('INFO') as string;
        expect(info).toContain(`master_host:${selected.split(':')[0]}`);
      }
      // clients find the new master
      expect(c.cli(c.sentinels[0]!).q('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')).toEqual(selected.split(':'));
    });
  }
});

describe('replica priority', () => {
  it('a priority-0 replica is never promoted', () => {
    const c = buildCluster({ seed: 'prio0', replicas: [{ priority: 0 }, { priority: 100 }, { priority: 0 }] });
    const t0 = killMasterAndWaitSwitch(c);
    const sel = c.events(t0).find((e) => e.event === '+selected-slave')!;
    expect(sel.line).toContain(c.replicas[1]!);
  });

  it('only priority-0 replicas: -failover-abort-no-good-slave, retried after 2 × failover-timeout', () => {
    const c = buildCluster({ seed: 'prio0-only', replicas: [{ priority: 0 }], failoverTimeout: 5000 });
    c.sim.sleep('5s');
    const t0 = c.sim.now;
    c.sim.kill(c.master);
    c.sim.sleep('25s');
    const evs = c.events(t0);
    const aborts = evs.filter((e) => e.event === '-failover-abort-no-good-slave');
    expect(aborts.length).toBeGreaterThanOrEqual(2);
    const tries = evs.filter((e) => e.event === '+try-failover');
    // the retry gate is 2 × failover-timeout from failover_start_time (+0..999 ms)
    expect(tries[1]!.t - tries[0]!.t).toBeGreaterThanOrEqual(10000);
    expect(tries[1]!.t - tries[0]!.t).toBeLessThan(11200);
    expect(c.view(0).masters[0]!.addr).toBe(c.master);
    // SENTINEL FAILOVER refuses at once
    expect(c.cli(c.sentinels[0]!).q('SENTINEL', 'FAILOVER', 'mymaster')).toMatchObject({
      err: expect.stringMatching(/^(NOGOODSLAVE No suitable replica to promote|INPROG Failover already in progress)$/),
    });
  });
});

describe('quorum and majority', () => {
  it('quorum not reached: S_DOWN everywhere but never O_DOWN', () => {
    const c = buildCluster({ seed: 'noquorum', quorum: 3 });
    c.sim.sleep('5s');
    c.sim.kill(c.sentinels[2]!);
    c.sim.sleep('1s');
    const t0 = c.sim.now;
    c.sim.kill(c.master);
    c.sim.sleep('20s');
    const evs = c.events(t0);
    expect(evs.filter((e) => e.event === '+sdown' && e.line.startsWith('+sdown master'))).toHaveLength(2);
    expect(evs.some((e) => e.event === '+odown')).toBe(false);
    expect(evs.some((e) => e.event === '+try-failover')).toBe(false);
    expect(c.cli(c.sentinels[0]!).q('SENTINEL', 'CKQUORUM', 'mymaster')).toEqual({
      err: 'NOQUORUM 2 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master',
    });
  });

  it('majority of the known Sentinels lost: tries, is never elected, aborts and retries with a new epoch', () => {
    const c = buildCluster({ seed: 'nomajority', quorum: 1, failoverTimeout: 6000 });
    c.sim.sleep('5s');
    c.sim.kill(c.sentinels[1]!);
    c.sim.kill(c.sentinels[2]!);
    c.sim.sleep('1s');
    const t0 = c.sim.now;
    c.sim.kill(c.master);
    c.sim.sleep('30s');
    const evs = c.eventsOf(c.sentinels[0]!, t0);
    const tries = evs.filter((e) => e.event === '+try-failover');
    const aborts = evs.filter((e) => e.event === '-failover-abort-not-elected');
    expect(tries.length).toBeGreaterThanOrEqual(2);
    expect(aborts.length).toBeGreaterThanOrEqual(2);
    // election timeout = min(10000, failover-timeout) after failover_start_time (start + 0..999)
    expect(aborts[0]!.t - tries[0]!.t).toBeGreaterThan(6000);
    expect(aborts[0]!.t - tries[0]!.t).toBeLessThan(7200);
    expect(evs.filter((e) => e.event === '+new-epoch').map((e) => e.line)).toEqual(
      tries.map((_, i) => `+new-epoch ${i + 1}`),
    );
    expect(evs.some((e) => e.event === '+elected-leader')).toBe(false);
    expect(c.cli(c.sentinels[0]!).q('SENTINEL', 'CKQUORUM', 'mymaster')).toEqual({
      err: 'NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the majority and authorize a failover',
    });
  });
});

describe('manual failover', () => {
  it('SENTINEL FAILOVER with the master alive: elected without votes, the others learn from hellos', () => {
    const c = buildCluster({ seed: 'manual' });
    c.sim.sleep('6s');
    const t0 = c.sim.now;
    const s1 = c.cli(c.sentinels[0]!);
    expect(s1.q('SENTINEL', 'FAILOVER', 'mymaster')).toBe('OK');
    expect(s1.q('SENTINEL', 'FAILOVER', 'mymaster')).toEqual({ err: 'INPROG Failover already in progress' });
    c.waitEvent('+switch-master', '10s', c.sentinels[2]!, t0);
    c.sim.sleep('1s');
    const leader = names(c.eventsOf(c.sentinels[0]!, t0));
    expect(leader).toEqual([
      '+new-epoch', '+try-failover', '+vote-for-leader', '+elected-leader', '+failover-state-select-slave',
      '+selected-slave', '+failover-state-send-slaveof-noone', '+failover-state-wait-promotion', '+promoted-slave',
      '+failover-state-reconf-slaves', '+failover-end', '+switch-master', '+slave',
    ]);
    expect(c.lines(c.sentinels[0]!)).toContain("Executing user requested FAILOVER of 'mymaster'");
    for (const o of c.sentinels.slice(1)) {
      expect(names(c.eventsOf(o, t0))).toEqual(['+new-epoch', '+config-update-from', '+switch-master', '+slave']);
    }
    // no is-master-down-by-addr was needed; the observers did not vote
    expect(asMap(c.cli(c.sentinels[1]!).q('SENTINEL', 'MASTER', 'mymaster'))['config-epoch']).toBe('1');
  });
});

describe('old master', () => {
  it('comes back as a master and is converted ~8 s + an INFO period later (+convert-to-slave)', () => {
    const c = buildCluster({ seed: 'old-master' });
    const t0 = killMasterAndWaitSwitch(c);
    const newMaster = c.view(0).masters[0]!.addr;
    c.sim.restart(c.master);
    const tr = c.sim.now;
    const conv = c.waitEvent('+convert-to-slave', '30s', undefined, tr);
    expect(conv.t).toBeGreaterThan(8000);
    expect(conv.t).toBeLessThan(8000 + 10000 + 1200);
    c.sim.sleep('2s');
    const info = c.cli(c.master).q('INFO') as string;
    expect(info).toContain('role:slave');
    expect(info).toContain(`master_host:${newMaster.split(':')[0]}`);
    void t0;
  });
});
