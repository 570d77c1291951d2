// Real RDB bytes at scale (issue 17): a full resync of 1,000,000 mixed keys over the simulated network (wall
// ms), and the size of the RDB the simulated master produces for them against the dump.rdb real
// redis-server 7.0.15 writes for the same commands. Run as a child of bench/run.ts (it prints JSON lines).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processCommand, redisServerFactory, type RedisServer } from '../engine/redis/server/index.ts';
import { snapshot } from '../engine/redis/persistence/rdb.ts';
import { Simulation } from '../engine/sim/simulation.ts';
import { wallMs, type Figure } from './figures.ts';

const KEYS = Number(process.env.BENCH_RDB_KEYS ?? 1_000_000);
const REDIS_SERVER = '/usr/bin/redis-server';
const CONF = 'port 6379\nsave ""\nappendonly no\nprotected-mode no\n'; // the hosts are not on loopback

/** The i-th key's command: strings (text and integers), lists, hashes, sets (intset and hashtable), sorted sets. */
function command(i: number): string[] {
  const k = `k:${i}`;
  switch (i % 6) {
    case 0:
      return ['SET', k, `value-${i}-${'x'.repeat(i % 24)}`];
    case 1:
      return ['SET', k, String(i * 7)];
    case 2:
      return ['RPUSH', k, `a${i}`, `b${i}`, String(i), 'c'];
    case 3:
      return ['HSET', k, 'name', `n${i}`, 'count', String(i % 1000), 'flag', i % 2 ? 'yes' : 'no'];
    case 4:
      return i % 12 === 4 ? ['SADD', k, String(i), String(i + 1), String(i + 2)] : ['SADD', k, `m${i}`, `m${i + 1}`];
    default:
      return ['ZADD', k, String(i % 100), `z${i}`, String((i % 37) + 0.5), `y${i}`];
  }
}

/** A replica's diskless full resync of a master holding `keys` mixed keys (also bench/growth.ts's resync curve). */
export function simulatedFullResync(keys = KEYS): { ms: number; virtualMs: number; rdbBytes: number } {
  const sim = new Simulation({ seed: 'bench-rdb', scenario: 'bench-rdb', trace: { detail: 'events' }, keyframeEveryMs: 0 });
  sim.addProcess(sim.addHost('m', '10.0.0.1'), 6379, 'server', redisServerFactory({ configText: CONF }));
  sim.addProcess(sim.addHost('r', '10.0.0.2'), 6379, 'server', redisServerFactory({ configText: `${CONF}replicaof 10.0.0.1 6379\n` }));
  sim.start('10.0.0.1:6379');
  sim.run({ forMs: 100 });
  const m = sim.proc('10.0.0.1:6379').instance as RedisServer;
  const c = m.createPseudoClient('normal');
  for (let i = 0; i < keys; i++) processCommand(m, c, command(i));
  m.dropPseudoClient(c);
  const rdbBytes = snapshot(m.ks, 0, {}).size;
  const t0 = wallMs();
  const v0 = sim.now;
  sim.start('10.0.0.2:6379');
  const r = sim.proc('10.0.0.2:6379').instance as RedisServer;
  sim.runUntil(() => r.repl.masterLinkUp && r.ks.totalKeys() === keys, { timeout: '600s', what: 'full resync' });
  return { ms: wallMs() - t0, virtualMs: (sim.now - v0) / 1000, rdbBytes };
}

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const resp = (argv: string[]): string => `*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

/** The same commands through one pipelined loopback connection to a real redis-server, then SAVE: dump.rdb's size. */
async function realRdbBytes(): Promise<number | null> {
  if (!existsSync(REDIS_SERVER)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'bench-rdb-'));
  const port = await freePort();
  const server = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  try {
    const sock = await new Promise<ReturnType<typeof connect>>((resolve, reject) => {
      let tries = 0;
      const attempt = () => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.once('error', () => (++tries > 50 ? reject(new Error('redis-server did not start')) : setTimeout(attempt, 100)));
      };
      attempt();
    });
    // every reply of these commands is one line (+OK, :n); SAVE's +OK is the last one
    const total = KEYS + 1;
    const done = new Promise<void>((resolve, reject) => {
      let lines = 0;
      sock.on('data', (b: Buffer) => {
        for (const byte of b) if (byte === 10) lines++;
        if (b.includes('-ERR')) reject(new Error(`redis-server: ${b.toString().slice(0, 80)}`));
        if (lines >= total) resolve();
      });
    });
    for (let i = 0; i < KEYS; i += 10_000) {
      let chunk = '';
      for (let j = i; j < Math.min(KEYS, i + 10_000); j++) chunk += resp(command(j));
      if (!sock.write(chunk)) await new Promise((r) => sock.once('drain', r));
    }
    sock.write(resp(['SAVE']));
    await done;
    sock.end();
    return statSync(join(dir, 'dump.rdb')).size;
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sim = simulatedFullResync();
  const real = await realRdbBytes();
  const figures: Figure[] = [
    {
      name: 'full-resync-1m-mixed-keys-ms',
      value: Math.round(sim.ms),
      unit: `ms (${KEYS} keys of 5 types, ${(sim.virtualMs / 1000).toFixed(1)} virtual s, diskless)`,
      target: 'reported',
    },
    { name: 'rdb-1m-mixed-keys-bytes', value: sim.rdbBytes, unit: 'bytes (the simulated master’s RDB)', target: 'reported' },
  ];
  if (real !== null)
    figures.push({
      name: 'rdb-bytes-vs-real-redis',
      value: Number((sim.rdbBytes / real).toFixed(4)),
      unit: `ratio (real redis-server 7.0.15 dump.rdb: ${real} bytes)`,
      target: '>= 0.99',
    });
  for (const f of figures) console.log(JSON.stringify(f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
