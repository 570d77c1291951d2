// The in-memory TCP-like network: connections, ordered delivery, loss as delay, partitions (design.md, engine/net).
import type { Host } from '../sim/host.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler, Timer } from '../sim/scheduler.ts';
import type { Micros } from '../sim/time.ts';
import { DEFAULT_LINK, mergeLink, sampleLatency, sampleLossDelay } from './link.ts';
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

type Ctl = 'syn' | 'synack' | 'fin' | 'rst' | null;

/** One segment on the wire; a class so every segment has one shape from birth (dir and timer included). */
class Segment {
  dir: Direction | undefined = undefined;
  /** The arrival event while in flight (cancelled when a heal re-sends it behind held segments). */
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

class Direction {
  // virtual µs: seeded with a fraction so the fields are doubles from the start (see Segment)
  lastAt: Micros = 0.5;
  busyUntil: Micros = 0.5;
  held: Segment[] = [];
  /** Segments on the wire, in send order (arrival events fire in this order); live from inflightHead
   *  to inflightTail (the slots are reused once the wire is empty: no array resizing per segment). */
  inflight: Segment[] = [];
  inflightHead = 0;
  inflightTail = 0;
  heldSince: Micros = 0.5;
  heldTimer: Timer | null = null;
  /** Cached link and reachability, valid while cacheVersion equals the network's topology version. */
  cacheVersion = -1;
  link: LinkConfig | null = null;
  reach = false;
  constructor(
    readonly from: Endpoint,
    readonly toHost: Host,
  ) {
    this.lastAt = 0;
    this.busyUntil = 0;
    this.heldSince = 0;
  }
}

class Endpoint implements Conn {
  open = true;
  established = false;
  peer: Endpoint | null = null;
  handlers: ConnHandlers = {};
  /** Segments that reached the far host before the handshake completed there. */
  preconnect: Segment[] = [];
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

const key = (a: Host, b: Host) => `${a.name}>${b.name}`;

export class Network {
  private readonly opts: Required<Omit<NetworkOptions, 'defaultLink'>>;
  private defaultLink: LinkConfig;
  private links = new Map<string, LinkConfig>();
  private blocked = new Set<string>();
  private heldDirs = new Set<Direction>();
  private nextConnId = 1;
  private nextEphemeral = new Map<string, number>();
  /** Counters for tests and benchmarks. */
  stats = { sent: 0, delivered: 0, dropped: 0, held: 0 };
  /** Bumped on every change of links, cuts or host state: invalidates per-direction caches. */
  private version = 0;
  private readonly arriveFn = (seg: Segment) => this.arrive(seg.dir!, seg);
  observer: MessageObserver | null = null;
  /** Told of every connection opened (the trace's conn records). */
  connObserver: ((rec: { conn: number; node: string; local: string; remote: string }) => void) | null = null;

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: Rng,
    private readonly world: NetWorld,
    opts: NetworkOptions = {},
  ) {
    this.opts = {
      rtoMinMs: opts.rtoMinMs ?? 200,
      rtoMaxMs: opts.rtoMaxMs ?? 120_000,
      userTimeoutMs: opts.userTimeoutMs ?? 30_000,
      connectTimeoutMs: opts.connectTimeoutMs ?? 127_000,
    };
    this.defaultLink = mergeLink(DEFAULT_LINK, opts.defaultLink);
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

  /** One-way cut: nothing from `from` reaches `to`. */
  block(from: Host, to: Host): void {
    this.version++;
    this.blocked.add(key(from, to));
  }

  unblock(from: Host, to: Host): void {
    this.version++;
    this.blocked.delete(key(from, to));
    this.reachabilityChanged();
  }

  /** Remove every cut; held segments resume. */
  heal(): void {
    this.version++;
    this.blocked.clear();
    this.reachabilityChanged();
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

  /** Call after a cut is removed or a host comes up: held segments are retransmitted. */
  reachabilityChanged(): void {
    this.version++;
    if (this.heldDirs.size === 0) return;
    for (const dir of [...this.heldDirs]) {
      if (!this.reachable(dir.from.owner.host, dir.toHost)) continue;
      // retransmit the held segments first, then whatever was still on the wire behind them
      const wire = dir.inflight.slice(dir.inflightHead, dir.inflightTail);
      const segs = dir.held.concat(wire);
      for (const seg of wire) this.sched.cancel(seg.timer);
      dir.held = [];
      dir.inflight = [];
      dir.inflightHead = 0;
      dir.inflightTail = 0;
      dir.lastAt = this.sched.now;
      this.heldDirs.delete(dir);
      this.sched.cancel(dir.heldTimer);
      dir.heldTimer = null;
      for (const seg of segs) this.schedule(dir, seg, 0);
    }
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
    const deadline = this.sched.now + Math.round((opts.timeoutMs ?? this.opts.connectTimeoutMs) * 1000);
    const known = this.world.hostFor(ip, port, from);
    if (!known) {
      // nobody answers for that IP: SYNs go unanswered until the connect time-out
      this.sched.at(deadline, () => this.failConnect(ep, 'timeout'));
      return ep;
    }
    this.sendSyn(ep, ip, port, deadline, 0);
    return ep;
  }

  private sendSyn(ep: Endpoint, ip: string, port: number, deadline: Micros, attempt: number): void {
    if (!ep.open || ep.established) return;
    const target = this.world.hostFor(ip, port, ep.owner.host);
    if (target && this.reachable(ep.owner.host, target)) {
      const link = this.linkOf(ep.owner.host, target);
      const at = this.sched.now + sampleLatency(link, this.rng) + sampleLossDelay(link.loss, this.rng, this.rtoMin(), this.rtoMax());
      // data queued behind the SYN must not overtake it
      if (at > ep.out.lastAt) ep.out.lastAt = at;
      this.sched.at(Math.min(at, deadline + 1), () => {
        if (this.sched.now > deadline) return;
        this.synArrives(ep, ip, port, deadline, attempt);
      });
      return;
    }
    // SYN retransmission schedule of Linux: 1 s, then doubling
    const retry = this.sched.now + 1_000_000 * 2 ** attempt;
    if (retry >= deadline) this.sched.at(deadline, () => this.failConnect(ep, 'timeout'));
    else this.sched.at(retry, () => this.sendSyn(ep, ip, port, deadline, attempt + 1));
  }

  private synArrives(ep: Endpoint, ip: string, port: number, deadline: Micros, attempt: number): void {
    if (!ep.open) return;
    const target = this.world.hostFor(ip, port, ep.owner.host);
    if (!target || !this.reachable(ep.owner.host, target)) {
      this.sendSyn(ep, ip, port, deadline, attempt + 1);
      return;
    }
    const listener = this.world.listener(ip, port);
    const back = this.linkOf(target, ep.owner.host);
    const replyAt = this.sched.now + sampleLatency(back, this.rng);
    if (!listener) {
      this.sched.at(replyAt, () => this.failConnect(ep, 'refused'));
      return;
    }
    const srv = new Endpoint(this, this.nextConnId++, listener.owner, `${ip}:${port}`, ep.local, ep.owner.host);
    srv.established = true;
    srv.peer = ep;
    ep.peer = srv;
    listener.owner.run(() => {
      if (srv.owner.alive()) listener.accept(srv);
    });
    const early = ep.preconnect;
    ep.preconnect = [];
    for (const seg of early) this.arrive(ep.out, seg);
    this.sched.at(replyAt, () => {
      if (!ep.open || ep.established) return;
      ep.established = true;
      const h = ep.handlers;
      ep.owner.run(() => {
        if (ep.open && h.onOpen) h.onOpen();
      });
    });
  }

  private failConnect(ep: Endpoint, reason: CloseReason): void {
    if (!ep.open || ep.established) return;
    for (const seg of ep.preconnect) this.drop(ep.out, seg);
    ep.preconnect = [];
    ep.open = false;
    ep.owner.conns.delete(ep);
    this.notifyClose(ep, reason);
  }

  private ephemeral(ip: string): number {
    const p = this.nextEphemeral.get(ip) ?? 32768;
    this.nextEphemeral.set(ip, p >= 60999 ? 32768 : p + 1);
    return p;
  }

  private rtoMin(): Micros {
    return this.opts.rtoMinMs * 1000;
  }
  private rtoMax(): Micros {
    return this.opts.rtoMaxMs * 1000;
  }

  // ---- segments ---------------------------------------------------------------------------

  /** Called by Endpoint.send/close: compute the arrival time and schedule it, preserving order. */
  transmit(dir: Direction, seg: Segment): void {
    if (seg.ctl === null) this.stats.sent++;
    this.schedule(dir, seg, seg.size);
  }

  /** Host state changed outside the network (host down/up): drop cached reachability. */
  topologyChanged(): void {
    this.version++;
  }

  private refresh(dir: Direction): void {
    dir.cacheVersion = this.version;
    dir.link = this.linkOf(dir.from.owner.host, dir.toHost);
    dir.reach = this.reachable(dir.from.owner.host, dir.toHost);
  }

  private schedule(dir: Direction, seg: Segment, size: number): void {
    if (dir.cacheVersion !== this.version) this.refresh(dir);
    const link = dir.link!;
    const now = this.sched.now;
    let start = now;
    if (link.bandwidth && link.bandwidth > 0 && size > 0) {
      start = Math.max(now, dir.busyUntil) + Math.round((size * 1e6) / link.bandwidth);
      dir.busyUntil = start;
    }
    let at = start + sampleLatency(link, this.rng);
    if (link.loss > 0) at += sampleLossDelay(link.loss, this.rng, this.rtoMin(), this.rtoMax());
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
    if (dir.cacheVersion !== this.version) this.refresh(dir);
    if (dir.held.length > 0 || !dir.reach) {
      this.hold(dir, seg);
      return;
    }
    const to = dir.from.peer;
    if (!to && dir.from.open && !dir.from.established) {
      dir.from.preconnect.push(seg);
      return;
    }
    if (!to || !to.open) {
      // the far side no longer knows this connection: data gets a reset back
      if (seg.ctl === null) this.drop(dir, seg);
      if (to && seg.ctl !== 'rst' && dir.from.open && dir.from.established) {
        this.sendCtl(to, dir.from, 'rst');
      }
      return;
    }
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

  /** Control segment from a (possibly already closed) endpoint's host to `to`. */
  private sendCtl(from: Endpoint, to: Endpoint, ctl: Ctl): void {
    const seg = new Segment(null, 40, 'tcp', this.sched.now, ctl);
    this.schedule(from.out, seg, 0);
    void to;
  }

  private hold(dir: Direction, seg: Segment): void {
    if (dir.held.length === 0) {
      dir.heldSince = this.sched.now;
      this.heldDirs.add(dir);
      const since = dir.heldSince;
      dir.heldTimer = this.sched.after(this.opts.userTimeoutMs * 1000, () => {
        if (dir.held.length > 0 && dir.heldSince === since) this.userTimeout(dir);
      });
    }
    this.stats.held++;
    dir.held.push(seg);
  }

  /** TCP_USER_TIMEOUT: a direction stuck too long aborts the connection on both sides. */
  private userTimeout(dir: Direction): void {
    const segs = dir.held;
    dir.held = [];
    dir.heldTimer = null;
    this.heldDirs.delete(dir);
    for (const s of segs) if (s.ctl === null) this.drop(dir, s);
    const a = dir.from;
    const b = a.peer;
    for (const ep of [a, b]) {
      if (ep && ep.open) {
        ep.open = false;
        ep.owner.conns.delete(ep);
        this.notifyClose(ep, 'timeout');
      }
    }
  }

  private drop(dir: Direction, seg: Segment): void {
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

  private notifyClose(ep: Endpoint, reason: CloseReason): void {
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
      if (!hostDown && ep.peer) this.sendCtl(ep, ep.peer, 'rst');
    }
    owner.conns.clear();
  }
}
