// DEBUG DIGEST (debug.c computeDatasetDigest): SHA1 mixing of every key, type, value and expiry.
import { sha1 } from '@noble/hashes/legacy.js';
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { RedisValue } from '../keyspace/values.ts';

const TYPE_CODE: Record<RedisValue['type'], number> = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 };

function bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

function xorDigest(digest: Uint8Array, data: Uint8Array): void {
  const h = sha1(data);
  for (let i = 0; i < 20; i++) digest[i]! ^= h[i]!;
}

function mixDigest(digest: Uint8Array, data: Uint8Array): void {
  xorDigest(digest, data);
  digest.set(sha1(digest));
}

function be32(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/** printf("%.17g"). */
export function g17(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Number.isNaN(x)) return 'nan';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [m, e] = x.toExponential(16).split('e') as [string, string];
  let mant = m;
  const ex = Number(e);
  if (ex < -4 || ex >= 17) {
    mant = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    return `${mant}e${ex < 0 ? '-' : '+'}${String(Math.abs(ex)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, 16 - ex));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

function valueDigest(digest: Uint8Array, v: RedisValue): void {
  const pair = (a: string, b: string) => {
    const e = new Uint8Array(20);
    mixDigest(e, bytes(a));
    mixDigest(e, bytes(b));
    xorDigest(digest, e);
  };
  switch (v.type) {
    case 'string':
      mixDigest(digest, bytes(v.v));
      break;
    case 'list':
      for (const el of v.v) mixDigest(digest, bytes(el));
      break;
    case 'set':
      for (const m of v.v) xorDigest(digest, bytes(m));
      break;
    case 'zset':
      for (const [m, score] of v.v.dictEntries()) pair(m, g17(score));
      break;
    case 'hash':
      for (const [f, val] of v.v) pair(f, val);
      break;
    case 'stream':
      // xorObjectDigest: "<ms>.<seq>", then each field and value
      for (const e of v.v.range(0n, (1n << 128n) - 1n)) {
        mixDigest(digest, bytes(`${e.id >> 64n}.${e.id & ((1n << 64n) - 1n)}`));
        for (const x of e.fields) mixDigest(digest, bytes(x));
      }
      break;
  }
}

/** 40 hex chars; all zeros for an empty dataset. */
export function datasetDigest(ks: Keyspace): string {
  const final = new Uint8Array(20);
  for (const db of ks.dbs) {
    if (db.dict.size === 0) continue;
    mixDigest(final, be32(db.index));
    for (const [key, { value: v }] of db.dict) {
      const d = new Uint8Array(20);
      mixDigest(d, bytes(key));
      mixDigest(d, be32(TYPE_CODE[v.type]));
      valueDigest(d, v);
      if (db.expires.has(key)) xorDigest(d, bytes('!!expire!!'));
      xorDigest(final, d);
    }
  }
  return [...final].map((b) => b.toString(16).padStart(2, '0')).join('');
}
