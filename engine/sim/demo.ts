// A small network demo (no Redis): a full mesh of hosts that ping each other over lossy links, with a
// partition and a crash. Used by the engine's determinism tests and benchmarks.
import type { Conn } from '../net/types.ts';
import type { ProcessContext } from './process.ts';
import { Simulation, type SimulationOptions } from './simulation.ts';

export interface MeshOptions extends SimulationOptions {
  hosts?: number;
  latencyMs?: number;
  loss?: number;
  /** Ping period per peer connection, ms. */
  periodMs?: number;
  /** Messages in flight per connection (a window, like a pipelining client). */
  window?: number;
  /** Inject a partition and a crash at fixed virtual instants. */
  faults?: boolean;
}

export interface MeshStats {
  pings: number;
  pongs: number;
}

/** Each host runs one "peer" process on port 7000 that connects to every other host and pings it. */
export function buildMesh(opts: MeshOptions = {}): { sim: Simulation; stats: MeshStats } {
  const n = opts.hosts ?? 6;
  const sim = new Simulation({ scenario: 'net-demo', ...opts });
  sim.net.setDefaultLink({ latencyMs: opts.latencyMs ?? 1, loss: opts.loss ?? 0.01, jitter: { kind: 'exponential', ms: 0.2 } });
  const stats: MeshStats = { pings: 0, pongs: 0 };
  const period = opts.periodMs ?? 100;
  const window = opts.window ?? 1;
  for (let i = 1; i <= n; i++) {
    const h = sim.addHost(`n${i}`, `10.0.0.${i}`);
    sim.addProcess(h, 7000, 'server', (ctx) => peer(ctx, i, n, period, window, stats));
  }
  if (opts.faults ?? true) {
    sim.sched.at(2_000_000, () => sim.partition([['n1', 'n2'], ['n3', 'n4', 'n5', 'n6'].slice(0, Math.max(0, n - 2))]));
    sim.sched.at(4_000_000, () => sim.heal());
    sim.sched.at(5_000_000, () => sim.kill('10.0.0.1:7000'));
    sim.sched.at(6_000_000, () => sim.restart('10.0.0.1:7000'));
  }
  sim.startAll();
  return { sim, stats };
}

function peer(ctx: ProcessContext, me: number, n: number, periodMs: number, window: number, stats: MeshStats) {
  const dialPeer = (j: number) => {
    let open = false;
    const c: Conn = ctx.connect(`10.0.0.${j}`, 7000, {
      onOpen: () => {
        open = true;
        ctx.log('*', `Connected to peer 10.0.0.${j}:7000`);
        for (let k = 0; k < window; k++) ping();
      },
      onData: () => {
        stats.pongs++;
        if (periodMs > 0) ctx.setTimer(periodMs, ping);
        else ping();
      },
      onClose: (reason) => {
        open = false;
        ctx.log('#', `Lost connection to peer 10.0.0.${j}:7000 (${reason})`);
        ctx.setTimer(1000, () => dialPeer(j));
      },
    });
    const ping = () => {
      if (!open) return;
      stats.pings++;
      c.send('PING', 14, 'ping');
    };
  };
  return {
    boot() {
      ctx.log('*', `Peer ${me} ready to accept connections`);
      for (let j = 1; j <= n; j++) if (j !== me) dialPeer(j);
    },
    onConnection(conn: Conn) {
      conn.setHandlers({ onData: () => conn.send('PONG', 7, 'ping') });
    },
  };
}
