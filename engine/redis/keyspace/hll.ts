// HyperLogLog representation of Redis 7.0.15 (hyperloglog.c): the 16-byte "HYLL" header with the cached
// cardinality, the sparse opcodes (ZERO / XZERO / VAL) and the dense 6-bit registers, MurmurHash64A,
// and the Ertl estimator. Byte for byte what Redis stores, so GET of an HLL key is the same string.

export const HLL_HDR_SIZE = 16;
export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS * 6 + 7) / 8);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;

// ---------------------------------------------------------------- MurmurHash64A on 32-bit halves

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

/** (ah:al) * (bh:bl) mod 2^64 as [hi, lo] (unsigned 32-bit halves). */
function mul64(ah: number, al: number, bh: number, bl: number): [number, number] {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const mid = a0 * b1 + a1 * b0;
  const low = a0 * b0 + (mid % 65536) * 65536;
  const carry = Math.floor(low / 4294967296);
  const high = a1 * b1 + Math.floor(mid / 65536) + carry;
  const hi = (Math.imul(ah, bl) + Math.imul(al, bh) + (high >>> 0)) >>> 0;
  return [hi, low >>> 0];
}

/** MurmurHash64A (the endian-neutral variant Redis uses) of a byte string; [hi, lo]. */
export function murmurHash64A(key: string, seed: number): [number, number] {
  const len = key.length;
  let [hh, hl] = mul64(0, len, M_HI, M_LO);
  hl = (hl ^ seed) >>> 0;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    const kl = (key.charCodeAt(i) | (key.charCodeAt(i + 1) << 8) | (key.charCodeAt(i + 2) << 16) | (key.charCodeAt(i + 3) << 24)) >>> 0;
    const kh = (key.charCodeAt(i + 4) | (key.charCodeAt(i + 5) << 8) | (key.charCodeAt(i + 6) << 16) | (key.charCodeAt(i + 7) << 24)) >>> 0;
    let [xh, xl] = mul64(kh, kl, M_HI, M_LO);
    xl = (xl ^ (xh >>> 15)) >>> 0; // k ^= k >> 47
    [xh, xl] = mul64(xh, xl, M_HI, M_LO);
    [hh, hl] = mul64((hh ^ xh) >>> 0, (hl ^ xl) >>> 0, M_HI, M_LO);
  }
  const tail = len & 7;
  if (tail) {
    for (let t = tail - 1; t >= 0; t--) {
      const b = key.charCodeAt(i + t);
      if (t >= 4) hh = (hh ^ (b << (8 * (t - 4)))) >>> 0;
      else hl = (hl ^ (b << (8 * t))) >>> 0;
    }
    [hh, hl] = mul64(hh, hl, M_HI, M_LO);
  }
  hl = (hl ^ (hh >>> 15)) >>> 0;
  [hh, hl] = mul64(hh, hl, M_HI, M_LO);
  hl = (hl ^ (hh >>> 15)) >>> 0;
  return [hh, hl];
}

const ctz32 = (v: number): number => 31 - Math.clz32(v & -v);

/** hllPatLen: [register index, run length of the 000..1 pattern] of an element. */
export function hllPatLen(ele: string): [number, number] {
  const [hi, lo] = murmurHash64A(ele, 0xadc83b19);
  const index = lo & HLL_P_MASK;
  const vlo = ((lo >>> HLL_P) | (hi << (32 - HLL_P))) >>> 0;
  const vhi = hi >>> HLL_P;
  const count = vlo ? 1 + ctz32(vlo) : vhi ? 33 + ctz32(vhi) : HLL_Q + 1;
  return [index, count];
}

// ---------------------------------------------------------------- dense registers

export function denseGet(p: Uint8Array, regnum: number): number {
  const byte = HLL_HDR_SIZE + ((regnum * 6) >> 3);
  const fb = (regnum * 6) & 7;
  const b0 = p[byte]!;
  const b1 = p[byte + 1] ?? 0; // the sds NUL terminator past the last register
  return ((b0 >> fb) | (b1 << (8 - fb))) & 63;
}

export function denseSetRaw(p: Uint8Array, regnum: number, val: number): void {
  const byte = HLL_HDR_SIZE + ((regnum * 6) >> 3);
  const fb = (regnum * 6) & 7;
  const fb8 = 8 - fb;
  p[byte] = (p[byte]! & ~(63 << fb)) | ((val << fb) & 0xff);
  if (byte + 1 < p.length) p[byte + 1] = (p[byte + 1]! & ~(63 >> fb8)) | (val >> fb8);
}

/** hllDenseSet: 1 when the register grew. */
export function denseSet(p: Uint8Array, regnum: number, count: number): number {
  if (count > denseGet(p, regnum)) {
    denseSetRaw(p, regnum, count);
    return 1;
  }
  return 0;
}

// ---------------------------------------------------------------- objects

/** An HLL value being worked on: dense bytes, or the sparse bytes in a growable array. */
export type Hll = { enc: 'dense'; b: Uint8Array } | { enc: 'sparse'; b: number[] };

