// Outbound connections of simulated servers to real servers (Node only): `serve` lets MIGRATE reach a
// real redis-server on loopback (127.0.0.0/8) that is not one of the simulated nodes. The real socket
// stands behind the engine's Conn: commands go out as RESP, each reply line comes back as one reply
// (MIGRATE reads lines, as connSyncReadLine does), injected at the virtual instant of the wall clock.
import { connect, type Socket } from 'node:net';
import type { Reply } from '../../engine/net/resp.ts';
import type { CloseReason, Conn, ConnHandlers } from '../../engine/net/types.ts';
import type { ProcessContext } from '../../engine/sim/process.ts';
import type { RealTimeDriver } from './clock.ts';

/** True for an IPv4 loopback literal (the only real addresses a simulated server may reach). */
export function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** One reply line as the engine's typed reply. */
function lineReply(line: string): Reply {
  if (line[0] === '+') return { t: 'simple', v: line.slice(1) };
  if (line[0] === '-') return { t: 'error', v: line.slice(1) };
  if (line[0] === ':' && /^:-?\d+$/.test(line)) return { t: 'int', v: BigInt(line.slice(1)) };
  return { t: 'simple', v: line }; // a bulk or array header: MIGRATE never expects one
}

const encode = (argv: readonly string[]): string => `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;

let nextId = 1_000_000_000;

class RealConn implements Conn {
  readonly id = nextId++;
  open = true;
  local = '127.0.0.1:0';
  private buf = '';
  private readonly socket: Socket;

  constructor(
    readonly remote: string,
    host: string,
    port: number,
    private handlers: ConnHandlers,
    private readonly ctx: ProcessContext,
    private readonly driver: RealTimeDriver,
  ) {
    this.socket = connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      this.local = `${this.socket.localAddress}:${this.socket.localPort}`;
      this.inject(() => this.handlers.onOpen?.());
    });
    this.socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      const lines: string[] = [];
      for (let i = this.buf.indexOf('\r\n'); i >= 0; i = this.buf.indexOf('\r\n')) {
        lines.push(this.buf.slice(0, i));
        this.buf = this.buf.slice(i + 2);
      }
      if (lines.length) this.inject(() => lines.forEach((l) => this.handlers.onData?.(lineReply(l))));
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', (hadError) => this.closedBy(hadError ? 'reset' : 'closed'));
  }

  private inject(fn: () => void): void {
    if (!this.ctx.alive()) return;
    this.driver.catchUp();
    this.ctx.run(fn);
    this.driver.poke();
  }

  private closedBy(reason: CloseReason): void {
    if (!this.open) return;
    this.open = false;
    this.inject(() => this.handlers.onClose?.(reason));
  }

  setHandlers(h: ConnHandlers): void {
    this.handlers = h;
  }

  send(payload: unknown): void {
    if (this.open && Array.isArray(payload)) this.socket.write(encode(payload as string[]), 'latin1');
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.socket.destroy();
  }
}

/**
 * The connector for a simulated server: loopback addresses that no simulated process serves get a real
 * socket; everything else (simulated nodes, other addresses) stays on the simulated network.
 */
export function realLoopbackConnector(ctx: ProcessContext, driver: RealTimeDriver, simulated: (name: string) => boolean) {
  return (host: string, port: number, handlers: ConnHandlers): Conn | null => {
    if (!isLoopback(host) || simulated(`${host}:${port}`)) return null;
    return new RealConn(`${host}:${port}`, host, port, handlers, ctx, driver);
  };
}
