// Client side caching inside the simulation: invalidations from every write path Redis has —
// writes arriving through replication on a replica, expiry, eviction, FLUSHALL, a full resync that
// empties the replica — and the redirection / broken redirection rules (tracking.c).
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../engine/net/resp.ts';
import { linkUp, ReplWorld, type Cli } from '../replication/world.ts';

/** What arrived on a connection that is not a reply (pushes), as plain JS. */
function pushes(c: Cli): unknown[] {
  const out: unknown[] = [];
  for (const m of c.inbox.splice(0) as Reply[]) if (m.t === 'push') out.push(plain(m));
  return out;
}

function plain(r: Reply): unknown {
  switch (r.t) {
    case 'push':
    case 'array':
    case 'map':
    case 'set':
      return r.v === null ? null : r.v.map(plain);
    case 'null':
      return null;
    default:
      return r.v;
  }
}

describe('client tracking in the simulation', () => {
  it('a replica invalidates keys written by its master, and on the full resync that empties it', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.until(() => linkUp(r), '15s', 'replica connected');
    const mc = w.client(m);
    mc.q('set', 'k', 'v1');
    w.run(100);
    const rc = w.client(r);
    expect(rc.q('hello', '3')).toBeTruthy();
    expect(rc.q('client', 'tracking', 'on')).toBe('OK');
    expect(rc.q('get', 'k')).toBe('v1');
    expect(rc.q('get', 'other')).toBe(null);
    mc.q('set', 'k', 'v2');
    w.run(100);
    expect(pushes(rc)).toEqual([['invalidate', ['k']]]);
    // not tracked any more until read again
    mc.q('set', 'k', 'v3');
    w.run(100);
    expect(pushes(rc)).toEqual([]);
    expect(rc.q('get', 'k')).toBe('v3');
    mc.q('flushall');
    w.run(100);
    expect(pushes(rc)).toEqual([['invalidate', null]]);
    expect(rc.q('info', 'stats')).toMatch(/tracking_total_keys:0/);
  });

  it('expiry and eviction invalidate (signalModifiedKey without a client)', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'maxmemory 2mb\nmaxmemory-policy allkeys-lru\n');
    w.start('m');
    const c = w.client(m);
    c.q('hello', '3');
    c.q('client', 'tracking', 'on');
    const o = w.client(m);
    o.q('set', 'soon', 'x', 'px', '50');
    expect(c.q('get', 'soon')).toBe('x');
    w.run(500);
    expect(pushes(c)).toEqual([['invalidate', ['soon']]]);
    o.q('set', 'old', 'x');
    expect(c.q('get', 'old')).toBe('x');
    const big = 'v'.repeat(10_000);
    for (let i = 0; i < 400; i++) o.q('set', `fill:${i}`, big);
    w.run(50);
    expect(pushes(c)).toContainEqual(['invalidate', ['old']]);
  });

  it('BCAST with NOLOOP, OPTIN with CLIENT CACHING, a broken redirection', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    w.start('m');
    const b = w.client(m);
    b.q('hello', '3');
    expect(b.q('client', 'tracking', 'on', 'bcast', 'prefix', 'a:', 'noloop')).toBe('OK');
    const o = w.client(m);
    o.q('mset', 'a:1', 'x', 'b:1', 'y', 'a:2', 'z');
    w.run(10);
    expect(pushes(b)).toEqual([['invalidate', ['a:1', 'a:2']]]);
    b.q('set', 'a:3', 'mine');
    w.run(10);
    expect(pushes(b)).toEqual([]);
    o.q('set', 'a:3', 'theirs');
    w.run(10);
    expect(pushes(b)).toEqual([['invalidate', ['a:3']]]);
    expect(b.q('client', 'trackinginfo')).toEqual(['flags', ['on', 'bcast', 'noloop'], 'redirect', 0, 'prefixes', ['a:']]);

    const i = w.client(m);
    i.q('hello', '3');
    i.q('client', 'tracking', 'on', 'optin');
    i.q('get', 'x1');
    expect(i.q('client', 'caching', 'yes')).toBe('OK');
    i.q('get', 'x2');
    o.q('mset', 'x1', '1', 'x2', '2');
    w.run(10);
    expect(pushes(i)).toEqual([['invalidate', ['x2']]]);

    const t = w.client(m);
    const gone = w.client(m);
    const id = gone.q('client', 'id') as number;
    t.q('hello', '3');
    t.q('client', 'tracking', 'on', 'redirect', String(id));
    t.q('get', 'r1');
    gone.close();
    w.run(10);
    o.q('set', 'r1', 'changed');
    w.run(10);
    expect(pushes(t)).toEqual([['tracking-redir-broken', id]]);
    expect(t.q('client', 'trackinginfo')).toEqual(['flags', ['on', 'broken_redirect'], 'redirect', id, 'prefixes', []]);
    expect(t.q('client', 'list', 'id', String(t.q('client', 'id')))).toMatch(/ flags=tR .* redir=\d+ resp=3\n$/);
  });
  it("a script's writes count as its caller's for NOLOOP (not in BCAST mode); others get it after the reply", () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    w.start('m');
    const n = w.client(m);
    n.q('hello', '3');
    expect(n.q('client', 'tracking', 'on', 'noloop')).toBe('OK');
    n.q('set', 'key1', '1');
    expect(n.q('get', 'key1')).toBe('1');
    expect(n.q('eval', "return redis.call('set', 'key1', '2')", '1', 'key1')).toBe('OK');
    w.run(10);
    expect(pushes(n)).toEqual([]);
    expect(n.q('get', 'key1')).toBe('2');

    const b = w.client(m);
    b.q('hello', '3');
    b.q('client', 'tracking', 'on', 'bcast', 'prefix', 's:', 'noloop');
    // BCAST's NOLOOP compares the client that modified the key: the script client, not the caller
    // (trackingRememberKeyToBroadcast(c) with c = the Lua client), so the caller is told — as real 7.0.15 does
    b.q('eval', "redis.call('set', 's:1', 'x') return 1", '0');
    w.run(10);
    expect(pushes(b)).toEqual([['invalidate', ['s:1']]]);
    b.q('set', 's:2', 'y');
    w.run(10);
    expect(pushes(b)).toEqual([]);

    const d = w.client(m);
    d.q('hello', '3');
    d.q('client', 'tracking', 'on');
    d.q('get', 'key2');
    expect(d.q('eval', "return redis.call('set', 'key2', 'v')", '1', 'key2')).toBe('OK');
    w.run(10);
    expect(pushes(d)).toEqual([['invalidate', ['key2']]]);
  });

  it('serverCron applies a lowered tracking-table-max-keys while idle (trackingLimitUsedSlots), NOLOOP clients included', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    w.start('m');
    const c = w.client(m);
    c.q('hello', '3');
    c.q('client', 'tracking', 'on', 'noloop');
    c.q('mset', 'key1', '1', 'key2', '2');
    c.q('mget', 'key1', 'key2');
    expect(c.q('config', 'set', 'tracking-table-max-keys', '1')).toBe('OK');
    expect(pushes(c)).toEqual([]);
    // no further command: the cron evicts one of the two keys from the table
    w.run(200);
    const got = pushes(c) as [string, string[]][];
    expect(got).toHaveLength(1);
    expect(got[0]![0]).toBe('invalidate');
    expect(['key1', 'key2']).toContain(got[0]![1][0]);
    expect(c.q('info', 'stats')).toMatch(/tracking_total_keys:1\r\n/);
  });

  it('a script that runs a read command tracks the keys it declared, not the keys it read (call() → trackingRememberKeys(caller))', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001);
    w.start('m');
    const c = w.client(m);
    c.q('hello', '3');
    c.q('client', 'tracking', 'on');
    const o = w.client(m);
    // only writes inside: nothing tracked
    c.q('eval', "redis.call('set', 'key3', 'bar')", '2', 'key1', 'key2');
    o.q('mset', 'key2', '1', 'key1', '1', 'key3', '1');
    w.run(10);
    expect(pushes(c)).toEqual([]);
    // one read of an undeclared key: the declared keys are tracked, the read one is not
    c.q('eval', "redis.call('get', 'key3')", '2', 'key1', 'key2');
    o.q('mset', 'key2', '2', 'key1', '2', 'key3', '2');
    w.run(10);
    expect(pushes(c)).toEqual([['invalidate', ['key2']], ['invalidate', ['key1']]]);
    // EVAL_RO is itself read-only but is not tracked as a command; only its reads count
    c.q('eval_ro', "redis.call('ping')", '2', 'key1', 'key2');
    o.q('mset', 'key2', '3', 'key1', '3');
    w.run(10);
    expect(pushes(c)).toEqual([]);
    c.q('eval_ro', "redis.call('get', 'key1')", '1', 'key2');
    o.q('mset', 'key2', '4', 'key1', '4');
    w.run(10);
    expect(pushes(c)).toEqual([['invalidate', ['key2']]]);
  });
});
