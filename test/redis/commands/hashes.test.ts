// Exact replies of the hash commands (checked against Redis 7.0.15).
import { describe, expect, it } from 'vitest';
import { EMPTY_ARRAY, NIL, OK, arr, bulk, bulks, err, int, type Resp } from '../../../engine/net/resp.ts';
import { hashCommands } from '../../../engine/redis/commands/hashes.ts';
import { createHarness, type Harness } from '../harness.ts';

const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const NOT_INT = err('ERR value is not an integer or out of range');
const SYNTAX = err('ERR syntax error');

type Case = [name: string, setup: string[][], steps: [string[], Resp][]];

function harness(): Harness {
  const h = createHarness(hashCommands);
  h.ks.db(0).set('str', { type: 'string', v: 'x' });
  return h;
}

function runCases(cases: Case[]): void {
  for (const [name, setup, steps] of cases) {
    it(name, () => {
      const h = harness();
      for (const s of setup) h.run(...s);
      for (const [cmd, want] of steps) expect(h.run(...cmd), cmd.join(' ')).toEqual(want);
    });
  }
}

/** Flat field/value arrays compared as sets of pairs (HGETALL order is unspecified). */
function pairs(r: Resp): string[] {
  if (r.t !== 'array' || !r.v) throw new Error('not an array');
  const out: string[] = [];
  for (let i = 0; i < r.v.length; i += 2) out.push(`${(r.v[i] as { v: string }).v}=${(r.v[i + 1] as { v: string }).v}`);
  return out.sort();
}

const ab = [['hset', 'h', 'a', '1', 'b', '2']];

describe('set / get', () => {
  runCases([
    ['hset counts new fields', [], [[['hset', 'h', 'a', '1', 'b', '2'], int(2)], [['hset', 'h', 'a', '3', 'c', '4'], int(1)], [['hget', 'h', 'a'], bulk('3')], [['hlen', 'h'], int(3)]]],
    ['hset duplicate field in one call', [], [[['hset', 'h', 'a', '1', 'a', '2'], int(1)], [['hget', 'h', 'a'], bulk('2')]]],
    ['hset/hmset odd arguments', [], [
      [['hset', 'h', 'a', '1', 'b'], err("ERR wrong number of arguments for 'hset' command")],
      [['hmset', 'h', 'a', '1', 'b'], err("ERR wrong number of arguments for 'hmset' command")],
      [['hset', 'h', 'a'], err("ERR wrong number of arguments for 'hset' command")],
    ]],
    ['hmset answers OK', [], [[['hmset', 'h', 'a', '1', 'b', '2'], OK], [['hmget', 'h', 'a', 'zz', 'b'], bulks(['1', null, '2'])]]],
    ['hsetnx', ab, [[['hsetnx', 'h', 'a', '9'], int(0)], [['hsetnx', 'h', 'c', '9'], int(1)], [['hsetnx', 'new', 'f', 'v'], int(1)], [['hget', 'new', 'f'], bulk('v')]]],
    ['hget / hmget missing', [], [[['hget', 'nokey', 'a'], NIL], [['hmget', 'nokey', 'a', 'b'], bulks([null, null])]]],
    ['hget missing field', ab, [[['hget', 'h', 'zz'], NIL]]],
    ['wrongtype', [], [
      [['hset', 'str', 'a', '1'], WRONGTYPE], [['hsetnx', 'str', 'a', '1'], WRONGTYPE], [['hmset', 'str', 'a', '1'], WRONGTYPE],
      [['hget', 'str', 'a'], WRONGTYPE], [['hmget', 'str', 'a'], WRONGTYPE], [['hgetall', 'str'], WRONGTYPE], [['hdel', 'str', 'a'], WRONGTYPE],
      [['hlen', 'str'], WRONGTYPE], [['hstrlen', 'str', 'a'], WRONGTYPE], [['hexists', 'str', 'a'], WRONGTYPE], [['hkeys', 'str'], WRONGTYPE],
      [['hvals', 'str'], WRONGTYPE], [['hincrby', 'str', 'a', '1'], WRONGTYPE], [['hincrbyfloat', 'str', 'a', '1'], WRONGTYPE],
      [['hrandfield', 'str'], WRONGTYPE], [['hrandfield', 'str', '2'], WRONGTYPE], [['hscan', 'str', '0'], WRONGTYPE],
    ]],
  ]);
});

