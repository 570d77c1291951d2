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
  /** Initial retransmission time-out after a loss (Linux: 200 ms). */
  rtoMinMs?: number;
  /** Cap on the retransmission time-out (Linux: 120 s). */
  rtoMaxMs?: number;
  /** A direction that cannot deliver for this long closes the connection on both sides (TCP_USER_TIMEOUT). */
  userTimeoutMs?: number;
  /** Give up a connect() to an unreachable host after this long (Linux tcp_syn_retries=6 ⇒ 127 s). */
  connectTimeoutMs?: number;
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
