// Set commands: exact replies and errors (checked against a real Redis 7.0.15), key rules, propagation.
import { describe, expect, it } from 'vitest';
import { EMPTY_ARRAY, NIL, arr, bulk, bulks, err, int, type Resp } from '../../../engine/net/resp.ts';
import { isIntset, setCommands, setEncoding, setMembers } from '../../../engine/redis/commands/sets.ts';
import { estimateSize } from '../../../engine/redis/keyspace/memory.ts';
import { createHarness, type Harness } from '../harness.ts';

const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const SYNTAX = err('ERR syntax error');
const NOT_INT = err('ERR value is not an integer or out of range');

function fresh(): Harness {
  const h = createHarness(setCommands);
  h.ks.db(0).set('str', { type: 'string', v: 'x' });
  return h;
}

/** Run a script of [argv, expected] pairs on one harness. */
function script(steps: [string[], Resp][]): void {
  const h = fresh();
  for (const [argv, want] of steps) expect(h.run(...argv), argv.join(' ')).toEqual(want);
}

const sorted = (r: Resp): string[] => (r.v as Resp[]).map((x) => x.v as string).sort();

describe('SADD / SREM / SCARD / SISMEMBER / SMISMEMBER', () => {
  it('basic replies', () =>
    script([
      [['sadd', 's', '3', '1', '2', '-5', '1'], int(4)],
      [['sadd', 's', '1'], int(0)],
      [['scard', 's'], int(4)],
      [['scard', 'nokey'], int(0)],
      [['sismember', 's', '1'], int(1)],
      [['sismember', 's', '9'], int(0)],
      [['sismember', 'nokey', '9'], int(0)],
      [['smismember', 's', '1', '9', '2'], arr([int(1), int(0), int(1)])],
      [['smismember', 'nokey', '1', '9'], arr([int(0), int(0)])],
      [['srem', 's', '1', '9'], int(1)],
      [['srem', 'nokey', 'a'], int(0)],
      [['smembers', 's'], bulks(['-5', '2', '3'])],
      [['smembers', 'nokey'], EMPTY_ARRAY],
    ]));

  it('WRONGTYPE everywhere', () =>
    script([
      [['sadd', 'str', 'a'], WRONGTYPE],
      [['srem', 'str', 'a'], WRONGTYPE],
      [['smembers', 'str'], WRONGTYPE],
      [['scard', 'str'], WRONGTYPE],
      [['sismember', 'str', 'a'], WRONGTYPE],
      [['smismember', 'str', 'a'], WRONGTYPE],
      [['srandmember', 'str'], WRONGTYPE],
      [['srandmember', 'str', '1'], WRONGTYPE],
      [['spop', 'str'], WRONGTYPE],
      [['spop', 'str', '1'], WRONGTYPE],
      [['sinter', 'nokey', 'str'], WRONGTYPE],
      [['sunion', 'str'], WRONGTYPE],
      [['sdiff', 'nokey', 'str'], WRONGTYPE],
      [['sintercard', '1', 'str'], WRONGTYPE],
      [['sscan', 'str', '0'], WRONGTYPE],
    ]));

  it('removing the last member deletes the key; the call is touched and dirty', () => {
    const h = fresh();
    h.run('sadd', 'e', 'a', 'b');
    h.touched.length = 0;
    h.propagated.length = 0;
    expect(h.run('srem', 'e', 'a', 'b', 'c')).toEqual(int(2));
    expect(h.ks.db(0).peek('e')).toBeUndefined();
    expect(h.touched).toEqual(['0:e']);
    expect(h.propagated).toEqual([['srem', 'e', 'a', 'b', 'c']]);
    expect(h.run('srem', 'e', 'a')).toEqual(int(0));
    expect(h.propagated.length).toBe(1);
  });

  it('SADD of existing members only does not propagate', () => {
    const h = fresh();
    h.run('sadd', 's', 'a');
    h.propagated.length = 0;
    h.run('sadd', 's', 'a');
    expect(h.propagated).toEqual([]);
  });
});

