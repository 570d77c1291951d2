// Safety and liveness properties across seeds and faults: one leader per epoch, convergence on the
// highest config epoch, SIMULATE-FAILURE crashes, shared links between masters.
import { describe, expect, it } from 'vitest';
import { asMap, buildCluster } from './harness.ts';

describe('concurrent candidates', () => {
  it('slow links between Sentinels: at most one leader per epoch, all converge', () => {
    for (let i = 0; i < 8; i++) {
      const c = buildCluster({ seed: `slow-${i}`, replicas: [{}, {}], quorum: 1, sentinels: 3 });
      // 40 ms one way between every pair of Sentinel hosts: vote requests cross
      const sh = c.sentinels.map((s) => c.sim.proc(s).host.name);
      for (let a = 0; a < 3; a++) for (let b = a + 1; b < 3; b++) c.sim.setLink(sh[a]!, sh[b]!, { latencyMs: 40 });
      c.sim.sleep('5s');
      const t0 = c.sim.now;
      c.sim.kill(c.master);
      c.sim.sleep('60s');
      const evs = c.events(t0);
      const byEpoch = new Map<string, Set<string>>();
      // votes: one per Sentinel per epoch
      for (const s of c.sentinels) {
        const votes = c.eventsOf(s, t0).filter((e) => e.event === '+vote-for-leader').map((e) => e.line.split(' ')[2]);
        expect(new Set(votes).size).toBe(votes.length);
      }
      const elected = evs.filter((e) => e.event === '+elected-leader');
      for (const e of elected) {
        const tries = c.eventsOf(e.node, t0).filter((x) => x.event === '+new-epoch' && x.t <= e.t);
        const epoch = tries.at(-1)!.line.split(' ')[1]!;
        const set = byEpoch.get(epoch) ?? new Set();
        set.add(e.node);
        byEpoch.set(epoch, set);
      }
      for (const set of byEpoch.values()) expect(set.size).toBe(1);
      const addrs = new Set([0, 1, 2].map((k) => c.view(k).masters[0]!.addr));
      expect(addrs.size).toBe(1);
      const epochs = new Set([0, 1, 2].map((k) => c.view(k).masters[0]!.configEpoch));
      expect(epochs.size).toBe(1);
    }
  });
});

describe('SIMULATE-FAILURE', () => {
  it('crash-after-election: the leader exits with 99 right after +elected-leader; another fails over later', () => {
    const c = buildCluster({ seed: 'simfail', replicas: [{}, {}], failoverTimeout: 4000 });
    c.sim.sleep('5s');
    for (const s of c.sentinels) expect(c.cli(s).q('SENTINEL', 'SIMULATE-FAILURE', 'CRASH-AFTER-ELECTION')).toBe('OK');
    const t0 = c.sim.now;
    // only the first elected crashes: the others forget the flag after it is gone
    c.sim.kill(c.master);
    const el = c.waitEvent('+elected-leader', '20s', undefined, t0);
    c.sim.sleep('10ms');
    expect(c.sim.proc(el.node).state).toBe('stopped');
    expect(c.lines(el.node).slice(-1)).toEqual(['Sentinel CRASH because of SENTINEL simulate-failure']);
    expect(c.sim.trace.records().some((r) => r.k === 'proc' && r.node === el.node && r.reason === 'SENTINEL simulate-failure (exit 99)')).toBe(true);
    // the survivors (also armed) retry after 2 × failover-timeout with a new epoch: the next leader
    // crashes in turn; the last one alone cannot reach quorum 2 (-odown) and nothing is promoted
    c.sim.sleep('30s');
    const evs = c.events(t0);
    const elected = evs.filter((e) => e.event === '+elected-leader');
    expect(elected).toHaveLength(2);
    expect(elected[1]!.node).not.toBe(el.node);
    expect(elected[1]!.t - el.t).toBeGreaterThan(8000);
    const survivor = c.sentinels.find((s) => c.sim.proc(s).state === 'running')!;
    expect(c.sentinels.filter((s) => c.sim.proc(s).state === 'stopped')).toHaveLength(2);
    expect(evs.filter((e) => e.node === survivor).map((e) => e.event)).toContain('-odown');
    expect(evs.some((e) => e.event === '+selected-slave')).toBe(false);
    expect(c.view(c.sentinels.indexOf(survivor)).masters[0]!.addr).toBe(c.master);
  });
});

describe('two masters', () => {
  it('the same physical Sentinel is one shared link (link-refcount 2)', () => {
    const c = buildCluster({ seed: 'two-masters', replicas: [{}] });
    c.sim.sleep('3s');
    // monitor the replica's host as a second "master" name on every Sentinel
    for (const s of c.sentinels) {
      expect(c.cli(s).q('SENTINEL', 'MONITOR', 'second', c.replicas[0]!.split(':')[0]!, '6379', '2')).toBe('OK');
    }
    c.sim.sleep('5s');
    const cli = c.cli(c.sentinels[0]!);
    const sn = (cli.q('SENTINEL', 'SENTINELS', 'mymaster') as string[][]).map(asMap);
    expect(sn.map((x) => x['link-refcount'])).toEqual(['2', '2']);
    const sn2 = (cli.q('SENTINEL', 'SENTINELS', 'second') as string[][]).map(asMap);
    expect(sn2).toHaveLength(2);
    expect(cli.q('ROLE')).toEqual(['sentinel', ['mymaster', 'second']]);
  });
});

describe('determinism', () => {
  const run = (seed: string) => {
    const c = buildCluster({ seed, replicas: [{}, {}] });
    c.sim.sleep('4s');
    c.sim.kill(c.master);
    c.sim.sleep('15s');
    return c.sim.trace.peekSha256();
  };
  it('the same seed replays the same trace; another seed does not', () => {
    expect(run('det-1')).toBe(run('det-1'));
    expect(run('det-1')).not.toBe(run('det-2'));
  });
});
