// Distributed property search (issue 19): the same seeds run by two `sentinel-sim worker` processes (one thread
// each) through BullMQ on a loopback redis-server, against one `sentinel-sim check` process with one thread.
// Both through the CLI as users run it; each side's rate is its JSON report's runs / wallMs (the search, from
// its first run or enqueued batch to its last stored report; process start-up excluded), best of two rounds.
// The figure is the ratio: two processes should scale like two threads (property-2-worker-speedup); the rate
// of one process with two threads is printed beside it (what the queue costs on one machine).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childFigures, type Figure } from './figures.ts';

const ROOT = resolve(import.meta.dirname, '..');
const REDIS_SERVER = '/usr/bin/redis-server';
const RUNS = 32;
const FIRST_SEED = 1000;
const ROUNDS = 2;
const SEARCH = ['--runs', String(RUNS), '--seed', String(FIRST_SEED), '--schedule', '120s', '--no-known', '--shrink-runs', '0'];

const freePort = () =>
  new Promise<number>((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `sentinel-sim check … --json`: runs per second of its search. */
function rate(args: string[], dir: string, name: string): number {
  const json = join(dir, `${name}.json`);
  // exit 1 when a property fails: still a measurement
  try {
    execFileSync(process.execPath, ['bin/sentinel-sim.js', 'check', ...args, '--json', json, '--out', join(dir, 'failures')], { cwd: ROOT, stdio: 'ignore' });
  } catch (e) {
    if ((e as { status?: number }).status !== 1) throw e;
  }
  const r = JSON.parse(readFileSync(json, 'utf8')) as { runs: number; wallMs: number };
  if (r.runs !== RUNS) throw new Error(`${name}: ${r.runs} of ${RUNS} runs`);
  return r.runs / (r.wallMs / 1000);
}

function startWorker(url: string): Promise<ChildProcess> {
  return new Promise((res, rej) => {
    const c = spawn(process.execPath, ['bin/sentinel-sim.js', 'worker', '--queue', url, '--workers', '1'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('worker: ready')) res(c);
    });
    c.once('exit', (code) => rej(new Error(`worker exited ${code}: ${err}`)));
  });
}

async function child(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-distributed-'));
  const port = await freePort();
  const redis = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const workers: ChildProcess[] = [];
  try {
    await sleep(300);
    const url = `redis://127.0.0.1:${port}/0`;
    workers.push(...(await Promise.all([startWorker(url), startWorker(url)])));
    let dist = 0;
    let one = 0;
    let two = 0;
    for (let i = 0; i < ROUNDS; i++) {
      // a fresh search each round (no --resume): every seed runs again
      dist = Math.max(dist, rate([...SEARCH, '--queue', url, '--batch', '2'], dir, `queue-${i}`));
      one = Math.max(one, rate([...SEARCH, '--workers', '1'], dir, `local-${i}`));
      two = Math.max(two, rate([...SEARCH, '--workers', '2'], dir, `local2-${i}`));
    }
    const f: Figure = {
      name: 'distributed-runs-per-s',
      value: Math.round((dist / one) * 100) / 100,
      unit: `x (2 worker processes × 1 thread through BullMQ: ${dist.toFixed(2)} runs/s; 1 process × 1 thread: ${one.toFixed(2)} runs/s; for reference 1 process × 2 threads: ${two.toFixed(2)} runs/s; ${RUNS} seeds, 120 s schedules, batches of 2)`,
      target: '>= 1.6',
    };
    console.log(JSON.stringify(f));
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    redis.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export function distributedFigures(): Figure[] {
  if (!existsSync(REDIS_SERVER)) {
    console.error(`distributed figures skipped: no redis-server at ${REDIS_SERVER}`);
    return [];
  }
  return childFigures(import.meta.url);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--child')) await child();
