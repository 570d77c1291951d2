// A synchronous TCP listen for CONFIG SET port through the gateway: redis-server binds in the middle
// of CONFIG SET and fails it at once when the port is taken, but net.Server.listen reports EADDRINUSE
// only on a later tick. libuv's TCP handle (the one net.Server wraps) binds and listens synchronously;
// the listening handle is then given to a net.Server. Loopback only: the address is the gateway's.
import { createServer, type Server, type Socket } from 'node:net';
import { getSystemErrorName } from 'node:util';

interface TcpHandle {
  bind(addr: string, port: number): number;
  listen(backlog: number): number;
  close(): void;
}
type TcpWrap = { TCP: new (type: number) => TcpHandle; constants: { SERVER: number } };

/** strerror() of the errors a bind/listen can give, as anetTcpServer words them. */
const STRERROR: Record<string, string> = {
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied',
};

/** Listen on addr:port now: the net.Server, or anet's error text ("bind: Address already in use"). */
export function listenNow(addr: string, port: number, onConnection: (s: Socket) => void): Server | string {
  const { TCP, constants } = (process as unknown as { binding(name: string): TcpWrap }).binding('tcp_wrap');
  const h = new TCP(constants.SERVER);
  // libuv defers EADDRINUSE from bind() to listen()
  const rc = h.bind(addr, port) || h.listen(511);
  if (rc !== 0) {
    h.close();
    const name = getSystemErrorName(rc);
    return `bind: ${STRERROR[name] ?? name}`;
  }
  const server = createServer({ allowHalfOpen: true }, onConnection);
  server.listen(h as unknown as object);
  return server;
}