describe('intset order', () => {
  it('all-integer sets of at most 512 members list in ascending order', () => {
    const h = fresh();
    h.run('sadd', 'i', '10', '-3', '5', '9223372036854775807', '-9223372036854775808', '0');
    expect(h.run('smembers', 'i')).toEqual(bulks(['-9223372036854775808', '-3', '0', '5', '10', '9223372036854775807']));
    h.run('sadd', 'h', '10', '-3', '007');
    expect(h.run('smembers', 'h')).toEqual(bulks(['10', '-3', '007']));
  });

  it('isIntset / setEncoding follow string2ll and set-max-intset-entries', () => {
    expect(isIntset(new Set(['1', '-2']))).toBe(true);
    expect(isIntset(new Set(['-0']))).toBe(false);
    expect(isIntset(new Set(['+1']))).toBe(false);
    expect(isIntset(new Set(['9223372036854775808']))).toBe(false);
    expect(isIntset(new Set(Array.from({ length: 513 }, (_, i) => String(i))))).toBe(false);
    expect(setEncoding(new Set(['a']))).toBe('hashtable');
    expect(setMembers(new Set(['3', '-1', '20']))).toEqual(['-1', '3', '20']);
  });
});

describe('memory estimate of a growing set', () => {
  it('SADD widens the intset as a fresh estimate of the same members does (16, 32, 64 bits, a string, 513 members)', () => {
    const h = fresh();
    const base = h.ks.usedBytes - estimateSize('str', { type: 'string', v: 'x' });
    expect(base).toBe(0);
    const steps = [['1', '2'], ['300'], ['40000'], ['7'], ['5000000000', '-3'], ['8'], ['x'], ['9']];
    const want = (): number => {
      const v = h.ks.db(0).peek('s') as { type: 'set'; v: Set<string> };
      return estimateSize('str', { type: 'string', v: 'x' }) + estimateSize('s', { type: 'set', v: new Set(v.v) });
    };
    for (const members of steps) {
      h.run('sadd', 's', ...members);
      expect(h.ks.usedBytes, members.join(' ')).toBe(want());
    }
    // SREM narrows again (the estimate walks the members), SADD then widens from there
    const g = fresh();
    for (const argv of [['sadd', 'g', '1', '70000'], ['srem', 'g', '70000'], ['sadd', 'g', '2'], ['sadd', 'g', '3', '3']]) {
      g.run(...argv);
      const v = g.ks.db(0).peek('g') as { type: 'set'; v: Set<string> };
      expect(g.ks.usedBytes, argv.join(' ')).toBe(estimateSize('str', { type: 'string', v: 'x' }) + estimateSize('g', { type: 'set', v: new Set(v.v) }));
    }
    const big = fresh();
    for (let i = 0; i < 513; i++) big.run('sadd', 'b', String(i));
    const v = big.ks.db(0).peek('b') as { type: 'set'; v: Set<string> };
    expect(big.ks.usedBytes).toBe(estimateSize('str', { type: 'string', v: 'x' }) + estimateSize('b', { type: 'set', v: new Set(v.v) }));
  });
});

describe('SMOVE', () => {
  it('moves, creates, deletes and checks types', () =>
    script([
      [['sadd', 's', '1', '2'], int(2)],
      [['sadd', 's2', '2'], int(1)],
      [['smove', 's', 's2', '1'], int(1)],
      [['smembers', 's2'], bulks(['1', '2'])],
      [['smove', 's', 's2', 'nope'], int(0)],
      [['smove', 'nokey', 'str', 'x'], int(0)],
      [['smove', 's', 'str', '2'], WRONGTYPE],
      [['smove', 'str', 's', '2'], WRONGTYPE],
      [['smove', 's', 's', '2'], int(1)],
      [['smove', 's', 's', '99'], int(0)],
      [['smove', 's', 'new', '2'], int(1)],
      [['scard', 's'], int(0)],
      [['smembers', 'new'], bulks(['2'])],
      [['smove', 'new', 's2', '2'], int(1)],
      [['scard', 'new'], int(0)],
    ]));

  it('touches and dirties both keys only when the member is new in dst', () => {
    const h = fresh();
    h.run('sadd', 'a', 'x', 'y');
    h.run('sadd', 'b', 'x');
    h.touched.length = 0;
    h.run('smove', 'a', 'b', 'x');
    expect(h.touched).toEqual(['0:a']);
    h.touched.length = 0;
    h.run('smove', 'a', 'b', 'y');
    expect(h.touched).toEqual(['0:a', '0:b']);
    expect(h.ks.db(0).peek('a')).toBeUndefined();
  });
});

