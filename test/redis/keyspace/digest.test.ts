// The dataset digest: order-independent, sensitive to db, key, type, value and expiry.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../../engine/redis/keyspace/keyspace.ts';
import { datasetDigest, keyDigest } from '../../../engine/redis/keyspace/digest.ts';
import { ZSet } from '../../../engine/redis/keyspace/zset.ts';

function ks(): Keyspace {
  return new Keyspace(16, {
    now: () => 1000,
    expiredLooksAbsentOnly: () => false,
    applyingMasterStream: () => false,
    onExpired: () => {},
    onTouched: () => {},
  });
}

describe('datasetDigest', () => {
  it('is all zeros for an empty dataset', () => {
    expect(datasetDigest(ks())).toBe('0'.repeat(40));
  });

  it('does not depend on insertion order (keys, set members, hash fields)', () => {
    const a = ks();
    const b = ks();
    a.db(0).set('x', { type: 'string', v: '1' });
    a.db(0).set('s', { type: 'set', v: new Set(['a', 'b', 'c']) });
    a.db(0).set('h', { type: 'hash', v: new Map([['f', '1'], ['g', '2']]) });
    b.db(0).set('h', { type: 'hash', v: new Map([['g', '2'], ['f', '1']]) });
    b.db(0).set('s', { type: 'set', v: new Set(['c', 'a', 'b']) });
    b.db(0).set('x', { type: 'string', v: '1' });
    expect(datasetDigest(a)).toBe(datasetDigest(b));
    expect(datasetDigest(a)).toMatch(/^[0-9a-f]{40}$/);
  });

  it('changes with values, types, expiries, databases and list order', () => {
    const base = (): Keyspace => {
      const k = ks();
      k.db(0).set('x', { type: 'string', v: '1' });
      k.db(0).set('l', { type: 'list', v: ['a', 'b'] });
      const z = new ZSet();
      z.set('m', 1.5);
      k.db(0).set('z', { type: 'zset', v: z });
      return k;
    };
    const d0 = datasetDigest(base());
    const variants: ((k: Keyspace) => void)[] = [
      (k) => k.db(0).set('x', { type: 'string', v: '2' }),
      (k) => k.db(0).set('x', { type: 'list', v: ['1'] }),
      (k) => k.db(0).setExpire('x', 5000),
      (k) => {
        const v = k.db(0).peek('x')!;
        k.db(0).remove('x');
        k.db(1).set('x', v);
      },
      (k) => k.db(0).set('l', { type: 'list', v: ['b', 'a'] }),
      (k) => {
        const z = new ZSet();
        z.set('m', 2);
        k.db(0).set('z', { type: 'zset', v: z });
      },
    ];
    const seen = new Set([d0]);
    for (const f of variants) {
      const k = base();
      f(k);
      const d = datasetDigest(k);
      expect(seen.has(d)).toBe(false);
      seen.add(d);
    }
    expect(datasetDigest(base())).toBe(d0);
  });

  it('keyDigest of a missing key is zeros', () => {
    const k = ks();
    expect(keyDigest(k.db(0), 'nope')).toBe('0'.repeat(40));
    k.db(0).set('a', { type: 'string', v: 'v' });
    expect(keyDigest(k.db(0), 'a')).not.toBe('0'.repeat(40));
  });
});
