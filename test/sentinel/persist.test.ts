// sentinel.conf on the simulated disk (sentinel.md §4): start-up, fatal errors, flushes, restarts.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/sim/simulation.ts';
import { sentinelFactory } from '../../engine/sentinel/index.ts';
import { buildCluster } from './harness.ts';

describe('start-up', () => {
  it('prints the 7.0.15 start-up lines, generates and persists a myid, emits +monitor', () => {
    const c = buildCluster({ seed: 'boot' });
    c.sim.sleep('10ms');
    const lines = c.lines(c.sentinels[0]!);
    const pid = c.sim.proc(c.sentinels[0]!).pid;
    const myid = c.view(0).myid;
    expect(lines.slice(0, 8)).toEqual([
      'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
      `Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=${pid}, just started`,
      'Configuration loaded',
      'monotonic clock: POSIX clock_gettime',
      'Running mode=sentinel, port=26379.',
      'Sentinel new configuration saved on disk',
      `Sentinel ID is ${myid}`,
      '+monitor master mymaster 10.0.0.1 6379 quorum 2',
    ]);
    expect(myid).toMatch(/^[0-9a-f]{40}$/);
    const conf = c.sim.proc(c.sentinels[0]!).host.disk.read<string>('/etc/sentinel-26379.conf')!;
    expect(conf).toContain(`sentinel myid ${myid}`);
    expect(conf).toContain('sentinel current-epoch 0');
    const recs = c.sim.trace.records().filter((r) => r.k === 'log' && r.node === c.sentinels[0]!);
    expect(recs.map((r) => (r as { level: string }).level).slice(0, 8)).toEqual(['#', '#', '#', '*', '*', '*', '#', '#']);
  });

  it('a bad file prints the FATAL CONFIG FILE ERROR block and exits with 1', () => {
    const sim = new Simulation({ seed: 'fatal' });
    const h = sim.addHost('s', '10.0.0.1');
    sim.addProcess(h, 26379, 'sentinel', sentinelFactory({ configPath: '/s.conf', configText: 'port 26379\nsentinel monitor m 127.0.0.1 1 0\n' }));
    sim.startAll();
    const recs = sim.trace.records();
    const log = recs.filter((r) => r.k === 'log').map((r) => (r as { line: string }).line);
    expect(log).toContain(
      "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'sentinel monitor m 127.0.0.1 1 0'\nQuorum must be 1 or greater.",
    );
    expect(recs.some((r) => r.k === 'proc' && r.ev === 'exit' && r.reason === 'config error (exit 1)')).toBe(true);
    expect(sim.proc('10.0.0.1:26379').state).toBe('stopped');
  });
});

describe('restart', () => {
  it('a restarted Sentinel comes back with its id, epochs, current master and known instances', () => {
    const c = buildCluster({ seed: 'restart', replicas: [{}, {}] });
    c.sim.sleep('5s');
    c.sim.kill(c.master);
    c.waitEvent('+failover-end', '20s');
    c.sim.sleep('3s');
    const before = c.view(1);
    c.sim.restart(c.sentinels[1]!);
    const t = c.sim.now;
    c.sim.sleep('5s');
    const after = c.view(1);
    expect(after.myid).toBe(before.myid);
    expect(after.currentEpoch).toBe(1);
    const m = after.masters[0]!;
    expect(m.addr).toBe(before.masters[0]!.addr);
    expect(m.configEpoch).toBe(1);
    expect(m.leaderEpoch).toBe(1);
    expect(m.numOtherSentinels).toBe(2);
    expect(m.replicas.map((r) => r.name).sort()).toEqual(before.masters[0]!.replicas.map((r) => r.name).sort());
    const lines = c.eventsOf(c.sentinels[1]!, t).map((e) => e.line);
    // known from the file: no +sentinel and no new id
    expect(lines.some((l) => l.startsWith('+sentinel '))).toBe(false);
    expect(lines[0]).toBe(`+monitor master mymaster ${m.addr.replace(':', ' ')} quorum 2`);
    const log = c.lines(c.sentinels[1]!);
    const boot = log.lastIndexOf('Running mode=sentinel, port=26379.');
    expect(log[boot + 1]).toBe(`Sentinel ID is ${before.myid}`);
  });
});
