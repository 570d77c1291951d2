// Whole RDB files (rdbSaveRio / rdbLoadRioWithLoadingCtx of Redis 7.0.15): "REDIS0010", the aux
// fields, the databases (SELECTDB, RESIZEDB, per key EXPIRETIME_MS / IDLE / FREQ, type, key,
// value), EOF and the CRC64 of everything before it (zero when rdbchecksum is off).
import type { RedisValue } from '../../keyspace/values.ts';
import { ByteReader, ByteWriter, RdbFormatError, bytesToStr } from './bytes.ts';
import { crc64Bytes, crc64Init, crc64Update } from './crc64.ts';
import { loadLen, loadString, saveLen, saveString, type SaveOptions } from './primitives.ts';
import * as T from './types.ts';
import { EMPTY_KEY, loadObject } from './value-decode.ts';
import { saveObject } from './value-encode.ts';

/** Replication / AOF aux fields (rdbPopulateSaveInfo, RDBFLAGS_AOF_PREAMBLE); absent when not saved. */
export interface RdbAux {
  replId?: string;
  replOffset?: number;
  replStreamDb?: number;
  aofBase?: boolean;
}

export interface RdbKey {
  key: string;
  value: RedisValue;
  /** Absolute ms (a bigint beyond 2^53), or null. */
  expireAt: number | bigint | null;
  /** RDB_OPCODE_IDLE seconds / RDB_OPCODE_FREQ counter, when saved. */
  idleSec?: number;
  freq?: number;
}

export interface RdbDbInput {
  index: number;
  keys: Iterable<RdbKey>;
  size: number;
  expires: number;
}

export interface RdbWriteInput {
  redisVer: string;
  /** Seconds since 1970 (aux ctime). */
  ctime: number;
  usedMem: number;
  aux: RdbAux;
  dbs: RdbDbInput[];
  /** FUNCTION2 payloads (the library code), saved before the data. */
  functions?: string[];
  save: SaveOptions;
  /** rdbchecksum */
  checksum: boolean;
}

function auxField(w: ByteWriter, key: string, val: string, o: SaveOptions): void {
  w.u8(T.RDB_OPCODE_AUX);
  saveString(w, key, o);
  saveString(w, val, o);
}

/** rdbSaveRio: the bytes of a complete RDB file. */
export function writeRdb(input: RdbWriteInput): Uint8Array {
  const o = input.save;
  const w = new ByteWriter(4096);
  w.str(`REDIS${String(T.RDB_VERSION).padStart(4, '0')}`);
  auxField(w, 'redis-ver', input.redisVer, o);
  auxField(w, 'redis-bits', '64', o);
  auxField(w, 'ctime', String(input.ctime), o);
  auxField(w, 'used-mem', String(input.usedMem), o);
  const a = input.aux;
  if (a.replId !== undefined) {
    auxField(w, 'repl-stream-db', String(a.replStreamDb ?? 0), o);
    auxField(w, 'repl-id', a.replId, o);
    auxField(w, 'repl-offset', String(a.replOffset ?? 0), o);
  }
  auxField(w, 'aof-base', a.aofBase ? '1' : '0', o);
  for (const code of input.functions ?? []) {
    w.u8(T.RDB_OPCODE_FUNCTION2);
    saveString(w, code, o);
  }
  for (const db of input.dbs) {
    if (db.size === 0) continue;
    w.u8(T.RDB_OPCODE_SELECTDB);
    saveLen(w, db.index);
    w.u8(T.RDB_OPCODE_RESIZEDB);
    saveLen(w, db.size);
    saveLen(w, db.expires);
    for (const k of db.keys) {
      if (k.expireAt !== null) {
        w.u8(T.RDB_OPCODE_EXPIRETIME_MS);
        w.i64le(BigInt(k.expireAt));
      }
      if (k.idleSec !== undefined) {
        w.u8(T.RDB_OPCODE_IDLE);
        saveLen(w, k.idleSec);
      }
      if (k.freq !== undefined) {
        w.u8(T.RDB_OPCODE_FREQ);
        w.u8(k.freq);
      }
      saveObject(w, k.value, o, k.key);
    }
  }
  w.u8(T.RDB_OPCODE_EOF);
  const body = w.result();
  const out = new Uint8Array(body.length + 8);
  out.set(body);
  if (input.checksum) out.set(crc64Bytes(crc64Update(crc64Init(), body)), body.length);
  return out;
}

