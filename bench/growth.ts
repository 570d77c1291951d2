// Growth curves (issue 19 item 4): wall time of 60 virtual seconds as a deployment grows — monitored
// masters per Sentinel, Sentinels, replicas — and of a full resync as the dataset grows, each with the
// exponent of a least-squares fit of log(time) on log(size). Each curve runs in a child process of its
// own (`bench/growth.ts --child <curve>`): the largest sizes allocate a lot, and the other figures should
// not inherit that heap. Quick mode (the default) runs the 1,000-master point for 15 virtual s (scaled
// ×4) and stops the resync curve at 10⁵ keys (bench/rdb.ts measures 10⁶); `--full` runs every size in full.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildSimulation, fromConfigTexts, type ConfigText } from '../scenarios/api/index.ts';
import type { Simulation } from '../engine/sim/simulation.ts';
import { nodeSha256 } from '../bin/nodeHash.ts';
import { simulatedFullResync } from './rdb.ts';
import { wallMs, type Figure } from './figures.ts';

export interface Deployment {
  /** Masters, each on its own host, every one monitored by every Sentinel. */
  masters: number;
  /** Replicas of each master, each on its own host. */
  replicas: number;
  sentinels: number;
}

export interface Point {
  x: number;
  /** Wall ms of the measured stretch. */
  y: number;
  /** CPU ms of this process over the same stretch (user + system, GC threads included). */
  cpu: number;
}

export type CurveName = 'masters' | 'sentinels' | 'replicas' | 'resync';

const SERVER_CONF = 'port 6379\nsave ""\nappendonly no\nprotected-mode no\n';

/** 10.a.b.c addresses: servers in 10.1/16, Sentinels in 10.2/16. */
const ip = (net: number, i: number): string => `10.${net}.${(i >> 8) & 255}.${i & 255}`;

/** A Sentinel's run ID: 40 hex digits. */
const sentinelId = (s: number): string => (s + 1).toString(16).padStart(40, '0');

/**
 * The deployment as redis.conf / sentinel.conf texts, through the scenario API's fromConfigTexts. Each
 * sentinel.conf is as Sentinel rewrote it after a first start (myid, known-replica, known-sentinel lines):
 * a cold start discovers every replica and Sentinel one by one, and Redis rewrites the whole file at each
 * discovery (sentinelFlushConfig after +slave / +sentinel) — work quadratic in masters by Redis's design,
 * which would otherwise dominate the settle time at 1,000 masters.
 */
export function deploymentConfigs(d: Deployment): { servers: ConfigText[]; sentinels: ConfigText[] } {
  const quorum = Math.floor(d.sentinels / 2) + 1;
  const servers: ConfigText[] = [];
  const monitor: string[] = [];
  const known: string[][] = Array.from({ length: d.sentinels }, () => []);
  let n = 0;
  for (let m = 0; m < d.masters; m++) {
    const mip = ip(1, ++n);
    servers.push({ name: `m${m}.conf`, ip: mip, text: SERVER_CONF });
    monitor.push(`sentinel monitor m${m} ${mip} 6379 ${quorum}\nsentinel down-after-milliseconds m${m} 5000\n`);
    const replicas: string[] = [];
    for (let r = 0; r < d.replicas; r++) {
      const rip = ip(1, ++n);
      servers.push({ name: `m${m}r${r}.conf`, ip: rip, text: `${SERVER_CONF}replicaof ${mip} 6379\n` });
      replicas.push(`sentinel known-replica m${m} ${rip} 6379\n`);
    }
    for (let s = 0; s < d.sentinels; s++) {
      known[s]!.push(...replicas);
      for (let o = 0; o < d.sentinels; o++) if (o !== s) known[s]!.push(`sentinel known-sentinel m${m} ${ip(2, o + 1)} 26379 ${sentinelId(o)}\n`);
    }
  }
  const sentinels = known.map((k, s) => ({
    name: `s${s}.conf`,
    ip: ip(2, s + 1),
    text: `port 26379\ndir /tmp\nsentinel myid ${sentinelId(s)}\n${monitor.join('')}${k.join('')}`,
  }));
  return { servers, sentinels };
}

