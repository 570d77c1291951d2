// The in-memory TCP-like network: connections, ordered delivery, loss as delay, partitions (design.md, engine/net).
import type { Host } from '../sim/host.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import type { Micros } from '../sim/time.ts';
import { Direction, Endpoint, Segment } from './endpoint.ts';
import { Handshake } from './handshake.ts';
import { Retransmitter } from './retransmit.ts';
import { DEFAULT_LINK, mergeLink, sampleLatency, sampleLossDelay } from './link.ts';
import { linkRto, tcpTiming, wheelGranularity, type TcpTiming } from './tcp.ts';
import type { CloseReason, Conn, ConnHandlers, LinkConfig, NetworkOptions } from './types.ts';

/** What the network needs from the process owning an endpoint. */
export interface NetOwner {
  readonly host: Host;
  /** False once the process crashed or exited: its endpoints are dead. */
  alive(): boolean;
  /** Run a callback in the process now, or after it resumes if it is paused (SIGSTOP). */
  run(fn: () => void): void;
  /** True when run() would call at once (alive and not paused): lets hot paths skip a closure. */
  runsNow(): boolean;
  /** Endpoints owned, so a crash can reset them. */
  readonly conns: Set<Conn>;
  /** The owning node (`ip:port`), named in conn records. */
  readonly name?: string;
}

/** A listening process, found by "ip:port". */
export interface Listener {
  readonly owner: NetOwner;
  accept(conn: Conn): void;
}

export interface NetWorld {
  /** The listener at ip:port if its process is running (or paused: the kernel still accepts). */
  listener(ip: string, port: number): Listener | undefined;
  /** The host answering for ip:port (the listener's, else one with that IP), to tell "refused" from time-outs. */
  hostFor(ip: string, port: number, from: Host): Host | undefined;
}

export interface MessageObserver {
  (rec: { conn: number; from: string; to: string; kind: string; size: number; sent: Micros; fate: 'delivered' | 'dropped' }): void;
}

const key = (a: Host, b: Host) => `${a.name}>${b.name}`;

export class Network {
  /** TCP timing (RTO floor and cap, SYN schedule, give-up), engine/net/tcp.ts. */
  readonly tcp: TcpTiming;
  private defaultLink: LinkConfig;
  private links = new Map<string, LinkConfig>();
  private blocked = new Set<string>();
  private nextConnId = 1;
  private nextEphemeral = new Map<string, number>();
  private readonly hs: Handshake;
  private readonly rtx: Retransmitter;
  /** The timer wheel's phase (how late a retransmission timer fires): its own stream, drawn only when a timer expires unanswered. */
  private readonly wheel: Rng;
  /** Counters for tests and benchmarks. */
  stats = { sent: 0, delivered: 0, dropped: 0, held: 0 };
  /** Bumped on every change of links, cuts or host state: invalidates per-direction caches. */
  private version = 0;
  private readonly arriveFn = (seg: Segment) => this.arrive(seg.dir!, seg);
  observer: MessageObserver | null = null;
  /** Told of every connection opened (the trace's conn records). */
  connObserver: ((rec: { conn: number; node: string; local: string; remote: string }) => void) | null = null;

  constructor(
    readonly sched: Scheduler,
    readonly rng: Rng,
    readonly world: NetWorld,
    opts: NetworkOptions = {},
  ) {
    this.tcp = tcpTiming(opts);
    this.defaultLink = mergeLink(DEFAULT_LINK, opts.defaultLink);
    this.hs = new Handshake(this);
    this.rtx = new Retransmitter(this);
    this.wheel = rng.fork('timer-wheel');
  }

  /** @internal The timer wheel fires a timer armed `delta` ahead up to one level granularity late. */
  wheelSlack(delta: Micros): Micros {
    return Math.floor(this.wheel.next() * wheelGranularity(delta, this.tcp));
  }

  now(): Micros {
    return this.sched.now;
  }

