// Property test: random sorted-set command sequences agree with a tiny reference model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ARRAY, NIL, NIL_ARRAY, arr, bulk, bulks, int, type Resp } from '../../../engine/net/resp.ts';
import { setCommands } from '../../../engine/redis/commands/sets.ts';
import { zsetCommands } from '../../../engine/redis/commands/zsets.ts';
import { createHarness } from '../harness.ts';

type Z = Map<string, number>;
type Model = { z: Map<string, Z>; s: Set<string> };

const zkeyArb = fc.constantFrom('a', 'b');
const srcArb = fc.constantFrom('a', 'b', 's', 'none');
const memberArb = fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5');
const scoreArb = fc.constantFrom('-3', '-1', '0', '1', '2', '3', '0.5', '-1.5');
const boundArb = fc.tuple(fc.boolean(), fc.integer({ min: -4, max: 4 })).map(([ex, n]) => `${ex ? '(' : ''}${n}`);
const lexArb = fc.constantFrom('-', '+', '[m2', '(m2', '[m4', '(m4', '[m', '[z');
const flagsArb = fc.subarray(['NX', 'XX', 'GT', 'LT', 'CH']);
const srcsArb = fc.array(srcArb, { minLength: 1, maxLength: 3 });
const weightArb = fc.constantFrom('1', '2', '-1', '0');
const aggArb = fc.constantFrom('SUM', 'MIN', 'MAX');

const cmdArb: fc.Arbitrary<string[]> = fc.oneof(
  {
    arbitrary: fc
      .tuple(zkeyArb, flagsArb, fc.array(fc.tuple(scoreArb, memberArb), { minLength: 1, maxLength: 3 }))
      .map(([k, f, ps]) => ['zadd', k, ...f, ...ps.flat()]),
    weight: 6,
  },
  fc.tuple(zkeyArb, flagsArb, scoreArb, memberArb).map(([k, f, s, m]) => ['zadd', k, ...f, 'INCR', s, m]),
  fc.tuple(zkeyArb, scoreArb, memberArb).map(([k, s, m]) => ['zincrby', k, s, m]),
  fc.tuple(zkeyArb, fc.array(memberArb, { minLength: 1, maxLength: 3 })).map(([k, ms]) => ['zrem', k, ...ms]),
  fc.tuple(fc.constantFrom('zscore', 'zrank', 'zrevrank'), zkeyArb, memberArb).map(([c, k, m]) => [c, k, m]),
  fc.tuple(zkeyArb, fc.array(memberArb, { minLength: 1, maxLength: 3 })).map(([k, ms]) => ['zmscore', k, ...ms]),
  zkeyArb.map((k) => ['zcard', k]),
  fc.tuple(zkeyArb, fc.integer({ min: -6, max: 6 }), fc.integer({ min: -6, max: 6 }), fc.boolean(), fc.boolean()).map(([k, a, b, rev, ws]) =>
    ['zrange', k, String(a), String(b)].concat(rev ? ['REV'] : [], ws ? ['WITHSCORES'] : []),
  ),
  fc
    .tuple(zkeyArb, boundArb, boundArb, fc.boolean(), fc.option(fc.tuple(fc.integer({ min: -1, max: 3 }), fc.integer({ min: -1, max: 3 }))))
    .map(([k, a, b, rev, lim]) => ['zrange', k, a, b, 'BYSCORE'].concat(rev ? ['REV'] : [], lim ? ['LIMIT', String(lim[0]), String(lim[1])] : [])),
  fc.tuple(zkeyArb, lexArb, lexArb, fc.boolean()).map(([k, a, b, rev]) => ['zrange', k, a, b, 'BYLEX'].concat(rev ? ['REV'] : [])),
  fc.tuple(zkeyArb, boundArb, boundArb).map(([k, a, b]) => ['zcount', k, a, b]),
  fc.tuple(zkeyArb, lexArb, lexArb).map(([k, a, b]) => ['zlexcount', k, a, b]),
  fc.tuple(zkeyArb, fc.integer({ min: -6, max: 6 }), fc.integer({ min: -6, max: 6 })).map(([k, a, b]) => ['zremrangebyrank', k, String(a), String(b)]),
  fc.tuple(zkeyArb, boundArb, boundArb).map(([k, a, b]) => ['zremrangebyscore', k, a, b]),
  fc.tuple(zkeyArb, lexArb, lexArb).map(([k, a, b]) => ['zremrangebylex', k, a, b]),
  fc.tuple(fc.constantFrom('zpopmin', 'zpopmax'), zkeyArb, fc.integer({ min: 0, max: 4 })).map(([c, k, n]) => [c, k, String(n)]),
  fc.tuple(srcsArb, fc.constantFrom('MIN', 'MAX'), fc.integer({ min: 1, max: 4 })).map(([ks, w, n]) => ['zmpop', String(ks.length), ...ks, w, 'COUNT', String(n)]),
  fc.tuple(memberArb, fc.array(memberArb, { maxLength: 2 })).map(([m, ms]) => ['sadd', 's', m, ...ms]),
  fc
    .tuple(fc.constantFrom('zunion', 'zinter', 'zunionstore', 'zinterstore'), zkeyArb, srcsArb, fc.boolean(), fc.option(aggArb), fc.array(weightArb, { minLength: 3, maxLength: 3 }))
    .map(([c, dst, ks, useW, agg, ws]) => {
      const store = c.endsWith('store');
      return [c, ...(store ? [dst] : []), String(ks.length), ...ks]
        .concat(useW ? ['WEIGHTS', ...ws.slice(0, ks.length)] : [], agg ? ['AGGREGATE', agg] : [], store ? [] : ['WITHSCORES']);
    }),
  fc.tuple(fc.constantFrom('zdiff', 'zdiffstore'), zkeyArb, srcsArb).map(([c, dst, ks]) =>
    c === 'zdiff' ? ['zdiff', String(ks.length), ...ks, 'WITHSCORES'] : ['zdiffstore', dst, String(ks.length), ...ks],
  ),
  fc.tuple(srcsArb, fc.integer({ min: 0, max: 3 })).map(([ks, l]) => ['zintercard', String(ks.length), ...ks, 'LIMIT', String(l)]),
  fc.tuple(zkeyArb, zkeyArb, fc.integer({ min: -4, max: 4 }), fc.integer({ min: -4, max: 4 })).map(([d, k, a, b]) => ['zrangestore', d, k, String(a), String(b)]),
);

