// Types of the TCP-like in-memory network (design.md, engine/net).
import type { Micros } from '../sim/time.ts';

export interface JitterSpec {
  kind: 'exponential' | 'uniform';
  /** Mean (exponential) or upper bound (uniform), in ms. */
  ms: number;
}

/** One direction of a link between two hosts. */
export interface LinkConfig {
  /** Minimum one-way latency in ms. */
  latencyMs: number;
  jitter: JitterSpec;
  /** Probability that a segment is lost (and retransmitted after an RTO). */
  loss: number;
  /** Bytes per second; 0 or undefined = unlimited. */
  bandwidth?: number;
}

export interface NetworkOptions {
  defaultLink?: Partial<LinkConfig>;
  /** Floor of the retransmission time-out (Linux tcp_rto_min: 200 ms); the RTO is srtt + max(4·rttvar, this). */
  rtoMinMs?: number;
  /** Cap on the backed-off retransmission time-out (Linux: 120 s). */
  rtoMaxMs?: number;
  /** First SYN retransmission time-out (Linux TCP_TIMEOUT_INIT: 1 s). */
  synRtoMs?: number;
  /** SYN retransmissions before connect() fails (Linux tcp_syn_retries: 6). */
  synRetries?: number;
  /** SYN retransmissions at a constant RTO before the doubling starts (Linux ≥ 6.5 tcp_syn_linear_timeouts: 4). */
  synLinearTimeouts?: number;
  /** SYN-ACK retransmissions of the passive side (Linux tcp_synack_retries: 5). */
  synackRetries?: number;
  /** Retransmissions before an established connection gives up with a time-out (Linux tcp_retries2: 15 ⇒ 924.6 s). */
  retries2?: number;
  /** The same for a connection its process already closed (Linux tcp_orphan_retries 0 ⇒ 8 ⇒ 102.2 s). */
  orphanRetries?: number;
  /** TCP_USER_TIMEOUT: a direction with data unacknowledged this long aborts its side of the connection. Unset by default, as in Redis. */
  userTimeoutMs?: number;
  /** A connect() deadline for callers that give none; by default the SYN retries decide (131 s). */
  connectTimeoutMs?: number;
  /** Kernel tick rate (CONFIG_HZ, 250 on the reference machine): RTO rounding and timer-wheel slack. */
  hz?: number;
}

export type CloseReason =
  /** the peer closed cleanly (FIN) */
  | 'closed'
  /** the peer process died or the connection was unknown at the peer (RST) */
  | 'reset'
  /** connect() found no listener on a live host */
  | 'refused'
  /** connect() or the connection could not reach the peer in time */
  | 'timeout'
  /** closed locally by the owner */
  | 'local';

export interface ConnHandlers {
  onOpen?: () => void;
  onData?: (payload: unknown) => void;
  onClose?: (reason: CloseReason) => void;
}

/** One side of a connection, as its owning process sees it. */
export interface Conn {
  readonly id: number;
  /** "ip:port" of this side. */
  readonly local: string;
  /** "ip:port" of the other side. */
  readonly remote: string;
  readonly open: boolean;
  setHandlers(h: ConnHandlers): void;
  /** Queue a message; `kind` labels it in the trace (ping, info, hello, vote, repl, client, ...). */
  send(payload: unknown, size: number, kind?: string): void;
  /** Close cleanly: the peer sees 'closed' after everything already sent. */
  close(): void;
}

export interface MessageRecordInfo {
  conn: number;
  from: string;
  to: string;
  kind: string;
  size: number;
  sent: Micros;
}