describe('read commands', () => {
  runCases([
    ['hlen / hstrlen / hexists', [['hset', 'h', 'a', 'hello', 'b', '']], [
      [['hlen', 'h'], int(2)], [['hstrlen', 'h', 'a'], int(5)], [['hstrlen', 'h', 'b'], int(0)], [['hstrlen', 'h', 'zz'], int(0)],
      [['hexists', 'h', 'a'], int(1)], [['hexists', 'h', 'zz'], int(0)],
      [['hlen', 'nokey'], int(0)], [['hstrlen', 'nokey', 'a'], int(0)], [['hexists', 'nokey', 'a'], int(0)],
    ]],
    ['hkeys / hvals / hgetall', ab, [[['hkeys', 'h'], bulks(['a', 'b'])], [['hvals', 'h'], bulks(['1', '2'])], [['hgetall', 'h'], bulks(['a', '1', 'b', '2'])]]],
    ['missing key aggregates', [], [[['hkeys', 'nokey'], EMPTY_ARRAY], [['hvals', 'nokey'], EMPTY_ARRAY], [['hgetall', 'nokey'], EMPTY_ARRAY]]],
  ]);
});

describe('hdel', () => {
  runCases([
    ['counts deleted fields', [['hset', 'h', 'a', '1', 'b', '2', 'c', '3']], [[['hdel', 'h', 'a', 'zz', 'a'], int(1)], [['hlen', 'h'], int(2)]]],
    ['last field deletes the key', ab, [[['hdel', 'h', 'a', 'b', 'c'], int(2)], [['hlen', 'h'], int(0)], [['hsetnx', 'h', 'x', 'y'], int(1)]]],
    ['missing key', [], [[['hdel', 'nokey', 'a'], int(0)]]],
  ]);

  it('removes the key from the keyspace and its size accounting', () => {
    const h = harness();
    h.run('hset', 'h', 'a', '1');
    h.run('hdel', 'h', 'a');
    expect(h.ks.db(0).peek('h')).toBeUndefined();
    expect(h.ks.db(0).dict.has('h')).toBe(false);
  });
});

describe('hincrby / hincrbyfloat', () => {
  runCases([
    ['hincrby', [], [
      [['hincrby', 'h', 'n', '5'], int(5)], [['hincrby', 'h', 'n', '-7'], int(-2)], [['hget', 'h', 'n'], bulk('-2')],
      [['hincrby', 'h', 'n', 'x'], NOT_INT], [['hincrby', 'h', 'n', '1.5'], NOT_INT], [['hincrby', 'h', 'n', '+1'], NOT_INT],
    ]],
    ['hincrby overflow and bad values', [['hset', 'h', 's', 'foo', 'sp', ' 1', 'big', '9223372036854775807']], [
      [['hincrby', 'h', 's', '1'], err('ERR hash value is not an integer')],
      [['hincrby', 'h', 'sp', '1'], err('ERR hash value is not an integer')],
      [['hincrby', 'h', 'big', '1'], err('ERR increment or decrement would overflow')],
      [['hincrby', 'h', 'big', '-1'], int(9223372036854775806n)],
      [['hincrby', 'h', 'min', '-9223372036854775808'], int(-9223372036854775808n)],
      [['hincrby', 'h', 'min', '-1'], err('ERR increment or decrement would overflow')],
    ]],
    ['hincrbyfloat long double arithmetic', [], [
      [['hincrbyfloat', 'h', 'f', '0.1'], bulk('0.1')], [['hincrbyfloat', 'h', 'f', '0.2'], bulk('0.3')],
      [['hincrbyfloat', 'h', 'f', '-0.3'], bulk('0')], [['hincrbyfloat', 'h', 'g', '1e5'], bulk('100000')],
      [['hincrbyfloat', 'h', 'g', '0x10'], bulk('100016')], [['hincrbyfloat', 'h', 'g', '-100016.5'], bulk('-0.5')],
      [['hincrbyfloat', 'h', 'big', '1e308'], bulk('99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048')],
      [['hincrbyfloat', 'h', 'tiny', '1e-30'], bulk('0')],
    ]],
    ['hincrbyfloat errors', [['hset', 'h', 's', 'foo', 'sp', ' 1', 'inf', 'inf']], [
      [['hincrbyfloat', 'h', 'n', 'abc'], err('ERR value is not a valid float')],
      [['hincrbyfloat', 'h', 'n', 'inf'], err('ERR value is NaN or Infinity')],
      [['hincrbyfloat', 'h', 'n', 'nan'], err('ERR value is not a valid float')],
      [['hincrbyfloat', 'h', 's', '1'], err('ERR hash value is not a float')],
      [['hincrbyfloat', 'h', 'sp', '1'], err('ERR hash value is not a float')],
      [['hincrbyfloat', 'h', 'inf', '1'], err('ERR increment would produce NaN or Infinity')],
      [['hincrbyfloat', 'h', 'x', '1e4933'], err('ERR value is not a valid float')],
      [['hincrbyfloat', 'h', 'x', '1e-5000'], err('ERR value is not a valid float')],
      [['hset', 'h', 'y', '1e4932'], int(1)],
      [['hincrbyfloat', 'h', 'y', '1e4932'], err('ERR increment would produce NaN or Infinity')],
    ]],
  ]);

  it('propagates HINCRBYFLOAT as HSET with the final value; HINCRBY as itself', () => {
    const h = harness();
    h.run('hincrbyfloat', 'h', 'f', '1.5');
    h.run('hincrbyfloat', 'h', 'f', '0.25');
    h.run('hincrby', 'h', 'n', '2');
    h.run('hincrbyfloat', 'h', 'f', 'x');
    expect(h.propagated).toEqual([
      ['HSET', 'h', 'f', '1.5'],
      ['HSET', 'h', 'f', '1.75'],
      ['hincrby', 'h', 'n', '2'],
    ]);
  });
});

