// Redis server benchmarks (issue: the simulated Redis server): commands executed in-process.
import { Simulation } from '../engine/sim/simulation.ts';
import { processCommand, redisServerFactory, RedisServer } from '../engine/redis/server/index.ts';
import { wallMs, type Figure } from './figures.ts';

function bootServer(): RedisServer {
  const sim = new Simulation({ seed: 1, scenario: 'bench-server' });
  const h = sim.addHost('h', '127.0.0.1');
  sim.addProcess(h, 6379, 'server', redisServerFactory({ configText: 'port 6379\nsave ""\nappendonly no\n' }));
  sim.startAll();
  sim.run({ until: 1_000_000 });
  return sim.proc('127.0.0.1:6379').instance as RedisServer;
}

function measure(ops: number, gen: (i: number) => string[]): number {
  const server = bootServer();
  const c = server.createPseudoClient('normal');
  for (let i = 0; i < Math.min(ops, 50_000); i++) processCommand(server, c, gen(i)); // warm-up
  const t0 = wallMs();
  for (let i = 0; i < ops; i++) processCommand(server, c, gen(i));
  return ops / ((wallMs() - t0) / 1000);
}

const VALUE16 = 'v'.repeat(16);

export function keyspaceFigures(): Figure[] {
  const keys = Array.from({ length: 10_000 }, (_, i) => `key:${i}`);
  const setget = Math.max(
    ...[0, 1].map(() => measure(1_000_000, (i) => (i & 1 ? ['GET', keys[i % 10_000]!] : ['SET', keys[i % 10_000]!, VALUE16]))),
  );
  const mixed: ((i: number) => string[])[] = [
    (i) => ['SET', `s:${i % 1000}`, VALUE16],
    (i) => ['GET', `s:${i % 1000}`],
    (i) => ['INCR', `n:${i % 100}`],
    (i) => ['LPUSH', `l:${i % 100}`, VALUE16],
    (i) => ['RPOP', `l:${(i + 7) % 100}`],
    (i) => ['HSET', `h:${i % 100}`, `f${i % 50}`, VALUE16],
    (i) => ['HGET', `h:${i % 100}`, `f${i % 50}`],
    (i) => ['SADD', `t:${i % 100}`, `m${i % 200}`],
    (i) => ['SISMEMBER', `t:${i % 100}`, `m${i % 200}`],
    (i) => ['ZADD', `z:${i % 100}`, String(i % 1000), `m${i % 300}`],
    (i) => ['ZSCORE', `z:${i % 100}`, `m${i % 300}`],
    (i) => ['ZRANGE', `z:${i % 100}`, '0', '4'],
  ];
  const mixedRate = measure(600_000, (i) => mixed[i % mixed.length]!(i));
  // PFADD of one new element to 100 HyperLogLogs: sparse at first, dense past hll-sparse-max-bytes
  const pfadd = measure(300_000, (i) => ['PFADD', `hll:${i % 100}`, `e${i}`]);
  // XADD with auto IDs to 100 streams (listpack nodes filled and split as Redis does)
  const xadd = measure(300_000, (i) => ['XADD', `st:${i % 100}`, '*', 'field', VALUE16]);
  return [
    { name: 'keyspace-setget-per-s', value: Math.round(setget), unit: 'cmd/s', target: '>= 1000000' },
    { name: 'keyspace-mixed-per-s', value: Math.round(mixedRate), unit: 'cmd/s (5 types)', target: 'reported' },
    { name: 'keyspace-pfadd-per-s', value: Math.round(pfadd), unit: 'cmd/s', target: 'reported' },
    { name: 'keyspace-xadd-per-s', value: Math.round(xadd), unit: 'cmd/s', target: 'reported' },
  ];
}
