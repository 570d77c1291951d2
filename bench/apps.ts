// Application hosts (issue 18): the wall time of the ioredis example (scenarios/apps/ioredis-tutorial-failover.ts:
// real ioredis in a guest thread, one SADD per 10 ms through the tutorial failover) against the same failover
// without the application (scenarios/tutorial-failover.ts), and its speed in virtual seconds per wall second.
// Two cases: a process's first app run starts a guest thread and loads Node's modules, the runtime and ioredis
// into it (each `run` command); the runs after it reuse that thread (bin/guest/pool.ts: a property search's
// runs, `check --app`, any later run in the process), loading the app and ioredis afresh but not Node. CPU time
// counts every thread of the process (the guest's, V8's compiler and GC threads): less sensitive to a loaded
// machine than wall time. For context, the same failover with the same traffic from the simulator's own
// Sentinel client (engine/client: one SADD per 10 ms, no guest thread) shows what the traffic itself costs.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addClients, defineScenario, fromConfigFiles, runScenario, startWorkload, waitDiscovered, type Scenario } from '../scenarios/api/index.ts';
import { nodeSha256 } from '../bin/nodeHash.ts';
import { endIdleThreads, poolStats } from '../bin/guest/pool.ts';
import appScenario from '../scenarios/apps/ioredis-tutorial-failover.ts';
import tutorial from '../scenarios/tutorial-failover.ts';
import { wallMs, type Figure } from './figures.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../scenarios');

interface Timed {
  ms: number;
  /** CPU ms of all the process's threads. */
  cpuMs: number;
  virtualS: number;
  status: string;
}

function timeRun(sc: Scenario, dir: string): Timed {
  const c0 = process.cpuUsage();
  const t0 = wallMs();
  const r = runScenario(sc, { readFile: (p) => readFileSync(resolve(dir, p), 'utf8'), hasher: nodeSha256, ring: 1024 });
  const ms = wallMs() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, virtualS: r.sim.now / 1e6, status: r.status };
}

/** The example's script with the engine's Sentinel client in place of the app (the same writes, one per 10 ms). */
const engineClient = defineScenario({
  name: 'engine-client-tutorial-failover',
  seed: 1,
  setup: () =>
    fromConfigFiles({
      servers: ['../tutorial/redis.conf', '../tutorial/redis_slave.conf'],
      sentinels: ['../tutorial/sentinel1.conf', '../tutorial/sentinel2.conf', '../tutorial/sentinel3.conf'],
    }),
  script: (s) => {
    const clients = addClients(s, { hosts: ['web-1'], password: '0234kz9*1' });
    startWorkload(s, clients, { kind: 'set-add', rate: 100, duration: '36s' });
    s.at('10s');
    s.expect(waitDiscovered(s), 'every Sentinel knows the replica and the two other Sentinels');
    const killedAt = s.now;
    s.kill('7003');
    s.waitFor('+switch-master', { timeout: '30s' });
    s.at((killedAt + 8_000_000) / 1000);
    s.restart('7003');
    s.waitFor('+convert-to-slave', { timeout: '30s' });
    s.sleep('8s');
  },
});

const best = (xs: number[]) => Math.min(...xs);
const app = () => timeRun(appScenario, resolve(root, 'apps'));

/** A run in a new guest thread (the idle ones ended first). */
function firstRun(): Timed {
  endIdleThreads();
  const started = poolStats.started;
  const r = app();
  if (poolStats.started !== started + 1) throw new Error('bench: the first run did not start a guest thread');
  return r;
}

/** A run in the thread the previous run left idle. */
function reusedRun(): Timed {
  const reused = poolStats.reused;
  const r = app();
  if (poolStats.reused !== reused + 1) throw new Error('bench: the run did not reuse a guest thread');
  return r;
}

export function appFigures(): Figure[] {
  timeRun(tutorial, root); // JIT warm-up
  const bare = [0, 1, 2].map(() => timeRun(tutorial, root));
  const first = [firstRun()];
  const steady = [0, 1, 2].map(reusedRun);
  first.push(firstRun());
  const engine = [0, 1, 2].map(() => timeRun(engineClient, resolve(root, 'apps')));
  if ([...first, ...steady, ...engine].some((r) => r.status !== 'ok')) throw new Error('the ioredis example (or its engine-client twin) did not pass');
  const base = best(bare.map((r) => r.ms));
  const baseCpu = best(bare.map((r) => r.cpuMs));
  const ms = best(steady.map((r) => r.ms));
  const cpu = best(steady.map((r) => r.cpuMs));
  const firstMs = best(first.map((r) => r.ms));
  const firstCpu = best(first.map((r) => r.cpuMs));
  const k = (x: number) => Math.round(x).toLocaleString('en');
  return [
    {
      name: 'app-tutorial-failover-ms',
      value: Math.round(ms),
      unit: `ms, a run in a reused guest thread, best of 3 (bare ${k(base)}; CPU ${k(cpu)} ms vs ${k(baseCpu)})`,
      target: `<= ${Math.round(3 * base)}`,
    },
    {
      name: 'app-tutorial-failover-first-ms',
      value: Math.round(firstMs),
      unit: `ms, a process's first app run: new guest thread, best of 2 (bare ${k(base)}; CPU ${k(firstCpu)} ms vs ${k(baseCpu)})`,
      target: `<= ${Math.round(3 * base)}`,
    },
    { name: 'app-tutorial-failover-cpu-x', value: cpu / baseCpu, unit: 'CPU time (all threads) of a reused-thread run / bare', target: '<= 3' },
    {
      name: 'app-vs-engine-client-cpu-x',
      value: cpu / best(engine.map((r) => r.cpuMs)),
      unit: `CPU of a reused-thread run / the same writes by engine/client (${k(best(engine.map((r) => r.cpuMs)))} ms; context)`,
      target: '(context)',
    },
    { name: 'app-x-realtime', value: steady[0]!.virtualS / (ms / 1000), unit: 'virtual s / s (reused thread)', target: '>= 1' },
  ];
}