describe('SPOP / SRANDMEMBER', () => {
  it('errors and empty cases', () =>
    script([
      [['sadd', 's', 'a', 'b', 'c'], int(3)],
      [['spop', 'nokey'], NIL],
      [['spop', 'nokey', '3'], EMPTY_ARRAY],
      [['spop', 's', '-1'], err('ERR value is out of range, must be positive')],
      [['spop', 's', 'abc'], err('ERR value is out of range, must be positive')],
      [['spop', 's', '1', '2'], SYNTAX],
      [['spop', 's', '0'], EMPTY_ARRAY],
      [['srandmember', 'nokey'], NIL],
      [['srandmember', 'nokey', '5'], EMPTY_ARRAY],
      [['srandmember', 's', '0'], EMPTY_ARRAY],
      [['srandmember', 's', '-9223372036854775808'], err('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807')],
      [['srandmember', 's', 'abc'], NOT_INT],
      [['srandmember', 's', '1', '2'], SYNTAX],
      [['srandmember', 's', '100'], bulks(['a', 'b', 'c'])],
    ]));

  it('SPOP propagates SREM, or DEL when the whole set goes', () => {
    const h = fresh();
    h.run('sadd', 's', ...'abcdefghij'.split(''));
    h.propagated.length = 0;
    const one = h.run('spop', 's');
    expect(h.propagated).toEqual([['SREM', 's', one.v as string]]);
    h.propagated.length = 0;
    const two = h.run('spop', 's', '2');
    expect(h.propagated).toEqual((two.v as Resp[]).map((x) => ['SREM', 's', x.v]));
    h.propagated.length = 0;
    const six = h.run('spop', 's', '6');
    expect((six.v as Resp[]).length).toBe(6);
    expect(h.propagated.length).toBe(6);
    expect(h.run('scard', 's')).toEqual(int(1));
    h.propagated.length = 0;
    const rest = h.run('spop', 's', '5');
    expect((rest.v as Resp[]).length).toBe(1);
    expect(h.propagated).toEqual([['DEL', 's']]);
    expect(h.ks.db(0).peek('s')).toBeUndefined();
  });

  it('single SPOP of the last member deletes the key', () => {
    const h = fresh();
    h.run('sadd', 's', 'only');
    expect(h.run('spop', 's')).toEqual(bulk('only'));
    expect(h.ks.db(0).peek('s')).toBeUndefined();
  });

  it('SRANDMEMBER counts: distinct for positive, repetitions for negative', () => {
    const h = fresh();
    h.run('sadd', 's', ...Array.from({ length: 20 }, (_, i) => `m${i}`));
    for (const n of [1, 2, 7, 19]) {
      const r = sorted(h.run('srandmember', 's', String(n)));
      expect(r.length).toBe(n);
      expect(new Set(r).size).toBe(n);
    }
    const neg = sorted(h.run('srandmember', 's', '-50'));
    expect(neg.length).toBe(50);
    expect(neg.every((m) => /^m\d+$/.test(m))).toBe(true);
    expect(h.run('scard', 's')).toEqual(int(20));
    h.run('sadd', 'one', 'x');
    expect(h.run('srandmember', 'one', '-3')).toEqual(bulks(['x', 'x', 'x']));
  });
});

describe('SINTER / SUNION / SDIFF and the STORE variants', () => {
  it('replies', () =>
    script([
      [['sadd', 's', '3', '1', '2', '-5'], int(4)],
      [['sadd', 's2', '2', '3', '4'], int(3)],
      [['sinter', 's', 's2'], bulks(['2', '3'])],
      [['sinter', 's', 'nokey'], EMPTY_ARRAY],
      [['sunion', 's', 's2', 'nokey'], bulks(['-5', '1', '2', '3', '4'])],
      [['sdiff', 's', 's2'], bulks(['-5', '1'])],
      [['sdiff', 's', 's'], EMPTY_ARRAY],
      [['sdiff', 'nokey', 's'], EMPTY_ARRAY],
      [['sinterstore', 'd', 's', 's2'], int(2)],
      [['smembers', 'd'], bulks(['2', '3'])],
      [['sinterstore', 'd', 's', 'nokey'], int(0)],
      [['scard', 'd'], int(0)],
      [['sunionstore', 'd', 's', 's2'], int(5)],
      [['sdiffstore', 'd', 's', 's2'], int(2)],
      [['smembers', 'd'], bulks(['-5', '1'])],
      [['sdiffstore', 'd', 's', 's'], int(0)],
      [['scard', 'd'], int(0)],
      [['sinterstore', 'str', 'nokey'], int(0)],
      [['scard', 'str'], int(0)],
      [['sunionstore', 'str', 's'], int(4)],
      [['smembers', 'str'], bulks(['-5', '1', '2', '3'])],
    ]));

  it('STORE overwrites the destination, clears its TTL and propagates only when it changed', () => {
    const h = fresh();
    h.run('sadd', 'a', 'x');
    h.run('sadd', 'dst', 'old');
    h.ks.db(0).setExpire('dst', h.clock.now + 10_000);
    h.propagated.length = 0;
    expect(h.run('sunionstore', 'dst', 'a')).toEqual(int(1));
    expect(h.ks.db(0).getExpire('dst')).toBeUndefined();
    expect(h.run('sinterstore', 'dst', 'a', 'nokey')).toEqual(int(0));
    expect(h.run('sinterstore', 'dst', 'a', 'nokey')).toEqual(int(0));
    expect(h.propagated).toEqual([
      ['sunionstore', 'dst', 'a'],
      ['sinterstore', 'dst', 'a', 'nokey'],
    ]);
  });
});

