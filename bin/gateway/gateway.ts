// The RESP gateway (Node only): real TCP listeners in front of simulated Redis servers and Sentinels,
// so redis-cli and client libraries can talk to the simulation. The virtual clock follows the wall
// clock × speed. `sentinel-sim serve` (command.ts) is built on this.
import { catRepr } from '../../engine/redis/server/monitor.ts';
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { redisServerFactory, RedisServer } from '../../engine/redis/server/index.ts';
import { setPortBinder } from '../../engine/redis/server/listen-port.ts';
import { listenNow } from './port-bind.ts';
import { setMigrateConnector } from '../../engine/redis/server/migrate-socket.ts';
import { realLoopbackConnector } from './outbound.ts';
import type { ProcessContext, ProcSlot } from '../../engine/sim/process.ts';
import type { Simulation } from '../../engine/sim/simulation.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import { buildSimulation } from '../../scenarios/api/runner.ts';
import type { ClusterSpec } from '../../scenarios/api/spec.ts';
import { nodeSha256 } from '../nodeHash.ts';
import { RealTimeDriver } from './clock.ts';
import { GatewaySession } from './session.ts';

export interface GatewayOptions {
  /** The cluster to serve (clusterFromFiles, a scenario's setup, fromConfigTexts); every node on its own port. */
  cluster?: ClusterSpec | null;
  /** Without a cluster: one server started without a config file, on this port (default 6379). */
  port?: number;
  /** Address the real listeners bind to (default 127.0.0.1). */
  bind?: string;
  /** Virtual seconds per wall-clock second (default 1). */
  speed?: number;
  seed?: string | number;
  /** Every trace record as it happens (node logs, process exits); default: none. */
  onRecord?: ((r: TraceRecord) => void) | null;
  /** The simulation threw: the gateway has stopped its clock (the caller should close it). */
  onFailure?: (e: Error) => void;
}

export interface GatewayNode {
  /** "ip:port" inside the simulation. */
  name: string;
  kind: 'server' | 'sentinel';
  /** Simulated port = real listening port. */
  port: number;
  /** Where its config came from (a file path, "cluster()"), or null for a server started without one. */
  source: string | null;
  slot: ProcSlot;
  /** The real listener; null while the simulated process is down (clients get "connection refused"). */
  listener: Server | null;
  /** @internal The last listener's close, awaited before listening again (the port must be free). */
  closing?: Promise<void>;
}

export class Gateway {
  readonly sessions = new Set<GatewaySession>();
  private clientCtx: ProcessContext | null = null;
  /** Connections accepted before the simulation started (handed over once it has). */
  private pending: [GatewayNode, Socket][] = [];
  private closed = false;

  constructor(
    readonly sim: Simulation,
    readonly nodes: GatewayNode[],
    readonly driver: RealTimeDriver,
    readonly bind: string,
  ) {}

  /** Real ports listened on (one per node, in the cluster's start order). */
  get ports(): number[] {
    return this.nodes.map((n) => n.port);
  }

  /** @internal The gateway's own simulated client process started. */
  setClientContext(ctx: ProcessContext): void {
    this.clientCtx = ctx;
  }

  /** @internal Hand over the connections that arrived while starting. */
  flushPending(): void {
    const p = this.pending;
    this.pending = [];
    for (const [n, s] of p) this.accept(n, s);
  }

  /** @internal A real connection arrived for `node`. */
  accept(node: GatewayNode, socket: Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    if (!this.clientCtx) {
      this.pending.push([node, socket]);
      return;
    }
    if (!this.clientCtx.alive()) {
      socket.destroy();
      return;
    }
    const session = new GatewaySession(socket, this.clientCtx, node.slot.ip, node.port, this.driver, {
      authRequired: (local) => {
        const inst = node.slot.instance as RedisServer | null;
        if (node.kind !== 'server' || !inst?.clients) return false;
        for (const c of inst.clients.values()) if (c.addr === local) return !c.authenticated;
        return false;
      },
      limits: () => {
        const inst = node.slot.instance as RedisServer | null;
        if (node.kind !== 'server' || !inst?.conf) return undefined;
        return { protoMaxBulkLen: inst.conf.int('proto-max-bulk-len'), queryBufferLimit: inst.conf.int('client-query-buffer-limit') };
      },
      onQueryBufferLimit: (local, head) => {
        const inst = node.slot.instance as RedisServer | null;
        if (node.kind !== 'server' || !inst?.clients) return;
        for (const c of inst.clients.values())
          if (c.addr === local) inst.log('#', `Closing client that reached max query buffer length: ${c.infoString(inst.mstime(), inst.fdOf(c))} (qbuf initial bytes: ${catRepr(head)})`);
      },
      onEnd: (s) => this.sessions.delete(s),
      peerDead: () => node.slot.state === 'stopped',
    });
    this.sessions.add(session);
  }

