import { describe, expect, it } from 'vitest';
import { js, world } from './client.ts';

const err = (v: string) => ({ err: v });

function recordPropagation(w: ReturnType<typeof world>) {
  const out: string[] = [];
  w.server().onPropagate((db, argv, t) => out.push(`${db}:${argv.join(' ')}${t.aof ? '' : ' (repl only)'}`));
  return out;
}

describe('MULTI / EXEC / DISCARD / WATCH', () => {
  it('queues, runs atomically, replies with one array', () => {
    const w = world();
    const c = w.client();
    const prop = recordPropagation(w);
    expect(js(c.cmd('multi'))).toBe('OK');
    expect(js(c.cmd('rpush', 'l', 'a'))).toBe('QUEUED');
    expect(js(c.cmd('rpush', 'l', 'b'))).toBe('QUEUED');
    expect(js(c.cmd('lrange', 'l', '0', '-1'))).toBe('QUEUED');
    expect(js(c.cmd('exec'))).toEqual([1, 2, ['a', 'b']]);
    // several writes are wrapped in MULTI/EXEC for the AOF and replicas
    expect(prop).toEqual(['0:MULTI', '0:rpush l a', '0:rpush l b', '0:EXEC']);
    // a single write is not wrapped (7.0)
    prop.length = 0;
    c.cmd('multi');
    c.cmd('rpush', 'l', 'c');
    c.cmd('llen', 'l');
    expect(js(c.cmd('exec'))).toEqual([3, 3]);
    expect(prop).toEqual(['0:rpush l c']);
    expect(js(c.cmd('multi'))).toBe('OK');
    expect(js(c.cmd('exec'))).toEqual([]);
  });

  it('error strings: nested MULTI, EXEC/DISCARD without MULTI, WATCH inside MULTI', () => {
    const c = world().client();
    expect(js(c.cmd('exec'))).toEqual(err('ERR EXEC without MULTI'));
    expect(js(c.cmd('discard'))).toEqual(err('ERR DISCARD without MULTI'));
    expect(js(c.cmd('multi'))).toBe('OK');
    expect(js(c.cmd('multi'))).toEqual(err('ERR MULTI calls can not be nested'));
    expect(js(c.cmd('watch', 'x'))).toEqual(err('ERR WATCH inside MULTI is not allowed'));
    expect(js(c.cmd('discard'))).toBe('OK');
    expect(js(c.cmd('multi'))).toBe('OK');
    expect(js(c.cmd('save'))).toEqual(err('ERR Command not allowed inside a transaction'));
    expect(js(c.cmd('exec'))).toEqual(err('EXECABORT Transaction discarded because of previous errors.'));
  });

  it('an error while queueing aborts EXEC (EXECABORT); runtime errors do not', () => {
    const c = world().client();
    c.cmd('multi');
    expect(js(c.cmd('rpush', 'a', '1'))).toBe('QUEUED');
    expect(js(c.cmd('llen'))).toEqual(err("ERR wrong number of arguments for 'llen' command"));
    expect(js(c.cmd('exec'))).toEqual(err('EXECABORT Transaction discarded because of previous errors.'));
    expect(js(c.cmd('llen', 'a'))).toBe(0);
    c.cmd('multi');
    c.cmd('nosuch');
    expect(js(c.cmd('exec'))).toEqual(err('EXECABORT Transaction discarded because of previous errors.'));
    // a runtime error (wrong type) inside EXEC is just that command's reply
    c.cmd('hset', 'h', 'f', 'v');
    c.cmd('multi');
    c.cmd('rpush', 'h', 'x');
    c.cmd('rpush', 'a', 'x');
    expect(js(c.cmd('exec'))).toEqual([err('WRONGTYPE Operation against a key holding the wrong kind of value'), 1]);
  });

  it('WATCH: a key touched by another client makes EXEC return nil', () => {
    const w = world();
    const a = w.client();
    const b = w.client();
    expect(js(a.cmd('watch', 'k'))).toBe('OK');
    expect(js(b.cmd('rpush', 'k', 'x'))).toBe(1);
    a.cmd('multi');
    a.cmd('rpush', 'k', 'y');
    expect(js(a.cmd('exec'))).toBe(null);
    expect(js(a.cmd('llen', 'k'))).toBe(1);
    // untouched watch: EXEC runs
    a.cmd('watch', 'k');
    a.cmd('multi');
    a.cmd('rpush', 'k', 'y');
    expect(js(a.cmd('exec'))).toEqual([2]);
    // UNWATCH forgets
    a.cmd('watch', 'k');
    b.cmd('rpush', 'k', 'z');
    a.cmd('unwatch');
    a.cmd('multi');
    a.cmd('llen', 'k');
    expect(js(a.cmd('exec'))).toEqual([3]);
    // flushes, and the watch registry, are per db
    a.cmd('watch', 'k');
    b.cmd('select', '1');
    b.cmd('rpush', 'k', 'other-db');
    a.cmd('multi');
    a.cmd('llen', 'k');
    expect(js(a.cmd('exec'))).toEqual([3]);
  });

  it('WATCH: a key that expires before EXEC aborts it; one already expired at WATCH does not', () => {
    const w = world();
    const a = w.client();
    a.cmd('debug', 'set-active-expire', '0'); // refused (debug disabled) but harmless
    w.server().activeExpireEnabled = false;
    a.cmd('rpush', 'k', 'v');
    const s = w.server();
    s.ks.db(0).setExpire('k', s.mstime() + 100);
    expect(js(a.cmd('watch', 'k'))).toBe('OK');
    w.sim.sleep(200);
    a.cmd('multi');
    a.cmd('rpush', 'other', 'x');
    expect(js(a.cmd('exec'))).toBe(null);
    // already expired when watched: its (lazy) deletion is not a change
    a.cmd('rpush', 'k2', 'v');
    s.ks.db(0).setExpire('k2', s.mstime() + 10);
    w.sim.sleep(50);
    expect(js(a.cmd('watch', 'k2'))).toBe('OK');
    a.cmd('multi');
    a.cmd('llen', 'k2');
    expect(js(a.cmd('exec'))).toEqual([0]);
  });

  it('WATCH: an expiry deleted by the active cycle also flags the transaction', () => {
    const w = world();
    const a = w.client();
    a.cmd('rpush', 'k', 'v');
    const s = w.server();
    s.ks.db(0).setExpire('k', s.mstime() + 100);
    a.cmd('watch', 'k');
    w.sim.sleep(1000);
    expect(s.ks.db(0).dict.has('k')).toBe(false);
    a.cmd('multi');
    a.cmd('llen', 'k');
    expect(js(a.cmd('exec'))).toBe(null);
  });

  it('invalidateAllWatches flags clients watching existing keys (full resync)', () => {
    const w = world();
    const a = w.client();
    a.cmd('rpush', 'k', 'v');
    a.cmd('watch', 'k');
    w.server().invalidateAllWatches();
    a.cmd('multi');
    a.cmd('llen', 'k');
    expect(js(a.cmd('exec'))).toBe(null);
  });

  it('SUBSCRIBE inside EXEC: extra replies follow the array', () => {
    const c = world().client();
    c.cmd('multi');
    c.cmd('subscribe', 'a', 'b');
    c.send('exec');
    const [head, extra] = c.take(2).map(js);
    expect(head).toEqual([['subscribe', 'a', 1]]);
    expect(extra).toEqual(['subscribe', 'b', 2]);
  });

  it('a lazy-expire DEL and the write that caused it are wrapped in MULTI/EXEC; active-expire DELs are not', () => {
    const w = world();
    const prop = recordPropagation(w);
    const c = w.client();
    const s = w.server();
    s.activeExpireEnabled = false;
    c.cmd('rpush', 'k', 'old');
    s.ks.db(0).setExpire('k', s.mstime() + 10);
    w.sim.sleep(50);
    prop.length = 0;
    c.cmd('rpush', 'k', 'new');
    expect(prop).toEqual(['0:MULTI', '0:DEL k', '0:rpush k new', '0:EXEC']);
    // a read that expires a key propagates the DEL alone
    s.ks.db(0).setExpire('k', s.mstime() + 10);
    w.sim.sleep(50);
    prop.length = 0;
    expect(js(c.cmd('llen', 'k'))).toBe(0);
    expect(prop).toEqual(['0:DEL k']);
    // the active cycle deletes and propagates each key on its own
    c.cmd('rpush', 'a', '1');
    c.cmd('rpush', 'b', '1');
    s.ks.db(0).setExpire('a', s.mstime() + 10);
    s.ks.db(0).setExpire('b', s.mstime() + 10);
    prop.length = 0;
    s.activeExpireEnabled = true;
    w.sim.sleep(500);
    expect(prop.sort()).toEqual(['0:DEL a', '0:DEL b']);
  });
});
