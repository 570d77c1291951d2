// The 16 databases: one record per key (dict) + the volatile keys (expires) per db, lazy expiry, WATCH versions, memory accounting (keyspace.md).
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

/**
 * One key's record: the value object and what Redis keeps beside it (the robj's lru field, the
 * expires dict's entry, our memory estimate). One Map lookup finds all of it.
 */
export class KeyEntry {
  /** Absolute expiry, host ms; undefined while the key is persistent. */
  expireAt: number | undefined = undefined;
  /** The exact int64 of an expiry a double cannot hold (beyond 2^53 ms; PXAT 9223372036854775807). */
  exact: bigint | undefined = undefined;
  /** Approximate bytes (for maxmemory and INFO). */
  size = 0;
  /** Last access, host ms (LRU / OBJECT IDLETIME; the LFU "ldt"). Undefined only while being created. */
  access: number | undefined = undefined;
  /** LFU counter (OBJECT FREQ); undefined until an LFU policy touched the key. */
  freq: number | undefined = undefined;

  constructor(public value: RedisValue) {}
}

export class Db {
  /** Every key's record, in creation order (the order KEYS, SCAN and sampling walk). */
  readonly dict = new Map<string, KeyEntry>();
  /** The keys with a TTL, in the order their TTL was set (the active expire cycle walks it). Same records as dict. */
  readonly expires = new Map<string, KeyEntry>();

  constructor(
    readonly index: number,
    readonly ks: Keyspace,
  ) {}

  get size(): number {
    return this.dict.size;
  }

  /** The key's record without expiry or access update (undefined when absent). */
  entry(key: string): KeyEntry | undefined {
    return this.dict.get(key);
  }

  /** True if the key has an expiry in the past (whatever the role). keyIsExpired: now > when. */
  isExpired(key: string): boolean {
    const at = this.dict.get(key)?.expireAt;
    return at !== undefined && at < this.ks.hooks.now();
  }

  /**
   * Expire the key if needed. Returns true when the key must be treated as absent.
   * On a replica (for normal clients) the key is not deleted, only hidden.
   */
  expireIfNeeded(key: string): boolean {
    if (this.expires.size === 0) return false;
    const e = this.dict.get(key);
    return e !== undefined && e.expireAt !== undefined && this.expireEntryIfNeeded(key, e);
  }

  /** expireIfNeeded for a key whose record `e` has a TTL. */
  private expireEntryIfNeeded(key: string, e: KeyEntry): boolean {
    const h = this.ks.hooks;
    if (e.expireAt! >= h.now()) return false; // keyIsExpired: expired only when now > when
    if (h.applyingMasterStream()) return false;
    if (h.expiredLooksAbsentOnly()) return true;
    if (h.pausedExpiry?.()) return true;
    this.remove(key);
    this.ks.stats.expiredKeys++;
    h.onExpired(this.index, key, e.value);
    h.onTouched(this.index, key);
    return true;
  }

  /** Lookup for reading: handles expiry, updates LRU/LFU, counts hits/misses. */
  lookupRead(key: string): RedisValue | undefined {
    const e = this.dict.get(key);
    if (e === undefined || (e.expireAt !== undefined && this.expireEntryIfNeeded(key, e))) {
      this.ks.stats.misses++;
      return undefined;
    }
    this.ks.stats.hits++;
    this.markAccess(key, e, 'lookup');
    return e.value;
  }

  /** Lookup for writing: handles expiry, no hit/miss statistics. */
  lookupWrite(key: string): RedisValue | undefined {
    const e = this.dict.get(key);
    if (e === undefined || (e.expireAt !== undefined && this.expireEntryIfNeeded(key, e))) return undefined;
    this.markAccess(key, e, 'lookup');
    return e.value;
  }

  /** Raw lookup without expiry (KEYS/SCAN filtering, persistence, digests). */
  peek(key: string): RedisValue | undefined {
    return this.dict.get(key)?.value;
  }

