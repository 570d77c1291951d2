// Geohash of Redis 7.0.15 (geohash.c, geohash_helper.c): 52-bit interleaved scores over the
// EPSG:900913 latitude range, neighbours, the search areas of a radius or box, haversine distances.

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
const D_R = Math.PI / 180.0;
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;

export interface Range {
  min: number;
  max: number;
}
/** A hash of `step` bits per coordinate; bits < 2^52 (a double holds it exactly). */
export interface HashBits {
  bits: number;
  step: number;
  /** The high 32 bits when `bits` is not exact (a score cast to uint64 beyond 2^53). */
  hi?: number;
  lo?: number;
}
export interface Area {
  hash: HashBits;
  longitude: Range;
  latitude: Range;
}

const WGS_LONG: Range = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const WGS_LAT: Range = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
const P32 = 4294967296;

function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

function compact32(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** interleave64: x in the even bits, y in the odd bits (x, y as uint32). */
function interleave(x: number, y: number): number {
  const lo = (spread16(x) | (spread16(y) << 1)) >>> 0;
  const hi = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
  return hi * P32 + lo;
}

/** deinterleave64 of the 64-bit value hi·2^32 + lo: [even bits, odd bits]. */
function deinterleave(hi: number, lo: number): [number, number] {
  const x = (compact32(lo) | (compact32(hi) << 16)) >>> 0;
  const y = (compact32(lo >>> 1) | (compact32(hi >>> 1) << 16)) >>> 0;
  return [x, y];
}

/** geohashEncode: null outside the ranges. */
export function geohashEncode(lonR: Range, latR: Range, longitude: number, latitude: number, step: number): HashBits | null {
  if (step > 32 || step === 0) return null;
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN) return null;
  if (latitude < latR.min || latitude > latR.max || longitude < lonR.min || longitude > lonR.max) return null;
  let latOff = (latitude - latR.min) / (latR.max - latR.min);
  let lonOff = (longitude - lonR.min) / (lonR.max - lonR.min);
  latOff *= 2 ** step;
  lonOff *= 2 ** step;
  return { bits: interleave(Math.trunc(latOff) >>> 0, Math.trunc(lonOff) >>> 0), step };
}

export const geohashEncodeWGS84 = (lon: number, lat: number, step: number): HashBits | null =>
  geohashEncode(WGS_LONG, WGS_LAT, lon, lat, step);

/** geohashDecode: the cell of a hash. */
export function geohashDecode(lonR: Range, latR: Range, hash: HashBits): Area | null {
  if (hash.bits === 0 && hash.step === 0) return null;
  const [ilato, ilono] = deinterleave(hash.hi ?? Math.floor(hash.bits / P32) >>> 0, hash.lo ?? hash.bits % P32 >>> 0);
  const scale = 2 ** hash.step;
  const latScale = latR.max - latR.min;
  const lonScale = lonR.max - lonR.min;
  return {
    hash,
    latitude: { min: latR.min + ((ilato * 1.0) / scale) * latScale, max: latR.min + (((ilato + 1) >>> 0) / scale) * latScale },
    longitude: { min: lonR.min + ((ilono * 1.0) / scale) * lonScale, max: lonR.min + (((ilono + 1) >>> 0) / scale) * lonScale },
  };
}

/** decodeGeohash of a sorted-set score: [longitude, latitude] of the cell centre (clamped). */
export function decodeScore(score: number): [number, number] {
  const a = geohashDecode(WGS_LONG, WGS_LAT, scoreBits(score))!;
  let x = (a.longitude.min + a.longitude.max) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (a.latitude.min + a.latitude.max) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  return [x, y];
}

/** (uint64_t)score as x86-64 compiles it (out of range: 0 above 2^64, 2^63 below -2^63), as hash bits. */
function scoreBits(score: number): HashBits {
  let u: bigint;
  if (score >= 2 ** 64) u = 0n;
  else if (score >= -(2 ** 63)) u = BigInt.asUintN(64, BigInt(Math.trunc(score)));
  else u = 1n << 63n;
  const lo = Number(u & 0xffffffffn);
  const hi = Number(u >> 32n);
  return { bits: hi * P32 + lo, step: GEO_STEP_MAX, hi, lo };
}

/** geohashAlign52Bits. */
export const align52 = (h: HashBits): number => h.bits * 2 ** (52 - h.step * 2);

// ---------------------------------------------------------------- neighbours (BigInt: 64-bit masks)

const M_A = 0xaaaaaaaaaaaaaaaan;
const M_5 = 0x5555555555555555n;
const U64 = (x: bigint): bigint => BigInt.asUintN(64, x);

