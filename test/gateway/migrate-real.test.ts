// MIGRATE from a server behind `serve` to a real redis-server on loopback (gateway/outbound.ts): the key
// moves, the target's errors and a dead port read as real Redis words them; non-loopback targets stay
// on the simulated network.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRealRedis } from '../redis/differential/pair.ts';
import { freePort, RealServer } from '../redis/replication/real.ts';
import { encode, raw, useGateway } from './harness.ts';

const ask = async (port: number, ...argv: string[]) => (await raw(port, encode(...argv), 600)).data;

describeWithRealRedis('serve: MIGRATE to a real redis-server on loopback', () => {
  const g = useGateway('migrate-real');
  let real: RealServer;
  let realPort = 0;
  beforeAll(async () => {
    realPort = await freePort();
    real = new RealServer(realPort, []);
    (await real.start()).close();
  });
  afterAll(() => real?.stop());

  it('moves keys, reports the target errors, IOERR writing for a dead port', async () => {
    expect(await ask(g.port, 'RPUSH', 'l', 'a', 'b')).toBe(':2\r\n');
    expect(await ask(g.port, 'MIGRATE', '127.0.0.1', String(realPort), 'l', '0', '1000')).toBe('+OK\r\n');
    expect(await ask(g.port, 'EXISTS', 'l')).toBe(':0\r\n');
    expect(await ask(realPort, 'LRANGE', 'l', '0', '-1')).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    await ask(g.port, 'SET', 'l', 'x');
    expect(await ask(g.port, 'MIGRATE', '127.0.0.1', String(realPort), 'l', '0', '1000')).toBe(
      '-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n',
    );
    expect(await ask(g.port, 'MIGRATE', '127.0.0.1', String(realPort), 'l', '5', '1000', 'REPLACE')).toBe('+OK\r\n');
    expect((await raw(realPort, encode('SELECT', '5') + encode('GET', 'l'), 600)).data).toBe('+OK\r\n$1\r\nx\r\n');
    await ask(g.port, 'SET', 'd', '1');
    const dead = await freePort();
    expect(await ask(g.port, 'MIGRATE', '127.0.0.1', String(dead), 'd', '0', '300')).toBe('-IOERR error or timeout writing to target instance\r\n');
    expect(await ask(g.port, 'GET', 'd')).toBe('$1\r\n1\r\n');
  });
});
