import { describe, expect, it } from 'vitest';
import {
  atoi,
  formatFixed6,
  formatMemory,
  memtoull,
  string2ll,
  strtoull,
  trimDouble,
} from '../../../engine/redis/config/cnum.ts';

const formatTrimmedDouble = (v: number): string => trimDouble(formatFixed6(v));
import { parseNumericHost } from '../../../engine/sentinel/config/ip.ts';

describe('C number parsing', () => {
  it('atoi: prefix digits, garbage is 0, 32-bit truncation', () => {
    expect(atoi('1500')).toBe(1500);
    expect(atoi('  -7x')).toBe(-7);
    expect(atoi('abc')).toBe(0);
    expect(atoi('2abc')).toBe(2);
    expect(atoi('3000000000')).toBe(-1294967296);
    expect(atoi('99999999999999999999')).toBe(-1);
  });

  it('atoi: the short-number path wraps as the 64-bit value cast to int does, at every length up to 15 digits and past it', () => {
    const slow = (s: string): number => {
      const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(s)!;
      if (m[2] === '') return 0;
      let v = BigInt(m[2]!);
      if (m[1] === '-') v = -v;
      if (v > 9223372036854775807n) v = 9223372036854775807n;
      if (v < -9223372036854775808n) v = -9223372036854775808n;
      return Number(BigInt.asIntN(32, v));
    };
    const cases = ['-0', '+0', '0', '', '-', '2147483647', '2147483648', '-2147483648', '-2147483649', '4294967296', '4294967295', '-4294967297', '9007199254740993'];
    for (let n = 1; n <= 20; n++) cases.push('9'.repeat(n), `-${'9'.repeat(n)}`, `1${'0'.repeat(n)}`, ` -${'7'.repeat(n)}x`);
    for (const c of cases) expect(atoi(c), c).toBe(slow(c));
  });

  it('strtoull: saturates, negates modulo 2^64', () => {
    expect(strtoull('8394')).toBe(8394n);
    expect(strtoull('x')).toBe(0n);
    expect(strtoull('-1')).toBe(18446744073709551615n);
    expect(strtoull('999999999999999999999')).toBe(18446744073709551615n);
  });

  it('string2ll: strict', () => {
    expect(string2ll('0')).toBe(0n);
    expect(string2ll('-12')).toBe(-12n);
    for (const bad of ['', '+1', '01', ' 1', '1 ', '-', '9223372036854775808']) {
      expect(string2ll(bad)).toBeNull();
    }
  });

  it('memtoull: units', () => {
    expect(memtoull('100')).toBe(100n);
    expect(memtoull('1k')).toBe(1000n);
    expect(memtoull('1KB')).toBe(1024n);
    expect(memtoull('2mb')).toBe(2097152n);
    expect(memtoull('1g')).toBe(1000000000n);
    expect(memtoull('lots')).toBeNull();
    expect(memtoull('-1')).toBeNull();
  });

  it('formats memory and percentiles like CONFIG REWRITE', () => {
    expect(formatMemory(0n)).toBe('0');
    expect(formatMemory(1024n)).toBe('1kb');
    expect(formatMemory(104857600n)).toBe('100mb');
    expect(formatMemory(1073741824n)).toBe('1gb');
    expect(formatMemory(1000n)).toBe('1000');
    expect([50, 99, 99.9, 0.5].map(formatTrimmedDouble)).toEqual(['50', '99', '99.9', '0.5']);
  });
});

describe('numeric host parsing (getaddrinfo AI_NUMERICHOST + inet_ntop)', () => {
  it('accepts and normalises IPv4 forms', () => {
    expect(parseNumericHost('127.0.0.1')).toBe('127.0.0.1');
    expect(parseNumericHost('127.1')).toBe('127.0.0.1');
    expect(parseNumericHost('0x7f.0.0.1')).toBe('127.0.0.1');
    expect(parseNumericHost('2130706433')).toBe('127.0.0.1');
  });

  it('accepts and normalises IPv6', () => {
    expect(parseNumericHost('::1')).toBe('::1');
    expect(parseNumericHost('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(parseNumericHost('::ffff:10.0.0.1')).toBe('::ffff:10.0.0.1');
    expect(parseNumericHost('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3');
  });

  it('refuses host names and malformed addresses', () => {
    for (const bad of ['localhost', 'redis-1', '256.0.0.1', '1.2.3.4.5', '1..2', ':::1', '']) {
      expect(parseNumericHost(bad)).toBeNull();
    }
  });
});
