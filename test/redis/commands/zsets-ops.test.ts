// ZUNION / ZINTER / ZDIFF (+STORE), ZINTERCARD: replies recorded from a real Redis 7.0.15.
import { describe, expect, it } from 'vitest';
import { EMPTY_ARRAY, bulks, err, int, type Resp } from '../../../engine/net/resp.ts';
import { setCommands } from '../../../engine/redis/commands/sets.ts';
import type { Harness } from '../harness.ts';
import { NOT_INT, SYNTAX, WRONGTYPE, exists, zfresh as zfreshWith } from './zset-fixtures.ts';

const zfresh = (): Harness => zfreshWith(...setCommands);

describe('set algebra on sorted sets (recorded from Redis 7.0.15)', () => {
  it('one long script', () => {
    const h = zfresh();
    const steps: [string[], Resp][] = [
      [['zadd', 'z', '1', 'a', '2', 'b', '3', 'c'], int(3)],
      [['zadd', 'z2', '10', 'b', '20', 'c', '30', 'd'], int(3)],
      [['sadd', 's1', 'a', 'd', 'x'], int(3)],
      [['zunion', '2', 'z', 'z2', 'withscores'], bulks(['a', '1', 'b', '12', 'c', '23', 'd', '30'])],
      [['zunion', '2', 'z', 'z2'], bulks(['a', 'b', 'c', 'd'])],
      [['zunion', '3', 'z', 'z2', 's1', 'withscores'], bulks(['x', '1', 'a', '2', 'b', '12', 'c', '23', 'd', '31'])],
      [['zunion', '2', 'z', 'z2', 'weights', '2', '3', 'withscores'], bulks(['a', '2', 'b', '34', 'c', '66', 'd', '90'])],
      [['zunion', '2', 'z', 'z2', 'WEIGHTS', '2', 'withscores'], err('ERR weight value is not a float')],
      [['zunion', '2', 'z', 'z2', 'weights', '2', 'x'], err('ERR weight value is not a float')],
      [['zunion', '2', 'z', 'z2', 'weights', '2', 'nan'], err('ERR weight value is not a float')],
      [['zunion', '2', 'z', 'z2', 'aggregate', 'min', 'withscores'], bulks(['a', '1', 'b', '2', 'c', '3', 'd', '30'])],
      [['zunion', '2', 'z', 'z2', 'AGGREGATE', 'MAX', 'withscores'], bulks(['a', '1', 'b', '10', 'c', '20', 'd', '30'])],
      [['zunion', '2', 'z', 'z2', 'aggregate', 'avg'], SYNTAX],
      [['zunion', '2', 'z', 'z2', 'aggregate'], SYNTAX],
      [['zunion', '2', 'z', 'z2', 'weights', '1', '1', 'aggregate', 'sum', 'withscores', 'withscores'], bulks(['a', '1', 'b', '12', 'c', '23', 'd', '30'])],
      [['zunion', '0', 'z'], err('ERR at least 1 input key is needed for \'zunion\' command')],
      [['zunion', '-1', 'z'], err('ERR at least 1 input key is needed for \'zunion\' command')],
      [['zunion', 'x', 'z'], NOT_INT],
      [['zunion', '3', 'z', 'z2'], SYNTAX],
      [['zunion', '2', 'z', 'str'], WRONGTYPE],
      [['zunion', '2', 'str', 'nokey'], WRONGTYPE],
      [['zunion', '1', 'nokey'], EMPTY_ARRAY],
      [['zunion', '2', 'z', 'z2', 'withscores', 'foo'], SYNTAX],
      [['zinter', '2', 'z', 'z2', 'withscores'], bulks(['b', '12', 'c', '23'])],
      [['zinter', '3', 'z', 'z2', 's1', 'withscores'], EMPTY_ARRAY],
      [['zinter', '2', 'z', 'z', 'withscores'], bulks(['a', '2', 'b', '4', 'c', '6'])],
      [['zinter', '2', 'z', 'z2', 'weights', '1', '-1', 'aggregate', 'max', 'withscores'], bulks(['b', '2', 'c', '3'])],
      [['zinter', '2', 'z', 'z2', 'aggregate', 'min', 'withscores'], bulks(['b', '2', 'c', '3'])],
      [['zinter', '2', 'z', 'nokey'], EMPTY_ARRAY],
      [['zinter', '1', 's1', 'withscores'], bulks(['a', '1', 'd', '1', 'x', '1'])],
      [['zinter', '0', 'a'], err('ERR at least 1 input key is needed for \'zinter\' command')],
      [['zintercard', '2', 'z', 'z2'], int(2)],
      [['zintercard', '2', 'z', 'z2', 'limit', '1'], int(1)],
      [['zintercard', '2', 'z', 'z2', 'LIMIT', '0'], int(2)],
      [['zintercard', '2', 'z', 'z2', 'limit', '-1'], err('ERR LIMIT can\'t be negative')],
      [['zintercard', '2', 'z', 'z2', 'limit', 'x'], err('ERR LIMIT can\'t be negative')],
      [['zintercard', '2', 'z', 'z2', 'withscores'], SYNTAX],
      [['zintercard', '2', 'z', 'z2', 'weights', '1', '1'], SYNTAX],
      [['zintercard', '2', 'z', 'z2', 'aggregate', 'sum'], SYNTAX],
      [['zintercard', '0', 'z'], err('ERR at least 1 input key is needed for \'zintercard\' command')],
      [['zintercard', '3', 'z', 'z2'], SYNTAX],
      [['zintercard', '2', 'z', 'str'], WRONGTYPE],
      [['zdiff', '2', 'z', 'z2', 'withscores'], bulks(['a', '1'])],
      [['zdiff', '2', 'z', 'z'], EMPTY_ARRAY],
      [['zdiff', '2', 'z', 'z2', 'weights', '1', '1'], SYNTAX],
      [['zdiff', '2', 'z', 'z2', 'aggregate', 'sum'], SYNTAX],
      [['zdiff', '1', 'nokey'], EMPTY_ARRAY],
      [['zdiff', '2', 'nokey', 'z'], EMPTY_ARRAY],
      [['zdiff', '2', 'z', 's1', 'withscores'], bulks(['b', '2', 'c', '3'])],
      [['zdiff', '2', 's1', 'z', 'withscores'], bulks(['d', '1', 'x', '1'])],
      [['zdiff', '3', 'z', 'nokey', 'z2'], bulks(['a'])],
      [['zunionstore', 'out', '2', 'z', 'z2'], int(4)],
      [['zrange', 'out', '0', '-1', 'withscores'], bulks(['a', '1', 'b', '12', 'c', '23', 'd', '30'])],
      [['zunionstore', 'out', '2', 'z', 'z2', 'withscores'], SYNTAX],
      [['zinterstore', 'out', '2', 'z', 'nokey'], int(0)],
      [['exists', 'out'], int(0)],
      [['zinterstore', 'out', '2', 'z', 'z2', 'aggregate', 'min'], int(2)],
      [['zrange', 'out', '0', '-1', 'withscores'], bulks(['b', '2', 'c', '3'])],
      [['zdiffstore', 'out', '2', 'z', 'z2'], int(1)],
      [['zrange', 'out', '0', '-1', 'withscores'], bulks(['a', '1'])],
      [['zdiffstore', 'out', '2', 'z', 'z2', 'withscores'], SYNTAX],
      [['zdiffstore', 'out', '1', 'nokey'], int(0)],
      [['exists', 'out'], int(0)],
      [['zunionstore', 'out', '0', 'z'], err('ERR at least 1 input key is needed for \'zunionstore\' command')],
      [['zinterstore', 'out', '0', 'z'], err('ERR at least 1 input key is needed for \'zinterstore\' command')],
      [['zdiffstore', 'out', '0', 'z'], err('ERR at least 1 input key is needed for \'zdiffstore\' command')],
      [['zunionstore', 'out', 'x', 'z'], NOT_INT],
      [['zunionstore', 'out', '2', 'z'], SYNTAX],
      [['zunionstore', 'str', '1', 'z'], int(3)],
      [['zrange', 'str', '0', '-1', 'withscores'], bulks(['a', '1', 'b', '2', 'c', '3'])],
      [['zinterstore', 'z', '2', 'z', 'z2'], int(2)],
      [['zrange', 'z', '0', '-1', 'withscores'], bulks(['b', '12', 'c', '23'])],
      [['zadd', 'infs', 'inf', 'a', '-inf', 'b', '0', 'c'], int(3)],
      [['zadd', 'infs2', '-inf', 'a', 'inf', 'b', '1', 'c'], int(3)],
      [['zunion', '2', 'infs', 'infs2', 'withscores'], bulks(['a', '0', 'b', '0', 'c', '1'])],
      [['zunion', '2', 'infs', 'infs2', 'weights', '0', '0', 'withscores'], bulks(['a', '0', 'b', '0', 'c', '0'])],
      [['zinter', '2', 'infs', 'infs2', 'withscores'], bulks(['a', '0', 'b', '0', 'c', '1'])],
      [['zinter', '2', 'infs', 'infs2', 'weights', '0', '1', 'withscores'], bulks(['a', '-inf', 'c', '1', 'b', 'inf'])],
      [['zinter', '2', 'infs', 'infs2', 'weights', '0', '1', 'aggregate', 'min', 'withscores'], bulks(['a', '-inf', 'b', '0', 'c', '0'])],
      [['zinter', '2', 'infs', 'infs2', 'weights', '1', '0', 'aggregate', 'max', 'withscores'], bulks(['b', '-inf', 'c', '0', 'a', 'inf'])],
      [['zunion', '1', 'infs', 'weights', '-0', 'withscores'], bulks(['a', '0', 'b', '0', 'c', '-0'])],
      [['zunion', '1', 'infs', 'weights', '-1', 'withscores'], bulks(['a', '-inf', 'c', '-0', 'b', 'inf'])],
      [['zunionstore', 'o2', '1', 'infs', 'weights', '-0'], int(3)],
      [['zrange', 'o2', '0', '-1', 'withscores'], bulks(['a', '0', 'b', '0', 'c', '0'])],
      [['zunion', '1', 'infs', 'weights', '1e308', 'withscores'], bulks(['b', '-inf', 'c', '0', 'a', 'inf'])],
      [['zunion', '2', 'infs', 'infs', 'weights', '1e308', '1e308', 'withscores'], bulks(['b', '-inf', 'c', '0', 'a', 'inf'])],
    ];
    for (const [argv, want] of steps) expect(h.run(...argv), argv.join(' ')).toEqual(want);
  });
});

