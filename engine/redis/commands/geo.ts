// Geo commands (geo.c of Redis 7.0.15): GEOADD (as ZADD of 52-bit geohash scores), GEODIST, GEOHASH,
// GEOPOS; the searches (GEORADIUS*, GEOSEARCH*) are in geo-search.ts. Geo sets are sorted sets.
import { NIL, NIL_ARRAY, bulk, err, type Reply, type Resp } from '../../net/resp.ts';
import {
  GEO_STEP_MAX,
  align52,
  decodeScore,
  geoDistance,
  geohashEncode,
  geohashEncodeWGS84,
} from '../keyspace/geohash.ts';
import { NOTIFY_ZSET, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import { specBuilder, type CommandContext, type CommandSpec } from './context.ts';
import { geoCommandsSearch } from './geo-search.ts';
import { WRONGTYPE, distanceString, extractLongLat, extractUnit, humanDouble } from './geo-common.ts';
import { ERR_SYNTAX } from './util.ts';
import { getZset } from './zsets-common.ts';
import { zsetCommands } from './zsets.ts';

const zaddSpec = (): CommandSpec => zsetCommands.find((s) => s.name === 'zadd')!;

/** Run another command's handler with a different argv; counts what it dirtied. */
function runAs(ctx: CommandContext, argv: string[], spec: CommandSpec): { reply: Reply | undefined; dirtied: number } {
  let dirtied = 0;
  const sub = new Proxy(ctx, {
    get(t, p) {
      if (p === 'argv') return argv;
      if (p === 'dirty')
        return (n = 1): void => {
          dirtied += n;
          t.dirty(n);
        };
      const v = Reflect.get(t, p, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return { reply: spec.handler(sub), dirtied };
}

/** GEOADD key [NX|XX] [CH] lon lat member ...: rewritten as ZADD (replaceClientCommandVector), propagated so. */
function geoadd(ctx: CommandContext): Reply | undefined {
  const { argv } = ctx;
  let xx = false;
  let nx = false;
  let longidx = 2;
  for (; longidx < argv.length; longidx++) {
    const o = argv[longidx]!.toLowerCase();
    if (o === 'nx') nx = true;
    else if (o === 'xx') xx = true;
    else if (o !== 'ch') break;
  }
  if ((argv.length - longidx) % 3 || (xx && nx)) return err(ERR_SYNTAX);
  const elements = (argv.length - longidx) / 3;
  const zargv = ['zadd', ...argv.slice(1, longidx)];
  for (let i = 0; i < elements; i++) {
    const base = longidx + i * 3;
    const xy = extractLongLat(argv[base]!, argv[base + 1]!);
    if (!Array.isArray(xy)) return xy;
    const hash = geohashEncodeWGS84(xy[0], xy[1], GEO_STEP_MAX)!;
    zargv.push(String(align52(hash)), argv[base + 2]!);
  }
  const { reply, dirtied } = runAs(ctx, zargv, zaddSpec());
  if (dirtied > 0) {
    ctx.propagate(zargv);
    notifyKeyspaceEvent(ctx, NOTIFY_ZSET, 'zadd', argv[1]!);
  }
  return reply;
}

function geodist(ctx: CommandContext): Resp {
  const { argv } = ctx;
  let toMeter = 1;
  if (argv.length === 5) {
    const u = extractUnit(argv[4]!);
    if (typeof u !== 'number') return u;
    toMeter = u;
  } else if (argv.length > 5) return err(ERR_SYNTAX);
  const z = getZset(ctx, argv[1]!, false);
  if (z === undefined) return NIL;
  if (z === 'wrong') return WRONGTYPE;
  const s1 = z.v.score(argv[2]!);
  const s2 = z.v.score(argv[3]!);
  if (s1 === undefined || s2 === undefined) return NIL;
  const [x1, y1] = decodeScore(s1);
  const [x2, y2] = decodeScore(s2);
  return bulk(distanceString(geoDistance(x1, y1, x2, y2) / toMeter));
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

function geohashCommand(ctx: CommandContext): Resp {
  const z = getZset(ctx, ctx.argv[1]!, false);
  if (z === 'wrong') return WRONGTYPE;
  const out: Resp[] = [];
  for (let j = 2; j < ctx.argv.length; j++) {
    const score = z?.v.score(ctx.argv[j]!);
    if (score === undefined) {
      out.push(NIL);
      continue;
    }
    // re-encode with the standard latitude range -90..90 for a standard geohash string
    const [x, y] = decodeScore(score);
    const h = geohashEncode({ min: -180, max: 180 }, { min: -90, max: 90 }, x, y, 26);
    const bits = h ? h.bits : 0;
    let s = '';
    for (let i = 0; i < 11; i++) {
      const idx = i === 10 ? 0 : Math.floor(bits / 2 ** (52 - (i + 1) * 5)) % 32;
      s += GEOALPHABET[idx];
    }
    out.push(bulk(s));
  }
  return { t: 'array', v: out };
}

function geopos(ctx: CommandContext): Reply {
  const z = getZset(ctx, ctx.argv[1]!, false);
  if (z === 'wrong') return WRONGTYPE;
  const out: Reply[] = [];
  for (let j = 2; j < ctx.argv.length; j++) {
    const score = z?.v.score(ctx.argv[j]!);
    if (score === undefined) {
      out.push(NIL_ARRAY);
      continue;
    }
    const [x, y] = decodeScore(score);
    out.push({ t: 'array', v: [humanDouble(x), humanDouble(y)] });
  }
  return { t: 'array', v: out };
}

const spec = specBuilder('geo');

export const geoCommands: CommandSpec[] = [
  spec('geoadd', -5, ['write', 'denyoom'], [1, 1, 1], '3.2.0', 'Add one or more geospatial items in the geospatial index represented using a sorted set', geoadd),
  spec('geodist', -4, ['readonly'], [1, 1, 1], '3.2.0', 'Returns the distance between two members of a geospatial index', geodist),
  spec('geohash', -2, ['readonly'], [1, 1, 1], '3.2.0', 'Returns members of a geospatial index as standard geohash strings', geohashCommand),
  spec('geopos', -2, ['readonly'], [1, 1, 1], '3.2.0', 'Returns longitude and latitude of members of a geospatial index', geopos),
  ...geoCommandsSearch,
];
