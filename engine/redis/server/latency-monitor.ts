// The latency monitor of Redis 7.0.15 (latency.c): per event ("command", "fast-command", ...) a ring of
// the last 160 per-second maxima, plus the all-time max. A sample is added when it reaches
// latency-monitor-threshold (ms, 0 = off). The simulator measures virtual time only: a command's
// latency is the busy time it modelled (DEBUG SLEEP, a script, freeing a big expired value), so spikes
// come from those, never from the machine running the simulation; expiry reports "expire-del" and
// "expire-cycle" (expire-latency.ts); fork, AOF fsync and eviction cycles take no virtual time and
// report no events.
import type { RedisServer } from './server.ts';

/** LATENCY_TS_LEN. */
export const LATENCY_TS_LEN = 160;

export interface LatencySample {
  /** Unix seconds (host clock); 0 = empty slot. */
  time: number;
  latency: number;
}

export class LatencySeries {
  readonly samples: LatencySample[] = Array.from({ length: LATENCY_TS_LEN }, () => ({ time: 0, latency: 0 }));
  idx = 0;
  max = 0;

  /** latencyAddSample: one sample per second (the larger wins). */
  add(now: number, latency: number): void {
    if (latency > this.max) this.max = latency;
    const prev = this.samples[(this.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN]!;
    if (prev.time === now) {
      if (latency > prev.latency) prev.latency = latency;
      return;
    }
    const slot = this.samples[this.idx]!;
    slot.time = now;
    slot.latency = latency;
    this.idx = (this.idx + 1) % LATENCY_TS_LEN;
  }

  /** The samples oldest first, empty slots skipped. */
  ordered(): LatencySample[] {
    const out: LatencySample[] = [];
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      const s = this.samples[(this.idx + j) % LATENCY_TS_LEN]!;
      if (s.time !== 0) out.push(s);
    }
    return out;
  }

  latest(): LatencySample {
    return this.samples[(this.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN]!;
  }
}

/** server.latency_events: event name → series, in creation order. */
export class LatencyMonitor {
  readonly events = new Map<string, LatencySeries>();

  /** latencyAddSampleIfNeeded. */
  addIfNeeded(s: RedisServer, event: string, ms: number): void {
    const threshold = s.conf.int('latency-monitor-threshold');
    if (threshold === 0 || ms < threshold) return;
    let ts = this.events.get(event);
    if (!ts) {
      ts = new LatencySeries();
      this.events.set(event, ts);
    }
    ts.add(Math.floor(s.mstime() / 1000), ms);
  }

  /** latencyResetEvent: case-insensitive; null = all. Returns how many were reset. */
  reset(event: string | null): number {
    let n = 0;
    for (const name of [...this.events.keys()]) {
      if (event === null || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        n++;
      }
    }
    return n;
  }
}

const monitors = new WeakMap<RedisServer, LatencyMonitor>();

export function latencyMonitorOf(s: RedisServer): LatencyMonitor {
  let m = monitors.get(s);
  if (!m) {
    m = new LatencyMonitor();
    monitors.set(s, m);
  }
  return m;
}

export interface LatencyStats {
  samples: number;
  avg: number;
  min: number;
  max: number;
  mad: number;
  /** Seconds since the oldest sample (at least 1). */
  period: number;
  allTimeHigh: number;
}

/** analyzeLatencyForEvent (integer arithmetic as in C). */
export function analyzeLatency(ts: LatencySeries, nowSec: number): LatencyStats {
  const st: LatencyStats = { samples: 0, avg: 0, min: 0, max: 0, mad: 0, period: 0, allTimeHigh: ts.max };
  let sum = 0;
  for (const s of ts.samples) {
    if (s.time === 0) continue;
    st.samples++;
    if (st.samples === 1) st.min = st.max = s.latency;
    else {
      st.min = Math.min(st.min, s.latency);
      st.max = Math.max(st.max, s.latency);
    }
    sum += s.latency;
    if (st.period === 0 || s.time < st.period) st.period = s.time;
  }
  if (st.samples) {
    st.avg = Math.floor(sum / st.samples);
    st.period = nowSec - st.period;
    if (st.period === 0) st.period = 1;
  }
  let dev = 0;
  for (const s of ts.samples) if (s.time !== 0) dev += Math.abs(st.avg - s.latency);
  if (st.samples) st.mad = Math.floor(dev / st.samples);
  return st;
}