  /** Add or overwrite. Overwriting clears the TTL unless keepTtl. Does not touch() — the command does. */
  set(key: string, value: RedisValue, keepTtl = false): void {
    let e = this.dict.get(key);
    if (e === undefined) {
      e = new KeyEntry(value);
      this.dict.set(key, e);
      this.markAccess(key, e, 'create');
      const size = estimateSize(key, value);
      e.size = size;
      this.ks.usedBytes += size;
      this.ks.hooks.onAdded?.(this.index, key);
      return;
    }
    e.value = value;
    if (!keepTtl) {
      if (e.expireAt !== undefined) {
        this.expires.delete(key);
        e.expireAt = undefined;
      }
      e.exact = undefined;
    }
    this.markAccess(key, e, 'overwrite');
    this.resizeEntry(key, e);
  }

  /** Delete key and its expiry; true if it existed. */
  remove(key: string): boolean {
    const e = this.dict.get(key);
    if (e === undefined) return false;
    this.dict.delete(key);
    if (e.expireAt !== undefined) this.expires.delete(key);
    this.ks.usedBytes -= e.size;
    return true;
  }

  getExpire(key: string): number | undefined {
    return this.dict.get(key)?.expireAt;
  }

  /** The expiry as Redis stores it (an int64 of ms): for replies, GT/LT and propagation. */
  getExpireExact(key: string): bigint | undefined {
    const e = this.dict.get(key);
    if (e === undefined || e.expireAt === undefined) return undefined;
    return e.exact ?? BigInt(Math.trunc(e.expireAt));
  }

  setExpire(key: string, atMs: number | bigint): void {
    const e = this.dict.get(key);
    if (e === undefined) return;
    const n = Number(atMs);
    if (e.expireAt === undefined) this.expires.set(key, e);
    e.expireAt = n;
    e.exact = typeof atMs === 'bigint' && !Number.isSafeInteger(n) ? atMs : undefined;
  }

  persist(key: string): boolean {
    const e = this.dict.get(key);
    if (e === undefined || e.expireAt === undefined) return false;
    this.expires.delete(key);
    e.expireAt = undefined;
    e.exact = undefined;
    return true;
  }

  /** Last access time in host ms (LRU / OBJECT IDLETIME), undefined when the key is absent. */
  lastAccess(key: string): number | undefined {
    return this.dict.get(key)?.access;
  }

  /** objectSetLRUOrLFU: RESTORE / RDB load / RENAME give the key an access time and/or an LFU counter. */
  setLruLfu(key: string, access: number | undefined, freq: number | undefined): void {
    const e = this.dict.get(key);
    if (e === undefined) return;
    if (access !== undefined) e.access = access;
    if (freq !== undefined) e.freq = freq;
  }

  /** Recompute the memory estimate of a key after its value changed. */
  resize(key: string): void {
    const e = this.dict.get(key);
    if (e !== undefined) this.resizeEntry(key, e);
  }

  private resizeEntry(key: string, e: KeyEntry): void {
    const before = e.size;
    const after = estimateSize(key, e.value);
    e.size = after;
    this.ks.usedBytes += after - before;
  }

  /** LRU clock / LFU counter update (the hook sees the previous access time, the LFU decrement time). */
  private markAccess(key: string, e: KeyEntry, kind: AccessKind): void {
    const hook = this.ks.accessHook;
    if (hook !== null) hook(this, key, e, kind);
    e.access = this.ks.hooks.now();
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
    let bytes = 0;
    for (const e of this.dict.values()) bytes += e.size;
    this.ks.usedBytes -= bytes;
    this.dict.clear();
    this.expires.clear();
  }
}

/** How a key was accessed: a lookup (updateLFU), a new key (LFU_INIT_VAL), an overwrite (keeps the counter). */
export type AccessKind = 'lookup' | 'create' | 'overwrite';

export class Keyspace {
  dbs: Db[];
  usedBytes = 0;
  /** Called on every access before the access time is updated (evict.ts installs the LFU counter update). */
  accessHook: ((db: Db, key: string, entry: KeyEntry, kind: AccessKind) => void) | null = null;
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
  for (const m of ['dict', 'expires'] as const) {
    const a = dst[m];
    const b = src[m];
    a.clear();
    for (const [k, v] of b) a.set(k, v);
    b.clear();
  }
}