describe('hrandfield', () => {
  runCases([
    ['errors', ab, [
      [['hrandfield', 'h', '-9223372036854775808'], err('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807')],
      [['hrandfield', 'h', 'abc'], NOT_INT], [['hrandfield', 'h', '1', 'foo'], SYNTAX], [['hrandfield', 'h', '1', 'withvalues', 'x'], SYNTAX],
      [['hrandfield', 'h', '9223372036854775807', 'withvalues'], err('ERR value is out of range')],
      [['hrandfield', 'h', '-4611686018427387904', 'withvalues'], err('ERR value is out of range')],
      [['hrandfield', 'nokey', 'x'], NOT_INT], [['hrandfield', 'nokey', '1', 'foo'], SYNTAX],
    ]],
    ['missing key', [], [[['hrandfield', 'nokey'], NIL], [['hrandfield', 'nokey', '3'], EMPTY_ARRAY], [['hrandfield', 'nokey', '-3', 'withvalues'], EMPTY_ARRAY]]],
    ['count 0', ab, [[['hrandfield', 'h', '0'], EMPTY_ARRAY], [['hrandfield', 'h', '0', 'WITHVALUES'], EMPTY_ARRAY]]],
    ['count >= size returns the whole hash', ab, [[['hrandfield', 'h', '5'], bulks(['a', 'b'])], [['hrandfield', 'h', '2', 'withvalues'], bulks(['a', '1', 'b', '2'])]]],
  ]);

  it('without count returns one existing field', () => {
    const h = harness();
    h.run('hset', 'h', 'a', '1', 'b', '2', 'c', '3');
    for (let i = 0; i < 20; i++) {
      const r = h.run('hrandfield', 'h');
      expect(['a', 'b', 'c']).toContain((r as { v: string }).v);
    }
  });

  it('negative count returns |count| picks with repetitions; WITHVALUES pairs are consistent', () => {
    const h = harness();
    h.run('hset', 'h', 'a', '1', 'b', '2', 'c', '3');
    const r = h.run('hrandfield', 'h', '-50', 'withvalues');
    expect(r.t === 'array' && r.v!.length).toBe(100);
    const ps = pairs(r);
    for (const p of ps) expect(['a=1', 'b=2', 'c=3']).toContain(p);
    expect(new Set(ps).size).toBeGreaterThan(1);
  });

  it('positive count below size returns distinct fields (cases 3 and 4)', () => {
    const h = harness();
    const args: string[] = [];
    for (let i = 0; i < 40; i++) args.push(`f${i}`, `v${i}`);
    h.run('hset', 'h', ...args);
    for (const n of [1, 5, 13, 14, 30, 39]) {
      const r = h.run('hrandfield', 'h', String(n), 'withvalues');
      const ps = pairs(r);
      expect(ps.length).toBe(n);
      expect(new Set(ps).size).toBe(n);
      for (const p of ps) expect(p).toMatch(/^f(\d+)=v\1$/);
    }
  });

  it('is deterministic for a given seed', () => {
    const a = harness();
    const b = harness();
    for (const h of [a, b]) h.run('hset', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
    const run = (h: Harness) => [h.run('hrandfield', 'h'), h.run('hrandfield', 'h', '-5'), h.run('hrandfield', 'h', '2')];
    expect(run(a)).toEqual(run(b));
  });
});

describe('hscan', () => {
  runCases([
    ['small hash: everything, cursor 0', ab, [
      [['hscan', 'h', '0'], arr([bulk('0'), bulks(['a', '1', 'b', '2'])])],
      [['hscan', 'h', '123', 'COUNT', '1'], arr([bulk('0'), bulks(['a', '1', 'b', '2'])])],
      [['hscan', 'h', '0', 'match', 'b*'], arr([bulk('0'), bulks(['b', '2'])])],
      [['hscan', 'h', '0', 'match', '*'], arr([bulk('0'), bulks(['a', '1', 'b', '2'])])],
    ]],
    ['missing key ignores options', [], [[['hscan', 'nokey', '0', 'foo'], arr([bulk('0'), EMPTY_ARRAY])]]],
    ['errors', ab, [
      [['hscan', 'h', 'abc'], err('ERR invalid cursor')], [['hscan', 'h', ' 1'], err('ERR invalid cursor')],
      [['hscan', 'h', '18446744073709551616'], err('ERR invalid cursor')], [['hscan', 'nokey', 'x'], err('ERR invalid cursor')],
      [['hscan', 'h', '0', 'count', '0'], SYNTAX], [['hscan', 'h', '0', 'count', 'x'], NOT_INT],
      [['hscan', 'h', '0', 'match'], SYNTAX], [['hscan', 'h', '0', 'type', 'string'], SYNTAX],
    ]],
    ['cursor forms strtoul accepts', ab, [
      [['hscan', 'h', '-1'], arr([bulk('0'), bulks(['a', '1', 'b', '2'])])],
      [['hscan', 'h', '18446744073709551615'], arr([bulk('0'), bulks(['a', '1', 'b', '2'])])],
      [['hscan', 'h', ''], arr([bulk('0'), bulks(['a', '1', 'b', '2'])])],
      [['hscan', 'h', '5\0abc'], arr([bulk('0'), bulks(['a', '1', 'b', '2'])])],
      [['hrandfield', 'h', '2', 'withvalues\0x'], bulks(['a', '1', 'b', '2'])],
    ]],
  ]);

  it('a big (hashtable-encoded) hash is walked with cursors and every field is returned', () => {
    const h = harness();
    const args: string[] = [];
    for (let i = 0; i < 300; i++) args.push(`field:${i}`, `${i}`);
    h.run('hset', 'h', ...args);
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const r = h.run('hscan', 'h', cursor, 'count', '20');
      if (r.t !== 'array' || !r.v) throw new Error('bad reply');
      cursor = (r.v[0] as { v: string }).v;
      for (const p of pairs(r.v[1]!)) seen.add(p);
      calls++;
    } while (cursor !== '0');
    expect(seen.size).toBe(300);
    expect(calls).toBeGreaterThan(5);
  });

  it('a hash with a long value is hashtable-encoded too', () => {
    const h = harness();
    h.run('hset', 'h', 'a', 'x'.repeat(65));
    const r = h.run('hscan', 'h', '0');
    expect(r.t === 'array' && r.v![1]).toEqual(bulks(['a', 'x'.repeat(65)]));
  });
});

describe('keyspace effects', () => {
  it('touches and dirties every write, not the no-op ones', () => {
    const h = harness();
    h.run('hset', 'h', 'a', '1');
    h.run('hsetnx', 'h', 'a', '2');
    h.run('hdel', 'h', 'zz');
    h.run('hget', 'h', 'a');
    expect(h.touched).toEqual(['0:h']);
    expect(h.propagated).toEqual([['hset', 'h', 'a', '1']]);
    h.run('hmset', 'h', 'b', '2');
    h.run('hdel', 'h', 'a', 'b');
    expect(h.touched).toEqual(['0:h', '0:h', '0:h']);
    expect(h.ks.db(0).peek('h')).toBeUndefined();
  });

  it('memory accounting follows in-place writes', () => {
    const h = harness();
    h.ks.db(0).remove('str');
    h.run('hset', 'h', 'a', '1');
    h.run('hset', 'h', 'b', 'x'.repeat(200));
    h.run('hincrby', 'h', 'n', '1');
    expect(h.ks.usedBytes).toBe(h.ks.db(0).entry('h')?.size);
  });
});
