// Memory estimates against MEMORY USAGE of a real Redis 7.0.15 (jemalloc), and value encodings.
import { describe, expect, it } from 'vitest';
import { estimateSize, jemallocSize, markRawString, objectEncoding } from '../../../engine/redis/keyspace/memory.ts';
import type { RedisValue } from '../../../engine/redis/keyspace/values.ts';
import { ZSet } from '../../../engine/redis/keyspace/zset.ts';

const S = (v: string): RedisValue => ({ type: 'string', v });

describe('estimateSize', () => {
  it('matches MEMORY USAGE for small values of every encoding', () => {
    const h2 = new Map<string, string>();
    for (let i = 1; i <= 200; i++) h2.set(`f${i}`, `v${i}`);
    const s3 = new Set<string>();
    for (let i = 1; i <= 600; i++) s3.add(String(i));
    const rows: [string, RedisValue, number][] = [
      ['foo', S('bar'), 64], // embstr
      ['n', S('123'), 48], // int
      ['big', S('12345678901234567890123456789012345678901234567890'), 112], // raw
      ['h', { type: 'hash', v: new Map([['a', '1']]) }, 64], // listpack
      ['s', { type: 'set', v: new Set(['1', '2', '3']) }, 64], // intset
      ['l', { type: 'list', v: ['a', 'b', 'c'] }, 144], // quicklist
      ['s2', { type: 'set', v: new Set(['a', 'b', 'c']) }, 232], // hashtable
      ['h2', { type: 'hash', v: h2 }, 2608], // 200-field listpack
      ['s3', { type: 'set', v: s3 }, 27496], // 600 ints: hashtable
    ];
    for (const [k, v, want] of rows) expect(estimateSize(k, v), k).toBe(want);
  });

  it('estimates big lists within 10% (quicklist nodes of 8 kB)', () => {
    const l: string[] = [];
    for (let i = 0; i < 5000; i++) l.push(`element-${i}`);
    const est = estimateSize('l2', { type: 'list', v: l });
    expect(Math.abs(est - 74176) / 74176).toBeLessThan(0.1);
  });

  it('grows with the value and is cheap for huge collections', () => {
    const big = new Set<string>();
    for (let i = 0; i < 200_000; i++) big.add(`member:${i}`);
    const t = estimateSize('k', { type: 'set', v: big });
    expect(t).toBeGreaterThan(200_000 * 40);
    const z = new ZSet();
    for (let i = 0; i < 300; i++) z.set(`m${i}`, i);
    expect(estimateSize('z', { type: 'zset', v: z })).toBeGreaterThan(300 * 50);
  });

  it('jemalloc size classes', () => {
    expect([1, 8, 9, 17, 100, 129, 161, 2191, 5000].map(jemallocSize)).toEqual([8, 8, 16, 32, 112, 160, 192, 2560, 5120]);
  });
});

describe('objectEncoding', () => {
  it('strings: int / embstr / raw', () => {
    expect(objectEncoding(S('123'))).toBe('int');
    expect(objectEncoding(S('-9223372036854775808'))).toBe('int');
    expect(objectEncoding(S('9223372036854775808'))).toBe('embstr');
    expect(objectEncoding(S('012'))).toBe('embstr');
    expect(objectEncoding(S(''))).toBe('embstr');
    expect(objectEncoding(S('x'.repeat(44)))).toBe('embstr');
    expect(objectEncoding(S('x'.repeat(45)))).toBe('raw');
    const r = S('1');
    markRawString(r);
    expect(objectEncoding(r)).toBe('raw');
  });

  it('collections follow the 7.0 thresholds and never convert back', () => {
    const h = new Map<string, string>();
    for (let i = 0; i < 512; i++) h.set(`f${i}`, 'v');
    const hv: RedisValue = { type: 'hash', v: h };
    expect(objectEncoding(hv)).toBe('listpack');
    h.set('one-more', 'v');
    expect(objectEncoding(hv)).toBe('hashtable');
    h.delete('one-more');
    expect(objectEncoding(hv)).toBe('hashtable');
    const s = new Set<string>();
    for (let i = 0; i < 512; i++) s.add(String(i));
    const sv: RedisValue = { type: 'set', v: s };
    expect(objectEncoding(sv)).toBe('intset');
    s.add('x');
    expect(objectEncoding(sv)).toBe('hashtable');
    s.delete('x');
    expect(objectEncoding(sv)).toBe('hashtable');
    expect(objectEncoding({ type: 'list', v: [] })).toBe('quicklist');
    expect(objectEncoding({ type: 'zset', v: new ZSet() })).toBe('listpack');
  });
});
