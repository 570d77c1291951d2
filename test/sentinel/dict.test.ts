// The iteration order of Sentinel's instance tables (engine/sentinel/dict.ts): Redis 7.0's dict — 4 buckets at the
// first insert, grown to the next power of two when an insert finds used ≥ size, new entries at the head of
// their chain, iteration bucket by bucket — under a hash keyed by a per-process seed.
import { describe, expect, it } from 'vitest';
import { DictOrderMap, keyedHash } from '../../engine/sentinel/dict.ts';

/** The order dict.c gives for these inserts, computed from the hash directly (no rehash in between). */
function expectedOrder(seed: number, keys: string[], size: number): string[] {
  const buckets: string[][] = Array.from({ length: size }, () => []);
  for (const k of keys) buckets[keyedHash(seed, k) & (size - 1)]!.unshift(k);
  return buckets.flat();
}

const replicas = ['10.0.0.2:6379', '10.0.0.3:6379', '10.0.0.4:6379', '10.0.0.5:6379'];

describe('DictOrderMap', () => {
  it('iterates bucket by bucket, the latest insert first within a bucket (4 buckets for up to 4 entries)', () => {
    for (const seed of [1, 2, 3, 0xdeadbeef]) {
      const d = new DictOrderMap<number>(seed);
      replicas.forEach((k, i) => d.set(k, i));
      const want = expectedOrder(seed, replicas, 4);
      expect([...d.keys()]).toEqual(want);
      expect([...d.values()]).toEqual(want.map((k) => replicas.indexOf(k)));
      expect([...d.entries()].map(([k]) => k)).toEqual(want);
      expect([...d].map(([k]) => k)).toEqual(want);
      const seen: string[] = [];
      d.forEach((_v, k) => seen.push(k));
      expect(seen).toEqual(want);
    }
  });

  it('grows to 8 buckets at the fifth insert and keeps Map semantics (get, has, size, overwrite)', () => {
    const keys = [...replicas, '10.0.0.6:6379', '10.0.0.7:6379'];
    const d = new DictOrderMap<string>(42);
    for (const k of keys) d.set(k, k);
    expect([...d.keys()].sort()).toEqual([...keys].sort());
    // with 8 buckets, the bucket sequence of the iteration never decreases
    const buckets = [...d.keys()].map((k) => keyedHash(42, k) & 7);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    // exactly: the fifth key into the new table, then the old buckets rehashed from 0, each chain from its head
    const grown: string[][] = Array.from({ length: 8 }, () => []);
    grown[keyedHash(42, keys[4]!) & 7]!.unshift(keys[4]!);
    for (const k of expectedOrder(42, keys.slice(0, 4), 4)) grown[keyedHash(42, k) & 7]!.unshift(k);
    grown[keyedHash(42, keys[5]!) & 7]!.unshift(keys[5]!);
    expect([...d.keys()]).toEqual(grown.flat());
    d.set(keys[0]!, 'again');
    expect(d.size).toBe(keys.length);
    expect(d.get(keys[0]!)).toBe('again');
    expect(d.has('10.0.0.9:6379')).toBe(false);
  });

  it('deletes without shrinking; clear empties the table', () => {
    const d = new DictOrderMap<number>(7);
    replicas.forEach((k, i) => d.set(k, i));
    const before = [...d.keys()];
    expect(d.delete(replicas[1]!)).toBe(true);
    expect(d.delete(replicas[1]!)).toBe(false);
    expect([...d.keys()]).toEqual(before.filter((k) => k !== replicas[1]));
    d.clear();
    expect([...d.keys()]).toEqual([]);
    d.set('a', 1);
    expect([...d.entries()]).toEqual([['a', 1]]);
  });

  it('the order depends on the seed (a process), not on the insertion order alone', () => {
    const firsts = new Set<string>();
    for (let seed = 0; seed < 64; seed++) {
      const d = new DictOrderMap<number>(seed);
      replicas.forEach((k, i) => d.set(k, i));
      firsts.add([...d.keys()][0]!);
    }
    // every replica is first for some process, as with Redis's random siphash seed
    expect([...firsts].sort()).toEqual(replicas);
  });

  it('iteration is a snapshot: deleting while walking visits the rest', () => {
    const d = new DictOrderMap<number>(3);
    replicas.forEach((k, i) => d.set(k, i));
    const walked: string[] = [];
    for (const k of d.keys()) {
      walked.push(k);
      d.delete(k);
    }
    expect(walked.sort()).toEqual(replicas);
    expect(d.size).toBe(0);
  });
});