  // ---- topology ---------------------------------------------------------------------------

  /** Set the link parameters for a → b (and b → a unless oneWay). */
  setLink(a: Host, b: Host, patch: Partial<LinkConfig>, oneWay = false): void {
    this.version++;
    this.links.set(key(a, b), mergeLink(this.linkOf(a, b), patch));
    if (!oneWay) this.links.set(key(b, a), mergeLink(this.linkOf(b, a), patch));
  }

  /** Change the default link used by every pair without an explicit setting. */
  setDefaultLink(patch: Partial<LinkConfig>): void {
    this.version++;
    this.defaultLink = mergeLink(this.defaultLink, patch);
  }

  linkOf(a: Host, b: Host): LinkConfig {
    return this.links.get(key(a, b)) ?? this.defaultLink;
  }

  /** Cut every pair of hosts that are in different groups (hosts listed nowhere form one more group). */
  partition(groups: Host[][], all: Host[]): void {
    this.version++;
    const groupOf = new Map<Host, number>();
    groups.forEach((g, i) => g.forEach((h) => groupOf.set(h, i)));
    for (const a of all)
      for (const b of all) {
        if (a === b) continue;
        if ((groupOf.get(a) ?? -1) !== (groupOf.get(b) ?? -1)) this.blocked.add(key(a, b));
      }
  }

  isolate(h: Host, all: Host[]): void {
    this.version++;
    for (const o of all) {
      if (o === h) continue;
      this.blocked.add(key(h, o));
      this.blocked.add(key(o, h));
    }
  }

  /** One-way cut: nothing from `from` reaches `to` (data, SYN-ACKs and ACKs alike, as an iptables DROP). */
  block(from: Host, to: Host): void {
    this.version++;
    this.blocked.add(key(from, to));
  }

  unblock(from: Host, to: Host): void {
    this.version++;
    this.blocked.delete(key(from, to));
  }

  /** Remove every cut. Held segments go at each sender's next retransmission, not now (Linux RTO back-off). */
  heal(): void {
    this.version++;
    this.blocked.clear();
  }

  isBlocked(from: Host, to: Host): boolean {
    return this.blocked.has(key(from, to));
  }

  cuts(): string[] {
    return [...this.blocked].sort();
  }

  reachable(from: Host, to: Host): boolean {
    if (!from.up || !to.up) return false;
    return from === to || !this.blocked.has(key(from, to));
  }

  /** A cut was removed or a host came up. Nothing is re-sent now: senders retry on their own timers. */
  reachabilityChanged(): void {
    this.version++;
  }

  /** Host state changed outside the network (host down/up): drop cached reachability. */
  topologyChanged(): void {
    this.version++;
  }

  // ---- connections ------------------------------------------------------------------------

  /** Open a connection from a process to ip:port. Handlers learn the outcome (onOpen or onClose). */
  connect(owner: NetOwner, ip: string, port: number, handlers: ConnHandlers, opts: { timeoutMs?: number } = {}): Conn {
    const from = owner.host;
    const remoteHost = this.world.hostFor(ip, port, from) ?? from;
    const localPort = this.ephemeral(from.ip);
    const ep = new Endpoint(this, this.nextConnId++, owner, `${from.ip}:${localPort}`, `${ip}:${port}`, remoteHost);
    ep.handlers = handlers;
    if (this.connObserver) this.connObserver({ conn: ep.id, node: owner.name ?? ep.local, local: ep.local, remote: ep.remote });
    const limit = opts.timeoutMs !== undefined ? opts.timeoutMs * 1000 : this.tcp.connectTimeout;
    if (limit < Infinity) ep.deadline = this.sched.at(this.sched.now + Math.round(limit), () => this.failConnect(ep, 'timeout'));
    this.hs.sendSyn(ep, ip, port, 0);
    return ep;
  }