function move(hash: HashBits, d: number, xAxis: boolean): HashBits {
  if (d === 0) return hash;
  const b = BigInt(hash.bits);
  let x = b & M_A;
  let y = b & M_5;
  const sh = BigInt(64 - hash.step * 2);
  const zz = (xAxis ? M_5 : M_A) >> sh;
  let v = xAxis ? x : y;
  if (d > 0) v = U64(v + (zz + 1n));
  else {
    v = v | zz;
    v = U64(v - (zz + 1n));
  }
  v &= (xAxis ? M_A : M_5) >> sh;
  if (xAxis) x = v;
  else y = v;
  return { bits: Number(x | y), step: hash.step };
}

const moved = (h: HashBits, dx: number, dy: number): HashBits => move(move(h, dx, true), dy, false);

export interface Neighbors {
  north: HashBits;
  south: HashBits;
  east: HashBits;
  west: HashBits;
  north_east: HashBits;
  north_west: HashBits;
  south_east: HashBits;
  south_west: HashBits;
}

function neighbors(h: HashBits): Neighbors {
  return {
    east: moved(h, 1, 0),
    west: moved(h, -1, 0),
    south: moved(h, 0, -1),
    north: moved(h, 0, 1),
    north_west: moved(h, -1, 1),
    north_east: moved(h, 1, 1),
    south_east: moved(h, 1, -1),
    south_west: moved(h, -1, -1),
  };
}

// ---------------------------------------------------------------- search areas

export interface GeoShape {
  circular: boolean;
  /** Centre [longitude, latitude]. */
  xy: [number, number];
  /** Unit to metres. */
  conversion: number;
  radius: number;
  width: number;
  height: number;
}

const degRad = (a: number): number => a * D_R;
const radDeg = (a: number): number => a / D_R;

export function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** geohashBoundingBox: [min lon, min lat, max lon, max lat]. */
function boundingBox(s: GeoShape): [number, number, number, number] {
  const [longitude, latitude] = s.xy;
  const height = s.conversion * (s.circular ? s.radius : s.height / 2);
  const width = s.conversion * (s.circular ? s.radius : s.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)));
  const lonBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)));
  const south = latitude < 0;
  return [south ? longitude - lonBottom : longitude - lonTop, latitude - latDelta, south ? longitude + lonBottom : longitude + lonTop, latitude + latDelta];
}

const ZERO_HASH: HashBits = { bits: 0, step: 0 };

/** geohashCalculateAreasByShapeWGS84: the centre cell and the neighbours worth searching, in Redis's order. */
export function areasByShape(s: GeoShape): HashBits[] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(s);
  const [longitude, latitude] = s.xy;
  let radiusMeters = s.circular ? s.radius : Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2));
  radiusMeters *= s.conversion;
  let steps = estimateStepsByRadius(radiusMeters, latitude);
  let hash = geohashEncode(WGS_LONG, WGS_LAT, longitude, latitude, steps)!;
  let n = neighbors(hash);
  let area = geohashDecode(WGS_LONG, WGS_LAT, hash)!;
  const dec = (h: HashBits): Area => geohashDecode(WGS_LONG, WGS_LAT, h)!;
  const decrease =
    dec(n.north).latitude.max < maxLat ||
    dec(n.south).latitude.min > minLat ||
    dec(n.east).longitude.max < maxLon ||
    dec(n.west).longitude.min > minLon;
  if (steps > 1 && decrease) {
    steps--;
    hash = geohashEncode(WGS_LONG, WGS_LAT, longitude, latitude, steps)!;
    n = neighbors(hash);
    area = geohashDecode(WGS_LONG, WGS_LAT, hash)!;
  }
  if (steps >= 2) {
    if (area.latitude.min < minLat) n.south = n.south_west = n.south_east = ZERO_HASH;
    if (area.latitude.max > maxLat) n.north = n.north_east = n.north_west = ZERO_HASH;
    if (area.longitude.min < minLon) n.west = n.south_west = n.north_west = ZERO_HASH;
    if (area.longitude.max > maxLon) n.east = n.south_east = n.north_east = ZERO_HASH;
  }
  return [hash, n.north, n.south, n.east, n.west, n.north_east, n.north_west, n.south_east, n.south_west];
}

// ---------------------------------------------------------------- distances

export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** geohashGetDistance: haversine on Redis's earth radius. */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/** geoWithinShape after decoding: the distance when the point is inside the shape, else null. */
export function distanceInShape(s: GeoShape, x: number, y: number): number | null {
  if (s.circular) {
    const d = geoDistance(s.xy[0], s.xy[1], x, y);
    return d > s.radius * s.conversion ? null : d;
  }
  const w = s.width * s.conversion;
  const h = s.height * s.conversion;
  if (latDistance(y, s.xy[1]) > h / 2) return null;
  if (geoDistance(x, y, s.xy[0], y) > w / 2) return null;
  return geoDistance(s.xy[0], s.xy[1], x, y);
}