export interface ParsedRdb {
  version: number;
  /** Aux fields in file order. */
  aux: [string, string][];
  functions: string[];
  dbs: { index: number; keys: RdbKey[] }[];
  /** Keys skipped because their collection was empty. */
  emptyKeys: string[];
  /** False when the file carries a zero checksum (rdbchecksum no): not verified. */
  checksumVerified: boolean;
}

/**
 * rdbLoadRio: every opcode and object of a file. Throws RdbFormatError (offset + what was expected)
 * on a truncated or corrupt file, a version above 10, or a checksum mismatch.
 */
export function parseRdb(buf: Uint8Array): ParsedRdb {
  const r = new ByteReader(buf);
  const magic = bytesToStr(r.bytes(9, 'the RDB header "REDIS" + a 4-digit version'));
  if (!magic.startsWith('REDIS')) r.fail('the magic string "REDIS" (Wrong signature trying to load DB from file)', 0);
  const version = Number(magic.slice(5));
  if (!/^\d{4}$/.test(magic.slice(5)) || version < 1 || version > T.RDB_VERSION) r.fail(`an RDB format version from 1 to ${T.RDB_VERSION} (Can't handle RDB format version ${magic.slice(5)})`, 5);
  const out: ParsedRdb = { version, aux: [], functions: [], dbs: [], emptyKeys: [], checksumVerified: false };
  let db: { index: number; keys: RdbKey[] } | null = null;
  let expireAt: number | bigint | null = null;
  let idleSec: number | undefined;
  let freq: number | undefined;
  for (;;) {
    const at = r.pos;
    const type = r.u8('an RDB opcode or object type');
    if (type === T.RDB_OPCODE_EXPIRETIME) {
      expireAt = (r.u32le('a 4-byte expire time') | 0) * 1000;
      continue;
    }
    if (type === T.RDB_OPCODE_EXPIRETIME_MS) {
      const v = r.i64le('an 8-byte expire time in ms');
      expireAt = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      continue;
    }
    if (type === T.RDB_OPCODE_FREQ) {
      freq = r.u8('an LFU frequency byte');
      continue;
    }
    if (type === T.RDB_OPCODE_IDLE) {
      idleSec = loadLen(r, 'an LRU idle time');
      continue;
    }
    if (type === T.RDB_OPCODE_EOF) break;
    if (type === T.RDB_OPCODE_SELECTDB) {
      const index = loadLen(r, 'a database number');
      db = { index, keys: [] };
      out.dbs.push(db);
      continue;
    }
    if (type === T.RDB_OPCODE_RESIZEDB) {
      loadLen(r, 'a RESIZEDB db size');
      loadLen(r, 'a RESIZEDB expires size');
      continue;
    }
    if (type === T.RDB_OPCODE_AUX) {
      out.aux.push([loadString(r, 'an aux field name'), loadString(r, 'an aux field value')]);
      continue;
    }
    if (type === T.RDB_OPCODE_FUNCTION2) {
      out.functions.push(loadString(r, 'a function library'));
      continue;
    }
    if (type === T.RDB_OPCODE_FUNCTION) r.fail('a function library in the 7.0 format (FUNCTION of 7.0 release candidates is not supported)', at);
    if (type === T.RDB_OPCODE_MODULE_AUX) r.fail('no module data (module aux data needs its module)', at);
    if (!T.isObjectType(type)) r.fail(`an RDB opcode or object type (got ${type})`, at);
    const key = loadString(r, 'a key');
    const value = loadObject(r, type);
    if (!db) {
      db = { index: 0, keys: [] };
      out.dbs.push(db);
    }
    if (value === EMPTY_KEY) out.emptyKeys.push(key);
    else {
      const k: RdbKey = { key, value, expireAt };
      if (idleSec !== undefined) k.idleSec = idleSec;
      if (freq !== undefined) k.freq = freq;
      db.keys.push(k);
    }
    expireAt = null;
    idleSec = undefined;
    freq = undefined;
  }
  if (version >= 5) {
    const crcAt = r.pos;
    const stored = r.bytes(8, 'the 8-byte CRC64 checksum after EOF');
    if (stored.some((b) => b !== 0)) {
      const crc = crc64Bytes(crc64Update(crc64Init(), buf, 0, crcAt));
      for (let i = 0; i < 8; i++)
        if (crc[i] !== stored[i]) r.fail('a CRC64 checksum matching the file (Wrong RDB checksum)', crcAt);
      out.checksumVerified = true;
    }
  }
  return out;
}

export { RdbFormatError };
