// WATCH bookkeeping (multi.c): watched keys per db, versions bumped on every touch, CAS flags.
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { Client } from './client.ts';

const wkey = (db: number, key: string) => `${db}\0${key}`;

export class WatchRegistry {
  /** "db\0key" → clients watching it, in WATCH order. */
  private readonly watchers = new Map<string, Client[]>();
  /** "db\0key" → modification counter (only kept while someone watches the key). */
  private readonly versions = new Map<string, number>();

  constructor(private readonly ks: Keyspace) {}

  /** WATCH key: remembers whether it was already logically expired (watchedKey.expired). */
  watch(c: Client, db: number, key: string): void {
    const k = wkey(db, key);
    if (c.watched.has(k)) return;
    const list = this.watchers.get(k);
    if (list) list.push(c);
    else this.watchers.set(k, [c]);
    c.watched.set(k, this.versions.get(k) ?? 0);
    if (this.ks.db(db).isExpired(key)) c.watchedExpired.add(k);
  }

  unwatchAll(c: Client): void {
    for (const k of c.watched.keys()) {
      const list = this.watchers.get(k);
      if (!list) continue;
      const i = list.indexOf(c);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) {
        this.watchers.delete(k);
        this.versions.delete(k);
      }
    }
    c.watched.clear();
    c.watchedExpired.clear();
  }

  /** touchWatchedKey: every client watching the key gets CLIENT_DIRTY_CAS. */
  touch(db: number, key: string): void {
    if (this.watchers.size === 0) return;
    const k = wkey(db, key);
    const list = this.watchers.get(k);
    if (!list) return;
    this.versions.set(k, (this.versions.get(k) ?? 0) + 1);
    for (const c of [...list]) {
      if (c.watchedExpired.has(k)) {
        // Already expired at WATCH time: its deletion is not a logical change (7.0.15 stops here otherwise).
        if (!this.ks.db(db).dict.has(key)) {
          c.watchedExpired.delete(k);
          continue;
        }
        break;
      }
      c.dirtyCas = true;
      this.unwatchAll(c);
    }
  }

  /**
   * touchAllWatchedKeysInDb (multi.c): `emptied` loses its keys (FLUSHDB / FLUSHALL: replacedWith
   * null) or gets `replacedWith`'s (SWAPDB); called before the data changes. A key watched while
   * already expired stays a non-change if it disappears or is replaced by another expired key; a
   * missing key replaced by an expired one becomes "expired at WATCH"; anything else flags the client.
   */
  dbReplaced(emptied: number, replacedWith: number | null): void {
    if (this.watchers.size === 0) return;
    const prefix = `${emptied}\0`;
    const e = this.ks.db(emptied);
    const r = replacedWith === null ? null : this.ks.db(replacedWith);
    for (const [k, list] of this.watchers) {
      if (!k.startsWith(prefix)) continue;
      const key = k.slice(prefix.length);
      const inEmptied = e.dict.has(key);
      const inReplaced = r !== null && r.dict.has(key);
      if (!inEmptied && !inReplaced) continue;
      for (const c of list) {
        if (c.watchedExpired.has(k)) {
          if (!inReplaced) {
            c.watchedExpired.delete(k);
            continue;
          }
          if (r!.isExpired(key)) continue;
        } else if (!inEmptied && r!.isExpired(key)) {
          c.watchedExpired.add(k);
          continue;
        }
        c.dirtyCas = true;
      }
    }
  }

  /** isWatchedKeyExpired: EXEC refuses when a watched key expired since WATCH. */
  anyExpired(c: Client): boolean {
    for (const k of c.watched.keys()) {
      if (c.watchedExpired.has(k)) continue;
      const i = k.indexOf('\0');
      if (this.ks.db(Number(k.slice(0, i))).isExpired(k.slice(i + 1))) return true;
    }
    return false;
  }

  /** Version of a watched key (0 if never touched while watched). */
  version(db: number, key: string): number {
    return this.versions.get(wkey(db, key)) ?? 0;
  }

  /**
   * Before the dataset is replaced wholesale (full resync, DEBUG RELOAD): like signalFlushedDb(-1),
   * flags every client watching a key that currently exists. Call it BEFORE emptying the data.
   */
  invalidateAll(): void {
    for (const [k, list] of [...this.watchers]) {
      const i = k.indexOf('\0');
      const db = Number(k.slice(0, i));
      const key = k.slice(i + 1);
      if (!this.ks.db(db).dict.has(key)) continue;
      for (const c of [...list]) {
        if (c.watchedExpired.has(k)) continue;
        c.dirtyCas = true;
      }
    }
  }

  get size(): number {
    return this.watchers.size;
  }
}