describe('STORE key rules', () => {
  it('overwrite clears the TTL; an empty result deletes dst; only changes propagate', () => {
    const h = zfresh();
    h.run('zadd', 'z', '1', 'a');
    h.run('zadd', 'dst', '1', 'x');
    h.ks.db(0).setExpire('dst', h.clock.now + 1000);
    h.propagated.length = 0;
    h.touched.length = 0;
    expect(h.run('zunionstore', 'dst', '1', 'z')).toEqual(int(1));
    expect(h.ks.db(0).getExpire('dst')).toBeUndefined();
    expect(h.run('zinterstore', 'dst', '2', 'z', 'nokey')).toEqual(int(0));
    expect(h.run('zdiffstore', 'dst', '1', 'nokey')).toEqual(int(0));
    expect(h.touched).toEqual(['0:dst', '0:dst']);
    expect(h.propagated).toEqual([
      ['zunionstore', 'dst', '1', 'z'],
      ['zinterstore', 'dst', '2', 'z', 'nokey'],
    ]);
  });

  it('a stored result is a listpack when small, a skiplist otherwise', () => {
    const h = zfresh();
    h.run('zadd', 'big', ...Array.from({ length: 200 }, (_, i) => [String(i), `m${i}`]).flat());
    h.run('zunionstore', 'small', '1', 'big', 'weights', '2');
    h.run('zrangestore', 'small2', 'big', '0', '9');
    h.run('zremrangebyrank', 'big', '10', '-1');
    h.run('zunionstore', 'small3', '1', 'big');
    const enc = (k: string) => (h.ks.db(0).peek(k) as { v: { encoding: string } }).v.encoding;
    expect([enc('small'), enc('small2'), enc('big'), enc('small3')]).toEqual(['skiplist', 'listpack', 'skiplist', 'listpack']);
  });
});

