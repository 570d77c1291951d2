// Retransmission of the in-memory network, as Linux's tcp_retransmit_timer does it: a segment the peer did not
// get (cut, host down, one-way cut eating the ACKs) waits for the sender's RTO, which doubles on every
// expiry; held data reaches the peer at the first retransmission after the way is open again, not when it
// opens; past tcp_retries2 (tcp_orphan_retries once closed) the sender's side times out (design.md, engine/net).
import type { Micros } from '../sim/time.ts';
import type { Direction, Segment } from './endpoint.ts';
import type { Network } from './network.ts';
import { modelTimeout } from './tcp.ts';

export class Retransmitter {
  constructor(private readonly net: Network) {}

  hold(dir: Direction, seg: Segment): void {
    if (dir.from.aborted) {
      // the sender's socket is gone (crash, host down, given up): nothing is retransmitted
      if (seg.ctl === null) this.net.drop(dir, seg);
      return;
    }
    if (dir.rtxStart < 0) this.start(dir, seg.sent);
    this.net.stats.held++;
    dir.held.push(seg);
  }

  /** The oldest unacknowledged segment was sent at t0: its RTO expires at t0 + rto, then backs off. */
  start(dir: Direction, t0: Micros): void {
    this.net.refresh(dir);
    dir.rtxStart = t0;
    dir.rto = dir.rto0;
    dir.rtxCount = 0;
    this.arm(dir, t0 + dir.rto);
  }

  private arm(dir: Direction, at: Micros): void {
    const ut = this.net.tcp.userTimeout;
    if (ut > 0 && at > dir.rtxStart + ut) at = dir.rtxStart + ut; // tcp_clamp_rto_to_user_timeout
    const now = this.net.sched.now;
    if (at < now) at = now;
    at += this.net.wheelSlack(at - now);
    this.net.sched.cancel(dir.rtxTimer);
    dir.rtxTimer = this.net.sched.at(at, () => this.expired(dir));
  }

  private expired(dir: Direction): void {
    dir.rtxTimer = null;
    if (!dir.from.owner.host.up) {
      // the sender's machine is off: its kernel and every socket in it are gone
      this.purge(dir);
      dir.from.aborted = true;
      return;
    }
    this.net.refresh(dir);
    const ut = this.net.tcp.userTimeout;
    const limit = ut > 0 ? ut : modelTimeout(dir.from.open ? this.net.tcp.retries2 : this.net.tcp.orphanRetries, this.net.tcp);
    // tcp_write_timeout runs before the retransmission: past the limit the connection gives up (ETIMEDOUT)
    if (dir.rtxCount > 0 && this.net.sched.now - dir.rtxStart >= limit) {
      this.giveUp(dir);
      return;
    }
    if (dir.reach && dir.back) {
      // this retransmission gets through and its ACK comes back: everything held follows
      this.release(dir);
      return;
    }
    dir.rtxCount++;
    dir.rto = Math.min(dir.rto * 2, this.net.tcp.rtoMax);
    this.arm(dir, this.net.sched.now + dir.rto);
  }

  /** An ACK got back: the retransmission state ends and the held segments go, before those still on the wire. */
  acknowledged(dir: Direction): void {
    this.net.refresh(dir);
    if (dir.reach) this.release(dir);
  }

  private release(dir: Direction): void {
    this.net.sched.cancel(dir.rtxTimer);
    dir.rtxTimer = null;
    dir.rtxStart = -1;
    dir.rtxCount = 0;
    dir.ackless = false;
    if (dir.held.length === 0) return;
    const wire = dir.inflight.slice(dir.inflightHead, dir.inflightTail);
    const segs = dir.held.concat(wire);
    for (const seg of wire) this.net.sched.cancel(seg.timer);
    dir.held = [];
    dir.inflight = [];
    dir.inflightHead = 0;
    dir.inflightTail = 0;
    dir.lastAt = this.net.sched.now;
    for (const seg of segs) this.net.schedule(dir, seg, 0);
  }

  /** tcp_write_err: this side of the connection times out; the peer is not told (no RST) and learns on its next segment. */
  private giveUp(dir: Direction): void {
    this.purge(dir);
    const ep = dir.from;
    ep.aborted = true;
    if (ep.open) {
      ep.open = false;
      ep.owner.conns.delete(ep);
      this.net.notifyClose(ep, 'timeout');
    }
  }

  /** Forget what a direction still had to send (its socket is gone). */
  purge(dir: Direction): void {
    this.net.sched.cancel(dir.rtxTimer);
    dir.rtxTimer = null;
    dir.rtxStart = -1;
    dir.ackless = false;
    for (const s of dir.held) if (s.ctl === null) this.net.drop(dir, s);
    dir.held = [];
  }
}
