// Ziplists (ziplist.c), read only: RDB files written by Redis before 7.0 store small lists, hashes
// and sorted sets as ziplists (types 10, 12, 13 and the nodes of type 14). Validated as
// ziplistValidateIntegrity does: header sizes, entry bounds, prevlen chain, terminator.
import { ByteReader } from './bytes.ts';

const ZIP_END = 0xff;
const ZIP_BIG_PREVLEN = 254;
const HEADER = 10;

export function ziplistRead(blob: Uint8Array, base = 0): string[] {
  const r = new ByteReader(blob, 0, blob.length, base);
  if (blob.length < HEADER + 1) r.fail('a ziplist header (at least 11 bytes)');
  const zlbytes = r.u32le('the ziplist total size');
  if (zlbytes !== blob.length) r.fail(`a ziplist of ${blob.length} bytes (header says ${zlbytes})`, 0);
  r.u32le('the ziplist tail offset');
  const zllen = r.u16le('the ziplist length');
  if (blob[blob.length - 1] !== ZIP_END) r.fail('the ziplist terminator 0xFF', blob.length - 1);
  const out: string[] = [];
  let prevLen = 0;
  while (blob[r.pos] !== ZIP_END) {
    const start = r.pos;
    let p = r.u8('a ziplist prevlen');
    if (p === ZIP_BIG_PREVLEN) p = r.u32le('a 5-byte ziplist prevlen');
    if (p !== prevLen) r.fail(`a prevlen of ${prevLen}`, start);
    const enc = r.u8('a ziplist entry encoding');
    let value: string;
    switch (enc >> 6) {
      case 0:
        value = str(r, enc & 0x3f);
        break;
      case 1:
        value = str(r, ((enc & 0x3f) << 8) | r.u8('a 14-bit ziplist string length'));
        break;
      case 2:
        if (enc !== 0x80) r.fail(`a ziplist string encoding (got 0x${enc.toString(16)})`, r.pos - 1);
        value = str(r, r.u32be('a 32-bit ziplist string length'));
        break;
      default:
        if (enc === 0xc0) value = String((r.u16le('a ziplist int16') << 16) >> 16);
        else if (enc === 0xd0) value = String(r.u32le('a ziplist int32') | 0);
        else if (enc === 0xe0) value = r.i64le('a ziplist int64').toString();
        else if (enc === 0xf0) {
          const lo = r.u16le('a ziplist int24');
          value = String((((r.u8('a ziplist int24') << 16) | lo) << 8) >> 8);
        } else if (enc === 0xfe) value = String((r.u8('a ziplist int8') << 24) >> 24);
        else if (enc >= 0xf1 && enc <= 0xfd) value = String((enc & 0x0f) - 1);
        else return r.fail(`a ziplist entry encoding (got 0x${enc.toString(16)})`, r.pos - 1);
    }
    prevLen = r.pos - start;
    out.push(value);
    if (r.pos >= blob.length) r.fail('the ziplist terminator 0xFF');
  }
  if (r.pos !== blob.length - 1) r.fail('the end of the ziplist after its terminator', r.pos);
  if (zllen !== 0xffff && zllen !== out.length) r.fail(`${zllen} ziplist entries (found ${out.length})`, 8);
  return out;
}

function str(r: ByteReader, len: number): string {
  const b = r.bytes(len, 'the ziplist string data');
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  return s;
}
