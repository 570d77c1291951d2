// Sorted sets: ZADD/ZINCRBY/ZREM/ZSCORE/ZMSCORE/ZRANK/ZCARD/ZSCAN. Expected replies were recorded from a real
// Redis 7.0.15 (scores print as "%.17g": 1.1 → 1.1000000000000001).
import { describe, expect, it } from 'vitest';
import { EMPTY_ARRAY, NIL, arr, bulk, bulks, err, int, type Resp } from '../../../engine/net/resp.ts';
import { zsetCommands } from '../../../engine/redis/commands/zsets.ts';
import type { Harness } from '../harness.ts';
import { NOT_INT, SYNTAX, WRONGTYPE, exists, zfresh as zfreshWith } from './zset-fixtures.ts';

const zfresh = (): Harness => zfreshWith();

function script(steps: [string[], Resp][]): Harness {
  const h = zfresh();
  for (const [argv, want] of steps) expect(h.run(...argv), argv.join(' ')).toEqual(want);
  return h;
}

describe('ZADD / ZINCRBY / lookups (recorded from Redis 7.0.15)', () => {
  it('replies and errors', () => {
    script([
      [['zadd', 'z', '1', 'a', '2', 'b', '3', 'c'], int(3)],
      [['zadd', 'z', '1.1', 'd', '0.1', 'e', '-0.0', 'f', '1e100', 'g', '5e-324', 'h', 'inf', 'i', '-inf', 'j'], int(7)],
      [['zrange', 'z', '0', '-1', 'withscores'], bulks(['j', '-inf', 'f', '0', 'h', '4.9406564584124654e-324', 'e', '0.10000000000000001', 'a', '1', 'd', '1.1000000000000001', 'b', '2', 'c', '3', 'g', '1e+100', 'i', 'inf'])],
      [['zadd', 'z', 'nan', 'x'], err('ERR value is not a valid float')],
      [['zadd', 'z', '1', 'x', 'nan', 'y'], err('ERR value is not a valid float')],
      [['zadd', 'z', 'abc', 'x'], err('ERR value is not a valid float')],
      [['zadd', 'z', ' 1', 'x'], err('ERR value is not a valid float')],
      [['zadd', 'z', '1 ', 'x'], err('ERR value is not a valid float')],
      [['zadd', 'z', '', 'x'], err('ERR value is not a valid float')],
      [['zadd', 'z', '1e400', 'x'], err('ERR value is not a valid float')],
      [['zadd', 'z', '1e-400', 'x'], err('ERR value is not a valid float')],
      [['zadd', 'z', '0x10', 'hex', '+inf', 'pinf', '1.', 'dot', '.5', 'dot2', '-1E-2', 'e2'], int(5)],
      [['zmscore', 'z', 'hex', 'pinf', 'dot', 'dot2', 'e2'], bulks(['16', 'inf', '1', '0.5', '-0.01'])],
      [['zadd', 'z', 'Infinity', 'x'], int(1)],
      [['zadd', 'z', 'xx', 'nx', '1', 'a'], err('ERR XX and NX options at the same time are not compatible')],
      [['zadd', 'z', 'gt', 'nx', '1', 'a'], err('ERR GT, LT, and/or NX options at the same time are not compatible')],
      [['zadd', 'z', 'gt', 'lt', '1', 'a'], err('ERR GT, LT, and/or NX options at the same time are not compatible')],
      [['zadd', 'z', 'lt', 'nx', '1', 'a'], err('ERR GT, LT, and/or NX options at the same time are not compatible')],
      [['zadd', 'z', 'incr', '1', 'a', '2', 'b'], err('ERR INCR option supports a single increment-element pair')],
      [['zadd', 'z', 'incr', 'xx', 'nx', '1', 'a'], err('ERR XX and NX options at the same time are not compatible')],
      [['zadd', 'z', '1'], err('ERR wrong number of arguments for \'zadd\' command')],
      [['zadd', 'z', '1', 'a', '2'], SYNTAX],
      [['zadd', 'z', 'nx'], err('ERR wrong number of arguments for \'zadd\' command')],
      [['zadd', 'z', 'incr', '5', 'a'], bulk('6')],
      [['zadd', 'z', 'incr', 'nx', '5', 'a'], NIL],
      [['zadd', 'z', 'incr', 'xx', '5', 'nosuch'], NIL],
      [['zadd', 'nokey', 'xx', '1', 'a'], int(0)],
      [['zadd', 'nokey', 'xx', 'incr', '1', 'a'], NIL],
      [['exists', 'nokey'], int(0)],
      [['zadd', 'z', 'gt', 'ch', '0', 'a', '100', 'b', '1', 'new'], int(2)],
      [['zadd', 'z', 'lt', 'ch', '0', 'a', '100', 'b', '1', 'new2'], int(2)],
      [['zadd', 'z', 'xx', 'ch', '9', 'a', '9', 'zz'], int(1)],
      [['zadd', 'z', 'ch', '9', 'a', '9', 'b'], int(1)],
      [['zadd', 'z', 'NX', 'CH', '7', 'a', '7', 'n3'], int(1)],
      [['zadd', 'z', 'incr', 'gt', '-1', 'a'], NIL],
      [['zadd', 'z', 'incr', 'lt', '-1', 'a'], bulk('8')],
      [['zadd', 'z', 'incr', '-inf', 'i'], err('ERR resulting score is not a number (NaN)')],
      [['zincrby', 'z', '-inf', 'i'], err('ERR resulting score is not a number (NaN)')],
      [['zincrby', 'z', '1', 'newmember'], bulk('1')],
      [['zincrby', 'z', 'abc', 'a'], err('ERR value is not a valid float')],
      [['zincrby', 'z', 'nx', 'a'], SYNTAX],
      [['zincrby', 'z', '0.1', 'e'], bulk('0.20000000000000001')],
      [['zincrby', 'nokey2', '2.5', 'm'], bulk('2.5')],
      [['zincrby', 'str', '1', 'a'], WRONGTYPE],
      [['zadd', 'str', '1', 'a'], WRONGTYPE],
      [['zscore', 'z', 'e'], bulk('0.20000000000000001')],
      [['zscore', 'z', 'nosuch'], NIL],
      [['zscore', 'nokey', 'a'], NIL],
      [['zscore', 'str', 'a'], WRONGTYPE],
      [['zmscore', 'z', 'a', 'nosuch', 'e'], arr([bulk('8'), NIL, bulk('0.20000000000000001')])],
      [['zmscore', 'nokey', 'a', 'b'], arr([NIL, NIL])],
      [['zmscore', 'str', 'a'], WRONGTYPE],
      [['zrank', 'z', 'a'], int(13)],
      [['zrevrank', 'z', 'a'], int(6)],
      [['zrank', 'z', 'nosuch'], NIL],
      [['zrank', 'nokey', 'a'], NIL],
      [['zrank', 'str', 'a'], WRONGTYPE],
      [['zrevrank', 'str', 'a'], WRONGTYPE],
      [['zcard', 'z'], int(20)],
      [['zcard', 'nokey'], int(0)],
      [['zcard', 'str'], WRONGTYPE],
      [['zrem', 'z', 'dot', 'dot2', 'nosuch'], int(2)],
      [['zrem', 'nokey', 'a'], int(0)],
      [['zrem', 'str', 'a'], WRONGTYPE],
      [['zadd', 'one', '1', 'a'], int(1)],
      [['zrem', 'one', 'a', 'b'], int(1)],
      [['exists', 'one'], int(0)],
    ]);
  });
});

