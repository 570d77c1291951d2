// maxmemory eviction (evict.c, Redis 7.0.15): sampled approximations of LRU / LFU / TTL with a
// 16-entry eviction pool, random policies round-robin over databases, and the LFU counter
// (logarithmic increment, decay every lfu-decay-time minutes).
import type { Rng } from '../../sim/rng.ts';
import type { AccessKind, Db, KeyEntry, Keyspace } from './keyspace.ts';

export type EvictionPolicy =
  | 'noeviction'
  | 'allkeys-lru'
  | 'volatile-lru'
  | 'allkeys-lfu'
  | 'volatile-lfu'
  | 'allkeys-random'
  | 'volatile-random'
  | 'volatile-ttl';

export const EVPOOL_SIZE = 16;
export const LFU_INIT_VAL = 5;

export interface EvictionConfig {
  maxmemory: number;
  policy: string;
  /** maxmemory-samples */
  samples: number;
  /** used_memory as the server counts it; defaults to ks.usedBytes. */
  used?: () => number;
}

export const isLfuPolicy = (p: string): boolean => p === 'allkeys-lfu' || p === 'volatile-lfu';
export const isLruPolicy = (p: string): boolean => p === 'allkeys-lru' || p === 'volatile-lru';

// ---------------------------------------------------------------- per-keyspace settings

export interface LfuSettings {
  policy: string;
  maxmemory: number;
  /** lfu-log-factor (default 10) */
  lfuLogFactor: number;
  /** lfu-decay-time in minutes (default 1; 0 = never decay) */
  lfuDecayTime: number;
}

interface KsState {
  settings: LfuSettings;
  rng: Rng | null;
  pool: PoolEntry[];
  nextDb: number;
}

const states = new WeakMap<Keyspace, KsState>();

function stateOf(ks: Keyspace): KsState {
  let s = states.get(ks);
  if (!s) {
    s = {
      settings: { policy: 'noeviction', maxmemory: 0, lfuLogFactor: 10, lfuDecayTime: 1 },
      rng: null,
      pool: [],
      nextDb: 0,
    };
    states.set(ks, s);
  }
  return s;
}

/**
 * Tell the keyspace the maxmemory settings (call at boot and on CONFIG SET maxmemory*, lfu-*).
 * With an LFU policy, every key access then updates the key's KeyEntry.freq (updateLFU); `rng` draws the
 * logarithmic increments.
 */
export function configureEviction(ks: Keyspace, settings: Partial<LfuSettings>, rng: Rng): void {
  const s = stateOf(ks);
  const prevPolicy = s.settings.policy;
  s.settings = { ...s.settings, ...settings };
  s.rng = rng;
  if (prevPolicy !== s.settings.policy) s.pool = [];
  ks.accessHook = isLfuPolicy(s.settings.policy) ? (db, _key, entry, kind) => lfuTouch(db, entry, kind) : null;
}

/** The settings last given to configureEviction (policy 'noeviction', maxmemory 0 by default). */
export function evictionSettings(ks: Keyspace): Readonly<LfuSettings> {
  return stateOf(ks).settings;
}

// ---------------------------------------------------------------- LFU

/** LFUGetTimeInMinutes: 16 bits of unix minutes. */
const lfuMinutes = (ms: number): number => Math.floor(ms / 60000) & 65535;

function lfuTimeElapsed(ldt: number, now: number): number {
  const cur = lfuMinutes(now);
  return cur >= ldt ? cur - ldt : 65535 - ldt + cur;
}

/** LFUDecrAndReturn: the counter after the decay due since the last access (does not store it). */
export function lfuCounter(db: Db, key: string): number {
  return lfuCounterOf(db, db.entry(key));
}

/** lfuCounter of a key's record (LFU_INIT_VAL for an absent key). */
function lfuCounterOf(db: Db, e: KeyEntry | undefined): number {
  const { lfuDecayTime } = stateOf(db.ks).settings;
  const counter = e?.freq ?? LFU_INIT_VAL;
  const last = e?.access;
  if (last === undefined || !lfuDecayTime) return counter;
  const periods = Math.floor(lfuTimeElapsed(lfuMinutes(last), db.ks.hooks.now()) / lfuDecayTime);
  return periods > counter ? 0 : counter - periods;
}

