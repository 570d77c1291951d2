// String commands: exact replies and errors (checked against a real Redis 7.0.15), TTL handling,
// propagation forms.
import { describe, expect, it } from 'vitest';
import { NIL, OK, bulk, err, int, type Resp } from '../../../engine/net/resp.ts';
import { genericCommands } from '../../../engine/redis/commands/generic.ts';
import { stringsCommands } from '../../../engine/redis/commands/strings.ts';
import { createHarness, type Harness } from '../harness.ts';

const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const NOTINT = err('ERR value is not an integer or out of range');
const NOTFLOAT = err('ERR value is not a valid float');
const SYNTAX = err('ERR syntax error');
const arr = (...v: Resp[]): Resp => ({ t: 'array', v });

function mk(): Harness {
  const h = createHarness([...stringsCommands, ...genericCommands]);
  // a non-string key for WRONGTYPE checks
  h.ks.db(0).set('list', { type: 'list', v: ['a'] });
  return h;
}

/** Table rows: command → expected reply, run in order on one harness. */
function runTable(rows: [string[], Resp][]): void {
  const h = mk();
  for (const [argv, want] of rows) expect(h.run(...argv), argv.join(' ')).toEqual(want);
}

describe('GET / SET', () => {
  it('basic options and errors', () =>
    runTable([
      [['get', 'k'], NIL],
      [['set', 'k', 'v'], OK],
      [['get', 'k'], bulk('v')],
      [['set', 'k', 'v', 'nx'], NIL],
      [['set', 'k', 'v2', 'xx', 'get'], bulk('v')],
      [['set', 'k', 'v', 'nx', 'xx'], SYNTAX],
      [['set', 'k', 'v', 'xx', 'nx'], SYNTAX],
      [['set', 'k', 'v', 'ex', '10', 'px', '100'], SYNTAX],
      [['set', 'k', 'v', 'ex', '10', 'ex', '20'], OK],
      [['ttl', 'k'], int(20)],
      [['set', 'k', 'v', 'keepttl', 'ex', '1'], SYNTAX],
      [['set', 'k', 'v', 'ex', '0'], err("ERR invalid expire time in 'set' command")],
      [['set', 'k', 'v', 'ex', '-1'], err("ERR invalid expire time in 'set' command")],
      [['set', 'k', 'v', 'ex', 'abc'], NOTINT],
      [['set', 'k', 'v', 'px', '9223372036854775807'], err("ERR invalid expire time in 'set' command")],
      [['set', 'k', 'v', 'ex', '9223372036854776'], err("ERR invalid expire time in 'set' command")],
      [['set', 'k', 'v', 'ex'], SYNTAX],
      [['set', 'k', 'v', 'foo'], SYNTAX],
      [['set', 'k', 'v', 'persist'], SYNTAX],
      [['set', 'list', 'v', 'get'], WRONGTYPE],
      [['get', 'list'], WRONGTYPE],
      [['set', 'list', 'v'], OK],
      [['get', 'list'], bulk('v')],
      [['set', 'n', 'v', 'nx', 'get'], NIL],
      [['set', 'n', 'w', 'nx', 'get'], bulk('v')],
      [['get', 'n'], bulk('v')],
      [['set', 'e', ''], OK],
      [['get', 'e'], bulk('')],
    ]));

  it('KEEPTTL keeps the TTL, plain SET clears it', () => {
    const h = mk();
    h.run('set', 'k', 'v', 'ex', '100');
    h.run('set', 'k', 'w', 'keepttl');
    expect(h.run('ttl', 'k')).toEqual(int(100));
    h.run('set', 'k', 'x');
    expect(h.run('ttl', 'k')).toEqual(int(-1));
  });

  it('SET with an expire propagates SET key value PXAT <abs-ms>', () => {
    const h = mk();
    const now = h.clock.now;
    h.run('set', 'k', 'v', 'ex', '10', 'get', 'nx');
    h.run('set', 'k2', 'v', 'px', '1500');
    h.run('set', 'k3', 'v', 'exat', '2000000000');
    h.run('setex', 'k4', '5', 'v');
    h.run('psetex', 'k5', '5', 'v');
    expect(h.propagated).toEqual([
      ['SET', 'k', 'v', 'PXAT', String(now + 10000)],
      ['SET', 'k2', 'v', 'PXAT', String(now + 1500)],
      ['SET', 'k3', 'v', 'PXAT', '2000000000000'],
      ['SET', 'k4', 'v', 'PXAT', String(now + 5000)],
      ['SET', 'k5', 'v', 'PXAT', String(now + 5)],
    ]);
  });

  it('SET ... GET propagates without GET; aborted SET is not propagated', () => {
    const h = mk();
    h.run('set', 'k', 'v', 'GET', 'keepttl', 'get');
    h.run('set', 'k', 'v', 'nx');
    expect(h.propagated).toEqual([['set', 'k', 'v', 'keepttl']]);
  });

  it('a key expires when the clock passes its expire time (not at it)', () => {
    const h = mk();
    h.run('set', 'k', 'v', 'px', '100');
    h.clock.now += 100;
    expect(h.run('get', 'k')).toEqual(bulk('v'));
    expect(h.run('pttl', 'k')).toEqual(int(0));
    h.clock.now += 1;
    expect(h.run('get', 'k')).toEqual(NIL);
    expect(h.propagated.at(-1)).toEqual(['DEL', 'k']);
  });
});

