// Property test: random set command sequences agree with a tiny reference model (orders compared as sets).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ARRAY, NIL, arr, bulks, err, int, type Resp } from '../../../engine/net/resp.ts';
import { setCommands } from '../../../engine/redis/commands/sets.ts';
import { createHarness } from '../harness.ts';

type Model = Map<string, Set<string>>;

const keyArb = fc.constantFrom('a', 'b', 'c');
const memberArb = fc.constantFrom('1', '2', '-3', 'x', 'y', '10');
const membersArb = fc.array(memberArb, { minLength: 1, maxLength: 4 });

const cmdArb: fc.Arbitrary<string[]> = fc.oneof(
  { arbitrary: fc.tuple(keyArb, membersArb).map(([k, ms]) => ['sadd', k, ...ms]), weight: 5 },
  fc.tuple(keyArb, membersArb).map(([k, ms]) => ['srem', k, ...ms]),
  fc.tuple(fc.constantFrom('smembers', 'scard', 'spop', 'srandmember'), keyArb).map(([c, k]) => [c, k]),
  fc.tuple(keyArb, memberArb).map(([k, m]) => ['sismember', k, m]),
  fc.tuple(keyArb, membersArb).map(([k, ms]) => ['smismember', k, ...ms]),
  fc.tuple(keyArb, fc.integer({ min: -4, max: 8 })).map(([k, n]) => ['srandmember', k, String(n)]),
  fc.tuple(keyArb, fc.integer({ min: 0, max: 8 })).map(([k, n]) => ['spop', k, String(n)]),
  fc.tuple(keyArb, keyArb, memberArb).map(([a, b, m]) => ['smove', a, b, m]),
  fc.tuple(fc.constantFrom('sinter', 'sunion', 'sdiff'), fc.array(keyArb, { minLength: 1, maxLength: 3 })).map(([c, ks]) => [c, ...ks]),
  fc.tuple(fc.constantFrom('sinterstore', 'sunionstore', 'sdiffstore'), keyArb, fc.array(keyArb, { minLength: 1, maxLength: 3 })).map(
    ([c, d, ks]) => [c, d, ...ks],
  ),
  fc.tuple(fc.array(keyArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 3 })).map(([ks, l]) => ['sintercard', String(ks.length), ...ks, 'LIMIT', String(l)]),
);

const set = (m: Model, k: string): Set<string> => m.get(k) ?? new Set();
const put = (m: Model, k: string, s: Set<string>): void => void (s.size ? m.set(k, s) : m.delete(k));
const sortedBulks = (xs: Iterable<string>): Resp => bulks([...xs].sort());

function inter(m: Model, ks: string[]): Set<string> {
  const [first, ...rest] = ks.map((k) => set(m, k));
  return new Set([...first!].filter((x) => rest.every((s) => s.has(x))));
}
const union = (m: Model, ks: string[]): Set<string> => new Set(ks.flatMap((k) => [...set(m, k)]));
const diff = (m: Model, ks: string[]): Set<string> => {
  const [first, ...rest] = ks.map((k) => set(m, k));
  return new Set([...first!].filter((x) => !rest.some((s) => s.has(x))));
};