describe('SINTERCARD', () => {
  it('numkeys, LIMIT and errors', () =>
    script([
      [['sadd', 's', '1', '2', '3'], int(3)],
      [['sadd', 's2', '2', '3', '4'], int(3)],
      [['sintercard', '1', 's'], int(3)],
      [['sintercard', '2', 's', 's2'], int(2)],
      [['sintercard', '2', 's', 's2', 'limit', '1'], int(1)],
      [['sintercard', '2', 's', 's2', 'LIMIT', '0'], int(2)],
      [['sintercard', '2', 's', 's2', 'limit'], SYNTAX],
      [['sintercard', '2', 's', 's2', 'foo', '1'], SYNTAX],
      [['sintercard', '3', 's', 's2'], err("ERR Number of keys can't be greater than number of args")],
      [['sintercard', '0', 's'], err('ERR numkeys should be greater than 0')],
      [['sintercard', 'abc', 's'], err('ERR numkeys should be greater than 0')],
      [['sintercard', '1', 's', 'limit', '-1'], err("ERR LIMIT can't be negative")],
      [['sintercard', '1', 's', 'limit', 'x'], err("ERR LIMIT can't be negative")],
      [['sintercard', '2', 'nokey', 's'], int(0)],
    ]));
});

describe('SSCAN', () => {
  it('errors and small sets', () =>
    script([
      [['sadd', 's', '3', '1', '20'], int(3)],
      [['sscan', 'nokey', '0'], arr([bulk('0'), EMPTY_ARRAY])],
      [['sscan', 'nokey', '0', 'count', '0'], arr([bulk('0'), EMPTY_ARRAY])],
      [['sscan', 's', 'abc'], err('ERR invalid cursor')],
      [['sscan', 's', ' 1'], err('ERR invalid cursor')],
      [['sscan', 's', '18446744073709551616'], err('ERR invalid cursor')],
      [['sscan', 's', '0', 'count', '0'], SYNTAX],
      [['sscan', 's', '0', 'count', 'x'], NOT_INT],
      [['sscan', 's', '0', 'match'], SYNTAX],
      [['sscan', 's', '0', 'type', 'string'], SYNTAX],
      [['sscan', 's', '0'], arr([bulk('0'), bulks(['1', '3', '20'])])],
      [['sscan', 's', '0', 'match', '*2*'], arr([bulk('0'), bulks(['20'])])],
    ]));

  it('iterates a hashtable set fully with a cursor', () => {
    const h = fresh();
    const all = Array.from({ length: 300 }, (_, i) => `m${i}`);
    h.run('sadd', 'big', ...all);
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const r = h.run('sscan', 'big', cursor, 'count', '20');
      const [c, items] = r.v as [Resp, Resp];
      cursor = c.v as string;
      for (const x of items.v as Resp[]) seen.add(x.v as string);
      calls++;
    } while (cursor !== '0');
    expect(seen.size).toBe(300);
    expect(calls).toBeGreaterThan(5);
  });
});

describe('command table', () => {
  it('matches Redis 7.0.15 arity, flags and key positions', () => {
    const t = Object.fromEntries(setCommands.map((s) => [s.name, [s.arity, s.flags.join(','), s.firstKey, s.lastKey, s.keyStep]]));
    expect(t.sadd).toEqual([-3, 'write,denyoom,fast', 1, 1, 1]);
    expect(t.smove).toEqual([4, 'write,fast', 1, 2, 1]);
    expect(t.sinterstore).toEqual([-3, 'write,denyoom', 1, -1, 1]);
    expect(t.sintercard).toEqual([-3, 'readonly', 0, 0, 0]);
    expect(t.srandmember).toEqual([-2, 'readonly', 1, 1, 1]);
    expect(setCommands.length).toBe(17);
    expect(setCommands.every((s) => s.group === 'set')).toBe(true);
  });
});
