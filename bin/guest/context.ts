// The `ctx` a guest application receives (docs/guest-apps.md): its parameters, the topology, a virtual clock,
// and the helpers that record its view as a history (invoke → ok / fail / info, with the node that served).
import type { GuestAction, GuestOp } from './protocol.ts';

export interface AppEndpoint {
  host: string;
  port: number;
}

/** An operation in flight: complete it once with ok (acknowledged), fail (surely not applied) or info (unknown). */
export interface AppOp {
  ok(reply?: unknown, node?: string): void;
  fail(reply?: unknown, node?: string): void;
  info(reply?: unknown, node?: string): void;
}

export interface AppRuntimeHooks {
  emit(a: GuestAction): void;
  /** Virtual µs now. */
  nowUs(): number;
  /** "ip:port" of the connection whose bytes the guest is handling right now (the node that served a reply). */
  currentPeer(): string | null;
  /** import() of a package resolved from the scenario's working directory. */
  importFrom(spec: string): Promise<Record<string, unknown>>;
}

const text = (r: unknown): string | undefined => (r === undefined ? undefined : r instanceof Error ? r.message : typeof r === 'string' ? r : JSON.stringify(r));

export class AppContext {
  /** True once the script called app.stop() or the run is ending: a loop should return. */
  stopped = false;
  private stopWaiters: (() => void)[] = [];
  private readonly inFlight = new Set<(outcome: GuestOp['outcome'], reply: unknown, node: string | undefined, closing?: boolean) => void>();

  constructor(
    /** The app's name (its host's name). */
    readonly name: string,
    /** The IP of its host. */
    readonly ip: string,
    /** Its node name in the trace ("ip:port"). */
    readonly node: string,
    /** The parameters given to s.app (JSON). */
    readonly params: any,
    /** The cluster's Sentinels and servers, and the master name the Sentinels monitor. */
    readonly sentinels: AppEndpoint[],
    readonly servers: AppEndpoint[],
    readonly masterName: string | null,
    private readonly hooks: AppRuntimeHooks,
  ) {}

  /** Virtual milliseconds since the simulation started. */
  now(): number {
    return this.hooks.nowUs() / 1000;
  }

  /** import() a package (e.g. 'ioredis') resolved from the working directory: for inline apps, which cannot `import`. */
  import(spec: string): Promise<any> {
    return this.hooks.importFrom(spec);
  }

  /** Wait `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    return new Promise((res) => setTimeout(res, ms));
  }

  /** Resolves when the app is asked to stop. */
  untilStopped(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((res) => this.stopWaiters.push(res));
  }

  /** A line in the app's log (the trace, as a client log line of this node). */
  log(line: string): void {
    this.hooks.emit({ k: 'log', line: String(line) });
  }

  /** Record which master the app believes in ("ip:port", or null while it has none): the timeline's view. */
  view(master: string | null): void {
    this.hooks.emit({ k: 'view', master });
  }

  /**
   * Start an operation of the history. `op` is 'sadd' (value: a number, Jepsen's set-add accounting), 'incr',
   * 'set', 'get' or 'read-all'. The node that served defaults to the connection whose reply is being handled.
   */
  invoke(op: GuestOp['op'], key: string, value: GuestOp['value'] = null): AppOp {
    const invoke = this.hooks.nowUs();
    let done = false;
    const complete = (outcome: GuestOp['outcome'], reply: unknown, node: string | undefined, closing = false) => {
      if (done) return;
      done = true;
      this.inFlight.delete(complete);
      const served = node ?? (closing ? undefined : (this.hooks.currentPeer() ?? undefined));
      const entry: GuestOp = { op, key, value: op === 'get' || op === 'read-all' ? ((reply as GuestOp['value']) ?? null) : value, invoke, complete: closing ? null : this.hooks.nowUs(), outcome };
      const r = op === 'get' || op === 'read-all' ? undefined : text(reply);
      if (r !== undefined) entry.reply = r;
      if (served) entry.node = served;
      this.hooks.emit({ k: 'op', entry });
    };
    this.inFlight.add(complete);
    return {
      ok: (reply, node) => complete('ok', reply, node),
      fail: (reply, node) => complete('fail', reply, node),
      info: (reply, node) => complete('unknown', reply, node),
    };
  }

  /** @internal Operations still in flight when the run ends or the process is killed: outcome unknown (Jepsen's :info), never completed. */
  closeHistory(why: string): void {
    for (const c of [...this.inFlight]) c('unknown', why, undefined, true);
  }

  /** @internal */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const w of this.stopWaiters.splice(0)) w();
  }
}
