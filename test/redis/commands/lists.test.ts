// Exact replies of the non-blocking list commands (checked against Redis 7.0.15).
import { describe, expect, it } from 'vitest';
import { EMPTY_ARRAY, NIL, NIL_ARRAY, OK, bulk, bulks, err, int, type Resp } from '../../../engine/net/resp.ts';
import { listCommands } from '../../../engine/redis/commands/lists.ts';
import { createHarness } from '../harness.ts';

const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const NOT_INT = err('ERR value is not an integer or out of range');
const SYNTAX = err('ERR syntax error');
const ints = (...xs: number[]): Resp => ({ t: 'array', v: xs.map((x) => int(x)) });

/** Each case: setup commands, then [command, expected reply] steps. */
type Case = [name: string, setup: string[][], steps: [string[], Resp][]];

function runCases(cases: Case[]): void {
  for (const [name, setup, steps] of cases) {
    it(name, () => {
      const h = createHarness(listCommands);
      h.ks.db(0).set('str', { type: 'string', v: 'x' });
      for (const s of setup) h.run(...s);
      for (const [cmd, want] of steps) expect(h.run(...cmd), cmd.join(' ')).toEqual(want);
    });
  }
}

const abc = [['rpush', 'l', 'a', 'b', 'c']];

describe('push / pop', () => {
  runCases([
    ['lpush order', [], [[['lpush', 'l', 'a', 'b', 'c'], int(3)], [['lrange', 'l', '0', '-1'], bulks(['c', 'b', 'a'])]]],
    ['rpush order', [], [[['rpush', 'l', 'a', 'b'], int(2)], [['rpush', 'l', 'c'], int(3)], [['lrange', 'l', '0', '-1'], bulks(['a', 'b', 'c'])]]],
    ['pushx on missing', [], [[['lpushx', 'l', 'a'], int(0)], [['rpushx', 'l', 'a', 'b'], int(0)], [['llen', 'l'], int(0)]]],
    ['pushx on existing', abc, [[['lpushx', 'l', 'z', 'y'], int(5)], [['rpushx', 'l', 'q'], int(6)], [['lrange', 'l', '0', '-1'], bulks(['y', 'z', 'a', 'b', 'c', 'q'])]]],
    ['push wrongtype', [], [[['lpush', 'str', 'a'], WRONGTYPE], [['rpushx', 'str', 'a'], WRONGTYPE]]],
    ['lpop single', abc, [[['lpop', 'l'], bulk('a')], [['rpop', 'l'], bulk('c')], [['lpop', 'l'], bulk('b')], [['lpop', 'l'], NIL]]],
    ['pop with count', abc, [[['rpop', 'l', '2'], bulks(['c', 'b'])], [['lpop', 'l', '5'], bulks(['a'])], [['lpop', 'l', '1'], NIL_ARRAY]]],
    ['pop count 0', abc, [[['lpop', 'l', '0'], EMPTY_ARRAY], [['llen', 'l'], int(3)], [['lpop', 'nokey', '0'], NIL_ARRAY]]],
    ['pop missing', [], [[['lpop', 'nokey'], NIL], [['rpop', 'nokey', '1'], NIL_ARRAY]]],
    ['pop count errors', abc, [
      [['lpop', 'l', '-1'], err('ERR value is out of range, must be positive')],
      [['lpop', 'l', 'abc'], err('ERR value is out of range, must be positive')],
      [['lpop', 'l', '1', '2'], err("ERR wrong number of arguments for 'lpop' command")],
      [['rpop', 'l', '1', '2'], err("ERR wrong number of arguments for 'rpop' command")],
    ]],
    ['pop count error before lookup', [], [[['lpop', 'str', 'x'], err('ERR value is out of range, must be positive')], [['lpop', 'str'], WRONGTYPE], [['lpop', 'str', '0'], WRONGTYPE]]],
  ]);
});

