import { describe, expect, it } from 'vitest';
import { formatFixed6, formatMemory, memtoull, string2d, string2ll, strtoll, trimDouble } from '../../../engine/redis/config/cnum.ts';
import { quoteRepr, splitArgs, splitOnSpaces, trimLine } from '../../../engine/redis/config/tokenizer.ts';

describe('splitArgs (sdssplitargs rules)', () => {
  it.each([
    ['port 6379', ['port', '6379']],
    ['  a   b\tc  ', ['a', 'b', 'c']],
    ['logfile "./redis7003.log"', ['logfile', './redis7003.log']],
    ['notify-keyspace-events ""', ['notify-keyspace-events', '']],
    ['x "a b"', ['x', 'a b']],
    ['x "\\n\\r\\t\\b\\a\\"\\\\\\q"', ['x', '\n\r\t\b\x07"\\q']],
    ['x "\\x41\\x7a\\xZZ"', ['x', 'AzxZZ']],
    ["x 'it''s'", null],
    ["x 'a\\'b' 'c\\d'", ['x', "a'b", 'c\\d']],
    ['x ab"cd"', ['x', 'abcd']],
    ['x "ab"cd', null],
    ['x "abc', null],
    ["x 'abc", null],
    ['', []],
    ['\v', []],
  ])('%j', (line, expected) => {
    expect(splitArgs(line)).toEqual(expected);
  });

  it('decodes \\xHH escapes, as UTF-8 when they form valid UTF-8', () => {
    expect(splitArgs('"\\x00\\xff"')).toEqual(['\x00\xff']);
    expect(splitArgs('"caf\\xc3\\xa9!"')).toEqual(['café!']);
  });
});

describe('trimLine / splitOnSpaces', () => {
  it('trims blanks, tabs, CR and LF only', () => {
    expect(trimLine(' \t port 1 \r\n')).toBe('port 1');
    expect(trimLine('\vport\v')).toBe('\vport\v');
  });
  it('splits CONFIG SET values on single spaces', () => {
    expect(splitOnSpaces('')).toEqual([]);
    expect(splitOnSpaces('a b')).toEqual(['a', 'b']);
    expect(splitOnSpaces('a  b')).toEqual(['a', '', 'b']);
  });
});

describe('quoteRepr (sdscatrepr)', () => {
  it.each([
    ['abc', '"abc"'],
    ['a"b\\c d\te', '"a\\"b\\\\c d\\te"'],
    ['\n\r\x07\b', '"\\n\\r\\a\\b"'],
    ['\x00\x7f\xff', '"\\x00\\x7f\\xc3\\xbf"'],
    ['é', '"\\xc3\\xa9"'],
  ])('%j', (input, expected) => {
    expect(quoteRepr(input)).toBe(expected);
  });

  it('reads back to the same string', () => {
    for (const s of ['a"b', "it's", '\\', '\x01\x02 x', 'tab\there', 'café ü €', '\xff']) {
      expect(splitArgs(`k ${quoteRepr(s)}`)).toEqual(['k', s]);
    }
  });
});

describe('memtoull', () => {
  it.each([
    ['0', 0n],
    ['100', 100n],
    ['1b', 1n],
    ['1k', 1000n],
    ['1K', 1000n],
    ['5kb', 5120n],
    ['2m', 2000000n],
    ['64mb', 67108864n],
    ['1g', 1000000000n],
    ['3gb', 3221225472n],
    ['3GB', 3221225472n],
    ['', 0n],
    ['gb', 0n],
    ['18446744073709551615', 18446744073709551615n],
    ['18446744073709551616', 18446744073709551615n],
    ['99999999999999999999gb', 18446744072635809792n],
  ])('%j -> %s', (s, v) => {
    expect(memtoull(s)).toBe(v);
  });

  it.each(['lots', '-1', '+1', ' 1', '1.5gb', '1 gb', '1tb', '0x10'])('rejects %j', (s) => {
    expect(memtoull(s)).toBeNull();
  });
});

describe('string2ll / strtoll / string2d', () => {
  it('string2ll is strict', () => {
    expect(string2ll('0')).toBe(0n);
    expect(string2ll('-5')).toBe(-5n);
    expect(string2ll('9223372036854775807')).toBe(9223372036854775807n);
    expect(string2ll('-9223372036854775808')).toBe(-9223372036854775808n);
    for (const s of ['', '-', '05', '+5', ' 5', '5 ', '9223372036854775808', '1e3', '-0']) {
      expect(string2ll(s)).toBeNull();
    }
  });

  it('strtoll accepts blanks and a sign, reports the rest', () => {
    expect(strtoll(' +12x')).toEqual({ value: 12n, rest: 'x', overflow: false });
    expect(strtoll('')).toEqual({ value: 0n, rest: '', overflow: false });
    expect(strtoll('abc').rest).toBe('abc');
    expect(strtoll('0700', 8).value).toBe(448n);
    expect(strtoll('789', 8).rest).toBe('89');
    expect(strtoll('99999999999999999999').overflow).toBe(true);
  });

  it('string2d', () => {
    expect(string2d('99.9')).toBe(99.9);
    expect(string2d('1e1')).toBe(10);
    expect(string2d('.5')).toBe(0.5);
    expect(string2d('0x10')).toBe(16);
    expect(string2d('inf')).toBe(Infinity);
    for (const s of ['', ' 1', '1 ', 'abc', 'nan', '1e999', '1e-999']) expect(string2d(s)).toBeNull();
  });
});

describe('number printing', () => {
  it('formatMemory uses gb / mb / kb when exact', () => {
    expect(formatMemory(0n)).toBe('0');
    expect(formatMemory(3221225472n)).toBe('3gb');
    expect(formatMemory(67108864n)).toBe('64mb');
    expect(formatMemory(5120n)).toBe('5kb');
    expect(formatMemory(1000n)).toBe('1000');
    expect(formatMemory(18446744073709551615n)).toBe('-1');
  });

  it('formatFixed6 rounds like printf %f (half to even on the exact value)', () => {
    expect(formatFixed6(50)).toBe('50.000000');
    expect(formatFixed6(99.9)).toBe('99.900000');
    expect(formatFixed6(0.0078125)).toBe('0.007812');
    expect(formatFixed6(0.0234375)).toBe('0.023438');
    expect(formatFixed6(99.99999)).toBe('99.999990');
    expect(trimDouble('50.000000')).toBe('50');
    expect(trimDouble('99.900000')).toBe('99.9');
  });
});
