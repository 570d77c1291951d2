// Listpacks (listpack.c of Redis 7.0.15): building them entry by entry as lpAppend does (strings that
// are canonical int64s stored as integers), and reading / validating them (lpValidateIntegrity).
import { ByteReader, ByteWriter, RdbFormatError } from './bytes.ts';

/** An entry to append: a byte string (converted to an integer when canonical) or an explicit integer. */
export type LpEntry = string | bigint;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** lpStringToInt64 / string2ll: the canonical decimal form of an int64, else null. */
export function canonicalInt(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return null;
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0n : null;
  if (first < 49 || first > 57) return null;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const v = BigInt(s);
  return v > INT64_MAX || v < INT64_MIN ? null : v;
}

/** lpEncodeBacklen: the entry's size, written backwards in 7-bit groups. */
function writeBacklen(w: ByteWriter, l: number): void {
  if (l <= 127) w.u8(l);
  else if (l < 16383) {
    w.u8(l >>> 7);
    w.u8((l & 127) | 128);
  } else if (l < 2097151) {
    w.u8(l >>> 14);
    w.u8(((l >>> 7) & 127) | 128);
    w.u8((l & 127) | 128);
  } else if (l < 268435455) {
    w.u8(l >>> 21);
    w.u8(((l >>> 14) & 127) | 128);
    w.u8(((l >>> 7) & 127) | 128);
    w.u8((l & 127) | 128);
  } else {
    w.u8(Math.floor(l / 2 ** 28));
    w.u8(((l >>> 21) & 127) | 128);
    w.u8(((l >>> 14) & 127) | 128);
    w.u8(((l >>> 7) & 127) | 128);
    w.u8((l & 127) | 128);
  }
}

/** One encoded entry (encoding + data, then backlen), as lpInsert writes it. */
function writeEntry(w: ByteWriter, e: LpEntry): void {
  const v = typeof e === 'bigint' ? e : canonicalInt(e);
  const start = w.length;
  if (v !== null) {
    // lpEncodeIntegerGetType
    if (v >= 0n && v <= 127n) w.u8(Number(v));
    else if (v >= -4096n && v <= 4095n) {
      const u = Number(v < 0n ? (1n << 13n) + v : v);
      w.u8((u >>> 8) | 0xc0);
      w.u8(u & 0xff);
    } else if (v >= -32768n && v <= 32767n) {
      const u = Number(v < 0n ? (1n << 16n) + v : v);
      w.u8(0xf1);
      w.u16le(u);
    } else if (v >= -8388608n && v <= 8388607n) {
      const u = Number(v < 0n ? (1n << 24n) + v : v);
      w.u8(0xf2);
      w.u8(u & 0xff);
      w.u8((u >>> 8) & 0xff);
      w.u8(u >>> 16);
    } else if (v >= -2147483648n && v <= 2147483647n) {
      w.u8(0xf3);
      w.u32le(Number(BigInt.asUintN(32, v)));
    } else {
      w.u8(0xf4);
      w.i64le(v);
    }
  } else {
    const s = e as string;
    const len = s.length;
    if (len < 64) w.u8(len | 0x80);
    else if (len < 4096) {
      w.u8((len >>> 8) | 0xe0);
      w.u8(len & 0xff);
    } else {
      w.u8(0xf0);
      w.u32le(len);
    }
    w.str(s);
  }
  writeBacklen(w, w.length - start);
}

/** A whole listpack of these entries (lpNew + lpAppend each): header, entries, 0xFF. */
export function lpBuild(entries: Iterable<LpEntry>): Uint8Array {
  const w = new ByteWriter(64);
  w.u32le(0);
  w.u16le(0);
  let n = 0;
  for (const e of entries) {
    writeEntry(w, e);
    n++;
  }
  w.u8(0xff);
  const out = w.result();
  const total = out.length;
  out[0] = total & 0xff;
  out[1] = (total >>> 8) & 0xff;
  out[2] = (total >>> 16) & 0xff;
  out[3] = (total >>> 24) & 0xff;
  const count = n < 65535 ? n : 65535; // LP_HDR_NUMELE_UNKNOWN
  out[4] = count & 0xff;
  out[5] = count >>> 8;
  return out;
}

