// Property test: random string + generic command sequences (with a moving clock and two databases)
// agree with a tiny reference model of Redis semantics.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NIL, OK, bulk, err, int, simple, type Resp } from '../../../engine/net/resp.ts';
import { genericCommands } from '../../../engine/redis/commands/generic.ts';
import { stringsCommands } from '../../../engine/redis/commands/strings.ts';
import { createHarness } from '../harness.ts';

/** v === null: the list key. */
interface Entry {
  v: string | null;
  exp?: number;
}

const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const NOTINT = err('ERR value is not an integer or out of range');

/** The model: two dbs of string keys (plus one list key per db that string commands must refuse). */
class Model {
  dbs: Map<string, Entry>[] = [new Map(), new Map()];
  db = 0;
  now = 1_700_000_000_000;

  private live(db: number, k: string): Entry | undefined {
    const e = this.dbs[db]!.get(k);
    if (e && e.exp !== undefined && this.now > e.exp) {
      this.dbs[db]!.delete(k);
      return undefined;
    }
    return e;
  }

  apply(a: string[]): Resp {
    const m = this.dbs[this.db]!;
    const k = a[1]!;
    const cur = (): Entry | undefined => this.live(this.db, k);
    switch (a[0]) {
      case 'get': {
        const e = cur();
        return e === undefined ? NIL : e.v === null ? WRONGTYPE : bulk(e.v);
      }
      case 'set': {
        const opts = a.slice(3);
        const e = cur();
        if (opts.includes('get') && e?.v === null) return WRONGTYPE;
        const old = opts.includes('get') ? (e === undefined ? NIL : bulk(e.v)) : null;
        if ((opts.includes('nx') && e !== undefined) || (opts.includes('xx') && e === undefined)) return old ?? NIL;
        const px = opts.includes('px') ? Number(opts[opts.indexOf('px') + 1]) : undefined;
        const keep = opts.includes('keepttl') ? e?.exp : undefined;
        m.set(k, { v: a[2]!, exp: px !== undefined ? this.now + px : keep });
        return old ?? OK;
      }
      case 'del':
        return int(a.slice(1).filter((x) => this.live(this.db, x) !== undefined && m.delete(x)).length);
      case 'exists':
        return int(a.slice(1).filter((x) => this.live(this.db, x) !== undefined).length);
      case 'incrby': {
        const e = cur();
        if (e?.v === null) return WRONGTYPE;
        const base = e === undefined ? 0n : /^(0|-?[1-9][0-9]*)$/.test(e.v) ? BigInt(e.v) : null;
        if (base === null) return NOTINT;
        const n = base + BigInt(a[2]!);
        m.set(k, { v: n.toString(), exp: e?.exp });
        return int(Number(n));
      }
      case 'append': {
        const e = cur();
        if (e?.v === null) return WRONGTYPE;
        const v = (e?.v ?? '') + a[2]!;
        m.set(k, { v, exp: e?.exp });
        return int(v.length);
      }
      case 'strlen': {
        const e = cur();
        return e === undefined ? int(0) : e.v === null ? WRONGTYPE : int(e.v.length);
      }
      case 'pexpire': {
        const e = cur();
        if (e === undefined) return int(0);
        const ms = Number(a[2]);
        if (ms <= 0) m.delete(k);
        else e.exp = this.now + ms;
        return int(1);
      }
      case 'persist': {
        const e = cur();
        if (e === undefined || e.exp === undefined) return int(0);
        delete e.exp;
        return int(1);
      }
      case 'pttl': {
        const e = cur();
        if (e === undefined) return int(-2);
        if (e.exp === undefined) return int(-1);
        return int(Math.max(0, e.exp - this.now));
      }
      case 'type': {
        const e = cur();
        return simple(e === undefined ? 'none' : e.v === null ? 'list' : 'string');
      }
      case 'rename':
      case 'renamenx': {
        const e = cur();
        if (e === undefined) return err('ERR no such key');
        const nx = a[0] === 'renamenx';
        if (k === a[2]) return nx ? int(0) : OK;
        if (nx && this.live(this.db, a[2]!) !== undefined) return int(0);
        m.delete(k);
        m.set(a[2]!, e);
        return nx ? int(1) : OK;
      }
      case 'move': {
        const e = cur();
        const dst = 1 - this.db;
        if (e === undefined || this.live(dst, k) !== undefined) return int(0);
        m.delete(k);
        this.dbs[dst]!.set(k, e);
        return int(1);
      }
      case 'select':
        this.db = Number(a[1]);
        return OK;
      case 'getdel': {
        const e = cur();
        if (e?.v === null) return WRONGTYPE;
        if (e === undefined) return NIL;
        m.delete(k);
        return bulk(e.v);
      }
      default:
        throw new Error(a[0]);
    }
  }
}

