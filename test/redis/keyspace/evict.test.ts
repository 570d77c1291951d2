// maxmemory eviction: every policy, filled past maxmemory, checking which keys go.
import { describe, expect, it } from 'vitest';
import { genericCommands } from '../../../engine/redis/commands/generic.ts';
import { stringsCommands } from '../../../engine/redis/commands/strings.ts';
import { configureEviction, lfuCounter, performEvictions, sampleKeys } from '../../../engine/redis/keyspace/evict.ts';
import { Rng } from '../../../engine/sim/rng.ts';
import { createHarness, type Harness } from '../harness.ts';

const mk = (): Harness => createHarness([...stringsCommands, ...genericCommands]);

/** 100 "old" keys written at t0, then 100 "new" keys 10 s later; returns the used bytes after filling. */
function fill(h: Harness, opts: { volatileOld?: boolean; volatileNew?: boolean } = {}): number {
  for (let i = 0; i < 100; i++) h.run('set', `old${i}`, 'v'.repeat(50), ...(opts.volatileOld ? ['ex', String(1000 + i)] : []));
  h.clock.now += 10_000;
  for (let i = 0; i < 100; i++) h.run('set', `new${i}`, 'v'.repeat(50), ...(opts.volatileNew ? ['ex', String(5000 + i)] : []));
  return h.ks.usedBytes;
}

function evict(h: Harness, policy: string, maxmemory: number, seed = 'e'): { res: 'ok' | 'fail'; evicted: string[] } {
  const evicted: string[] = [];
  const res = performEvictions(h.ks, { maxmemory, policy, samples: 5 }, new Rng(seed), (db, key) => evicted.push(`${db}:${key}`));
  return { res, evicted };
}

