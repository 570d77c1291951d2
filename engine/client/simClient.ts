// A client process added to a Simulation, with a default connection, and the virtual-time
// synchronous helpers that tests and scenarios use (callSync / pipelineSync).
import type { Resp } from '../net/resp.ts';
import type { ProcessContext, ProcSlot } from '../sim/process.ts';
import type { Simulation } from '../sim/simulation.ts';
import { RedisConnection, type ConnectOptions } from './connection.ts';
import { clientError, type ClientError, type ReplyCallback } from './errors.ts';

export interface ClientProcessOptions extends Omit<ConnectOptions, 'onOpen' | 'onClose'> {
  /** IP of the host when it has to be created (default: the host name if it is an IPv4 address, else 10.254.0.N). */
  ip?: string;
  /** Port of the process slot (clients do not listen; default the first free one from 40000). */
  port?: number;
  /** Default server of call(): "ip:port" or {ip, port}. */
  target?: string | { ip: string; port: number };
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function parseAddress(addr: string | { ip: string; port: number }): { ip: string; port: number } {
  if (typeof addr !== 'string') return addr;
  const i = addr.lastIndexOf(':');
  const port = Number(addr.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`bad address '${addr}' (expected ip:port)`);
  return { ip: addr.slice(0, i), port };
}

/** A client application process: it owns connections; its memory (and connections) die with it. */
export class SimClient {
  target: { ip: string; port: number } | null;
  private ctxNow: ProcessContext | null = null;
  private main: RedisConnection | null = null;

  constructor(
    readonly sim: Simulation,
    readonly slot: ProcSlot,
    /** A label for logs and tests. */
    readonly label: string,
    private readonly opts: ClientProcessOptions,
  ) {
    this.target = opts.target === undefined ? null : parseAddress(opts.target);
  }

  /** @internal the process factory's hook: a new incarnation starts. */
  attach(ctx: ProcessContext): void {
    this.ctxNow = ctx;
    this.main = null;
  }

  /** The running incarnation's context; starts the process on first use. Null when it is not running. */
  get ctx(): ProcessContext | null {
    if (this.slot.state === 'stopped' && this.slot.incarnation === 0 && this.slot.host.up) this.sim.start(this.slot.name);
    return this.slot.state === 'stopped' ? null : this.ctxNow;
  }

  /** Open a new connection (AUTH / SELECT / SETNAME from the client's options unless overridden). */
  connect(addr: string | { ip: string; port: number }, opts: ConnectOptions = {}): RedisConnection {
    const ctx = this.ctx;
    if (!ctx) throw new Error(`client ${this.label} (${this.slot.name}) is not running`);
    const { ip, port } = parseAddress(addr);
    const { auth, db, clientName, kind, onPush, onHandshakeError, connectTimeoutMs } = this.opts;
    return new RedisConnection(ctx, ip, port, { auth, db, clientName, kind, onPush, onHandshakeError, connectTimeoutMs, ...opts });
  }

  /** Point call() at another server; the current default connection is closed. */
  setTarget(addr: string | { ip: string; port: number }): void {
    this.target = parseAddress(addr);
    this.main?.close();
    this.main = null;
  }

  /** The default connection to the target, (re)opened when there is none or it was lost. */
  connection(): RedisConnection {
    if (!this.target) throw new Error(`client ${this.label} has no target server (set opts.target or call setTarget)`);
    if (!this.main || this.main.state === 'closed' || !this.ctx) this.main = this.connect(this.target);
    return this.main;
  }

  /** Send on the default connection; reconnects lazily after a loss. */
  call(argv: string[], cb?: ReplyCallback): void {
    if (!this.ctx) {
      if (cb) this.sim.sched.after(0, () => cb(clientError('not-running')));
      return;
    }
    this.connection().call(argv, cb);
  }

  /** Close the default connection. */
  close(): void {
    this.main?.close();
    this.main = null;
  }
}

/**
 * Add a client process on `hostName` (the host is created if missing). The process starts on first
 * use or with sim.startAll(); a crash loses its connections, a restart gives it fresh ones.
 */
export function addClientProcess(sim: Simulation, hostName: string, name?: string | ClientProcessOptions, options: ClientProcessOptions = {}): SimClient {
  const opts = typeof name === 'object' ? name : options;
  const label = typeof name === 'string' ? name : hostName;
  let host = sim.hosts.get(hostName);
  if (!host) {
    const ip = opts.ip ?? (IPV4.test(hostName) ? hostName : `10.254.0.${sim.hosts.size + 1}`);
    host = sim.addHost(hostName, ip);
  }
  let port = opts.port ?? 40000;
  if (opts.port === undefined) while (sim.procs.has(`${host.ip}:${port}`)) port++;
  let client: SimClient | null = null;
  const slot = sim.addProcess(host, port, 'client', (ctx) => {
    client!.attach(ctx);
    return { roleChar: () => 'C' };
  });
  slot.listening = false;
  client = new SimClient(sim, slot, label, opts);
  return client;
}

export interface SyncOptions {
  /** Virtual time to wait for the reply (a duration: ms number or "5s"); default 30 s. */
  timeout?: number | string;
}

/** Send one command and run the simulation until its reply arrives (virtual time). Throws TimeoutError. */
export function callSync(sim: Simulation, client: SimClient | RedisConnection, argv: string[], opts: SyncOptions = {}): Resp | ClientError {
  let reply: Resp | ClientError | undefined;
  client.call(argv, (r) => (reply = r));
  sim.runUntil(() => reply !== undefined, { timeout: opts.timeout ?? '30s', what: `the reply to ${argv.slice(0, 3).join(' ')}` });
  return reply!;
}

/** Pipeline several commands at once and run until every reply has arrived; replies in order. */
export function pipelineSync(sim: Simulation, client: SimClient | RedisConnection, cmds: string[][], opts: SyncOptions = {}): (Resp | ClientError)[] {
  const replies: (Resp | ClientError)[] = new Array(cmds.length);
  let left = cmds.length;
  cmds.forEach((argv, i) =>
    client.call(argv, (r) => {
      replies[i] = r;
      left--;
    }),
  );
  sim.runUntil(() => left === 0, { timeout: opts.timeout ?? '30s', what: `${left} pipelined replies` });
  return replies;
}
