// The RESP gateway (Node only): real TCP listeners in front of simulated Redis servers (and Sentinels),
// so redis-cli and client libraries can talk to the simulation. The virtual clock follows the wall
// clock × speed. `sentinel-sim serve --config FILE ... [--port N] [--bind ADDR]` is built on this.
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { redisServerFactory, type RedisServer } from '../../engine/redis/server/index.ts';
import { parseRedisConf } from '../../engine/redis/config/parse.ts';
import type { ProcessContext, ProcessFactory, ProcSlot } from '../../engine/sim/process.ts';
import { Simulation } from '../../engine/sim/simulation.ts';
import { formatLogLine } from '../../engine/trace/logformat.ts';
import { RealTimeDriver } from './clock.ts';
import { GatewaySession } from './session.ts';

export interface GatewayOptions {
  /** redis.conf (or sentinel.conf) files on the real disk; one simulated host each. */
  configs: string[];
  /** Port of the single server when no config file is given, or override of the only config's port. */
  port?: number;
  /** Address the real listeners bind to (default 127.0.0.1). */
  bind?: string;
  /** Virtual seconds per wall-clock second (default 1). */
  speed?: number;
  seed?: string | number;
  /** Where the simulated processes' log lines go (default stdout); null to drop them. */
  log?: ((line: string) => void) | null;
  /** IP of every simulated host (default 127.0.0.1, like the tutorial). */
  ip?: string;
}

export interface GatewayNode {
  name: string;
  kind: 'server' | 'sentinel';
  /** Simulated port = real listening port. */
  port: number;
  configPath: string | null;
  slot: ProcSlot;
}

const SENTINEL_LINE = /^\s*sentinel\s+\S/im;

function lastPortDirective(text: string): number | null {
  let port: number | null = null;
  for (const m of text.matchAll(/^\s*port\s+"?(\d+)"?\s*$/gim)) port = Number(m[1]);
  return port;
}

/** Port a redis.conf names (7.0 defaults when it names none); throws Redis's FATAL block on a bad file. */
function redisConfPort(text: string, path: string): number {
  return parseRedisConf(text, { path, readFile: (p) => safeRead(p) }).port;
}

function safeRead(p: string): string | undefined {
  try {
    return readFileSync(p, 'latin1');
  } catch {
    return undefined;
  }
}

export class Gateway {
  readonly sessions = new Set<GatewaySession>();
  readonly listeners: Server[] = [];
  private clientCtx: ProcessContext | null = null;
  private closed = false;

  constructor(
    readonly sim: Simulation,
    readonly nodes: GatewayNode[],
    readonly driver: RealTimeDriver,
    readonly bind: string,
    readonly ip: string,
  ) {}

  /** @internal */
  setClientContext(ctx: ProcessContext): void {
    this.clientCtx = ctx;
  }

  /** Real ports listened on. */
  get ports(): number[] {
    return this.nodes.map((n) => n.port);
  }

  /** @internal A real connection arrived for `node`. */
  accept(node: GatewayNode, socket: Socket): void {
    if (this.closed || !this.clientCtx?.alive()) {
      socket.destroy();
      return;
    }
    const session = new GatewaySession(socket, this.clientCtx, this.ip, node.port, this.driver, {
      authRequired: (local) => {
        const inst = node.slot.instance as RedisServer | null;
        if (node.kind !== 'server' || !inst?.clients) return false;
        for (const c of inst.clients.values()) if (c.addr === local) return !c.authenticated;
        return false;
      },
      onEnd: (s) => this.sessions.delete(s),
    });
    this.sessions.add(session);
  }

