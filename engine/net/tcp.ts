// TCP retransmission timing of Linux (net/ipv4/tcp_timer.c), as pure functions of the options: the RTO of
// a link, its exponential back-off, the SYN retransmission schedule and the give-up times (design.md, engine/net).
import type { Micros } from '../sim/time.ts';
import type { LinkConfig, NetworkOptions } from './types.ts';

/** The TCP parameters in µs and counts, defaults of Linux 6.x (sysctl net.ipv4.*). */
export interface TcpTiming {
  /** tcp_rto_min: floor of the RTO's variance term (200 ms). */
  rtoMin: Micros;
  /** TCP_RTO_MAX: cap of the backed-off RTO (120 s). */
  rtoMax: Micros;
  /** TCP_TIMEOUT_INIT: the first SYN RTO (1 s). */
  synRto: Micros;
  /** tcp_syn_retries (6). */
  synRetries: number;
  /** tcp_syn_linear_timeouts (4, Linux ≥ 6.5; 0 on older kernels): the first SYN RTOs do not double. */
  synLinearTimeouts: number;
  /** tcp_synack_retries (5). */
  synackRetries: number;
  /** tcp_retries2 (15): an established connection gives up after about 924.6 s of retransmissions. */
  retries2: number;
  /** tcp_orphan_retries 0 ⇒ 8: a socket already closed by its process (FIN or data pending) gives up sooner. */
  orphanRetries: number;
  /** TCP_USER_TIMEOUT in µs; 0 = not set (Redis 7.0 never sets it). */
  userTimeout: Micros;
  /** An application connect() deadline when the caller gives none; Infinity = the SYN retries decide. */
  connectTimeout: Micros;
  /** One jiffy (CONFIG_HZ=250: 4 ms): RTOs are whole jiffies and timers fire on the timer wheel's ticks. */
  jiffy: Micros;
}

export function tcpTiming(o: NetworkOptions): TcpTiming {
  return {
    rtoMin: (o.rtoMinMs ?? 200) * 1000,
    rtoMax: (o.rtoMaxMs ?? 120_000) * 1000,
    synRto: (o.synRtoMs ?? 1000) * 1000,
    synRetries: o.synRetries ?? 6,
    synLinearTimeouts: o.synLinearTimeouts ?? 4,
    synackRetries: o.synackRetries ?? 5,
    retries2: o.retries2 ?? 15,
    orphanRetries: o.orphanRetries ?? 8,
    userTimeout: (o.userTimeoutMs ?? 0) * 1000,
    connectTimeout: o.connectTimeoutMs === undefined ? Infinity : o.connectTimeoutMs * 1000,
    jiffy: Math.round(1e6 / (o.hz ?? 250)),
  };
}

const jitterMean = (l: LinkConfig) => (l.jitter.ms > 0 ? (l.jitter.kind === 'exponential' ? l.jitter.ms : l.jitter.ms / 2) : 0);

/**
 * The RTO of a connection whose data goes over `fwd` and whose ACKs come back over `back`: Linux's
 * srtt + max(4·mdev, tcp_rto_min) (__tcp_set_rto), with srtt the mean round trip and 4·mdev estimated
 * as twice the mean jitter of the round trip. On loopback: 200 ms plus a fraction of a millisecond.
 */
export function linkRto(fwd: LinkConfig, back: LinkConfig, t: TcpTiming): Micros {
  const jit = jitterMean(fwd) + jitterMean(back);
  const srtt = (fwd.latencyMs + back.latencyMs + jit) * 1000;
  // usecs_to_jiffies rounds up: 200.3 ms is 51 jiffies (204 ms) at HZ=250
  return Math.min(t.rtoMax, Math.ceil((srtt + Math.max(t.rtoMin, 2 * jit * 1000)) / t.jiffy) * t.jiffy);
}

/**
 * How late the timer wheel may fire a timer armed `delta` ahead (kernel/time/timer.c calc_wheel_index):
 * the expiry is rounded up to the granularity of its level, 8^level jiffies, the level growing with the
 * timeout (at HZ=250: 4 ms below 252 ms, 32 ms below 2 s, 256 ms below 16 s, 2 s below 129 s, 16 s beyond).
 * The phase of the wheel is arbitrary: the delay is uniform in [0, granularity).
 */
export function wheelGranularity(delta: Micros, t: TcpTiming): Micros {
  const j = Math.ceil(delta / t.jiffy);
  let lvl = 0;
  while (lvl < 8 && j >= 63 * 8 ** lvl) lvl++;
  return 8 ** lvl * t.jiffy;
}

/**
 * tcp_model_timeout: how long after the first transmission a connection that retransmitted `boundary`
 * times gives up — the back-off computed from tcp_rto_min whatever the real RTO was (retransmits_timed_out).
 * 15 retries: 924.6 s; 8 (orphans): 102.2 s.
 */
export function modelTimeout(boundary: number, t: TcpTiming): Micros {
  const thresh = Math.floor(Math.log2(t.rtoMax / t.rtoMin));
  if (boundary <= thresh) return (2 ** (boundary + 1) - 1) * t.rtoMin;
  return (2 ** (thresh + 1) - 1) * t.rtoMin + (boundary - thresh) * t.rtoMax;
}

/** The RTO armed after SYN transmission number `attempt` (0 = the first SYN): 1 s while linear, then doubling. */
export function synInterval(attempt: number, t: TcpTiming): Micros {
  return Math.min(t.rtoMax, t.synRto * 2 ** Math.max(0, attempt - t.synLinearTimeouts));
}

/** SYN retransmissions before connect() fails with ETIMEDOUT (tcp_write_timeout: retries + linear ones). */
export function synMaxRetransmits(t: TcpTiming): number {
  return t.synRetries + t.synLinearTimeouts;
}

/** Offsets (µs after the first SYN) of every retransmission, and of the ETIMEDOUT: 1,2,3,4,5,7,11,19,35,67 s; 131 s. */
export function synSchedule(t: TcpTiming): { retransmits: Micros[]; giveUp: Micros } {
  const retransmits: Micros[] = [];
  let at = 0;
  for (let a = 0; a < synMaxRetransmits(t); a++) {
    at += synInterval(a, t);
    retransmits.push(at);
  }
  return { retransmits, giveUp: at + synInterval(synMaxRetransmits(t), t) };
}

/** The SYN-ACK RTO after its transmission number `attempt`: 1 s doubling (no linear phase on the passive side). */
export function synackInterval(attempt: number, t: TcpTiming): Micros {
  return Math.min(t.rtoMax, t.synRto * 2 ** attempt);
}

/** Offsets of the data retransmissions after a first transmission at 0 with RTO `rto`, up to `until`. */
export function dataSchedule(rto: Micros, t: TcpTiming, boundary = t.retries2): { retransmits: Micros[]; giveUp: Micros } {
  const limit = modelTimeout(boundary, t);
  const retransmits: Micros[] = [];
  let at = 0;
  let cur = rto;
  for (;;) {
    at += cur;
    if (retransmits.length > 0 && at >= limit) return { retransmits, giveUp: at };
    retransmits.push(at);
    cur = Math.min(cur * 2, t.rtoMax);
  }
}
