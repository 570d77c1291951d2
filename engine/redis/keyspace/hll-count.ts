// HyperLogLog estimation of Redis 7.0.15 (hyperloglog.c: hllCount, Ertl's improved estimator) and the
// PFDEBUG DECODE text of a sparse value. The representation itself is in hll.ts.
import { HLL_HDR_SIZE, HLL_Q, HLL_REGISTERS, denseGet, isXzero, isZero, valLen, valValue, xzeroLen, zeroLen } from './hll.ts';
import type { Hll } from './hll.ts';

const ALPHA_INF = 0.72134752044448170368;

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (zPrime !== z);
  return z / 3;
}

/** hllCount from a register histogram (Ertl's improved estimator). */
function countFromHisto(reghisto: number[]): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - reghisto[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += reghisto[j]!;
    z *= 0.5;
  }
  z += m * sigma(reghisto[0]! / m);
  return Math.round((ALPHA_INF * m * m) / z); // llroundl of a positive value
}

/** hllCount of an object: null when a sparse representation is invalid. */
export function hllCount(h: Hll): number | null {
  const histo = new Array<number>(64).fill(0);
  if (h.enc === 'dense') {
    for (let i = 0; i < HLL_REGISTERS; i++) histo[denseGet(h.b, i)]!++;
  } else {
    let idx = 0;
    let p = HLL_HDR_SIZE;
    const s = h.b;
    while (p < s.length) {
      const x = s[p]!;
      if (isZero(x)) {
        idx += zeroLen(x);
        histo[0]! += zeroLen(x);
        p++;
      } else if (isXzero(x)) {
        const run = xzeroLen(x, s[p + 1] ?? 0);
        idx += run;
        histo[0]! += run;
        p += 2;
      } else {
        idx += valLen(x);
        histo[valValue(x)]! += valLen(x);
        p++;
      }
    }
    if (idx !== HLL_REGISTERS) return null;
  }
  return countFromHisto(histo);
}

/** hllCount of the raw (one byte per register) union used by multi-key PFCOUNT. */
export function rawCount(max: Uint8Array): number {
  const histo = new Array<number>(64).fill(0);
  for (let i = 0; i < HLL_REGISTERS; i++) histo[max[i]!]!++;
  return countFromHisto(histo);
}

/** PFDEBUG DECODE: "z:<n>", "Z:<n>", "v:<val>,<len>" separated by spaces. */
export function decodeSparse(h: Hll & { enc: 'sparse' }): string {
  const out: string[] = [];
  const s = h.b;
  for (let p = HLL_HDR_SIZE; p < s.length; ) {
    const x = s[p]!;
    if (isZero(x)) {
      out.push(`z:${zeroLen(x)}`);
      p++;
    } else if (isXzero(x)) {
      out.push(`Z:${xzeroLen(x, s[p + 1] ?? 0)}`);
      p += 2;
    } else {
      out.push(`v:${valValue(x)},${valLen(x)}`);
      p++;
    }
  }
  return out.join(' ');
}

