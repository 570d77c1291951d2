// Sentinel test worlds: servers (the fake stand-in, or the real simulated server when it can
// replicate), Sentinels from generated sentinel.conf files, a client, and log/event helpers.
import { SimCli as Cli, js } from '../support/sim-cli.ts';
export { Cli, js };
import type { ProcessContext, ProcessFactory } from '../../engine/sim/process.ts';
import { Simulation } from '../../engine/sim/simulation.ts';
import type { LogRecord } from '../../engine/trace/types.ts';
import { sentinelFactory, type SentinelProcess, type SentinelView } from '../../engine/sentinel/index.ts';
import { fakeRedisFactory, type FakeRedisOptions } from './fake-redis.ts';
import { realServerFactory } from './real-server.ts';

/**
 * The servers of the test worlds: the real simulated Redis server (engine/redis/server with its
 * replication) by default; SERVERS=fake uses the small stand-in of fake-redis.ts instead (to tell a
 * Sentinel problem from a server one).
 */
export const defaultServerFactory: (o: FakeRedisOptions & { port: number }) => ProcessFactory =
  typeof process !== 'undefined' && process.env.SERVERS === 'fake' ? (o) => fakeRedisFactory(o) : realServerFactory;



/** A flat RESP2 map as an object. */
export function asMap(v: unknown): Record<string, string> {
  const a = v as string[];
  const o: Record<string, string> = {};
  for (let i = 0; i + 1 < a.length; i += 2) o[a[i]!] = a[i + 1]!;
  return o;
}

export interface Ev {
  /** ms of virtual time since `t0` */
  t: number;
  node: string;
  event: string | null;
  line: string;
}

export interface ClusterOptions {
  seed?: string;
  /** One host per process (IPs 10.0.0.x), or everything on 127.0.0.1 like the oracle runs. */
  sameHost?: boolean;
  masterPort?: number;
  replicas?: FakeRedisOptions[];
  sentinels?: number;
  sentinelPort?: number;
  quorum?: number;
  downAfter?: number;
  failoverTimeout?: number;
  parallelSyncs?: number;
  masterName?: string;
  /** Extra sentinel.conf lines (after the defaults). */
  sentinelExtra?: string;
  masterOptions?: FakeRedisOptions;
  /** The servers start this long before the Sentinels (the oracle runs: ~500 ms). */
  serverLeadMs?: number;
  serverFactory?: (opts: FakeRedisOptions & { port: number }) => ProcessFactory;
}

export interface Cluster {
  sim: Simulation;
  master: string;
  replicas: string[];
  sentinels: string[];
  sentinel(i: number): SentinelProcess;
  view(i: number): SentinelView;
  cli(node: string): Cli;
  events(sinceUs?: number): Ev[];
  eventsOf(node: string, sinceUs?: number): Ev[];
  lines(node: string): string[];
  /** Run until some Sentinel logged this event (returns it) or time out. */
  waitEvent(event: string, timeout?: string, node?: string, sinceUs?: number): Ev;
}

export function sentinelConf(o: {
  port: number;
  name: string;
  ip: string;
  masterPort: number;
  quorum: number;
  downAfter: number;
  failoverTimeout: number;
  parallelSyncs?: number;
  extra?: string;
}): string {
  let s =
    `port ${o.port}\n` +
    `sentinel monitor ${o.name} ${o.ip} ${o.masterPort} ${o.quorum}\n` +
    `sentinel down-after-milliseconds ${o.name} ${o.downAfter}\n` +
    `sentinel failover-timeout ${o.name} ${o.failoverTimeout}\n`;
  if (o.parallelSyncs !== undefined) s += `sentinel parallel-syncs ${o.name} ${o.parallelSyncs}\n`;
  return s + (o.extra ?? '');
}

