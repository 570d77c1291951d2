// CRC-64/Jones as Redis's crc64.c computes it (reflected, polynomial 0xad93d23594c935a9, init 0, no
// final xor): the footer of every RDB file and DUMP payload. Table-driven on two 32-bit halves.

const TABLE_LO = new Uint32Array(256);
const TABLE_HI = new Uint32Array(256);

// The reflected polynomial (bit-reversed 0xad93d23594c935a9).
const POLY_LO = 0xac4bc9b5;
const POLY_HI = 0x95ac9329;

for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const lsb = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (lsb) {
      lo = (lo ^ POLY_LO) >>> 0;
      hi = (hi ^ POLY_HI) >>> 0;
    }
  }
  TABLE_LO[n] = lo;
  TABLE_HI[n] = hi;
}

/** A running CRC as two unsigned 32-bit halves (so a file can be checksummed in pieces). */
export interface Crc64 {
  lo: number;
  hi: number;
}

export function crc64Init(): Crc64 {
  return { lo: 0, hi: 0 };
}

export function crc64Update(c: Crc64, data: Uint8Array, start = 0, end = data.length): Crc64 {
  let lo = c.lo;
  let hi = c.hi;
  for (let i = start; i < end; i++) {
    const idx = (lo ^ data[i]!) & 0xff;
    lo = (((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]!) >>> 0;
    hi = ((hi >>> 8) ^ TABLE_HI[idx]!) >>> 0;
  }
  return { lo, hi };
}

/** crc64(0, data) as a bigint. */
export function crc64(data: Uint8Array, start = 0, end = data.length): bigint {
  const c = crc64Update(crc64Init(), data, start, end);
  return (BigInt(c.hi) << 32n) | BigInt(c.lo);
}

/** The 8 footer bytes (little endian, memrev64ifbe). */
export function crc64Bytes(c: Crc64): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 4; i++) {
    out[i] = (c.lo >>> (8 * i)) & 0xff;
    out[4 + i] = (c.hi >>> (8 * i)) & 0xff;
  }
  return out;
}
