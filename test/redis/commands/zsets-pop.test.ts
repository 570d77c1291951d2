// ZPOPMIN/ZPOPMAX, ZMPOP, BZPOPMIN/BZPOPMAX/BZMPOP (immediate, blocked, retried, in MULTI) and ZRANDMEMBER.
// The scripted replies were recorded from a real Redis 7.0.15.
import { describe, expect, it } from 'vitest';
import { EMPTY_ARRAY, NIL, NIL_ARRAY, arr, bulk, bulks, err, int, type Resp } from '../../../engine/net/resp.ts';
import { zsetCommands } from '../../../engine/redis/commands/zsets.ts';
import { inMulti as inMultiOf, retryBlocked as retry, type Harness } from '../harness.ts';
import { NOT_INT, SYNTAX, WRONGTYPE, exists, zfresh as zfreshWith } from './zset-fixtures.ts';

const inMulti = (h: Harness, ...argv: string[]) => inMultiOf(h, zsetCommands, ...argv);
const zfresh = (): Harness => zfreshWith();

describe('pops and ZRANDMEMBER (recorded from Redis 7.0.15)', () => {
  it('one long script', () => {
    const h = zfresh();
    const steps: [string[], Resp][] = [
      [['zadd', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], int(5)],
      [['zpopmin', 'z'], bulks(['a', '1'])],
      [['zpopmax', 'z'], bulks(['e', '5'])],
      [['zpopmin', 'z', '2'], bulks(['b', '2', 'c', '3'])],
      [['zpopmax', 'z', '10'], bulks(['d', '4'])],
      [['exists', 'z'], int(0)],
      [['zpopmin', 'nokey'], EMPTY_ARRAY],
      [['zpopmin', 'nokey', '3'], EMPTY_ARRAY],
      [['zpopmin', 'nokey', '-1'], err('ERR value is out of range, must be positive')],
      [['zpopmin', 'z', 'x'], err('ERR value is out of range, must be positive')],
      [['zpopmin', 'z', '1', '2'], SYNTAX],
      [['zadd', 'z', '1.5', 'a'], int(1)],
      [['zpopmin', 'z', '0'], EMPTY_ARRAY],
      [['zpopmax', 'str'], WRONGTYPE],
      [['zpopmax', 'str', '0'], WRONGTYPE],
      [['zadd', 'mp', '1', 'a', '2', 'b', '3', 'c'], int(3)],
      [['zadd', 'mp2', '5', 'x'], int(1)],
      [['zmpop', '1', 'mp', 'min'], arr([bulk('mp'), arr([bulks(['a', '1'])])])],
      [['zmpop', '2', 'nokey', 'mp', 'MAX', 'COUNT', '10'], arr([bulk('mp'), arr([bulks(['c', '3']), bulks(['b', '2'])])])],
      [['exists', 'mp'], int(0)],
      [['zmpop', '2', 'nokey', 'mp2', 'min', 'count', '0'], err('ERR count should be greater than 0')],
      [['zmpop', '2', 'nokey', 'mp2', 'min', 'count', '-1'], err('ERR count should be greater than 0')],
      [['zmpop', '2', 'nokey', 'mp2', 'min', 'count', 'x'], err('ERR count should be greater than 0')],
      [['zmpop', '2', 'nokey', 'mp2', 'min', 'count', '1', 'count', '1'], SYNTAX],
      [['zmpop', '2', 'nokey', 'mp2', 'foo'], SYNTAX],
      [['zmpop', '3', 'nokey', 'mp2', 'min'], SYNTAX],
      [['zmpop', '0', 'mp2', 'min'], err('ERR numkeys should be greater than 0')],
      [['zmpop', 'x', 'mp2', 'min'], err('ERR numkeys should be greater than 0')],
      [['zmpop', '1', 'nokey', 'min'], NIL_ARRAY],
      [['zmpop', '2', 'str', 'mp2', 'min'], WRONGTYPE],
      [['zmpop', '2', 'mp2', 'str', 'min'], arr([bulk('mp2'), arr([bulks(['x', '5'])])])],
      [['zmpop', '1', 'mp2', 'min', 'count'], SYNTAX],
      [['zmpop', '1', 'mp2', 'min', 'count', '2', 'extra'], SYNTAX],
      [['bzpopmin', 'mp2', '-1'], err('ERR timeout is negative')],
      [['bzpopmin', 'mp2', 'abc'], err('ERR timeout is not a float or out of range')],
      [['bzpopmin', 'mp2', 'inf'], err('ERR timeout is negative')],
      [['bzpopmin', 'mp2', ''], err('ERR timeout is not a float or out of range')],
      [['bzpopmin', 'str', '0'], WRONGTYPE],
      [['bzpopmin', 'nokey', 'mp2', 'str', '0'], WRONGTYPE],
      [['zadd', 'mp2', '7', 'y', '8', 'z'], int(2)],
      [['bzpopmax', 'nokey', 'mp2', '1'], bulks(['mp2', 'z', '8'])],
      [['bzmpop', '0', '2', 'nokey', 'mp2', 'min', 'count', '5'], arr([bulk('mp2'), arr([bulks(['y', '7'])])])],
      [['bzmpop', '1', '0', 'mp2', 'min'], err('ERR numkeys should be greater than 0')],
      [['bzmpop', 'x', '1', 'mp2', 'min'], err('ERR timeout is not a float or out of range')],
      [['bzmpop', '-1', '1', 'mp2', 'min'], err('ERR timeout is negative')],
      [['bzmpop', 'x', '1', 'mp2', 'foo'], SYNTAX],
      [['bzmpop', '0', '1', 'str', 'min'], WRONGTYPE],
      [['zadd', 'r', '1', 'a'], int(1)],
      [['zrandmember', 'r'], bulk('a')],
      [['zrandmember', 'r', '5', 'withscores'], bulks(['a', '1'])],
      [['zrandmember', 'r', '-3', 'withscores'], bulks(['a', '1', 'a', '1', 'a', '1'])],
      [['zrandmember', 'r', '-3'], bulks(['a', 'a', 'a'])],
      [['zrandmember', 'r', '0'], EMPTY_ARRAY],
      [['zrandmember', 'r', '0', 'withscores'], EMPTY_ARRAY],
      [['zrandmember', 'nokey'], NIL],
      [['zrandmember', 'nokey', '5'], EMPTY_ARRAY],
      [['zrandmember', 'nokey', 'x'], NOT_INT],
      [['zrandmember', 'r', 'x'], NOT_INT],
      [['zrandmember', 'r', '1', 'foo'], SYNTAX],
      [['zrandmember', 'r', '1', 'withscores', 'x'], SYNTAX],
      [['zrandmember', 'r', '-9223372036854775808'], err('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807')],
      [['zrandmember', 'r', '4611686018427387904', 'withscores'], err('ERR value is out of range')],
      [['zrandmember', 'r', '-4611686018427387904', 'withscores'], err('ERR value is out of range')],
      [['zrandmember', 'r', '4611686018427387903', 'withscores'], bulks(['a', '1'])],
      [['zrandmember', 'str', '1'], WRONGTYPE],
      [['zrandmember', 'str'], WRONGTYPE],
    ];
    for (const [argv, want] of steps) expect(h.run(...argv), argv.join(' ')).toEqual(want);
  });
});

