// One client connection to a simulated Redis server: pipelined calls answered in order, pub/sub
// pushes, connection-lost errors (RESP2 semantics, as a client library such as hiredis sees them).
import { argvSize, type Resp } from '../net/resp.ts';
import type { CloseReason, Conn } from '../net/types.ts';
import type { ProcessContext } from '../sim/process.ts';
import { clientError, type ClientError, type ReplyCallback } from './errors.ts';

export interface ConnectOptions {
  /** AUTH sent first: a password, or [username, password]. */
  auth?: string | [string, string];
  /** SELECT sent after AUTH. */
  db?: number;
  /** CLIENT SETNAME sent after SELECT. */
  clientName?: string;
  /** connect() time-out in ms (default: the network's, 127 s like Linux). */
  connectTimeoutMs?: number;
  /** Trace label of the commands sent (default 'client'). */
  kind?: string;
  onOpen?: () => void;
  onClose?: (reason: CloseReason) => void;
  /** Pub/sub messages and unsolicited replies (MONITOR output, an error before any command). */
  onPush?: (msg: Resp) => void;
  /** A handshake command (AUTH / SELECT / CLIENT SETNAME) got an error reply. */
  onHandshakeError?: (argv: string[], reply: Resp | ClientError) => void;
}

type SubKind = 'subscribe' | 'psubscribe' | 'ssubscribe' | 'unsubscribe' | 'punsubscribe' | 'sunsubscribe';
const SUB_KINDS = new Set<string>(['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe']);
const PUSH_KINDS = new Set<string>(['message', 'pmessage', 'smessage']);

