// MIGRATE, differential: two real redis-server 7.0.15 (source and target on loopback) against two
// simulated servers, the same commands on both pairs, every reply compared (the target's host and port
// substituted). Covers KEYS, COPY / REPLACE, NOKEY, argument errors, the target's errors (BUSYKEY,
// AUTH without a password, NOAUTH / WRONGPASS with one), AUTH2, a dead port, the cached socket (one
// connection at the target, SELECT only when the db changes: the target's MONITOR feed).
import { createConnection } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redisServerFactory } from '../../engine/redis/server/index.ts';
import type { ProcessContext } from '../../engine/sim/process.ts';
import { Simulation } from '../../engine/sim/simulation.ts';
import { SimCli } from '../support/sim-cli.ts';
import { describeWithRealRedis } from './differential/pair.ts';
import { fromResp, RespClient, type Rep } from './differential/reply.ts';
import { freePort, RealServer } from './replication/real.ts';

/** Which server a step talks to, and the command ("$T" = the target's host, "$P" its port, "$D" a dead port). */
type Step = ['src' | 'dst' | 'auth', string[]];

const STEPS: Step[] = [
  ['src', ['mset', 'k', 'v', 'k2', 'v2', 'k3', 'v3']],
  ['src', ['rpush', 'l', 'a', 'b', 'c']],
  ['src', ['hset', 'h', 'f', 'v']],
  ['src', ['sadd', 's', 'x', 'y']],
  ['src', ['pexpire', 'k', '100000']],
  ['src', ['migrate', '$T', '$P', 'k', '0', '1000']],
  ['src', ['exists', 'k']],
  ['dst', ['get', 'k']],
  ['src', ['migrate', '$T', '$P', 'nokey', '0', '1000']],
  ['src', ['migrate', '$T', '$P', '', '0', '1000', 'keys', 'n1', 'n2']],
  ['src', ['migrate', '$T', '$P', 'l', '0', '1000', 'copy']],
  ['src', ['migrate', '$T', '$P', 'l', '0', '1000', 'copy']],
  ['src', ['migrate', '$T', '$P', 'l', '0', '1000', 'COPY', 'REPLACE']],
  ['src', ['llen', 'l']],
  ['dst', ['lrange', 'l', '0', '-1']],
  ['src', ['migrate', '$T', '$P', '', '3', '1000', 'keys', 'k2', 'missing', 'k3']],
  ['src', ['exists', 'k2', 'k3']],
  ['dst', ['select', '3']],
  ['dst', ['mget', 'k2', 'k3']],
  ['src', ['migrate', '$T', '$P', 'h', '0', '1000', 'keys', 'h']],
  ['src', ['migrate', '$T', '$P', 'h', 'x', '1000']],
  ['src', ['migrate', '$T', '$P', 'h', '0', 'x']],
  ['src', ['migrate', '$T', '$P', 'h', '0', '1000', 'bogus']],
  ['src', ['migrate', '$T', '$P', 'h', '0', '1000', 'auth']],
  ['src', ['migrate', '$T', '$P', 'h', '0', '1000', 'auth2', 'u']],
  ['src', ['migrate', '$T', '$P', 'h', '0', '1000', 'auth', 'secret']],
  ['src', ['migrate', '$T', '$P', 'h', '0', '1000', 'auth2', 'default', 'anything']],
  ['src', ['exists', 'h']],
  ['src', ['migrate', '$T', '$P', 's', '0', '1000']],
  ['src', ['set', 't', '1']],
  ['src', ['migrate', '$T', '$P', 't', '0', '0']],
  ['src', ['set', 's', 'again']],
  ['src', ['migrate', '$T', '$P', 's', '0', '1000']],
  ['dst', ['select', '0']],
  ['dst', ['get', 's']],
  ['src', ['migrate', '$T', '$P', 's', '0', '1000', 'replace']],
  ['dst', ['get', 's']],
  ['src', ['set', 'p', '1']],
  ['src', ['migrate', '$T', '$D', 'p', '0', '300']],
  ['src', ['migrate', '$T', '$D', '', '0', '300', 'keys', 'p']],
  ['src', ['migrate', '$T', '$A', 'p', '0', '1000']],
  ['src', ['migrate', '$T', '$A', 'p', '0', '1000', 'auth', 'wrong']],
  ['src', ['migrate', '$T', '$A', 'p', '0', '1000', 'auth', 'secret']],
  ['auth', ['auth', 'secret']],
  ['auth', ['get', 'p']],
  ['src', ['dbsize']],
  ['dst', ['dbsize']],
  ['dst', ['exists', 'k', 'l', 'h', 's', 't']],
  ['src', ['info', 'stats']],
];

/** INFO is compared on its migrate_cached_sockets line only. */
const shown = (step: Step, r: Rep): Rep =>
  step[1][0] === 'info' && typeof r === 'string' ? (/migrate_cached_sockets:\d+/.exec(r)?.[0] ?? r) : r;