describe('ZADD key rules', () => {
  it('touches and dirties by added + updated; nothing for no-ops', () => {
    const h = zfresh();
    h.run('zadd', 'z', '1', 'a', '2', 'b');
    expect(h.touched).toEqual(['0:z']);
    expect(h.propagated).toEqual([['zadd', 'z', '1', 'a', '2', 'b']]);
    h.touched.length = 0;
    h.propagated.length = 0;
    h.run('zadd', 'z', 'nx', '5', 'a');
    h.run('zadd', 'z', '1', 'a');
    h.run('zadd', 'z', 'xx', '1', 'nosuch');
    h.run('zadd', 'z', 'incr', 'inf', 'a');
    expect(h.touched).toEqual(['0:z']);
    expect(h.propagated).toEqual([['zadd', 'z', 'incr', 'inf', 'a']]);
    expect(h.run('zadd', 'z', 'incr', '-inf', 'a')).toEqual(err('ERR resulting score is not a number (NaN)'));
    expect(h.run('zscore', 'z', 'a')).toEqual(bulk('inf'));
    expect(h.propagated.length).toBe(1);
  });

  it('ZINCRBY is propagated verbatim and returns the new score', () => {
    const h = zfresh();
    expect(h.run('zincrby', 'z', '1.5', 'm')).toEqual(bulk('1.5'));
    expect(h.run('zincrby', 'z', '1', 'm')).toEqual(bulk('2.5'));
    expect(h.propagated).toEqual([
      ['zincrby', 'z', '1.5', 'm'],
      ['zincrby', 'z', '1', 'm'],
    ]);
  });

  it('ZADD INCR replies the computed score even when a listpack stores -0 as 0', () => {
    const h = zfresh();
    expect(h.run('zadd', 'z', 'incr', '-0', 'm')).toEqual(bulk('-0'));
    expect(h.run('zscore', 'z', 'm')).toEqual(bulk('0'));
  });

  it('ZREM of the last member deletes the key and propagates', () => {
    const h = zfresh();
    h.run('zadd', 'z', '1', 'a');
    h.propagated.length = 0;
    expect(h.run('zrem', 'z', 'a', 'b')).toEqual(int(1));
    expect(h.ks.db(0).peek('z')).toBeUndefined();
    expect(h.run('zrem', 'z', 'a')).toEqual(int(0));
    expect(h.propagated).toEqual([['zrem', 'z', 'a', 'b']]);
  });

  it('encodings: listpack, then skiplist past 128 members or a 65-byte member', () => {
    const h = zfresh();
    h.run('zadd', 'z', ...Array.from({ length: 128 }, (_, i) => [String(i), `m${i}`]).flat());
    const z = () => (h.ks.db(0).peek('z') as { v: { encoding: string } }).v.encoding;
    expect(z()).toBe('listpack');
    h.run('zadd', 'z', '1', 'one-more');
    expect(z()).toBe('skiplist');
    h.run('zadd', 'y', '1', 'x'.repeat(65));
    expect((h.ks.db(0).peek('y') as { v: { encoding: string } }).v.encoding).toBe('skiplist');
  });
});