describe('llen / lindex / lrange / lset', () => {
  runCases([
    ['llen', abc, [[['llen', 'l'], int(3)], [['llen', 'nokey'], int(0)], [['llen', 'str'], WRONGTYPE]]],
    ['lindex', abc, [
      [['lindex', 'l', '0'], bulk('a')], [['lindex', 'l', '-1'], bulk('c')], [['lindex', 'l', '-3'], bulk('a')],
      [['lindex', 'l', '3'], NIL], [['lindex', 'l', '-4'], NIL], [['lindex', 'l', 'x'], NOT_INT],
      [['lindex', 'nokey', 'x'], NIL], [['lindex', 'str', '0'], WRONGTYPE],
    ]],
    ['lrange', abc, [
      [['lrange', 'l', '0', '-1'], bulks(['a', 'b', 'c'])], [['lrange', 'l', '-2', '100'], bulks(['b', 'c'])],
      [['lrange', 'l', '-100', '0'], bulks(['a'])], [['lrange', 'l', '2', '1'], EMPTY_ARRAY], [['lrange', 'l', '5', '10'], EMPTY_ARRAY],
      [['lrange', 'l', '0', '-4'], EMPTY_ARRAY], [['lrange', 'nokey', '0', '1'], EMPTY_ARRAY], [['lrange', 'nokey', 'a', '1'], NOT_INT],
      [['lrange', 'str', '0', '1'], WRONGTYPE], [['lrange', 'l', '9223372036854775808', '1'], NOT_INT],
      [['lrange', 'l', '-9223372036854775808', '9223372036854775807'], bulks(['a', 'b', 'c'])],
    ]],
    ['lset', abc, [
      [['lset', 'l', '1', 'B'], OK], [['lset', 'l', '-1', 'C'], OK], [['lrange', 'l', '0', '-1'], bulks(['a', 'B', 'C'])],
      [['lset', 'l', '3', 'x'], err('ERR index out of range')], [['lset', 'l', '-4', 'x'], err('ERR index out of range')],
      [['lset', 'l', 'x', 'x'], NOT_INT], [['lset', 'nokey', 'x', 'x'], err('ERR no such key')], [['lset', 'str', '0', 'x'], WRONGTYPE],
    ]],
  ]);
});

describe('ltrim / lrem / linsert', () => {
  runCases([
    ['ltrim keeps range', [['rpush', 'l', 'a', 'b', 'c', 'd', 'e']], [[['ltrim', 'l', '1', '-2'], OK], [['lrange', 'l', '0', '-1'], bulks(['b', 'c', 'd'])]]],
    ['ltrim out of range empties', abc, [[['ltrim', 'l', '5', '10'], OK], [['llen', 'l'], int(0)], [['lpushx', 'l', 'x'], int(0)]]],
    ['ltrim start > end empties', abc, [[['ltrim', 'l', '2', '1'], OK], [['lrange', 'l', '0', '-1'], EMPTY_ARRAY]]],
    ['ltrim errors', abc, [[['ltrim', 'nokey', 'a', '1'], NOT_INT], [['ltrim', 'nokey', '0', '1'], OK], [['ltrim', 'str', '0', '1'], WRONGTYPE]]],
    ['lrem head first', [['rpush', 'l', 'a', 'b', 'a', 'c', 'a']], [[['lrem', 'l', '2', 'a'], int(2)], [['lrange', 'l', '0', '-1'], bulks(['b', 'c', 'a'])]]],
    ['lrem tail first', [['rpush', 'l', 'a', 'b', 'a', 'c', 'a']], [[['lrem', 'l', '-2', 'a'], int(2)], [['lrange', 'l', '0', '-1'], bulks(['a', 'b', 'c'])]]],
    ['lrem all', [['rpush', 'l', 'a', 'b', 'a']], [[['lrem', 'l', '0', 'a'], int(2)], [['lrem', 'l', '0', 'b'], int(1)], [['llen', 'l'], int(0)]]],
    ['lrem errors', abc, [[['lrem', 'l', 'x', 'a'], NOT_INT], [['lrem', 'nokey', '0', 'a'], int(0)], [['lrem', 'str', '0', 'a'], WRONGTYPE], [['lrem', 'l', '0', 'zz'], int(0)]]],
    ['linsert', abc, [
      [['linsert', 'l', 'before', 'b', 'x'], int(4)], [['linsert', 'l', 'AFTER', 'c', 'y'], int(5)],
      [['lrange', 'l', '0', '-1'], bulks(['a', 'x', 'b', 'c', 'y'])], [['linsert', 'l', 'before', 'zz', 'q'], int(-1)],
      [['linsert', 'nokey', 'before', 'a', 'q'], int(0)], [['linsert', 'nokey', 'middle', 'a', 'q'], SYNTAX],
      [['linsert', 'str', 'after', 'a', 'q'], WRONGTYPE], [['linsert', 'l', 'middle', 'a', 'q'], SYNTAX],
    ]],
  ]);
});

