// The tutorial cluster of the seed article against the recorded real Redis 7.0.15 runs
// (oracle/results/seed-exact): same promoted replica, same final master and epoch on every Sentinel,
// same event sequence per Sentinel role, milestones inside the documented windows.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/sim/simulation.ts';
import { sentinelFactory } from '../../engine/sentinel/index.ts';
import type { ProcessContext } from '../../engine/sim/process.ts';
import { defaultServerFactory, makeCluster, type Cluster, type Ev } from './harness.ts';
import { normalizeLine, oracleLog, oracleRuns, oracleSequence, seedConfig, type OracleRun } from './oracle.ts';
import type { LogRecord } from '../../engine/trace/types.ts';

const PASS = '0234kz9*1';
/** The test stand-in, or the real simulated server with SERVERS=real (harness.ts). */
const server = defaultServerFactory;

/** As the oracle runs: the servers start 500 ms before the Sentinels. */
function seedCluster(seed: string): Cluster {
  const sim = new Simulation({ seed });
  const h = sim.addHost('local', '127.0.0.1');
  sim.addProcess(h, 7003, 'server', server({ port: 7003, requirepass: PASS, masterauth: PASS }));
  sim.addProcess(h, 8003, 'server', server({ port: 8003, requirepass: PASS, masterauth: PASS, replicaof: ['127.0.0.1', 7003] }));
  let cctx: ProcessContext | null = null;
  sim.addProcess(sim.addHost('cli', '10.9.9.9'), 40000, 'client', (ctx) => {
    cctx = ctx;
    return {};
  });
  sim.startAll();
  sim.sleep(500);
  const sentinels: string[] = [];
  for (const n of [1, 2, 3]) {
    const port = 26370 + n;
    sentinels.push(
      sim.addProcess(h, port, 'sentinel', sentinelFactory({ configPath: `/opt/redis/sentinel${n}.conf`, configText: seedConfig(`sentinel${n}.conf`) })).name,
    );
  }
  for (const s of sentinels) sim.start(s);
  return makeCluster(sim, '127.0.0.1:7003', ['127.0.0.1:8003'], sentinels, () => cctx!);
}

interface SeedRun {
  c: Cluster;
  events: Ev[];
  leader: string;
  t0: number;
}

/** The oracle's timeline: kill 7003 ~6.75 s after the Sentinels start, restart it 8008 ms later. */
function runSeed(seed: string): SeedRun {
  const c = seedCluster(seed);
  c.sim.sleep(6750);
  const t0 = c.sim.now;
  c.sim.kill('127.0.0.1:7003');
  c.sim.sleep(8008);
  c.sim.restart('127.0.0.1:7003');
  c.sim.sleep(25000 - 8008);
  const events = c.events(t0);
  const leader = events.find((e) => e.event === '+elected-leader')!.node;
  return { c, events, leader, t0 };
}

/** +x/-x events of one Sentinel; +convert-to-slave is compared separately (see below). */
const seq = (events: Ev[], node: string) =>
  events.filter((e) => e.node === node && /^[+-]/.test(e.event!) && e.event !== '+convert-to-slave').map((e) => e.event);
const oseq = (o: OracleRun, port: number) => oracleSequence(o, port).filter((e) => e !== '+convert-to-slave');
const at = (events: Ev[], event: string, node?: string) => events.find((e) => e.event === event && (!node || e.node === node))?.t;

