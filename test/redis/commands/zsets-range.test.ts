// ZRANGE family, ZRANGESTORE, ZCOUNT, ZLEXCOUNT, ZREMRANGEBY*: replies recorded from a real Redis 7.0.15.
import { describe, expect, it } from 'vitest';
import { EMPTY_ARRAY, bulks, err, int, type Resp } from '../../../engine/net/resp.ts';
import { parseLexRange, parseScoreRange } from '../../../engine/redis/commands/zsets-range.ts';
import type { Harness } from '../harness.ts';
import { NOT_INT, SYNTAX, WRONGTYPE, exists, zfresh as zfreshWith } from './zset-fixtures.ts';

const zfresh = (): Harness => zfreshWith();

describe('ranges (recorded from Redis 7.0.15)', () => {
  it('one long script', () => {
    const h = zfresh();
    const steps: [string[], Resp][] = [
      [['zadd', 'z', '1', 'a', '2', 'b', '3', 'c', '1.5', 'd', '-1', 'e', 'inf', 'f', '-inf', 'g'], int(7)],
      [['zrange', 'z', '0', '-1', 'withscores'], bulks(['g', '-inf', 'e', '-1', 'a', '1', 'd', '1.5', 'b', '2', 'c', '3', 'f', 'inf'])],
      [['zrange', 'z', '2', '4'], bulks(['a', 'd', 'b'])],
      [['zrange', 'z', '-3', '-1', 'withscores'], bulks(['b', '2', 'c', '3', 'f', 'inf'])],
      [['zrange', 'z', '-100', '100'], bulks(['g', 'e', 'a', 'd', 'b', 'c', 'f'])],
      [['zrange', 'z', '5', '2'], EMPTY_ARRAY],
      [['zrange', 'z', '7', '10'], EMPTY_ARRAY],
      [['zrange', 'z', '-1', '-2'], EMPTY_ARRAY],
      [['zrange', 'z', '0', '-1', 'rev', 'withscores'], bulks(['f', 'inf', 'c', '3', 'b', '2', 'd', '1.5', 'a', '1', 'e', '-1', 'g', '-inf'])],
      [['zrange', 'z', '1', '3', 'REV'], bulks(['c', 'b', 'd'])],
      [['zrange', 'z', 'a', 'b'], NOT_INT],
      [['zrange', 'z', '0', 'b'], NOT_INT],
      [['zrange', 'z', '0', '1', 'limit', '0', '1'], err('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX')],
      [['zrange', 'z', '0', '1', 'limit', '0', '-1'], bulks(['g', 'e'])],
      [['zrange', 'z', '0', '1', 'limit', '0'], SYNTAX],
      [['zrange', 'z', '0', '1', 'foo'], SYNTAX],
      [['zrange', 'z', '0', '1', 'withscores', 'withscores'], bulks(['g', '-inf', 'e', '-1'])],
      [['zrange', 'z', '(1', '3', 'byscore', 'withscores'], bulks(['d', '1.5', 'b', '2', 'c', '3'])],
      [['zrange', 'z', '1', '(3', 'BYSCORE'], bulks(['a', 'd', 'b'])],
      [['zrange', 'z', '-inf', '+inf', 'byscore', 'limit', '1', '2'], bulks(['e', 'a'])],
      [['zrange', 'z', '-inf', '+inf', 'byscore', 'limit', '-1', '2'], EMPTY_ARRAY],
      [['zrange', 'z', '-inf', '+inf', 'byscore', 'limit', '1', '-1'], bulks(['e', 'a', 'd', 'b', 'c', 'f'])],
      [['zrange', 'z', '-inf', '+inf', 'byscore', 'limit', '1', '0'], EMPTY_ARRAY],
      [['zrange', 'z', '-inf', '+inf', 'byscore', 'limit', '7', '1'], EMPTY_ARRAY],
      [['zrange', 'z', '-inf', '+inf', 'byscore', 'limit', '6', '5'], bulks(['f'])],
      [['zrange', 'z', '-inf', '+inf', 'byscore', 'limit', 'x', '1'], NOT_INT],
      [['zrange', 'z', '+inf', '-inf', 'byscore', 'rev', 'limit', '1', '2', 'withscores'], bulks(['c', '3', 'b', '2'])],
      [['zrange', 'z', '-inf', '+inf', 'byscore', 'rev'], EMPTY_ARRAY],
      [['zrange', 'z', 'x', '1', 'byscore'], err('ERR min or max is not a float')],
      [['zrange', 'z', '1', 'x', 'byscore'], err('ERR min or max is not a float')],
      [['zrange', 'z', 'nan', '1', 'byscore'], err('ERR min or max is not a float')],
      [['zrange', 'z', '(nan', '1', 'byscore'], err('ERR min or max is not a float')],
      [['zrange', 'z', '', '', 'byscore', 'withscores'], EMPTY_ARRAY],
      [['zrange', 'z', '(', ' 3', 'byscore', 'withscores'], bulks(['a', '1', 'd', '1.5', 'b', '2', 'c', '3'])],
      [['zrange', 'z', '1', '1e400', 'byscore'], bulks(['a', 'd', 'b', 'c', 'f'])],
      [['zrange', 'z', '0x1', '2', 'byscore'], bulks(['a', 'd', 'b'])],
      [['zrange', 'z', '(-inf', '(inf', 'byscore'], bulks(['e', 'a', 'd', 'b', 'c'])],
      [['zrange', 'z', '3', '3', 'byscore'], bulks(['c'])],
      [['zrange', 'z', '(3', '3', 'byscore'], EMPTY_ARRAY],
      [['zrange', 'z', '2', '1', 'byscore'], EMPTY_ARRAY],
      [['zrange', 'z', 'byscore', 'bylex', '0', '1'], SYNTAX],
      [['zrange', 'z', '0', '1', 'byscore', 'bylex'], SYNTAX],
      [['zrange', 'z', '0', '1', 'bylex', 'byscore'], SYNTAX],
      [['zrange', 'z', '0', '1', 'rev', 'rev'], SYNTAX],
      [['zrange', 'z', '-', '+', 'bylex', 'withscores'], err('ERR syntax error, WITHSCORES not supported in combination with BYLEX')],
      [['zrange', 'nokey', '0', '-1'], EMPTY_ARRAY],
      [['zrange', 'nokey', 'x', 'y'], NOT_INT],
      [['zrange', 'nokey', '0', '1', 'byscore', 'limit', '0', 'x'], NOT_INT],
      [['zrange', 'nokey', 'x', 'y', 'byscore'], err('ERR min or max is not a float')],
      [['zrange', 'str', '0', '-1'], WRONGTYPE],
      [['zrange', 'str', 'x', 'y'], NOT_INT],
      [['zrevrange', 'z', '0', '2', 'withscores'], bulks(['f', 'inf', 'c', '3', 'b', '2'])],
      [['zrevrange', 'z', '0', '2', 'rev'], SYNTAX],
      [['zrevrange', 'z', '0', '2', 'limit', '0', '1'], err('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX')],
      [['zrevrange', 'z', '0', '2', 'byscore'], SYNTAX],
      [['zrevrange', 'z', '-2', '-1'], bulks(['e', 'g'])],
      [['zrangebyscore', 'z', '1', '3', 'withscores'], bulks(['a', '1', 'd', '1.5', 'b', '2', 'c', '3'])],
      [['zrangebyscore', 'z', '1', '3', 'byscore'], SYNTAX],
      [['zrangebyscore', 'z', '1', '3', 'rev'], SYNTAX],
      [['zrangebyscore', 'z', '1', '3', 'limit', '0', '2'], bulks(['a', 'd'])],
      [['zrangebyscore', 'z', '1', '3', 'limit', '0'], SYNTAX],
      [['zrangebyscore', 'z', '-inf', '+inf', 'limit', '2', '3', 'withscores'], bulks(['a', '1', 'd', '1.5', 'b', '2'])],
      [['zrangebyscore', 'z', '(1', '(1'], EMPTY_ARRAY],
      [['zrangebyscore', 'z', '2', '1'], EMPTY_ARRAY],
      [['zrevrangebyscore', 'z', '3', '1', 'withscores'], bulks(['c', '3', 'b', '2', 'd', '1.5', 'a', '1'])],
      [['zrevrangebyscore', 'z', '1', '3'], EMPTY_ARRAY],
      [['zrevrangebyscore', 'z', '+inf', '-inf', 'limit', '2', '3'], bulks(['b', 'd', 'a'])],
      [['zrevrangebyscore', 'z', '(3', '(1'], bulks(['b', 'd'])],
      [['zadd', 'lex', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'bb'], int(6)],
      [['zrangebylex', 'lex', '-', '+'], bulks(['a', 'b', 'bb', 'c', 'd', 'e'])],
      [['zrangebylex', 'lex', '[b', '(d'], bulks(['b', 'bb', 'c'])],
      [['zrangebylex', 'lex', '(b', '[d', 'limit', '1', '1'], bulks(['c'])],
      [['zrangebylex', 'lex', '(b', '[d', 'limit', '1', '-1'], bulks(['c', 'd'])],
      [['zrangebylex', 'lex', 'b', 'd'], err('ERR min or max not valid string range item')],
      [['zrangebylex', 'lex', '[b', 'd'], err('ERR min or max not valid string range item')],
      [['zrangebylex', 'lex', '+', '-'], EMPTY_ARRAY],
      [['zrangebylex', 'lex', '-', '-'], EMPTY_ARRAY],
      [['zrangebylex', 'lex', '+', '+'], EMPTY_ARRAY],
      [['zrangebylex', 'lex', '[b', '[b'], bulks(['b'])],
      [['zrangebylex', 'lex', '(b', '[b'], EMPTY_ARRAY],
      [['zrangebylex', 'lex', '++', '+'], err('ERR min or max not valid string range item')],
      [['zrangebylex', 'lex', '--', '+'], err('ERR min or max not valid string range item')],
      [['zrangebylex', 'lex', '[', '+'], bulks(['a', 'b', 'bb', 'c', 'd', 'e'])],
      [['zrangebylex', 'lex', '(', '+'], bulks(['a', 'b', 'bb', 'c', 'd', 'e'])],
      [['zrangebylex', 'lex', '-', '+', 'withscores'], err('ERR syntax error, WITHSCORES not supported in combination with BYLEX')],
      [['zrangebylex', 'lex', '-', '+', 'byscore'], SYNTAX],
      [['zrangebylex', 'nokey', 'x', 'y'], err('ERR min or max not valid string range item')],
      [['zrangebylex', 'str', '-', '+'], WRONGTYPE],
      [['zrevrangebylex', 'lex', '+', '-'], bulks(['e', 'd', 'c', 'bb', 'b', 'a'])],
      [['zrevrangebylex', 'lex', '(d', '[b'], bulks(['c', 'bb', 'b'])],
      [['zrevrangebylex', 'lex', '[d', '-', 'limit', '0', '2'], bulks(['d', 'c'])],
      [['zrevrangebylex', 'lex', '-', '+'], EMPTY_ARRAY],
      [['zrange', 'lex', '[d', '[b', 'bylex', 'rev'], bulks(['d', 'c', 'bb', 'b'])],
      [['zrange', 'lex', '[bb', '+', 'bylex', 'limit', '1', '10'], bulks(['c', 'd', 'e'])],
      [['zlexcount', 'lex', '-', '+'], int(6)],
      [['zlexcount', 'lex', '[b', '(d'], int(3)],
      [['zlexcount', 'lex', 'b', 'd'], err('ERR min or max not valid string range item')],
      [['zlexcount', 'lex', '(e', '+'], int(0)],
      [['zlexcount', 'nokey', '-', '+'], int(0)],
      [['zlexcount', 'nokey', 'x', '+'], err('ERR min or max not valid string range item')],
      [['zlexcount', 'str', '-', '+'], WRONGTYPE],
      [['zadd', 'mixed', '1', 'a', '2', 'c', '3', 'b', '4', 'a2'], int(4)],
      [['zrangebylex', 'mixed', '-', '+'], bulks(['a', 'c', 'b', 'a2'])],
      [['zrangebylex', 'mixed', '[b', '+'], EMPTY_ARRAY],
      [['zrangebylex', 'mixed', '-', '(b'], bulks(['a'])],
      [['zrevrangebylex', 'mixed', '+', '[b'], EMPTY_ARRAY],
      [['zlexcount', 'mixed', '[b', '+'], int(0)],
      [['zcount', 'z', '-inf', '+inf'], int(7)],
      [['zcount', 'z', '(1', '3'], int(3)],
      [['zcount', 'z', '1', '(1'], int(0)],
      [['zcount', 'z', 'x', '3'], err('ERR min or max is not a float')],
      [['zcount', 'nokey', '1', '2'], int(0)],
      [['zcount', 'nokey', 'x', '2'], err('ERR min or max is not a float')],
      [['zcount', 'str', '1', '2'], WRONGTYPE],
      [['zcount', 'z', '5', '1'], int(0)],
      [['zrangestore', 'dst', 'z', '0', '-1'], int(7)],
      [['zrange', 'dst', '0', '-1', 'withscores'], bulks(['g', '-inf', 'e', '-1', 'a', '1', 'd', '1.5', 'b', '2', 'c', '3', 'f', 'inf'])],
      [['zrangestore', 'dst', 'z', '1', '3', 'byscore', 'rev'], int(0)],
      [['zrangestore', 'dst', 'z', '3', '1', 'byscore', 'rev'], int(4)],
      [['zrange', 'dst', '0', '-1', 'withscores'], bulks(['a', '1', 'd', '1.5', 'b', '2', 'c', '3'])],
      [['zrangestore', 'dst', 'z', '0', '1', 'withscores'], SYNTAX],
      [['zrangestore', 'dst', 'z', '0', '1', 'limit', '0', '1'], err('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX')],
      [['zrangestore', 'dst', 'nokey', '0', '-1'], int(0)],
      [['exists', 'dst'], int(0)],
      [['zrangestore', 'dst', 'z', '0', '1'], int(2)],
      [['zrangestore', 'dst', 'z', '10', '20'], int(0)],
      [['exists', 'dst'], int(0)],
      [['zrangestore', 'dst', 'lex', '[b', '[c', 'bylex'], int(3)],
      [['zrange', 'dst', '0', '-1', 'withscores'], bulks(['b', '0', 'bb', '0', 'c', '0'])],
      [['zrangestore', 'dst', 'str', '0', '1'], WRONGTYPE],
      [['zrangestore', 'str', 'z', '0', '1'], int(2)],
      [['zrange', 'str', '0', '-1'], bulks(['g', 'e'])],
      [['zrangestore', 'dst', 'z', 'x', '1'], NOT_INT],
      [['zremrangebyrank', 'z', '0', '1'], int(2)],
      [['zremrangebyrank', 'z', 'x', '1'], NOT_INT],
      [['zremrangebyrank', 'z', '5', '1'], int(0)],
      [['zremrangebyrank', 'z', '-1', '-1'], int(1)],
      [['zremrangebyrank', 'nokey', '0', '1'], int(0)],
      [['zremrangebyrank', 'str', '0', '1'], int(2)],
      [['zrange', 'z', '0', '-1', 'withscores'], bulks(['a', '1', 'd', '1.5', 'b', '2', 'c', '3'])],
      [['zremrangebyscore', 'z', '(1', '2'], int(2)],
      [['zremrangebyscore', 'z', 'a', '3'], err('ERR min or max is not a float')],
      [['zremrangebyscore', 'z', '5', '1'], int(0)],
      [['zremrangebyscore', 'nokey', 'a', '3'], err('ERR min or max is not a float')],
      [['zremrangebyscore', 'str', '1', '3'], int(0)],
      [['zrange', 'z', '0', '-1', 'withscores'], bulks(['a', '1', 'c', '3'])],
      [['zremrangebylex', 'lex', '[b', '(d'], int(3)],
      [['zremrangebylex', 'lex', 'b', 'd'], err('ERR min or max not valid string range item')],
      [['zremrangebylex', 'str', '-', '+'], int(0)],
      [['zremrangebylex', 'nokey', 'b', 'd'], err('ERR min or max not valid string range item')],
      [['zrange', 'lex', '0', '-1'], bulks(['a', 'd', 'e'])],
      [['zremrangebylex', 'lex', '-', '+'], int(3)],
      [['exists', 'lex'], int(0)],
      [['zremrangebyrank', 'z', '0', '-1'], int(2)],
      [['exists', 'z'], int(0)],
    ];
    for (const [argv, want] of steps) expect(h.run(...argv), argv.join(' ')).toEqual(want);
  });
});

