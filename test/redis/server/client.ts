// A tiny test-only client: a client process that connects with ctx.connect and collects replies.
import { argvSize, type Resp } from '../../../engine/net/resp.ts';
import type { CloseReason, Conn } from '../../../engine/net/types.ts';
import type { ProcessContext } from '../../../engine/sim/process.ts';
import { Simulation } from '../../../engine/sim/simulation.ts';
import type { LogRecord } from '../../../engine/trace/types.ts';
import { redisServerFactory, type RedisServer, type RedisServerOptions } from '../../../engine/redis/server/index.ts';

export class TestClient {
  /** Everything received and not consumed yet, in order (replies and pushes). */
  readonly inbox: Resp[] = [];
  closed: CloseReason | null = null;
  opened = false;
  private conn: Conn;

  constructor(
    private readonly sim: Simulation,
    ctx: ProcessContext,
    ip: string,
    port: number,
  ) {
    this.conn = ctx.connect(ip, port, {
      onOpen: () => (this.opened = true),
      onData: (m) => this.inbox.push(m as Resp),
      onClose: (r) => (this.closed = r),
    });
    sim.runUntil(() => this.opened || this.closed !== null, { timeout: '5s', what: 'connect' });
  }

  /** Pipeline a command without waiting. */
  send(...argv: string[]): void {
    this.conn.send(argv, argvSize(argv), 'client');
  }

  /** Run the simulation until `n` messages are waiting (or the connection closes); take them. */
  take(n: number, timeout: string | number = '5s'): Resp[] {
    this.sim.runUntil(() => this.inbox.length >= n || this.closed !== null, { timeout, what: `${n} replies` });
    return this.inbox.splice(0, n);
  }

  /** Send and wait for one reply. */
  cmd(...argv: string[]): Resp {
    this.send(...argv);
    const r = this.take(1);
    if (r.length === 0) throw new Error(`no reply to ${argv.join(' ')} (closed: ${this.closed})`);
    return r[0]!;
  }

  close(): void {
    this.conn.close();
  }
}

/** Plain JS view of a reply: strings, numbers, null, arrays; errors as { err }. */
export function js(r: Resp): unknown {
  switch (r.t) {
    case 'simple':
    case 'bulk':
      return r.v;
    case 'int':
      return typeof r.v === 'bigint' ? Number(r.v) : r.v;
    case 'error':
      return { err: r.v };
    case 'array':
      return r.v === null ? null : r.v.map(js);
  }
}

export interface World {
  sim: Simulation;
  server: () => RedisServer;
  name: string;
  client: (host?: string) => TestClient;
  logs: () => string[];
  logRecords: () => LogRecord[];
}

/** One server on 10.0.0.1:<port> and a client host 10.0.1.1. */
export function world(opts: RedisServerOptions & { port?: number; seed?: string } = {}): World {
  const sim = new Simulation({ seed: opts.seed ?? 'server-test' });
  const port = opts.port ?? 6379;
  const h = sim.addHost('srv', '10.0.0.1');
  const config = opts.configText ?? `port ${port}\nsave ""\n`;
  const slot = sim.addProcess(h, port, 'server', redisServerFactory({ ...opts, configText: config, configPath: opts.configPath ?? '/etc/redis.conf' }));
  const ch = sim.addHost('cli', '10.0.1.1');
  let clientCtx: ProcessContext | null = null;
  sim.addProcess(ch, 50000, 'client', (ctx) => {
    clientCtx = ctx;
    return {};
  });
  sim.startAll();
  const extraCtx = new Map<string, ProcessContext>();
  return {
    sim,
    name: slot.name,
    server: () => slot.instance as RedisServer,
    client: (host?: string) => {
      if (!host) return new TestClient(sim, clientCtx!, '10.0.0.1', port);
      let ctx = extraCtx.get(host);
      if (!ctx) {
        const hh = sim.hosts.get(host) ?? sim.addHost(host, host);
        sim.addProcess(hh, 50000, 'client', (c) => {
          ctx = c;
          return {};
        });
        sim.start(`${hh.ip}:50000`);
        extraCtx.set(host, ctx!);
      }
      return new TestClient(sim, ctx!, '10.0.0.1', port);
    },
    logs: () =>
      sim.trace
        .records()
        .filter((r) => r.k === 'log' && r.node === slot.name)
        .map((r) => (r as LogRecord).line),
    logRecords: () => sim.trace.records().filter((r): r is LogRecord => r.k === 'log' && r.node === slot.name),
  };
}
