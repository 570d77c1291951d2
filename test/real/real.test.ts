// `sentinel-sim real` end to end, on real redis-server processes (Debian's Redis 7.0.15): the tutorial failover,
// the shape of the records (the contract of bin/real/types.ts), cleanup after Ctrl-C, and a partition made of
// iptables rules. Needs redis-server; the iptables tests also need root. Outside CI a missing tool skips those
// tests (the reason is in the test name); with CI=true it fails them. No assertion is about wall-time speed.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogRecord, TraceRecord } from '../../engine/trace/types.ts';
import { clockAvailability } from '../../bin/real/clock.ts';
import { ALIAS_PREFIX } from '../../bin/real/config.ts';
import { firewallAvailability, removeStaleChains } from '../../bin/real/firewall.ts';
import { runReal } from '../../bin/real/index.ts';
import { needs, redisMissing, ROOT } from '../support/cli-process.ts';

const FX = 'test/real/fixtures';

const noRedis = redisMissing();
const fw = firewallAvailability();
const noFirewall = noRedis ?? (fw.ok ? null : fw.reason);
const clock = clockAvailability();
const noClock = noRedis ?? (clock.ok ? null : clock.reason);

/** The expect notes of a run's script that did not hold. */
const failedExpects = (records: readonly TraceRecord[]) => records.filter((x) => x.k === 'note' && x.what === 'expect' && !(x.data as { ok: boolean }).ok);

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const chains = () => (fw.ok ? execFileSync('iptables', ['-w', '5', '-S'], { encoding: 'utf8' }) : '');
const logs = (rs: TraceRecord[]) => rs.filter((r): r is LogRecord => r.k === 'log');

