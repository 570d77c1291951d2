// Replication benchmarks (issue: replication): writes through a master with two replicas, and one
// full resync of a 100,000-key dataset, both over the simulated network.
import { argvSize, type Resp } from '../engine/net/resp.ts';
import type { Conn } from '../engine/net/types.ts';
import { processCommand, redisServerFactory, type RedisServer } from '../engine/redis/server/index.ts';
import { replicationOf } from '../engine/redis/replication/index.ts';
import type { ProcessContext } from '../engine/sim/process.ts';
import { Simulation } from '../engine/sim/simulation.ts';
import { loadavg } from 'node:os';
import { wallMs, type Figure } from './figures.ts';

const MASTER = { host: 'm', ip: '10.0.0.1', port: 6379 };
const REPLICAS = [
  { host: 'r1', ip: '10.0.0.2', port: 6379 },
  { host: 'r2', ip: '10.0.0.3', port: 6379 },
];
const BASE_CONF = 'port 6379\nsave ""\nappendonly no\nprotected-mode no\n'; // the hosts are not on loopback
const REPLICA_CONF = `${BASE_CONF}replicaof ${MASTER.ip} ${MASTER.port}\n`;

interface World {
  sim: Simulation;
  client: () => ProcessContext;
  server: (ip: string) => RedisServer;
}

/** A master, two replicas (not started) and a client box, each on its own host. */
function world(seed: string): World {
  const sim = new Simulation({ seed, scenario: 'bench-replication', trace: { detail: 'events' }, keyframeEveryMs: 0 });
  sim.addProcess(sim.addHost(MASTER.host, MASTER.ip), MASTER.port, 'server', redisServerFactory({ configText: BASE_CONF }));
  for (const r of REPLICAS) sim.addProcess(sim.addHost(r.host, r.ip), r.port, 'server', redisServerFactory({ configText: REPLICA_CONF }));
  let ctx: ProcessContext | null = null;
  sim.addProcess(sim.addHost('client', '10.0.0.9'), 50000, 'client', (c) => {
    ctx = c;
    return {};
  });
  sim.start('10.0.0.9:50000');
  return { sim, client: () => ctx!, server: (ip) => sim.proc(`${ip}:6379`).instance as RedisServer };
}

const linkUp = (s: RedisServer): boolean => s.repl.masterLinkUp;
/** The replica has processed everything the master has produced. */
const caughtUp = (m: RedisServer, r: RedisServer): boolean => {
  const link = replicationOf(r).replica.master;
  return link !== null && link.reploff === m.repl.masterReplOffset;
};

/**
 * `writes` SETs from one client over the network, `window` of them in flight at a time; done when
 * every reply arrived and both replicas applied the whole stream (their ACKs reached the master).
 */
export function replicatedWrites(writes: number, window: number): { perSec: number; perCpuSec: number; virtualMs: number } {
  const w = world('writes');
  w.sim.start(`${MASTER.ip}:6379`);
  for (const r of REPLICAS) w.sim.start(`${r.ip}:6379`);
  const m = w.server(MASTER.ip);
  const rs = REPLICAS.map((r) => w.server(r.ip));
  w.sim.runUntil(() => rs.every(linkUp), { timeout: '30s', what: 'replicas in sync' });
  w.sim.run({ forMs: 1500 }); // first REPLCONF ACKs, stream started

  const value = 'v'.repeat(16);
  const keys = Array.from({ length: 10_000 }, (_, i) => `key:${i}`);
  let sent = 0;
  let replied = 0;
  let errors = 0;
  let conn: Conn | null = null;
  const sendNext = () => {
    const argv = ['SET', keys[sent % 10_000]!, value];
    sent++;
    conn!.send(argv, argvSize(argv), 'client');
  };
  conn = w.client().connect(MASTER.ip, MASTER.port, {
    onOpen: () => {
      for (let i = 0; i < window && sent < writes; i++) sendNext();
    },
    onData: (p) => {
      replied++;
      if ((p as Resp).t === 'error') errors++;
      if (sent < writes) sendNext();
    },
  });
  const t0 = wallMs();
  const c0 = process.cpuUsage();
  const v0 = w.sim.now;
  const links = replicationOf(m).links;
  const acked = () => links.length === REPLICAS.length && links.every((l) => l.ackOff === m.repl.masterReplOffset);
  w.sim.runUntil(() => replied === writes && rs.every((r) => caughtUp(m, r)) && acked(), { timeout: '600s', what: 'all writes replicated and acknowledged' });
  const wall = wallMs() - t0;
  const c = process.cpuUsage(c0);
  if (errors > 0) throw new Error(`replicated writes: ${errors} error replies`);
  if (rs.some((r) => r.ks.totalKeys() !== m.ks.totalKeys())) throw new Error('replicated writes: replica datasets differ');
  return { perSec: writes / (wall / 1000), perCpuSec: writes / ((c.user + c.system) / 1e6), virtualMs: (w.sim.now - v0) / 1000 };
}

/** A master with `keys` keys; one replica starts and does a full resync: wall time until its link is up with all keys. */
export function fullResync(keys: number): { ms: number; virtualMs: number } {
  const w = world('fullsync');
  w.sim.start(`${MASTER.ip}:6379`);
  w.sim.run({ forMs: 100 });
  const m = w.server(MASTER.ip);
  const c = m.createPseudoClient('normal');
  const value = 'v'.repeat(16);
  for (let i = 0; i < keys; i++) processCommand(m, c, ['SET', `key:${i}`, value]);
  m.dropPseudoClient(c);
  const t0 = wallMs();
  const v0 = w.sim.now;
  w.sim.start(`${REPLICAS[0]!.ip}:6379`);
  const r = w.server(REPLICAS[0]!.ip);
  w.sim.runUntil(() => linkUp(r) && r.ks.totalKeys() === keys, { timeout: '120s', what: 'full resync' });
  const ms = wallMs() - t0;
  return { ms, virtualMs: (w.sim.now - v0) / 1000 };
}

export function replicationFigures(): Figure[] {
  replicatedWrites(20_000, 64); // warm-up
  const wr = replicatedWrites(300_000, 64);
  fullResync(10_000); // warm-up
  const fs = fullResync(100_000);
  return [
    {
      name: 'replicated-writes-per-s',
      value: Math.round(wr.perSec),
      unit: `writes/s (1 master + 2 replicas, ${(wr.virtualMs / 1000).toFixed(1)} virtual s)`,
      target: '>= 300000',
    },
    // per CPU-second of the whole process (GC threads included): what a loaded machine can still compare
    { name: 'replicated-writes-per-cpu-s', value: Math.round(wr.perCpuSec), unit: `writes per CPU-second (whole process, load ${loadavg()[0]!.toFixed(1)})`, target: '>= 300000' },
    {
      name: 'full-resync-100k-keys-ms',
      value: Math.round(fs.ms),
      unit: `ms (${(fs.virtualMs / 1000).toFixed(1)} virtual s, diskless)`,
      target: '< 2000',
    },
  ];
}
