// RDB: a structured snapshot of every db (values, expiries, aux fields), and loading it back with
// the log lines of rdb.c (7.0.15). The "file" is a plain object on the host's simulated disk.
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { RedisValue } from '../keyspace/values.ts';

export const RDB_VERSION_STRING = '7.0.15';

export interface RdbAux {
  /** repl-id / repl-offset / repl-stream-db (rdbPopulateSaveInfo); absent when not saved. */
  replId?: string;
  replOffset?: number;
  replStreamDb?: number;
  /** aof-base: this RDB is the base of a multi-part AOF. */
  aofBase?: boolean;
}

export interface RdbEntry {
  key: string;
  value: RedisValue;
  /** Absolute ms, or null. */
  expireAt: number | null;
}

export interface RdbFile {
  kind: 'rdb';
  redisVer: string;
  /** Seconds since 1970 when it was created (aux "ctime"). */
  ctime: number;
  /** aux "used-mem". */
  usedMem: number;
  aux: RdbAux;
  dbs: { index: number; entries: RdbEntry[] }[];
  /** Approximate file size in bytes. */
  size: number;
}

/** Deep copy of a value, so that a snapshot never aliases the live dataset. */
export function cloneValue(v: RedisValue): RedisValue {
  switch (v.type) {
    case 'string':
      return { type: 'string', v: v.v };
    case 'list':
      return { type: 'list', v: v.v.slice() };
    case 'hash':
      return { type: 'hash', v: new Map(v.v) };
    case 'set':
      return { type: 'set', v: new Set(v.v) };
    case 'zset':
      return { type: 'zset', v: v.v.clone() };
  }
}

/** Take the snapshot (the instant of fork()). */
export function snapshot(ks: Keyspace, nowMs: number, aux: RdbAux): RdbFile {
  const dbs: RdbFile['dbs'] = [];
  let size = 9 + 100; // header + aux fields
  for (const db of ks.dbs) {
    if (db.dict.size === 0) continue;
    const entries: RdbEntry[] = [];
    for (const [key, value] of db.dict) {
      const expireAt = db.expires.get(key) ?? null;
      entries.push({ key, value: cloneValue(value), expireAt });
      size += (db.sizes.get(key) ?? 16) + (expireAt === null ? 0 : 9);
    }
    dbs.push({ index: db.index, entries });
  }
  return {
    kind: 'rdb',
    redisVer: RDB_VERSION_STRING,
    ctime: Math.floor(nowMs / 1000),
    usedMem: ks.usedBytes + BASE_USED_MEMORY,
    aux: { ...aux },
    dbs,
    size: size + 9,
  };
}

/** What a process uses before any data (used_memory of an empty 7.0.15 ≈ 0.84 MB). */
export const BASE_USED_MEMORY = 876_208;

export interface RdbLoadResult {
  loaded: number;
  expired: number;
  aux: RdbAux;
}

/**
 * rdbLoad into an (empty) keyspace. A master skips keys already expired (unless this is an AOF
 * base); a replica keeps them. `log` gets rdb.c's NOTICE lines.
 */
export function loadRdb(
  file: RdbFile,
  ks: Keyspace,
  opts: { nowMs: number; isMaster: boolean; log: (line: string) => void },
): RdbLoadResult {
  opts.log(`Loading RDB produced by version ${file.redisVer}`);
  opts.log(`RDB age ${Math.max(0, Math.floor(opts.nowMs / 1000) - file.ctime)} seconds`);
  opts.log(`RDB memory usage when created ${(file.usedMem / (1024 * 1024)).toFixed(2)} Mb`);
  if (file.aux.aofBase) opts.log('RDB is base AOF');
  let loaded = 0;
  let expired = 0;
  for (const { index, entries } of file.dbs) {
    if (index >= ks.dbs.length) continue;
    const db = ks.db(index);
    for (const e of entries) {
      if (opts.isMaster && !file.aux.aofBase && e.expireAt !== null && e.expireAt < opts.nowMs) {
        expired++;
        continue;
      }
      db.set(e.key, cloneValue(e.value));
      if (e.expireAt !== null) db.setExpire(e.key, e.expireAt);
      loaded++;
    }
  }
  opts.log(`Done loading RDB, keys loaded: ${loaded}, keys expired: ${expired}.`);
  return { loaded, expired, aux: file.aux };
}

export function isRdbFile(x: unknown): x is RdbFile {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'rdb';
}

/** dir + file name, as Redis does after chdir(dir). */
export function joinPath(dir: string, name: string): string {
  if (name.startsWith('/')) return name;
  if (dir === '' || dir === '.' || dir === './') return name;
  return `${dir.replace(/\/+$/, '')}/${name}`;
}
