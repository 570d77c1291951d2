// The other recorded runs of real Redis 7.0.15 (oracle/results): quorum 2 with three replicas,
// a priority-0 replica, a manual SENTINEL FAILOVER. Each Sentinel's event sequence must be one the
// real Sentinels produced in that role (leader / observer), with the same outcome.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/sim/simulation.ts';
import type { ProcessContext } from '../../engine/sim/process.ts';
import { sentinelFactory } from '../../engine/sentinel/index.ts';
import { defaultServerFactory, makeCluster, sentinelConf, type Cluster } from './harness.ts';
import { normalizeLine, oracleLog, oracleRuns, type OracleRun } from './oracle.ts';
import type { LogRecord } from '../../engine/trace/types.ts';

/** The test stand-in, or the real simulated server with SERVERS=real (harness.ts). */
const server = defaultServerFactory;

interface Setup {
  master: number;
  replicas: { port: number; priority?: number }[];
}

/** As the oracle runs: the servers start ~500 ms before the Sentinels. */
function oracleCluster(seed: string, s: Setup): Cluster {
  const sim = new Simulation({ seed });
  const h = sim.addHost('local', '127.0.0.1');
  sim.addProcess(h, s.master, 'server', server({ port: s.master }));
  for (const r of s.replicas) sim.addProcess(h, r.port, 'server', server({ port: r.port, replicaof: ['127.0.0.1', s.master], priority: r.priority }));
  let cctx: ProcessContext | null = null;
  sim.addProcess(sim.addHost('cli', '10.9.9.9'), 40000, 'client', (ctx) => {
    cctx = ctx;
    return {};
  });
  sim.startAll();
  sim.sleep(500);
  const sentinels: string[] = [];
  for (const port of [27371, 27372, 27373]) {
    const text = sentinelConf({ port, name: 'mymaster', ip: '127.0.0.1', masterPort: s.master, quorum: 2, downAfter: 1500, failoverTimeout: 10000 });
    sentinels.push(sim.addProcess(h, port, 'sentinel', sentinelFactory({ configPath: `/var/lib/redis-oracle/sentinel${port}.conf`, configText: text })).name);
  }
  for (const x of sentinels) sim.start(x);
  return makeCluster(sim, `127.0.0.1:${s.master}`, s.replicas.map((r) => `127.0.0.1:${r.port}`), sentinels, () => cctx!);
}

/** Event label: the type, plus the instance kind for +sdown/-sdown ("+sdown master"). */
const label = (event: string, line: string) => (/^[+-]sdown$/.test(event) ? `${event} ${line.split(' ')[1]}` : event);
/** An observer's own detection of the master: may interleave with the leader's vote request. */
const DETECTION = new Set(['+sdown master', '+odown']);

const roleSeqs = (runs: OracleRun[]) => {
  const leader: string[][] = [];
  const observer: string[][] = [];
  for (const r of runs) {
    for (const p of [27371, 27372, 27373]) {
      const seq = r.events.filter((e) => e.sentinel === p && /^[+-]/.test(e.event)).map((e) => label(e.event, e.line));
      (p === r.leader ? leader : observer).push(seq);
    }
  }
  return { leader, observer };
};

/**
 * The leader's sequence must be one a real leader logged. An observer's must be one a real observer
 * logged, except that its own +sdown/+odown of the master may come before or after the leader's vote
 * request (+new-epoch, +vote-for-leader): the seed-exact oracle shows both orders.
 */
function compare(c: Cluster, runs: OracleRun[], t0: number) {
  const { leader, observer } = roleSeqs(runs);
  const evs = c.events(t0);
  const leaderNode = evs.find((e) => e.event === '+elected-leader')!.node;
  const strip = (seq: string[]) => seq.filter((x) => !DETECTION.has(x)).join(' ');
  for (const s of c.sentinels) {
    const seq = evs.filter((e) => e.node === s).map((e) => label(e.event!, e.line));
    if (s === leaderNode) {
      expect(leader.map((x) => x.join(' '))).toContain(seq.join(' '));
    } else {
      const match = observer.find((o) => strip(o) === strip(seq) && o.filter((x) => DETECTION.has(x)).join(' ') === seq.filter((x) => DETECTION.has(x)).join(' '));
      expect(match, `observer ${s}: ${seq.join(' ')}`).toBeDefined();
    }
  }
  return { evs, leaderNode };
}

/**
 * Every log line after the fault, as multisets per role, against the raw logs of the first recorded
 * run (the +slave lines of a switch come in dict order there, insertion order here).
 */
