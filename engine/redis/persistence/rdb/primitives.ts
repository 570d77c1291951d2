// The RDB building blocks of rdb.c (7.0.15): lengths (6/14/32/64-bit), strings (integer encodings,
// LZF when rdbcompression is on and the string is longer than 20 bytes, else verbatim) and doubles.
import { ByteReader, ByteWriter, bytesToStr, strToBytes } from './bytes.ts';
import { canonicalInt } from './listpack.ts';
import { lzfCompress, lzfDecompress } from './lzf.ts';

export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

export interface SaveOptions {
  /** rdbcompression (default yes). */
  compression: boolean;
  /** list-max-listpack-size (default -2). */
  listMaxListpackSize: number;
}

export const DEFAULT_SAVE_OPTIONS: SaveOptions = { compression: true, listMaxListpackSize: -2 };

/** rdbSaveLen */
export function saveLen(w: ByteWriter, len: number | bigint): void {
  if (typeof len === 'bigint' && len <= 0xffffffffn) len = Number(len);
  if (typeof len === 'number' && len < 1 << 6) w.u8(len);
  else if (typeof len === 'number' && len < 1 << 14) {
    w.u8(((len >>> 8) & 0xff) | (RDB_14BITLEN << 6));
    w.u8(len & 0xff);
  } else if (BigInt(len) <= 0xffffffffn) {
    w.u8(RDB_32BITLEN);
    w.u32be(Number(len));
  } else {
    w.u8(RDB_64BITLEN);
    w.u64be(BigInt(len));
  }
}

/** rdbEncodeInteger: the 2-, 3- or 5-byte form of a value that fits 32 bits, else false. */
function saveEncodedInt(w: ByteWriter, v: bigint): boolean {
  if (v >= -128n && v <= 127n) {
    w.u8((RDB_ENCVAL << 6) | RDB_ENC_INT8);
    w.u8(Number(BigInt.asUintN(8, v)));
  } else if (v >= -32768n && v <= 32767n) {
    w.u8((RDB_ENCVAL << 6) | RDB_ENC_INT16);
    w.u16le(Number(BigInt.asUintN(16, v)));
  } else if (v >= -2147483648n && v <= 2147483647n) {
    w.u8((RDB_ENCVAL << 6) | RDB_ENC_INT32);
    w.u32le(Number(BigInt.asUintN(32, v)));
  } else return false;
  return true;
}

/** rdbSaveLzfBlob: an already compressed blob. */
export function saveLzfBlob(w: ByteWriter, compressed: Uint8Array, originalLen: number): void {
  w.u8((RDB_ENCVAL << 6) | RDB_ENC_LZF);
  saveLen(w, compressed.length);
  saveLen(w, originalLen);
  w.bytes(compressed);
}

/** rdbSaveRawString for bytes: integer form (≤ 11 bytes), LZF (> 20 bytes, saving ≥ 4), or verbatim. */
export function saveRawBytes(w: ByteWriter, b: Uint8Array, o: SaveOptions, asString?: string): void {
  const len = b.length;
  if (len <= 11) {
    const v = canonicalInt(asString ?? bytesToStr(b));
    if (v !== null && saveEncodedInt(w, v)) return;
  }
  if (o.compression && len > 20) {
    const c = lzfCompress(b, len - 4);
    if (c) {
      saveLzfBlob(w, c, len);
      return;
    }
  }
  saveLen(w, len);
  w.bytes(b);
}

/** rdbSaveRawString for a byte string. */
export function saveString(w: ByteWriter, s: string, o: SaveOptions): void {
  if (s.length <= 11) {
    const v = canonicalInt(s);
    if (v !== null && saveEncodedInt(w, v)) return;
  }
  if (o.compression && s.length > 20) {
    saveRawBytes(w, strToBytes(s), o, s);
    return;
  }
  saveLen(w, s.length);
  w.str(s);
}

/** rdbSaveLen's counterpart: a plain length; `encoded` tells an RDB_ENCVAL special encoding. */
export function loadLenByRef(r: ByteReader, what: string): { len: number; encoded: boolean } {
  const at = r.pos;
  const b = r.u8(what);
  const type = (b & 0xc0) >> 6;
  if (type === RDB_ENCVAL) return { len: b & 0x3f, encoded: true };
  if (type === RDB_6BITLEN) return { len: b & 0x3f, encoded: false };
  if (type === RDB_14BITLEN) return { len: ((b & 0x3f) << 8) | r.u8(what), encoded: false };
  if (b === RDB_32BITLEN) return { len: r.u32be(what), encoded: false };
  if (b === RDB_64BITLEN) {
    const v = r.u64be(what);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) r.fail(`${what} (a length below 2^53, got ${v})`, at);
    return { len: Number(v), encoded: false };
  }
  return r.fail(`${what} (unknown length encoding 0x${b.toString(16)})`, at);
}

/** rdbLoadLen: a plain (not specially encoded) length. */
export function loadLen(r: ByteReader, what: string): number {
  const at = r.pos;
  const { len, encoded } = loadLenByRef(r, what);
  if (encoded) r.fail(`${what} (a length, not an encoded string)`, at);
  return len;
}

/** rdbGenericLoadStringObject: the string as bytes (integer encodings in decimal, LZF expanded). */
export function loadBytes(r: ByteReader, what: string): Uint8Array {
  const at = r.pos;
  const { len, encoded } = loadLenByRef(r, what);
  if (!encoded) return r.bytes(len, `${what} data`);
  let v: number;
  switch (len) {
    case RDB_ENC_INT8:
      v = (r.u8(what) << 24) >> 24;
      break;
    case RDB_ENC_INT16:
      v = (r.u16le(what) << 16) >> 16;
      break;
    case RDB_ENC_INT32:
      v = r.u32le(what) | 0;
      break;
    case RDB_ENC_LZF: {
      const clen = loadLen(r, `${what} compressed length`);
      const ulen = loadLen(r, `${what} uncompressed length`);
      if (ulen > 0x7fffffff) r.fail(`${what}: an uncompressed length below 2 GB (got ${ulen})`);
      const dataAt = r.pos;
      const c = r.bytes(clen, `${what} compressed data`);
      const out = lzfDecompress(c, ulen);
      if (!out) r.fail(`${what}: valid LZF data of ${ulen} bytes (Invalid LZF compressed string)`, dataAt);
      return out;
    }
    default:
      return r.fail(`${what} (unknown string encoding ${len})`, at);
  }
  return strToBytes(String(v));
}

/** A string as a byte string. */
export function loadString(r: ByteReader, what: string): string {
  return bytesToStr(loadBytes(r, what));
}

/** rdbLoadDoubleValue: the RDB 1-7 text form of a double (length byte, 253 nan, 254 +inf, 255 -inf). */
export function loadTextDouble(r: ByteReader, what: string): number {
  const len = r.u8(what);
  if (len === 255) return -Infinity;
  if (len === 254) return Infinity;
  if (len === 253) return NaN;
  const at = r.pos;
  const s = bytesToStr(r.bytes(len, what));
  const v = Number(s.trim());
  if (Number.isNaN(v) && !/^\s*[+-]?nan/i.test(s)) {
    if (/^\s*[+-]?inf/i.test(s)) return s.trim().startsWith('-') ? -Infinity : Infinity;
    r.fail(`${what} (a number, got "${s}")`, at);
  }
  return v;
}