describe('GETEX / GETDEL / GETSET / SETNX / SETEX', () => {
  it('replies', () =>
    runTable([
      [['set', 'k', 'v'], OK],
      [['getex', 'k', 'keepttl'], SYNTAX],
      [['getex', 'nokey'], NIL],
      [['getex', 'k', 'persist'], bulk('v')],
      [['set', 'k', 'v', 'ex', '100'], OK],
      [['getex', 'k', 'persist'], bulk('v')],
      [['ttl', 'k'], int(-1)],
      [['getex', 'k', 'ex', '0'], err("ERR invalid expire time in 'getex' command")],
      [['getex', 'k', 'ex', '100', 'px', '5'], SYNTAX],
      [['getex', 'k', 'persist', 'ex', '5'], SYNTAX],
      [['getex', 'k', 'ex', 'x'], NOTINT],
      [['getex', 'list'], WRONGTYPE],
      [['getex', 'k', 'exat', '1'], bulk('v')],
      [['exists', 'k'], int(0)],
      [['setnx', 'n', '1'], int(1)],
      [['setnx', 'n', '2'], int(0)],
      [['setex', 's', '10', 'v'], OK],
      [['setex', 's', '0', 'v'], err("ERR invalid expire time in 'setex' command")],
      [['psetex', 's', '0', 'v'], err("ERR invalid expire time in 'psetex' command")],
      [['setex', 's', 'x', 'v'], NOTINT],
      [['getdel', 's'], bulk('v')],
      [['getdel', 's'], NIL],
      [['getdel', 'list'], WRONGTYPE],
      [['getset', 'g', '1'], NIL],
      [['getset', 'g', '2'], bulk('1')],
      [['getset', 'list', '2'], WRONGTYPE],
    ]));

  it('GETEX propagates PEXPIREAT / PERSIST / DEL, never itself', () => {
    const h = mk();
    const now = h.clock.now;
    h.run('set', 'k', 'v');
    h.propagated.length = 0;
    h.run('getex', 'k');
    h.run('getex', 'k', 'persist'); // no TTL: nothing to do
    h.run('getex', 'k', 'ex', '10');
    h.run('getex', 'k', 'persist');
    h.run('getex', 'k', 'pxat', String(now - 1));
    expect(h.propagated).toEqual([['PEXPIREAT', 'k', String(now + 10000)], ['PERSIST', 'k'], ['DEL', 'k']]);
  });

  it('GETEX with a past EXAT on a replica only sets the expire', () => {
    const h = mk();
    h.run('set', 'k', 'v');
    h.isReplica = true;
    h.fromMaster = true;
    h.propagated.length = 0;
    expect(h.run('getex', 'k', 'pxat', '1')).toEqual(bulk('v'));
    expect(h.propagated).toEqual([['PEXPIREAT', 'k', '1']]);
    expect(h.ks.db(0).peek('k')).toBeDefined();
  });

  it('GETDEL propagates DEL, GETSET propagates SET and clears the TTL', () => {
    const h = mk();
    h.run('set', 'k', 'v', 'ex', '100');
    h.propagated.length = 0;
    h.run('getset', 'k', 'w');
    expect(h.run('ttl', 'k')).toEqual(int(-1));
    h.run('getdel', 'k');
    expect(h.propagated).toEqual([['SET', 'k', 'w'], ['DEL', 'k']]);
  });
});

