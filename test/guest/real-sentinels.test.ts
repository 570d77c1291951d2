// The same application code against real Redis 7.0.15 Sentinels and against the simulation (issue 18): the
// writers of scenarios/apps/code run unchanged with real ioredis / node-redis on real timers against real
// redis-server processes on 127.0.0.1 (the tutorial's settings: password, quorum 1, down-after 1500 ms), the
// master is killed (SIGKILL), and the sequence of masters the client reports (its ctx.view calls) must be the
// simulation's: the first master, then the replica it promoted. Needs redis-server: skipped outside CI without it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { runScenario, type Scenario } from '../../scenarios/api/index.ts';
import { needs, redisMissing } from '../support/cli-process.ts';

const APPS = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios/apps');
const PASS = '0234kz9*1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RealCluster {
  master: number;
  replica: number;
  sentinels: number[];
  procs: Map<number, ChildProcess>;
  dir: string;
}

function startReal(base: number): RealCluster {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-guest-'));
  const c: RealCluster = { master: base, replica: base + 1, sentinels: [base + 10, base + 11, base + 12], procs: new Map(), dir };
  const common = (port: number) => `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsave ""\nappendonly no\nrequirepass ${PASS}\nmasterauth ${PASS}\n`;
  const start = (port: number, text: string, sentinel = false) => {
    const f = join(dir, `${port}.conf`);
    writeFileSync(f, text);
    c.procs.set(port, spawn('redis-server', sentinel ? [f, '--sentinel'] : [f], { stdio: 'ignore' }));
  };
  start(c.master, common(c.master));
  start(c.replica, `${common(c.replica)}replicaof 127.0.0.1 ${c.master}\n`);
  for (const p of c.sentinels)
    start(
      p,
      `port ${p}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor TestMaster 127.0.0.1 ${c.master} 1\nsentinel down-after-milliseconds TestMaster 1500\n` +
        `sentinel failover-timeout TestMaster 10000\nsentinel auth-pass TestMaster ${PASS}\n`,
      true,
    );
  return c;
}

function stopReal(c: RealCluster): void {
  for (const p of c.procs.values()) p.kill('SIGKILL');
  rmSync(c.dir, { recursive: true, force: true });
}

/** The app's ctx on real time (what bin/guest gives it in the simulation), recording its views. */
function realCtx(c: RealCluster, params: unknown) {
  const views: (string | null)[] = [];
  const ctx = {
    name: 'web-1',
    ip: '127.0.0.1',
    node: '127.0.0.1:0',
    params,
    sentinels: c.sentinels.map((port) => ({ host: '127.0.0.1', port })),
    servers: [c.master, c.replica].map((port) => ({ host: '127.0.0.1', port })),
    masterName: 'TestMaster',
    stopped: false,
    now: () => performance.now(),
    sleep,
    untilStopped: async () => undefined,
    log: () => undefined,
    view: (m: string | null) => void views.push(m),
    invoke: () => ({ ok: () => undefined, fail: () => undefined, info: () => undefined }),
    import: (spec: string) => import(spec),
  };
  return { ctx, views };
}

/** Distinct consecutive masters named, without the nulls of reconnections. */
const sequence = (views: (string | null)[]) => views.filter((v): v is string => v !== null).filter((v, i, a) => i === 0 || a[i - 1] !== v);

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!cond() && performance.now() < end) await sleep(50);
}

/** A Sentinel's reply to `SENTINEL <args>` as redis-cli prints it (one element a line), '' when it does not answer. */
function sentinelCmd(port: number, ...args: string[]): Promise<string> {
  return new Promise((res) => execFile('redis-cli', ['-p', String(port), 'SENTINEL', ...args], { timeout: 5000 }, (err, out) => res(err ? '' : out)));
}

/** Every Sentinel sees the replica linked to its master (from the replica's INFO after its sync) and the two other Sentinels. */
async function discovered(c: RealCluster): Promise<boolean> {
  for (const p of c.sentinels) {
    const [replicas, master] = await Promise.all([sentinelCmd(p, 'replicas', 'TestMaster'), sentinelCmd(p, 'master', 'TestMaster')]);
    if (!/\nflags\nslave\n/.test(replicas) || !/\nmaster-link-status\nok\n/.test(replicas) || !/\nnum-other-sentinels\n2\n/.test(master)) return false;
  }
  return true;
}

async function realMasters(writer: string, base: number): Promise<string[]> {
  const c = startReal(base);
  try {
    await sleep(500);
    const mod = (await import(resolve(APPS, `code/${writer}.ts`))) as { default: (ctx: unknown) => Promise<void> };
    const { ctx, views } = realCtx(c, { password: PASS, everyMs: 10 });
    const done = mod.default(ctx);
    await waitFor(() => views.includes(`127.0.0.1:${c.master}`), 10_000);
    // the replica syncs (5 s diskless delay) and every Sentinel learns of it (INFO every 10 s)
    const t0 = performance.now();
    while (!(await discovered(c))) {
      if (performance.now() - t0 > 30_000) throw new Error('the Sentinels did not see the synced replica and each other within 30 s');
      await sleep(200);
    }
    c.procs.get(c.master)!.kill('SIGKILL');
    await waitFor(() => views.includes(`127.0.0.1:${c.replica}`), 30_000);
    ctx.stopped = true;
    await done;
    return sequence(views).map((v) => (v === `127.0.0.1:${c.master}` ? 'master' : v === `127.0.0.1:${c.replica}` ? 'replica' : v));
  } finally {
    stopReal(c);
  }
}

async function simMasters(scenario: string): Promise<string[]> {
  const sc = ((await import(resolve(APPS, `${scenario}.ts`))) as { default: Scenario }).default;
  const r = runScenario(sc, { readFile: (p) => readFileSync(resolve(APPS, p), 'utf8') });
  const views = r.sim.trace.records().flatMap((x) => (x.k === 'note' && x.what === 'app-view' ? [(x.data as { master: string | null }).master] : []));
  return sequence(views).map((v) => (v === '127.0.0.1:7003' ? 'master' : v === '127.0.0.1:8003' ? 'replica' : v));
}

// the two clusters are on their own ports: their real-time waits overlap
describe.concurrent('the client flows against real Sentinels and in the simulation', () => {
  const missing = redisMissing();
  needs(
    missing,
    'ioredis Sentinel mode: discovery, then reconnection to the promoted replica, as on real Redis 7.0.15',
    async () => {
      const real = await realMasters('ioredis-sentinel-writer', 27_410);
      expect(real).toEqual(['master', 'replica']);
      expect(await simMasters('ioredis-tutorial-failover')).toEqual(real);
    },
    300_000,
  );
  needs(
    missing,
    "node-redis's Sentinel client: the same sequence of masters on real Redis 7.0.15 and in the simulation",
    async () => {
      const real = await realMasters('node-redis-sentinel-writer', 27_440);
      expect(real).toEqual(['master', 'replica']);
      expect(await simMasters('node-redis-tutorial-failover')).toEqual(real);
    },
    300_000,
  );
});
