// Blocking list commands: immediate service, BlockRequest contents, retry() service, MULTI behaviour, propagation.
import { describe, expect, it } from 'vitest';
import { NIL, NIL_ARRAY, bulk, bulks, err, type Resp } from '../../../engine/net/resp.ts';
import { listCommands } from '../../../engine/redis/commands/lists.ts';
import { createHarness, inMulti, retryBlocked as retry, type Harness } from '../harness.ts';

const multi = (h: Harness, ...argv: string[]) => inMulti(h, listCommands, ...argv);

const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const T0 = 1_700_000_000_000;

describe('timeout argument', () => {
  const cases: [string, Resp | 'ok'][] = [
    ['-1', err('ERR timeout is negative')],
    ['abc', err('ERR timeout is not a float or out of range')],
    ['nan', err('ERR timeout is not a float or out of range')],
    [' 1', err('ERR timeout is not a float or out of range')],
    ['1 ', err('ERR timeout is not a float or out of range')],
    ['', err('ERR timeout is not a float or out of range')],
    ['inf', err('ERR timeout is negative')],
    ['-inf', err('ERR timeout is negative')],
    ['1e20', err('ERR timeout is negative')],
    ['9.3e15', err('ERR timeout is negative')],
    ['-0.0001', 'ok'],
    ['0x10', 'ok'],
    ['1e3', 'ok'],
    ['1e-5000', err('ERR timeout is not a float or out of range')],
    ['1e4933', err('ERR timeout is not a float or out of range')],
    ['0x', err('ERR timeout is not a float or out of range')],
    ['.', err('ERR timeout is not a float or out of range')],
    ['0x1p-16445', 'ok'],
    ['9223372036854775.807', 'ok'],
    ['9223372036854775.808', err('ERR timeout is negative')],
    ['-0', 'ok'],
    ['+0.5', 'ok'],
    ['0x.8', 'ok'],
    ['5.', 'ok'],
    ['1e+3', 'ok'],
  ];
  for (const [t, want] of cases) {
    it(`BLPOP timeout ${JSON.stringify(t)}`, () => {
      const h = createHarness(listCommands);
      const r = h.run('blpop', 'k', t);
      if (want === 'ok') expect(h.blocked.length).toBe(1);
      else {
        expect(r).toEqual(want);
        expect(h.blocked.length).toBe(0);
      }
    });
  }

  it('deadline is now + ceil(seconds * 1000); 0 blocks forever', () => {
    const h = createHarness(listCommands);
    h.run('blpop', 'k', '1.5');
    h.run('brpop', 'k', '0');
    h.run('blmove', 'k', 'd', 'left', 'left', '0.0001');
    h.run('blmpop', '0.25', '1', 'k', 'left');
    h.run('brpoplpush', 'k', 'd', '-0.0001');
    expect(h.blocked.map((b) => b.deadlineMs)).toEqual([T0 + 1500, 0, T0 + 1, T0 + 250, 0]);
  });

  it('timeout is checked by each command in 7.0 order', () => {
    const h = createHarness(listCommands);
    expect(h.run('blmove', 'k', 'd', 'middle', 'left', '-1')).toEqual(err('ERR syntax error'));
    expect(h.run('brpoplpush', 'k', 'd', 'x')).toEqual(err('ERR timeout is not a float or out of range'));
    expect(h.run('blmpop', 'x', '0', 'k', 'left')).toEqual(err('ERR numkeys should be greater than 0'));
    expect(h.run('blmpop', 'x', '1', 'k', 'left')).toEqual(err('ERR timeout is not a float or out of range'));
    expect(h.run('blmpop', '-1', '1', 'k', 'left', 'count', '0')).toEqual(err('ERR count should be greater than 0'));
    expect(h.run('blmpop', '-1', '1', 'k', 'left')).toEqual(err('ERR timeout is negative'));
  });
});

