// A real simulated cluster for the Sentinel-client tests: master + replicas + Sentinels, one box each
// (servers 10.0.1.x:6379, Sentinels 10.0.2.x:26379), client boxes added by the tests.
import { redisServerFactory } from '../../engine/redis/server/index.ts';
import { sentinelFactory } from '../../engine/sentinel/index.ts';
import { Simulation } from '../../engine/sim/simulation.ts';
import type { LogRecord } from '../../engine/trace/types.ts';
import { addClientProcess, callSync, type ClientError } from '../../engine/client/index.ts';
import type { Resp } from '../../engine/net/resp.ts';

export interface TestClusterOptions {
  seed?: string | number;
  replicas?: number;
  sentinels?: number;
  quorum?: number;
  downAfter?: number;
  failoverTimeout?: number;
  /** requirepass on every server (masterauth too), and the Sentinels' auth-pass. */
  password?: string;
  /** Extra redis.conf lines for every server. */
  serverExtra?: string;
}

export interface TestCluster {
  sim: Simulation;
  master: string;
  replicas: string[];
  servers: string[];
  sentinels: string[];
  /** Host names: m, r1.., s1.. */
  hostOf(node: string): string;
  /** An admin command on a node (from its own box). */
  exec(node: string, ...argv: string[]): Resp | ClientError;
  /** Sentinel events (kind sentinel, event set) since `sinceUs`. */
  events(sinceUs?: number): LogRecord[];
  /** Client log lines. */
  clientLines(): string[];
  waitEvent(event: string, timeout?: string): LogRecord;
  /** Run until the master reports every replica online (the initial full sync waits repl-diskless-sync-delay, 5 s). */
  waitSynced(timeout?: string): void;
  /** waitSynced, then run until every Sentinel knows every replica and every other Sentinel (INFO every 10 s, hellos every 2 s). */
  waitSettled(timeout?: string): void;
}

export const MASTER_NAME = 'mymaster';

export function buildTestCluster(o: TestClusterOptions = {}): TestCluster {
  const sim = new Simulation({ seed: o.seed ?? 'sentinel-client' });
  const nRep = o.replicas ?? 2;
  const nSen = o.sentinels ?? 3;
  const serverConf = (replicaof?: string) => {
    let s = 'port 6379\nprotected-mode no\nsave ""\nappendonly no\n';
    if (replicaof) s += `replicaof ${replicaof} 6379\n`;
    if (o.password) s += `requirepass "${o.password}"\nmasterauth "${o.password}"\n`;
    return s + (o.serverExtra ?? '');
  };
  sim.addHost('m', '10.0.1.1');
  const master = sim.addProcess('m', 6379, 'server', redisServerFactory({ configPath: '/etc/redis.conf', configText: serverConf() })).name;
  const replicas: string[] = [];
  for (let i = 1; i <= nRep; i++) {
    sim.addHost(`r${i}`, `10.0.1.${i + 1}`);
    replicas.push(sim.addProcess(`r${i}`, 6379, 'server', redisServerFactory({ configPath: '/etc/redis.conf', configText: serverConf('10.0.1.1') })).name);
  }
  const sentinels: string[] = [];
  for (let i = 1; i <= nSen; i++) {
    sim.addHost(`s${i}`, `10.0.2.${i}`);
    let text =
      `port 26379\n` +
      `sentinel monitor ${MASTER_NAME} 10.0.1.1 6379 ${o.quorum ?? 2}\n` +
      `sentinel down-after-milliseconds ${MASTER_NAME} ${o.downAfter ?? 1000}\n` +
      `sentinel failover-timeout ${MASTER_NAME} ${o.failoverTimeout ?? 10000}\n`;
    if (o.password) text += `sentinel auth-pass ${MASTER_NAME} ${o.password}\n`;
    sentinels.push(sim.addProcess(`s${i}`, 26379, 'sentinel', sentinelFactory({ configPath: '/etc/sentinel.conf', configText: text })).name);
  }
  sim.startAll();
  const admins = new Map<string, ReturnType<typeof addClientProcess>>();
  const c: TestCluster = {
    sim,
    master,
    replicas,
    servers: [master, ...replicas],
    sentinels,
    hostOf: (node) => sim.proc(node).host.name,
    exec: (node, ...argv) => {
      const h = sim.proc(node).host.name;
      let a = admins.get(h);
      if (!a) admins.set(h, (a = addClientProcess(sim, h, 'admin', { auth: sentinels.includes(node) ? undefined : o.password })));
      const conn = a.connect(node);
      const r = callSync(sim, conn, argv, { timeout: '10s' });
      conn.close();
      return r;
    },
    events: (sinceUs = 0) =>
      sim.trace.records().filter((r): r is LogRecord => r.k === 'log' && r.kind === 'sentinel' && r.event !== null && r.t >= sinceUs),
    clientLines: () =>
      sim.trace
        .records()
        .filter((r): r is LogRecord => r.k === 'log' && r.kind === 'client')
        .map((r) => r.line),
    waitSynced: (timeout = '30s') => {
      const deadline = sim.now + 1000 * Number(timeout.replace(/s$/, '')) * 1000;
      for (;;) {
        const r = c.exec(master, 'INFO', 'replication');
        const text = r.t === 'bulk' ? (r.v ?? '') : '';
        if ((text.match(/state=online/g) ?? []).length === replicas.length) return;
        if (sim.now > deadline) throw new Error(`replicas not online: ${text}`);
        sim.sleep(250);
      }
    },
    waitSettled: (timeout = '30s') => {
      c.waitSynced(timeout);
      const deadline = sim.now + 1000 * Number(timeout.replace(/s$/, '')) * 1000;
      const count = (s: string, sub: string) => {
        const r = c.exec(s, 'SENTINEL', sub, MASTER_NAME);
        return r.t === 'array' && r.v ? r.v.length : -1;
      };
      while (!sentinels.every((s) => count(s, 'REPLICAS') === replicas.length && count(s, 'SENTINELS') === sentinels.length - 1)) {
        if (sim.now > deadline) throw new Error('Sentinels did not discover the whole cluster');
        sim.sleep(500);
      }
    },
    waitEvent: (event, timeout = '60s') => {
      let found: LogRecord | undefined;
      const off = sim.trace.subscribe((r) => {
        if (!found && r.k === 'log' && r.kind === 'sentinel' && r.event === event) found = r;
      });
      try {
        sim.runUntil(() => found !== undefined, { timeout, what: `event ${event}` });
      } finally {
        off();
      }
      return found!;
    },
  };
  return c;
}
