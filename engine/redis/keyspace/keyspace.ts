// The 16 databases: dict + expires per db, lazy expiry, WATCH versions, memory accounting (keyspace.md).
import type { Rng } from '../../sim/rng.ts';
import { estimateSize } from './memory.ts';
import type { RedisValue } from './values.ts';

export interface KeyspaceHooks {
  /** Host clock in ms (expiry is measured on it). */
  now(): number;
  /**
   * Replica rule (replication.md §11): true when this server is a replica and the running command
   * does NOT come from its master — expired keys then look absent but are not deleted.
   * When false, a logically expired key is deleted (and onExpired propagates a DEL).
   */
  expiredLooksAbsentOnly(): boolean;
  /** True while applying the master's stream on a replica: keys never look expired then. */
  applyingMasterStream(): boolean;
  /** Clients are paused (CLIENT PAUSE, FAILOVER): expired keys look absent but are not deleted (expireIfNeeded). */
  pausedExpiry?(): boolean;
  /** A key was deleted because it expired (lazy or active): propagate DEL, notify. */
  onExpired(dbIndex: number, key: string, value?: RedisValue): void;
  /** A key changed (any write, expiry, eviction, flush): WATCH and blocked clients. */
  onTouched(dbIndex: number, key: string): void;
  /**
   * Every key of `emptied` is about to go (FLUSHDB / FLUSHALL: replacedWith null) or to be exchanged
   * with `replacedWith`'s (SWAPDB): touchAllWatchedKeysInDb, called on the data as it is before. When
   * a server provides it, flushes call it instead of onTouched per key.
   */
  onDbReplaced?(emptied: number, replacedWith: number | null): void;
  /** Once per flush (FLUSHDB, FLUSHALL, emptying for a full resync; not SWAPDB): trackingInvalidateKeysOnFlush. */
  onFlushed?(): void;
  /** signalKeyAsReady alone (no WATCH effect): SWAPDB's scanDatabaseForReadyKeys. Else onTouched. */
  onReady?(dbIndex: number, key: string): void;
  /** dbAdd: a key that did not exist was created (the "new" keyspace event). */
  onAdded?(dbIndex: number, key: string): void;
}

export class Db {
  readonly dict = new Map<string, RedisValue>();
  /** Absolute expiry, host ms. */
  readonly expires = new Map<string, number>();
  /** The exact int64 of expiries a double cannot hold (beyond 2^53 ms; PXAT 9223372036854775807). */
  readonly exactExpires = new Map<string, bigint>();
  /** Approximate bytes per key (for maxmemory and INFO). */
  readonly sizes = new Map<string, number>();
  /** Last access, host ms (LRU / OBJECT IDLETIME). */
  readonly access = new Map<string, number>();
  /** LFU counters (OBJECT FREQ). */
  readonly freq = new Map<string, number>();

  constructor(
    readonly index: number,
    readonly ks: Keyspace,
  ) {}

  get size(): number {
    return this.dict.size;
  }

  /** True if the key has an expiry in the past (whatever the role). keyIsExpired: now > when. */
  isExpired(key: string): boolean {
    const at = this.expires.get(key);
    return at !== undefined && at < this.ks.hooks.now();
  }

  /**
   * Expire the key if needed. Returns true when the key must be treated as absent.
   * On a replica (for normal clients) the key is not deleted, only hidden.
   */
  expireIfNeeded(key: string): boolean {
    if (this.expires.size === 0) return false;
    const at = this.expires.get(key);
    if (at === undefined || at >= this.ks.hooks.now()) return false; // keyIsExpired: expired only when now > when
    const h = this.ks.hooks;
    if (h.applyingMasterStream()) return false;
    if (h.expiredLooksAbsentOnly()) return true;
    if (h.pausedExpiry?.()) return true;
    const value = this.dict.get(key);
    this.remove(key);
    this.ks.stats.expiredKeys++;
    h.onExpired(this.index, key, value);
    h.onTouched(this.index, key);
    return true;
  }

  /** Lookup for reading: handles expiry, updates LRU/LFU, counts hits/misses. */
  lookupRead(key: string): RedisValue | undefined {
    if (this.expireIfNeeded(key)) {
      this.ks.stats.misses++;
      return undefined;
    }
    const v = this.dict.get(key);
    if (v === undefined) this.ks.stats.misses++;
    else {
      this.ks.stats.hits++;
      this.markAccess(key, 'lookup');
    }
    return v;
  }

  /** Lookup for writing: handles expiry, no hit/miss statistics. */
  lookupWrite(key: string): RedisValue | undefined {
    if (this.expireIfNeeded(key)) return undefined;
    const v = this.dict.get(key);
    if (v !== undefined) this.markAccess(key, 'lookup');
    return v;
  }

  /** Raw lookup without expiry (KEYS/SCAN filtering, persistence, digests). */
  peek(key: string): RedisValue | undefined {
    return this.dict.get(key);
  }

  /** Add or overwrite. Overwriting clears the TTL unless keepTtl. Does not touch() — the command does. */
  set(key: string, value: RedisValue, keepTtl = false): void {
    const before = this.dict.size;
    this.dict.set(key, value);
    const created = this.dict.size !== before;
    if (!keepTtl) {
      if (this.expires.size) this.expires.delete(key);
      if (this.exactExpires.size) this.exactExpires.delete(key);
    }
    this.markAccess(key, created ? 'create' : 'overwrite');
    this.resizeTo(key, value, created);
    if (created) this.ks.hooks.onAdded?.(this.index, key);
  }