describe('seed-exact: the tutorial cluster, compared with real Redis 7.0.15', () => {
  const oracle = oracleRuns('seed-exact');
  const run = runSeed('seed-exact-1');
  const { c, events, leader } = run;
  const observers = c.sentinels.filter((s) => s !== leader);

  it('promotes 8003 and every Sentinel ends on 127.0.0.1:8003 with config epoch 8395', () => {
    expect(events.find((e) => e.event === '+selected-slave')!.line).toBe(
      '+selected-slave slave 127.0.0.1:8003 127.0.0.1 8003 @ TestMaster 127.0.0.1 7003',
    );
    for (let i = 0; i < 3; i++) {
      const v = c.view(i);
      const m = v.masters[0]!;
      expect(m.addr).toBe('127.0.0.1:8003');
      expect(m.configEpoch).toBe(8395);
      expect(v.currentEpoch).toBe(8395);
      expect(m.flags).toBe('master');
      expect(m.numOtherSentinels).toBe(2);
      expect(m.numReplicas).toBe(1);
      expect(oracle[0]!.final.sentinels['26371']!.master).toBe('127.0.0.1:8003');
    }
  });

  it('the leader logs the same event sequence as the oracle leader', () => {
    for (const o of oracle) {
      expect(seq(events, leader)).toEqual(oseq(o, o.leader));
    }
  });

  it('observers log the same event sequence as the oracle observers', () => {
    for (const o of oracle) {
      const others = [26371, 26372, 26373].filter((p) => p !== o.leader);
      for (const [i, obs] of observers.entries()) {
        expect(seq(events, obs)).toEqual(oseq(o, others[i]!));
      }
    }
  });

  it('the leader logs the exact oracle lines (runids aside)', () => {
    const norm = (l: string) => l.replace(/[0-9a-f]{40}/g, '<id>');
    const o = oracle[0]!;
    const keep = (ev: string) => /^[+-]/.test(ev) && ev !== '+convert-to-slave';
    const expected = o.events.filter((e) => e.sentinel === o.leader && keep(e.event)).map((e) => norm(e.line));
    const got = events.filter((e) => e.node === leader && keep(e.event!)).map((e) => norm(e.line));
    expect(got).toEqual(expected);
    // the votes of the others are logged as "<runid> voted for <leader> 8395"
    const voted = c.lines(leader).filter((l) => l.includes(' voted for '));
    expect(voted.map(norm)).toEqual(['<id> voted for <id> 8395', '<id> voted for <id> 8395']);
  });

  it('milestones fall in the documented windows', () => {
    const sdown = at(events, '+sdown', leader)!;
    // +sdown: one tick after the kill the reconnect PING is pending, then down-after (1500) + one tick
    expect(sdown).toBeGreaterThan(1500);
    expect(sdown).toBeLessThan(1700);
    expect(at(events, '+odown', leader)).toBe(sdown);
    expect(at(events, '+try-failover', leader)).toBe(sdown);
    // elected on the next tick (period 52..100 ms), as the oracle's 102 / 78 ms
    const elected = at(events, '+elected-leader')!;
    expect(elected - sdown).toBeGreaterThan(50);
    expect(elected - sdown).toBeLessThanOrEqual(110);
    const waitPromo = at(events, '+failover-state-wait-promotion')!;
    expect(waitPromo - elected).toBeLessThanOrEqual(220);
    // promotion seen through the 1 s INFO of replicas during a failover
    const promoted = at(events, '+promoted-slave')!;
    expect(promoted - waitPromo).toBeLessThanOrEqual(1100);
    const end = at(events, '+failover-end')!;
    expect(end - promoted).toBeLessThanOrEqual(110);
    expect(at(events, '+switch-master', leader)).toBe(end);
    // observers switch on the forced hello, the tick after the promotion
    for (const o of observers) {
      const sw = at(events, '+switch-master', o)!;
      expect(sw - promoted).toBeGreaterThan(0);
      expect(sw - promoted).toBeLessThanOrEqual(110);
    }
    // the old master restarted at 8008 ms is converted 8 s after it reported role:master, on an INFO
    const conv = at(events, '+convert-to-slave')!;
    expect(conv).toBeGreaterThan(8008 + 8000);
    expect(conv).toBeLessThan(8008 + 1100 + 10000 + 110);
    // exactly one Sentinel converts it: the first to see it back (its -sdown first), as in both oracle runs
    const converts = events.filter((e) => e.event === '+convert-to-slave');
    expect(converts).toHaveLength(1);
    const firstUp = events.find((e) => e.event === '-sdown')!;
    expect(converts[0]!.node).toBe(firstUp.node);
    expect(converts[0]!.line).toBe('+convert-to-slave slave 127.0.0.1:7003 127.0.0.1 7003 @ TestMaster 127.0.0.1 8003');
    for (const o of oracle) {
      const oc = o.events.find((e) => e.event === '+convert-to-slave')!;
      expect(oc.sentinel).toBe(o.events.find((e) => e.event === '-sdown')!.sentinel);
    }
    // oracle milestones for reference (run 1): +sdown 1573, elected 1675, promoted 2614, end 2676, convert 18084
    expect(oracle[0]!.milestones_ms['+convert-to-slave']).toBe(18084);
  });

  it('sentinel.conf after the failover holds what the oracle files hold', () => {
    const idOf = (port: string) => c.view(c.sentinels.findIndex((x) => x.endsWith(`:${port}`))).myid;
    for (const [i, s] of c.sentinels.entries()) {
      const port = s.split(':')[1]!;
      const lines = c.sim.host('local').disk.read<string>(`/opt/redis/sentinel${i + 1}.conf`)!.split('\n');
      const expected = (oracle[0]!.notes.sentinel_conf as Record<string, string[]>)[port]!;
      for (const l of expected) {
        const w = l.split(' ');
        if (w[1] === 'myid') expect(lines).toContain(`sentinel myid ${idOf(port)}`);
        else if (w[1] === 'known-sentinel') expect(lines).toContain(`${w.slice(0, 5).join(' ')} ${idOf(w[4]!)}`);
        else expect(lines).toContain(l);
      }
      // the tutorial's stale known-sentinel ids are gone
      expect(lines.some((l) => l.includes('0aca3a57038e2907c8a07be2b3c0d15171e44da5'))).toBe(false);
    }
  });

  it('every log line (levels included) matches the real logs, before and after the kill', () => {
    // oracle run 1 logs: S1 was the leader; the kill was 1573 ms before its +sdown
    const logs = [1, 2, 3].map((n) => oracleLog('seed-exact', `sentinel${n}.log`));
    const killMs = logs[0]!.find((l) => l.text.startsWith('+sdown master'))!.ms - 1573;
    const ours = (node: string, after: boolean) =>
      c.sim.trace
        .records()
        .filter((r): r is LogRecord => r.k === 'log' && r.node === node && (after ? r.t >= t0Of(run) : r.t < t0Of(run)))
        .map((r) => `${r.level} ${normalizeLine(r.line)}`);
    const theirs = (n: number, after: boolean) =>
      logs[n]!.filter((l) => (after ? l.ms >= killMs : l.ms < killMs)).map((l) => `${l.level} ${normalizeLine(l.text)}`);
    const roleOf = (n: number) => (n === 0 ? leader : observers[n - 1]!);
    for (const n of [0, 1, 2]) {
      // before the kill, Sentinel by Sentinel; the order of discoveries varies: compare as multisets
      expect([...ours(c.sentinels[n]!, false)].sort()).toEqual([...theirs(n, false)].sort());
      // after the kill, role by role: the same lines in the same order (Sentinel ports aside; the
      // convert is done by whichever Sentinel sees the old master back first)
      const strip = (xs: string[]) => xs.filter((x) => !x.includes('+convert-to-slave')).map((x) => x.replace(/ 2637\d /g, ' <sport> '));
      expect(strip(ours(roleOf(n), true))).toEqual(strip(theirs(n, true)));
    }
  });
});

function t0Of(r: SeedRun): number {
  return r.t0;
}
