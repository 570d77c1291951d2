// Score semantics the sorted-set group relies on (util.ts): string2d, zslParseRange's strtod,
// addReplyDouble's "%.17g" (glibc, exact) and d2string for listpack-stored scores.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d2string, formatDouble, parseDouble, parseStrtod } from '../../../engine/redis/commands/util.ts';

describe('formatDouble ("%.17g", as printed by Redis 7.0.15)', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-3, '-3'],
    [1.5, '1.5'],
    [0.1, '0.10000000000000001'],
    [1.1, '1.1000000000000001'],
    [0.30000000000000004, '0.30000000000000004'],
    [1e100, '1e+100'],
    [5e-324, '4.9406564584124654e-324'],
    [1e16, '10000000000000000'],
    [1e17, '1e+17'],
    [2 ** 56, '72057594037927936'],
    [2 ** 60, '1.152921504606847e+18'],
    [123456789012345678, '1.2345678901234568e+17'],
    [1e-5, '1.0000000000000001e-05'],
    [0.0001, '0.0001'],
    [1 + 2 ** -17, '1.0000076293945312'], // an exact tie: glibc rounds half to even
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [-2.5e-7, '-2.4999999999999999e-07'],
  ];
  it.each(cases)('%s → %s', (d, s) => expect(formatDouble(d)).toBe(s));

  it('round-trips with at most 17 significant digits', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const s = formatDouble(d);
        expect(Object.is(Number(s), d)).toBe(true);
        expect(s.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').length).toBeLessThanOrEqual(17);
      }),
    );
  });
});

describe('parseDouble (string2d: ZADD scores, WEIGHTS)', () => {
  const ok: [string, number][] = [
    ['1', 1],
    ['-1.5', -1.5],
    ['1.', 1],
    ['.5', 0.5],
    ['+2', 2],
    ['1e3', 1000],
    ['-1E-2', -0.01],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
    ['+INF', Infinity],
    ['0x10', 16],
    ['0x1p-2', 0.25],
    ['0e-500', 0],
    ['4.9e-324', 5e-324],
  ];
  it.each(ok)('%j → %s', (s, d) => expect(parseDouble(s)).toBe(d));
  it.each(['', ' 1', '1 ', 'abc', 'nan', '-nan', '1e400', '-1e400', '1e-400', '1e', '.', '0x', '1\x002', '--1'])('%j is rejected', (s) =>
    expect(parseDouble(s)).toBeNull(),
  );
});

describe('parseStrtod (ZRANGEBYSCORE bounds)', () => {
  it('is laxer than string2d', () => {
    expect(parseStrtod('')).toBe(0);
    expect(parseStrtod('  3')).toBe(3);
    expect(parseStrtod('1e400')).toBe(Infinity);
    expect(parseStrtod('1e-400')).toBe(0);
    expect(parseStrtod('2\0junk')).toBe(2);
    expect(parseStrtod('nan')).toBeNull();
    expect(parseStrtod('3 ')).toBeNull();
    expect(parseStrtod('x')).toBeNull();
  });
});

describe('d2string (ZSCAN of a listpack)', () => {
  it('integral scores within ±LLONG_MAX/2 print as integers', () => {
    expect(d2string(0)).toBe('0');
    expect(d2string(2 ** 60)).toBe('1152921504606846976');
    expect(d2string(2 ** 63)).toBe('9.2233720368547758e+18');
    expect(d2string(0.1)).toBe('0.10000000000000001');
    expect(d2string(Infinity)).toBe('inf');
  });
});
