// Application hosts in a scenario (s.app, docs/guest-apps.md): the user's own code with real client libraries
// (ioredis, node-redis) on a host of the topology, in virtual time. The runtime is Node-only (bin/guest, a
// worker thread): it registers itself here when imported, so this file stays browser-safe.
import type { HistoryEntry, SetAccounting } from '../../engine/client/history.ts';
import { ScenarioError } from './nodes.ts';
import type { ScenarioRun } from './run.ts';

export interface AppOptions {
  /** IP of the application's host (a new host named after the app), or the name of an existing host. */
  host: string;
  /** The app as a module (path or file URL) exporting `async (ctx) => { … }` (default export, or `export`). */
  module?: string | URL;
  export?: string;
  /** JSON-able values handed to the app as ctx.params. */
  params?: unknown;
  /** Port of the app's node name in the trace ("ip:port"; default 0: it listens on nothing). */
  port?: number;
}

/** An inline app: serialised with toString() into the guest's thread, so it may not close over variables. */
export type AppFunction = (ctx: any) => unknown;

/** The application as the script sees it. */
export interface AppHandle {
  readonly name: string;
  /** Its node name in the trace ("ip:port"). */
  readonly node: string;
  /** The app's history (ctx.invoke … ok / fail / info), as the 'op' notes of the trace. */
  readonly history: readonly HistoryEntry[];
  /** The app function returned (or threw: error). */
  readonly done: boolean;
  readonly error: string | null;
  /** The master the app last said it believes in (ctx.view). */
  readonly master: string | null;
  /** Synchronous calls the simulation made into the app's thread so far (its main cost in wall time). */
  readonly calls: number;
  /** Set ctx.stopped (the app's loop should return). */
  stop(): void;
  /** stop(), then wait (virtual time) until the app function returned. */
  stopAndWait(timeout?: string): void;
  /** stop(), wait up to 10 s for the app to return, close its history (ops in flight become 'unknown'), end its thread. */
  end(): void;
  /** end(), read the set from the master the Sentinels agree on, record the final read, return Jepsen's accounting. */
  finishSet(key: string): SetAccounting;
}

export interface GuestRuntime {
  start(run: ScenarioRun, name: string, opts: AppOptions, fn?: AppFunction): AppHandle;
}

let runtime: GuestRuntime | null = null;

/** Called by the Node guest runtime (bin/guest/index.ts) when it is imported. */
export function registerGuestRuntime(r: GuestRuntime): void {
  runtime = r;
}

/** @internal ScenarioRun.app */
export function simApp(run: ScenarioRun, name: string, opts: AppOptions, fn?: AppFunction): AppHandle {
  if (!runtime) throw new ScenarioError(`s.app(${name}): application hosts need the guest runtime, which runs on Node only: import 'sentinel-sim/guest' in the scenario file`);
  return runtime.start(run, name, opts, fn);
}
