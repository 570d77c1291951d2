// securityWarningCommand (server.c): a request starting with "POST" or "Host:" is an HTTP request sent
// to Redis, most likely by a browser tricked into cross-protocol scripting. Redis logs a warning (at
// most once a minute) and drops the connection without a reply.
import type { Client } from './client.ts';
import type { RedisServer } from './server.ts';

const lastWarning = new WeakMap<RedisServer, number>();

/** Whether argv is an HTTP request line or header that processCommand refuses this way. */
export function isSecurityAttack(argv: readonly string[]): boolean {
  const a = argv[0]!;
  if (a.length !== 4 && a.length !== 5) return false;
  const n = a.toLowerCase();
  return n === 'host:' || n === 'post';
}

export function securityWarning(server: RedisServer, c: Client): void {
  const now = Math.floor(server.mstime() / 1000);
  const last = lastWarning.get(server);
  if (last === undefined || now - last > 60) {
    server.log(
      '#',
      'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.',
    );
    lastWarning.set(server, now);
  }
  server.freeClient(c);
}