describe('propagation of pops', () => {
  it('ZPOPMIN/ZPOPMAX propagate verbatim, and not at all when nothing was popped', () => {
    const h = zfresh();
    h.run('zadd', 'z', '1', 'a', '2', 'b');
    h.propagated.length = 0;
    h.run('zpopmin', 'z', '0');
    h.run('zpopmin', 'nokey');
    expect(h.run('zpopmax', 'z', '5')).toEqual(bulks(['b', '2', 'a', '1']));
    expect(h.propagated).toEqual([['zpopmax', 'z', '5']]);
    expect(h.ks.db(0).peek('z')).toBeUndefined();
  });

  it('ZMPOP is replicated as ZPOP[MIN|MAX] key <popped count>', () => {
    const h = zfresh();
    h.run('zadd', 'z', '1', 'a', '2', 'b');
    h.propagated.length = 0;
    expect(h.run('zmpop', '2', 'nokey', 'z', 'max', 'count', '10')).toEqual(arr([bulk('z'), arr([bulks(['b', '2']), bulks(['a', '1'])])]));
    expect(h.propagated).toEqual([['ZPOPMAX', 'z', '2']]);
    expect(h.run('zmpop', '1', 'z', 'min')).toEqual(NIL_ARRAY);
    expect(h.propagated.length).toBe(1);
  });

  it('BZPOPMIN with data answers at once, replicated as ZPOPMIN key', () => {
    const h = zfresh();
    h.run('zadd', 'z', '1', 'a', '2', 'b');
    h.propagated.length = 0;
    expect(h.run('bzpopmin', 'nokey', 'z', '0')).toEqual(bulks(['z', 'a', '1']));
    expect(h.propagated).toEqual([['ZPOPMIN', 'z']]);
    expect(h.run('bzmpop', '0', '1', 'z', 'max', 'count', '3')).toEqual(arr([bulk('z'), arr([bulks(['b', '2'])])]));
    expect(h.propagated[1]).toEqual(['ZPOPMAX', 'z', '1']);
    expect(h.blocked).toEqual([]);
  });
});

