// Generators for the geo commands (issue 17 item 4): GEOADD with NX/XX/CH and bad coordinates,
// GEODIST in every unit, GEOHASH, GEOPOS, GEORADIUS[BYMEMBER][_RO] and GEOSEARCH[STORE] with every
// option (ANY/COUNT/ASC/DESC/WITH*/STORE/STOREDIST), over points around Sicily and at the edges.
import type { Gen } from './gen-base.ts';

const PLACES: [string, string, string][] = [
  ['13.361389', '38.115556', 'Palermo'], ['15.087269', '37.502669', 'Catania'], ['12.758489', '38.788135', 'edge1'],
  ['13.583333', '37.316667', 'Agrigento'], ['15.554', '38.193', 'Messina'], ['14.0', '37.5', 'Enna'],
  ['-122.4194', '37.7749', 'SF'], ['-73.935242', '40.730610', 'NYC'], ['2.3522', '48.8566', 'Paris'],
  ['180', '85.05112878', 'corner'], ['-180', '-85.05112878', 'corner2'], ['0', '0', 'origin'], ['179.99', '0.01', 'dateline'],
  ['13.361389', '38.115556', 'Palermo2'], ['151.2093', '-33.8688', 'Sydney'], ['-0.1276', '51.5072', 'London'],
];
const BAD: [string, string][] = [['181', '10'], ['10', '86'], ['x', '10'], ['10', 'nan'], ['-180.0001', '0'], ['inf', '0']];

const unit = (g: Gen): string => (g.chance(0.04) ? g.pick(['miles', 'cm', '']) : g.word(g.pick(['m', 'km', 'mi', 'ft'])));
const radius = (g: Gen): string => (g.chance(0.04) ? g.pick(['-1', 'x', '']) : g.pick(['0', '1', '10', '100', '200', '500', '1000', '5000', '20000', '50000']));
const member = (g: Gen): string => (g.chance(0.1) ? g.pick(['nomember', 'a']) : g.pick(PLACES)[2]);
function place(g: Gen): [string, string] {
  if (g.chance(0.04)) return g.pick(BAD);
  const p = g.pick(PLACES);
  return [p[0], p[1]];
}

function options(g: Gen, allowStore: boolean, search: boolean): string[] {
  const out: string[] = [];
  for (const w of ['WITHDIST', 'WITHHASH', 'WITHCOORD']) if (g.chance(0.3)) out.push(g.word(w));
  if (g.chance(0.4)) out.push(g.word(g.pick(['ASC', 'DESC'])));
  if (g.chance(0.4)) {
    out.push(g.word('COUNT'), g.chance(0.05) ? g.pick(['0', '-1', 'x']) : g.pick(['1', '2', '3', '5', '100']));
    if (g.chance(0.3)) out.push(g.word('ANY'));
  } else if (g.chance(0.03)) out.push('ANY');
  if (allowStore && g.chance(0.15)) out.push(g.word(search ? 'STOREDIST' : g.pick(['STORE', 'STOREDIST'])), ...(search ? [] : [g.key()]));
  if (g.chance(0.02)) out.push('foo');
  return out;
}

function from(g: Gen): string[] {
  if (g.chance(0.5)) return [g.word('FROMMEMBER'), member(g)];
  return [g.word('FROMLONLAT'), ...place(g)];
}
function by(g: Gen): string[] {
  if (g.chance(0.5)) return [g.word('BYRADIUS'), radius(g), unit(g)];
  return [g.word('BYBOX'), radius(g), radius(g), unit(g)];
}

export function genGeo(g: Gen): string[] {
  const k = g.key();
  switch (g.int(0, 17)) {
    case 0:
    case 1:
    case 2: {
      const argv = ['geoadd', k];
      for (const f of ['NX', 'XX', 'CH']) if (g.chance(0.1)) argv.push(g.word(f));
      for (let i = g.int(1, 4); i > 0; i--) argv.push(...place(g), member(g));
      if (g.chance(0.03)) argv.push('1');
      return argv;
    }
    case 3:
      return ['geodist', k, member(g), member(g), ...(g.chance(0.6) ? [unit(g)] : []), ...(g.chance(0.03) ? ['x'] : [])];
    case 4:
      return ['geohash', k, ...Array.from({ length: g.int(0, 3) }, () => member(g))];
    case 5:
      return ['geopos', k, ...Array.from({ length: g.int(0, 3) }, () => member(g))];
    case 6:
    case 7: {
      const ro = g.chance(0.3);
      return [ro ? 'georadius_ro' : 'georadius', k, ...place(g), radius(g), unit(g), ...options(g, !ro, false)];
    }
    case 8:
    case 9: {
      const ro = g.chance(0.3);
      return [ro ? 'georadiusbymember_ro' : 'georadiusbymember', k, member(g), radius(g), unit(g), ...options(g, !ro, false)];
    }
    case 10:
    case 11:
    case 12: {
      const parts = [from(g), by(g)];
      if (g.chance(0.05)) parts.pop();
      if (g.chance(0.05)) parts.push(from(g));
      return [g.word('GEOSEARCH'), k, ...parts.flat(), ...options(g, false, true)];
    }
    case 13:
    case 14:
      return ['geosearchstore', g.key(), k, from(g), by(g), ...options(g, true, true)].flat();
    case 15:
      return ['zrange', k, '0', '-1', 'withscores'];
    case 16:
      return ['zadd', k, g.pick(['1', '3471579339700058', '-5', '4503599627370496']), member(g)];
    default:
      return ['del', k];
  }
}
