// Keyspace details this helper relies on: the expiry boundary (now > when), the access hook, and the
// one-record-per-key layout (the orders KEYS/SCAN/sampling and the active expire cycle walk: traces depend on them).
import { describe, expect, it } from 'vitest';
import { Keyspace, type AccessKind } from '../../../engine/redis/keyspace/keyspace.ts';
import { estimateSize } from '../../../engine/redis/keyspace/memory.ts';

function ks(clock: { now: number }): Keyspace {
  return new Keyspace(2, {
    now: () => clock.now,
    expiredLooksAbsentOnly: () => false,
    applyingMasterStream: () => false,
    onExpired: () => {},
    onTouched: () => {},
  });
}

describe('Keyspace', () => {
  it('a key is expired only once the clock is past its expire time', () => {
    const clock = { now: 1000 };
    const k = ks(clock);
    const db = k.db(0);
    db.set('a', { type: 'string', v: '1' });
    db.setExpire('a', 1000);
    expect(db.isExpired('a')).toBe(false);
    expect(db.lookupRead('a')).toBeDefined();
    clock.now = 1001;
    expect(db.isExpired('a')).toBe(true);
    expect(db.lookupRead('a')).toBeUndefined();
    expect(k.stats.expiredKeys).toBe(1);
  });

  it('calls the access hook before updating the access time', () => {
    const clock = { now: 1000 };
    const k = ks(clock);
    const seen: [string, AccessKind, number | undefined][] = [];
    k.accessHook = (_db, key, entry, kind) => seen.push([key, kind, entry.access]);
    const db = k.db(0);
    db.set('a', { type: 'string', v: '1' });
    clock.now = 2000;
    db.lookupRead('a');
    db.set('a', { type: 'string', v: '2' });
    db.lookupWrite('a');
    db.lookupRead('missing');
    expect(seen).toEqual([
      ['a', 'create', undefined],
      ['a', 'lookup', 1000],
      ['a', 'overwrite', 2000],
      ['a', 'lookup', 2000],
    ]);
  });

  it('keeps one record per key: expires indexes the same records, in the order their TTL was set', () => {
    const clock = { now: 1000 };
    const db = ks(clock).db(0);
    for (const k of ['a', 'b', 'c', 'd']) db.set(k, { type: 'string', v: k });
    db.setExpire('c', 5000);
    db.setExpire('a', 6000);
    db.setExpire('b', 7000);
    expect([...db.expires.keys()]).toEqual(['c', 'a', 'b']);
    for (const [k, e] of db.expires) expect(db.dict.get(k)).toBe(e);
    db.setExpire('c', 9000); // a new TTL keeps the key's place
    expect([...db.expires.keys()]).toEqual(['c', 'a', 'b']);
    expect(db.persist('a')).toBe(true);
    expect(db.persist('a')).toBe(false);
    db.setExpire('a', 8000); // persisted then volatile again: at the end
    expect([...db.expires.keys()]).toEqual(['c', 'b', 'a']);
    db.set('b', { type: 'string', v: 'B' }, true); // KEEPTTL
    expect(db.getExpire('b')).toBe(7000);
    db.set('b', { type: 'string', v: 'B2' }); // an overwrite drops the TTL
    expect(db.getExpire('b')).toBeUndefined();
    expect([...db.expires.keys()]).toEqual(['c', 'a']);
    db.remove('c');
    expect([...db.expires.keys()]).toEqual(['a']);
    expect([...db.dict.keys()]).toEqual(['a', 'b', 'd']); // overwrites keep creation order
    db.setExpire('missing', 1); // no record, no TTL
    expect(db.expires.has('missing')).toBe(false);
  });

  it('keeps the exact int64 of an expiry a double cannot hold until the TTL changes', () => {
    const db = ks({ now: 0 }).db(0);
    db.set('k', { type: 'string', v: 'v' });
    db.setExpire('k', 9223372036854775807n);
    expect(db.getExpireExact('k')).toBe(9223372036854775807n);
    db.setExpire('k', 1234.9);
    expect(db.getExpireExact('k')).toBe(1234n);
    db.setExpire('k', 9223372036854775807n);
    db.set('k', { type: 'string', v: 'w' }, true);
    expect(db.getExpireExact('k')).toBe(9223372036854775807n);
    db.persist('k');
    expect(db.getExpireExact('k')).toBeUndefined();
  });

  it('accounts used bytes per record through set, resize, remove, rename-like moves, swap and flush', () => {
    const k = ks({ now: 0 });
    const db = k.db(0);
    const sum = () => k.dbs.reduce((n, d) => n + [...d.dict.values()].reduce((m, e) => m + e.size, 0), 0);
    db.set('s', { type: 'string', v: 'x'.repeat(100) });
    const list = { type: 'list' as const, v: ['a', 'b'] };
    db.set('l', list);
    expect(db.entry('s')!.size).toBe(estimateSize('s', { type: 'string', v: 'x'.repeat(100) }));
    list.v.push(...Array.from({ length: 500 }, (_, i) => `e${i}`));
    db.resize('l');
    expect(db.entry('l')!.size).toBe(estimateSize('l', list));
    expect(k.usedBytes).toBe(sum());
    db.setExpire('s', 50);
    db.setLruLfu('s', 7, 9);
    k.swap(0, 1);
    expect(k.db(1).getExpire('s')).toBe(50);
    expect(k.db(1).lastAccess('s')).toBe(7);
    expect(k.db(1).entry('s')!.freq).toBe(9);
    expect(k.db(0).size).toBe(0);
    expect(k.usedBytes).toBe(sum());
    k.db(1).remove('l');
    expect(k.usedBytes).toBe(sum());
    k.flushAll();
    expect(k.usedBytes).toBe(0);
    expect(k.db(1).expires.size).toBe(0);
  });
});
