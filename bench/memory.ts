// Memory figures (issue 19 item 5), each measured in a child process of its own (`bench/memory.ts --child
// <what>`, run with --expose-gc): the peak RSS of a 1,000-master monitoring run and of a 10⁶-key full resync
// (process.resourceUsage().maxRSS of the child), and the heap after GC sampled every virtual hour of a
// 24-hour idle run of the 3 + 3 tutorial cluster, with the least-squares slope in bytes per virtual hour.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildSimulation, cluster } from '../scenarios/api/index.ts';
import { nodeSha256 } from '../bin/nodeHash.ts';
import type { RedisServer } from '../engine/redis/server/index.ts';
import { replicationOf } from '../engine/redis/replication/index.ts';
import { simulatedFullResync } from './rdb.ts';
import { SETTLE_US, steadyRun } from './growth.ts';
import { wallMs, type Figure } from './figures.ts';

export type MemoryName = 'masters' | 'resync' | 'idle';

const HOUR_US = 3_600_000_000;
const load = (): string => loadavg()[0]!.toFixed(1);
const peakMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** A full GC: global gc() under --expose-gc, else the flag set now and gc taken from a fresh context. */
function fullGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** The least-squares slope of y on x (plain, not log-log). */
export function linearSlope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** 1,000 masters with a replica each, 3 Sentinels: 15 virtual s to settle, then `virtualS` more. */
export function mastersPeak(masters = 1000, virtualS = 15): Figure {
  const t0 = wallMs();
  steadyRun({ masters, replicas: 1, sentinels: 3 }, virtualS);
  return {
    name: `memory-${masters}-masters-peak-rss-mb`,
    value: peakMb(),
    unit: `MB peak RSS (${masters} masters + ${masters} replicas + 3 Sentinels, ${(SETTLE_US / 1e6 + virtualS).toFixed(0)} virtual s, events trace kept; ${Math.round(wallMs() - t0)} ms; load ${load()})`,
    target: 'reported',
  };
}

/** bench/rdb.ts's full resync of `keys` mixed keys. */
export function resyncPeak(keys = 1_000_000): Figure {
  const r = simulatedFullResync(keys);
  return {
    name: `memory-full-resync-${keys}-keys-peak-rss-mb`,
    value: peakMb(),
    unit: `MB peak RSS (${keys} keys of 5 types in master and replica, RDB ${r.rdbBytes} bytes; resync ${Math.round(r.ms)} ms; load ${load()})`,
    target: 'reported',
  };
}

/**
 * The tutorial's 3 servers + 3 Sentinels idle for `hours` virtual hours (trace in ring mode: the records
 * are the trace's to keep, not a leak): heapUsed after a full GC at every virtual hour. The fit starts at
 * the first hour (at least the second: V8 compiles the idle paths in the first) at which the master's
 * replication backlog is full: the Sentinels' hellos, PUBLISHed to the master and propagated, fill its
 * 1 MB repl-backlog-size in about 1.5 virtual hours and it holds the entries until then, as Redis does.
 */
export function idleHeap(hours = 24): { figure: Figure; samples: number[] } {
  const gc = fullGc();
  const spec = cluster({ replicas: 2, sentinels: 3, quorum: 2, downAfter: '5s', failoverTimeout: '60s' });
  const sim = buildSimulation(spec, { seed: 'idle-memory', scenario: 'bench-memory', detail: 'events', keyframeEveryMs: 0, hasher: nodeSha256, ring: 1000 });
  sim.startAll();
  const master = sim.proc(spec.initialMaster!).instance as RedisServer;
  const t0 = wallMs();
  const samples: number[] = [];
  let fullAt = 0;
  for (let h = 1; h <= hours; h++) {
    sim.run({ until: h * HOUR_US });
    gc();
    gc();
    samples.push(process.memoryUsage().heapUsed);
    const repl = replicationOf(master);
    if (fullAt === 0 && h >= 2 && repl.backlog !== null && repl.backlog.histlen >= repl.backlogSize) fullAt = h;
  }
  // too short a run to reach the full backlog: fit every hour (the figure then says GROWING)
  const fitted = samples.map((y, i) => ({ x: i + 1, y })).slice(fullAt > 0 && fullAt < hours ? fullAt - 1 : 0);
  const slope = linearSlope(fitted);
  // flat: the fitted growth over the fitted hours is under 1 % of the heap at the first of them
  const base = fitted[0]!.y;
  const limit = Math.round((0.01 * base) / Math.max(1, fitted.length - 1));
  const flat = Math.abs(slope) < limit;
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
  const first = fitted[0]!.x;
  return {
    samples,
    figure: {
      name: 'memory-idle-24h-heap-slope-bytes-per-hour',
      value: Math.round(slope),
      unit: `bytes/virtual hour of heapUsed after GC, 3 + 3 cluster idle ${hours} virtual h, fitted over hours ${first}–${hours} (replication backlog full from ${fullAt || 'never'} h; ${flat ? 'flat' : 'GROWING'}: ${kb(samples[0]!)} at 1 h, ${kb(base)} at ${first} h, ${kb(samples[samples.length - 1]!)} at ${hours} h; ${Math.round(wallMs() - t0)} ms; load ${load()})`,
      target: `< ${limit} (flat: under 1 % of the heap over the fitted hours)`,
    },
  };
}

/** Every memory figure, each in a child process of its own. */
export function memoryFigures(): Figure[] {
  const figures: Figure[] = [];
  for (const which of ['masters', 'resync', 'idle'] as MemoryName[]) {
    const args = ['--import', 'tsx', '--expose-gc', fileURLToPath(import.meta.url), '--child', which];
    const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    for (const l of out.split('\n')) if (l.startsWith('{')) figures.push(JSON.parse(l) as Figure);
  }
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const which = process.argv[process.argv.indexOf('--child') + 1];
  const f = which === 'masters' ? mastersPeak() : which === 'resync' ? resyncPeak() : which === 'idle' ? idleHeap().figure : null;
  if (!f) throw new Error('usage: bench/memory.ts --child masters|resync|idle');
  console.log(JSON.stringify(f));
}