export function hllFromString(s: string): Hll {
  if (s.charCodeAt(4) === HLL_DENSE) {
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    return { enc: 'dense', b };
  }
  const b: number[] = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return { enc: 'sparse', b };
}

export function hllToString(h: Hll): string {
  let out = '';
  for (let i = 0; i < h.b.length; i += 8192) out += String.fromCharCode(...h.b.slice(i, i + 8192));
  return out;
}

/** createHLLObject: sparse, all registers in XZERO opcodes, cached cardinality 0 (valid). */
export function createHll(): Hll {
  const b = [0x48, 0x59, 0x4c, 0x4c, HLL_SPARSE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let aux = HLL_REGISTERS; aux > 0; ) {
    const x = Math.min(SPARSE_XZERO_MAX_LEN, aux);
    b.push(((x - 1) >> 8) | 0x40, (x - 1) & 0xff);
    aux -= x;
  }
  return { enc: 'sparse', b };
}

/** isHLLObjectOrReply's validity test (the caller has checked the type is string). */
export function isValidHll(s: string): boolean {
  if (s.length < HLL_HDR_SIZE || !s.startsWith('HYLL')) return false;
  const enc = s.charCodeAt(4);
  if (enc > HLL_SPARSE) return false;
  return !(enc === HLL_DENSE && s.length !== HLL_DENSE_SIZE);
}

export const invalidateCache = (h: Hll): void => {
  h.b[15] = h.b[15]! | 0x80;
};
export const cacheValid = (h: Hll): boolean => (h.b[15]! & 0x80) === 0;

/** The cached cardinality as PFCOUNT replies it (uint64 read, printed as long long). */
export function readCard(h: Hll): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(h.b[8 + i]!);
  return BigInt.asIntN(64, v);
}

export function writeCard(h: Hll, card: number): void {
  let v = card;
  for (let i = 0; i < 8; i++) {
    h.b[8 + i] = v % 256;
    v = Math.floor(v / 256);
  }
}

// ---------------------------------------------------------------- sparse opcodes

export const isZero = (x: number): boolean => (x & 0xc0) === 0;
export const isXzero = (x: number): boolean => (x & 0xc0) === 0x40;
const isVal = (x: number): boolean => (x & 0x80) !== 0;
export const zeroLen = (x: number): number => (x & 0x3f) + 1;
export const xzeroLen = (x: number, y: number): number => (((x & 0x3f) << 8) | y) + 1;
export const valValue = (x: number): number => ((x >> 2) & 0x1f) + 1;
export const valLen = (x: number): number => (x & 3) + 1;
const valOp = (val: number, len: number): number => (((val - 1) << 2) | (len - 1) | 0x80) & 0xff;

/** Walk the sparse opcodes: fn(first register, run length, value). Returns the registers covered. */
function walkSparse(b: ArrayLike<number>, fn: (idx: number, run: number, val: number) => boolean | void): number {
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < b.length) {
    const x = b[p]!;
    if (isZero(x)) {
      idx += zeroLen(x);
      p++;
    } else if (isXzero(x)) {
      idx += xzeroLen(x, b[p + 1] ?? 0);
      p += 2;
    } else {
      const run = valLen(x);
      if (fn(idx, run, valValue(x)) === false) return -1;
      idx += run;
      p++;
    }
  }
  return idx;
}

/** hllSparseToDense: null when the sparse data is invalid. Header (incl. cached card) copied. */
export function sparseToDense(h: Hll & { enc: 'sparse' }): Hll | null {
  const d = new Uint8Array(HLL_DENSE_SIZE);
  for (let i = 0; i < HLL_HDR_SIZE; i++) d[i] = h.b[i]!;
  d[4] = HLL_DENSE;
  const idx = walkSparse(h.b, (first, run, val) => {
    if (first + run > HLL_REGISTERS) return false;
    for (let r = 0; r < run; r++) denseSetRaw(d, first + r, val);
  });
  return idx === HLL_REGISTERS ? { enc: 'dense', b: d } : null;
}

/**
 * hllSparseSet: set register `index` to `count` if greater. Returns [result, new object]: result 1
 * updated, 0 unchanged, -1 invalid; the object is dense after a promotion (count > 32, or the
 * sparse string would exceed hll-sparse-max-bytes).
 */