describe('range parsing', () => {
  it('score bounds use strtod after an optional (', () => {
    expect(parseScoreRange('(1', '2')).toEqual({ min: 1, minex: true, max: 2, maxex: false });
    expect(parseScoreRange('', ' 3')).toEqual({ min: 0, minex: false, max: 3, maxex: false });
    expect(parseScoreRange('-inf', '(+Infinity')).toEqual({ min: -Infinity, minex: false, max: Infinity, maxex: true });
    expect(parseScoreRange('1e999', '1')).toEqual({ min: Infinity, minex: false, max: 1, maxex: false });
    expect(parseScoreRange('1\0junk', '1')).toEqual({ min: 1, minex: false, max: 1, maxex: false });
    expect(parseScoreRange('nan', '1')).toBeNull();
    expect(parseScoreRange('1x', '1')).toBeNull();
    expect(parseScoreRange('1', '( 1')).toEqual({ min: 1, minex: false, max: 1, maxex: true });
  });

  it('lex bounds need ( [ or a lone - / +', () => {
    expect(parseLexRange('-', '+')).toEqual({ min: -Infinity, minex: true, max: Infinity, maxex: true });
    expect(parseLexRange('[a', '(b')).toEqual({ min: 'a', minex: false, max: 'b', maxex: true });
    expect(parseLexRange('[', '(')).toEqual({ min: '', minex: false, max: '', maxex: true });
    expect(parseLexRange('a', '+')).toBeNull();
    expect(parseLexRange('-a', '+')).toBeNull();
  });
});

