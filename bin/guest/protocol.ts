// The messages between the simulation (main thread, bin/guest/host.ts) and the guest application's worker thread
// (bin/guest/worker.ts). Every exchange is one synchronous call: the simulation posts what happened on the
// guest's sockets at virtual time `now`, the guest runs until its promises are drained and answers with what
// it did (connections opened, bytes written, history entries) and when its next timer is due.
import type { CloseReason } from '../../engine/net/types.ts';

/** How the guest finds its code: a module (path or file URL) and an export, or a function's source text. */
export interface GuestCode {
  module?: string;
  /** Export of `module` to call (default: 'default'). */
  export?: string;
  /** The module as the scenario named it, when `module` is its compiled copy (compile.ts): for messages. */
  named?: string;
  /** `module` is a CommonJS file whose packages are CommonJS too (compile.ts): required afresh by each run. */
  commonjs?: boolean;
  /** `fn.toString()` of an inline app function (it may not close over variables of the scenario file). */
  source?: string;
}

export interface GuestInit {
  k: 'init';
  /** The app's name (its host), its IP and its node name ("ip:port") in the trace. */
  name: string;
  ip: string;
  node: string;
  code: GuestCode;
  /** JSON-able parameters handed to the app as ctx.params. */
  params: unknown;
  /** Seed of the guest's Math.random stream; the crypto stream (randomBytes, randomUUID, …) is `${seed}/crypto`. */
  seed: string;
  /** Virtual µs at which this incarnation starts (0, or the instant of a restart). */
  startUs: number;
  /** Its host's wall clock (ms since 1970) then: the guest's Date.now(). */
  wallMs: number;
  /** The topology the app may reach, for ctx (Sentinels and servers as { host, port }). */
  sentinels: { host: string; port: number }[];
  servers: { host: string; port: number }[];
  masterName: string | null;
  /** Where ctx.import resolves package names from (the scenario's working directory). */
  cwd: string;
}

export type GuestInput =
  /** The app starts (its function is called). */
  | { k: 'start' }
  /** The connection `id` is established; `local` is its "ip:port". */
  | { k: 'open'; id: number; local: string }
  /** Bytes that arrived on connection `id` (latin1: one char per byte). */
  | { k: 'data'; id: number; bytes: string }
  /** Connection `id` ended: the peer closed (FIN), reset it, refused it, it timed out, or its address is outside the topology. */
  | { k: 'close'; id: number; reason: CloseReason | 'outside' | 'dns' }
  /** ctx.stopped becomes true (the script's app.stop() or the end of the run). */
  | { k: 'stop' };

export interface GuestCall {
  k: 'call';
  /** Virtual µs of the simulation. */
  now: number;
  /** The app host's wall clock then (ms since 1970; moved by clock jumps and drift): the guest's Date.now(). */
  wallMs: number;
  inputs: GuestInput[];
  /**
   * Run ahead: nothing but the guest's own timers can happen to it before this virtual µs (no other event of
   * the simulation comes first, the script does not act, its host's clock moves with virtual time), so after
   * the inputs it runs its timers due before it, one instant at a time, each at its own virtual time, and
   * stops after an instant in which it connected, wrote or closed (that starts events of the simulation).
   * What each instant did comes back in `later`; the simulation applies it at that instant.
   */
  aheadUs?: number;
}

/** What the app did; `conn` actions name the guest's socket ids. */
export type GuestAction =
  | { k: 'connect'; id: number; host: string; port: number }
  | { k: 'write'; id: number; bytes: string }
  /** The guest closed its side (end() or destroy()). */
  | { k: 'end'; id: number }
  | { k: 'op'; entry: GuestOp }
  | { k: 'log'; line: string }
  /** What the app believes the master is (ctx.view), for the timeline. */
  | { k: 'view'; master: string | null }
  /** The app function returned (error null) or threw; or an unhandled rejection in the guest. */
  | { k: 'done'; error: string | null }
  | { k: 'error'; message: string };

/** One operation of the app's history (engine/client/history.ts HistoryEntry plus the node that served it). */
export interface GuestOp {
  op: 'sadd' | 'incr' | 'set' | 'get' | 'read-all';
  key: string;
  value: number | string | string[] | null;
  invoke: number;
  complete: number | null;
  outcome: 'ok' | 'fail' | 'unknown';
  reply?: string;
  node?: string;
}

/** What the guest did at a later instant of a run ahead (GuestCall.aheadUs). */
export interface GuestLater {
  at: number;
  actions: GuestAction[];
}

export interface GuestReply {
  actions: GuestAction[];
  /** Instants the guest ran ahead, in order, with what each did (none when nothing was due or it did nothing). */
  later?: GuestLater[];
  /** The last instant it ran ahead to (virtual µs), when it ran ahead. */
  ranToUs?: number;
  /** Virtual µs of the guest's next timer, or null when none is pending. */
  nextTimerUs: number | null;
  /** To a shutdown: the thread put itself back as new (fresh.ts) and may serve another run (pool.ts). */
  reusable?: boolean;
  /** The runtime itself failed (not the app): the simulation stops with this message. */
  fatal?: string;
}

export interface GuestShutdown {
  k: 'shutdown';
  /** The run ends (or the app was ended), or the app's process was killed: the reply of the ops still in flight. */
  why: 'end' | 'killed';
}

export type GuestMessage = GuestInit | GuestCall | GuestShutdown;
