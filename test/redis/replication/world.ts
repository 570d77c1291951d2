// Test world for replication: servers on their own hosts (so partitions can cut them apart), a
// client host, and a small client that collects replies.
import { SimCli as Cli, js } from '../../support/sim-cli.ts';
export { Cli, js };
import { datasetDigest } from '../../../engine/redis/server/digest.ts';
import { redisServerFactory, type RedisServer } from '../../../engine/redis/server/index.ts';
import { replicationOf, type Replication } from '../../../engine/redis/replication/index.ts';
import type { ProcessContext } from '../../../engine/sim/process.ts';
import { Simulation, type SimulationOptions } from '../../../engine/sim/simulation.ts';
import type { LogRecord } from '../../../engine/trace/types.ts';



export interface Node {
  name: string;
  host: string;
  ip: string;
  port: number;
  server(): RedisServer;
  repl(): Replication;
  /** Log lines of this node ("<level> <line>"), optionally only those after record index `from`. */
  logs(from?: number): string[];
  info(): Record<string, string>;
  digest(): string;
}

export class ReplWorld {
  readonly sim: Simulation;
  readonly nodes = new Map<string, Node>();
  private cliCtx: ProcessContext | null = null;

  constructor(opts: SimulationOptions = {}) {
    this.sim = new Simulation({ seed: 'repl-test', ...opts });
    const ch = this.sim.addHost('cli', '10.9.9.9');
    this.sim.addProcess(ch, 50000, 'client', (ctx) => {
      this.cliCtx = ctx;
      return {};
    });
    this.sim.start('10.9.9.9:50000');
  }

  /** A server process on its own host `name` at 10.0.0.<n>. */
  server(name: string, ip: string, port: number, conf = ''): Node {
    const h = this.sim.addHost(name, ip);
    // clients and replicas come from other hosts: no protected mode (as a real multi-host setup needs)
    const text = `port ${port}\nprotected-mode no\nsave ""\nappendonly no\n${conf}`;
    const slot = this.sim.addProcess(h, port, 'server', redisServerFactory({ configText: text, configPath: '/etc/redis.conf' }));
    const sim = this.sim;
    const node: Node = {
      name,
      host: name,
      ip,
      port,
      server: () => slot.instance as RedisServer,
      repl: () => replicationOf(slot.instance as RedisServer),
      logs: (from = 0) =>
        sim.trace
          .records()
          .slice(from)
          .filter((r): r is LogRecord => r.k === 'log' && r.node === slot.name)
          .map((r) => `${r.level} ${r.line}`),
      info: () => parseInfo(js(this.client(node).cmd('info', 'replication')) as string),
      digest: () => datasetDigest((slot.instance as RedisServer).ks),
    };
    this.nodes.set(name, node);
    return node;
  }

  start(...names: string[]): void {
    for (const n of names) {
      const node = this.nodes.get(n)!;
      this.sim.start(`${node.ip}:${node.port}`);
    }
  }

  client(node: Node): Cli {
    return new Cli(this.sim, this.cliCtx!, node.ip, node.port);
  }

  run(ms: number): void {
    this.sim.run({ forMs: ms });
  }

  until(pred: () => boolean, timeout: string | number = '30s', what = 'condition'): void {
    this.sim.runUntil(pred, { timeout, what });
  }

  /** Number of trace records so far (to read only the logs after a point). */
  mark(): number {
    return this.sim.trace.records().length;
  }
}

export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of text.split('\r\n')) {
    const i = l.indexOf(':');
    if (i > 0 && !l.startsWith('#')) out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}

export function linkUp(n: Node): boolean {
  const s = n.server();
  return !!s && s.repl.masterLinkUp;
}

/** The simulated counterpart of a real pair: master m on 10.0.0.1, replica r on 10.0.0.2, started, link up. */
export function simPair(pm: number, pr: number, masterConf: string, replicaConf = ''): { w: ReplWorld; m: Node; r: Node } {
  const w = new ReplWorld();
  const m = w.server('m', '10.0.0.1', pm, masterConf);
  const r = w.server('r', '10.0.0.2', pr, `replicaof 10.0.0.1 ${pm}\n${replicaConf}`);
  w.start('m', 'r');
  w.until(() => linkUp(r), '10s');
  return { w, m, r };
}
