// Protected mode (networking.c clientAcceptHandler, Redis 7.0.15): with `protected-mode yes` and a
// default user without a password, a connection whose peer is not the loopback interface gets the
// DENIED text and is closed before it can send anything. 7.0 no longer looks at `bind`. Servers and
// Sentinels share this check (a Sentinel starts with protected-mode off: initSentinelConfig, but its
// sentinel.conf may turn it on).
import { err, type Reply } from '../../net/resp.ts';

export const PROTECTED_MODE_DENIED =
  'DENIED Redis is running in protected mode because protected ' +
  'mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. ' +
  'If you want to connect from external computers to Redis you ' +
  'may adopt one of the following solutions: ' +
  '1) Just disable protected mode sending the command ' +
  "'CONFIG SET protected-mode no' from the loopback interface " +
  'by connecting to Redis from the same host the server is ' +
  'running, however MAKE SURE Redis is not publicly accessible ' +
  'from internet if you do so. Use CONFIG REWRITE to make this ' +
  'change permanent. ' +
  '2) Alternatively you can just disable the protected mode by ' +
  'editing the Redis configuration file, and setting the protected ' +
  "mode option to 'no', and then restarting the server. " +
  "3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
  '4) Setup a an authentication password for the default user. ' +
  'NOTE: You only need to do one of the above things in order for ' +
  'the server to start accepting connections from the outside.';

/** islocalClient: the peer's IP is exactly 127.0.0.1 or ::1 (not the rest of 127.0.0.0/8). */
export function isLocalPeer(remote: string): boolean {
  const i = remote.lastIndexOf(':');
  const ip = i < 0 ? remote : remote.slice(0, i);
  return ip === '127.0.0.1' || ip === '::1' || ip === '[::1]';
}

/** The DENIED reply a new connection from `remote` gets, or null when it is accepted. */
export function protectedModeRefusal(protectedMode: boolean, defaultUserNopass: boolean, remote: string): Reply | null {
  if (!protectedMode || !defaultUserNopass || isLocalPeer(remote)) return null;
  return err(PROTECTED_MODE_DENIED);
}
