// DUMP payloads (cluster.c createDumpPayload / verifyDumpPayload, 7.0.15): the object type and value
// as in an RDB file, then the RDB version (2 bytes, little endian) and a CRC64 of all that.
import type { RedisValue } from '../../keyspace/values.ts';
import { ByteReader, ByteWriter, RdbFormatError } from './bytes.ts';
import { crc64Bytes, crc64Init, crc64Update } from './crc64.ts';
import type { SaveOptions } from './primitives.ts';
import { RDB_VERSION, isObjectType } from './types.ts';
import { EMPTY_KEY, loadObject } from './value-decode.ts';
import { saveObject } from './value-encode.ts';

export function createDumpPayload(v: RedisValue, o: SaveOptions): Uint8Array {
  const w = new ByteWriter(64);
  saveObject(w, v, o);
  w.u16le(RDB_VERSION);
  const body = w.result();
  const crc = crc64Bytes(crc64Update(crc64Init(), body));
  const out = new Uint8Array(body.length + 8);
  out.set(body);
  out.set(crc, body.length);
  return out;
}

/** verifyDumpPayload: at least the footer, a version this server reads, a matching CRC (unless skipped). */
export function verifyDumpPayload(p: Uint8Array, skipChecksum = false): boolean {
  if (p.length < 10) return false;
  const f = p.length - 10;
  const ver = p[f]! | (p[f + 1]! << 8);
  if (ver > RDB_VERSION) return false;
  if (skipChecksum) return true;
  const crc = crc64Bytes(crc64Update(crc64Init(), p, 0, p.length - 8));
  for (let i = 0; i < 8; i++) if (crc[i] !== p[p.length - 8 + i]) return false;
  return true;
}

/**
 * rdbLoadObjectType + rdbLoadObject on a verified payload: the value, or null when the data is bad
 * (RESTORE then answers "Bad data format"; an empty collection counts as bad there too).
 */
export function loadDumpPayload(p: Uint8Array): RedisValue | null {
  // Like rioInitWithBuffer, the reader may run into the footer: only the buffer's end is a hard stop.
  const r = new ByteReader(p);
  try {
    const type = r.u8('an object type');
    if (!isObjectType(type)) return null;
    const v = loadObject(r, type);
    return v === EMPTY_KEY ? null : v;
  } catch (e) {
    // a length no process could allocate is bad data too (ztrymalloc fails in Redis)
    if (e instanceof RdbFormatError || e instanceof RangeError) return null;
    throw e;
  }
}
