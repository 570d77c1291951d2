// The client panel's redis-cli formatting (redis-cli 7.0 on a terminal: cliFormatReplyTTY, sdscatrepr,
// sdssplitargs, and the commands it prints raw).
import { describe, expect, it } from 'vitest';
import { arr, bulk, bulks, err, int, NIL, NIL_ARRAY, simple, EMPTY_ARRAY } from '../../engine/net/resp.ts';
import { formatReply, isRawCommand, prompt, repr, splitArgs, utf8Bytes } from '../../viz/app/redisCli.ts';

describe('redis-cli replies', () => {
  it('prints scalars as redis-cli does', () => {
    expect(formatReply(simple('OK'))).toBe('OK');
    expect(formatReply(int(1))).toBe('(integer) 1');
    expect(formatReply(int(-42n))).toBe('(integer) -42');
    expect(formatReply(NIL)).toBe('(nil)');
    expect(formatReply(NIL_ARRAY)).toBe('(nil)');
    expect(formatReply(EMPTY_ARRAY)).toBe('(empty array)');
    expect(formatReply(err('ERR unknown command'))).toBe('(error) ERR unknown command');
    expect(formatReply(bulk('zhangsan'))).toBe('"zhangsan"');
    expect(formatReply(bulk('a "q" \\ b\r\n\t\x07\x08\x00\xe4'))).toBe('"a \\"q\\" \\\\ b\\r\\n\\t\\a\\b\\x00\\xe4"');
  });

  it('numbers arrays, right-aligns the index, indents nested arrays under it', () => {
    expect(formatReply(bulks(['a', 'b']))).toBe('1) "a"\n2) "b"');
    const ten = bulks(Array.from({ length: 10 }, (_, i) => `v${i}`));
    expect(formatReply(ten).split('\n').slice(8)).toEqual([' 9) "v8"', '10) "v9"']);
    const nested = arr([arr([bulk('name'), bulk('m1'), arr([int(1), NIL])]), arr([bulk('x')]), EMPTY_ARRAY]);
    expect(formatReply(nested)).toBe(['1) 1) "name"', '   2) "m1"', '   3) 1) (integer) 1', '      2) (nil)', '2) 1) "x"', '3) (empty array)'].join('\n'));
    // a 10-element array inside a 2-element one: SENTINEL masters
    const masters = arr([ten, ten]);
    const lines = formatReply(masters).split('\n');
    expect(lines[0]).toBe('1)  1) "v0"');
    expect(lines[1]).toBe('    2) "v1"');
    expect(lines[9]).toBe('   10) "v9"');
    expect(lines[10]).toBe('2)  1) "v0"');
  });

  it('prints INFO and the other raw commands with their real line breaks', () => {
    const info = bulk('# Replication\r\nrole:master\r\nconnected_slaves:0\r\n');
    expect(formatReply(info, ['INFO', 'replication'])).toBe('# Replication\nrole:master\nconnected_slaves:0');
    expect(formatReply(info, ['GET', 'k'])).toBe('"# Replication\\r\\nrole:master\\r\\nconnected_slaves:0\\r\\n"');
    expect(isRawCommand(['client', 'LIST'])).toBe(true);
    expect(isRawCommand(['LATENCY', 'doctor'])).toBe(true);
    expect(isRawCommand(['latency', 'doctor', 'x'])).toBe(false);
    expect(isRawCommand(['SENTINEL', 'masters'])).toBe(false);
  });

  it('splits command lines as redis-cli does', () => {
    expect(splitArgs('SET name zhangsan')).toEqual(['SET', 'name', 'zhangsan']);
    expect(splitArgs('  SET "a b" \'c d\'  ')).toEqual(['SET', 'a b', 'c d']);
    expect(splitArgs('SET k "x\\ny\\x41"')).toEqual(['SET', 'k', 'x\nyA']);
    expect(splitArgs("SET k 'it\\'s'")).toEqual(['SET', 'k', "it's"]);
    expect(splitArgs('SET k "unbalanced')).toBeNull();
    expect(splitArgs('SET k "a"b')).toBeNull();
    expect(splitArgs('')).toEqual([]);
    expect(utf8Bytes('é')).toBe('\xc3\xa9');
    expect(repr(utf8Bytes('é'))).toBe('"\\xc3\\xa9"');
    expect(prompt('127.0.0.1:6379')).toBe('127.0.0.1:6379>');
    expect(prompt('127.0.0.1:6379', 1)).toBe('127.0.0.1:6379[1]>');
  });
});
