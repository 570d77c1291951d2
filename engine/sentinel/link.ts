// Instance links (sentinel.c instanceLink): the command and pub/sub connections of one monitored
// instance, the pending-command count and the ping/availability timestamps (sentinel.md §5.3).
// A connection behaves like a hiredis async context: commands may be queued before the TCP
// handshake completes, replies are matched to callbacks in order, and once SUBSCRIBE was sent every
// further message goes to the subscription callback.
import { argvSize, type Resp } from '../net/resp.ts';
import type { CloseReason, Conn } from '../net/types.ts';
import type { ProcessContext } from '../sim/process.ts';
import { guarded, SentinelExit } from './exit.ts';
import type { Instance } from './instance.ts';

/** A reply callback; `null` stands for sentinelDiscardReplyCallback. */
export type ReplyFn = (ri: Instance, reply: Resp, link: InstanceLink) => void;

interface Pending {
  ri: Instance;
  fn: ReplyFn | null;
  subscribe: boolean;
}

export class AsyncConn {
  /** hiredis c->data: null once Sentinel closed the connection itself. */
  link: InstanceLink | null;
  private queue: Pending[] = [];
  private push: Pending | null = null;
  closed = false;
  conn!: Conn;

  constructor(link: InstanceLink) {
    this.link = link;
  }

  /** Our address on this connection (anetFdToString FD_TO_SOCK_NAME). */
  localIp(): string {
    if (this.local === null) {
      const l = this.conn.local;
      const i = l.lastIndexOf(':');
      this.local = i < 0 ? l : l.slice(0, i);
    }
    return this.local;
  }
  /** conn.local never changes: its IP is computed once. */
  private local: string | null = null;

  /** redisAsyncCommand: queue a command with its callback; false if the context is gone. */
  command(ri: Instance, argv: string[], kind: string, fn: ReplyFn | null, subscribe = false): boolean {
    if (this.closed) return false;
    this.queue.push({ ri, fn, subscribe });
    this.conn.send(argv, argvSize(argv), kind);
    return true;
  }

  /** Release a record sharing this connection: its pending replies will be discarded. */
  rebindToDiscard(ri: Instance): void {
    for (const p of this.queue) if (p.ri === ri) p.fn = null;
  }

  onReply(reply: Resp): void {
    if (this.closed) return;
    const link = this.link;
    let p: Pending | undefined;
    if (this.push) p = this.push;
    else {
      p = this.queue.shift();
      if (p?.subscribe && reply.t !== 'error') this.push = p;
    }
    if (!p || !link) return;
    // every Sentinel callback but the subscription one starts with pending_commands--
    if (!p.subscribe) link.pendingCommands--;
    if (p.fn) p.fn(p.ri, reply, link);
  }

  /** The connection failed or the peer closed it (hiredis connect/disconnect callbacks). */
  onError(_reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    const link = this.link;
    if (!link) return;
    // hiredis runs the pending callbacks with a NULL reply: only the discard callback counts it
    for (const p of this.queue) if (p.fn === null && !p.subscribe) link.pendingCommands--;
    this.queue = [];
    this.push = null;
    if (link.pc === this) link.pc = null;
    else link.cc = null;
    link.disconnected = true;
  }
}

export class InstanceLink {
  refcount = 1;
  disconnected = true;
  pendingCommands = 0;
  cc: AsyncConn | null = null;
  pc: AsyncConn | null = null;
  ccConnTime = 0;
  pcConnTime = 0;
  lastReconnTime = 0;
  pcLastActivity = 0;
  /** Send time of the oldest unanswered PING, 0 when answered. Set to "now" at creation. */
  actPingTime: number;
  lastPingTime = 0;
  lastAvailTime: number;
  lastPongTime: number;

  constructor(now: number) {
    this.actPingTime = now;
    this.lastAvailTime = now;
    this.lastPongTime = now;
  }
}

/** Open a hiredis-like async connection to ip:port. */
export function openConn(ctx: ProcessContext, link: InstanceLink, ip: string, port: number): AsyncConn {
  const ac = new AsyncConn(link);
  ac.conn = ctx.connect(ip, port, {
    // guarded(() => ac.onReply(payload)) without a closure per reply
    onData: (payload) => {
      try {
        ac.onReply(payload as Resp);
      } catch (e) {
        if (!(e instanceof SentinelExit)) throw e;
      }
    },
    onClose: (reason) => guarded(() => ac.onError(reason)),
  });
  return ac;
}

/** instanceLinkCloseConnection: Sentinel closes one of the link's connections itself. */
export function closeLinkConnection(link: InstanceLink, c: AsyncConn | null): void {
  if (c === null) return;
  if (link.cc === c) {
    link.cc = null;
    link.pendingCommands = 0;
  }
  if (link.pc === c) link.pc = null;
  c.link = null;
  link.disconnected = true;
  if (!c.closed) {
    c.closed = true;
    c.conn.close();
  }
}

/**
 * releaseInstanceLink: drop one reference; the last one closes the connections, otherwise the
 * replies still pending for `ri` are rebound to the discard callback.
 */
export function releaseLink(link: InstanceLink, ri: Instance | null): InstanceLink | null {
  link.refcount--;
  if (link.refcount !== 0) {
    if (ri && link.cc) link.cc.rebindToDiscard(ri);
    return link;
  }
  closeLinkConnection(link, link.cc);
  closeLinkConnection(link, link.pc);
  return null;
}