  /** @internal A new endpoint (the handshake's passive side). */
  newEndpoint(owner: NetOwner, local: string, remote: string, remoteHost: Host): Endpoint {
    return new Endpoint(this, this.nextConnId++, owner, local, remote, remoteHost);
  }

  /** @internal connect() failed: time-out or refusal. */
  failConnect(ep: Endpoint, reason: CloseReason): void {
    if (!ep.open || ep.established) return;
    for (const seg of ep.preconnect) this.drop(ep.out, seg);
    ep.preconnect = [];
    ep.open = false;
    ep.aborted = true;
    this.hs.stop(ep);
    this.sched.cancel(ep.deadline);
    ep.deadline = null;
    ep.owner.conns.delete(ep);
    this.notifyClose(ep, reason);
  }

  /** @internal Segments that reached the far host before the handshake: delivered now, in order. */
  flushPreconnect(ep: Endpoint): void {
    const early = ep.preconnect;
    ep.preconnect = [];
    for (const seg of early) this.land(ep.out, seg);
  }

  /** @internal The active side opened: what its peer sent meanwhile (a reply written at accept, a FIN) follows the open. */
  flushPreopen(ep: Endpoint): void {
    const early = ep.preopen;
    ep.preopen = [];
    if (ep.peer) for (const seg of early) this.land(ep.peer.out, seg);
  }

  private ephemeral(ip: string): number {
    const p = this.nextEphemeral.get(ip) ?? 32768;
    this.nextEphemeral.set(ip, p >= 60999 ? 32768 : p + 1);
    return p;
  }

  // ---- segments ---------------------------------------------------------------------------

  /** Called by Endpoint.send/close: compute the arrival time and schedule it, preserving order. */
  transmit(dir: Direction, seg: Segment): void {
    if (seg.ctl === null) this.stats.sent++;
    this.schedule(dir, seg, seg.size);
  }

  /** @internal Re-read the direction's link, reachability both ways and base RTO. */
  refresh(dir: Direction): void {
    const a = dir.from.owner.host;
    const b = dir.toHost;
    dir.cacheVersion = this.version;
    dir.link = this.linkOf(a, b);
    dir.reach = this.reachable(a, b);
    dir.back = this.reachable(b, a);
    dir.rto0 = linkRto(dir.link, this.linkOf(b, a), this.tcp);
  }

  /** @internal Put a segment on the wire: arrival after latency (and loss), never before an earlier one. */
  schedule(dir: Direction, seg: Segment, size: number): void {
    if (dir.cacheVersion !== this.version) this.refresh(dir);
    const link = dir.link!;
    const now = this.sched.now;
    let start = now;
    if (link.bandwidth && link.bandwidth > 0 && size > 0) {
      start = Math.max(now, dir.busyUntil) + Math.round((size * 1e6) / link.bandwidth);
      dir.busyUntil = start;
    }
    let at = start + sampleLatency(link, this.rng);
    // a lost segment waits for its retransmissions: the link's RTO, doubling (the same back-off as after a cut)
    if (link.loss > 0) at += sampleLossDelay(link.loss, this.rng, dir.rto0, this.tcp.rtoMax);
    if (at < dir.lastAt) at = dir.lastAt; // head-of-line: never overtake an earlier segment
    dir.lastAt = at;
    seg.dir = dir;
    dir.inflight[dir.inflightTail++] = seg;
    seg.timer = this.sched.atWith(at, this.arriveFn, seg);
  }

  private arrive(dir: Direction, seg: Segment): void {
    // arrival times are non-decreasing per direction and ties keep insertion order: seg is the head
    if (++dir.inflightHead === dir.inflightTail) {
      dir.inflightHead = 0;
      dir.inflightTail = 0;
    } else if (dir.inflightHead >= 1024) {
      dir.inflight = dir.inflight.slice(dir.inflightHead, dir.inflightTail);
      dir.inflightTail -= dir.inflightHead;
      dir.inflightHead = 0;
    }
    seg.timer = undefined;
    this.land(dir, seg);
  }

