// Per-command latency histograms of Redis 7.0.15 (server.c updateCommandLatencyHistogram, an
// hdr_histogram from 1 ns to 1 s with 2 significant digits), for LATENCY HISTOGRAM and INFO
// latencystats. Values are virtual nanoseconds: a command that modelled no busy time records 0 ns,
// clamped to 1 ns as Redis clamps, so its percentiles read 0.001 µs.
import type { RedisServer } from './server.ts';
import type { CommandStat } from './stats.ts';

const MIN_NS = 1;
const MAX_NS = 1_000_000_000;
/** 2 significant digits: 256 sub-buckets (unit magnitude 0, half count 128). */
const SUB_BITS = 7;

/** Bucket of a value: its power-of-two range above the first 256 values. */
function bucketOf(v: number): number {
  // values are clamped to [1, 1e9] < 2^31: clz32 gives floor(log2) exactly
  return 31 - Math.clz32(Math.max(v, 255)) - SUB_BITS;
}

/** lowest_equivalent_value / highest_equivalent_value. */
export function lowestEquivalent(v: number): number {
  const b = bucketOf(v);
  return Math.floor(v / 2 ** b) * 2 ** b;
}
export function highestEquivalent(v: number): number {
  const b = bucketOf(v);
  return lowestEquivalent(v) + 2 ** b - 1;
}

export class LatencyHistogram {
  /** lowest equivalent value → count. */
  private readonly counts = new Map<number, number>();
  total = 0;

  record(ns: number): void {
    const v = Math.min(MAX_NS, Math.max(MIN_NS, Math.round(ns)));
    const k = lowestEquivalent(v);
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    this.total++;
  }

  private sortedKeys(): number[] {
    return [...this.counts.keys()].sort((a, b) => a - b);
  }

  /** hdr_value_at_percentile. */
  valueAtPercentile(p: number): number {
    const want = Math.max(1, Math.floor((Math.min(p, 100) / 100) * this.total + 0.5));
    let cum = 0;
    let last = 0;
    for (const k of this.sortedKeys()) {
      cum += this.counts.get(k)!;
      last = k;
      if (cum >= want) break;
    }
    return p === 0 ? lowestEquivalent(last) : highestEquivalent(last);
  }

  /** fillCommandCDF: log-2 buckets from 1024 ns, [µs, cumulative count] where the count grew. */
  cdf(): [number, number][] {
    const out: [number, number][] = [];
    const keys = this.sortedKeys();
    let cum = 0;
    let i = 0;
    let prev = 0;
    for (let level = 1024; cum < this.total; level *= 2) {
      // every value whose sub-bucket starts at or below the level's own is counted at that level
      while (i < keys.length && keys[i]! <= level) cum += this.counts.get(keys[i++]!)!;
      if (cum > prev) out.push([Math.floor(highestEquivalent(level) / 1000), cum]);
      prev = cum;
    }
    return out;
  }
}

const histograms = new WeakMap<CommandStat, LatencyHistogram>();

/** The histogram kept with a command's stats (CONFIG RESETSTAT drops both). */
export function histogramOf(stat: CommandStat, create: boolean): LatencyHistogram | undefined {
  let h = histograms.get(stat);
  if (!h && create) {
    h = new LatencyHistogram();
    histograms.set(stat, h);
  }
  return h;
}

/** updateCommandLatencyHistogram when latency-tracking is on. */
export function recordCommandLatency(s: RedisServer, fullname: string, durationUs: number): void {
  if (!s.conf.bool('latency-tracking')) return;
  histogramOf(s.stats.cmd(fullname), true)!.record(durationUs * 1000);
}

/** The "%f" of a percentile with trailing zeros trimmed (trimDoubleString). */
function pctName(p: number): string {
  let t = p.toFixed(6);
  if (t.includes('.')) t = t.replace(/0+$/, '').replace(/\.$/, '');
  return t;
}

/** INFO latencystats lines (genRedisInfoStringLatencyStats), in the commandstats order. */
export function latencystatsLines(s: RedisServer): string[] {
  if (!s.conf.bool('latency-tracking')) return [];
  const raw = s.conf.get('latency-tracking-info-percentiles').trim();
  const pcts = raw === '' ? [] : raw.split(/\s+/).map(Number);
  const out: string[] = [];
  for (const [name, stat] of [...s.stats.commands].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const h = histogramOf(stat, false);
    if (!h || h.total === 0) continue;
    const parts = pcts.map((p) => `p${pctName(p)}=${(h.valueAtPercentile(p) / 1000).toFixed(3)}`);
    out.push(`latency_percentiles_usec_${name}:${parts.join(',')}`);
  }
  return out;
}
