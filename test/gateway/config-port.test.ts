// CONFIG SET port through `serve` (server/listen-port.ts, gateway/port-bind.ts): a port in use fails
// the whole CONFIG SET with Redis's error and rolls every parameter back (introspection.tcl "CONFIG SET
// rollback on apply error"); a free port moves the real listener.
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { encode, freePort, raw, useGateway } from './harness.ts';

const ask = async (port: number, ...argv: string[]) => (await raw(port, encode(...argv), 400)).data;

describe('serve: CONFIG SET port', () => {
  const g = useGateway('config-port');

  it('a port in use: the error, every parameter rolled back, the old port still answers', async () => {
    const used = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((res) => blocker.listen(used, '127.0.0.1', () => res()));
    try {
      const before = await ask(g.port, 'CONFIG', 'GET', 'maxmemory');
      const reply = await ask(g.port, 'CONFIG', 'SET', 'maxmemory', '10000001', 'port', String(used), 'client-query-buffer-limit', '10m');
      expect(reply).toBe("-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n");
      expect(await ask(g.port, 'CONFIG', 'GET', 'maxmemory')).toBe(before);
      expect(await ask(g.port, 'CONFIG', 'GET', 'port')).toBe(`*2\r\n$4\r\nport\r\n$${String(g.port).length}\r\n${g.port}\r\n`);
      expect(await ask(g.port, 'PING')).toBe('+PONG\r\n');
    } finally {
      await new Promise<void>((res) => blocker.close(() => res()));
    }
  });

  it('a free port: the server listens there instead, and back', async () => {
    const next = await freePort();
    expect(await ask(g.port, 'CONFIG', 'SET', 'port', String(next))).toBe('+OK\r\n');
    expect(await ask(next, 'PING')).toBe('+PONG\r\n');
    expect((await raw(g.port, encode('PING'), 300)).data).toBe('');
    expect(await ask(next, 'CONFIG', 'SET', 'port', String(g.port))).toBe('+OK\r\n');
    expect(await ask(g.port, 'PING')).toBe('+PONG\r\n');
  });
});