  /** A segment reaches the far host (or the cut in front of it). */
  private land(dir: Direction, seg: Segment): void {
    if (dir.cacheVersion !== this.version) this.refresh(dir);
    const from = dir.from;
    const to = from.peer;
    if (!to && from.open && !from.established && seg.ctl === null) {
      // sent before the handshake: goes with it (the SYN's retransmissions carry the pace)
      from.preconnect.push(seg);
      return;
    }
    if (dir.held.length > 0 || !dir.reach) {
      this.rtx.hold(dir, seg);
      return;
    }
    if (!to || !to.open) {
      // the far side no longer knows this connection: data gets a reset back
      if (seg.ctl === null) this.drop(dir, seg);
      if (to && seg.ctl !== 'rst' && from.open && from.established) this.sendCtl(to, 'rst');
      return;
    }
    if (!to.established && seg.ctl !== 'rst') {
      // TCP hands nothing to the application before the connection is established (the SYN-ACK was overtaken)
      to.preopen.push(seg);
      return;
    }
    if (!dir.back && seg.ctl !== 'rst') {
      // one-way cut: the peer gets it but its ACKs are lost; after the first RTO only retransmissions go out
      if (dir.rtxStart < 0) this.rtx.start(dir, seg.sent);
      else if (seg.sent >= dir.rtxStart + dir.rto0) {
        this.rtx.hold(dir, seg);
        return;
      }
      dir.ackless = true;
    }
    // the segment carries an acknowledgement of what the peer's direction delivered without ACKs
    if (to.out.ackless) this.rtx.acknowledged(to.out);
    if (seg.ctl === 'fin' || seg.ctl === 'rst') {
      to.open = false;
      to.owner.conns.delete(to);
      this.notifyClose(to, seg.ctl === 'fin' ? 'closed' : 'reset');
      return;
    }
    this.stats.delivered++;
    if (this.observer) this.observe(dir, seg, to, 'delivered');
    const owner = to.owner;
    if (owner.runsNow()) to.handlers.onData?.(seg.payload);
    else
      owner.run(() => {
        if (to.open) to.handlers.onData?.(seg.payload);
      });
  }

  /** Control segment from a (possibly already closed) endpoint to its peer. */
  private sendCtl(from: Endpoint, ctl: 'rst' | 'fin'): void {
    this.schedule(from.out, new Segment(null, 40, 'tcp', this.sched.now, ctl), 0);
  }

  /** @internal */
  drop(dir: Direction, seg: Segment): void {
    this.stats.dropped++;
    if (this.observer) this.observe(dir, seg, dir.from.peer, 'dropped');
  }

  private observe(dir: Direction, seg: Segment, to: Endpoint | null, fate: 'delivered' | 'dropped'): void {
    this.observer!({
      conn: dir.from.id,
      from: dir.from.local,
      to: to ? to.local : dir.from.remote,
      kind: seg.kind,
      size: seg.size,
      sent: seg.sent,
      fate,
    });
  }

  /** @internal */
  notifyClose(ep: Endpoint, reason: CloseReason): void {
    const h = ep.handlers;
    if (!h.onClose) return;
    ep.owner.run(() => {
      if (ep.owner.alive()) h.onClose!(reason);
    });
  }

  /**
   * The owner crashed or exited: its endpoints vanish. On a live host the kernel answers with RST
   * (peers see 'reset'); on a host that is down nothing is sent and peers find out by time-out.
   */
  abortAll(owner: NetOwner, hostDown: boolean): void {
    for (const c of [...owner.conns]) {
      const ep = c as Endpoint;
      if (!ep.open) continue;
      ep.open = false;
      ep.aborted = true;
      this.hs.stop(ep);
      this.rtx.purge(ep.out);
      if (!hostDown && ep.peer) this.sendCtl(ep, 'rst');
    }
    owner.conns.clear();
  }
}
