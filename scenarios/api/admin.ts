// The operator's admin client: like `redis-cli -h ip -p port [-a pass] [-n db] CMD` typed on the target's own
// box (Jepsen's control path), so partitions never hide a node from the script, but crashes, pauses and
// downed hosts do. One admin client process per box (engine/client, created on first use); one fresh
// connection per call; replies come back over the simulated network.
import { addClientProcess, isClientError, type ClientError, type SimClient } from '../../engine/client/index.ts';
import { respToJs as js, type Resp } from '../../engine/net/resp.ts';
export { js };
import type { ProcSlot } from '../../engine/sim/process.ts';
import type { Simulation } from '../../engine/sim/simulation.ts';
import { ScenarioError } from './nodes.ts';

export interface ExecOptions {
  /** Virtual time to wait for the reply (default 5 s). */
  timeout?: number | string;
  /** SELECT this database first. */
  db?: number;
  /** AUTH with the node's password when it has one (default true), or with this password. */
  auth?: boolean | string;
}

/** Run the simulation until `done()` or the deadline (µs); supplied by the ScenarioRun. */
export type Advance = (done: () => boolean, deadlineUs: number, what: string) => boolean;

const admins = new WeakMap<Simulation, Map<string, SimClient>>();

/** The admin client process on the slot's host (created the first time). */
function adminOn(sim: Simulation, slot: ProcSlot): SimClient {
  let m = admins.get(sim);
  if (!m) admins.set(sim, (m = new Map()));
  let c = m.get(slot.host.name);
  if (!c) m.set(slot.host.name, (c = addClientProcess(sim, slot.host.name, 'admin')));
  return c;
}

/**
 * Send `argv` (after AUTH / SELECT when asked) and return its reply (a failed AUTH or SELECT is what the
 * caller sees, as with redis-cli). Throws ScenarioError with redis-cli's words when the connection fails,
 * or when no reply comes within the time-out.
 */
export function adminExec(sim: Simulation, slot: ProcSlot, argv: string[], password: string | undefined, opts: ExecOptions, timeoutUs: number, advance: Advance): Resp {
  if (!slot.host.up) throw new ScenarioError(`cannot run ${argv[0]} on ${slot.name}: host ${slot.host.name} is down`);
  const pass = typeof opts.auth === 'string' ? opts.auth : opts.auth === false ? undefined : password;
  const client = adminOn(sim, slot);
  let reply: Resp | ClientError | undefined;
  let opened = false;
  let conn;
  try {
    conn = client.connect(slot.name, { auth: pass, db: opts.db, connectTimeoutMs: timeoutUs / 1000, onOpen: () => (opened = true) });
  } catch (e) {
    throw new ScenarioError(`cannot run ${argv[0]} on ${slot.name}: ${(e as Error).message}`);
  }
  conn.call(argv, (r) => (reply = r));
  const ok = advance(() => reply !== undefined, sim.now + timeoutUs, `the reply to ${argv.join(' ')} from ${slot.name}`);
  conn.close();
  if (reply !== undefined && !isClientError(reply)) return conn.handshakeError && !isClientError(conn.handshakeError) ? conn.handshakeError : reply;
  if (reply !== undefined) {
    if (!opened) throw new ScenarioError(`Could not connect to Redis at ${slot.name}: ${reply.message}`);
    throw new ScenarioError(`${slot.name}: ${reply.message} before replying to ${argv.join(' ')}`);
  }
  if (!ok) throw new ScenarioError(`no reply from ${slot.name} to ${argv.join(' ')} within ${timeoutUs / 1e6}s`);
  throw new ScenarioError(`no reply from ${slot.name} to ${argv.join(' ')}`);
}