describe('immediate service', () => {
  it('BLPOP/BRPOP pop from the first non-empty key and propagate [LR]POP', () => {
    const h = createHarness(listCommands);
    h.run('rpush', 'b', '1', '2');
    expect(h.run('blpop', 'a', 'b', '0')).toEqual(bulks(['b', '1']));
    expect(h.run('brpop', 'a', 'b', '0')).toEqual(bulks(['b', '2']));
    expect(h.propagated.slice(1)).toEqual([['LPOP', 'b'], ['RPOP', 'b']]);
    expect(h.ks.db(0).peek('b')).toBeUndefined();
    expect(h.blocked).toEqual([]);
  });

  it('WRONGTYPE when a key before the first non-empty list has another type', () => {
    const h = createHarness(listCommands);
    h.ks.db(0).set('s', { type: 'string', v: 'x' });
    h.run('rpush', 'b', '1');
    expect(h.run('blpop', 's', 'b', '0')).toEqual(WRONGTYPE);
    expect(h.run('blpop', 'b', 's', '0')).toEqual(bulks(['b', '1']));
    expect(h.run('blmove', 's', 'd', 'left', 'left', '0')).toEqual(WRONGTYPE);
    expect(h.run('blmpop', '0', '1', 's', 'left')).toEqual(WRONGTYPE);
  });

  it('BLMOVE/BRPOPLPUSH propagate LMOVE (user spelling) / RPOPLPUSH', () => {
    const h = createHarness(listCommands);
    h.run('rpush', 'src', 'a', 'b', 'c');
    expect(h.run('blmove', 'src', 'dst', 'Left', 'RIGHT', '0')).toEqual(bulk('a'));
    expect(h.run('brpoplpush', 'src', 'dst', '0')).toEqual(bulk('c'));
    expect(h.propagated.slice(1)).toEqual([
      ['LMOVE', 'src', 'dst', 'Left', 'RIGHT'],
      ['RPOPLPUSH', 'src', 'dst'],
    ]);
    h.ks.db(0).set('s', { type: 'string', v: 'x' });
    expect(h.run('blmove', 'src', 's', 'left', 'left', '0')).toEqual(WRONGTYPE);
    expect(h.propagated.length).toBe(3);
  });

  it('BLMPOP propagates [LR]POP key n with n capped by the length', () => {
    const h = createHarness(listCommands);
    h.run('rpush', 'k', 'a', 'b');
    expect(h.run('blmpop', '0', '2', 'x', 'k', 'right', 'count', '10')).toEqual({
      t: 'array',
      v: [bulk('k'), bulks(['b', 'a'])],
    });
    expect(h.propagated.at(-1)).toEqual(['RPOP', 'k', '2']);
  });
});

