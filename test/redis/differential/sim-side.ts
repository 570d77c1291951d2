// The simulated side of the differential test: one simulated server with the same configuration as the
// real one, whose host clock starts at the wall clock and is moved along with it before every command,
// so TTLs, EXPIREAT and active expiry see the same time on both sides (up to a few ms).
import { redisServerFactory, type RedisServer } from '../../../engine/redis/server/index.ts';
import type { ProcessContext } from '../../../engine/sim/process.ts';
import { Simulation } from '../../../engine/sim/simulation.ts';
import { SimCli } from '../../support/sim-cli.ts';
import { fromResp, isPushRep, type Rep } from './reply.ts';

export class SimSide {
  readonly sim: Simulation;
  private readonly clis: SimCli[] = [];
  /** Per connection: pushes (invalidations, messages) received and not taken yet. */
  readonly pushes: Rep[][] = [[], [], []];
  /** Per connection: in RESP2 Pub/Sub mode (messages are pushes). */
  readonly subscribed = [false, false, false];
  private readonly wallStart: number;
  private server: () => RedisServer;

  constructor(port: number, seed: string, extraConfig = '') {
    this.wallStart = Date.now();
    // loopback-like links (a few µs), so a simulated round trip is rarely slower than the real one
    const defaultLink = { latencyMs: 0.005, jitter: { kind: 'uniform' as const, ms: 0 } };
    this.sim = new Simulation({ seed, epochMs: this.wallStart, trace: { detail: 'events', ring: 1000 }, net: { defaultLink } });
    const h = this.sim.addHost('srv', '10.0.0.1');
    const conf = `port ${port}\nbind 10.0.0.1\nsave ""\nappendonly no\n${extraConfig}`;
    const slot = this.sim.addProcess(h, port, 'server', redisServerFactory({ configText: conf, configPath: '/etc/redis.conf' }));
    this.server = () => slot.instance as RedisServer;
    // the client on loopback, as the real side's: protected mode (on by default) lets it in
    const ch = this.sim.addHost('cli', '127.0.0.1');
    let ctx: ProcessContext | null = null;
    this.sim.addProcess(ch, 50000, 'client', (c) => {
      ctx = c;
      return {};
    });
    this.sim.startAll();
    this.sim.run({ forMs: 1 });
    for (let i = 0; i < 3; i++) this.clis.push(new SimCli(this.sim, ctx!, '10.0.0.1', port));
  }

  get redis(): RedisServer {
    return this.server();
  }

  /** Bring virtual time up to the wall time elapsed since the start (never backwards). */
  catchUp(): void {
    const targetUs = (Date.now() - this.wallStart) * 1000;
    if (targetUs > this.sim.now) this.sim.run({ until: targetUs });
  }

  /**
   * Wait until the wall clock has caught up with virtual time (a simulated round trip can take longer
   * than a real loopback one): called before each real command, so neither clock runs ahead.
   */
  async align(): Promise<void> {
    const leadMs = this.sim.now / 1000 - (Date.now() - this.wallStart);
    if (leadMs >= 1) await new Promise((r) => setTimeout(r, Math.ceil(leadMs)));
  }

  /** Run virtual time forward (the real side sleeps the same amount of wall time). */
  sleep(ms: number): void {
    this.sim.run({ forMs: ms });
  }

  /** Send without waiting for the reply (a command that blocks); `take` collects it later. */
  send(conn: number, argv: string[], catchUp = true): void {
    if (catchUp) this.catchUp();
    this.clis[conn]!.send(...argv);
  }

  take(conn: number): Rep {
    for (;;) {
      const r = fromResp(this.clis[conn]!.take(1)[0]!);
      if (isPushRep(r, this.subscribed[conn]!)) this.pushes[conn]!.push(r);
      else return r;
    }
  }

  /** Move what connection `conn` received (pushes only, no reply is pending) to `pushes`. */
  drain(conn: number): void {
    const inbox = this.clis[conn]!.inbox;
    while (inbox.length > 0) this.pushes[conn]!.push(fromResp(inbox.shift()!));
  }

  /** One command on connection `conn` (0, 1: the test's clients; 2: the inspector), its reply. */
  cmd(conn: number, argv: string[], catchUp = true): Rep {
    if (catchUp) this.catchUp();
    this.clis[conn]!.send(...argv);
    return this.take(conn);
  }
}