  /** Delete key and its expiry; true if it existed. */
  remove(key: string): boolean {
    if (!this.dict.delete(key)) return false;
    this.expires.delete(key);
    if (this.exactExpires.size) this.exactExpires.delete(key);
    this.access.delete(key);
    this.freq.delete(key);
    const s = this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
    this.ks.usedBytes -= s;
    return true;
  }

  getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  /** The expiry as Redis stores it (an int64 of ms): for replies, GT/LT and propagation. */
  getExpireExact(key: string): bigint | undefined {
    const exact = this.exactExpires.get(key);
    if (exact !== undefined) return exact;
    const at = this.expires.get(key);
    return at === undefined ? undefined : BigInt(Math.trunc(at));
  }

  setExpire(key: string, atMs: number | bigint): void {
    if (!this.dict.has(key)) return;
    const n = Number(atMs);
    this.expires.set(key, n);
    if (typeof atMs === 'bigint' && !Number.isSafeInteger(n)) this.exactExpires.set(key, atMs);
    else this.exactExpires.delete(key);
  }

  persist(key: string): boolean {
    this.exactExpires.delete(key);
    return this.expires.delete(key);
  }

  /** Recompute the memory estimate of a key after its value changed. */
  resize(key: string): void {
    const v = this.dict.get(key);
    if (v === undefined) {
      const before = this.sizes.get(key);
      if (before === undefined) return;
      this.sizes.delete(key);
      this.ks.usedBytes -= before;
    } else this.resizeTo(key, v);
  }

  /** resize() of a key known to hold `v` (`created`: it had no size yet). */
  private resizeTo(key: string, v: RedisValue, created = false): void {
    const before = created ? 0 : (this.sizes.get(key) ?? 0);
    const after = estimateSize(key, v);
    this.sizes.set(key, after);
    this.ks.usedBytes += after - before;
  }

  /** LRU clock / LFU counter update (the hook sees the previous access time, the LFU decrement time). */
  private markAccess(key: string, kind: AccessKind): void {
    this.ks.accessHook?.(this, key, kind);
    this.access.set(key, this.ks.hooks.now());
  }

  /** A uniformly random live key, or undefined (RANDOMKEY, eviction sampling). */
  randomKey(rng: Rng): string | undefined {
    const n = this.dict.size;
    if (n === 0) return undefined;
    let i = Math.floor(rng.next() * n);
    for (const k of this.dict.keys()) if (i-- === 0) return k;
    return undefined;
  }

  clear(signalFlushed = true): void {
    const h = this.ks.hooks;
    if (signalFlushed) h.onFlushed?.();
    if (h.onDbReplaced) h.onDbReplaced(this.index, null);
    else for (const k of this.dict.keys()) h.onTouched(this.index, k);
    this.ks.usedBytes -= [...this.sizes.values()].reduce((a, b) => a + b, 0);
    this.dict.clear();
    this.expires.clear();
    this.exactExpires.clear();
    this.sizes.clear();
    this.access.clear();
    this.freq.clear();
  }
}

/** How a key was accessed: a lookup (updateLFU), a new key (LFU_INIT_VAL), an overwrite (keeps the counter). */
export type AccessKind = 'lookup' | 'create' | 'overwrite';

export class Keyspace {
  dbs: Db[];
  usedBytes = 0;
  /** Called on every access before the access time is updated (evict.ts installs the LFU counter update). */
  accessHook: ((db: Db, key: string, kind: AccessKind) => void) | null = null;
  stats = { hits: 0, misses: 0, expiredKeys: 0, evictedKeys: 0 };

  constructor(
    databases: number,
    public hooks: KeyspaceHooks,
  ) {
    this.dbs = Array.from({ length: databases }, (_, i) => new Db(i, this));
  }

  db(i: number): Db {
    const d = this.dbs[i];
    if (!d) throw new Error(`DB index ${i} out of range`);
    return d;
  }

  flushAll(): void {
    this.hooks.onFlushed?.();
    for (const d of this.dbs) d.clear(false);
  }

  /** SWAPDB: exchange contents (clients keep their index, see the other data). */
  swap(a: number, b: number): void {
    const da = this.db(a);
    const db = this.db(b);
    // dbSwapDatabases: both directions judged on the data before the swap
    this.hooks.onDbReplaced?.(a, b);
    this.hooks.onDbReplaced?.(b, a);
    const tmp = new Db(a, this);
    moveInto(tmp, da);
    moveInto(da, db);
    moveInto(db, tmp);
  }

  totalKeys(): number {
    let n = 0;
    for (const d of this.dbs) n += d.dict.size;
    return n;
  }
}

function moveInto(dst: Db, src: Db): void {
  for (const m of ['dict', 'expires', 'exactExpires', 'sizes', 'access', 'freq'] as const) {
    const a = dst[m] as Map<string, unknown>;
    const b = src[m] as Map<string, unknown>;
    a.clear();
    for (const [k, v] of b) a.set(k, v);
    b.clear();
  }
}