const keyArb = fc.constantFrom('a', 'b', 'c', 'L');
const valArb = fc.constantFrom('1', '-7', 'x', '', '10');
const cmdArb: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(keyArb).map(([k]) => ['get', k]),
  {
    arbitrary: fc
      .tuple(keyArb, valArb, fc.subarray(['nx', 'xx', 'get', 'keepttl', 'px']), fc.integer({ min: 1, max: 50 }))
      .filter(([, , o]) => !(o.includes('nx') && o.includes('xx')) && !(o.includes('keepttl') && o.includes('px')))
      .map(([k, v, o, px]) => ['set', k, v, ...o.flatMap((x) => (x === 'px' ? ['px', String(px)] : [x]))]),
    weight: 3,
  },
  fc.array(keyArb, { minLength: 1, maxLength: 3 }).map((ks) => ['del', ...ks]),
  fc.array(keyArb, { minLength: 1, maxLength: 3 }).map((ks) => ['exists', ...ks]),
  fc.tuple(keyArb, fc.integer({ min: -3, max: 3 })).map(([k, n]) => ['incrby', k, String(n)]),
  fc.tuple(keyArb, valArb).map(([k, v]) => ['append', k, v]),
  fc.tuple(fc.constantFrom('strlen', 'persist', 'pttl', 'type', 'getdel', 'move'), keyArb).map(([c, k]) => (c === 'move' ? [c, k, 'X'] : [c, k])),
  fc.tuple(keyArb, fc.integer({ min: -5, max: 40 })).map(([k, ms]) => ['pexpire', k, String(ms)]),
  fc.tuple(fc.constantFrom('rename', 'renamenx'), keyArb, keyArb).map(([c, a, b]): string[] => [c, a, b]),
  fc.constantFrom<string[]>(['select', '0'], ['select', '1']),
  fc.integer({ min: 1, max: 30 }).map((ms) => ['tick', String(ms)]),
);

describe('strings + generic vs a reference model', () => {
  it('agree on every reply', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { minLength: 5, maxLength: 60, size: 'max' }), (cmds) => {
        const h = createHarness([...stringsCommands, ...genericCommands]);
        const model = new Model();
        h.clock.now = model.now;
        for (const d of [0, 1]) {
          h.ks.db(d).set('L', { type: 'list', v: ['x'] });
          model.dbs[d]!.set('L', { v: null });
        }
        for (const c of cmds) {
          if (c[0] === 'tick') {
            h.clock.now += Number(c[1]);
            model.now += Number(c[1]);
            continue;
          }
          const argv = c[0] === 'move' ? ['move', c[1]!, String(1 - model.db)] : c;
          const want = model.apply(argv);
          expect(h.run(...argv), argv.join(' ')).toEqual(want);
        }
        // same live keys at the end
        for (const d of [0, 1]) {
          const live = [...model.dbs[d]!.keys()].filter((k) => {
            const e = model.dbs[d]!.get(k)!;
            return e.exp === undefined || model.now <= e.exp;
          });
          const sim = [...h.ks.db(d).dict.keys()].filter((k) => !h.ks.db(d).isExpired(k));
          expect(sim.sort()).toEqual(live.sort());
        }
      }),
      { numRuns: 300 },
    );
  });
});