describe('lpos', () => {
  const setup = [['rpush', 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a']];
  runCases([
    ['first match', setup, [[['lpos', 'l', 'a'], int(0)], [['lpos', 'l', 'c'], int(2)], [['lpos', 'l', 'zz'], NIL]]],
    ['option keywords end at a NUL byte (strcasecmp)', setup, [[['lpos', 'l', 'a', 'RANK\0zz', '2'], int(3)], [['lmove', 'l', 'd', 'left\0', 'right'], bulk('a')]]],
    ['rank', setup, [[['lpos', 'l', 'a', 'RANK', '2'], int(3)], [['lpos', 'l', 'a', 'rank', '-1'], int(6)], [['lpos', 'l', 'a', 'rank', '-3'], int(0)], [['lpos', 'l', 'a', 'rank', '4'], NIL]]],
    ['count', setup, [
      [['lpos', 'l', 'a', 'count', '0'], ints(0, 3, 6)], [['lpos', 'l', 'a', 'count', '2'], ints(0, 3)],
      [['lpos', 'l', 'a', 'rank', '-1', 'count', '0'], ints(6, 3, 0)], [['lpos', 'l', 'a', 'rank', '2', 'count', '5'], ints(3, 6)],
      [['lpos', 'l', 'zz', 'count', '1'], EMPTY_ARRAY],
    ]],
    ['maxlen', setup, [[['lpos', 'l', 'a', 'count', '0', 'maxlen', '4'], ints(0, 3)], [['lpos', 'l', 'c', 'maxlen', '2'], NIL], [['lpos', 'l', 'a', 'rank', '-1', 'maxlen', '1'], int(6)]]],
    ['rank LONG_MIN behaves as scanning from the tail without a stop', setup, [
      [['lpos', 'l', 'a', 'rank', '-9223372036854775808'], int(6)],
      [['lpos', 'l', 'a', 'rank', '-9223372036854775808', 'count', '1'], ints(6, 3, 0)],
      [['lpos', 'l', 'a', 'rank', '9223372036854775807'], NIL],
    ]],
    ['missing key', [], [[['lpos', 'nokey', 'a'], NIL], [['lpos', 'nokey', 'a', 'count', '2'], EMPTY_ARRAY], [['lpos', 'str', 'a'], WRONGTYPE]]],
    ['errors', setup, [
      [['lpos', 'l', 'a', 'rank', '0'], err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")],
      [['lpos', 'nokey', 'a', 'rank', '0'], err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")],
      [['lpos', 'l', 'a', 'rank', 'x'], NOT_INT],
      [['lpos', 'l', 'a', 'count', '-1'], err("ERR COUNT can't be negative")],
      [['lpos', 'l', 'a', 'count', 'x'], err("ERR COUNT can't be negative")],
      [['lpos', 'l', 'a', 'maxlen', '-1'], err("ERR MAXLEN can't be negative")],
      [['lpos', 'l', 'a', 'rank'], SYNTAX], [['lpos', 'l', 'a', 'foo'], SYNTAX], [['lpos', 'str', 'a', 'foo', '1'], SYNTAX],
    ]],
  ]);
});

describe('lmove / rpoplpush / lmpop', () => {
  runCases([
    ['lmove between lists', abc, [
      [['lmove', 'l', 'd', 'left', 'right'], bulk('a')], [['lmove', 'l', 'd', 'RIGHT', 'LEFT'], bulk('c')],
      [['lrange', 'd', '0', '-1'], bulks(['c', 'a'])], [['lrange', 'l', '0', '-1'], bulks(['b'])],
      [['lmove', 'l', 'd', 'left', 'left'], bulk('b')], [['llen', 'l'], int(0)], [['lmove', 'l', 'd', 'left', 'left'], NIL],
    ]],
    ['lmove rotate same key', abc, [[['lmove', 'l', 'l', 'left', 'right'], bulk('a')], [['lrange', 'l', '0', '-1'], bulks(['b', 'c', 'a'])]]],
    ['lmove single element same key', [['rpush', 'l', 'a']], [[['lmove', 'l', 'l', 'left', 'right'], bulk('a')], [['lrange', 'l', '0', '-1'], bulks(['a'])]]],
    ['lmove errors', abc, [
      [['lmove', 'l', 'd', 'middle', 'left'], SYNTAX], [['lmove', 'l', 'str', 'left', 'left'], WRONGTYPE],
      [['llen', 'l'], int(3)], [['lmove', 'str', 'd', 'left', 'left'], WRONGTYPE], [['lmove', 'nokey', 'str', 'left', 'left'], NIL],
    ]],
    ['rpoplpush', abc, [[['rpoplpush', 'l', 'd'], bulk('c')], [['rpoplpush', 'l', 'l'], bulk('b')], [['lrange', 'l', '0', '-1'], bulks(['b', 'a'])], [['rpoplpush', 'nokey', 'd'], NIL]]],
    ['lmpop', abc, [
      [['lmpop', '2', 'nokey', 'l', 'left'], { t: 'array', v: [bulk('l'), bulks(['a'])] }],
      [['lmpop', '1', 'l', 'RIGHT', 'COUNT', '5'], { t: 'array', v: [bulk('l'), bulks(['c', 'b'])] }],
      [['lmpop', '1', 'l', 'left'], NIL_ARRAY],
    ]],
    ['lmpop errors', abc, [
      [['lmpop', '0', 'l', 'left'], err('ERR numkeys should be greater than 0')],
      [['lmpop', 'x', 'l', 'left'], err('ERR numkeys should be greater than 0')],
      [['lmpop', '2', 'l', 'left'], SYNTAX], [['lmpop', '1', 'l', 'middle'], SYNTAX],
      [['lmpop', '9223372036854775807', 'l', 'left'], SYNTAX],
      [['lmpop', '1', 'l', 'left', 'count', '0'], err('ERR count should be greater than 0')],
      [['lmpop', '1', 'l', 'left', 'count', 'x'], err('ERR count should be greater than 0')],
      [['lmpop', '1', 'l', 'left', 'count', '1', 'count', '1'], SYNTAX], [['lmpop', '1', 'l', 'left', 'count'], SYNTAX],
      [['lmpop', '2', 'str', 'l', 'left'], WRONGTYPE], [['lmpop', '2', 'l', 'str', 'left'], { t: 'array', v: [bulk('l'), bulks(['a'])] }],
    ]],
  ]);
});

describe('keyspace effects', () => {
  it('touches, dirties and propagates writes; read-only calls do not', () => {
    const h = createHarness(listCommands);
    h.run('rpush', 'l', 'a', 'b', 'c');
    expect(h.touched).toEqual(['0:l']);
    expect(h.propagated).toEqual([['rpush', 'l', 'a', 'b', 'c']]);
    h.run('lrange', 'l', '0', '-1');
    h.run('lrem', 'l', '0', 'zz');
    h.run('linsert', 'l', 'before', 'zz', 'x');
    h.run('lpop', 'l', '0');
    h.run('ltrim', 'l', '0', '-1');
    expect(h.propagated.length).toBe(1);
    h.run('lmpop', '1', 'l', 'right', 'count', '10');
    expect(h.propagated.at(-1)).toEqual(['RPOP', 'l', '3']);
    expect(h.ks.db(0).peek('l')).toBeUndefined();
    expect(h.ks.db(0).dict.has('l')).toBe(false);
  });

  it('emptied lists are deleted by every removing command', () => {
    const h = createHarness(listCommands);
    const db = h.ks.db(0);
    for (const cmd of [
      ['lpop', 'l'], ['rpop', 'l', '3'], ['lrem', 'l', '0', 'a'], ['ltrim', 'l', '1', '0'],
      ['lmove', 'l', 'd', 'left', 'left'], ['rpoplpush', 'l', 'd'], ['lmpop', '1', 'l', 'left'],
    ]) {
      h.run('rpush', 'l', 'a');
      h.run(...cmd);
      expect(db.peek('l'), cmd.join(' ')).toBeUndefined();
    }
  });

  it('keeps memory accounting in step with in-place mutation', () => {
    const h = createHarness(listCommands);
    const db = h.ks.db(0);
    h.run('rpush', 'l', 'a');
    h.run('rpush', 'l', 'x'.repeat(100));
    h.run('lset', 'l', '0', 'y'.repeat(10));
    expect(h.ks.usedBytes).toBe(db.entry('l')?.size);
    h.run('lpop', 'l', '2');
    expect(h.ks.usedBytes).toBe(0);
  });
});
