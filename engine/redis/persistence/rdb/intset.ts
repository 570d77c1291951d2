// Intsets (intset.c of Redis 7.0.15): encoding (2, 4 or 8 bytes per element), length, then the
// members ascending, all little endian. The encoding is the narrowest that holds every member.
import { ByteReader, ByteWriter } from './bytes.ts';

/** The intset blob of these (canonical int64) members. */
export function intsetBuild(members: Iterable<string>): Uint8Array {
  const vals = [...members].map((m) => BigInt(m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of vals) {
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if (width < 4 && (v < -32768n || v > 32767n)) width = 4;
  }
  const w = new ByteWriter(8 + width * vals.length);
  w.u32le(width);
  w.u32le(vals.length);
  for (const v of vals) {
    if (width === 2) w.u16le(Number(BigInt.asUintN(16, v)));
    else if (width === 4) w.u32le(Number(BigInt.asUintN(32, v)));
    else w.i64le(v);
  }
  return w.result();
}

/** intsetValidateIntegrity (deep): a known encoding, the exact size, strictly ascending members. */
export function intsetRead(blob: Uint8Array, base = 0): string[] {
  const r = new ByteReader(blob, 0, blob.length, base);
  const width = r.u32le('the intset encoding');
  if (width !== 2 && width !== 4 && width !== 8) r.fail(`an intset encoding of 2, 4 or 8 (got ${width})`, 0);
  const count = r.u32le('the intset length');
  if (count === 0) r.fail('a non-empty intset', 4);
  if (8 + count * width !== blob.length) r.fail(`an intset of ${8 + count * width} bytes (got ${blob.length})`, 4);
  const out: string[] = [];
  let prev: bigint | null = null;
  for (let i = 0; i < count; i++) {
    const at = r.pos;
    let v: bigint;
    if (width === 2) v = BigInt((r.u16le('an intset member') << 16) >> 16);
    else if (width === 4) v = BigInt(r.u32le('an intset member') | 0);
    else v = r.i64le('an intset member');
    if (prev !== null && v <= prev) r.fail('intset members in ascending order without duplicates', at);
    prev = v;
    out.push(v.toString());
  }
  return out;
}