interface Side {
  run(step: Step): Promise<Rep>;
  /** The target's MONITOR feed, command names only. */
  monitored(): Promise<string[]>;
  close(): void;
}

const subst = (argv: string[], t: string, p: number, dead: number, a: number) =>
  argv.map((x) => (x === '$T' ? t : x === '$P' ? String(p) : x === '$D' ? String(dead) : x === '$A' ? String(a) : x));

const monitorNames = (lines: string[]) => lines.map((l) => /\] "([A-Za-z]+)"/.exec(l)?.[1] ?? l);

async function realSide(): Promise<Side> {
  const [ps, pd, pa, dead] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const servers = [new RealServer(ps, []), new RealServer(pd, []), new RealServer(pa, ['--requirepass', 'secret'])];
  for (const s of servers) (await s.start()).close();
  const src = await RespClient.connect(ps);
  const dst = await RespClient.connect(pd);
  const auth = await RespClient.connect(pa);
  // the target's MONITOR feed on a raw socket: +OK, then one status line per command
  const mon = createConnection({ host: '127.0.0.1', port: pd });
  let fedText = '';
  mon.on('data', (d: Buffer) => (fedText += d.toString('latin1')));
  await new Promise<void>((res) => mon.once('connect', () => res()));
  mon.write('*1\r\n$7\r\nmonitor\r\n');
  await new Promise((r) => setTimeout(r, 50));
  return {
    run: ([who, argv]) => ({ src, dst, auth })[who].cmd(subst(argv, '127.0.0.1', pd, dead, pa)),
    monitored: async () => {
      await new Promise((r) => setTimeout(r, 50));
      return monitorNames(fedText.split('\r\n').filter((l) => l.startsWith('+') && l !== '+OK'));
    },
    close: () => {
      mon.destroy();
      for (const c of [src, dst, auth]) c.close();
      for (const s of servers) s.stop();
    },
  };
}

function simSide(): Side {
  const sim = new Simulation({ seed: 'migrate-diff', net: { defaultLink: { latencyMs: 0.005, jitter: { kind: 'uniform', ms: 0 } } } });
  const [ps, pd, pa, dead] = [7001, 7002, 7003, 7009];
  const add = (name: string, ip: string, port: number, extra = '') =>
    sim.addProcess(sim.addHost(name, ip), port, 'server', redisServerFactory({ configText: `port ${port}\nprotected-mode no\nsave ""\nappendonly no\n${extra}`, configPath: '/etc/redis.conf' }));
  add('src', '10.0.0.1', ps);
  add('dst', '10.0.0.2', pd);
  sim.addProcess(sim.host('dst'), pa, 'server', redisServerFactory({ configText: `port ${pa}\nsave ""\nappendonly no\nrequirepass secret\n`, configPath: '/etc/redis-a.conf' }));
  let ctx: ProcessContext | null = null;
  sim.addProcess(sim.addHost('cli', '10.0.1.1'), 50000, 'client', (c) => {
    ctx = c;
    return {};
  });
  sim.startAll();
  sim.run({ forMs: 10 });
  const src = new SimCli(sim, ctx!, '10.0.0.1', ps);
  const dst = new SimCli(sim, ctx!, '10.0.0.2', pd);
  const auth = new SimCli(sim, ctx!, '10.0.0.2', pa);
  const mon = new SimCli(sim, ctx!, '10.0.0.2', pd);
  mon.cmd('monitor');
  return {
    run: async ([who, argv]) => fromResp({ src, dst, auth }[who].cmd(...subst(argv, '10.0.0.2', pd, dead, pa))),
    monitored: async () => {
      sim.run({ forMs: 50 });
      return monitorNames(mon.inbox.splice(0).map((r) => String(fromResp(r))));
    },
    close: () => undefined,
  };
}

describeWithRealRedis('differential: MIGRATE between two real redis-server 7.0.15 and two simulated servers', () => {
  let real: Side;
  let sim: Side;
  beforeAll(async () => {
    real = await realSide();
    sim = simSide();
  });
  afterAll(() => real?.close());

  it('every reply and the target\'s MONITOR feed are equal', async () => {
    const diffs: string[] = [];
    for (const step of STEPS) {
      const r = shown(step, await real.run(step));
      const s = shown(step, await sim.run(step));
      if (JSON.stringify(r) !== JSON.stringify(s)) diffs.push(`${step[0]} ${step[1].join(' ')}: real ${JSON.stringify(r)} sim ${JSON.stringify(s)}`);
    }
    const mr = await real.monitored();
    const ms = await sim.monitored();
    if (JSON.stringify(mr) !== JSON.stringify(ms)) diffs.push(`target MONITOR: real ${JSON.stringify(mr)} sim ${JSON.stringify(ms)}`);
    expect(diffs).toEqual([]);
    expect(mr.filter((n) => n === 'SELECT').length).toBeGreaterThan(0);
  });
});
