// Bitmap commands: replies checked against a real Redis 7.0.15 (bitops.c), propagation, encodings.
import { describe, expect, it } from 'vitest';
import { NIL, OK, bulk, err, int, type Resp } from '../../../engine/net/resp.ts';
import { bitopsCommands } from '../../../engine/redis/commands/bitops-table.ts';
import { genericCommands } from '../../../engine/redis/commands/generic.ts';
import { stringsCommands } from '../../../engine/redis/commands/strings.ts';
import { createHarness, type Harness } from '../harness.ts';

const arr = (...v: Resp[]): Resp => ({ t: 'array', v });
const mk = (): Harness => createHarness([...bitopsCommands, ...stringsCommands, ...genericCommands]);

function runTable(rows: [string[], Resp][], h = mk()): Harness {
  for (const [argv, want] of rows) expect(h.run(...argv), argv.join(' ')).toEqual(want);
  return h;
}

describe('SETBIT / GETBIT / BITCOUNT / BITPOS', () => {
  it('bits, counts and positions (values from redis-server 7.0.15)', () =>
    runTable([
      [['setbit', 'b', '7', '1'], int(0)],
      [['setbit', 'b', '100', '1'], int(0)],
      [['setbit', 'b', '100', '1'], int(1)],
      [['getbit', 'b', '7'], int(1)],
      [['getbit', 'b', '1000000'], int(0)],
      [['bitcount', 'b'], int(2)],
      [['bitcount', 'b', '0', '0'], int(1)],
      [['bitcount', 'b', '1', '-1', 'bit'], int(2)],
      [['bitcount', 'b', '1'], err('ERR syntax error')],
      [['bitcount', 'nokey', '1'], int(0)],
      [['bitpos', 'b', '1'], int(7)],
      [['bitpos', 'b', '0'], int(0)],
      [['bitpos', 'b', '1', '2'], int(100)],
      [['bitpos', 'b', '0', '0', '-1', 'bit'], int(0)],
      [['bitpos', 'nokey', '1'], int(-1)],
      [['bitpos', 'b', '2'], err('ERR The bit argument must be 1 or 0.')],
      [['set', 's', 'foobar'], OK],
      [['bitcount', 's', '1', '1'], int(6)],
      [['bitcount', 's', '5', '30', 'BIT'], int(17)],
      [['bitpos', 's', '0', '2', '-1', 'bit'], int(3)],
      [['setbit', 'b', '4294967296', '1'], err('ERR bit offset is not an integer or out of range')],
      [['setbit', 'b', '1', '2'], err('ERR bit is not an integer or out of range')],
    ]));

  it('SETBIT propagates as itself only when a bit or the length changed; values become raw', () => {
    const h = runTable([
      [['set', 'k', '12'], OK],
      [['setbit', 'k', '2', '1'], int(1)],
      [['object', 'encoding', 'k'], bulk('raw')],
    ]);
    expect(h.propagated.map((a) => a[0])).toEqual(['set']);
    h.run('setbit', 'k', '20', '1');
    expect(h.propagated.at(-1)).toEqual(['setbit', 'k', '20', '1']);
  });
});

describe('BITOP', () => {
  it('AND / OR / XOR / NOT, missing keys are empty, an empty result deletes the target', () =>
    runTable([
      [['set', 's', 'foobar'], OK],
      [['setbit', 'b', '100', '1'], int(0)],
      [['bitop', 'and', 'd', 's', 'b'], int(13)],
      [['bitop', 'not', 'd2', 's'], int(6)],
      [['get', 'd2'], bulk('\u0099\u0090\u0090\u009d\u009e\u008d')],
      [['bitop', 'not', 'd2', 's', 'b'], err('ERR BITOP NOT must be called with a single source key.')],
      [['bitop', 'nand', 'd2', 's'], err('ERR syntax error')],
      [['bitop', 'or', 'd2', 'nokey'], int(0)],
      [['exists', 'd2'], int(0)],
    ]));
});

describe('BITFIELD / BITFIELD_RO', () => {
  it('types, # offsets, overflow modes (values from redis-server 7.0.15)', () =>
    runTable([
      [['bitfield', 'bf', 'set', 'i8', '0', '-100', 'get', 'u4', '0', 'incrby', 'u2', '100', '1', 'overflow', 'sat', 'incrby', 'i8', '0', '-1000', 'overflow', 'fail', 'incrby', 'u8', '#1', '300'],
        arr(int(0), int(9), int(1), int(-128), NIL)],
      [['bitfield', 'bf', 'get', 'i64', '0', 'set', 'u63', '0', '1', 'get', 'u63', '0'], arr(int(-9223372036854775808n), int(4611686018427387904n), int(1))],
      [['bitfield_ro', 'bf', 'get', 'u8', '0', 'set', 'u8', '0', '1'], err('ERR BITFIELD_RO only supports the GET subcommand')],
      [['bitfield', 'bf', 'get', 'u64', '0'], err('ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.')],
      [['bitfield', 'bf', 'overflow', 'x'], err('ERR Invalid OVERFLOW type specified')],
      [['bitfield', 'bf', 'incrby', 'u8', '0', '1', 'foo'], err('ERR syntax error')],
      [['bitfield', 'w', 'overflow', 'wrap', 'incrby', 'u8', '0', '255', 'incrby', 'u8', '0', '2', 'incrby', 'i8', '8', '127', 'incrby', 'i8', '8', '1'], arr(int(255), int(1), int(127), int(-128))],
    ]));

  it('a GET-only BITFIELD changes nothing and is not propagated', () => {
    const h = mk();
    h.run('bitfield', 'k', 'get', 'u8', '0');
    expect(h.run('exists', 'k')).toEqual(int(0));
    expect(h.propagated).toEqual([]);
    h.run('bitfield', 'k', 'set', 'u8', '0', '1');
    expect(h.propagated).toEqual([['bitfield', 'k', 'set', 'u8', '0', '1']]);
  });
});