describe('performEvictions', () => {
  it('noeviction fails without deleting; under the limit is ok', () => {
    const h = mk();
    const used = fill(h);
    expect(evict(h, 'noeviction', used - 1)).toEqual({ res: 'fail', evicted: [] });
    expect(h.ks.totalKeys()).toBe(200);
    expect(evict(h, 'allkeys-lru', used)).toEqual({ res: 'ok', evicted: [] });
    expect(evict(h, 'allkeys-lru', 0)).toEqual({ res: 'ok', evicted: [] }); // maxmemory 0 = unlimited
  });

  it('allkeys-lru evicts the least recently used keys, down to the limit', () => {
    const h = mk();
    const used = fill(h);
    const { res, evicted } = evict(h, 'allkeys-lru', used * 0.7);
    expect(res).toBe('ok');
    expect(h.ks.usedBytes).toBeLessThanOrEqual(used * 0.7);
    expect(evicted.length).toBeGreaterThan(50);
    expect(evicted.filter((k) => k.startsWith('0:old')).length / evicted.length).toBeGreaterThan(0.95);
    expect(h.ks.stats.evictedKeys).toBe(evicted.length);
    // DEL is the server's job (onEvict); the keyspace saw the touches
    expect(h.touched).toContain(evicted[0]);
  });

  it('allkeys-lru: a read refreshes a key', () => {
    const h = mk();
    const used = fill(h);
    h.clock.now += 10_000;
    for (let i = 0; i < 100; i++) h.run('get', `old${i}`);
    const { evicted } = evict(h, 'allkeys-lru', used * 0.7);
    expect(evicted.filter((k) => k.startsWith('0:new')).length / evicted.length).toBeGreaterThan(0.95);
  });

  it('volatile-lru only evicts keys with a TTL, and fails when none is left', () => {
    const h = mk();
    const used = fill(h, { volatileNew: true });
    const { res, evicted } = evict(h, 'volatile-lru', used * 0.7);
    expect(res).toBe('ok');
    expect(evicted.every((k) => k.startsWith('0:new'))).toBe(true);
    expect(evict(h, 'volatile-lru', 1).res).toBe('fail');
    expect([...h.ks.db(0).dict.keys()].filter((k) => k.startsWith('new'))).toEqual([]);
    expect(h.ks.db(0).size).toBe(100);
  });

  it('allkeys-lfu evicts the least frequently used keys', () => {
    const h = mk();
    configureEviction(h.ks, { policy: 'allkeys-lfu', maxmemory: 1 }, new Rng('lfu'));
    const used = fill(h);
    for (let r = 0; r < 5; r++) for (let i = 0; i < 100; i++) h.run('get', `old${i}`);
    expect(lfuCounter(h.ks.db(0), 'old0')).toBeGreaterThan(lfuCounter(h.ks.db(0), 'new0'));
    const { evicted } = evict(h, 'allkeys-lfu', used * 0.7);
    expect(evicted.filter((k) => k.startsWith('0:new')).length / evicted.length).toBeGreaterThan(0.95);
  });

  it('volatile-lfu only evicts volatile keys, least frequent first', () => {
    const h = mk();
    configureEviction(h.ks, { policy: 'volatile-lfu', maxmemory: 1 }, new Rng('lfu'));
    const used = fill(h, { volatileOld: true, volatileNew: true });
    for (let i = 0; i < 100; i++) h.run('set', `plain${i}`, 'v');
    for (let r = 0; r < 5; r++) for (let i = 0; i < 100; i++) h.run('get', `new${i}`);
    const { evicted } = evict(h, 'volatile-lfu', used * 0.8);
    expect(evicted.every((k) => !k.includes('plain'))).toBe(true);
    expect(evicted.filter((k) => k.startsWith('0:old')).length / evicted.length).toBeGreaterThan(0.85);
  });

  it('allkeys-random evicts from every database, round-robin', () => {
    const h = mk();
    for (let d = 0; d < 3; d++) {
      h.client.dbIndex = d;
      for (let i = 0; i < 50; i++) h.run('set', `k${i}`, 'v'.repeat(20));
    }
    const used = h.ks.usedBytes;
    const { res, evicted } = evict(h, 'allkeys-random', used / 2);
    expect(res).toBe('ok');
    for (let d = 0; d < 3; d++) expect(evicted.filter((k) => k.startsWith(`${d}:`)).length).toBeGreaterThan(10);
    expect(new Set(evicted).size).toBe(evicted.length);
  });

  it('volatile-random only evicts volatile keys', () => {
    const h = mk();
    const used = fill(h, { volatileOld: true });
    const { evicted } = evict(h, 'volatile-random', used * 0.7);
    expect(evicted.length).toBeGreaterThan(20);
    expect(evicted.every((k) => k.startsWith('0:old'))).toBe(true);
  });

  it('volatile-ttl evicts the keys that expire soonest', () => {
    const h = mk();
    for (let i = 0; i < 200; i++) h.run('set', `k${i}`, 'v'.repeat(50), 'ex', String(100 + i));
    const used = h.ks.usedBytes;
    const { evicted } = evict(h, 'volatile-ttl', used * 0.7);
    const idx = evicted.map((k) => Number(k.slice(3)));
    // soonest-expiring third of the keys, approximately (sampling)
    expect(idx.filter((i) => i < 100).length / idx.length).toBeGreaterThan(0.9);
  });

  it('is deterministic for a given seed', () => {
    const run = (): string[] => {
      const h = mk();
      const used = fill(h);
      return evict(h, 'allkeys-random', used / 2, 'same').evicted;
    };
    expect(run()).toEqual(run());
  });
});

describe('sampleKeys', () => {
  it('returns distinct present keys, all of them when fewer than asked', () => {
    const m = new Map<string, number>([['a', 1], ['b', 2]]);
    expect(sampleKeys(m, 5, new Rng('s')).sort()).toEqual(['a', 'b']);
    for (let i = 0; i < 100; i++) m.set(`k${i}`, i);
    const rng = new Rng('s');
    const s = sampleKeys(m, 5, rng);
    expect(new Set(s).size).toBe(5);
    m.clear();
    m.set('only', 1);
    expect(sampleKeys(m, 5, rng)).toEqual(['only']);
  });
});