describe('sentinel-sim real', () => {
  needs(
    noRedis,
    'tutorial-failover on real Redis: 8003 is promoted, every expectation holds, the records have the simulator shape',
    async () => {
      const streamed: TraceRecord[] = [];
      const r = await runReal('tutorial-failover', { onRecord: (x) => streamed.push(x) });
      expect(r.error).toBeNull();
      expect(r.status).toBe('ok');
      expect(failedExpects(r.records)).toEqual([]);
      expect(r.report.summary.expectations).toEqual({ passed: 12, failed: 0 });
      expect(r.redisVersion).toMatch(/^Redis server v=7\./);
      // the failover, in the scenario's own addresses
      const switches = logs(r.records).filter((x) => x.event === '+switch-master');
      expect(switches.length).toBe(3);
      for (const s of switches) expect(s.line).toBe('+switch-master TestMaster 127.0.0.1 7003 127.0.0.1 8003');
      expect(r.report.summary.masters).toEqual({ '127.0.0.1:26371': '127.0.0.1:8003', '127.0.0.1:26372': '127.0.0.1:8003', '127.0.0.1:26373': '127.0.0.1:8003' });
      expect(r.report.summary.roles).toEqual({ '127.0.0.1:7003': 'slave', '127.0.0.1:8003': 'master' });
      // one failover, usually in epoch 8395; three quorum-1 Sentinels can split the first election on a loaded
      // machine and win the retry in a later epoch (the scenario checks config-epoch against the epoch won)
      expect(r.report.summary.failovers.map((f) => f.promoted)).toEqual(['127.0.0.1:8003']);
      const won = r.report.summary.failovers[0]!.epoch;
      expect(won).toBeGreaterThanOrEqual(8395);
      for (const e of Object.values(r.report.summary.currentEpochs)) expect(e).toBeGreaterThanOrEqual(won);
      // the contract: a header with the scenario's topology; records sorted by t (µs since the start)
      expect(r.header.scenario).toBe('tutorial-failover');
      expect(r.header.topology.nodes.map((n) => n.name)).toEqual(['127.0.0.1:7003', '127.0.0.1:8003', '127.0.0.1:26371', '127.0.0.1:26372', '127.0.0.1:26373']);
      expect(r.header.topology.hosts.every((h) => h.ip === '127.0.0.1')).toBe(true);
      const names = new Set(r.header.topology.nodes.map((n) => n.name));
      for (let i = 1; i < r.records.length; i++) expect(r.records[i]!.t).toBeGreaterThanOrEqual(r.records[i - 1]!.t);
      expect(r.records[0]!.t).toBeGreaterThanOrEqual(0);
      expect(r.records.at(-1)!.t).toBe(r.report.endT);
      for (const x of logs(r.records)) {
        expect(names.has(x.node)).toBe(true);
        expect(x.line).not.toContain(ALIAS_PREFIX);
        expect(x.line).toMatch(/\S/);
      }
      // the kill and the restart are fault records at times relative to the start; the switch comes after the kill
      const kill = r.records.find((x) => x.k === 'fault' && x.fault === 'kill');
      const restart = r.records.find((x) => x.k === 'fault' && x.fault === 'restart');
      expect(kill).toMatchObject({ fault: 'kill', target: '127.0.0.1:7003' });
      // the script restarts 8 s after its clock read before the kill; the kill record is stamped when SIGKILL
      // was sent, which on a loaded machine is up to a few hundred ms later
      expect(restart!.t - kill!.t).toBeGreaterThanOrEqual(7_000_000);
      expect(switches[0]!.t).toBeGreaterThan(kill!.t);
      expect(r.records.some((x) => x.k === 'note' && x.what === 'run-end')).toBe(true);
      // what onRecord streamed is the same, in the same order
      expect(streamed.map((x) => x.t)).toEqual(r.records.map((x) => x.t));
      expect(r.skipped).toEqual([]);
    },
    120_000,
  );

  needs(
    noRedis,
    'client workloads through ioredis in Sentinel mode: the clients follow the failover, every op has an outcome, Jepsen accounting at the end',
    async () => {
      const r = await runReal(join(ROOT, FX, 'clients.ts'));
      expect(failedExpects(r.records)).toEqual([]);
      expect(r.status).toBe('ok');
      expect(r.header.topology.nodes.filter((n) => n.kind === 'client').map((n) => [n.name, n.host])).toEqual([
        ['10.254.0.6:40000', 'app1'],
        ['10.254.0.7:40000', 'app2'],
      ]);
      const ops = r.records.filter((x) => x.k === 'note' && x.what === 'op');
      expect(ops.length).toBeGreaterThan(0);
      const summary = r.records.find((x) => x.k === 'note' && x.what === 'workload-summary');
      expect(summary).toBeDefined();
      const c = r.report.summary.clientOps;
      expect(r.report.hasClients).toBe(true);
      expect(c.ok).toBeGreaterThan(0);
      // the client log lines name the masters in the scenario's addresses
      expect(logs(r.records).some((x) => x.kind === 'client' && x.line === 'app1: Master mymaster is 127.0.0.1:7332 (ioredis, Sentinel mode)')).toBe(true);
    },
    60_000,
  );

  needs(
    noRedis,
    'Ctrl-C: exit 130 once every redis-server it started is gone (a paused one too), the iptables chain deleted and the work directory removed',
    async () => {
      const child = spawn(process.execPath, ['bin/sentinel-sim.js', 'real', `${FX}/sleeper.ts`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      const deadline = Date.now() + 60_000;
      while (!out.includes('note: all started') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain('note: all started');
      // the pids of its processes, from their own log lines ("<pid>:<role> <date> ...")
      const pids = [...new Set([...out.matchAll(/^\S+ +(\d+):[A-Z] \d\d \w{3} \d{4} /gm)].map((m) => Number(m[1])))];
      expect(pids.length).toBeGreaterThanOrEqual(3);
      for (const p of pids) expect(alive(p)).toBe(true);
      if (fw.ok) expect(chains()).toContain(`-N SENTINEL_SIM_${child.pid}`);
      expect(readdirSync(tmpdir()).some((d) => d.startsWith(`sentinel-sim-real-${child.pid}-`))).toBe(true);
      child.kill('SIGINT');
      const code = await exited;
      expect(code).toBe(130);
      expect(err).toMatch(/interrupted by SIGINT at \d\d:\d\d:\d\d\.\d{3}; every redis-server stopped/);
      for (const p of pids) expect(alive(p), `pid ${p} still alive`).toBe(false);
      expect(chains()).not.toContain(`SENTINEL_SIM_${child.pid}`);
      expect(readdirSync(tmpdir()).some((d) => d.startsWith(`sentinel-sim-real-${child.pid}-`))).toBe(false);
    },
    90_000,
  );

  needs(
    noFirewall,
    'a partition as iptables rules between the aliases: the majority fails over, the old master is converted after the heal',
    async () => {
      const r = await runReal(join(ROOT, FX, 'partition.ts'));
      expect(failedExpects(r.records)).toEqual([]);
      expect(r.status).toBe('ok');
      expect(r.skipped).toEqual([]);
      expect(r.report.summary.roles).toEqual({ '127.0.0.1:7321': 'slave', '127.0.0.1:7322': 'master' });
      expect(r.records.find((x) => x.k === 'fault' && x.fault === 'partition')).toMatchObject({ args: { groups: [['redis1'], ['redis2', 'sentinel1', 'sentinel2', 'sentinel3']] } });
      expect(logs(r.records).some((x) => x.event === '+convert-to-slave' && x.line.includes('127.0.0.1:7321'))).toBe(true);
      expect(chains()).not.toContain(`SENTINEL_SIM_${process.pid}`);
    },
    90_000,
  );

  needs(
    noFirewall,
    'a cut is one firewall transaction: both replicas cut from a master taking writes stop at the same offset',
    async () => {
      const r = await runReal(join(ROOT, FX, 'cut-offsets.ts'));
      expect(failedExpects(r.records)).toEqual([]);
      expect(r.status).toBe('ok');
      const blocks = r.records.filter((x) => x.k === 'fault' && x.fault === 'block');
      expect(blocks.length).toBe(4);
      expect(new Set(blocks.map((x) => x.t)).size).toBe(1);
    },
    60_000,
  );

  needs(
    noFirewall,
    "a chain left by a crashed run (its pid is dead) is unhooked and deleted; a live run's chain is left alone",
    async () => {
      const dead = spawn('true');
      await new Promise((r) => dead.on('exit', r));
      const stale = `SENTINEL_SIM_${dead.pid}`;
      execFileSync('iptables', ['-w', '5', '-N', stale]);
      execFileSync('iptables', ['-w', '5', '-A', stale, '-i', 'lo', '-s', '127.0.77.1/32', '-d', '127.0.77.2/32', '-j', 'DROP']);
      execFileSync('iptables', ['-w', '5', '-I', 'INPUT', '1', '-i', 'lo', '-j', stale]);
      const live = `SENTINEL_SIM_${process.pid}`;
      execFileSync('iptables', ['-w', '5', '-N', live]);
      try {
        expect(removeStaleChains()).toContain(stale);
        const after = chains();
        expect(after).not.toContain(stale);
        expect(after).toContain(`-N ${live}`);
      } finally {
        execFileSync('iptables', ['-w', '5', '-X', live]);
      }
    },
    30_000,
  );

  needs(
    noRedis,
    'without iptables (and without the clock library), network steps, latency and clock jumps are skipped and reported, and the run goes on',
    async () => {
      const before = [process.env.SENTINEL_SIM_REAL_IPTABLES, process.env.SENTINEL_SIM_REAL_CLOCK];
      process.env.SENTINEL_SIM_REAL_IPTABLES = 'off';
      process.env.SENTINEL_SIM_REAL_CLOCK = 'off';
      let r;
      try {
        r = await runReal(join(ROOT, FX, 'no-iptables.ts'));
      } finally {
        if (before[0] === undefined) delete process.env.SENTINEL_SIM_REAL_IPTABLES;
        else process.env.SENTINEL_SIM_REAL_IPTABLES = before[0];
        if (before[1] === undefined) delete process.env.SENTINEL_SIM_REAL_CLOCK;
        else process.env.SENTINEL_SIM_REAL_CLOCK = before[1];
      }
      expect(r.status).toBe('ok');
      expect(r.skipped.map((x) => x.replace(/^\d\d:\d\d:\d\d\.\d{3} /, ''))).toEqual([
        'partition redis1 | redis2,sentinel1: skipped (iptables turned off (SENTINEL_SIM_REAL_IPTABLES=off))',
        'setLink(every link): latency not applied (real runs model only loss, with iptables; tc netem on lo would delay every loopback user of the machine)',
        'setLink(every link): loss 0.1: skipped (iptables turned off (SENTINEL_SIM_REAL_IPTABLES=off))',
        'clockJump(redis2, 5000 ms): skipped (clock jumps turned off (SENTINEL_SIM_REAL_CLOCK=off))',
        'heal: skipped (iptables turned off (SENTINEL_SIM_REAL_IPTABLES=off))',
      ]);
      // the faults are in the records all the same, with a note for each skipped step
      expect(r.records.filter((x) => x.k === 'fault').map((x) => (x.k === 'fault' ? x.fault : ''))).toEqual(['partition', 'set-link', 'clock-jump', 'heal']);
      expect(r.records.filter((x) => x.k === 'note' && x.what === 'skipped').length).toBe(5);
    },
    60_000,
  );

  needs(
    noClock,
    'a clock jump steps the wall clock of the processes of one host: +5 s and -1 s put those Sentinels in TILT, as in the simulator',
    async () => {
      const r = await runReal(join(ROOT, FX, 'clock-jump.ts'));
      expect(failedExpects(r.records)).toEqual([]);
      expect(r.status).toBe('ok');
      expect(r.skipped).toEqual([]);
      const tilts = logs(r.records).filter((x) => x.event === '+tilt');
      expect(tilts.map((x) => x.node)).toEqual(['127.0.0.1:26761', '127.0.0.1:26762']);
      // the TILT comes at the Sentinel's next tick after the jump (≤ ~100 ms), as in the simulator
      const jump = r.records.find((x) => x.k === 'fault' && x.fault === 'clock-jump')!;
      expect(tilts[0]!.t - jump.t).toBeLessThan(1_000_000);
      // its log line carries the jumped wall clock (+5 s), its record the run's own time
      expect(tilts[0]!.wall - (r.header.epochMs + tilts[0]!.t / 1000)).toBeGreaterThan(4000);
    },
    60_000,
  );

  it('without redis-server: one line naming the Debian package, exit 2', async () => {
    const r = await new Promise<{ code: number | null; err: string }>((res) => {
      const c = spawn(process.execPath, ['bin/sentinel-sim.js', 'real', 'tutorial-failover'], { cwd: ROOT, env: { ...process.env, SENTINEL_SIM_REDIS_SERVER: '/nonexistent/redis-server' } });
      let err = '';
      c.stderr.on('data', (d: Buffer) => (err += d.toString()));
      c.on('exit', (code) => res({ code, err }));
    });
    expect(r.code).toBe(2);
    expect(r.err).toBe('sentinel-sim: redis-server not found: real runs need Redis 7.0.15 (Debian: apt-get install redis-server)\n');
  }, 30_000);
});