describe('ZSCAN (recorded from Redis 7.0.15)', () => {
  it('a listpack is returned whole, scores as the listpack stores them', () => {
    script([
      [['zadd', 'sc', '1', 'a', '2.5', 'b', '1152921504606846976', 'c', '-0.0', 'd', '1e20', 'e', '0.1', 'f', 'inf', 'g'], int(7)],
      [['zscan', 'sc', '0'], arr([bulk('0'), bulks(['d', '0', 'f', '0.10000000000000001', 'a', '1', 'b', '2.5', 'c', '1152921504606846976', 'e', '1e+20', 'g', 'inf'])])],
      [['zscan', 'sc', '0', 'match', 'a'], arr([bulk('0'), bulks(['a', '1'])])],
      [['zscan', 'sc', '0', 'MATCH', '*', 'COUNT', '1'], arr([bulk('0'), bulks(['d', '0', 'f', '0.10000000000000001', 'a', '1', 'b', '2.5', 'c', '1152921504606846976', 'e', '1e+20', 'g', 'inf'])])],
      [['zscan', 'sc', '0', 'count', '0'], SYNTAX],
      [['zscan', 'sc', '0', 'count', 'x'], NOT_INT],
      [['zscan', 'sc', '0', 'match'], SYNTAX],
      [['zscan', 'sc', 'x'], err('ERR invalid cursor')],
      [['zscan', 'sc', '-1'], arr([bulk('0'), bulks(['d', '0', 'f', '0.10000000000000001', 'a', '1', 'b', '2.5', 'c', '1152921504606846976', 'e', '1e+20', 'g', 'inf'])])],
      [['zscan', 'nokey', '0'], arr([bulk('0'), EMPTY_ARRAY])],
      [['zscan', 'nokey', '0', 'count', '0'], arr([bulk('0'), EMPTY_ARRAY])],
      [['zscan', 'str', '0'], WRONGTYPE],
      [['zrange', 'sc', '0', '-1', 'withscores'], bulks(['d', '0', 'f', '0.10000000000000001', 'a', '1', 'b', '2.5', 'c', '1.152921504606847e+18', 'e', '1e+20', 'g', 'inf'])],
    ]);
  });

  it('a skiplist prints scores with %.17g and keeps -0', () => {
    const long = 'x'.repeat(77);
    const h = script([
      [['zadd', 'big', '-0.0', long, '1152921504606846976', 'c'], int(2)],
      [['zrange', 'big', '0', '-1', 'withscores'], bulks([long, '-0', 'c', '1.152921504606847e+18'])],
    ]);
    const r = h.run('zscan', 'big', '0');
    const [cursor, items] = r.v as [Resp, Resp];
    expect(cursor).toEqual(bulk('0'));
    const flat = (items.v as Resp[]).map((x) => x.v as string);
    const pairs = [0, 2].map((i) => `${flat[i]}=${flat[i + 1]}`).sort();
    expect(pairs).toEqual(['c=1.152921504606847e+18', `${long}=-0`]);
  });

  it('a skiplist is iterated fully with a cursor', () => {
    const h = zfresh();
    h.run('zadd', 'z', ...Array.from({ length: 500 }, (_, i) => [String(i / 2), `m${i}`]).flat());
    const seen = new Map<string, string>();
    let cursor = '0';
    do {
      const [c, items] = h.run('zscan', 'z', cursor, 'count', '25').v as [Resp, Resp];
      cursor = c.v as string;
      const flat = (items.v as Resp[]).map((x) => x.v as string);
      for (let i = 0; i < flat.length; i += 2) seen.set(flat[i]!, flat[i + 1]!);
    } while (cursor !== '0');
    expect(seen.size).toBe(500);
    expect(seen.get('m3')).toBe('1.5');
  });
});