describe('key rules of the writing range commands', () => {
  it('ZRANGESTORE overwrites dst (clearing its TTL), deletes it on an empty result, propagates verbatim', () => {
    const h = zfresh();
    h.run('zadd', 'z', '1', 'a', '2', 'b');
    h.run('zadd', 'dst', '5', 'old');
    h.ks.db(0).setExpire('dst', h.clock.now + 1000);
    h.propagated.length = 0;
    h.touched.length = 0;
    expect(h.run('zrangestore', 'dst', 'z', '0', '0')).toEqual(int(1));
    expect(h.ks.db(0).getExpire('dst')).toBeUndefined();
    expect(h.run('zrange', 'dst', '0', '-1', 'withscores')).toEqual(bulks(['a', '1']));
    expect(h.run('zrangestore', 'dst', 'z', '5', '6')).toEqual(int(0));
    expect(h.run('zrangestore', 'dst', 'z', '5', '6')).toEqual(int(0));
    expect(h.touched).toEqual(['0:dst', '0:dst']);
    expect(h.propagated).toEqual([
      ['zrangestore', 'dst', 'z', '0', '0'],
      ['zrangestore', 'dst', 'z', '5', '6'],
    ]);
  });

  it('ZREMRANGEBY* touch, dirty by the count and delete an emptied key', () => {
    const h = zfresh();
    h.run('zadd', 'z', '1', 'a', '2', 'b', '3', 'c');
    h.propagated.length = 0;
    h.touched.length = 0;
    expect(h.run('zremrangebyscore', 'z', '10', '20')).toEqual(int(0));
    expect(h.run('zremrangebyrank', 'z', '0', '0')).toEqual(int(1));
    expect(h.run('zremrangebylex', 'z', '-', '+')).toEqual(int(2));
    expect(h.ks.db(0).peek('z')).toBeUndefined();
    expect(h.touched).toEqual(['0:z', '0:z']);
    expect(h.propagated).toEqual([
      ['zremrangebyrank', 'z', '0', '0'],
      ['zremrangebylex', 'z', '-', '+'],
    ]);
  });

  it('ranges over a large skiplist agree with rank arithmetic', () => {
    const h = zfresh();
    h.run('zadd', 'z', ...Array.from({ length: 1000 }, (_, i) => [String(i % 100), `m${String(i).padStart(4, '0')}`]).flat());
    expect(h.run('zcount', 'z', '10', '(20')).toEqual(int(100));
    expect((h.run('zrangebyscore', 'z', '10', '(20').v as Resp[]).length).toBe(100);
    expect(h.run('zrangebyscore', 'z', '99', '+inf', 'limit', '9', '5')).toEqual(bulks(['m0999']));
    expect(h.run('zrevrangebyscore', 'z', '+inf', '-inf', 'limit', '0', '2')).toEqual(bulks(['m0999', 'm0899']));
    expect(h.run('zrange', 'z', '-2', '-1')).toEqual(bulks(['m0899', 'm0999']));
    expect(h.run('zremrangebyscore', 'z', '0', '(50')).toEqual(int(500));
    expect(h.run('zcard', 'z')).toEqual(int(500));
    expect(h.run('zrank', 'z', 'm0050')).toEqual(int(0));
  });
});

