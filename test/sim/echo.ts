// Tiny processes for engine tests: an echo server and a client that sends numbered messages.
import type { Conn, CloseReason } from '../../engine/net/types.ts';
import type { ProcessContext, ProcessFactory } from '../../engine/sim/process.ts';
import { Simulation, type SimulationOptions } from '../../engine/sim/simulation.ts';

export const echoServer: ProcessFactory = () => ({
  onConnection(conn: Conn) {
    conn.setHandlers({ onData: (m) => conn.send(m, 16, 'echo') });
  },
});

export interface Probe {
  ctx: ProcessContext | null;
  received: { conn: number; msg: unknown; at: number }[];
  closes: { conn: number; reason: CloseReason; at: number }[];
  opens: { conn: number; at: number }[];
}

/** A passive client process; tests drive it through the returned probe. */
export function probeClient(probe: Probe): ProcessFactory {
  return (ctx) => {
    probe.ctx = ctx;
    return {};
  };
}

export function newProbe(): Probe {
  return { ctx: null, received: [], closes: [], opens: [] };
}

export function dial(probe: Probe, ip: string, port: number, timeoutMs?: number): Conn {
  const ctx = probe.ctx!;
  const c: Conn = ctx.connect(
    ip,
    port,
    {
      onOpen: () => probe.opens.push({ conn: c.id, at: ctx.now() }),
      onData: (m) => probe.received.push({ conn: c.id, msg: m, at: ctx.now() }),
      onClose: (reason) => probe.closes.push({ conn: c.id, reason, at: ctx.now() }),
    },
    { timeoutMs },
  );
  return c;
}

/** A world of n hosts 10.0.0.1..n, each with an echo server on port 7000, plus a probe client on host c. */
export function echoWorld(n: number, opts: SimulationOptions = {}) {
  const sim = new Simulation(opts);
  const hosts = [];
  for (let i = 1; i <= n; i++) {
    const h = sim.addHost(`h${i}`, `10.0.0.${i}`);
    hosts.push(h);
    sim.addProcess(h, 7000, 'server', echoServer);
  }
  const ch = sim.addHost('c', '10.0.1.1');
  const probe = newProbe();
  sim.addProcess(ch, 5000, 'client', probeClient(probe));
  sim.startAll();
  return { sim, hosts, probe, client: ch };
}
