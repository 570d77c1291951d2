// ZSet structure: ordering, ranks, ranges, encodings, and a property test against a sorted-array model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZSet, compareEntry, type LexRange, type ScoreRange } from '../../../engine/redis/keyspace/zset.ts';

const members = (z: ZSet): string[] => [...z.entries()].map((e) => e.member);
const sr = (min: number, max: number, minex = false, maxex = false): ScoreRange => ({ min, max, minex, maxex });
const lr = (min: string | number, max: string | number, minex = false, maxex = false): LexRange => ({ min, max, minex, maxex });

describe('ZSet basics', () => {
  it('orders by score then member bytes', () => {
    const z = new ZSet();
    z.set('b', 1);
    z.set('a', 1);
    z.set('c', 0);
    z.set('\xff', 1);
    z.set('B', 1);
    expect(members(z)).toEqual(['c', 'B', 'a', 'b', '\xff']);
    expect(z.size).toBe(5);
    expect(z.rank('a')).toBe(2);
    expect(z.rank('nope')).toBeUndefined();
    expect(z.at(4)).toEqual({ member: '\xff', score: 1 });
    expect(z.first()!.member).toBe('c');
    expect(z.last()!.member).toBe('\xff');
  });

  it('re-scoring moves a member; set() reports new members only', () => {
    const z = new ZSet();
    expect(z.set('a', 1)).toBe(true);
    expect(z.set('b', 2)).toBe(true);
    expect(z.set('a', 3)).toBe(false);
    expect(members(z)).toEqual(['b', 'a']);
    expect(z.score('a')).toBe(3);
    expect(z.delete('a')).toBe(true);
    expect(z.delete('a')).toBe(false);
    expect(members(z)).toEqual(['b']);
  });

  it('iterates both ways from any index and slices', () => {
    const z = new ZSet();
    for (let i = 0; i < 1000; i++) z.set(`m${i}`, i);
    expect([...z.iterate(997)].map((e) => e.score)).toEqual([997, 998, 999]);
    expect([...z.iterate(2, true)].map((e) => e.score)).toEqual([2, 1, 0]);
    expect(z.slice(500, 502).map((e) => e.score)).toEqual([500, 501, 502]);
    expect(z.slice(3, 2)).toEqual([]);
    expect([...z.iterate(1000)]).toEqual([]);
    expect(z.deleteSlice(10, 989)).toBe(980);
    expect(z.size).toBe(20);
    expect(z.rank('m995')).toBe(15);
  });

  it('finds score ranges with exclusive bounds', () => {
    const z = new ZSet();
    [1, 2, 2, 3, 5].forEach((s, i) => z.set(`m${i}`, s));
    expect(z.firstInScoreRange(sr(2, 3))).toBe(1);
    expect(z.lastInScoreRange(sr(2, 3))).toBe(3);
    expect(z.firstInScoreRange(sr(2, 3, true))).toBe(3);
    expect(z.lastInScoreRange(sr(2, 3, false, true))).toBe(2);
    expect(z.firstInScoreRange(sr(3.5, 4))).toBe(-1);
    expect(z.firstInScoreRange(sr(2, 2, true))).toBe(-1);
    expect(z.firstInScoreRange(sr(4, 1))).toBe(-1);
    expect(z.firstInScoreRange(sr(-Infinity, Infinity))).toBe(0);
    expect(z.lastInScoreRange(sr(-Infinity, Infinity))).toBe(4);
  });

  it('finds lex ranges with - and +', () => {
    const z = new ZSet();
    for (const m of ['a', 'b', 'bb', 'c', 'd']) z.set(m, 0);
    expect(z.firstInLexRange(lr('b', 'c'))).toBe(1);
    expect(z.lastInLexRange(lr('b', 'c', false, true))).toBe(2);
    expect(z.firstInLexRange(lr('b', Infinity, true, true))).toBe(2);
    expect(z.firstInLexRange(lr(-Infinity, Infinity, true, true))).toBe(0);
    expect(z.firstInLexRange(lr(-Infinity, -Infinity, true, true))).toBe(-1);
    expect(z.firstInLexRange(lr('x', 'z'))).toBe(-1);
    expect(z.firstInLexRange(lr('b', 'b', true))).toBe(-1);
  });
});

