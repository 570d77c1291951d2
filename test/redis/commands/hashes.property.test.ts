// Property test: random hash command sequences agree with a tiny reference model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ARRAY, OK, bulk, bulks, err, int, type Resp } from '../../../engine/net/resp.ts';
import { hashCommands } from '../../../engine/redis/commands/hashes.ts';
import { createHarness } from '../harness.ts';

type Model = Map<string, Map<string, string>>;

const keyArb = fc.constantFrom('a', 'b');
const fieldArb = fc.constantFrom('f', 'g', 'h', 'i');
const valArb = fc.constantFrom('1', '-2', '10', 'x', '');

const cmdArb: fc.Arbitrary<string[]> = fc.oneof(
  {
    arbitrary: fc
      .tuple(fc.constantFrom('hset', 'hmset'), keyArb, fc.array(fc.tuple(fieldArb, valArb), { minLength: 1, maxLength: 3 }))
      .map(([c, k, ps]) => [c, k, ...ps.flat()]),
    weight: 4,
  },
  fc.tuple(keyArb, fieldArb, valArb).map(([k, f, v]) => ['hsetnx', k, f, v]),
  fc.tuple(keyArb, fc.array(fieldArb, { minLength: 1, maxLength: 3 })).map(([k, fs]) => ['hdel', k, ...fs]),
  fc.tuple(fc.constantFrom('hget', 'hexists', 'hstrlen'), keyArb, fieldArb).map(([c, k, f]) => [c, k, f]),
  fc.tuple(keyArb, fc.array(fieldArb, { minLength: 1, maxLength: 3 })).map(([k, fs]) => ['hmget', k, ...fs]),
  fc.tuple(fc.constantFrom('hlen', 'hkeys', 'hvals', 'hgetall'), keyArb).map(([c, k]) => [c, k]),
  fc.tuple(keyArb, fieldArb, fc.integer({ min: -5, max: 5 })).map(([k, f, n]) => ['hincrby', k, f, String(n)]),
  fc.tuple(keyArb, fieldArb, fc.constantFrom('0.5', '-1.25', '3')).map(([k, f, n]) => ['hincrbyfloat', k, f, n]),
  fc.tuple(keyArb, fc.integer({ min: -3, max: 6 })).map(([k, n]) => ['hrandfield', k, String(n), 'withvalues']),
);

/** The reference model; order-insensitive replies are canonicalised by `canon`. */
function model(m: Model, argv: string[]): Resp {
  const [c, k] = argv as [string, string];
  const h = m.get(k);
  const get = (): Map<string, string> => m.get(k) ?? m.set(k, new Map()).get(k)!;
  switch (c) {
    case 'hset':
    case 'hmset': {
      const t = get();
      const fresh = new Set<string>();
      for (let i = 2; i < argv.length; i += 2) {
        if (!t.has(argv[i]!)) fresh.add(argv[i]!);
        t.set(argv[i]!, argv[i + 1]!);
      }
      return c === 'hset' ? int(fresh.size) : OK;
    }
    case 'hsetnx':
      if (h?.has(argv[2]!)) return int(0);
      get().set(argv[2]!, argv[3]!);
      return int(1);
    case 'hdel': {
      if (!h) return int(0);
      let n = 0;
      for (const f of argv.slice(2)) if (h.delete(f)) n++;
      if (h.size === 0) m.delete(k);
      return int(n);
    }
    case 'hget':
      return bulk(h?.get(argv[2]!) ?? null);
    case 'hexists':
      return int(h?.has(argv[2]!) ? 1 : 0);
    case 'hstrlen':
      return int(h?.get(argv[2]!)?.length ?? 0);
    case 'hmget':
      return bulks(argv.slice(2).map((f) => h?.get(f) ?? null));
    case 'hlen':
      return int(h?.size ?? 0);
    case 'hkeys':
      return bulks([...(h?.keys() ?? [])]);
    case 'hvals':
      return bulks([...(h?.values() ?? [])]);
    case 'hgetall':
      return bulks([...(h ?? [])].flat());
    case 'hincrby': {
      const cur = h?.get(argv[2]!) ?? '0';
      if (!/^(0|-?[1-9]\d*)$/.test(cur)) return err('ERR hash value is not an integer');
      const v = String(Number(cur) + Number(argv[3]));
      get().set(argv[2]!, v);
      return int(Number(v));
    }
    case 'hincrbyfloat': {
      const cur = h?.get(argv[2]!) ?? '0';
      if (cur === '' || Number.isNaN(Number(cur))) return err('ERR hash value is not a float');
      // Operands here are exact binary fractions, so double arithmetic is exact too.
      const v = String(Number(cur) + Number(argv[3]));
      get().set(argv[2]!, v);
      return bulk(v);
    }
    case 'hrandfield': {
      const n = Number(argv[2]);
      if (!h || n === 0) return EMPTY_ARRAY;
      // Only the shape is modelled: size and membership are checked by canon().
      const size = n < 0 ? -n : Math.min(n, h.size);
      return { t: 'int', v: size * 2 };
    }
  }
  throw new Error(`no model for ${c}`);
}

/** Make a reply order-insensitive where Redis leaves the order unspecified. */
function canon(argv: string[], r: Resp, m: Model): Resp {
  const c = argv[0]!;
  if (c === 'hrandfield' && r.t === 'array' && r.v && r.v.length) {
    const h = m.get(argv[1]!)!;
    const vs = r.v.map((x) => (x as { v: string }).v);
    for (let i = 0; i < vs.length; i += 2) expect(h.get(vs[i]!)).toBe(vs[i + 1]);
    if (Number(argv[2]) > 0) expect(new Set(vs.filter((_, i) => i % 2 === 0)).size).toBe(vs.length / 2);
    return { t: 'int', v: vs.length };
  }
  if ((c === 'hkeys' || c === 'hvals') && r.t === 'array' && r.v) return bulks(r.v.map((x) => (x as { v: string }).v).sort());
  if (c === 'hgetall' && r.t === 'array' && r.v) {
    const ps: string[] = [];
    for (let i = 0; i < r.v.length; i += 2) ps.push(`${(r.v[i] as { v: string }).v}\0${(r.v[i + 1] as { v: string }).v}`);
    return bulks(ps.sort());
  }
  return r;
}

describe('hashes vs reference model', () => {
  it('agree on every reply and on the final keyspace', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { maxLength: 50 }), (cmds) => {
        const h = createHarness(hashCommands, { seed: 'prop' });
        const m: Model = new Map();
        for (const argv of cmds) {
          const got = h.run(...argv);
          const want = model(m, argv);
          expect(canon(argv, got, m), argv.join(' ')).toEqual(canon(argv, want, m));
        }
        const db = h.ks.db(0);
        for (const k of ['a', 'b']) {
          const v = db.peek(k);
          expect(v ? [...(v.v as Map<string, string>)].sort() : undefined, k).toEqual(m.has(k) ? [...m.get(k)!].sort() : undefined);
        }
        expect(h.ks.usedBytes).toBe([...db.dict.values()].reduce((x, e) => x + e.size, 0));
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
