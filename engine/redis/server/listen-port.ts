// CONFIG SET port: updatePort (config.c) → changeListenPort → listenToPort (server.c). The simulated
// process keeps its address inside the simulation; a host that owns real sockets (the `serve`
// gateway) installs a PortBinder that moves the real listener, synchronously as Redis binds, so a port
// in use fails the CONFIG SET, which then rolls back every parameter it set.
import type { RedisServer } from './server.ts';

/** Listen on `port` (0: stop listening on TCP); null when done, else the anet error ("bind: Address already in use"). */
export type PortBinder = (port: number) => string | null;

const binders = new WeakMap<RedisServer, PortBinder>();

export function setPortBinder(s: RedisServer, binder: PortBinder | null): void {
  if (binder) binders.set(s, binder);
  else binders.delete(s);
}

/** updatePort: null, or the CONFIG SET error text. */
export function applyPort(s: RedisServer, port: number): string | null {
  const binder = binders.get(s);
  if (!binder) return null;
  const addrs = s.conf.get('bind').split(' ').filter((a) => a !== '');
  // no bind address: no TCP listener at all (listenToPort)
  if (addrs.length === 0 && port !== 0) return null;
  const neterr = binder(port);
  if (neterr === null) return null;
  const addr = addrs[0]!.replace(/^-/, '');
  s.log('#', `Warning: Could not create server TCP listening socket ${addr}:${port}: ${neterr}`);
  return 'Unable to listen on this port. Check server logs.';
}