describe('MSET / MSETNX / MGET', () => {
  it('replies', () =>
    runTable([
      [['mset', 'a', '1', 'b'], err("ERR wrong number of arguments for 'mset' command")],
      [['msetnx', 'a', '1', 'b'], err("ERR wrong number of arguments for 'msetnx' command")],
      [['mset', 'a', '1', 'b', '2'], OK],
      [['msetnx', 'a', '1', 'c', '3'], int(0)],
      [['msetnx', 'c', '1', 'd', '3'], int(1)],
      [['mget', 'a', 'b', 'c', 'd', 'zz', 'list'], arr(bulk('1'), bulk('2'), bulk('1'), bulk('3'), NIL, NIL)],
      [['mset', 'a', 'x', 'a', 'y'], OK],
      [['get', 'a'], bulk('y')],
    ]));
});

describe('INCR family', () => {
  it('replies and 64-bit overflow', () =>
    runTable([
      [['incr', 'a'], int(1)],
      [['incrby', 'a', '10'], int(11)],
      [['decr', 'a'], int(10)],
      [['decrby', 'a', '5'], int(5)],
      [['incrby', 'a', 'x'], NOTINT],
      [['incrby', 'a', '9223372036854775808'], NOTINT],
      [['set', 'big', '9223372036854775807'], OK],
      [['incr', 'big'], err('ERR increment or decrement would overflow')],
      [['decrby', 'big', '-1'], err('ERR increment or decrement would overflow')],
      [['decr', 'big'], int(9223372036854775806n)],
      [['set', 'small', '-9223372036854775808'], OK],
      [['decr', 'small'], err('ERR increment or decrement would overflow')],
      [['decrby', 'small', '-9223372036854775808'], err('ERR decrement would overflow')],
      [['incrby', 'small', '9223372036854775807'], int(-1)],
      [['set', 's', 'abc'], OK],
      [['incr', 's'], NOTINT],
      [['set', 's', ' 1'], OK],
      [['incr', 's'], NOTINT],
      [['set', 's', '01'], OK],
      [['incr', 's'], NOTINT],
      [['set', 's', '-0'], OK],
      [['incr', 's'], NOTINT],
      [['set', 's', '+1'], OK],
      [['incr', 's'], NOTINT],
      [['incr', 'list'], WRONGTYPE],
    ]));

  it('INCR keeps the TTL', () => {
    const h = mk();
    h.run('set', 'a', '1', 'ex', '100');
    h.run('incr', 'a');
    expect(h.run('ttl', 'a')).toEqual(int(100));
  });

  it('INCRBYFLOAT: long double arithmetic, %.17Lf trimmed, errors', () =>
    runTable([
      [['incrbyfloat', 'f', '1.1'], bulk('1.1')],
      [['incrbyfloat', 'f', '2.2'], bulk('3.3')],
      [['incrbyfloat', 'f', '-3.3'], bulk('0')],
      [['del', 'f'], int(1)],
      // 1e308 as an x87 long double, printed with %.17Lf (checked on 7.0.15)
      [['incrbyfloat', 'f', '1e308'], bulk('99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048')],
      [['incrbyfloat', 'f', 'inf'], err('ERR increment would produce NaN or Infinity')],
      [['incrbyfloat', 'f', 'nan'], NOTFLOAT],
      [['incrbyfloat', 'f', 'abc'], NOTFLOAT],
      [['incrbyfloat', 'f', ' 1'], NOTFLOAT],
      [['set', 'f', '10.5'], OK],
      [['incrbyfloat', 'f', '0.1'], bulk('10.6')],
      [['incrbyfloat', 'f', '5.0e3'], bulk('5010.60000000000000009')],
      [['incrbyfloat', 'f', '0x10'], bulk('5026.60000000000000009')],
      [['set', 'f', '3.0'], OK],
      [['incrbyfloat', 'f', '0'], bulk('3')],
      [['set', 'f', 'x'], OK],
      [['incrbyfloat', 'f', '1'], NOTFLOAT],
      [['incrbyfloat', 'list', '1'], WRONGTYPE],
    ]));

  it('INCRBYFLOAT propagates SET key value KEEPTTL', () => {
    const h = mk();
    h.run('incrbyfloat', 'f', '1.5');
    h.run('incrbyfloat', 'f', '1.5');
    expect(h.propagated).toEqual([
      ['SET', 'f', '1.5', 'KEEPTTL'],
      ['SET', 'f', '3', 'KEEPTTL'],
    ]);
  });
});