describe('blocking and retry', () => {
  it('BLPOP blocks with the keys, deadline and a nil-array time-out reply; retry serves when data arrives', () => {
    const h = createHarness(listCommands);
    expect(h.run('blpop', 'a', 'b', 'a', '0')).toEqual(NIL);
    expect(h.blocked.length).toBe(1);
    const req = h.blocked[0]!;
    expect(req.keys).toEqual(['a', 'b']);
    expect(req.deadlineMs).toBe(0);
    expect(req.timeoutReply).toEqual(NIL_ARRAY);
    expect(retry(h).reply).toBeUndefined();
    h.run('rpush', 'b', 'x', 'y');
    const r = retry(h);
    expect(r.reply).toEqual(bulks(['b', 'x']));
    expect(r.prop).toEqual([['LPOP', 'b']]);
    expect(h.ks.db(0).peek('b')).toEqual({ type: 'list', v: ['y'] });
  });

  it('a woken BRPOP ignores keys of another type and stays blocked', () => {
    const h = createHarness(listCommands);
    h.run('brpop', 'a', '5');
    h.ks.db(0).set('a', { type: 'string', v: 'x' });
    expect(retry(h).reply).toBeUndefined();
    h.ks.db(0).remove('a');
    h.run('rpush', 'a', '1', '2');
    const r = retry(h);
    expect(r.reply).toEqual(bulks(['a', '2']));
    expect(r.prop).toEqual([['RPOP', 'a']]);
  });

  it('BLMOVE served from retry propagates lower-case LMOVE and deletes an emptied source', () => {
    const h = createHarness(listCommands);
    expect(h.run('blmove', 'src', 'dst', 'RIGHT', 'LEFT', '2')).toEqual(NIL);
    const req = h.blocked[0]!;
    expect(req.keys).toEqual(['src']);
    expect(req.timeoutReply).toEqual(NIL_ARRAY);
    h.run('rpush', 'src', 'v');
    h.touched.length = 0;
    const r = retry(h);
    expect(r.reply).toEqual(bulk('v'));
    expect(r.prop).toEqual([['LMOVE', 'src', 'dst', 'right', 'left']]);
    expect(h.ks.db(0).peek('src')).toBeUndefined();
    expect(h.ks.db(0).peek('dst')).toEqual({ type: 'list', v: ['v'] });
    expect(h.touched).toContain('0:dst');
  });

  it('BRPOPLPUSH served from retry propagates RPOPLPUSH; a wrong-type destination answers WRONGTYPE', () => {
    const h = createHarness(listCommands);
    h.run('brpoplpush', 'src', 'dst', '0');
    h.run('brpoplpush', 'src', 'bad', '0');
    h.ks.db(0).set('bad', { type: 'string', v: 'x' });
    h.run('rpush', 'src', 'a', 'b');
    const first = retry(h, 0);
    expect(first.reply).toEqual(bulk('b'));
    expect(first.prop).toEqual([['RPOPLPUSH', 'src', 'dst']]);
    const second = retry(h, 1);
    expect(second.reply).toEqual(WRONGTYPE);
    expect(second.prop).toEqual([]);
    expect(h.ks.db(0).peek('src')).toEqual({ type: 'list', v: ['a'] });
  });

  it('BLMPOP served from retry propagates [LR]POP key count', () => {
    const h = createHarness(listCommands);
    h.run('blmpop', '0', '2', 'a', 'b', 'left', 'count', '3');
    expect(h.blocked[0]!.keys).toEqual(['a', 'b']);
    expect(h.blocked[0]!.timeoutReply).toEqual(NIL_ARRAY);
    h.run('rpush', 'b', '1', '2');
    const r = retry(h);
    expect(r.reply).toEqual({ t: 'array', v: [bulk('b'), bulks(['1', '2'])] });
    expect(r.prop).toEqual([['LPOP', 'b', '2']]);
    expect(h.ks.db(0).peek('b')).toBeUndefined();
  });
});

describe('inside MULTI (no blocking)', () => {
  it('answers the time-out reply at once', () => {
    const h = createHarness(listCommands);
    expect(multi(h, 'blpop', 'k', '0')).toEqual(NIL_ARRAY);
    expect(multi(h, 'brpop', 'k', '1')).toEqual(NIL_ARRAY);
    expect(multi(h, 'blmpop', '0', '1', 'k', 'left')).toEqual(NIL_ARRAY);
    expect(multi(h, 'blmove', 'k', 'd', 'left', 'left', '0')).toEqual(NIL);
    expect(multi(h, 'brpoplpush', 'k', 'd', '0')).toEqual(NIL);
    expect(multi(h, 'blpop', 'k', '-1')).toEqual(err('ERR timeout is negative'));
  });

  it('serves like the non-blocking form when data is there', () => {
    const h = createHarness(listCommands);
    h.run('rpush', 'k', 'a', 'b');
    expect(multi(h, 'blpop', 'k', '0')).toEqual(bulks(['k', 'a']));
    expect(multi(h, 'brpoplpush', 'k', 'd', '0')).toEqual(bulk('b'));
  });
});