export function sparseSet(h: Hll & { enc: 'sparse' }, index: number, count: number, maxBytes: number): [number, Hll] {
  const promote = (): [number, Hll] => {
    const d = sparseToDense(h);
    if (!d) return [-1, h];
    denseSet(d.b as Uint8Array, index, count);
    return [1, d];
  };
  if (count > SPARSE_VAL_MAX_VALUE) return promote();
  const s = h.b;
  let p = HLL_HDR_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < s.length) {
    let oplen = 1;
    if (isZero(s[p]!)) span = zeroLen(s[p]!);
    else if (isVal(s[p]!)) span = valLen(s[p]!);
    else {
      span = xzeroLen(s[p]!, s[p + 1] ?? 0);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= s.length) return [-1, h];
  const op = s[p]!;
  const zero = isZero(op);
  const xzero = isXzero(op);
  updated: {
    if (isVal(op)) {
      if (valValue(op) >= count) return [0, h];
      if (valLen(op) === 1) {
        s[p] = valOp(count, 1);
        break updated;
      }
    }
    if (zero && zeroLen(op) === 1) {
      s[p] = valOp(count, 1);
      break updated;
    }
    // general case: split the opcode into up to three (XZERO-VAL-XZERO at worst)
    const seq: number[] = [];
    const last = first + span - 1;
    const pushZeros = (len: number): void => {
      if (len > SPARSE_ZERO_MAX_LEN) seq.push(((len - 1) >> 8) | 0x40, (len - 1) & 0xff);
      else seq.push(len - 1);
    };
    if (zero || xzero) {
      if (index !== first) pushZeros(index - first);
      seq.push(valOp(count, 1));
      if (index !== last) pushZeros(last - index);
    } else {
      const cur = valValue(op);
      if (index !== first) seq.push(valOp(cur, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(cur, last - index));
    }
    const oldlen = xzero ? 2 : 1;
    const delta = seq.length - oldlen;
    if (delta > 0 && s.length + delta > maxBytes) return promote();
    s.splice(p, oldlen, ...seq);
  }
  // Step 4: merge adjacent VAL opcodes with the same value, scanning up to 5 opcodes from prev
  p = prev >= 0 ? prev : HLL_HDR_SIZE;
  let scan = 5;
  while (p < s.length && scan-- > 0) {
    if (isXzero(s[p]!)) {
      p += 2;
      continue;
    } else if (isZero(s[p]!)) {
      p++;
      continue;
    }
    if (p + 1 < s.length && isVal(s[p + 1]!)) {
      const v1 = valValue(s[p]!);
      if (v1 === valValue(s[p + 1]!)) {
        const len = valLen(s[p]!) + valLen(s[p + 1]!);
        if (len <= SPARSE_VAL_MAX_LEN) {
          s[p + 1] = valOp(v1, len);
          s.splice(p, 1);
          continue;
        }
      }
    }
    p++;
  }
  invalidateCache(h);
  return [1, h];
}

/** hllAdd: [result, object] (the object may have been promoted to dense). */
export function hllAdd(h: Hll, ele: string, maxBytes: number): [number, Hll] {
  const [index, count] = hllPatLen(ele);
  if (h.enc === 'dense') return [denseSet(h.b, index, count), h];
  return sparseSet(h, index, count, maxBytes);
}

/** Set a register (PFMERGE): dense or sparse, promoting as needed. */
export function hllSet(h: Hll, index: number, count: number, maxBytes: number): Hll {
  if (h.enc === 'dense') {
    denseSet(h.b, index, count);
    return h;
  }
  return sparseSet(h, index, count, maxBytes)[1];
}

/** hllMerge: max[i] = MAX(max[i], reg[i]); false when a sparse value does not cover exactly all registers. */
export function hllMerge(max: Uint8Array, h: Hll): boolean {
  if (h.enc === 'dense') {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(h.b, i);
      if (v > max[i]!) max[i] = v;
    }
    return true;
  }
  const idx = walkSparse(h.b, (first, run, val) => {
    if (first + run > HLL_REGISTERS) return false;
    for (let r = 0; r < run; r++) if (val > max[first + r]!) max[first + r] = val;
  });
  return idx === HLL_REGISTERS;
}

// ---------------------------------------------------------------- dense registers on the string itself

/** HLL_DENSE_GET_REGISTER on the stored byte string (no copy: PFADD's fast path for dense values). */
export function denseGetStr(s: string, regnum: number): number {
  const byte = HLL_HDR_SIZE + ((regnum * 6) >> 3);
  const fb = (regnum * 6) & 7;
  return ((s.charCodeAt(byte) >> fb) | (s.charCodeAt(byte + 1) << (8 - fb))) & 63;
}

/** HLL_DENSE_SET_REGISTER on the byte string: a new string differing in two bytes. */
export function denseSetStr(s: string, regnum: number, val: number): string {
  const byte = HLL_HDR_SIZE + ((regnum * 6) >> 3);
  const fb = (regnum * 6) & 7;
  const fb8 = 8 - fb;
  const b0 = (s.charCodeAt(byte) & ~(63 << fb) & 0xff) | ((val << fb) & 0xff);
  // the last register's second byte is the sds NUL terminator past the value: not part of it
  if (byte + 1 >= s.length) return s.slice(0, byte) + String.fromCharCode(b0);
  const b1 = (s.charCodeAt(byte + 1) & ~(63 >> fb8) & 0xff) | (val >> fb8);
  return s.slice(0, byte) + String.fromCharCode(b0, b1) + s.slice(byte + 2);
}
