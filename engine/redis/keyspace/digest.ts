// A deterministic dataset digest in the spirit of DEBUG DIGEST (debug.c): order-independent over
// keys (XOR of per-key digests), covering db index, key, type, value and expiry. Sets and hashes
// are order-independent too; lists and sorted sets are hashed in order. 40 hex chars; all zeros
// for an empty dataset. Not byte-compatible with Redis's SHA1-based digest.
import type { Db, Keyspace } from './keyspace.ts';
import type { RedisValue } from './values.ts';

const LANES = 5;
const SEEDS = [0x9e3779b1, 0x85ebca77, 0xc2b2ae3d, 0x27d4eb2f, 0x165667b1];

/** Five independent 32-bit multiplicative hash lanes fed with length-prefixed byte strings. */
class Hasher {
  readonly h = SEEDS.slice();

  private byte(b: number): void {
    for (let i = 0; i < LANES; i++) {
      let x = (this.h[i]! ^ b) >>> 0;
      x = Math.imul(x, 0x01000193 + 2 * i);
      x ^= x >>> 15;
      this.h[i] = x >>> 0;
    }
  }

  str(s: string): this {
    const n = s.length;
    this.byte(n & 0xff);
    this.byte((n >>> 8) & 0xff);
    this.byte((n >>> 16) & 0xff);
    this.byte((n >>> 24) & 0xff);
    for (let i = 0; i < n; i++) this.byte(s.charCodeAt(i) & 0xff);
    return this;
  }

  /** Final avalanche of every lane. */
  out(): number[] {
    return this.h.map((v, i) => {
      let x = (v ^ (i * 0x9e3779b9)) >>> 0;
      x ^= x >>> 16;
      x = Math.imul(x, 0x85ebca6b);
      x ^= x >>> 13;
      x = Math.imul(x, 0xc2b2ae35);
      x ^= x >>> 16;
      return x >>> 0;
    });
  }
}

const xorInto = (acc: number[], v: readonly number[]): void => {
  for (let i = 0; i < LANES; i++) acc[i] = (acc[i]! ^ v[i]!) >>> 0;
};

/** Digest of one member (or field/value pair) of an unordered collection. */
function itemDigest(...parts: string[]): number[] {
  const h = new Hasher();
  for (const p of parts) h.str(p);
  return h.out();
}

/** Exact text of a score (round-trips; "-0" kept distinct from "0"). */
const scoreText = (d: number): string => (Object.is(d, -0) ? '-0' : String(d));

function valueInto(h: Hasher, v: RedisValue): void {
  h.str(v.type);
  switch (v.type) {
    case 'string':
      h.str(v.v);
      return;
    case 'list':
      h.str(String(v.v.length));
      for (const e of v.v) h.str(e);
      return;
    case 'hash': {
      const acc = [0, 0, 0, 0, 0];
      for (const [f, val] of v.v) xorInto(acc, itemDigest(f, val));
      h.str(String(v.v.size));
      for (const x of acc) h.str(x.toString(16));
      return;
    }
    case 'set': {
      const acc = [0, 0, 0, 0, 0];
      for (const m of v.v) xorInto(acc, itemDigest(m));
      h.str(String(v.v.size));
      for (const x of acc) h.str(x.toString(16));
      return;
    }
    case 'zset': {
      const z = v.v as unknown as { size: number; entries?: () => Iterable<{ member: string; score: number }> };
      h.str(String(z.size));
      if (z.entries) for (const e of z.entries()) h.str(e.member).str(scoreText(e.score));
      return;
    }
    case 'stream': {
      const st = v.v;
      h.str(String(st.length)).str(String(st.lastId));
      for (const e of st.range(0n, (1n << 128n) - 1n)) {
        h.str(String(e.id));
        for (const x of e.fields) h.str(x);
      }
      return;
    }
  }
}

/** Digest of one key of a database (what DEBUG DIGEST-VALUE would cover, plus db and expiry). */
export function keyDigest(db: Db, key: string): string {
  const v = db.peek(key);
  if (!v) return '0'.repeat(8 * LANES);
  return hex(keyLanes(db, key, v));
}

function keyLanes(db: Db, key: string, v: RedisValue): number[] {
  const h = new Hasher();
  h.str(String(db.index)).str(key);
  valueInto(h, v);
  const at = db.getExpire(key);
  h.str(at === undefined ? '-1' : String(at));
  return h.out();
}

const hex = (lanes: readonly number[]): string => lanes.map((x) => x.toString(16).padStart(8, '0')).join('');

/** The dataset digest: 40 hex chars, "000...0" when every database is empty. */
export function datasetDigest(ks: Keyspace): string {
  const acc = [0, 0, 0, 0, 0];
  let any = false;
  for (const db of ks.dbs) {
    for (const [key, e] of db.dict) {
      any = true;
      xorInto(acc, keyLanes(db, key, e.value));
    }
  }
  return any ? hex(acc) : '0'.repeat(8 * LANES);
}
