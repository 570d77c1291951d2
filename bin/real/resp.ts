// A minimal RESP client for real runs (the admin client of exec / role / masterAddr and the views): one fresh
// connection per call, from a given loopback alias, replies parsed by engine/net's ReplyParser into the same
// Resp values the simulator returns. Nothing but loopback addresses is ever dialled.
import { createConnection, type Socket } from 'node:net';
import type { Resp } from '../../engine/net/resp.ts';
import { ReplyParser } from '../../engine/net/respCodec.ts';

/** A command as RESP bytes (lengths in bytes of UTF-8). */
export function encodeCommand(argv: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) {
    const b = Buffer.from(a, 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Byte strings (latin1) of the parser to text: UTF-8 when valid, else kept byte for byte; `map` applied to every string. */
export function decodeResp(r: Resp, map: (s: string) => string = (s) => s): Resp {
  const text = (s: string) => {
    const b = Buffer.from(s, 'latin1');
    const u = b.toString('utf8');
    return map(Buffer.from(u, 'utf8').equals(b) ? u : s);
  };
  switch (r.t) {
    case 'simple':
    case 'error':
      return { t: r.t, v: text(r.v) };
    case 'bulk':
      return { t: 'bulk', v: r.v === null ? null : text(r.v) };
    case 'array':
      return { t: 'array', v: r.v === null ? null : r.v.map((x) => decodeResp(x, map)) };
    default:
      return r;
  }
}

export interface CallTarget {
  host: string;
  port: number;
  /** Source address (the caller's loopback alias). */
  localAddress?: string;
}

export type CallOutcome =
  /** Replies to every command sent, in order. */
  | { t: 'replies'; replies: Resp[] }
  /** The connection failed before it opened (refused, …). */
  | { t: 'connect-failed'; message: string }
  /** It closed (or failed) after opening, before every reply came. */
  | { t: 'closed'; message: string; replies: Resp[] }
  | { t: 'timeout'; opened: boolean; replies: Resp[] };

const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EPIPE: 'Broken pipe',
};

export function errnoText(e: NodeJS.ErrnoException): string {
  return (e.code && ERRNO_TEXT[e.code]) ?? e.message;
}

/**
 * Open a connection, send `commands` pipelined, collect one reply per command; gives up after `timeoutMs`
 * (connection included). Never throws.
 */
export function callPipeline(target: CallTarget, commands: readonly (readonly string[])[], timeoutMs: number): Promise<CallOutcome> {
  return new Promise((resolve) => {
    const replies: Resp[] = [];
    const parser = new ReplyParser();
    let opened = false;
    let done = false;
    let sock: Socket;
    const finish = (o: CallOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => finish({ t: 'timeout', opened, replies }), timeoutMs);
    try {
      sock = createConnection({ host: target.host, port: target.port, localAddress: target.localAddress });
    } catch (e) {
      clearTimeout(timer);
      resolve({ t: 'connect-failed', message: (e as Error).message });
      return;
    }
    sock.setNoDelay(true);
    sock.on('connect', () => {
      opened = true;
      sock.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
    });
    sock.on('data', (chunk: Buffer) => {
      try {
        parser.feed(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        for (let r = parser.next(); r !== null; r = parser.next()) {
          replies.push(r);
          if (replies.length === commands.length) return finish({ t: 'replies', replies });
        }
      } catch (e) {
        finish({ t: 'closed', message: `protocol error: ${(e as Error).message}`, replies });
      }
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (!opened) finish({ t: 'connect-failed', message: errnoText(e) });
      else finish({ t: 'closed', message: errnoText(e), replies });
    });
    sock.on('close', () => finish(opened ? { t: 'closed', message: 'Server closed the connection', replies } : { t: 'connect-failed', message: 'Connection closed' }));
  });
}

/** Whether something accepts connections at the target now. */
export function canConnect(target: CallTarget, timeoutMs = 200): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: target.host, port: target.port, localAddress: target.localAddress });
    const t = setTimeout(() => {
      sock.destroy();
      resolve(false);
    }, timeoutMs);
    sock.on('connect', () => {
      clearTimeout(t);
      sock.destroy();
      resolve(true);
    });
    sock.on('error', () => {
      clearTimeout(t);
      sock.destroy();
      resolve(false);
    });
  });
}
