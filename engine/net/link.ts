// Per-direction link behaviour: latency with seeded jitter, loss as retransmission delay (design.md, engine/net).
import type { Rng } from '../sim/rng.ts';
import type { Micros } from '../sim/time.ts';
import type { LinkConfig } from './types.ts';

export const DEFAULT_LINK: LinkConfig = {
  latencyMs: 0.1,
  jitter: { kind: 'exponential', ms: 0.05 },
  loss: 0,
};

export function mergeLink(base: LinkConfig, patch: Partial<LinkConfig> | undefined): LinkConfig {
  if (!patch) return base;
  return {
    latencyMs: patch.latencyMs ?? base.latencyMs,
    jitter: patch.jitter ?? base.jitter,
    loss: patch.loss ?? base.loss,
    bandwidth: patch.bandwidth ?? base.bandwidth,
  };
}

/** One-way latency sample in µs. */
export function sampleLatency(link: LinkConfig, rng: Rng): Micros {
  let jitterMs = 0;
  if (link.jitter.ms > 0) {
    jitterMs = link.jitter.kind === 'exponential' ? rng.exponential(link.jitter.ms) : rng.uniform(0, link.jitter.ms);
  }
  return Math.max(1, Math.round((link.latencyMs + jitterMs) * 1000));
}

/**
 * Extra delay caused by losses: each lost transmission waits one RTO, the RTO doubling each time
 * (starting at rtoMin, capped at rtoMax), as TCP retransmission does.
 */
export function sampleLossDelay(loss: number, rng: Rng, rtoMinUs: Micros, rtoMaxUs: Micros): Micros {
  if (loss <= 0) return 0;
  let delay = 0;
  let rto = rtoMinUs;
  let tries = 0;
  while (rng.next() < loss && tries < 64) {
    delay += rto;
    rto = Math.min(rto * 2, rtoMaxUs);
    tries++;
  }
  return delay;
}
