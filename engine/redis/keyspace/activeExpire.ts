// The active expire cycle (expire.c activeExpireCycle, Redis 7.0.15), with the time budget counted
// in sampled keys instead of microseconds since the simulation has no wall clock.
//
// Only masters run it: the server must not call it on a replica (replicas wait for the master's
// DELs). As a safety net it returns 0 at once when the keyspace hooks say expired keys would only
// be hidden (replica context).
import type { Rng } from '../../sim/rng.ts';
import { invalidateSnapshot, keySnapshot } from './evict.ts';
import type { Db, Keyspace } from './keyspace.ts';

export const ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP = 20;
export const ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE = 10;
/** CRON_DBS_PER_CALL */
export const CRON_DBS_PER_CALL = 16;
/** Default budget of a slow cycle, in checked keys (stands for 25% of a 100 ms cron tick). */
export const SLOW_CYCLE_BUDGET = 2000;
/** Default budget of a fast cycle (stands for its 1000 µs). */
export const FAST_CYCLE_BUDGET = 100;

interface CycleState {
  currentDb: number;
  timelimitExit: boolean;
  /** stat_expired_stale_perc: running estimate of the share of expired keys among sampled ones. */
  stalePerc: number;
  timeCapReached: number;
  /** expires_cursor per db, as a position in the current snapshot of db.expires. */
  cursors: WeakMap<Db, { keys: string[]; pos: number }>;
  /** avg_ttl per db index (0 until sampled). */
  avgTtl: number[];
}

const states = new WeakMap<Keyspace, CycleState>();

function stateOf(ks: Keyspace): CycleState {
  let s = states.get(ks);
  if (!s) {
    s = { currentDb: 0, timelimitExit: false, stalePerc: 0, timeCapReached: 0, cursors: new WeakMap(), avgTtl: [] };
    states.set(ks, s);
  }
  return s;
}

export interface ActiveExpireStats {
  readonly stalePerc: number;
  readonly timeCapReached: number;
  avgTtl(dbIndex: number): number;
}

/** A live view of one keyspace's figures (made once: INFO reads them at every call). */
class StatsView implements ActiveExpireStats {
  constructor(private readonly s: CycleState) {}
  get stalePerc(): number {
    return this.s.stalePerc * 100;
  }
  get timeCapReached(): number {
    return this.s.timeCapReached;
  }
  avgTtl(dbIndex: number): number {
    return this.s.avgTtl[dbIndex] ?? 0;
  }
}

const views = new WeakMap<Keyspace, StatsView>();

/** INFO figures: expired_stale_perc (0..100), expired_time_cap_reached_count, per-db avg_ttl (ms). */
export function activeExpireStats(ks: Keyspace): ActiveExpireStats {
  let v = views.get(ks);
  if (v === undefined) views.set(ks, (v = new StatsView(stateOf(ks))));
  return v;
}

export interface ActiveExpireOptions {
  /** ACTIVE_EXPIRE_CYCLE_FAST: runs only if the previous cycle hit its limit or many keys are stale. */
  fast?: boolean;
  /** active-expire-effort, 1..10 (default 1). */
  effort?: number;
}

/**
 * One active expire cycle over up to 16 databases: per database, check 20 keys with a TTL
 * (walking the expires set with a per-db cursor, as 7.0 walks expires buckets), delete the
 * expired ones through db.expireIfNeeded (so DEL propagation and touches fire), and repeat while
 * more than 10% of the checked keys were expired. `budget` bounds the keys checked by the whole
 * call (the time limit). `_rng` is unused: 7.0 walks the expires table with a cursor, not at random.
 * Returns the number of keys expired.
 */
export function activeExpireCycle(ks: Keyspace, _rng: Rng, budget?: number, opts: ActiveExpireOptions = {}): number {
  const h = ks.hooks;
  if (h.expiredLooksAbsentOnly() || h.applyingMasterStream()) return 0; // never on replicas
  const st = stateOf(ks);
  const effort = Math.min(10, Math.max(1, opts.effort ?? 1)) - 1;
  const keysPerLoop = ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP + Math.floor(ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP / 4) * effort;
  const acceptableStale = ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE - effort;
  if (opts.fast && !st.timelimitExit && st.stalePerc * 100 < acceptableStale) return 0;
  let limit = budget ?? (opts.fast ? FAST_CYCLE_BUDGET : SLOW_CYCLE_BUDGET);
  if (limit <= 0) limit = 1;

  const dbnum = ks.dbs.length;
  const dbsPerCall = CRON_DBS_PER_CALL > dbnum || st.timelimitExit ? dbnum : CRON_DBS_PER_CALL;
  st.timelimitExit = false;
  let checkedTotal = 0;
  let totalSampled = 0;
  let totalExpired = 0;

  for (let j = 0; j < dbsPerCall && !st.timelimitExit; j++) {
    const db = ks.dbs[st.currentDb % dbnum]!;
    st.currentDb++;
    let expired = 0;
    let sampled = 0;
    do {
      let num = db.expires.size;
      if (num === 0) {
        st.avgTtl[db.index] = 0;
        break;
      }
      const now = h.now();
      expired = 0;
      sampled = 0;
      let ttlSum = 0;
      let ttlSamples = 0;
      if (num > keysPerLoop) num = keysPerLoop;
      const maxChecks = num * 20;
      let checked = 0;
      let keys = keySnapshot(db.expires);
      let cursor = resumeCursor(st, db, keys);
      while (sampled < num && checked < maxChecks) {
        if (cursor >= keys.length) {
          // A full pass is done: take a fresh snapshot so keys added since are walked too.
          invalidateSnapshot(db.expires);
          keys = keySnapshot(db.expires);
          cursor = 0;
          if (keys.length === 0) break;
        }
        const key = keys[cursor++]!;
        checked++;
        const at = db.expires.get(key)?.expireAt;
        if (at === undefined) continue; // gone since the snapshot
        const ttl = at - now;
        if (now > at && db.expireIfNeeded(key) && !db.dict.has(key)) expired++;
        if (ttl > 0) {
          ttlSum += ttl;
          ttlSamples++;
        }
        sampled++;
      }
      st.cursors.set(db, { keys, pos: cursor });
      if (sampled === 0) invalidateSnapshot(db.expires); // only stale entries: rescan
      checkedTotal += checked;
      totalExpired += expired;
      totalSampled += sampled;
      if (ttlSamples) {
        const avg = Math.trunc(ttlSum / ttlSamples);
        let cur = st.avgTtl[db.index] ?? 0;
        if (cur === 0) cur = avg;
        st.avgTtl[db.index] = Math.trunc(cur / 50) * 49 + Math.trunc(avg / 50);
      }
      if (checkedTotal >= limit) {
        st.timelimitExit = true;
        st.timeCapReached++;
        break;
      }
    } while (sampled === 0 || Math.floor((expired * 100) / sampled) > acceptableStale);
  }
  const perc = totalSampled ? totalExpired / totalSampled : 0;
  st.stalePerc = perc * 0.05 + st.stalePerc * 0.95;
  return totalExpired;
}

/** The walk position in `keys`: where it stopped, or, if the snapshot was rebuilt, at the next surviving key. */
function resumeCursor(st: CycleState, db: Db, keys: string[]): number {
  const saved = st.cursors.get(db);
  if (!saved) return 0;
  if (saved.keys === keys) return saved.pos;
  for (let i = saved.pos; i < saved.keys.length; i++) {
    const k = saved.keys[i]!;
    if (db.expires.has(k)) {
      const j = keys.indexOf(k);
      return j < 0 ? 0 : j;
    }
  }
  return keys.length; // the old pass was finished
}
