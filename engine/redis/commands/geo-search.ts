// GEORADIUS, GEORADIUSBYMEMBER (+ _RO), GEOSEARCH, GEOSEARCHSTORE: georadiusGeneric of geo.c (Redis
// 7.0.15). Candidates come from the centre geohash cell and its neighbours in Redis's order, by score.
import { EMPTY_ARRAY, ZERO, bulk, err, int, type Reply, type Resp } from '../../net/resp.ts';
import { areasByShape, decodeScore, distanceInShape, type GeoShape, type HashBits } from '../keyspace/geohash.ts';
import { NOTIFY_GENERIC, NOTIFY_ZSET, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import { ZSet } from '../keyspace/zset.ts';
import { specBuilder, type CommandContext, type CommandSpec } from './context.ts';
import { WRONGTYPE, distanceString, extractLongLat, extractUnit, humanDouble } from './geo-common.ts';
import { pqsort } from './pqsort.ts';
import { ERR_NOT_INT, ERR_SYNTAX, parseDouble, parseInt64 } from './util.ts';

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

interface GeoPoint {
  lon: number;
  lat: number;
  dist: number;
  score: number;
  member: string;
}

/** extractDistanceOrReply: [radius, metres per unit]. */
function extractDistance(argv: readonly string[], i: number): [number, number] | Resp {
  const d = parseDouble(argv[i]!);
  if (d === null) return err('ERR need numeric radius');
  if (d < 0) return err('ERR radius cannot be negative');
  const u = extractUnit(argv[i + 1]!);
  return typeof u === 'number' ? [d, u] : u;
}

/** extractBoxOrReply: [width, height, metres per unit]. */
function extractBox(argv: readonly string[], i: number): [number, number, number] | Resp {
  const w = parseDouble(argv[i]!);
  if (w === null) return err('ERR need numeric width');
  const h = parseDouble(argv[i + 1]!);
  if (h === null) return err('ERR need numeric height');
  if (h < 0 || w < 0) return err('ERR height or width cannot be negative');
  const u = extractUnit(argv[i + 2]!);
  return typeof u === 'number' ? [w, h, u] : u;
}

/** membersOfAllNeighbors: points of the 9 cells within the shape, stopping at `limit` (ANY). */
function collect(z: ZSet, cells: HashBits[], shape: GeoShape, limit: number): GeoPoint[] {
  const ga: GeoPoint[] = [];
  let last = -1;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (c.bits === 0 && c.step === 0) continue;
    // huge radii make adjacent neighbours equal: skip a cell equal to the last processed one
    if (last > 0 && c.bits === cells[last]!.bits && c.step === cells[last]!.step) continue;
    if (ga.length && limit && ga.length >= limit) break;
    const shift = 2 ** (52 - c.step * 2);
    const min = c.bits * shift;
    const max = (c.bits + 1) * shift;
    let idx = z.firstInScoreRange({ min, max, minex: false, maxex: true });
    if (idx >= 0) {
      for (const e of z.iterate(idx)) {
        if (!(e.score < max)) break;
        const [lon, lat] = decodeScore(e.score);
        const dist = distanceInShape(shape, lon, lat);
        if (dist !== null) ga.push({ lon, lat, dist, score: e.score, member: e.member });
        if (ga.length && limit && ga.length >= limit) break;
        idx++;
      }
    }
    last = i;
  }
  return ga;
}

const cmpAsc = (a: GeoPoint, b: GeoPoint): number => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1);
const cmpDesc = (a: GeoPoint, b: GeoPoint): number => -cmpAsc(a, b);