  /** @internal Open the real listener of a node (its process runs). */
  async listen(node: GatewayNode): Promise<void> {
    if (node.listener || this.closed) return;
    const server = createServer({ allowHalfOpen: true }, (socket) => this.accept(node, socket));
    node.listener = server;
    try {
      await node.closing;
      if (node.listener !== server || this.closed) return; // the process died again meanwhile
      await new Promise<void>((res, rej) => {
        server.once('error', rej);
        server.listen(node.port, this.bind, () => {
          server.off('error', rej);
          res();
        });
      });
      this.bindConfigPort(node, node.port);
    } catch (e) {
      if (node.listener === server) node.listener = null;
      const err = e as NodeJS.ErrnoException;
      // redis-server's words (anetTcpServer), then which node wanted the port
      const why = err.code === 'EADDRINUSE' ? 'bind: Address already in use' : err.code === 'EADDRNOTAVAIL' ? 'bind: Cannot assign requested address' : err.message;
      throw new Error(`Could not create server TCP listening socket ${this.bind}:${node.port}: ${why} (${node.kind} ${node.name})`);
    }
  }

  /** CONFIG SET port of a server node moves its real listener, or fails when the port is taken (listen-port.ts); MIGRATE reaches real loopback servers (outbound.ts). */
  /** @internal */
  bindConfigPort(node: GatewayNode, listening: number): void {
    const inst = node.slot.instance;
    if (node.kind !== 'server' || !(inst instanceof RedisServer)) return;
    let current = listening;
    if (inst.ctx.alive()) setMigrateConnector(inst, realLoopbackConnector(inst.ctx, this.driver, (name) => this.sim.procs.has(name)));
    setPortBinder(inst, (port) => {
      if (port === current && node.listener) return null;
      if (port === 0) {
        this.unlisten(node);
        current = 0;
        return null;
      }
      const server = listenNow(this.bind, port, (socket) => this.accept(node, socket));
      if (typeof server === 'string') return server;
      this.unlisten(node);
      node.listener = server;
      current = port;
      return null;
    });
  }

  /** @internal Close a node's real listener (its process died: new connections are refused, as by a dead redis-server). */
  unlisten(node: GatewayNode): void {
    const l = node.listener;
    node.listener = null;
    if (l) node.closing = new Promise<void>((res) => l.close(() => res()));
  }

