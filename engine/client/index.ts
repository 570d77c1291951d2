/**
 * engine/client — the in-simulation Redis client library (design.md, engine/client).
 *
 * Discrete-event style: no promises. Every reply is a callback run inside the simulation, in
 * command order; from test or scenario code (outside the event loop) the *Sync helpers run the
 * simulation in virtual time until the reply is there.
 *
 *   const sim = new Simulation({ seed: 1 });
 *   sim.addHost('srv', '10.0.0.1');
 *   sim.addProcess('srv', 6379, 'server', redisServerFactory({ configText: 'port 6379\n' }));
 *   const app = addClientProcess(sim, 'app', { target: '10.0.0.1:6379' });  // host 'app' created
 *   sim.startAll();
 *   callSync(sim, app, ['SET', 'k', 'v']);              // → { t: 'simple', v: 'OK' }
 *   app.call(['GET', 'k'], (r) => ...);                 // async form, r: Resp | ClientError
 *   const sub = app.connect('10.0.0.1:6379', { onPush: (m) => ... });
 *   sub.call(['SUBSCRIBE', 'ch']);                      // messages arrive through onPush
 *
 * - `RedisConnection` (from a process's ctx): pipelined `call(argv, cb)`, in-order callbacks,
 *   optional AUTH / SELECT / CLIENT SETNAME sent first (`ConnectOptions`), pub/sub pushes to
 *   `onPush` (also any reply nobody waits for, e.g. MONITOR output). SUBSCRIBE-family calls get one
 *   callback: the confirmation, or an array of the confirmations when there are several.
 * - Pending calls of a connection that closes get a `ClientError` (`reason`: reset, closed,
 *   refused, timeout, local); error *replies* from Redis are plain `Resp` errors.
 * - `SimClient` (`addClientProcess(sim, host, name?, opts?)`): a client process with a default
 *   target and connection, reopened lazily after a loss; `connect()` for extra connections.
 * - `callSync` / `pipelineSync`: run the simulation until the reply (or all replies) arrive; throw
 *   the scheduler's TimeoutError after `timeout` of virtual time (default 30 s).
 * - Not supported: CLIENT REPLY OFF/SKIP (callbacks would shift), RESP3 push types.
 */
export { RedisConnection, type ConnectOptions, type ConnectionState } from './connection.ts';
export { clientError, isClientError, type ClientError, type ClientErrorReason, type ReplyCallback } from './errors.ts';
export { SimClient, addClientProcess, callSync, pipelineSync, parseAddress, type ClientProcessOptions, type SyncOptions } from './simClient.ts';
