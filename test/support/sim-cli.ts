// The test-only client: a connection opened from a client process inside the simulation; commands are
// pipelined and the simulation is run until the replies arrive.
import { argvSize, respToJs, type Resp } from '../../engine/net/resp.ts';
import type { CloseReason, Conn } from '../../engine/net/types.ts';
import type { ProcessContext } from '../../engine/sim/process.ts';
import type { Simulation } from '../../engine/sim/simulation.ts';

export { respToJs as js } from '../../engine/net/resp.ts';

export class SimCli {
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

  /** cmd() as plain JS (see respToJs). */
  q(...argv: string[]): unknown {
    return respToJs(this.cmd(...argv));
  }

  close(): void {
    this.conn.close();
  }
}