interface Pending {
  argv: string[];
  cb: ReplyCallback | undefined;
  /** For the subscribe family: confirmations expected (-1 = not known until the first arrives). */
  sub: SubKind | null;
  expect: number;
  got: Resp[];
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export class RedisConnection {
  readonly conn: Conn;
  state: ConnectionState = 'connecting';
  closeReason: CloseReason | null = null;
  /** Error reply of the handshake, if any. */
  handshakeError: Resp | ClientError | null = null;
  /** Subscriptions as confirmed by the server (RESP2 pub/sub mode while any is non-empty). */
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  private readonly queue: Pending[] = [];
  private head = 0;
  private readonly pushHandlers: ((msg: Resp) => void)[] = [];
  private readonly kind: string;

  constructor(
    private readonly ctx: ProcessContext,
    readonly ip: string,
    readonly port: number,
    private readonly opts: ConnectOptions = {},
  ) {
    this.kind = opts.kind ?? 'client';
    if (opts.onPush) this.pushHandlers.push(opts.onPush);
    this.conn = ctx.connect(
      ip,
      port,
      {
        onOpen: () => {
          if (this.state === 'connecting') this.state = 'open';
          opts.onOpen?.();
        },
        onData: (m) => this.onData(m as Resp),
        onClose: (reason) => this.lost(reason),
      },
      opts.connectTimeoutMs === undefined ? undefined : { timeoutMs: opts.connectTimeoutMs },
    );
    const hs = (argv: string[]) =>
      this.call(argv, (r) => {
        if (r.t === 'error' || r.t === 'client-error') {
          this.handshakeError ??= r;
          opts.onHandshakeError?.(argv, r);
        }
      });
    if (opts.auth !== undefined) hs(typeof opts.auth === 'string' ? ['AUTH', opts.auth] : ['AUTH', opts.auth[0], opts.auth[1]]);
    if (opts.db !== undefined && opts.db !== 0) hs(['SELECT', String(opts.db)]);
    if (opts.clientName !== undefined) hs(['CLIENT', 'SETNAME', opts.clientName]);
  }

  /** "ip:port" of the server. */
  get address(): string {
    return `${this.ip}:${this.port}`;
  }

  /** Calls sent and not answered yet. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** True while subscribed to anything (only the subscribe family, PING, QUIT and RESET are allowed). */
  get inPubSub(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  /**
   * Send a command now (pipelined behind earlier ones); `cb` gets its reply in command order. The
   * subscribe family gets one callback for all its confirmations: the confirmation itself when
   * there is one, else an array of them. On a closed connection `cb` gets a ClientError (later, from
   * a timer, never re-entrantly).
   */
  call(argv: string[], cb?: ReplyCallback): void {
    if (this.state === 'closed') {
      if (cb) {
        const e = clientError(this.closeReason ?? 'local');
        this.ctx.setTimer(0, () => cb(e));
      }
      return;
    }
    const name = (argv[0] ?? '').toLowerCase();
    const sub = SUB_KINDS.has(name) ? (name as SubKind) : null;
    // UNSUBSCRIBE with no argument: one confirmation per subscription (or one), known when it starts
    const expect = sub === null ? 1 : argv.length > 1 ? argv.length - 1 : -1;
    this.queue.push({ argv, cb, sub, expect, got: [] });
    this.conn.send(argv, argvSize(argv), this.kind);
  }

  /** Register a handler for pub/sub messages and unsolicited replies. */
  onPush(fn: (msg: Resp) => void): void {
    this.pushHandlers.push(fn);
  }

  /** Close cleanly (FIN); pending calls fail with reason 'local'. */
  close(): void {
    if (this.state === 'closed') return;
    this.conn.close();
    this.lost('local', true);
  }

  private onData(r: Resp): void {
    if (this.state === 'closed') return;
    if (this.inPubSub && isPush(r)) return this.push(r);
    const p = this.queue[this.head];
    if (!p) return this.push(r);
    if (p.sub !== null && r.t === 'array' && r.v && r.v.length === 3 && r.v[0]!.t === 'bulk' && r.v[0]!.v?.toLowerCase() === p.sub) {
      if (p.expect === -1) p.expect = Math.max(1, this.setOf(p.sub).size);
      this.trackSubscription(p.sub, r.v[1]!);
      p.got.push(r);
      if (p.got.length < p.expect) return;
      return this.complete(p.got.length === 1 ? p.got[0]! : { t: 'array', v: p.got });
    }
    if (r.t === 'simple' && r.v === 'RESET' && p.argv[0]?.toLowerCase() === 'reset') {
      this.channels.clear();
      this.patterns.clear();
      this.shardChannels.clear();
    }
    this.complete(r);
  }

  private complete(r: Resp): void {
    const p = this.queue[this.head]!;
    this.queue[this.head++] = undefined as unknown as Pending;
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    p.cb?.(r);
  }

  private push(r: Resp): void {
    for (const h of this.pushHandlers) h(r);
  }

  private setOf(kind: SubKind): Set<string> {
    return kind === 'psubscribe' || kind === 'punsubscribe' ? this.patterns : kind === 'ssubscribe' || kind === 'sunsubscribe' ? this.shardChannels : this.channels;
  }

  private trackSubscription(kind: SubKind, target: Resp): void {
    if (target.t !== 'bulk' || target.v === null) return;
    const set = this.setOf(kind);
    if (kind.includes('unsubscribe')) set.delete(target.v);
    else set.add(target.v);
  }

  private lost(reason: CloseReason, local = false): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeReason = reason;
    const failed = this.queue.slice(this.head);
    this.queue.length = 0;
    this.head = 0;
    const e = clientError(reason);
    const fail = () => {
      for (const p of failed) p.cb?.(e);
      this.opts.onClose?.(reason);
    };
    // a local close() must not call back into the caller re-entrantly
    if (local) this.ctx.setTimer(0, fail);
    else fail();
  }
}

function isPush(r: Resp): boolean {
  return r.t === 'array' && r.v !== null && r.v.length >= 3 && r.v[0]!.t === 'bulk' && PUSH_KINDS.has(r.v[0]!.v ?? '');
}
