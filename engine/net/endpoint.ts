// The connection objects of the in-memory network: segments, one direction of a connection with its
// retransmission state, and the endpoint a process holds (design.md, engine/net).
import type { Host } from '../sim/host.ts';
import type { Timer } from '../sim/scheduler.ts';
import type { Micros } from '../sim/time.ts';
import type { Network, NetOwner } from './network.ts';
import type { Conn, ConnHandlers, LinkConfig } from './types.ts';

export type Ctl = 'syn' | 'synack' | 'fin' | 'rst' | null;

/** One segment on the wire; a class so every segment has one shape from birth (dir and timer included). */
export class Segment {
  dir: Direction | undefined = undefined;
  /** The arrival event while in flight (cancelled when a retransmission re-sends it behind held segments). */
  timer: Timer | undefined = undefined;
  constructor(
    readonly payload: unknown,
    readonly size: number,
    readonly kind: string,
    readonly sent: Micros,
    readonly ctl: Ctl,
  ) {}
}
// `sent` holds virtual µs (past V8's small integers after ~18 virtual minutes): a double from the start
new Segment(null, 0, '', 0.5, null);

/** One direction of a connection: the sender's side of the stream, its wire and its retransmission timer. */
export class Direction {
  // virtual µs: seeded with a fraction so the fields are doubles from the start (see Segment)
  lastAt: Micros = 0.5;
  busyUntil: Micros = 0.5;
  /** Segments the peer did not get (dropped by a cut, or not sent since the RTO collapsed the window). */
  held: Segment[] = [];
  /** Segments on the wire, in send order (arrival events fire in this order); live from inflightHead
   *  to inflightTail (the slots are reused once the wire is empty: no array resizing per segment). */
  inflight: Segment[] = [];
  inflightHead = 0;
  inflightTail = 0;
  /** Send time of the oldest unacknowledged segment while retransmitting; -1 when all is acknowledged. */
  rtxStart: Micros = 0.5;
  /** The current, backed-off RTO, and the retransmissions made so far. */
  rto: Micros = 0.5;
  rtxCount = 0;
  rtxTimer: Timer | null = null;
  /** Data reached the peer but its ACKs cannot come back (one-way cut): the peer's next segment acknowledges it. */
  ackless = false;
  /** Cached link, reachability both ways and base RTO, valid while cacheVersion equals the network's topology version. */
  cacheVersion = -1;
  link: LinkConfig | null = null;
  reach = false;
  back = false;
  rto0: Micros = 0.5;
  constructor(
    readonly from: Endpoint,
    readonly toHost: Host,
  ) {
    this.lastAt = 0;
    this.busyUntil = 0;
    this.rtxStart = -1;
    this.rto = 0;
    this.rto0 = 0;
  }
}

export class Endpoint implements Conn {
  open = true;
  established = false;
  /** Killed with its process (crash, host down) or given up by TCP: nothing of it is retransmitted. */
  aborted = false;
  peer: Endpoint | null = null;
  handlers: ConnHandlers = {};
  /** Segments that reached the far host before the handshake completed there. */
  preconnect: Segment[] = [];
  /** Segments of the passive side that reached this (active) side before its SYN-ACK did: kept for the open. */
  preopen: Segment[] = [];
  /** The SYN retransmission timer, the SYN-ACK one of the passive side, and the caller's connect deadline. */
  synTimer: Timer | null = null;
  synackTimer: Timer | null = null;
  deadline: Timer | null = null;
  readonly out: Direction;

  constructor(
    readonly net: Network,
    readonly id: number,
    readonly owner: NetOwner,
    readonly local: string,
    readonly remote: string,
    remoteHost: Host,
  ) {
    this.out = new Direction(this, remoteHost);
    owner.conns.add(this);
  }

  setHandlers(h: ConnHandlers): void {
    this.handlers = h;
  }

  send(payload: unknown, size: number, kind = 'data'): void {
    if (!this.open) return;
    this.net.transmit(this.out, new Segment(payload, size, kind, this.net.now(), null));
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.owner.conns.delete(this);
    this.net.transmit(this.out, new Segment(null, 40, 'tcp', this.net.now(), 'fin'));
  }
}
