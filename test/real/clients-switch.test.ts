// The twin's clients follow +switch-master as the simulator's client does (engine/client/sentinel-client.ts):
// a switch to the master they are on is ignored, another one drops the connection (resolved again at once);
// a repeat while resolving is kept and acted on once ready, if the resolution ended on another master (a
// Sentinel asked before it switched) — without it, every jepsen-2013 client stayed on the old master.
// No processes: a fake world and a fake ioredis connection.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { RealClients } from '../../bin/real/clients.ts';
import type { RealWorld } from '../../bin/real/world.ts';

class FakeRedis extends EventEmitter {
  status = 'ready';
  stream: { remoteAddress?: string; remotePort?: number } = {};
  drops = 0;
  at(addr: string): void {
    const [ip, port] = addr.split(':');
    this.stream = { remoteAddress: ip, remotePort: Number(port) };
  }
  disconnect(): void {
    this.drops++;
    this.status = 'reconnecting';
  }
  call(): Promise<unknown> {
    return Promise.resolve('OK');
  }
}

function setup() {
  const lines: string[] = [];
  const world = {
    now: () => 0,
    record: (r: { line?: string }) => r.line && lines.push(r.line),
    topo: { nodeAt: (ip: string, port: number) => `${ip}:${port}`, toSim: (t: string) => t },
  } as unknown as RealWorld;
  const clients = new RealClients(world);
  const redis = new FakeRedis();
  const c = { name: 'c3', node: '10.254.0.3:40000', host: 'c3', alias: 'x', spec: { host: 'c3', sentinels: [], masterName: 'mymaster', timeoutMs: 1000, subscribe: true }, redis, watchers: [], lastSwitch: '', repeatTo: null, lastLog: '' };
    const onSwitch = (from: string, payload: string) => (clients as unknown as { onSwitch(c: unknown, f: string, ch: string, p: string): void }).onSwitch(c, from, '+switch-master', payload);
  return { clients, redis, c, onSwitch, lines };
}

describe('twin clients and +switch-master', () => {
  it('ignores a switch to the master it is on, acts on one to another master', () => {
    const { redis, onSwitch, lines } = setup();
    redis.at('10.0.0.3:6379');
    onSwitch('10.0.0.4:26379', 'mymaster 10.0.0.1 6379 10.0.0.3 6379');
    expect(redis.drops).toBe(0);
    onSwitch('10.0.0.4:26379', 'othermaster 10.0.0.3 6379 10.0.0.1 6379');
    expect(redis.drops).toBe(0);
    redis.at('10.0.0.1:6379');
    onSwitch('10.0.0.4:26379', 'mymaster 10.0.0.1 6379 10.0.0.3 6379');
    expect(redis.drops).toBe(1);
    expect(lines.at(-1)).toContain('+switch-master from Sentinel 10.0.0.4:26379');
  });

  it('keeps a repeat that comes while it resolves, and resolves again when ready on another master than the one it names', () => {
    const { clients, redis, c, onSwitch } = setup();
    redis.at('10.0.0.1:6379');
    onSwitch('10.0.0.4:26379', 'mymaster 10.0.0.1 6379 10.0.0.3 6379');
    expect(redis.drops).toBe(1);
    // resolving: the same switch from another Sentinel is not acted on at once
    onSwitch('10.0.0.3:26379', 'mymaster 10.0.0.1 6379 10.0.0.3 6379');
    expect(redis.drops).toBe(1);
    expect(c.repeatTo).toBe('10.0.0.3:6379');
    // the Sentinel it asked had not switched yet: ready on the old master → resolve again
    redis.status = 'ready';
    (clients as unknown as { onReady(c: unknown, r: unknown): void }).onReady(c, redis);
    expect(c.repeatTo).toBeNull();
    expect(redis.drops).toBe(2);
  });

  it('a repeat kept while resolving is dropped when the resolution reaches the master it names', () => {
    const { clients, redis, c, onSwitch } = setup();
    redis.at('10.0.0.1:6379');
    onSwitch('10.0.0.4:26379', 'mymaster 10.0.0.1 6379 10.0.0.3 6379');
    onSwitch('10.0.0.3:26379', 'mymaster 10.0.0.1 6379 10.0.0.3 6379');
    redis.status = 'ready';
    redis.at('10.0.0.3:6379');
    (clients as unknown as { onReady(c: unknown, r: unknown): void }).onReady(c, redis);
    expect(redis.drops).toBe(1);
    expect(c.repeatTo).toBeNull();
  });
});