/** The model's reply; null where the reply is random (checked by `checkRandom`). */
function model(m: Model, argv: string[]): Resp | null {
  const [c, k] = argv as [string, string];
  const s = set(m, k);
  const args = argv.slice(2);
  switch (c) {
    case 'sadd': {
      const t = new Set(s);
      args.forEach((x) => t.add(x));
      put(m, k, t);
      return int(t.size - s.size);
    }
    case 'srem': {
      const t = new Set(s);
      args.forEach((x) => t.delete(x));
      put(m, k, t);
      return int(s.size - t.size);
    }
    case 'smembers':
      return sortedBulks(s);
    case 'scard':
      return int(s.size);
    case 'sismember':
      return int(s.has(args[0]!) ? 1 : 0);
    case 'smismember':
      return arr(args.map((x) => int(s.has(x) ? 1 : 0)));
    case 'smove': {
      const [src, dst, x] = argv.slice(1) as [string, string, string];
      if (!set(m, src).has(x)) return int(0);
      if (src === dst) return int(1);
      const a = new Set(set(m, src));
      a.delete(x);
      put(m, src, a);
      put(m, dst, new Set(set(m, dst)).add(x));
      return int(1);
    }
    case 'sinter':
      return sortedBulks(inter(m, argv.slice(1)));
    case 'sunion':
      return sortedBulks(union(m, argv.slice(1)));
    case 'sdiff':
      return sortedBulks(diff(m, argv.slice(1)));
    case 'sinterstore':
    case 'sunionstore':
    case 'sdiffstore': {
      const f = c === 'sinterstore' ? inter : c === 'sunionstore' ? union : diff;
      const r = f(m, argv.slice(2));
      put(m, k, r);
      return int(r.size);
    }
    case 'sintercard': {
      const n = Number(argv[1]);
      const l = Number(argv[argv.length - 1]);
      const size = inter(m, argv.slice(2, 2 + n)).size;
      return int(l ? Math.min(l, size) : size);
    }
    default:
      return null;
  }
}

/** Random commands: check shape against the model, then apply the observed effect. */
function checkRandom(m: Model, argv: string[], got: Resp): void {
  const [c, k] = argv as [string, string];
  const s = set(m, k);
  const items = got.t === 'array' ? (got.v as Resp[]).map((x) => x.v as string) : [];
  if (c === 'srandmember' && argv.length === 2) {
    if (s.size === 0) expect(got).toEqual(NIL);
    else expect(s.has(got.v as string)).toBe(true);
  } else if (c === 'srandmember') {
    const n = Number(argv[2]);
    if (s.size === 0 || n === 0) return void expect(got).toEqual(EMPTY_ARRAY);
    expect(items.every((x) => s.has(x))).toBe(true);
    if (n > 0) {
      expect(items.length).toBe(Math.min(n, s.size));
      expect(new Set(items).size).toBe(items.length);
    } else expect(items.length).toBe(-n);
  } else if (c === 'spop' && argv.length === 2) {
    if (s.size === 0) return void expect(got).toEqual(NIL);
    expect(s.has(got.v as string)).toBe(true);
    const t = new Set(s);
    t.delete(got.v as string);
    put(m, k, t);
  } else {
    const n = Number(argv[2]);
    if (s.size === 0 || n === 0) return void expect(got).toEqual(EMPTY_ARRAY);
    expect(items.length).toBe(Math.min(n, s.size));
    expect(new Set(items).size).toBe(items.length);
    const t = new Set(s);
    for (const x of items) expect(t.delete(x)).toBe(true);
    put(m, k, t);
  }
}

function canon(r: Resp): Resp {
  if (r.t === 'array' && r.v && r.v.every((x) => x.t === 'bulk')) return bulks((r.v as Resp[]).map((x) => x.v as string).sort());
  return r;
}

describe('sets agree with a reference model', () => {
  it('random command sequences', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { maxLength: 60, size: 'max' }), fc.string(), (cmds, seed) => {
        const h = createHarness(setCommands, { seed });
        const m: Model = new Map();
        for (const argv of cmds) {
          const got = h.run(...argv);
          expect(got.t, argv.join(' ')).not.toBe('error');
          const want = model(m, argv);
          if (want === null) checkRandom(m, argv, got);
          else expect(canon(got), argv.join(' ')).toEqual(want);
          // Keyspace mirrors the model, with no empty sets left behind.
          for (const key of ['a', 'b', 'c']) {
            const v = h.ks.db(0).peek(key);
            const want = m.get(key);
            if (!want) expect(v).toBeUndefined();
            else expect(v?.type === 'set' ? [...v.v].sort() : v).toEqual([...want].sort());
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a wrong-typed key is an error for every command', () => {
    const h = createHarness(setCommands);
    h.ks.db(0).set('a', { type: 'string', v: 'x' });
    fc.assert(
      fc.property(cmdArb, (argv) => {
        const r = h.run(...argv);
        if (r.t === 'error') expect(r).toEqual(err('WRONGTYPE Operation against a key holding the wrong kind of value'));
      }),
    );
  });
});
