// What every gateway test needs: a `serve` gateway on a free loopback port for the file's tests, the RESP
// encoding of a command, and raw bytes in → everything received out (with whether the server closed).
import { connect } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startGateway, type Gateway } from '../../bin/gateway/index.ts';
import { freePort } from '../redis/replication/real.ts';

export { freePort };

/** A gateway started before the file's (or describe block's) tests and closed after them. */
export function useGateway(seed: string): { readonly port: number; readonly gw: Gateway } {
  const state = { port: 0, gw: null as Gateway | null };
  beforeAll(async () => {
    state.port = await freePort();
    state.gw = await startGateway({ port: state.port, seed });
  });
  afterAll(async () => {
    await state.gw?.close();
  });
  return {
    get port() {
      return state.port;
    },
    get gw() {
      if (!state.gw) throw new Error('the gateway is not started yet (use it inside a test)');
      return state.gw;
    },
  };
}

/** A command as a RESP multibulk (lengths in latin1 bytes). */
export const encode = (...argv: string[]): string =>
  `*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`;

/** Send raw bytes on a fresh connection; collect everything until the server closes (or `ms` pass). */
export function raw(port: number, bytes: string, ms = 2000): Promise<{ data: string; closed: boolean }> {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      s.destroy();
      res({ data, closed: false });
    }, ms);
    s.on('data', (d) => (data += d.toString('latin1')));
    s.on('close', () => {
      clearTimeout(timer);
      res({ data, closed: true });
    });
    s.on('error', () => {});
    s.write(Buffer.from(bytes, 'latin1'));
  });
}
