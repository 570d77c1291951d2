// Iteration order of a Sentinel's instance tables as Redis's dict gives it (dict.c, 7.0): a chained hash table
// of 2^n buckets (4 at the first insert, grown to the next power of two ≥ used + 1 when an insert finds
// used ≥ size), a new entry at the head of its bucket's chain, iteration bucket 0 → size − 1, each chain from
// its head. The hash is keyed by a seed drawn at process start (dictSetHashFunctionSeed in main()), so two
// Sentinels — or one Sentinel before and after a restart — walk the same replicas in different orders.
// sentinelFailoverReconfNextSlave sends SLAVEOF in this order, which is why it matters.
//
// Simplification: Redis rehashes into the grown table incrementally (one bucket per later add/find); here the
// grown table is filled at once, in the order the rehash steps would fill it (the new entry first, then the
// old buckets from 0, each chain from its head, each entry pushed at the head of its new chain).

/** A keyed 32-bit string hash (FNV-1a over UTF-16 code units, finished by murmur3's fmix32). */
export function keyedHash(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** DICT_HT_INITIAL_SIZE. */
const INITIAL_SIZE = 4;

/** A Map whose iteration (values, keys, entries, for…of, forEach) follows Redis's dict order for `seed`. */
export class DictOrderMap<V> extends Map<string, V> {
  /** Bucket chains of keys, head first; empty until the first insert (ht_size_exp == -1). */
  private buckets: string[][] = [];
  private order: string[] | null = null;

  constructor(readonly seed: number) {
    super();
  }

  private bucketOf(key: string, size: number): number {
    return keyedHash(this.seed, key) & (size - 1);
  }

  override set(key: string, value: V): this {
    if (super.has(key)) return super.set(key, value);
    const used = super.size;
    if (this.buckets.length === 0) {
      this.buckets = Array.from({ length: INITIAL_SIZE }, () => []);
    } else if (used >= this.buckets.length) {
      // _dictExpandIfNeeded: dictExpand(d, used + 1), the new entry goes into the new table, the rest follows
      let size = this.buckets.length;
      while (size < used + 1) size *= 2;
      const old = this.buckets;
      this.buckets = Array.from({ length: size }, () => []);
      this.buckets[this.bucketOf(key, size)]!.unshift(key);
      for (const chain of old) for (const k of chain) this.buckets[this.bucketOf(k, size)]!.unshift(k);
      this.order = null;
      return super.set(key, value);
    }
    this.buckets[this.bucketOf(key, this.buckets.length)]!.unshift(key);
    this.order = null;
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    if (!super.has(key)) return false;
    const chain = this.buckets[this.bucketOf(key, this.buckets.length)]!;
    chain.splice(chain.indexOf(key), 1);
    this.order = null;
    return super.delete(key);
  }

  override clear(): void {
    // dictEmpty: back to no table
    this.buckets = [];
    this.order = null;
    super.clear();
  }

  /** The keys in dict iteration order. */
  private ordered(): string[] {
    if (this.order === null) this.order = this.buckets.flat();
    return this.order;
  }

  // each walk is over the order at its start, skipping entries deleted meanwhile (as a Map walk does)
  override *keys(): MapIterator<string> {
    for (const k of this.ordered().slice()) if (super.has(k)) yield k;
  }

  override *values(): MapIterator<V> {
    for (const k of this.ordered().slice()) if (super.has(k)) yield super.get(k)!;
  }

  override *entries(): MapIterator<[string, V]> {
    for (const k of this.ordered().slice()) if (super.has(k)) yield [k, super.get(k)!];
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  override forEach(cb: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) cb.call(thisArg, v, k, this);
  }
}