describe('ZSet encodings', () => {
  it('starts as a listpack and converts for good past 128 entries or a 65-byte member', () => {
    const z = new ZSet();
    for (let i = 0; i < 128; i++) z.set(`m${i}`, i);
    expect(z.encoding).toBe('listpack');
    z.set('m128', 1);
    expect(z.encoding).toBe('skiplist');
    z.delete('m128');
    expect(z.encoding).toBe('skiplist');
    const y = new ZSet();
    y.set('x'.repeat(64), 1);
    expect(y.encoding).toBe('listpack');
    y.set('x'.repeat(65), 1);
    expect(y.encoding).toBe('skiplist');
  });

  it('a listpack stores -0 as 0, a skiplist keeps it; compact() converts back when small', () => {
    const z = new ZSet();
    z.set('a', -0);
    expect(Object.is(z.score('a'), 0)).toBe(true);
    const s = new ZSet('skiplist');
    s.set('a', -0);
    expect(Object.is(s.score('a'), -0)).toBe(true);
    s.compact();
    expect(s.encoding).toBe('listpack');
    expect(Object.is(s.score('a'), 0)).toBe(true);
    const big = new ZSet('skiplist');
    big.set('y'.repeat(65), 1);
    big.compact();
    expect(big.encoding).toBe('skiplist');
  });

  it('clone() is independent', () => {
    const z = new ZSet();
    z.set('a', 1);
    const c = z.clone();
    c.set('b', 2);
    expect(z.size).toBe(1);
    expect(c.size).toBe(2);
  });
});

describe('ZSet property: agrees with a sorted-array model', () => {
  type Op = { t: 'set'; m: string; s: number } | { t: 'del'; m: string };
  const memberArb = fc.integer({ min: 0, max: 400 }).map((i) => `k${i}`);
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.record({ t: fc.constant('set' as const), m: memberArb, s: fc.integer({ min: -20, max: 20 }) }), weight: 3 },
    fc.record({ t: fc.constant('del' as const), m: memberArb }),
  );

  it('after random inserts/updates/deletes: order, ranks, at(), ranges', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 1500, size: 'max' }), fc.integer({ min: -22, max: 22 }), fc.integer({ min: -22, max: 22 }), (ops, a, b) => {
        const z = new ZSet();
        const ref = new Map<string, number>();
        for (const op of ops) {
          if (op.t === 'set') {
            expect(z.set(op.m, op.s)).toBe(!ref.has(op.m));
            ref.set(op.m, op.s);
          } else expect(z.delete(op.m)).toBe(ref.delete(op.m));
        }
        const sorted = [...ref].sort((x, y) => compareEntry(x[1], x[0], y[1], y[0]));
        expect([...z.entries()].map((e) => [e.member, e.score])).toEqual(sorted);
        expect([...z.iterate(sorted.length - 1, true)].length).toBe(sorted.length);
        sorted.forEach(([m], i) => {
          expect(z.rank(m)).toBe(i);
          expect(z.at(i).member).toBe(m);
        });
        const r = sr(Math.min(a, b), Math.max(a, b), a % 2 === 0, b % 3 === 0);
        const inRange = sorted.map(([, s], i) => [s, i] as const).filter(([s]) => (r.minex ? s > r.min : s >= r.min) && (r.maxex ? s < r.max : s <= r.max));
        expect(z.firstInScoreRange(r)).toBe(inRange.length ? inRange[0]![1] : -1);
        expect(z.lastInScoreRange(r)).toBe(inRange.length ? inRange[inRange.length - 1]![1] : -1);
      }),
      { numRuns: 60 },
    );
  });
});