  /** Stop listening, drop every connection, stop the clock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.sessions]) s.end('local');
    this.driver.stop();
    await Promise.all(this.listeners.map((l) => new Promise<void>((res) => l.close(() => res()))));
  }
}

/** Build the simulated world from config files, start it and open one real listener per node. */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const ip = opts.ip ?? '127.0.0.1';
  const bind = opts.bind ?? '127.0.0.1';
  const speed = opts.speed ?? 1;
  const sim = new Simulation({ seed: opts.seed ?? 1, scenario: 'gateway', epochMs: Date.now(), trace: { ring: 10_000 } });
  const log = opts.log === undefined ? (l: string) => console.log(l) : opts.log;
  if (log)
    sim.trace.subscribe((r) => {
      if (r.k === 'log') log(formatLogLine(r));
    });

  const nodes: GatewayNode[] = [];
  const plans: { name: string; kind: GatewayNode['kind']; port: number; configPath: string | null; text?: string; factory: () => Promise<ProcessFactory> }[] = [];
  if (opts.configs.length === 0) {
    const port = opts.port ?? 6379;
    plans.push({ name: `redis-${port}`, kind: 'server', port, configPath: null, factory: async () => redisServerFactory({ overrides: { port: String(port) } }) });
  }
  for (const file of opts.configs) {
    const configPath = resolve(file);
    let text: string;
    try {
      text = readFileSync(configPath, 'latin1');
    } catch (e) {
      throw new Error(`Fatal error, can't open config file '${configPath}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
    }
    const single = opts.configs.length === 1 && opts.port !== undefined;
    if (SENTINEL_LINE.test(text)) {
      const port = single ? opts.port! : (lastPortDirective(text) ?? 26379);
      const body = single ? `${text.endsWith('\n') || text === '' ? text : text + '\n'}port ${port}\n` : text;
      plans.push({
        name: `sentinel-${port}`,
        kind: 'sentinel',
        port,
        configPath,
        text: body,
        factory: async () => (await import('../../engine/sentinel/index.ts')).sentinelFactory({ configPath, configText: body }),
      });
    } else {
      const port = single ? opts.port! : redisConfPort(text, configPath);
      const overrides = single ? { port: String(port) } : undefined;
      plans.push({ name: `redis-${port}`, kind: 'server', port, configPath, text, factory: async () => redisServerFactory({ configPath, configText: text, overrides }) });
    }
  }
  const seen = new Set<number>();
  for (const p of plans) {
    if (seen.has(p.port)) throw new Error(`two configurations use port ${p.port}`);
    seen.add(p.port);
    const host = sim.addHost(p.name, ip);
    if (p.configPath && p.text !== undefined) host.disk.write(p.configPath, p.text);
    const slot = sim.addProcess(host, p.port, p.kind, await p.factory());
    nodes.push({ name: p.name, kind: p.kind, port: p.port, configPath: p.configPath, slot });
  }

  // the gateway's own client process: every real connection is one of its simulated connections
  let gatewayPort = 65535;
  while (seen.has(gatewayPort)) gatewayPort--;
  const gwHost = sim.addHost('gateway', ip);
  let gw: Gateway | null = null;
  const driver = new RealTimeDriver(sim, speed, (e) => {
    console.error(`sentinel-sim gateway: the simulation stopped: ${e.stack ?? e.message}`);
  });
  const gwSlot = sim.addProcess(gwHost, gatewayPort, 'client', (ctx) => {
    gw?.setClientContext(ctx);
    return { roleChar: () => 'C' };
  });
  gwSlot.listening = false;
  gw = new Gateway(sim, nodes, driver, bind, ip);
  sim.startAll();
  driver.start();
  if (driver.failure) throw driver.failure;
  for (const n of nodes) {
    if (n.slot.state === 'stopped') {
      await gw.close();
      throw new Error(`${n.name} did not start (see its log above)`);
    }
  }
  try {
    for (const n of nodes) {
      const server = createServer({ allowHalfOpen: true }, (socket) => gw!.accept(n, socket));
      await new Promise<void>((res, rej) => {
        server.once('error', rej);
        server.listen(n.port, bind, () => {
          server.off('error', rej);
          res();
        });
      });
      gw.listeners.push(server);
    }
  } catch (e) {
    await gw.close();
    throw e;
  }
  return gw;
}