function compareLogLines(c: Cluster, scenario: string, runs: OracleRun[], t0: number, leaderNode: string, faultToFirst: { event: string; ms: number }) {
  const ports = [27371, 27372, 27373];
  const logs = ports.map((p) => oracleLog(scenario, `sentinel${p}.log`));
  const li = ports.indexOf(runs[0]!.leader);
  const first = logs[li]!.find((l) => l.text.startsWith(faultToFirst.event))!;
  const faultMs = first.ms - faultToFirst.ms;
  // the +odown count depends on which others had already answered (the JSON runs show 2/2 and 3/2)
  const norm = (level: string, line: string) =>
    `${level} ${normalizeLine(line).replace(/ 2737\d /g, ' <sport> ').replace(/#quorum \d+\//, '#quorum <n>/')}`;
  const theirs = (i: number) => logs[i]!.filter((l) => l.ms >= faultMs).map((l) => norm(l.level, l.text)).sort();
  const ours = (node: string) =>
    c.sim.trace.records().filter((r): r is LogRecord => r.k === 'log' && r.node === node && r.t >= t0).map((r) => norm(r.level, r.line)).sort();
  const observerNodes = c.sentinels.filter((s) => s !== leaderNode);
  const oracleObservers = [0, 1, 2].filter((i) => i !== li);
  expect(ours(leaderNode)).toEqual(theirs(li));
  const want = oracleObservers.map(theirs).map((x) => JSON.stringify(x));
  for (const o of observerNodes) expect(want).toContain(JSON.stringify(ours(o)));
}

const windowMs = (runs: OracleRun[]) => Math.max(...runs.flatMap((r) => r.events.map((e) => e.t_ms))) + 400;

describe('oracle: quorum2-3replicas', () => {
  const runs = oracleRuns('quorum2-3replicas');
  it.each(['q2-a', 'q2-b', 'q2-c'])('seed %s: same per-role sequences, 17002/17003/17004 all follow the new master', (seed) => {
    const c = oracleCluster(seed, { master: 17001, replicas: [{ port: 17002 }, { port: 17003 }, { port: 17004 }] });
    c.sim.sleep(6700);
    const t0 = c.sim.now;
    c.sim.kill(c.master);
    c.sim.sleep(windowMs(runs));
    const { evs, leaderNode } = compare(c, runs, t0);
    compareLogLines(c, 'quorum2-3replicas', runs, t0, leaderNode, { event: '+try-failover', ms: 1638 });
    const promoted = evs.find((e) => e.event === '+selected-slave')!.line.split(' ')[2]!;
    for (let i = 0; i < 3; i++) {
      const m = c.view(i).masters[0]!;
      expect(m.addr).toBe(promoted);
      expect(m.configEpoch).toBe(1);
      expect(m.numReplicas).toBe(3);
    }
  });
});

describe('oracle: priority0', () => {
  const runs = oracleRuns('priority0');
  it.each(['p0-a', 'p0-b'])('seed %s: 17013 promoted, never 17012 (priority 0), same per-role sequences', (seed) => {
    const c = oracleCluster(seed, { master: 17011, replicas: [{ port: 17012, priority: 0 }, { port: 17013 }] });
    c.sim.sleep(12200);
    const t0 = c.sim.now;
    c.sim.kill(c.master);
    c.sim.sleep(windowMs(runs));
    const { evs, leaderNode } = compare(c, runs, t0);
    compareLogLines(c, 'priority0', runs, t0, leaderNode, { event: '+try-failover', ms: 1675 });
    expect(evs.find((e) => e.event === '+selected-slave')!.line).toBe('+selected-slave slave 127.0.0.1:17013 127.0.0.1 17013 @ mymaster 127.0.0.1 17011');
    expect(runs[0]!.final.sentinels['27371']!.master).toBe('127.0.0.1:17013');
    for (let i = 0; i < 3; i++) expect(c.view(i).masters[0]!.addr).toBe('127.0.0.1:17013');
  });
});

describe('oracle: manual-failover', () => {
  const runs = oracleRuns('manual-failover');
  it('SENTINEL FAILOVER on 27371: same sequences, same lines', () => {
    const c = oracleCluster('mf-a', { master: 17051, replicas: [{ port: 17052 }] });
    c.sim.sleep(6672);
    const cli = c.cli(c.sentinels[0]!);
    const t0 = c.sim.now;
    expect(cli.q('SENTINEL', 'FAILOVER', 'mymaster')).toBe(runs[0]!.notes.reply);
    c.sim.sleep(windowMs(runs));
    const { leaderNode } = compare(c, runs, t0);
    compareLogLines(c, 'manual-failover', runs, t0, leaderNode, { event: 'Executing user requested', ms: 4 });
    const norm = (l: string) => l.replace(/[0-9a-f]{40}/g, '<id>');
    for (const port of [27371, 27372, 27373]) {
      const want = runs[0]!.events.filter((e) => e.sentinel === port).map((e) => norm(e.line));
      const got = c.sim.trace
        .records()
        .filter((r) => r.k === 'log' && r.node === `127.0.0.1:${port}` && r.t >= t0 && (r.event !== null || r.line.startsWith('Executing')))
        .map((r) => norm((r as { line: string }).line));
      expect(got).toEqual(want);
    }
    // milestones: elected on the next tick, promoted within ~1 s (1 s INFO period), switch the tick after
    const at = (ev: string) => c.events(t0).find((e) => e.event === ev)!.t;
    expect(at('+elected-leader')).toBeLessThanOrEqual(110);
    expect(at('+promoted-slave') - at('+failover-state-wait-promotion')).toBeLessThanOrEqual(1100);
    expect(at('+failover-end') - at('+promoted-slave')).toBeLessThanOrEqual(110);
  });
});