/** Size in bytes of one entry holding s (lpEntrySizeUnsafe of the encoded entry, backlen included). */
export function lpEntryBytes(e: LpEntry): number {
  const w = new ByteWriter(16);
  writeEntry(w, e);
  return w.length;
}

const LP_HDR = 6;

/**
 * Read and validate a listpack (lpValidateIntegrity with deep checks): every entry as a byte string
 * (integers in decimal). `base` is the blob's offset in the file, for error messages.
 */
export function lpRead(blob: Uint8Array, base = 0): string[] {
  const r = new ByteReader(blob, 0, blob.length, base);
  if (blob.length < LP_HDR + 1) r.fail('a listpack header (at least 7 bytes)');
  const total = r.u32le('the listpack total size');
  if (total !== blob.length) r.fail(`a listpack of ${blob.length} bytes (header says ${total})`, 0);
  const count = r.u16le('the listpack entry count');
  const out: string[] = [];
  while (true) {
    if (r.pos >= blob.length) r.fail('the listpack terminator 0xFF');
    const start = r.pos;
    const b = blob[r.pos]!;
    if (b === 0xff) {
      if (r.pos !== blob.length - 1) r.fail('the end of the listpack after its terminator');
      break;
    }
    r.pos++;
    let value: string;
    if ((b & 0x80) === 0) value = String(b);
    else if ((b & 0xc0) === 0x80) value = readStr(r, b & 0x3f);
    else if ((b & 0xe0) === 0xc0) {
      const u = ((b & 0x1f) << 8) | r.u8('a 13-bit listpack integer');
      value = String(u >= 1 << 12 ? u - (1 << 13) : u);
    } else if ((b & 0xf0) === 0xe0) value = readStr(r, ((b & 0x0f) << 8) | r.u8('a 12-bit listpack string length'));
    else if (b === 0xf1) {
      const u = r.u16le('a 16-bit listpack integer');
      value = String(u >= 1 << 15 ? u - (1 << 16) : u);
    } else if (b === 0xf2) {
      const lo = r.u16le('a 24-bit listpack integer');
      const u = lo | (r.u8('a 24-bit listpack integer') << 16);
      value = String(u >= 1 << 23 ? u - (1 << 24) : u);
    } else if (b === 0xf3) value = String(r.u32le('a 32-bit listpack integer') | 0);
    else if (b === 0xf4) value = r.i64le('a 64-bit listpack integer').toString();
    else if (b === 0xf0) value = readStr(r, r.u32le('a 32-bit listpack string length'));
    else return r.fail(`a listpack entry encoding (got 0x${b.toString(16)})`, start);
    const encLen = r.pos - start;
    const backStart = r.pos;
    let back = 0;
    // The backlen is stored big-endian in 7-bit groups, the last byte without the high bit... read forward.
    const blen = encLen <= 127 ? 1 : encLen < 16383 ? 2 : encLen < 2097151 ? 3 : encLen < 268435455 ? 4 : 5;
    r.need(blen, 'the listpack entry back-length');
    for (let i = 0; i < blen; i++) back = back * 128 + (blob[r.pos + i]! & 127);
    if (back !== encLen) r.fail(`a back-length of ${encLen}`, backStart);
    r.pos += blen;
    out.push(value);
  }
  if (count !== 65535 && count !== out.length) r.fail(`${count} listpack entries (found ${out.length})`, 4);
  return out;
}

function readStr(r: ByteReader, len: number): string {
  const b = r.bytes(len, 'the listpack string data');
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  return s;
}

export { RdbFormatError };
