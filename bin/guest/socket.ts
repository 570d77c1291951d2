// The guest's TCP socket: a Duplex stream over one simulated connection, with the parts of net.Socket that
// ioredis and node-redis use (connecting, remoteAddress, setTimeout/'timeout', setNoDelay, setKeepAlive,
// ref/unref, 'connect'/'ready'). Bytes written go to the simulation as 'write' actions; bytes the
// simulation delivers are pushed as Buffers. Errors carry Node's codes and messages (connect ECONNREFUSED …).
import { Duplex } from 'node:stream';
import type { GuestAction } from './protocol.ts';

export type CloseWhy = 'closed' | 'reset' | 'refused' | 'timeout' | 'local' | 'outside' | 'dns';

/** A system error as libuv words it (err.code, err.errno, err.syscall, err.address, err.port). */
export function sysError(code: string, syscall: string, host: string, port: number, detail?: string): NodeJS.ErrnoException {
  const errno: Record<string, number> = { ECONNREFUSED: -111, ETIMEDOUT: -110, ECONNRESET: -104, EHOSTUNREACH: -113, ENOTFOUND: -3008 };
  const msg = detail ?? (syscall === 'connect' ? `${syscall} ${code} ${host}:${port}` : `${syscall} ${code}`);
  const e = new Error(msg) as NodeJS.ErrnoException & { address?: string; port?: number };
  e.code = code;
  e.errno = errno[code] ?? -1;
  e.syscall = syscall;
  if (syscall === 'connect') {
    e.address = host;
    e.port = port;
  }
  return e;
}

export class VirtualSocket extends Duplex {
  connecting = true;
  remoteAddress: string;
  remotePort: number;
  remoteFamily = 'IPv4';
  localAddress: string | undefined = undefined;
  localPort: number | undefined = undefined;
  bytesWritten = 0;
  bytesRead = 0;
  private idleMs = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private peerGone = false;

  constructor(
    readonly id: number,
    host: string,
    port: number,
    private readonly emitAction: (a: GuestAction) => void,
  ) {
    super({ allowHalfOpen: false });
    this.remoteAddress = host;
    this.remotePort = port;
  }

  get readyState(): string {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable) return 'readOnly';
    if (this.writable) return 'writeOnly';
    return 'closed';
  }

  get pending(): boolean {
    return this.connecting;
  }

  address(): { address: string; family: string; port: number } | Record<string, never> {
    return this.localAddress ? { address: this.localAddress, family: 'IPv4', port: this.localPort! } : {};
  }

  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  resetAndDestroy(): this {
    return this.destroy();
  }

  /** net.Socket#setTimeout: 'timeout' after `ms` of inactivity (virtual, on the guest's faked timers). */
  setTimeout(ms: number, cb?: () => void): this {
    this.idleMs = ms > 0 ? ms : 0;
    if (cb) {
      if (this.idleMs === 0) this.removeListener('timeout', cb);
      else this.once('timeout', cb);
    }
    this.armIdle();
    return this;
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.idleMs > 0 && !this.destroyed) this.idleTimer = setTimeout(() => ((this.idleTimer = null), this.emit('timeout')), this.idleMs);
  }

  // ---- from the simulation

  /** @internal the connection is established. */
  opened(local: string): void {
    if (this.destroyed) return;
    const i = local.lastIndexOf(':');
    this.localAddress = local.slice(0, i);
    this.localPort = Number(local.slice(i + 1));
    this.connecting = false;
    this.armIdle();
    this.emit('connect');
    this.emit('ready');
  }

  /** @internal bytes arrived. */
  received(bytes: string): void {
    if (this.destroyed) return;
    const b = Buffer.from(bytes, 'latin1');
    this.bytesRead += b.length;
    this.armIdle();
    this.push(b);
  }

  /** @internal the connection ended on the simulation's side. */
  closedBy(why: CloseWhy): void {
    if (this.destroyed) return;
    this.peerGone = true;
    const [h, p] = [this.remoteAddress, this.remotePort];
    if (why === 'closed') {
      this.connecting = false;
      this.push(null); // 'end'; allowHalfOpen false: we end too, then 'close'
      return;
    }
    const err =
      why === 'refused'
        ? sysError('ECONNREFUSED', 'connect', h, p)
        : why === 'timeout'
          ? this.connecting
            ? sysError('ETIMEDOUT', 'connect', h, p)
            : sysError('ETIMEDOUT', 'read', h, p)
          : why === 'outside'
            ? sysError('EHOSTUNREACH', 'connect', h, p, `connect EHOSTUNREACH ${h}:${p} (sentinel-sim: ${h} is not a host of the simulated topology; guest code cannot open real connections)`)
            : why === 'dns'
              ? sysError('ENOTFOUND', 'getaddrinfo', h, p, `getaddrinfo ENOTFOUND ${h} (sentinel-sim: name resolution is not simulated; use the topology's IP addresses)`)
              : sysError('ECONNRESET', 'read', h, p);
    this.connecting = false;
    this.destroy(err);
  }

  // ---- Duplex

  override _read(): void {}

  override _write(chunk: Buffer | string, enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, enc) : chunk;
    this.bytesWritten += b.length;
    this.armIdle();
    if (!this.peerGone) this.emitAction({ k: 'write', id: this.id, bytes: b.toString('latin1') });
    cb();
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (!this.peerGone) this.emitAction({ k: 'end', id: this.id });
    this.peerGone = true;
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.peerGone) this.emitAction({ k: 'end', id: this.id });
    this.peerGone = true;
    this.connecting = false;
    cb(err);
  }
}