/** LFULogIncr: the greater the counter, the less likely an increment; saturates at 255. */
function lfuLogIncr(counter: number, logFactor: number, rng: Rng | null): number {
  if (counter === 255) return 255;
  const r = rng ? rng.next() : 0;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1 / (base * logFactor + 1);
  return r < p ? counter + 1 : counter;
}

/**
 * updateLFU on access (lookups), LFU_INIT_VAL for new keys, counter kept on overwrite (dbOverwrite
 * copies the old lru field). Runs before KeyEntry.access is set to now (the access time is the LFU "ldt").
 */
export function lfuTouch(db: Db, e: KeyEntry, kind: AccessKind): void {
  const s = stateOf(db.ks);
  if (kind === 'create' || (kind === 'overwrite' && e.freq === undefined)) {
    e.freq = LFU_INIT_VAL;
    return;
  }
  if (kind === 'overwrite') return;
  e.freq = lfuLogIncr(lfuCounterOf(db, e), s.settings.lfuLogFactor, s.rng);
}

// ---------------------------------------------------------------- key sampling

interface KeyCache {
  keys: string[];
  size: number;
  draws: number;
}

const keyCaches = new WeakMap<Map<string, unknown>, KeyCache>();

/**
 * A snapshot array of the map's keys for O(1) random picks (dictGetRandomKey / dictGetSomeKeys).
 * Stale entries are skipped by callers (map.has); the snapshot is rebuilt when the map's size
 * drifted or after about size/2 draws, so new keys become visible (amortised O(1) per draw).
 */
export function keySnapshot(m: Map<string, unknown>, draws = 0): string[] {
  let c = keyCaches.get(m);
  if (!c || c.draws > c.keys.length / 2 + 16 || Math.abs(m.size - c.size) > c.size / 10 + 8) {
    c = { keys: [...m.keys()], size: m.size, draws: 0 };
    keyCaches.set(m, c);
  }
  c.draws += draws;
  return c.keys;
}

/** Drop the snapshot of m (the next keySnapshot rebuilds it). */
export function invalidateSnapshot(m: Map<string, unknown>): void {
  keyCaches.delete(m);
}

/** A uniformly random present key of m, or undefined when empty. */
export function randomKeyOf(m: Map<string, unknown>, rng: Rng): string | undefined {
  if (m.size === 0) return undefined;
  for (let attempt = 0; attempt < 64; attempt++) {
    const keys = keySnapshot(m, 1);
    const k = keys[Math.floor(rng.next() * keys.length)];
    if (k !== undefined && m.has(k)) return k;
  }
  // Snapshot badly out of date: rebuild and pick from it.
  keyCaches.delete(m);
  const keys = keySnapshot(m);
  return keys[Math.floor(rng.next() * keys.length)];
}

/** dictGetSomeKeys: up to `count` distinct present keys picked at random (all of them if fewer). */
export function sampleKeys(m: Map<string, unknown>, count: number, rng: Rng): string[] {
  if (m.size <= count) return [...m.keys()];
  const out = new Set<string>();
  for (let attempt = 0; attempt < count * 4 && out.size < count; attempt++) {
    const k = randomKeyOf(m, rng);
    if (k !== undefined) out.add(k);
  }
  return [...out];
}

// ---------------------------------------------------------------- eviction pool

interface PoolEntry {
  key: string;
  dbid: number;
  idle: number;
}

