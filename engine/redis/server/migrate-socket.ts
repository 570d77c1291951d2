// MIGRATE's cached sockets and its blocking exchange with the target (cluster.c migrateGetSocket,
// migrateCloseSocket, migrateCloseTimedoutSockets and the I/O part of migrateCommand). Redis blocks
// its whole event loop in connBlockingConnect / connSyncReadLine; the simulated server does the same
// in virtual time: it is busy (no input read, no timer run) from the request until the last reply
// line, a closed socket or a time-out.
import { argvSize, type Reply } from '../../net/resp.ts';
import type { Conn, ConnHandlers } from '../../net/types.ts';
import type { ProcTimer } from '../../sim/process.ts';
import type { RedisServer } from './server.ts';

/** MIGRATE_SOCKET_CACHE_ITEMS, MIGRATE_SOCKET_CACHE_TTL (seconds). */
export const MIGRATE_SOCKET_CACHE_ITEMS = 64;
export const MIGRATE_SOCKET_CACHE_TTL = 10;

/** migrateCachedSocket: a connection to host:port, the db it last SELECTed, when it was last used. */
export interface CachedSocket {
  conn: Conn;
  /** connecting (SYN sent), open, or broken (refused, reset, closed by the peer or by us): writes and reads on it fail. */
  state: 'connecting' | 'open' | 'broken';
  /** Someone waits for the connect to succeed or fail. */
  onSettled: (() => void) | null;
  lastDbid: number;
  /** server.unixtime when fetched from the cache. */
  lastUseTime: number;
  /** Reply lines not yet read (a line arriving while nobody reads stays in the socket buffer). */
  unread: Reply[];
  /** The pending read, if any. */
  reader: ((r: Reply | null, why: 'closed' | 'timeout' | null) => void) | null;
}

/** How one exchange ended: every reply line read, or a socket error (timed out or not) after `lines` lines. */
export type ExchangeResult = { ok: true; lines: string[] } | { ok: false; lines: string[]; timedOut: boolean; writeError: boolean };

/** The first line of a reply as connSyncReadLine returns it (without CRLF; at most 1023 bytes). */
export function replyLine(r: Reply): string {
  let line: string;
  switch (r.t) {
    case 'simple':
      line = `+${r.v}`;
      break;
    case 'error':
      line = `-${r.v}`;
      break;
    case 'int':
      line = `:${r.v}`;
      break;
    case 'bulk':
      line = r.v === null ? '$-1' : `$${r.v.length}`;
      break;
    case 'array':
      line = r.v === null ? '*-1' : `*${r.v.length}`;
      break;
    default:
      line = '-ERR unexpected reply type';
  }
  return line.length > 1023 ? line.slice(0, 1023) : line;
}

/** server.migrate_cached_sockets of one server. */
export class MigrateSockets {
  readonly cache = new Map<string, CachedSocket>();

  constructor(private readonly s: RedisServer) {}

  private unixtime(): number {
    return Math.floor(this.s.mstime() / 1000);
  }

  /**
   * migrateGetSocket: the cached socket to host:port, or a new one (null: the address does not resolve).
   * connBlockingConnect of 7.0.15 waits up to `timeoutMs` for the socket to become writable and then
   * counts it as connected whatever happened (refused, still connecting): the failure shows at the write.
   */
  get(host: string, port: string, timeoutMs: number, done: (cs: CachedSocket | null) => void): void {
    const name = `${host}:${port}`;
    const cached = this.cache.get(name);
    if (cached) {
      cached.lastUseTime = this.unixtime();
      done(cached);
      return;
    }
    // anetTcpNonBlockConnect fails at once only when the address does not resolve (no DNS in the simulation)
    if (!isIpLiteral(host)) {
      done(null);
      return;
    }
    if (this.cache.size === MIGRATE_SOCKET_CACHE_ITEMS) {
      // too many items: drop one at random (dictGetRandomKey)
      const names = [...this.cache.keys()];
      this.close(names[this.s.cmdRng.int(0, names.length - 1)]!);
    }
    const cs: CachedSocket = { conn: null as unknown as Conn, state: 'connecting', lastDbid: -1, lastUseTime: 0, unread: [], reader: null, onSettled: null };
    const settle = (state: 'open' | 'broken'): void => {
      cs.state = state;
      const w = cs.onSettled;
      cs.onSettled = null;
      w?.();
    };
    const handlers: ConnHandlers = {
      onOpen: () => settle('open'),
      onData: (p) => {
        const r = p as Reply;
        const reader = cs.reader;
        if (reader) {
          cs.reader = null;
          reader(r, null);
        } else cs.unread.push(r);
      },
      onClose: () => {
        settle('broken');
        const r = cs.reader;
        cs.reader = null;
        r?.(null, 'closed');
      },
    };
    cs.conn = connectors.get(this.s)?.(host, atoi(port), handlers) ?? this.s.ctx.connect(host, atoi(port), handlers);
    const added = (): void => {
      cs.lastUseTime = this.unixtime();
      this.cache.set(name, cs);
      done(cs);
    };
    // aeWait(fd, AE_WRITABLE, timeout): writable once connected or failed, else the time-out
    const timer = this.s.ctx.setTimer(timeoutMs, () => {
      cs.onSettled = null;
      added();
    });
    cs.onSettled = () => {
      timer.cancel();
      added();
    };
  }

