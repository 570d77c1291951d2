// RDB files on the simulated disk: the bytes Redis 7.0.15 writes (rdb/file.ts) for a snapshot of every
// db, and loading them back with the log lines of rdb.c. A file is { kind: 'rdb', bytes, size }.
import { evictionSettings, isLfuPolicy, lfuCounter } from '../keyspace/evict.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import { RdbFormatError } from './rdb/bytes.ts';
import { parseRdb, writeRdb, type ParsedRdb, type RdbAux, type RdbKey } from './rdb/file.ts';
import { saveOptionsFrom } from './rdb/options.ts';

export type { RdbAux } from './rdb/file.ts';

export const RDB_VERSION_STRING = '7.0.15';

export interface RdbFile {
  kind: 'rdb';
  /** The file's bytes, exactly as redis-server 7.0.15 would write them. */
  bytes: Uint8Array;
  /** bytes.length */
  size: number;
}

/** What a process uses before any data (used_memory of an empty 7.0.15 ≈ 0.84 MB). */
export const BASE_USED_MEMORY = 876_208;

type ConfGet = { get(name: string): string } | ((name: string) => string);
const confGetter = (c: ConfGet | undefined): { get(name: string): string } | undefined =>
  c === undefined ? undefined : typeof c === 'function' ? { get: c } : c;

/** An RdbFile around bytes (a user's dump.rdb, or one received from a master). */
export function rdbFileFromBytes(bytes: Uint8Array): RdbFile {
  return { kind: 'rdb', bytes, size: bytes.length };
}

/** Take the snapshot (the instant of fork()): rdbSaveRio of the whole keyspace. */
export function snapshot(ks: Keyspace, nowMs: number, aux: RdbAux, conf?: ConfGet, functions: string[] = []): RdbFile {
  const c = confGetter(conf);
  const policy = evictionSettings(ks).policy;
  const saveLfu = isLfuPolicy(policy);
  const saveLru = policy.endsWith('-lru');
  const bytes = writeRdb({
    redisVer: RDB_VERSION_STRING,
    ctime: Math.floor(nowMs / 1000),
    usedMem: ks.usedBytes + BASE_USED_MEMORY,
    aux,
    save: saveOptionsFrom(c),
    checksum: c ? c.get('rdbchecksum') !== 'no' : true,
    functions,
    dbs: ks.dbs.map((db) => ({
      index: db.index,
      size: db.dict.size,
      expires: db.expires.size,
      keys: (function* (): Generator<RdbKey> {
        for (const [key, { value, access }] of db.dict) {
          const k: RdbKey = { key, value, expireAt: db.getExpireExact(key) ?? null };
          if (saveLru) k.idleSec = Math.max(0, Math.floor((nowMs - (access ?? nowMs)) / 1000));
          if (saveLfu) k.freq = lfuCounter(db, key);
          yield k;
        }
      })(),
    })),
  });
  return rdbFileFromBytes(bytes);
}

export interface RdbLoadResult {
  loaded: number;
  expired: number;
  aux: RdbAux;
  /** The function libraries' code (RDB_OPCODE_FUNCTION2), for the scripting module to create. */
  functions: string[];
}

/** A file that cannot be loaded: the path, the offset and what the loader expected there. */
export class RdbLoadError extends Error {
  constructor(
    readonly path: string,
    readonly offset: number,
    readonly expected: string,
  ) {
    super(`${path}: bad RDB file at offset ${offset}: expected ${expected}`);
    this.name = 'RdbLoadError';
  }
}

/** Parse a file, turning a format error into an RdbLoadError naming `path`. */
export function parseRdbFile(file: RdbFile, path = 'dump.rdb'): ParsedRdb {
  try {
    return parseRdb(file.bytes);
  } catch (e) {
    if (e instanceof RdbFormatError) throw new RdbLoadError(path, e.offset, e.expected);
    if (e instanceof RangeError) throw new RdbLoadError(path, -1, `sizes this process can allocate (${e.message})`);
    throw e;
  }
}

/**
 * rdbLoad into an (empty) keyspace. A master skips keys already expired (unless this is an AOF
 * base); a replica keeps them. `log` gets rdb.c's NOTICE lines. Throws RdbLoadError.
 */
export function loadRdb(
  file: RdbFile,
  ks: Keyspace,
  opts: { nowMs: number; isMaster: boolean; log: (line: string) => void; warn?: (line: string) => void; path?: string },
): RdbLoadResult {
  const parsed = parseRdbFile(file, opts.path);
  const aux: RdbAux = {};
  for (const [k, v] of parsed.aux) {
    if (k === 'redis-ver') opts.log(`Loading RDB produced by version ${v}`);
    else if (k === 'ctime') opts.log(`RDB age ${Math.max(0, Math.floor(opts.nowMs / 1000) - Number(v))} seconds`);
    else if (k === 'used-mem') opts.log(`RDB memory usage when created ${(Number(v) / (1024 * 1024)).toFixed(2)} Mb`);
    else if (k === 'aof-base') {
      aux.aofBase = v !== '0';
      if (aux.aofBase) opts.log('RDB is base AOF');
    } else if (k === 'repl-id') aux.replId = v;
    else if (k === 'repl-offset') aux.replOffset = Number(v);
    else if (k === 'repl-stream-db') aux.replStreamDb = Number(v);
  }
  for (const k of parsed.emptyKeys.slice(0, 10)) (opts.warn ?? opts.log)(`rdbLoadObject skipping empty key: ${k}`);
  const policy = evictionSettings(ks).policy;
  const lfu = isLfuPolicy(policy);
  let loaded = 0;
  let expired = 0;
  for (const { index, keys } of parsed.dbs) {
    if (index >= ks.dbs.length) throw new RdbLoadError(opts.path ?? 'dump.rdb', -1, `a database number below ${ks.dbs.length} (FATAL: Data file was created with a Redis server configured to handle more than ${ks.dbs.length} databases)`);
    const db = ks.db(index);
    for (const e of keys) {
      if (opts.isMaster && !aux.aofBase && e.expireAt !== null && e.expireAt < opts.nowMs) {
        expired++;
        continue;
      }
      db.set(e.key, e.value);
      if (e.expireAt !== null) db.setExpire(e.key, e.expireAt);
      // objectSetLRUOrLFU(val, lfu_freq, lru_idle, lru_clock, 1000)
      if (lfu && e.freq !== undefined) db.setLruLfu(e.key, undefined, e.freq);
      else if (!lfu && e.idleSec !== undefined) db.setLruLfu(e.key, opts.nowMs - e.idleSec * 1000, undefined);
      loaded++;
    }
  }
  opts.log(`Done loading RDB, keys loaded: ${loaded}, keys expired: ${expired}.`);
  return { loaded, expired, aux, functions: parsed.functions };
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