// ---- The model ----

const fmt = (d: number): string => (Object.is(d, -0) ? '-0' : String(d));
const sortZ = (z: Z): [string, number][] => [...z].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
const flat = (es: [string, number][], ws: boolean): Resp => bulks(es.flatMap(([m, s]) => (ws ? [m, fmt(s)] : [m])));
/** Small sorted sets are listpacks: -0 is stored as 0. */
const stored = (s: number): number => (s === 0 ? 0 : s);

function bound(b: string): [number, boolean] {
  return b.startsWith('(') ? [Number(b.slice(1)), true] : [Number(b), false];
}
const inScore = (s: number, a: string, b: string): boolean => {
  const [min, minex] = bound(a);
  const [max, maxex] = bound(b);
  return (minex ? s > min : s >= min) && (maxex ? s < max : s <= max);
};
/** Lex bound as a comparable: - / + as ±Infinity. */
function lexCmp(m: string, b: string): number {
  if (b === '-') return 1;
  if (b === '+') return -1;
  const v = b.slice(1);
  return m < v ? -1 : m > v ? 1 : 0;
}
const lexGte = (m: string, b: string): boolean => (b[0] === '[' ? lexCmp(m, b) >= 0 : lexCmp(m, b) > 0);
const lexLte = (m: string, b: string): boolean => (b[0] === '[' ? lexCmp(m, b) <= 0 : lexCmp(m, b) < 0);
/** Redis walks from the first member >= min while <= max (meaningful for equal scores; mirrored exactly here). */
function lexRange(es: [string, number][], a: string, b: string, rev: boolean): [string, number][] {
  const bad = (a === '+' || b === '-') && a !== b ? true : a === b && (a === '+' || a === '-' || a[0] === '(' || b[0] === '(');
  const cmpAB = a === '-' || b === '+' ? -1 : a === '+' || b === '-' ? 1 : a.slice(1) < b.slice(1) ? -1 : a.slice(1) > b.slice(1) ? 1 : 0;
  if (es.length === 0 || cmpAB > 0 || (cmpAB === 0 && (a[0] !== '[' || b[0] !== '[')) || bad) return [];
  if (!lexGte(es[es.length - 1]![0], a) || !lexLte(es[0]![0], b)) return [];
  const out: [string, number][] = [];
  if (!rev) {
    const i = es.findIndex(([m]) => lexGte(m, a));
    for (let k = i; k >= 0 && k < es.length && lexLte(es[k]![0], b); k++) out.push(es[k]!);
  } else {
    let i = es.length - 1;
    while (i >= 0 && !lexLte(es[i]![0], b)) i--;
    for (let k = i; k >= 0 && lexGte(es[k]![0], a); k--) out.push(es[k]!);
  }
  return out;
}
function rankSpan(a: number, b: number, n: number): [number, number] | null {
  if (a < 0) a += n;
  if (b < 0) b += n;
  if (a < 0) a = 0;
  if (a > b || a >= n) return null;
  return [a, Math.min(b, n - 1)];
}