  /** migrateCloseSocket. */
  close(name: string): void {
    const cs = this.cache.get(name);
    if (!cs) return;
    this.cache.delete(name);
    cs.state = 'broken';
    cs.onSettled = null;
    if (cs.conn.open) cs.conn.close();
  }

  /** migrateCloseTimedoutSockets (serverCron, once a second). */
  closeTimedOut(): void {
    const now = this.unixtime();
    for (const [name, cs] of [...this.cache]) if (now - cs.lastUseTime > MIGRATE_SOCKET_CACHE_TTL) this.close(name);
  }

  /**
   * Send `commands` on the socket and read `expect` reply lines, each within `timeoutMs` (connSyncWrite,
   * then connSyncReadLine per reply). A socket the peer already closed fails the write.
   */
  exchange(cs: CachedSocket, commands: string[][], expect: number, timeoutMs: number, done: (r: ExchangeResult) => void): void {
    if (cs.state === 'connecting') {
      // syncWrite on a socket still connecting: EAGAIN, wait for writable until the time-out
      const timer = this.s.ctx.setTimer(timeoutMs, () => {
        cs.onSettled = null;
        done({ ok: false, lines: [], timedOut: true, writeError: true });
      });
      cs.onSettled = () => {
        timer.cancel();
        this.exchange(cs, commands, expect, timeoutMs, done);
      };
      return;
    }
    if (cs.state === 'broken' || !cs.conn.open) {
      done({ ok: false, lines: [], timedOut: false, writeError: true });
      return;
    }
    for (const argv of commands) cs.conn.send(argv, argvSize(argv), 'migrate');
    const lines: string[] = [];
    let timer: ProcTimer | null = null;
    const next = (): void => {
      if (lines.length === expect) {
        done({ ok: true, lines });
        return;
      }
      const queued = cs.unread.shift();
      if (queued) {
        lines.push(replyLine(queued));
        next();
        return;
      }
      if (cs.state === 'broken') {
        done({ ok: false, lines, timedOut: false, writeError: false });
        return;
      }
      timer = this.s.ctx.setTimer(timeoutMs, () => {
        cs.reader = null;
        done({ ok: false, lines, timedOut: true, writeError: false });
      });
      cs.reader = (r, why) => {
        timer?.cancel();
        if (r === null) {
          done({ ok: false, lines, timedOut: why === 'timeout', writeError: false });
          return;
        }
        lines.push(replyLine(r));
        next();
      };
    };
    next();
  }
}

/** An IPv4 or IPv6 literal (what the simulated network can connect to without DNS). */
function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(':') && /^[0-9a-fA-F:.]+$/.test(host));
}

/** C atoi: leading blanks, a sign, digits; anything else stops it (0 when none). */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n | 0 : 0;
}

/**
 * A host that owns real sockets (the `serve` gateway) may connect MIGRATE to a target outside the
 * simulation: a Conn for host:port, or null to use the simulated network.
 */
export type MigrateConnector = (host: string, port: number, handlers: ConnHandlers) => Conn | null;

const connectors = new WeakMap<RedisServer, MigrateConnector>();

export function setMigrateConnector(s: RedisServer, connector: MigrateConnector | null): void {
  if (connector) connectors.set(s, connector);
  else connectors.delete(s);
}

const sockets = new WeakMap<RedisServer, MigrateSockets>();

/** The server's MIGRATE socket cache (the 1 s clean-up joins serverCron on first use). */
export function migrateSocketsOf(s: RedisServer): MigrateSockets {
  let m = sockets.get(s);
  if (!m) {
    const created = new MigrateSockets(s);
    m = created;
    sockets.set(s, created);
    s.secondHooks.push(() => created.closeTimedOut());
  }
  return m;
}

/** INFO stats migrate_cached_sockets. */
export function migrateCachedSockets(s: RedisServer): number {
  return sockets.get(s)?.cache.size ?? 0;
}