export function buildCluster(opts: ClusterOptions = {}): Cluster {
  const sim = new Simulation({ seed: opts.seed ?? 'sentinel-test' });
  const same = opts.sameHost ?? false;
  let hostN = 0;
  const shared = same ? sim.addHost('local', '127.0.0.1') : null;
  const newHost = (label: string) => shared ?? sim.addHost(label, `10.0.0.${++hostN}`);
  const mkServer = opts.serverFactory ?? defaultServerFactory;
  const masterPort = opts.masterPort ?? 6379;
  const name = opts.masterName ?? 'mymaster';

  const mh = newHost('m');
  const master = sim.addProcess(mh, masterPort, 'server', mkServer({ ...opts.masterOptions, port: masterPort })).name;
  const replicas: string[] = [];
  (opts.replicas ?? [{}]).forEach((r, i) => {
    const port = same ? masterPort + i + 1 : masterPort;
    const h = newHost(`r${i + 1}`);
    replicas.push(sim.addProcess(h, port, 'server', mkServer({ replicaof: [mh.ip, masterPort], ...r, port })).name);
  });
  const ch = sim.addHost('client', '10.9.9.9');
  let cctx: ProcessContext | null = null;
  sim.addProcess(ch, 40000, 'client', (ctx) => {
    cctx = ctx;
    return {};
  });
  sim.startAll();
  sim.sleep(opts.serverLeadMs ?? 500);
  const sentinels: string[] = [];
  const n = opts.sentinels ?? 3;
  for (let i = 0; i < n; i++) {
    const port = (opts.sentinelPort ?? 26379) + (same ? i + 1 : 0);
    const h = newHost(`s${i + 1}`);
    const text = sentinelConf({
      port,
      name,
      ip: mh.ip,
      masterPort,
      quorum: opts.quorum ?? 2,
      downAfter: opts.downAfter ?? 1500,
      failoverTimeout: opts.failoverTimeout ?? 10000,
      parallelSyncs: opts.parallelSyncs,
      extra: opts.sentinelExtra,
    });
    sentinels.push(sim.addProcess(h, port, 'sentinel', sentinelFactory({ configPath: `/etc/sentinel-${port}.conf`, configText: text })).name);
  }
  for (const s of sentinels) sim.start(s);
  return makeCluster(sim, master, replicas, sentinels, () => cctx!);
}

export function makeCluster(
  sim: Simulation,
  master: string,
  replicas: string[],
  sentinels: string[],
  clientCtx: () => ProcessContext,
): Cluster {
  const logs = (sinceUs = 0): LogRecord[] =>
    sim.trace.records().filter((r): r is LogRecord => r.k === 'log' && r.kind === 'sentinel' && r.t >= sinceUs);
  const toEv = (r: LogRecord, sinceUs: number): Ev => ({ t: (r.t - sinceUs) / 1000, node: r.node, event: r.event, line: r.line });
  const c: Cluster = {
    sim,
    master,
    replicas,
    sentinels,
    sentinel: (i) => sim.proc(sentinels[i]!).instance as SentinelProcess,
    view: (i) => (sim.proc(sentinels[i]!).instance as SentinelProcess).snapshot(),
    cli: (node) => {
      const [ip, port] = node.split(':');
      return new Cli(sim, clientCtx(), ip!, Number(port));
    },
    events: (sinceUs = 0) => logs(sinceUs).filter((r) => r.event !== null).map((r) => toEv(r, sinceUs)),
    eventsOf: (node, sinceUs = 0) => c.events(sinceUs).filter((e) => e.node === node),
    lines: (node) => logs().filter((r) => r.node === node).map((r) => r.line),
    waitEvent: (event, timeout = '60s', node, sinceUs = sim.now) => {
      let found: Ev | undefined;
      const check = () => {
        found = c.events(sinceUs).find((e) => e.event === event && (!node || e.node === node));
        return found !== undefined;
      };
      sim.runUntil(check, { timeout, what: `event ${event}` });
      if (!found) throw new Error(`no ${event}`);
      return found;
    },
  };
  return c;
}