/** A deployment built from its config texts, not started. */
export function deployment(d: Deployment, seed: string): Simulation {
  const spec = fromConfigTexts(deploymentConfigs(d));
  return buildSimulation(spec, { seed, scenario: 'bench-growth', detail: 'events', keyframeEveryMs: 0, hasher: nodeSha256 });
}

/** Virtual µs a deployment runs before the measured stretch: links, first INFO, full syncs, hellos. */
export const SETTLE_US = 15_000_000;

/**
 * Ms of `virtualS` seconds once the deployment has settled, and the log lines written meanwhile (a settled
 * deployment writes none: no discovery, no config rewrite, no down event).
 */
export function steadyRun(d: Deployment, virtualS = 60): { ms: number; cpuMs: number; logLines: number } {
  const sim = deployment(d, `growth-${d.masters}-${d.replicas}-${d.sentinels}`);
  sim.startAll();
  sim.run({ until: SETTLE_US });
  let logLines = 0;
  sim.trace.subscribe((r) => {
    if (r.k === 'log') logLines++;
  });
  const t0 = wallMs();
  const c0 = process.cpuUsage();
  sim.run({ until: SETTLE_US + virtualS * 1_000_000 });
  const c = process.cpuUsage(c0);
  return { ms: wallMs() - t0, cpuMs: (c.user + c.system) / 1000, logLines };
}