function model(m: Model, argv: string[]): Resp | null {
  const [c, k] = argv as [string, string];
  const getZ = (key: string): Z => m.z.get(key) ?? new Map();
  const putZ = (key: string, z: Z): void => void (z.size ? m.z.set(key, z) : m.z.delete(key));
  const z = getZ(k);
  const es = sortZ(z);
  const src = (key: string): Z | null => (key === 's' ? (m.s.size ? new Map([...m.s].map((x) => [x, 1])) : null) : m.z.get(key) ?? null);
  switch (c) {
    case 'zadd': {
      let i = 2;
      const f = new Set<string>();
      while (['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'].includes(argv[i]!)) f.add(argv[i++]!);
      const nx = f.has('NX'), xx = f.has('XX'), gt = f.has('GT'), lt = f.has('LT'), incr = f.has('INCR');
      if (nx && xx) return bulk('ERR XX and NX options at the same time are not compatible');
      if ((gt || lt) && nx) return bulk('ERR GT, LT, and/or NX options at the same time are not compatible');
      if (gt && lt) return bulk('ERR GT, LT, and/or NX options at the same time are not compatible');
      const t = new Map(z);
      let added = 0, updated = 0, processed = 0, last = 0;
      for (; i < argv.length; i += 2) {
        let s = Number(argv[i]);
        const mem = argv[i + 1]!;
        const cur = t.get(mem);
        if (cur === undefined) {
          if (xx) continue;
          t.set(mem, stored(s));
          added++;
        } else {
          if (nx) continue;
          if (incr) s += cur;
          if ((lt && s >= cur) || (gt && s <= cur)) continue;
          if (s !== cur) {
            t.set(mem, stored(s));
            updated++;
          }
        }
        processed++;
        last = s;
      }
      putZ(k, t);
      if (incr) return processed ? bulk(fmt(last)) : NIL;
      return int(f.has('CH') ? added + updated : added);
    }
    case 'zincrby': {
      const s = (z.get(argv[3]!) ?? 0) + Number(argv[2]);
      putZ(k, new Map(z).set(argv[3]!, stored(s)));
      return bulk(fmt(s));
    }
    case 'zrem': {
      const t = new Map(z);
      const n = argv.slice(2).filter((x) => t.delete(x)).length;
      putZ(k, t);
      return int(n);
    }
    case 'zscore':
      return z.has(argv[2]!) ? bulk(fmt(z.get(argv[2]!)!)) : NIL;
    case 'zrank':
    case 'zrevrank': {
      const i = es.findIndex(([x]) => x === argv[2]);
      return i < 0 ? NIL : int(c === 'zrank' ? i : es.length - 1 - i);
    }
    case 'zmscore':
      return arr(argv.slice(2).map((x) => (z.has(x) ? bulk(fmt(z.get(x)!)) : NIL)));
    case 'zcard':
      return int(z.size);
    case 'zrange': {
      const opts = argv.slice(4);
      const rev = opts.includes('REV');
      const ws = opts.includes('WITHSCORES');
      if (opts.includes('BYSCORE')) {
        const [a, b] = rev ? [argv[3]!, argv[2]!] : [argv[2]!, argv[3]!];
        const li = opts.indexOf('LIMIT');
        const off = li < 0 ? 0 : Number(opts[li + 1]);
        const lim = li < 0 ? -1 : Number(opts[li + 2]);
        let r = es.filter(([, s]) => inScore(s, a, b));
        if (rev) r.reverse();
        if (off < 0) r = [];
        r = r.slice(off);
        if (lim >= 0) r = r.slice(0, lim);
        return flat(r, ws);
      }
      if (opts.includes('BYLEX')) {
        const [a, b] = rev ? [argv[3]!, argv[2]!] : [argv[2]!, argv[3]!];
        return flat(lexRange(es, a, b, rev), false);
      }
      const span = rankSpan(Number(argv[2]), Number(argv[3]), es.length);
      if (!span) return EMPTY_ARRAY;
      const r = rev ? es.slice().reverse() : es;
      return flat(r.slice(span[0], span[1] + 1), ws);
    }
    case 'zcount':
      return int(es.filter(([, s]) => inScore(s, argv[2]!, argv[3]!)).length);
    case 'zlexcount':
      return int(lexRange(es, argv[2]!, argv[3]!, false).length);
    case 'zremrangebyrank':
    case 'zremrangebyscore':
    case 'zremrangebylex': {
      let victims: [string, number][];
      if (c === 'zremrangebyrank') {
        const span = rankSpan(Number(argv[2]), Number(argv[3]), es.length);
        victims = span ? es.slice(span[0], span[1] + 1) : [];
      } else if (c === 'zremrangebyscore') victims = es.filter(([, s]) => inScore(s, argv[2]!, argv[3]!));
      else victims = lexRange(es, argv[2]!, argv[3]!, false);
      const t = new Map(z);
      victims.forEach(([x]) => t.delete(x));
      putZ(k, t);
      return int(victims.length);
    }
    case 'zpopmin':
    case 'zpopmax': {
      const n = Number(argv[2]);
      const order = c === 'zpopmin' ? es : es.slice().reverse();
      const popped = order.slice(0, n);
      const t = new Map(z);
      popped.forEach(([x]) => t.delete(x));
      putZ(k, t);
      return flat(popped, true);
    }
    case 'zmpop': {
      const nk = Number(argv[1]);
      const keys = argv.slice(2, 2 + nk);
      const key = keys.find((x) => x !== 's' && m.z.has(x));
      if (keys.some((x, i) => x === 's' && m.s.size && (key === undefined || keys.indexOf(key) > i))) return bulk('WRONGTYPE');
      if (key === undefined) return NIL_ARRAY;
      const zz = sortZ(m.z.get(key)!);
      const order = argv[2 + nk] === 'MIN' ? zz : zz.reverse();
      const popped = order.slice(0, Number(argv[argv.length - 1]));
      const t = new Map(m.z.get(key)!);
      popped.forEach(([x]) => t.delete(x));
      putZ(key, t);
      return arr([bulk(key), arr(popped.map(([x, s]) => bulks([x, fmt(s)])))]);
    }
    case 'sadd': {
      if (m.s.size === 0 && m.z.has('s')) return null;
      const before = m.s.size;
      argv.slice(2).forEach((x) => m.s.add(x));
      return int(m.s.size - before);
    }
    case 'zunion':
    case 'zinter':
    case 'zunionstore':
    case 'zinterstore':
    case 'zdiff':
    case 'zdiffstore':
    case 'zintercard': {
      const store = c.endsWith('store');
      const dst = store ? argv[1]! : null;
      const ni = store ? 2 : 1;
      const nk = Number(argv[ni]);
      const keys = argv.slice(ni + 1, ni + 1 + nk);
      const opts = argv.slice(ni + 1 + nk);
      const wi = opts.indexOf('WEIGHTS');
      const ws = keys.map((_, i) => (wi < 0 ? 1 : Number(opts[wi + 1 + i])));
      const ai = opts.indexOf('AGGREGATE');
      const agg = ai < 0 ? 'SUM' : opts[ai + 1]!;
      const aggr = (t: number, v: number): number => {
        if (agg === 'SUM') return Number.isNaN(t + v) ? 0 : t + v;
        return agg === 'MIN' ? (v < t ? v : t) : v > t ? v : t;
      };
      const srcs = keys.map(src);
      const out: Z = new Map();
      let card = 0;
      if (c.startsWith('zunion')) {
        // smallest input first here too: with MIN / MAX it decides between -0 and 0
        const order = srcs.map((s, i) => ({ s, w: ws[i]! })).sort((x, y) => (x.s?.size ?? 0) - (y.s?.size ?? 0));
        for (const { s, w: wt } of order)
          s?.forEach((v, x) => {
            const w = Number.isNaN(v * wt) ? 0 : v * wt;
            out.set(x, out.has(x) ? aggr(out.get(x)!, w) : w);
          });
      } else if (c.startsWith('zinter')) {
        if (srcs.every((s) => s && s.size)) {
          // Redis iterates the smallest input first (stable among equal sizes): it decides the aggregation order.
          const order = srcs.map((s, i) => ({ s: s!, w: ws[i]! })).sort((x, y) => x.s.size - y.s.size);
          for (const [x, v0] of sortZ(order[0]!.s)) {
            if (!order.every((o) => o.s.has(x))) continue;
            let sc = Number.isNaN(v0 * order[0]!.w) ? 0 : v0 * order[0]!.w;
            for (const o of order.slice(1)) sc = aggr(sc, o.s.get(x)! * o.w);
            out.set(x, sc);
            card++;
          }
        }
      } else {
        const first = srcs[0];
        if (first && !keys.slice(1).includes(keys[0]!))
          first.forEach((v, x) => {
            if (!srcs.slice(1).some((s) => s?.has(x))) out.set(x, v);
          });
      }
      if (c === 'zintercard') {
        const l = Number(opts[opts.indexOf('LIMIT') + 1]);
        return int(l ? Math.min(l, card) : card);
      }
      if (dst === null) return flat(sortZ(out), opts.includes('WITHSCORES'));
      putZ(dst, new Map([...out].map(([x, s]) => [x, stored(s)])));
      return int(out.size);
    }
    case 'zrangestore': {
      const from = getZ(argv[2]!);
      const span = rankSpan(Number(argv[3]), Number(argv[4]), from.size);
      const picked = span ? sortZ(from).slice(span[0], span[1] + 1) : [];
      putZ(k, new Map(picked));
      return int(picked.length);
    }
  }
  return null;
}

/** Replies the model only sketches (errors and WRONGTYPE are reported as bulk markers). */
function norm(r: Resp): Resp {
  if (r.t === 'error') return bulk(r.v.startsWith('WRONGTYPE') ? 'WRONGTYPE' : r.v);
  return r;
}

describe('sorted sets agree with a reference model', () => {
  it('random command sequences', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { maxLength: 50, size: 'max' }), (cmds) => {
        const h = createHarness([...zsetCommands, ...setCommands]);
        const m: Model = { z: new Map(), s: new Set() };
        for (const argv of cmds) {
          const want = model(m, argv);
          const got = norm(h.run(...argv));
          if (want !== null) expect(got, argv.join(' ')).toEqual(want);
          for (const key of ['a', 'b']) {
            const v = h.ks.db(0).peek(key);
            const mz = m.z.get(key);
            if (!mz) expect(v, key).toBeUndefined();
            else {
              expect(v?.type).toBe('zset');
              if (v?.type === 'zset') expect([...v.v.entries()].map((e) => [e.member, e.score])).toEqual(sortZ(mz));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
