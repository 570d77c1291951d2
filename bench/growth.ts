// Growth curves (issue 19 item 4): wall time of 60 virtual seconds as a deployment grows — monitored
// masters per Sentinel, Sentinels, replicas — and of a full resync as the dataset grows, each with the
// exponent of a least-squares fit of log(time) on log(size). Each curve runs in a child process of its
// own (`bench/growth.ts --child <curve>`): the largest sizes allocate a lot, and the other figures should
// not inherit that heap. Quick mode (the default) stops each curve one size short of the largest where
// the largest takes minutes; `--full` runs every size.
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

/** The deployment as redis.conf / sentinel.conf texts, through the scenario API's fromConfigTexts. */
export function deploymentConfigs(d: Deployment): { servers: ConfigText[]; sentinels: ConfigText[] } {
  const quorum = Math.floor(d.sentinels / 2) + 1;
  const servers: ConfigText[] = [];
  const monitor: string[] = [];
  let n = 0;
  for (let m = 0; m < d.masters; m++) {
    const mip = ip(1, ++n);
    servers.push({ name: `m${m}.conf`, ip: mip, text: SERVER_CONF });
    for (let r = 0; r < d.replicas; r++) servers.push({ name: `m${m}r${r}.conf`, ip: ip(1, ++n), text: `${SERVER_CONF}replicaof ${mip} 6379\n` });
    monitor.push(`sentinel monitor m${m} ${mip} 6379 ${quorum}\nsentinel down-after-milliseconds m${m} 5000\n`);
  }
  const sentinelText = `port 26379\ndir /tmp\n${monitor.join('')}`;
  const sentinels = Array.from({ length: d.sentinels }, (_, s) => ({ name: `s${s}.conf`, ip: ip(2, s + 1), text: sentinelText }));
  return { servers, sentinels };
}

/** A deployment built from its config texts, not started. */
export function deployment(d: Deployment, seed: string): Simulation {
  const spec = fromConfigTexts(deploymentConfigs(d));
  return buildSimulation(spec, { seed, scenario: 'bench-growth', detail: 'events', keyframeEveryMs: 0, hasher: nodeSha256 });
}

/** Ms of `virtualS` seconds once the deployment has settled (10 virtual s: links, INFO, hellos). */
export function steadyRun(d: Deployment, virtualS = 60): { ms: number; cpuMs: number } {
  const sim = deployment(d, `growth-${d.masters}-${d.replicas}-${d.sentinels}`);
  sim.startAll();
  sim.run({ until: 10_000_000 });
  const t0 = wallMs();
  const c0 = process.cpuUsage();
  sim.run({ until: 10_000_000 + virtualS * 1_000_000 });
  const c = process.cpuUsage(c0);
  return { ms: wallMs() - t0, cpuMs: (c.user + c.system) / 1000 };
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
  /** Wall and CPU ms of one size; `scale` > 1 when the size ran for fewer virtual seconds and was scaled. */
  measure: (size: number) => { ms: number; cpuMs: number; scale?: number };
}

/** 1,000 masters run 15 virtual s (after the 10 s settle) and are scaled ×4 to 60 s: the steady state is periodic. */
const MASTERS_SHORT_RUN = { at: 1000, virtualS: 15 };

export const CURVES: Record<CurveName, CurveDef> = {
  // every Sentinel pings, INFOs and hellos each master and replica every 1 / 10 / 2 s: linear in masters
  masters: {
    name: 'growth-masters-per-sentinel-exponent',
    what: `masters per Sentinel (each with 1 replica), 3 Sentinels, 60 virtual s; ${MASTERS_SHORT_RUN.at} masters run ${MASTERS_SHORT_RUN.virtualS} virtual s ×${60 / MASTERS_SHORT_RUN.virtualS}`,
    target: '<= 1.15',
    quick: [1, 10, 100, 1000],
    full: [1, 10, 100, 1000],
    measure: (m) => {
      const short = m >= MASTERS_SHORT_RUN.at;
      const scale = short ? 60 / MASTERS_SHORT_RUN.virtualS : 1;
      const r = steadyRun({ masters: m, replicas: 1, sentinels: 3 }, short ? MASTERS_SHORT_RUN.virtualS : 60);
      return { ms: r.ms * scale, cpuMs: r.cpuMs * scale, scale };
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

/** Measure one curve (the smallest size first once more, as JIT warm-up) and make its figure. */
export function measureCurve(which: CurveName, full: boolean, sizes = full ? CURVES[which].full : CURVES[which].quick): Figure {
  const def = CURVES[which];
  def.measure(sizes[0]!);
  const loads: string[] = [];
  const points: Point[] = sizes.map((x) => {
    const r = def.measure(x);
    loads.push(load());
    return { x, y: Math.max(0.01, r.ms), cpu: Math.max(0.01, r.cpuMs) };
  });
  const shown = points.map((p, i) => `${p.x}: ${fmt(p.y)} ms (cpu ${fmt(p.cpu)}, load ${loads[i]})`).join(', ');
  const steps = stepExponents(points).map((e) => e.toFixed(2)).join(' ');
  const cpuExp = fittedExponent(points.map((p) => ({ x: p.x, y: p.cpu }))).toFixed(2);
  return {
    name: def.name,
    value: Math.round(fittedExponent(points) * 100) / 100,
    unit: `exponent of wall ms vs ${def.what}${full ? '' : ' [quick mode]'}: ${shown}; steps ${steps}; cpu-time exponent ${cpuExp}`,
    target: def.target,
  };
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
  console.log(JSON.stringify(measureCurve(which, process.argv.includes('--full'))));
}
