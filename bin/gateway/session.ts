// One real TCP connection bridged to one simulated client connection: RESP bytes in → argv into the
// simulation; simulated replies → RESP bytes out. A protocol error is answered like Redis does
// (after the replies of the commands before it), then the connection is closed.
import type { Socket } from 'node:net';
import { argvSize, encodeResp, type Reply } from '../../engine/net/resp.ts';
import { CLIENT_QUERY_BUFFER_LIMIT, PROTO_MAX_BULK_LEN, RequestParser } from '../../engine/net/respCodec.ts';
import type { CloseReason, Conn } from '../../engine/net/types.ts';
import type { ProcessContext } from '../../engine/sim/process.ts';
import type { RealTimeDriver } from './clock.ts';

const SUB_FAMILY = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe']);
// out-of-band: pub/sub messages, and client-side caching's invalidations (RESP3 pushes)
const PUSHES = new Set(['message', 'pmessage', 'smessage', 'invalidate', 'tracking-redir-broken']);
/** After a client's FIN, how long (virtual µs) commands already sent may still answer. */
const GRACE_US = 50_000;

export interface SessionHooks {
  /** Whether the server still wants AUTH from this connection (the parser's unauthenticated limits). */
  authRequired?: (simLocalAddr: string) => boolean;
  /** proto-max-bulk-len and client-query-buffer-limit of the server behind the connection, now. */
  limits?: () => { protoMaxBulkLen: number; queryBufferLimit: number } | undefined;
  /** The connection went over client-query-buffer-limit and is being closed (the server logs it). */
  onQueryBufferLimit?: (simLocalAddr: string, head: string) => void;
  onEnd?: (s: GatewaySession) => void;
  /** Whether the simulated process behind the connection has died (its kernel closes with FIN, not RST). */
  peerDead?: () => boolean;
}

export class GatewaySession {
  readonly conn: Conn;
  private readonly parser: RequestParser;
  /** Replies still expected for commands sent (pushes excluded). */
  private expected = 0;
  private protocolError: string | null = null;
  private ended = false;
  /** The client sent FIN: answer what was already read, then close (Redis reads EOF after replying). */
  private halfClosed = false;

  constructor(
    readonly socket: Socket,
    ctx: ProcessContext,
    private readonly ip: string,
    private readonly port: number,
    private readonly driver: RealTimeDriver,
    private readonly hooks: SessionHooks = {},
  ) {
    this.parser = new RequestParser({
      authRequired: () => hooks.authRequired?.(this.conn.local) ?? false,
      limits: () => hooks.limits?.() ?? { protoMaxBulkLen: PROTO_MAX_BULK_LEN, queryBufferLimit: CLIENT_QUERY_BUFFER_LIMIT },
    });
    driver.catchUp();
    this.conn = ctx.connect(ip, port, {
      onData: (m) => this.fromSim(m as Reply),
      onClose: (reason) => this.simClosed(reason),
    });
    driver.poke();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.fromSocket(chunk));
    socket.on('end', () => this.socketEnded());
    socket.on('close', () => this.socketClosed());
    socket.on('error', () => this.socketClosed());
  }

  get target(): string {
    return `${this.ip}:${this.port}`;
  }

  private fromSocket(chunk: Buffer): void {
    if (this.ended || this.protocolError !== null || this.halfClosed) return;
    this.driver.catchUp();
    this.parser.feed(chunk.toString('latin1'));
    for (let item = this.parser.next(); item; item = this.parser.next()) {
      if (item.kind === 'close') {
        // over client-query-buffer-limit: freeClientAsync, no reply (readQueryFromClient)
        this.hooks.onQueryBufferLimit?.(this.conn.local, item.head);
        this.end('local');
        return;
      }
      if (item.kind === 'error') {
        this.protocolError = item.error;
        this.maybeFinishWithError();
        break;
      }
      const argv = item.argv;
      const name = argv[0]!.toLowerCase();
      this.expected += SUB_FAMILY.has(name) ? Math.max(1, argv.length - 1) : 1;
      this.conn.send(argv, argvSize(argv), 'client');
    }
    this.driver.poke();
  }

  private fromSim(r: Reply): void {
    if (this.ended) return;
    const head = (r.t === 'array' || r.t === 'push') && r.v && r.v.length >= (r.t === 'push' ? 2 : 3) && r.v[0]!.t === 'bulk' ? r.v[0]!.v : null;
    if (!(head !== null && PUSHES.has(head))) this.expected--;
    this.socket.write(encodeResp(r), 'latin1');
    // replies sent in the same instant arrive as separate events: look again once they are in
    if (this.protocolError !== null && this.expected <= 0) this.driver.sim.sched.after(0, () => this.maybeFinishWithError());
    if (this.halfClosed && this.expected <= 0) this.driver.sim.sched.after(0, () => this.end('local'));
  }

  private socketEnded(): void {
    if (this.ended || this.halfClosed) return;
    this.halfClosed = true;
    if (this.protocolError !== null) return; // the error reply is on its way, then the close
    if (this.expected <= 0) return this.end('local');
    // commands still running (or blocked): give them a moment of virtual time, then hang up like Redis
    this.driver.catchUp();
    this.driver.sim.sched.after(GRACE_US, () => this.end('local'));
    this.driver.poke();
  }

  private maybeFinishWithError(): void {
    if (this.ended || this.protocolError === null || this.expected > 0) return;
    this.socket.write(encodeResp({ t: 'error', v: this.protocolError }), 'latin1');
    this.end('local');
  }

  private simClosed(reason: CloseReason): void {
    this.end(reason);
  }

  private socketClosed(): void {
    this.end('closed');
  }

  /** Tear down both sides once. */
  end(reason: CloseReason | 'local'): void {
    if (this.ended) return;
    this.ended = true;
    if (this.conn.open) this.conn.close();
    const s = this.socket;
    if (!s.destroyed) {
      // a process that exits (crash included) has its sockets closed by the kernel: FIN, as redis-cli's
      // "Server closed the connection" after DEBUG SEGFAULT shows; RST only when the peer lives on
      const rst = reason === 'reset' && !this.hooks.peerDead?.();
      if (rst && typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
      else {
        // close(2) as Redis does once the reply is out: a client still writing gets a reset, not a
        // half-open socket that swallows its bytes (protocol.tcl "Protocol desync regression")
        s.end();
        s.once('finish', () => s.destroy());
      }
    }
    this.driver.poke();
    this.hooks.onEnd?.(this);
  }
}