describe('APPEND / STRLEN / GETRANGE / SETRANGE', () => {
  it('replies', () =>
    runTable([
      [['append', 'ap', 'hello'], int(5)],
      [['append', 'ap', ' world'], int(11)],
      [['strlen', 'ap'], int(11)],
      [['strlen', 'none'], int(0)],
      [['strlen', 'list'], WRONGTYPE],
      [['append', 'list', 'x'], WRONGTYPE],
      [['getrange', 'ap', '0', '4'], bulk('hello')],
      [['getrange', 'ap', '-5', '-1'], bulk('world')],
      [['getrange', 'ap', '-1', '-5'], bulk('')],
      [['getrange', 'ap', '5', '3'], bulk('')],
      [['getrange', 'ap', '0', '100'], bulk('hello world')],
      [['getrange', 'ap', '-100', '2'], bulk('hel')],
      [['getrange', 'ap', '0', '-100'], bulk('h')],
      [['getrange', 'nokey', '0', '1'], bulk('')],
      [['getrange', 'nokey', 'a', '1'], NOTINT],
      [['getrange', 'list', '0', '1'], WRONGTYPE],
      [['substr', 'ap', '1', '3'], bulk('ell')],
      [['setrange', 'ap', '6', 'WORLD'], int(11)],
      [['get', 'ap'], bulk('hello WORLD')],
      [['setrange', 'sr', '5', 'x'], int(6)],
      [['get', 'sr'], bulk('\0\0\0\0\0x')],
      [['setrange', 'sr2', '0', ''], int(0)],
      [['exists', 'sr2'], int(0)],
      [['setrange', 'ap', '100', ''], int(11)],
      [['setrange', 'ap', '-1', 'x'], err('ERR offset is out of range')],
      [['setrange', 'ap', 'x', 'x'], NOTINT],
      [['setrange', 'ap', '536870912', 'x'], err('ERR string exceeds maximum allowed size (proto-max-bulk-len)')],
      [['setrange', 'list', '0', 'x'], WRONGTYPE],
    ]));
});

describe('LCS', () => {
  it('replies', () => {
    const matches = (...m: [number, number, number, number, number?][]): Resp =>
      arr(
        ...m.map(([a0, a1, b0, b1, len]) =>
          arr(arr(int(a0), int(a1)), arr(int(b0), int(b1)), ...(len === undefined ? [] : [int(len)])),
        ),
      );
    runTable([
      [['set', 'l1', 'ohmytext'], OK],
      [['set', 'l2', 'mynewtext'], OK],
      [['lcs', 'l1', 'l2'], bulk('mytext')],
      [['lcs', 'l1', 'l2', 'len'], int(6)],
      [['lcs', 'l1', 'l2', 'idx'], arr(bulk('matches'), matches([4, 7, 5, 8], [2, 3, 0, 1]), bulk('len'), int(6))],
      [['lcs', 'l1', 'l2', 'idx', 'minmatchlen', '4', 'withmatchlen'], arr(bulk('matches'), matches([4, 7, 5, 8, 4]), bulk('len'), int(6))],
      [['lcs', 'l1', 'l2', 'len', 'idx'], err('ERR If you want both the length and indexes, please just use IDX.')],
      [['lcs', 'l1', 'l2', 'foo'], SYNTAX],
      [['lcs', 'l1', 'l2', 'minmatchlen'], SYNTAX],
      [['lcs', 'l1', 'l2', 'minmatchlen', 'x'], NOTINT],
      [['lcs', 'l1', 'list'], err('ERR The specified keys must contain string values')],
      [['lcs', 'l1', 'nokey'], bulk('')],
      [['lcs', 'l1', 'nokey', 'idx'], arr(bulk('matches'), arr(), bulk('len'), int(0))],
    ]);
  });
});

describe('command table', () => {
  it('arity, flags and key positions as in 7.0.15', () => {
    const t = new Map(stringsCommands.map((s) => [s.name, s]));
    expect(t.get('set')).toMatchObject({ arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1, since: '1.0.0' });
    expect(t.get('mset')).toMatchObject({ arity: -3, firstKey: 1, lastKey: -1, keyStep: 2 });
    expect(t.get('lcs')).toMatchObject({ arity: -3, flags: ['readonly'], firstKey: 1, lastKey: 2, since: '7.0.0' });
    expect(t.get('getex')).toMatchObject({ arity: -2, flags: ['write', 'fast'], since: '6.2.0' });
    expect(stringsCommands.every((s) => s.group === 'string')).toBe(true);
    expect(h0().run('get')).toEqual(err("ERR wrong number of arguments for 'get' command"));
  });
});

const h0 = (): Harness => mk();
