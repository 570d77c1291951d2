// prepareForShutdown / finishShutdown of Redis 7.0.15: kill the RDB child, fsync the AOF, save if
// asked (or if save rules exist), remove the pid file, exit.
import type { RedisServer } from './server.ts';

export interface ShutdownFlags {
  save?: boolean;
  nosave?: boolean;
}

export function shutdownServer(s: RedisServer, flags: ShutdownFlags = {}): void {
  if (s.shuttingDown) return;
  s.shuttingDown = true;
  s.log('#', 'User requested shutdown...');
  s.saver.killChild();
  s.aof.shutdown();
  const rules = s.conf.get('save').trim() !== '';
  if ((rules && !flags.nosave) || flags.save) {
    s.log('*', 'Saving the final RDB snapshot before exiting.');
    s.saver.saveSync();
  }
  if (s.conf.bool('daemonize') || s.conf.get('pidfile') !== '') s.log('*', 'Removing the pid file.');
  s.log('#', 'Redis is now ready to exit, bye bye...');
  // exit() closes the sockets: peers see an orderly close (FIN), not a reset
  for (const c of [...s.clients.values()]) s.freeClient(c);
  s.ctx.exit(0, 'shutdown');
}
