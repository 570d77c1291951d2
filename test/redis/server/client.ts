// A tiny test-only client: a client process that connects with ctx.connect and collects replies.
import { SimCli as TestClient, js } from '../../support/sim-cli.ts';
export { TestClient, js };
import type { ProcessContext } from '../../../engine/sim/process.ts';
import { Simulation } from '../../../engine/sim/simulation.ts';
import type { LogRecord } from '../../../engine/trace/types.ts';
import { redisServerFactory, type RedisServer, type RedisServerOptions } from '../../../engine/redis/server/index.ts';



export interface World {
  sim: Simulation;
  server: () => RedisServer;
  name: string;
  client: (host?: string) => TestClient;
  logs: () => string[];
  logRecords: () => LogRecord[];
}

/** One server on 10.0.0.1:<port> (`--protected-mode no`: its clients are on other hosts) and a client host 10.0.1.1. */
export function world(opts: RedisServerOptions & { port?: number; seed?: string } = {}): World {
  const sim = new Simulation({ seed: opts.seed ?? 'server-test' });
  const port = opts.port ?? 6379;
  const h = sim.addHost('srv', '10.0.0.1');
  const config = opts.configText ?? `port ${port}\nsave ""\n`;
  const slot = sim.addProcess(h, port, 'server', redisServerFactory({ ...opts, overrides: { 'protected-mode': 'no', ...opts.overrides }, configText: config, configPath: opts.configPath ?? '/etc/redis.conf' }));
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
