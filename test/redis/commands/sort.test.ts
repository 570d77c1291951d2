// SORT / SORT_RO: numeric and ALPHA orders, BY keys and hash fields, GET patterns, LIMIT, STORE
// (values from redis-server 7.0.15) and what is propagated.
import { describe, expect, it } from 'vitest';
import { OK, bulk, err, int, type Resp } from '../../../engine/net/resp.ts';
import { hashCommands } from '../../../engine/redis/commands/hashes.ts';
import { listCommands } from '../../../engine/redis/commands/lists.ts';
import { setCommands } from '../../../engine/redis/commands/sets.ts';
import { sortCommands } from '../../../engine/redis/commands/sort.ts';
import { stringsCommands } from '../../../engine/redis/commands/strings.ts';
import { zsetCommands } from '../../../engine/redis/commands/zsets.ts';
import { createHarness, type Harness } from '../harness.ts';

const arr = (...v: (string | null)[]): Resp => ({ t: 'array', v: v.map((s) => bulk(s)) });

function mk(): Harness {
  const h = createHarness([...sortCommands, ...listCommands, ...stringsCommands, ...hashCommands, ...setCommands, ...zsetCommands]);
  h.run('rpush', 'l', '3', '1', '2');
  h.run('mset', 'w_1', '30', 'w_2', '20', 'w_3', '10');
  h.run('hset', 'h_1', 'f', 'b');
  h.run('hset', 'h_2', 'f', 'a');
  return h;
}

describe('SORT', () => {
  it('orders and options', () => {
    const h = mk();
    const rows: [string[], Resp][] = [
      [['sort', 'l'], arr('1', '2', '3')],
      [['sort', 'l', 'desc', 'limit', '0', '2'], arr('3', '2')],
      [['sort', 'l', 'by', 'w_*', 'get', '#'], arr('3', '2', '1')],
      [['sort', 'l', 'by', 'h_*->f', 'alpha'], arr('3', '2', '1')],
      [['sort', 'l', 'by', 'nosort', 'desc'], arr('2', '1', '3')],
      [['sort', 'l', 'get', 'w_*', 'get', 'h_*->f', 'get', 'nostar'], arr('30', 'b', null, '20', 'a', null, '10', null, null)],
      [['sort', 'l', 'limit', 'x', '1'], err('ERR value is not an integer or out of range')],
      [['sort', 'l', 'foo'], err('ERR syntax error')],
      [['sort', 'w_1'], err('WRONGTYPE Operation against a key holding the wrong kind of value')],
      [['sort_ro', 'l', 'store', 'x'], err('ERR syntax error')],
      [['sort', 'l', 'by', 'x_*', 'alpha'], arr('3', '1', '2')],
      [['sort', 'nokey'], arr()],
    ];
    for (const [argv, want] of rows) expect(h.run(...argv), argv.join(' ')).toEqual(want);
    h.run('rpush', 'bad', 'a', '1');
    expect(h.run('sort', 'bad')).toEqual(err("ERR One or more scores can't be converted into double"));
  });

  it('STORE writes a list, deletes the target for an empty result, and is propagated as is', () => {
    const h = mk();
    expect(h.run('sort', 'l', 'alpha', 'store', 'out')).toEqual(int(3));
    expect(h.run('lrange', 'out', '0', '-1')).toEqual(arr('1', '2', '3'));
    expect(h.propagated.at(-1)).toEqual(['sort', 'l', 'alpha', 'store', 'out']);
    const n = h.propagated.length;
    h.run('sort', 'l');
    expect(h.propagated.length).toBe(n); // a read: nothing propagated
    expect(h.run('sort', 'nokey', 'store', 'out')).toEqual(int(0));
    expect(h.run('lrange', 'out', '0', '-1')).toEqual(arr());
  });

  it('a set sorted BY a constant with STORE is sorted ALPHA (deterministic for replicas)', () => {
    const h = mk();
    expect(h.run('sadd', 's', 'c', 'a', 'b')).toEqual(int(3));
    expect(h.run('sort', 's', 'by', 'nosort', 'store', 'o')).toEqual(int(3));
    expect(h.run('lrange', 'o', '0', '-1')).toEqual(arr('a', 'b', 'c'));
    expect(h.run('set', 'x', 'y')).toEqual(OK);
  });

  it('a set sorted BY a constant from a script is sorted ALPHA; from a client it keeps the set order', () => {
    const h = mk();
    const members = 'a b c d e f g h i l m n o p q r s t u v z aa aaa azz'.split(' ');
    h.run('sadd', 's', ...members);
    const setOrder = h.run('smembers', 's');
    expect(h.run('sort', 's', 'by', '_')).toEqual(setOrder);
    expect(setOrder).not.toEqual(arr(...[...members].sort())); // else the script case below could not fail
    // the scripting engine's client (CLIENT_SCRIPT): Redis 7.0 sorts so that the script sees one order
    (h.client as { scriptCaller?: unknown }).scriptCaller = {};
    expect(h.run('sort', 's', 'by', '_')).toEqual(arr(...[...members].sort()));
    expect(h.run('sort', 's', 'by', '_', 'desc')).toEqual(arr(...[...members].sort().reverse()));
  });
});
