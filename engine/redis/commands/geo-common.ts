// Pieces shared by the geo command files (geo.c of Redis 7.0.15): argument parsing and reply formatting.
import { dbl, err, type Reply, type Resp } from '../../net/resp.ts';
import { GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN } from '../keyspace/geohash.ts';
import { ERR_NOT_FLOAT, ERR_WRONGTYPE, formatLongDouble, parseDouble, type LongDouble } from './util.ts';

export const WRONGTYPE = err(ERR_WRONGTYPE);

/** A double as an exact long double (for addReplyHumanLongDouble). */
function doubleToLd(d: number): LongDouble {
  if (!Number.isFinite(d)) return { neg: d < 0, inf: true };
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, d);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (bexp === 0) return { neg: hi >>> 31 === 1, m, e: -1074 };
  m |= 1n << 52n;
  return { neg: hi >>> 31 === 1, m, e: bexp - 1075 };
}

/** addReplyHumanLongDouble in RESP2: "%.17Lf" without trailing zeros. */
/** addReplyHumanLongDouble (RESP3 double, RESP2 bulk). */
export const humanDouble = (d: number): Reply => dbl(formatLongDouble(doubleToLd(d)));

/** printf("%f"): six decimals of the exact binary value, round half to even. */
export function printfF(d: number): string {
  if (Number.isNaN(d)) return d < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(d)) return d < 0 ? '-inf' : 'inf';
  const ld = doubleToLd(d) as { neg: boolean; m: bigint; e: number };
  let q: bigint;
  if (ld.e >= 0) q = (ld.m << BigInt(ld.e)) * 1000000n;
  else {
    const shift = BigInt(-ld.e);
    const scaled = ld.m * 1000000n;
    q = scaled >> shift;
    const rem = scaled & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
  }
  const ip = q / 1000000n;
  const fp = (q % 1000000n).toString().padStart(6, '0');
  return `${ld.neg ? '-' : ''}${ip}.${fp}`;
}

/** fixedpoint_d2string(d, 4): llrint(d·10^4) printed with four decimals. */
export function distanceString(d: number): string {
  if (d === 0) return '0.0000';
  const x = d * 10000;
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1; // llrint: ties to even
  const neg = r < 0;
  const s = String(Math.abs(r)).padStart(5, '0');
  return `${neg ? '-' : ''}${s.slice(0, -4)}.${s.slice(-4)}`;
}

/** extractLongLatOrReply: [lon, lat] or the error. */
export function extractLongLat(lonArg: string, latArg: string): [number, number] | Resp {
  const lon = parseDouble(lonArg);
  if (lon === null) return err(ERR_NOT_FLOAT);
  const lat = parseDouble(latArg);
  if (lat === null) return err(ERR_NOT_FLOAT);
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX)
    return err(`ERR invalid longitude,latitude pair ${printfF(lon)},${printfF(lat)}`);
  return [lon, lat];
}

/** extractUnitOrReply: metres per unit, or the error. */
export function extractUnit(u: string): number | Resp {
  const s = u.toLowerCase();
  if (s === 'm') return 1;
  if (s === 'km') return 1000;
  if (s === 'ft') return 0.3048;
  if (s === 'mi') return 1609.34;
  return err('ERR unsupported unit provided. please use M, KM, FT, MI');
}

