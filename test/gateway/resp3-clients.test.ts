// RESP3 and client-side caching through the RESP gateway, with real client libraries: node-redis
// (`redis`, RESP: 3, its client-side cache) and ioredis (RESP2, tracking with REDIRECT to a
// subscribed connection, the `__redis__:invalidate` channel), both against one simulated server.
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { BasicClientSideCache, createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { useGateway } from './harness.ts';


/** Raw bytes in, everything received within `ms` out. */
function raw(port: number, bytes: string, ms = 400): Promise<string> {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    s.on('data', (d) => (data += d.toString('latin1')));
    s.on('error', () => {});
    s.write(Buffer.from(bytes, 'latin1'));
    setTimeout(() => {
      s.destroy();
      res(data);
    }, ms);
  });
}

const until = async (pred: () => boolean, ms = 3000): Promise<void> => {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('RESP3 and client-side caching over serve, real clients', () => {
  const g = useGateway('resp3-clients');

  it('RESP3 bytes on the wire: HELLO 3 map, typed replies, pushes', async () => {
    const cmd = (...a: string[]) => `*${a.length}\r\n` + a.map((x) => `$${x.length}\r\n${x}\r\n`).join('');
    const out = await raw(
      g.port,
      cmd('HELLO', '3') + cmd('HSET', 'rh', 'f', 'v') + cmd('HGETALL', 'rh') + cmd('ZADD', 'rz', '1.5', 'a') + cmd('ZSCORE', 'rz', 'a') + cmd('GET', 'nokey') + cmd('SADD', 'rs', 'x') + cmd('SMEMBERS', 'rs'),
    );
    expect(out).toMatch(/^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n\$7\r\nversion\r\n\$6\r\n7\.0\.15\r\n\$5\r\nproto\r\n:3\r\n\$2\r\nid\r\n:\d+\r\n\$4\r\nmode\r\n\$10\r\nstandalone\r\n\$4\r\nrole\r\n\$6\r\nmaster\r\n\$7\r\nmodules\r\n\*0\r\n/);
    expect(out).toContain(':1\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n:1\r\n,1.5\r\n_\r\n:1\r\n~1\r\n$1\r\nx\r\n');
  });

  it('node-redis with RESP: 3: commands, pub/sub, typed replies', async () => {
    const c = createClient({ socket: { host: '127.0.0.1', port: g.port }, RESP: 3 });
    const sub = createClient({ socket: { host: '127.0.0.1', port: g.port }, RESP: 3 });
    await c.connect();
    await sub.connect();
    try {
      expect(await c.set('nr:k', 'v')).toBe('OK');
      expect(await c.get('nr:k')).toBe('v');
      await c.hSet('nr:h', { a: '1', b: '2' });
      expect(await c.hGetAll('nr:h')).toEqual({ a: '1', b: '2' });
      await c.sAdd('nr:s', ['x', 'y']);
      expect([...(await c.sMembers('nr:s'))].sort()).toEqual(['x', 'y']);
      await c.zAdd('nr:z', [
        { score: 1.5, value: 'a' },
        { score: 2, value: 'b' },
      ]);
      expect(await c.zScore('nr:z', 'a')).toBe(1.5);
      expect(await c.zRangeWithScores('nr:z', 0, -1)).toEqual([
        { value: 'a', score: 1.5 },
        { value: 'b', score: 2 },
      ]);
      expect(await c.get('nr:none')).toBeNull();
      expect(await c.configGet('maxmemory')).toEqual({ maxmemory: '0' });
      expect(await c.info('server')).toMatch(/redis_version:7\.0\.15/);
      expect(await c.multi().incr('nr:n').incr('nr:n').exec()).toEqual([1, 2]);
      const got: string[] = [];
      await sub.subscribe('nr:ch', (m) => got.push(m));
      expect(await c.publish('nr:ch', 'hello')).toBe(1);
      await until(() => got.length === 1);
      expect(got).toEqual(['hello']);
      // a RESP3 connection in Pub/Sub mode still runs ordinary commands
      expect(await sub.get('nr:k')).toBe('v');
      await sub.unsubscribe('nr:ch');
    } finally {
      c.destroy();
      sub.destroy();
    }
  });

  it("node-redis's client-side cache: hits while unchanged, invalidated by writes from another client", async () => {
    const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0 });
    const c = createClient({ socket: { host: '127.0.0.1', port: g.port }, RESP: 3, clientSideCache: cache });
    const w = createClient({ socket: { host: '127.0.0.1', port: g.port }, RESP: 3 });
    await c.connect();
    await w.connect();
    try {
      await w.set('csc:k', 'one');
      expect(await c.get('csc:k')).toBe('one');
      expect(cache.size()).toBe(1);
      expect(await c.get('csc:k')).toBe('one');
      expect(cache.stats().hitCount).toBeGreaterThanOrEqual(1);
      const info = (await c.sendCommand(['CLIENT', 'TRACKINGINFO'])) as unknown;
      expect(JSON.stringify(info)).toContain('on');
      await w.set('csc:k', 'two');
      // the invalidation push empties the cached entry: the next read goes to the server
      await until(() => cache.size() === 0);
      expect(await c.get('csc:k')).toBe('two');
      await w.flushAll();
      await until(() => cache.size() === 0);
      expect(await c.get('csc:k')).toBeNull();
    } finally {
      c.destroy();
      w.destroy();
    }
  });

  it('ioredis (RESP3 by default) with replyMapping resp3: typed replies, pub/sub pushes', async () => {
    const r = new Redis({ port: g.port, host: '127.0.0.1', maxRetriesPerRequest: 1, protocol: 3, replyMapping: 'resp3' });
    const sub = new Redis({ port: g.port, host: '127.0.0.1', maxRetriesPerRequest: 1, protocol: 3 });
    try {
      expect(await r.set('io3:k', 'v')).toBe('OK');
      await r.hset('io3:h', 'f', 'v');
      expect(await r.hgetall('io3:h')).toEqual({ f: 'v' });
      await r.zadd('io3:z', '1.5', 'a');
      expect(await r.call('ZSCORE', 'io3:z', 'a')).toBe(1.5);
      expect(await r.call('HELLO')).toMatchObject({ server: 'redis', version: '7.0.15', proto: 3, mode: 'standalone', role: 'master' });
      expect(await r.get('io3:none')).toBeNull();
      const got = new Promise<[string, string]>((res) => sub.on('message', (ch: string, m: string) => res([ch, m])));
      await sub.subscribe('io3:ch');
      expect(await r.publish('io3:ch', 'hi')).toBe(1);
      expect(await got).toEqual(['io3:ch', 'hi']);
    } finally {
      r.disconnect();
      sub.disconnect();
    }
  });

  it('ioredis with protocol 2: RESP2 flows, and tracking REDIRECT to a connection subscribed to __redis__:invalidate', async () => {
    const r = new Redis({ port: g.port, host: '127.0.0.1', maxRetriesPerRequest: 1, protocol: 2 });
    const inval = new Redis({ port: g.port, host: '127.0.0.1', maxRetriesPerRequest: 1, protocol: 2 });
    try {
      expect(await r.set('io:k', 'v')).toBe('OK');
      await r.hset('io:h', 'f', 'v');
      expect(await r.hgetall('io:h')).toEqual({ f: 'v' });
      await r.zadd('io:z', '1.5', 'a');
      expect(await r.zscore('io:z', 'a')).toBe('1.5');
      expect(await r.call('ZRANGE', 'io:z', '0', '-1', 'WITHSCORES')).toEqual(['a', '1.5']);
      expect(await r.call('HELLO', '4').catch((e: Error) => e.message)).toBe('NOPROTO unsupported protocol version');
      const id = (await inval.client('ID')) as number;
      const got: [string, unknown][] = [];
      inval.on('message', (ch: string, m: unknown) => got.push([ch, m]));
      await inval.subscribe('__redis__:invalidate');
      expect(await r.call('CLIENT', 'TRACKING', 'on', 'REDIRECT', String(id))).toBe('OK');
      expect(await r.call('CLIENT', 'GETREDIR')).toBe(id);
      expect(await r.get('io:k')).toBe('v');
      await r.set('io:k', 'w');
      await until(() => got.length >= 1);
      expect(got[0]![0]).toBe('__redis__:invalidate');
      expect(await r.call('CLIENT', 'TRACKINGINFO')).toEqual(['flags', ['on'], 'redirect', id, 'prefixes', []]);
      expect(await r.call('CLIENT', 'TRACKING', 'off')).toBe('OK');
    } finally {
      r.disconnect();
      inval.disconnect();
    }
  });
});
