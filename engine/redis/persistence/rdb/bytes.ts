// Byte buffers for the RDB format: a growable writer and a bounds-checked reader whose errors name
// the offset and what was expected (rdbReportCorruptRDB / rdbReportReadError of rdb.c, 7.0.15).

/** A truncated or malformed RDB / DUMP payload: where, and what the reader expected there. */
export class RdbFormatError extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(`at offset ${offset}: expected ${expected}`);
    this.name = 'RdbFormatError';
  }
}

/** A byte string (one JS char per byte, as the keyspace stores values) as bytes. */
export function strToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Bytes as a byte string. */
export function bytesToStr(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode.apply(null, b.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return s;
}

export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.length));
    this.buf = nb;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** A byte string, verbatim. */
  str(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i) & 0xff;
  }

  u16le(v: number): void {
    this.u8(v);
    this.u8(v >>> 8);
  }

  u32le(v: number): void {
    this.room(4);
    for (let i = 0; i < 4; i++) this.buf[this.length++] = (v >>> (8 * i)) & 0xff;
  }

  u32be(v: number): void {
    this.room(4);
    for (let i = 3; i >= 0; i--) this.buf[this.length++] = (v >>> (8 * i)) & 0xff;
  }

  /** A signed/unsigned 64-bit integer, little endian (two's complement for negatives). */
  i64le(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    this.room(8);
    for (let i = 0; i < 8; i++) {
      this.buf[this.length++] = Number(u & 0xffn);
      u >>= 8n;
    }
  }

  u64be(v: bigint): void {
    const tmp = new ByteWriter(8);
    tmp.i64le(v);
    const b = tmp.result();
    for (let i = 7; i >= 0; i--) this.u8(b[i]!);
  }

  f64le(v: number): void {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, v, true);
    this.bytes(new Uint8Array(dv.buffer));
  }

  /** Overwrite a byte already written. */
  patch(at: number, v: number): void {
    this.buf[at] = v & 0xff;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    /** Where the readable part ends (a DUMP payload's footer is not part of the value). */
    readonly end = buf.length,
    /** Added to offsets in errors (a nested listpack inside a file reports file offsets). */
    readonly base = 0,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(expected: string, at = this.pos): never {
    throw new RdbFormatError(this.base + at, expected);
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) this.fail(`${what} (${n} bytes, ${Math.max(0, this.end - this.pos)} left)`);
  }

  u8(what = 'a byte'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  u16le(what: string): number {
    this.need(2, what);
    const v = this.buf[this.pos]! | (this.buf[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }

  u32le(what: string): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  u32be(what: string): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  i64le(what: string): bigint {
    this.need(8, what);
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(this.buf[this.pos + i]!);
    this.pos += 8;
    return BigInt.asIntN(64, v);
  }

  u64be(what: string): bigint {
    this.need(8, what);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(this.buf[this.pos + i]!);
    this.pos += 8;
    return v;
  }

  f64le(what: string): number {
    const b = this.bytes(8, what);
    return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
  }

  f32le(what: string): number {
    const b = this.bytes(4, what);
    return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
  }
}
