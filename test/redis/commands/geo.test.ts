// Geo commands: 52-bit scores, distances, geohash strings, search order and reply formats (values from
// redis-server 7.0.15), GEOADD propagated as ZADD, STORE variants.
import { describe, expect, it } from 'vitest';
import { NIL, bulk, err, int, type Resp } from '../../../engine/net/resp.ts';
import { geoCommands } from '../../../engine/redis/commands/geo.ts';
import { zsetCommands } from '../../../engine/redis/commands/zsets.ts';
import { genericCommands } from '../../../engine/redis/commands/generic.ts';
import { createHarness, type Harness } from '../harness.ts';

const arr = (...v: Resp[]): Resp => ({ t: 'array', v });
const b = (...v: string[]): Resp[] => v.map((s) => bulk(s));

function mk(): Harness {
  const h = createHarness([...geoCommands, ...zsetCommands, ...genericCommands]);
  h.run('geoadd', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania');
  return h;
}

describe('GEOADD / GEODIST / GEOHASH / GEOPOS', () => {
  it('scores, distances and formats', () => {
    const h = mk();
    const rows: [string[], Resp][] = [
      [['zscore', 'g', 'Palermo'], bulk('3479099956230698')],
      [['geodist', 'g', 'Palermo', 'Catania', 'km'], bulk('166.2742')],
      [['geodist', 'g', 'Palermo', 'nomember'], NIL],
      [['geohash', 'g', 'Palermo', 'Catania', 'x'], arr(...b('sqc8b49rny0', 'sqdtr74hyu0'), NIL)],
      [['geopos', 'g', 'Palermo'], arr(arr(...b('13.36138933897018433', '38.11555639549629859')))],
      [['geoadd', 'g', '200', '10', 'x'], err('ERR invalid longitude,latitude pair 200.000000,10.000000')],
      [['geoadd', 'g', 'xx', 'nx', '1', '1', 'x'], err('ERR syntax error')],
      [['geoadd', 'g', 'ch', '13.361389', '38.115556', 'Palermo', '1', '1', 'one'], int(1)],
      [['geodist', 'g', 'Palermo', 'Catania', 'parsec'], err('ERR unsupported unit provided. please use M, KM, FT, MI')],
    ];
    for (const [argv, want] of rows) expect(h.run(...argv), argv.join(' ')).toEqual(want);
  });

  it('GEOADD propagates as ZADD of the scores', () => {
    const h = mk();
    expect(h.propagated).toEqual([['zadd', 'g', '3479099956230698', 'Palermo', '3479447370796909', 'Catania']]);
    h.run('geoadd', 'g', 'nx', '13.361389', '38.115556', 'Palermo');
    expect(h.propagated.length).toBe(1); // nothing changed: nothing propagated
  });
});

describe('GEORADIUS / GEOSEARCH', () => {
  it('order, WITH* options, COUNT', () => {
    const h = mk();
    expect(h.run('georadius', 'g', '15', '37', '200', 'km', 'withdist', 'withcoord', 'withhash', 'asc')).toEqual(
      arr(
        arr(bulk('Catania'), bulk('56.4413'), int(3479447370796909), arr(...b('15.08726745843887329', '37.50266842333162032'))),
        arr(bulk('Palermo'), bulk('190.4424'), int(3479099956230698), arr(...b('13.36138933897018433', '38.11555639549629859'))),
      ),
    );
    expect(h.run('geosearch', 'g', 'fromlonlat', '15', '37', 'byradius', '200', 'km', 'count', '1', 'desc')).toEqual(arr(bulk('Palermo')));
    expect(h.run('geosearch', 'g', 'frommember', 'Palermo', 'bybox', '400', '400', 'km', 'asc')).toEqual(arr(...b('Palermo', 'Catania')));
    expect(h.run('geosearch', 'g', 'bybox', '1', '1', 'km', 'asc')).toEqual(err('ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch'));
    expect(h.run('georadius', 'g', '15', '37', '200', 'km', 'any')).toEqual(err('ERR the ANY argument requires COUNT argument'));
    expect(h.run('georadius', 'g', '15', '37', '200', 'km', 'count', '0')).toEqual(err('ERR COUNT must be > 0'));
    expect(h.run('georadius', 'g', '15', '37', '200', 'km', 'withdist', 'store', 'x')).toEqual(
      err('ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options'),
    );
  });

  it('STORE / STOREDIST write a sorted set and propagate the command itself', () => {
    const h = mk();
    expect(h.run('georadius', 'g', '15', '37', '200', 'km', 'storedist', 'd')).toEqual(int(2));
    expect(h.run('zrange', 'd', '0', '-1')).toEqual(arr(...b('Catania', 'Palermo')));
    expect(h.propagated.at(-1)).toEqual(['georadius', 'g', '15', '37', '200', 'km', 'storedist', 'd']);
    expect(h.run('geosearchstore', 'd', 'g', 'fromlonlat', '0', '0', 'byradius', '1', 'm')).toEqual(int(0));
    expect(h.run('exists', 'd')).toEqual(int(0));
  });
});
