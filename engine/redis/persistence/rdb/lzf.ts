// LZF as Redis 7.0.15 ships it (lzf_c.c / lzf_d.c with lzfP.h: HLOG 16, VERY_FAST, no ULTRA_FAST):
// the same hash, the same greedy matches, so compressed RDB strings are byte-identical.
// One difference cannot be modelled: Redis leaves its hash table uninitialised (INIT_HTAB 0), so a
// stale stack value could in principle yield a different (still valid) back-reference; we start
// from an empty table, which is what Redis produces whenever no stale slot happens to match.

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** Hash table of input positions, stamped with `base` so a new call needs no clearing (Redis's is per call). */
const htab = new Int32Array(HSIZE);
let base = 1;

/** IDX(h) of the VERY_FAST variant on the 32-bit unsigned hash. */
const idx = (h: number): number => ((h >>> (3 * 8 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);

/**
 * lzf_compress(in, outLen): the compressed bytes, or null when they would not fit in outLen
 * (rdbSaveLzfStringObject passes len - 4: compression must save at least 4 bytes).
 */
export function lzfCompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const inLen = input.length;
  if (inLen === 0 || outLen <= 0) return null;
  if (base + inLen + 2 > 0x7fffffff) {
    htab.fill(0);
    base = 1;
  }
  const b0 = base;
  base += inLen + 1;
  const out = new Uint8Array(outLen + 8);
  let op = 1; // start a literal run: its length byte is out[op - lit - 1]
  let lit = 0;
  let ip = 0;
  let hval = ((input[0]! << 8) | input[1]!) >>> 0;
  while (ip < inLen - 2) {
    hval = ((hval << 8) | input[ip + 2]!) >>> 0;
    const slot = idx(hval);
    const stamped = htab[slot]!;
    const ref = stamped >= b0 ? stamped - b0 : 0; // older calls' slots are empty
    htab[slot] = ip + b0;
    const off = ip - ref - 1;
    if (
      ref > 0 &&
      off < MAX_OFF &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      const maxlen = Math.min(inLen - ip - len, MAX_REF);
      if (op + 3 + 1 >= outLen && op - (lit ? 0 : 1) + 3 + 1 >= outLen) return null;
      out[op - lit - 1] = (lit - 1) & 0xff; // stop the run
      op -= lit ? 0 : 1; // an empty run is undone
      let stopped = false;
      if (maxlen > 16) {
        // lzf_c.c compares 16 bytes unconditionally before the bounded loop.
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            stopped = true;
            break;
          }
        }
      }
      if (!stopped) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // now the match length minus one
      ip++;
      if (len < 7) out[op++] = (off >> 8) + (len << 5);
      else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start a run
      ip += len + 1;
      if (ip >= inLen - 2) break;
      // VERY_FAST: hash the last two positions of the match.
      ip -= 2;
      hval = ((input[ip]! << 8) | input[ip + 1]!) >>> 0;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[idx(hval)] = ip + b0;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[idx(hval)] = ip + b0;
      ip++;
    } else {
      if (op >= outLen) return null;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLen) return null;
  while (ip < inLen) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = (lit - 1) & 0xff;
  op -= lit ? 0 : 1;
  return out.slice(0, op);
}

/** lzf_decompress: exactly `outLen` bytes, or null when the data is corrupt or has another length. */
export function lzfDecompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    let ctrl = input[ip++]!;
    if (ctrl < 1 << 5) {
      ctrl++; // literal run of ctrl bytes
      if (op + ctrl > outLen || ip + ctrl > input.length) return null;
      out.set(input.subarray(ip, ip + ctrl), op);
      op += ctrl;
      ip += ctrl;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= input.length) return null;
        len += input[ip++]!;
      }
      if (ip >= input.length) return null;
      const ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++]!;
      len += 2;
      if (op + len > outLen || ref < 0) return null;
      for (let k = 0; k < len; k++) out[op + k] = out[ref + k]!;
      op += len;
    }
  }
  return op === outLen ? out : null;
}