/** The slope of the least-squares line through (log x, log y): y ∝ x^slope. */
export function fittedExponent(points: readonly { x: number; y: number }[]): number {
  const xs = points.map((p) => Math.log(p.x));
  const ys = points.map((p) => Math.log(p.y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** The exponent between each pair of neighbouring sizes: a super-linear step shows as one > 1. */
export function stepExponents(points: readonly { x: number; y: number }[]): number[] {
  return points.slice(1).map((p, i) => Math.log(p.y / points[i]!.y) / Math.log(p.x / points[i]!.x));
}

interface CurveDef {
  name: string;
  what: string;
  target: string;
  /** Quick mode's sizes, then the full curve's. */
  quick: number[];
  full: number[];
  /** Wall and CPU ms of one size (scaled to 60 virtual s when it ran fewer), log lines in the measured stretch. */
  measure: (size: number, full: boolean) => { ms: number; cpuMs: number; logLines?: number };
}

/** Quick mode: 1,000 masters run 15 virtual s (after the settle), scaled ×4 to 60 s (the steady state is periodic). */
const MASTERS_SHORT_RUN = { at: 1000, virtualS: 15 };

export const CURVES: Record<CurveName, CurveDef> = {
  // every Sentinel pings, INFOs and hellos each master and replica every 1 / 10 / 2 s: linear in masters
  masters: {
    name: 'growth-masters-per-sentinel-exponent',
    what: `masters per Sentinel (each with 1 replica), 3 Sentinels, 60 virtual s after a 15 s settle (quick mode: ${MASTERS_SHORT_RUN.at} masters run ${MASTERS_SHORT_RUN.virtualS} virtual s, ×${60 / MASTERS_SHORT_RUN.virtualS})`,
    target: '<= 1.15',
    quick: [1, 10, 100, 1000],
    full: [1, 10, 100, 1000],
    measure: (m, full) => {
      const short = !full && m >= MASTERS_SHORT_RUN.at;
      const scale = short ? 60 / MASTERS_SHORT_RUN.virtualS : 1;
      const r = steadyRun({ masters: m, replicas: 1, sentinels: 3 }, short ? MASTERS_SHORT_RUN.virtualS : 60);
      return { ms: r.ms * scale, cpuMs: r.cpuMs * scale, logLines: r.logLines };
    },
  },
  // the hello mesh: every Sentinel hellos (and so PINGs, INFOs) every other one through each master and
  // replica, and keeps a link to each — quadratic in Sentinels by design (sentinel.c, sentinelSendHello)
  sentinels: {
    name: 'growth-sentinels-exponent',
    what: 'Sentinels, 1 master + 2 replicas, 60 virtual s (the hello mesh is quadratic in Sentinels by Redis’s design)',
    target: '<= 2.1',
    quick: [3, 5, 9, 15],
    full: [3, 5, 9, 15],
    measure: (s) => steadyRun({ masters: 1, replicas: 2, sentinels: s }),
  },
  replicas: {
    name: 'growth-replicas-exponent',
    what: 'replicas, 1 master, 3 Sentinels, 60 virtual s',
    target: '<= 1.15',
    quick: [1, 5, 20],
    full: [1, 5, 20],
    measure: (r) => steadyRun({ masters: 1, replicas: r, sentinels: 3 }),
  },
  // bench/rdb.ts's mixed keys of five types, encoded and decoded as RDB
  resync: {
    name: 'growth-full-resync-keys-exponent',
    what: 'keys (5 types, bench/rdb.ts) in a diskless full resync',
    target: '<= 1.15',
    quick: [10_000, 100_000],
    full: [10_000, 100_000, 1_000_000],
    measure: (k) => {
      const c0 = process.cpuUsage();
      const r = simulatedFullResync(k);
      const c = process.cpuUsage(c0);
      return { ms: r.ms, cpuMs: (c.user + c.system) / 1000 };
    },
  },
};

const load = (): string => loadavg()[0]!.toFixed(1);
const fmt = (v: number): string => (v < 10 ? v.toFixed(1) : String(Math.round(v)));

/**
 * Measure one curve (the smallest size first once more, as JIT warm-up): its fitted exponent, and the
 * largest exponent between neighbouring sizes (`<name>-max-step`: a super-linear step the fit averages away).
 */
export function measureCurve(which: CurveName, full: boolean, sizes = full ? CURVES[which].full : CURVES[which].quick): Figure[] {
  const def = CURVES[which];
  def.measure(sizes[0]!, full);
  const loads: string[] = [];
  let logLines = 0;
  const points: Point[] = sizes.map((x) => {
    const r = def.measure(x, full);
    loads.push(load());
    logLines += r.logLines ?? 0;
    return { x, y: Math.max(0.01, r.ms), cpu: Math.max(0.01, r.cpuMs) };
  });
  const shown = points.map((p, i) => `${p.x}: ${fmt(p.y)} ms (cpu ${fmt(p.cpu)}, load ${loads[i]})`).join(', ');
  const stepList = stepExponents(points);
  const steps = stepList.map((e) => e.toFixed(2)).join(' ');
  const cpuPoints = points.map((p) => ({ x: p.x, y: p.cpu }));
  const cpuExp = fittedExponent(cpuPoints).toFixed(2);
  const cpuSteps = stepExponents(cpuPoints).map((e) => e.toFixed(2)).join(' ');
  const maxStep = Math.max(...stepList);
  const at = stepList.indexOf(maxStep);
  const exponent: Figure = {
    name: def.name,
    value: Math.round(fittedExponent(points) * 100) / 100,
    unit: `exponent of wall ms vs ${def.what}${full ? '' : ' [quick mode]'}: ${shown}; steps ${steps}; cpu-time exponent ${cpuExp}${which === 'resync' ? '' : `; log lines while measured: ${logLines}`}`,
    target: def.target,
  };
  const step: Figure = {
    name: def.name.replace(/-exponent$/, '-max-step'),
    value: Math.round(maxStep * 100) / 100,
    unit: `largest exponent between neighbouring sizes (${sizes[at]} → ${sizes[at + 1]}) of wall ms vs ${which}; wall steps ${steps}, cpu steps ${cpuSteps}`,
    target: def.target,
  };
  return [exponent, step];
}

/** Every curve, each measured in a child process of its own. */
export function growthFigures(full = process.argv.includes('--full')): Figure[] {
  const figures: Figure[] = [];
  for (const which of Object.keys(CURVES) as CurveName[]) {
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', which, ...(full ? ['--full'] : [])];
    const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    for (const l of out.split('\n')) if (l.startsWith('{')) figures.push(JSON.parse(l) as Figure);
  }
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--child');
  const which = process.argv[i + 1] as CurveName;
  if (i < 0 || !(which in CURVES)) throw new Error(`usage: bench/growth.ts --child ${Object.keys(CURVES).join('|')} [--full]`);
  for (const f of measureCurve(which, process.argv.includes('--full'))) console.log(JSON.stringify(f));
}