describe('blocking', () => {
  it('timeout errors', () => {
    const h = zfresh();
    for (const [t, want] of [
      ['-1', err('ERR timeout is negative')],
      ['abc', err('ERR timeout is not a float or out of range')],
      ['', err('ERR timeout is not a float or out of range')],
      [' 1', err('ERR timeout is not a float or out of range')],
      ['inf', err('ERR timeout is negative')],
      ['1e20', err('ERR timeout is negative')],
    ] as const) {
      expect(h.run('bzpopmin', 'k', t), t).toEqual(want);
      expect(h.run('bzmpop', t, '1', 'k', 'min'), t).toEqual(want);
    }
    expect(h.blocked).toEqual([]);
  });

  it('BZPOPMAX blocks on missing keys; retry serves the first non-empty sorted set', () => {
    const h = zfresh();
    expect(h.run('bzpopmax', 'k1', 'k2', 'k1', '1.5')).toEqual(NIL); // the harness's stand-in for "no reply yet"
    const req = h.blocked[0]!;
    expect(req.keys).toEqual(['k1', 'k2']);
    expect(req.deadlineMs).toBe(h.clock.now + 1500);
    expect(req.timeoutReply).toEqual(NIL_ARRAY);
    expect(retry(h).reply).toBeUndefined();
    h.ks.db(0).set('k1', { type: 'string', v: 'x' });
    h.run('zadd', 'k2', '1', 'a', '5', 'b');
    const { reply, prop } = retry(h);
    expect(reply).toEqual(bulks(['k2', 'b', '5']));
    expect(prop).toEqual([['ZPOPMAX', 'k2']]);
    expect(h.run('zcard', 'k2')).toEqual(int(1));
  });

  it('BZMPOP blocks forever with timeout 0 and replicates the served pop with its count', () => {
    const h = zfresh();
    h.run('bzmpop', '0', '2', 'a', 'b', 'MIN', 'COUNT', '5');
    expect(h.blocked[0]!.deadlineMs).toBe(0);
    expect(h.blocked[0]!.keys).toEqual(['a', 'b']);
    h.run('zadd', 'b', '3', 'x', '4', 'y');
    const { reply, prop } = retry(h);
    expect(reply).toEqual(arr([bulk('b'), arr([bulks(['x', '3']), bulks(['y', '4'])])]));
    expect(prop).toEqual([['ZPOPMIN', 'b', '2']]);
    expect(h.ks.db(0).peek('b')).toBeUndefined();
  });

  it('timeouts are rounded up to whole milliseconds', () => {
    const h = zfresh();
    h.run('bzpopmin', 'k', '0.0015');
    expect(h.blocked[0]!.deadlineMs).toBe(h.clock.now + 2);
  });

  it('inside MULTI the time-out reply comes at once', () => {
    const h = zfresh();
    expect(inMulti(h, 'bzpopmin', 'k', '0')).toEqual(NIL_ARRAY);
    expect(inMulti(h, 'bzmpop', '0', '1', 'k', 'min')).toEqual(NIL_ARRAY);
    h.run('zadd', 'k', '1', 'a');
    expect(inMulti(h, 'bzpopmax', 'k', '0')).toEqual(bulks(['k', 'a', '1']));
    expect(h.blocked).toEqual([]);
  });
});

describe('ZRANDMEMBER counts', () => {
  it('distinct members for positive counts, repetitions for negative, scores paired', () => {
    const h = zfresh();
    h.run('zadd', 'z', ...Array.from({ length: 20 }, (_, i) => [String(i), `m${i}`]).flat());
    for (const n of [1, 2, 6, 7, 19, 20, 30]) {
      const r = (h.run('zrandmember', 'z', String(n)).v as Resp[]).map((x) => x.v);
      expect(r.length).toBe(Math.min(n, 20));
      expect(new Set(r).size).toBe(r.length);
    }
    const neg = (h.run('zrandmember', 'z', '-40', 'withscores').v as Resp[]).map((x) => x.v as string);
    expect(neg.length).toBe(80);
    for (let i = 0; i < neg.length; i += 2) expect(neg[i]).toBe(`m${neg[i + 1]}`);
    expect(h.run('zrandmember', 'z', '20')).toEqual(bulks(Array.from({ length: 20 }, (_, i) => `m${i}`)));
    const one = h.run('zrandmember', 'z');
    expect(one.t).toBe('bulk');
  });
});

