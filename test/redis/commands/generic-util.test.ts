// Shared parsing/formatting helpers (util.ts): string2ll, string2d, string2ld + %.17Lf, %.17g,
// SCAN cursors. Expected values checked against glibc / Redis 7.0.15 (stringmatchlen: keyspace/glob.test.ts).
import { describe, expect, it } from 'vitest';
import {
  d2string,
  formatDouble,
  formatLongDouble,
  ldAdd,
  parseDouble,
  parseInt64,
  parseLong,
  parseLongDouble,
  parseScanCursor,
  parseStrtod,
  scanStep,
  sortForScan,
} from '../../../engine/redis/commands/util.ts';

describe('parseInt64 (string2ll)', () => {
  it('accepts canonical decimal int64 only', () => {
    expect(parseInt64('0')).toBe(0n);
    expect(parseInt64('-1')).toBe(-1n);
    expect(parseInt64('9223372036854775807')).toBe(9223372036854775807n);
    expect(parseInt64('-9223372036854775808')).toBe(-9223372036854775808n);
    for (const bad of ['', '-', '-0', '01', '+1', ' 1', '1 ', '1.0', '1e3', '9223372036854775808', '-9223372036854775809', '0x10', '00'])
      expect(parseInt64(bad), bad).toBeNull();
    expect(parseLong('123')).toBe(123);
  });
});

describe('parseDouble (string2d) / parseStrtod', () => {
  it('rules', () => {
    expect(parseDouble('1.5')).toBe(1.5);
    expect(parseDouble('inf')).toBe(Infinity);
    expect(parseDouble('-Infinity')).toBe(-Infinity);
    expect(parseDouble('0x10')).toBe(16);
    expect(parseDouble('1e-310')).toBe(1e-310); // subnormal: accepted
    for (const bad of ['', ' 1', 'nan', '1e400', '1e-400', 'abc', '1.5x', '1\0'])
      expect(parseDouble(bad), JSON.stringify(bad)).toBeNull();
    expect(parseStrtod(' 1.5')).toBe(1.5);
    expect(parseStrtod('1e400')).toBe(Infinity);
    expect(parseStrtod('nan')).toBeNull();
  });
});

describe('formatDouble (%.17g) / d2string', () => {
  it('prints like addReplyDouble in 7.0', () => {
    expect(formatDouble(1.1)).toBe('1.1000000000000001');
    expect(formatDouble(3)).toBe('3');
    expect(formatDouble(1.5)).toBe('1.5');
    expect(formatDouble(Infinity)).toBe('inf');
    expect(formatDouble(-Infinity)).toBe('-inf');
    expect(formatDouble(1e20)).toBe('1e+20');
    expect(formatDouble(1e16)).toBe('10000000000000000');
    expect(formatDouble(0.0001)).toBe('0.0001');
    expect(formatDouble(0.00001)).toBe('1.0000000000000001e-05');
    expect(formatDouble(-0)).toBe('-0');
    expect(d2string(3)).toBe('3');
    expect(d2string(2 ** 60)).toBe('1152921504606846976');
    expect(d2string(2 ** 62 * 1.5)).toBe('6.9175290276410819e+18');
  });
});

describe('long double (INCRBYFLOAT)', () => {
  const add = (a: string, b: string): string => formatLongDouble(ldAdd(parseLongDouble(a)!, parseLongDouble(b)!));
  it('adds and prints like %.17Lf trimmed', () => {
    expect(add('1.1', '2.2')).toBe('3.3');
    expect(add('10.5', '0.1')).toBe('10.6');
    expect(add('10.6', '5.0e3')).toBe('5010.60000000000000009');
    expect(add('0', '-0.0')).toBe('0');
    expect(add('3.0', '0')).toBe('3');
    expect(add('1', '1e-20')).toBe('1');
    expect(parseLongDouble('nan')).toBeNull();
    expect(parseLongDouble(' 1')).toBeNull();
    expect(parseLongDouble('1e5000')).toBeNull();
    expect(parseLongDouble('inf')).toEqual({ neg: false, inf: true });
  });
});

describe('SCAN cursors', () => {
  it('parseScanCursor: strtoul rules', () => {
    expect(parseScanCursor('0')).toBe(0n);
    expect(parseScanCursor('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseScanCursor('-1')).toBe(18446744073709551615n);
    expect(parseScanCursor('+5')).toBe(5n);
    for (const bad of ['x', ' 1', '1 ', '18446744073709551616', '1.5']) expect(parseScanCursor(bad), bad).toBeNull();
  });

  it('scanStep walks every item once, in hash order', () => {
    const items = Array.from({ length: 57 }, (_, i) => `key:${i}`);
    const sorted = sortForScan(items, (k) => k);
    const seen: string[] = [];
    let cursor = 0n;
    let calls = 0;
    do {
      const r = scanStep(sorted, cursor, 5);
      seen.push(...r.items);
      cursor = r.next;
      calls++;
    } while (cursor !== 0n);
    expect(seen.sort()).toEqual(items.sort());
    expect(calls).toBeGreaterThanOrEqual(11);
    expect(scanStep([], 0n, 10)).toEqual({ items: [], next: 0n });
  });
});
