// Keyspace details this helper relies on: the expiry boundary (now > when) and the access hook.
import { describe, expect, it } from 'vitest';
import { Keyspace, type AccessKind } from '../../../engine/redis/keyspace/keyspace.ts';

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
});