describe('command table', () => {
  it('matches Redis 7.0.15 arity, flags and key positions', () => {
    const t = Object.fromEntries(zsetCommands.map((s) => [s.name, [s.arity, s.flags.join(','), s.firstKey, s.lastKey, s.keyStep]]));
    expect(t.zadd).toEqual([-4, 'write,denyoom,fast', 1, 1, 1]);
    expect(t.zrangestore).toEqual([-5, 'write,denyoom', 1, 2, 1]);
    expect(t.zunionstore).toEqual([-4, 'write,denyoom', 1, 1, 1]);
    expect(t.zunion).toEqual([-3, 'readonly', 0, 0, 0]);
    expect(t.bzpopmin).toEqual([-3, 'write,noscript,blocking,fast', 1, -2, 1]);
    expect(t.bzmpop).toEqual([-5, 'write,blocking', 0, 0, 0]);
    expect(t.zmpop).toEqual([-4, 'write', 0, 0, 0]);
    expect(t.zremrangebyrank).toEqual([4, 'write', 1, 1, 1]);
    expect(t.zrandmember).toEqual([-2, 'readonly', 1, 1, 1]);
    expect(zsetCommands.length).toBe(35);
    expect(new Set(zsetCommands.map((s) => s.name)).size).toBe(35);
    expect(zsetCommands.every((s) => s.group === 'sorted-set')).toBe(true);
  });
});