  /** Stop listening, drop every connection, stop the clock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [, s] of this.pending) s.destroy();
    this.pending = [];
    for (const s of [...this.sessions]) s.end('local');
    this.driver.stop();
    const ls = this.nodes.map((n) => n.listener).filter((l): l is Server => l !== null);
    for (const n of this.nodes) n.listener = null;
    await Promise.all(ls.map((l) => new Promise<void>((res) => l.close(() => res()))));
  }
}

/** Host name (and port) for the gateway's own client process that no node uses. */
function freeClientSlot(sim: Simulation, ip: string): { host: string; port: number } {
  let host = 'gateway';
  for (let i = 2; sim.hosts.has(host); i++) host = `gateway${i}`;
  let port = 65535;
  while (sim.procs.has(`${ip}:${port}`)) port--;
  return { host, port };
}

/**
 * The hop from the gateway's client to a node stands for the real loopback: a constant latency, no
 * jitter, no loss. With jitter, a command a real client sent later on another connection could reach
 * the server first (a PUBLISH overtaking another connection's UNSUBSCRIBE); a real server reads its
 * sockets in the order the bytes arrived, which is the order the gateway read them.
 */
function loopbackLinks(sim: Simulation, gatewayHost: string, nodes: GatewayNode[]): void {
  const gw = sim.host(gatewayHost);
  for (const n of nodes) {
    if (n.slot.host === gw) continue;
    const base = sim.net.linkOf(gw, n.slot.host);
    sim.net.setLink(gw, n.slot.host, { latencyMs: base.latencyMs, jitter: { kind: 'uniform', ms: 0 }, loss: 0 });
  }
}

/** Ports must be unique: the real listeners all share the bind address. */
function checkPorts(spec: ClusterSpec): void {
  const byPort = new Map<number, string>();
  for (const n of spec.nodes) {
    const ip = spec.hosts.find((h) => h.name === n.host)?.ip ?? '?';
    const other = byPort.get(n.port);
    if (other) throw new Error(`cannot serve ${other} and ${ip}:${n.port} together: both use port ${n.port} (each node needs its own port on the real side)`);
    byPort.set(n.port, `${ip}:${n.port}`);
  }
}

/** Build the simulated world, open one real listener per node, then start every process and the clock. */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const bind = opts.bind ?? '127.0.0.1';
  const speed = opts.speed ?? 1;
  const spec: ClusterSpec = opts.cluster ?? { kind: 'cluster', hosts: [], nodes: [], masterName: null, initialMaster: null };
  if (spec.nodes.length === 0 && opts.cluster) throw new Error('the cluster has no servers or Sentinels to serve');
  checkPorts(spec);
  // virtual time 0 = now, so the nodes' log timestamps, TIME and LASTSAVE read like a real server's;
  // the driver's clock starts at the same instant (not after the build: PEXPIREAT/GETEX PXAT of a
  // client's wall clock would otherwise land late by the start-up time)
  const wallStart = performance.now();
  const sim = buildSimulation(
    { ...spec, epochMs: Date.now() },
    { seed: String(opts.seed ?? 1), scenario: 'serve', detail: 'events', keyframeEveryMs: 0, hasher: nodeSha256, ring: 1024 },
  );
  const nodes: GatewayNode[] = spec.nodes.map((n) => {
    const ip = spec.hosts.find((h) => h.name === n.host)!.ip;
    return { name: `${ip}:${n.port}`, kind: n.kind, port: n.port, source: n.source ?? null, slot: sim.procs.get(`${ip}:${n.port}`)!, listener: null };
  });
  if (!opts.cluster) {
    // like `redis-server --port N`: no config file
    const port = opts.port ?? 6379;
    const host = sim.addHost(`redis-${port}`, '127.0.0.1');
    const slot = sim.addProcess(host, port, 'server', redisServerFactory({ overrides: { port: String(port) } }));
    nodes.push({ name: slot.name, kind: 'server', port, source: null, slot, listener: null });
  }

  // the gateway's own client process: every real connection is one of its simulated connections. Real clients
  // reach serve over the loopback, so the nodes see them as 127.0.0.1 (a loopback peer: protected mode lets
  // them in, as a real server lets in redis-cli on its own box)
  const gwIp = '127.0.0.1';
  const cs = freeClientSlot(sim, gwIp);
  let gw: Gateway | null = null;
  const gwSlot = sim.addProcess(sim.addHost(cs.host, gwIp), cs.port, 'client', (ctx) => {
    gw?.setClientContext(ctx);
    return { roleChar: () => 'C' };
  });
  gwSlot.listening = false;
  loopbackLinks(sim, cs.host, nodes);
  const driver = new RealTimeDriver(sim, speed, (e) => opts.onFailure?.(e), wallStart);
  gw = new Gateway(sim, nodes, driver, bind);
  const g = gw;

  // a node whose process dies stops listening (connection refused); one that starts again listens again
  const byName = new Map(nodes.map((n) => [n.name, n]));
  sim.trace.subscribe((r) => {
    opts.onRecord?.(r);
    if (r.k !== 'proc') return;
    const n = byName.get(r.node);
    if (!n) return;
    if (r.ev === 'exit' || r.ev === 'crash' || r.ev === 'host-down') g.unlisten(n);
    // recorded just before the process boots; one that exits at once is unlistened again by its exit record
    else if (r.ev === 'start' || r.ev === 'host-up') g.listen(n).catch((e: Error) => opts.onFailure?.(e));
  });

  try {
    for (const n of nodes) await g.listen(n);
  } catch (e) {
    await g.close();
    throw e;
  }
  sim.startAll();
  for (const n of nodes) g.bindConfigPort(n, n.port);
  driver.start();
  g.flushPending();
  if (driver.failure) {
    await g.close();
    throw driver.failure;
  }
  for (const n of nodes) {
    if (n.slot.state === 'stopped') {
      await g.close();
      throw new Error(`${n.name} did not start (see its log)`);
    }
  }
  return g;
}
