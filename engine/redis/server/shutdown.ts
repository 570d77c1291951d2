// prepareForShutdown / isReadyToShutdown / finishShutdown / abortShutdown of Redis 7.0.15 (server.c):
// unless NOW, a master with lagging replicas pauses writes and waits up to shutdown-timeout seconds for
// their ACKs (serverCron finishes it); then kill the RDB child, fsync the AOF, save if asked (or if save
// rules exist), remove the pid file, exit.
import { err } from '../../net/resp.ts';
import type { BlockRequest } from '../commands/context.ts';
import { FOREVER } from './pause.ts';
import type { RedisServer } from './server.ts';

export interface ShutdownFlags {
  save?: boolean;
  nosave?: boolean;
  /** Don't wait for lagging replicas. */
  now?: boolean;
  /** Ignore errors writing the RDB / AOF (the simulated disk never fails: kept for the flag set). */
  force?: boolean;
}

interface Pending {
  flags: ShutdownFlags;
  /** server.shutdown_mstime: host ms. */
  deadlineMs: number;
}

const pending = new WeakMap<RedisServer, Pending>();

/** The block of a SHUTDOWN command waiting for its replicas (BLOCKED_SHUTDOWN). */
export const SHUTDOWN_BLOCK: BlockRequest = {
  keys: [],
  deadlineMs: 0,
  retry: () => undefined,
  timeoutReply: err('ERR Errors trying to SHUTDOWN. Check logs.'),
};

/** isShutdownInitiated. */
export function isShutdownInitiated(s: RedisServer): boolean {
  return pending.has(s);
}

/** INFO's shutdown_in_milliseconds (null: no shutdown in progress). */
export function shutdownInMs(s: RedisServer): number | null {
  const p = pending.get(s);
  return p ? p.deadlineMs - s.mstime() : null;
}

/** Immediate shutdown (what a SIGTERM with shutdown-on-sigterm now does, and the old API). */
export function shutdownServer(s: RedisServer, flags: ShutdownFlags = {}): void {
  prepareForShutdown(s, { ...flags, now: true });
}

/** prepareForShutdown: true when the process exited; false while it waits for replicas. */
export function prepareForShutdown(s: RedisServer, flags: ShutdownFlags): boolean {
  if (s.shuttingDown || isShutdownInitiated(s)) return false;
  if (s.loading) flags = { ...flags, save: false, nosave: true };
  s.log('#', 'User requested shutdown...');
  const timeout = s.conf.int('shutdown-timeout');
  if (!flags.now && timeout !== 0 && !isReadyToShutdown(s)) {
    pending.set(s, { flags, deadlineMs: s.mstime() + timeout * 1000 });
    if (!s.pause.paused) s.replication.feedSpecial(['REPLCONF', 'GETACK', '*']);
    s.pause.pause('shutdown', FOREVER, 'write');
    s.log('*', 'Waiting for replicas before shutting down.');
    return false;
  }
  finishShutdown(s, flags);
  return true;
}

/** isReadyToShutdown: every replica acknowledged the whole stream. */
export function isReadyToShutdown(s: RedisServer): boolean {
  return s.replication.replicasAcked(s.repl.masterReplOffset);
}

/** serverCron: finish a pending shutdown at its deadline or once the replicas caught up. */
export function shutdownCron(s: RedisServer): void {
  const p = pending.get(s);
  if (!p) return;
  if (s.mstime() >= p.deadlineMs || isReadyToShutdown(s)) {
    pending.delete(s);
    finishShutdown(s, p.flags);
  }
}

/** abortShutdown (SHUTDOWN ABORT): the blocked SHUTDOWN callers get an error, writes resume. */
export function abortShutdown(s: RedisServer): boolean {
  if (!isShutdownInitiated(s)) return false;
  pending.delete(s);
  // replyToClientsBlockedOnShutdown
  for (const c of [...s.clients.values()]) {
    if (c.blocked?.req !== SHUTDOWN_BLOCK) continue;
    s.blocks.unblock(c);
    c.addReply(SHUTDOWN_BLOCK.timeoutReply);
    s.unblocked.push(c);
  }
  s.pause.unpause('shutdown');
  s.log('*', 'Shutdown manually aborted.');
  return true;
}

/** finishShutdown. */
function finishShutdown(s: RedisServer, flags: ShutdownFlags): void {
  s.shuttingDown = true;
  for (const [level, line] of s.replication.shutdownReport(s.repl.masterReplOffset)) s.log(level, line);
  s.saver.killChild();
  s.aof.shutdown();
  const rules = s.conf.get('save').trim() !== '';
  if ((rules && !flags.nosave) || flags.save) {
    s.log('*', 'Saving the final RDB snapshot before exiting.');
    s.saver.saveSync();
  }
  if (s.conf.bool('daemonize') || s.conf.get('pidfile') !== '') s.log('*', 'Removing the pid file.');
  // flushSlavesOutputBuffers: what the replicas were owed goes out before the sockets close
  s.replication.flushOutputs();
  s.log('#', 'Redis is now ready to exit, bye bye...');
  // exit() closes the sockets: peers see an orderly close (FIN), not a reset
  for (const c of [...s.clients.values()]) s.freeClient(c);
  s.ctx.exit(0, 'shutdown');
}
