// Property test: random list command sequences agree with a tiny reference model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ARRAY, NIL, NIL_ARRAY, OK, bulk, bulks, err, int, type Resp } from '../../../engine/net/resp.ts';
import { listCommands } from '../../../engine/redis/commands/lists.ts';
import { createHarness } from '../harness.ts';

type Model = Map<string, string[]>;

const keyArb = fc.constantFrom('a', 'b');
const elArb = fc.constantFrom('x', 'y', 'z');
const idxArb = fc.integer({ min: -6, max: 6 });
const endArb = fc.constantFrom('left', 'right');

const cmdArb: fc.Arbitrary<string[]> = fc.oneof(
  {
    arbitrary: fc
      .tuple(fc.constantFrom('lpush', 'rpush', 'lpushx', 'rpushx'), keyArb, fc.array(elArb, { minLength: 1, maxLength: 4 }))
      .map(([c, k, es]) => [c, k, ...es]),
    weight: 6,
  },
  fc.tuple(fc.constantFrom('lpop', 'rpop'), keyArb, fc.option(fc.integer({ min: 0, max: 4 }))).map(([c, k, n]) => (n === null ? [c, k] : [c, k, String(n)])),
  fc.tuple(fc.constantFrom('lrange', 'ltrim'), keyArb, idxArb, idxArb).map(([c, k, s, e]) => [c, k, String(s), String(e)]),
  fc.tuple(keyArb, idxArb).map(([k, i]) => ['lindex', k, String(i)]),
  fc.tuple(keyArb, idxArb, elArb).map(([k, i, e]) => ['lset', k, String(i), e]),
  fc.tuple(keyArb, fc.integer({ min: -3, max: 3 }), elArb).map(([k, n, e]) => ['lrem', k, String(n), e]),
  fc.tuple(keyArb, fc.constantFrom('before', 'after'), elArb, elArb).map(([k, w, p, e]) => ['linsert', k, w, p, e]),
  keyArb.map((k) => ['llen', k]),
  fc.tuple(keyArb, keyArb, endArb, endArb).map(([s, d, f, t]) => ['lmove', s, d, f, t]),
  fc.tuple(keyArb, elArb, fc.constantFrom(1, 2, -1, -2), fc.option(fc.integer({ min: 0, max: 3 })), fc.integer({ min: 0, max: 4 })).map(
    ([k, e, r, c, m]) => ['lpos', k, e, 'rank', String(r), ...(c === null ? [] : ['count', String(c)]), 'maxlen', String(m)],
  ),
);

const norm = (len: number, s: number, e: number): [number, number] | null => {
  if (s < 0) s += len;
  if (e < 0) e += len;
  s = Math.max(0, s);
  if (s > e || s >= len) return null;
  return [s, Math.min(e, len - 1)];
};

/** The reference: obviously-correct, allocation-happy versions of each command. */
function model(m: Model, argv: string[]): Resp {
  const [c, k] = argv as [string, string];
  const l = m.get(k) ?? [];
  const save = (key: string, v: string[]) => (v.length ? m.set(key, v) : m.delete(key));
  switch (c) {
    case 'lpush':
    case 'rpush':
    case 'lpushx':
    case 'rpushx': {
      if (c.endsWith('x') && !m.has(k)) return int(0);
      const es = argv.slice(2);
      const v = c[0] === 'l' ? [...es.reverse(), ...l] : [...l, ...es];
      save(k, v);
      return int(v.length);
    }
    case 'lpop':
    case 'rpop': {
      const hasCount = argv.length === 3;
      if (!m.has(k)) return hasCount ? NIL_ARRAY : NIL;
      const n = hasCount ? Number(argv[2]) : 1;
      if (hasCount && n === 0) return EMPTY_ARRAY;
      const taken = c === 'lpop' ? l.slice(0, n) : l.slice(-n).reverse();
      save(k, c === 'lpop' ? l.slice(taken.length) : l.slice(0, l.length - taken.length));
      return hasCount ? bulks(taken) : bulk(taken[0]!);
    }
    case 'lrange': {
      const r = norm(l.length, Number(argv[2]), Number(argv[3]));
      return r ? bulks(l.slice(r[0], r[1] + 1)) : EMPTY_ARRAY;
    }
    case 'ltrim': {
      const r = norm(l.length, Number(argv[2]), Number(argv[3]));
      if (m.has(k)) save(k, r ? l.slice(r[0], r[1] + 1) : []);
      return OK;
    }
    case 'lindex': {
      const i = Number(argv[2]);
      return bulk(l.at(i) ?? null);
    }
    case 'lset': {
      if (!m.has(k)) return err('ERR no such key');
      const i = Number(argv[2]);
      const j = i < 0 ? l.length + i : i;
      if (j < 0 || j >= l.length) return err('ERR index out of range');
      save(k, l.map((x, p) => (p === j ? argv[3]! : x)));
      return OK;
    }
    case 'lrem': {
      const n = Number(argv[2]);
      const e = argv[3]!;
      const order = n < 0 ? [...l.keys()].reverse() : [...l.keys()];
      const drop = new Set<number>();
      for (const p of order) if (l[p] === e && (n === 0 || drop.size < Math.abs(n))) drop.add(p);
      save(k, l.filter((_, p) => !drop.has(p)));
      return int(drop.size);
    }
    case 'linsert': {
      if (!m.has(k)) return int(0);
      const p = l.indexOf(argv[3]!);
      if (p < 0) return int(-1);
      const v = [...l];
      v.splice(argv[2] === 'after' ? p + 1 : p, 0, argv[4]!);
      save(k, v);
      return int(v.length);
    }
    case 'llen':
      return int(l.length);
    case 'lmove': {
      if (!m.has(k)) return NIL;
      const d = argv[2]!;
      const v = argv[3] === 'left' ? l[0]! : l[l.length - 1]!;
      save(k, argv[3] === 'left' ? l.slice(1) : l.slice(0, -1));
      const dl = m.get(d) ?? [];
      save(d, argv[4] === 'left' ? [v, ...dl] : [...dl, v]);
      return bulk(v);
    }
    case 'lpos': {
      const e = argv[2]!;
      const rank = Number(argv[4]);
      const hasCount = argv[5] === 'count';
      const count = hasCount ? Number(argv[6]) : -1;
      const maxlen = Number(argv.at(-1));
      const scan = rank > 0 ? [...l.keys()] : [...l.keys()].reverse();
      const hits = scan.slice(0, maxlen === 0 ? undefined : maxlen).filter((p) => l[p] === e).slice(Math.abs(rank) - 1);
      if (!hasCount) return hits.length ? int(hits[0]!) : NIL;
      return { t: 'array', v: (count === 0 ? hits : hits.slice(0, count)).map((p) => int(p)) };
    }
  }
  throw new Error(`no model for ${c}`);
}

describe('lists vs reference model', () => {
  it('agree on every reply and on the final keyspace', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { maxLength: 60 }), (cmds) => {
        const h = createHarness(listCommands);
        const m: Model = new Map();
        for (const argv of cmds) expect(h.run(...argv), argv.join(' ')).toEqual(model(m, argv));
        const db = h.ks.db(0);
        for (const k of ['a', 'b']) {
          const v = db.peek(k);
          expect(v ? (v.v as string[]) : undefined, k).toEqual(m.get(k));
        }
        expect(h.ks.usedBytes).toBe([...db.dict.values()].reduce((x, e) => x + e.size, 0));
      }),
      { numRuns: 1000, seed: 42 },
    );
  });
});