/** evictionPoolPopulate: score sampled keys (higher = better candidate) into the sorted pool. */
function populate(ks: Keyspace, db: Db, policy: string, samples: number, rng: Rng, pool: PoolEntry[]): void {
  const src: Map<string, unknown> = policy.startsWith('allkeys') ? db.dict : db.expires;
  const now = ks.hooks.now();
  for (const key of sampleKeys(src, samples, rng)) {
    let idle: number;
    if (isLruPolicy(policy)) {
      // estimateObjectIdleTime: LRU clock in seconds, reported in ms
      const last = db.lastAccess(key) ?? 0;
      idle = (Math.floor(now / 1000) - Math.floor(last / 1000)) * 1000;
    } else if (isLfuPolicy(policy)) {
      idle = 255 - lfuCounter(db, key);
    } else {
      idle = -(db.expires.get(key)?.expireAt ?? Infinity); // volatile-ttl: the sooner the better
    }
    // First empty slot or first entry with a greater idle; the pool is sorted ascending.
    let k = 0;
    while (k < pool.length && pool[k]!.idle < idle) k++;
    if (k === 0 && pool.length === EVPOOL_SIZE) continue; // worse than everything in a full pool
    const e = { key, dbid: db.index, idle };
    if (pool.length < EVPOOL_SIZE) pool.splice(k, 0, e);
    else {
      pool.splice(k, 0, e); // full: drop the entry with the smallest idle
      pool.shift();
    }
  }
}

function pickPooled(ks: Keyspace, st: KsState, policy: string, samples: number, rng: Rng): { db: Db; key: string } | null {
  const pool = st.pool;
  for (;;) {
    let total = 0;
    for (const db of ks.dbs) {
      const n = policy.startsWith('allkeys') ? db.dict.size : db.expires.size;
      if (n === 0) continue;
      total += n;
      populate(ks, db, policy, samples, rng, pool);
    }
    if (total === 0) return null;
    // Best candidate last; entries whose key disappeared are dropped ("ghosts").
    while (pool.length > 0) {
      const e = pool.pop()!;
      const db = ks.dbs[e.dbid];
      if (!db) continue;
      const present = policy.startsWith('allkeys') ? db.dict.has(e.key) : db.expires.has(e.key);
      if (present) return { db, key: e.key };
    }
  }
}

function pickRandom(ks: Keyspace, st: KsState, policy: string, rng: Rng): { db: Db; key: string } | null {
  const n = ks.dbs.length;
  for (let i = 0; i < n; i++) {
    const j = ++st.nextDb % n;
    const db = ks.dbs[j]!;
    const m: Map<string, unknown> = policy === 'allkeys-random' ? db.dict : db.expires;
    if (m.size === 0) continue;
    const key = randomKeyOf(m, rng);
    if (key !== undefined) return { db, key };
  }
  return null;
}

/**
 * performEvictions: evict keys until used memory is at most maxmemory. Each victim is removed here
 * (Db.remove, stats.evictedKeys, hooks.onTouched); `onEvict` is then called so the server can
 * propagate `DEL key` to replicas/AOF and emit notifications. 'fail' (EVICT_FAIL) when over the
 * limit with noeviction or nothing left to evict: the server then refuses denyoom commands with
 * `-OOM command not allowed when used memory > 'maxmemory'.`
 */
export function performEvictions(
  ks: Keyspace,
  cfg: EvictionConfig,
  rng: Rng,
  onEvict: (dbIndex: number, key: string) => void,
): 'ok' | 'fail' {
  const used = cfg.used ?? (() => ks.usedBytes);
  if (cfg.maxmemory <= 0 || used() <= cfg.maxmemory) return 'ok';
  if (cfg.policy === 'noeviction') return 'fail';
  const st = stateOf(ks);
  const samples = Math.max(1, cfg.samples | 0);
  while (used() > cfg.maxmemory) {
    const pick =
      cfg.policy === 'allkeys-random' || cfg.policy === 'volatile-random'
        ? pickRandom(ks, st, cfg.policy, rng)
        : pickPooled(ks, st, cfg.policy, samples, rng);
    if (!pick) return 'fail';
    pick.db.remove(pick.key);
    ks.stats.evictedKeys++;
    ks.hooks.onTouched(pick.db.index, pick.key);
    onEvict(pick.db.index, pick.key);
  }
  return 'ok';
}