function georadiusGeneric(ctx: CommandContext, srcKeyIndex: number, flags: number): Reply {
  const { argv } = ctx;
  const found = ctx.db.lookupRead(argv[srcKeyIndex]!);
  if (found && found.type !== 'zset') return WRONGTYPE;
  const z = found ? (found.v as ZSet) : null;
  let storekey: string | null = null;
  let storedist = false;
  const shape: GeoShape = { circular: true, xy: [0, 0], conversion: 1, radius: 0, width: 0, height: 0 };
  let baseArgs: number;
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    const xy = extractLongLat(argv[2]!, argv[3]!);
    if (!Array.isArray(xy)) return xy;
    shape.xy = xy;
    const d = extractDistance(argv, 4);
    if (!Array.isArray(d)) return d;
    [shape.radius, shape.conversion] = d;
  } else if (flags & RADIUS_MEMBER && !z) {
    baseArgs = 5;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    const score = z!.score(argv[2]!);
    if (score === undefined) return err('ERR could not decode requested zset member');
    shape.xy = decodeScore(score);
    const d = extractDistance(argv, 3);
    if (!Array.isArray(d)) return d;
    [shape.radius, shape.conversion] = d;
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storekey = argv[1]!;
    }
  }
  let withdist = false;
  let withhash = false;
  let withcoords = false;
  let frommember = false;
  let fromloc = false;
  let byradius = false;
  let bybox = false;
  let sort = 0; // 0 none, 1 asc, 2 desc
  let any = false;
  let count = 0n;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const at = (k: number): string => argv[baseArgs + i + k]!;
    const arg = at(0).toLowerCase();
    if (arg === 'withdist') withdist = true;
    else if (arg === 'withhash') withhash = true;
    else if (arg === 'withcoord') withcoords = true;
    else if (arg === 'any') any = true;
    else if (arg === 'asc') sort = 1;
    else if (arg === 'desc') sort = 2;
    else if (arg === 'count' && i + 1 < remaining) {
      const c = parseInt64(at(1));
      if (c === null) return err(ERR_NOT_INT);
      if (c <= 0n) return err('ERR COUNT must be > 0');
      count = c;
      i++;
    } else if ((arg === 'store' || arg === 'storedist') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
      storekey = at(1);
      storedist = arg === 'storedist';
      i++;
    } else if (arg === 'storedist' && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
      storedist = true;
    } else if (arg === 'frommember' && i + 1 < remaining && flags & GEOSEARCH && !fromloc) {
      if (z) {
        const score = z.score(at(1));
        if (score === undefined) return err('ERR could not decode requested zset member');
        shape.xy = decodeScore(score);
      }
      frommember = true;
      i++;
    } else if (arg === 'fromlonlat' && i + 2 < remaining && flags & GEOSEARCH && !frommember) {
      const xy = extractLongLat(at(1), at(2));
      if (!Array.isArray(xy)) return xy;
      shape.xy = xy;
      fromloc = true;
      i += 2;
    } else if (arg === 'byradius' && i + 2 < remaining && flags & GEOSEARCH && !bybox) {
      const d = extractDistance(argv, baseArgs + i + 1);
      if (!Array.isArray(d)) return d;
      [shape.radius, shape.conversion] = d;
      shape.circular = true;
      byradius = true;
      i += 2;
    } else if (arg === 'bybox' && i + 3 < remaining && flags & GEOSEARCH && !byradius) {
      const b = extractBox(argv, baseArgs + i + 1);
      if (!Array.isArray(b)) return b;
      [shape.width, shape.height, shape.conversion] = b;
      shape.circular = false;
      bybox = true;
      i += 3;
    } else return err(ERR_SYNTAX);
  }
  if (storekey !== null && (withdist || withhash || withcoords))
    return err(`ERR ${flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  if (flags & GEOSEARCH && !(frommember || fromloc))
    return err(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`);
  if (flags & GEOSEARCH && !(byradius || bybox))
    return err(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
  if (any && !count) return err('ERR the ANY argument requires COUNT argument');
  if (!z) {
    if (storekey === null) return EMPTY_ARRAY;
    if (ctx.db.remove(storekey)) {
      ctx.touch(storekey);
      notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', storekey);
      ctx.dirty();
    }
    return ZERO;
  }
  if (count !== 0n && sort === 0 && !any) sort = 1;
  const limit = any ? Number(count) : 0;
  const ga = collect(z, areasByShape(shape), shape, limit);
  if (ga.length === 0 && storekey === null) return EMPTY_ARRAY;
  const resultLength = ga.length;
  const returned = count === 0n || BigInt(resultLength) < count ? resultLength : Number(count);
  if (sort !== 0) {
    const cmp = sort === 1 ? cmpAsc : cmpDesc;
    if (returned === resultLength) ga.sort(cmp); // glibc qsort is a (stable) merge sort
    else pqsort(ga, cmp, 0, returned - 1);
  }
  if (storekey === null) {
    const options = (withdist ? 1 : 0) + (withcoords ? 1 : 0) + (withhash ? 1 : 0);
    const out: Reply[] = [];
    for (let i = 0; i < returned; i++) {
      const gp = ga[i]!;
      const dist = gp.dist / shape.conversion;
      if (!options) {
        out.push(bulk(gp.member));
        continue;
      }
      const item: Reply[] = [bulk(gp.member)];
      if (withdist) item.push(bulk(distanceString(dist)));
      if (withhash) item.push(int(gp.score));
      if (withcoords) item.push({ t: 'array', v: [humanDouble(gp.lon), humanDouble(gp.lat)] });
      out.push({ t: 'array', v: item });
    }
    return { t: 'array', v: out };
  }
  if (returned) {
    const dst = new ZSet('skiplist');
    for (let i = 0; i < returned; i++) {
      const gp = ga[i]!;
      dst.set(gp.member, storedist ? gp.dist / shape.conversion : gp.score);
    }
    dst.compact();
    ctx.db.lookupWrite(storekey); // setKey
    ctx.db.set(storekey, { type: 'zset', v: dst });
    ctx.touch(storekey);
    notifyKeyspaceEvent(ctx, NOTIFY_ZSET, flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore', storekey);
    ctx.dirty(returned);
  } else if (ctx.db.remove(storekey)) {
    ctx.touch(storekey);
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', storekey);
    ctx.dirty();
  }
  return int(returned);
}

/** The key specs of GEORADIUS[BYMEMBER]: the source, then the key after the first STORE and the first STOREDIST. */
function georadiusGetKeys(startfrom: number): (argv: readonly string[]) => number[] {
  const find = (argv: readonly string[], kw: string): number[] => {
    for (let i = startfrom; i + 1 < argv.length; i++) if (argv[i]!.toLowerCase() === kw) return [i + 1];
    return [];
  };
  return (argv) => [1, ...find(argv, 'store'), ...find(argv, 'storedist')];
}

const specBase = specBuilder('geo');
const spec: typeof specBase = (name, ...rest) => {
  const s = specBase(name, ...rest);
  if (name === 'georadius') return { ...s, getKeys: georadiusGetKeys(6) };
  return name === 'georadiusbymember' ? { ...s, getKeys: georadiusGetKeys(5) } : s;
};
const RO: ['readonly'] = ['readonly'];
const W: ['write', 'denyoom'] = ['write', 'denyoom'];
const K1: [number, number, number] = [1, 1, 1];

export const geoCommandsSearch: CommandSpec[] = [
  spec('georadius', -6, W, K1, '3.2.0', 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point', (ctx) =>
    georadiusGeneric(ctx, 1, RADIUS_COORDS),
  ),
  spec('georadius_ro', -6, RO, K1, '3.2.10', 'A read-only variant for GEORADIUS', (ctx) => georadiusGeneric(ctx, 1, RADIUS_COORDS | RADIUS_NOSTORE)),
  spec('georadiusbymember', -5, W, K1, '3.2.0', 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member', (ctx) =>
    georadiusGeneric(ctx, 1, RADIUS_MEMBER),
  ),
  spec('georadiusbymember_ro', -5, RO, K1, '3.2.10', 'A read-only variant for GEORADIUSBYMEMBER', (ctx) =>
    georadiusGeneric(ctx, 1, RADIUS_MEMBER | RADIUS_NOSTORE),
  ),
  spec('geosearch', -7, RO, K1, '6.2.0', 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.', (ctx) =>
    georadiusGeneric(ctx, 1, GEOSEARCH),
  ),
  spec('geosearchstore', -8, W, [1, 2, 1], '6.2.0', 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.', (ctx) =>
    georadiusGeneric(ctx, 2, GEOSEARCH | GEOSEARCHSTORE),
  ),
];
