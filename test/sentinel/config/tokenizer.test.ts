/** sentinel.conf is split by redis-server's tokenizer (engine/redis/config): its rules as Sentinel files use them. */
import { describe, expect, it } from 'vitest';
import { quoteRepr, splitArgs, trimLine } from '../../../engine/redis/config/tokenizer.ts';

describe('trimLine', () => {
  it('trims only spaces, tabs, CR and LF', () => {
    expect(trimLine(' \t port 1 \r')).toBe('port 1');
    expect(trimLine('\vport\f')).toBe('\vport\f');
  });
});

describe('splitArgs (sdssplitargs rules)', () => {
  it('splits on blanks', () => {
    expect(splitArgs('sentinel  monitor\tm 127.0.0.1 6379 2')).toEqual([
      'sentinel',
      'monitor',
      'm',
      '127.0.0.1',
      '6379',
      '2',
    ]);
    expect(splitArgs('   ')).toEqual([]);
  });

  it('understands double quotes and their escapes', () => {
    expect(splitArgs('logfile "./a b.log"')).toEqual(['logfile', './a b.log']);
    expect(splitArgs('x "a\\nb\\t\\"c\\\\\\x41\\q"')).toEqual(['x', 'a\nb\t"c\\Aq']);
    expect(splitArgs('x ""')).toEqual(['x', '']);
  });

  it('understands single quotes with only \\\' as escape', () => {
    expect(splitArgs("x 'it\\'s \\n'")).toEqual(['x', "it's \\n"]);
  });

  it('lets a quote start in the middle of a token', () => {
    expect(splitArgs('x ab"c d"')).toEqual(['x', 'abc d']);
  });

  it('refuses unbalanced quotes and a closing quote glued to text', () => {
    expect(splitArgs('x "abc')).toBeNull();
    expect(splitArgs("x 'abc")).toBeNull();
    expect(splitArgs('x "a"b')).toBeNull();
    expect(splitArgs('x "abc\\"')).toBeNull();
  });
});

describe('quoteRepr (sdscatrepr)', () => {
  it('quotes and escapes', () => {
    expect(quoteRepr('/var/lib/redis')).toBe('"/var/lib/redis"');
    expect(quoteRepr('a"b\\c\n\r\t\x07\b')).toBe('"a\\"b\\\\c\\n\\r\\t\\a\\b"');
    // the text is Unicode: é is written as the escapes of its UTF-8 bytes, as Redis writes the file's bytes
    expect(quoteRepr('\x01\xe9')).toBe('"\\x01\\xc3\\xa9"');
    expect(quoteRepr('€')).toBe('"\\xe2\\x82\\xac"');
  });

  it('round-trips through splitArgs', () => {
    for (const s of ['plain', 'with space', 'q"uo\'te', 'tab\there', '\x00\x7f\xff']) {
      expect(splitArgs(`x ${quoteRepr(s)}`)).toEqual(['x', s]);
    }
  });
});
