// Generic keyspace commands: exact replies and errors (checked against a real Redis 7.0.15),
// expiry with a moving clock, propagation forms, SCAN guarantees, OBJECT.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NIL, OK, bulk, bulks, err, int, simple, type Resp } from '../../../engine/net/resp.ts';
import { genericCommands } from '../../../engine/redis/commands/generic.ts';
import { stringsCommands } from '../../../engine/redis/commands/strings.ts';
import { configureEviction } from '../../../engine/redis/keyspace/evict.ts';
import { Rng } from '../../../engine/sim/rng.ts';
import { createHarness, type Harness } from '../harness.ts';

const NOTINT = err('ERR value is not an integer or out of range');
const SYNTAX = err('ERR syntax error');
const RANGE = err('ERR DB index is out of range');
const SAME = err('ERR source and destination objects are the same');
const arr = (...v: Resp[]): Resp => ({ t: 'array', v });

const mk = (): Harness => createHarness([...stringsCommands, ...genericCommands]);

function runTable(h: Harness, rows: [string[], Resp][]): void {
  for (const [argv, want] of rows) expect(h.run(...argv), argv.join(' ')).toEqual(want);
}

describe('DEL / EXISTS / TYPE / TOUCH / DBSIZE', () => {
  it('replies', () => {
    const h = mk();
    h.ks.db(0).set('l', { type: 'list', v: ['x'] });
    h.ks.db(0).set('h', { type: 'hash', v: new Map([['f', 'v']]) });
    h.ks.db(0).set('s', { type: 'set', v: new Set(['m']) });
    runTable(h, [
      [['set', 'a', '1'], OK],
      [['set', 'b', '2'], OK],
      [['exists', 'a', 'a', 'zz'], int(2)],
      [['type', 'a'], simple('string')],
      [['type', 'l'], simple('list')],
      [['type', 'h'], simple('hash')],
      [['type', 's'], simple('set')],
      [['type', 'zz'], simple('none')],
      [['touch', 'a', 'zz', 'a'], int(2)],
      [['dbsize'], int(5)],
      [['del', 'a', 'b', 'c', 'a'], int(2)],
      [['unlink', 'l', 'zz'], int(1)],
      [['dbsize'], int(2)],
    ]);
  });

  it('DEL propagates its argv only if something was deleted', () => {
    const h = mk();
    h.run('set', 'a', '1');
    h.propagated.length = 0;
    h.run('del', 'zz');
    h.run('del', 'a', 'zz');
    expect(h.propagated).toEqual([['del', 'a', 'zz']]);
    expect(h.touched.at(-1)).toBe('0:a');
  });

  it('an expired key is deleted with its own DEL before the command', () => {
    const h = mk();
    h.run('set', 'a', '1', 'px', '10');
    h.clock.now += 11;
    h.propagated.length = 0;
    expect(h.run('del', 'a')).toEqual(int(0));
    expect(h.propagated).toEqual([['DEL', 'a']]);
  });
});

describe('EXPIRE family / TTL', () => {
  it('replies and errors', () => {
    const h = mk();
    runTable(h, [
      [['set', 'a', '1'], OK],
      [['expire', 'a', '100'], int(1)],
      [['ttl', 'a'], int(100)],
      [['pttl', 'a'], int(100000)],
      [['expire', 'a', '100', 'nx'], int(0)],
      [['expire', 'a', '200', 'xx'], int(1)],
      [['expire', 'a', '50', 'gt'], int(0)],
      [['expire', 'a', '500', 'gt'], int(1)],
      [['expire', 'a', '600', 'lt'], int(0)],
      [['expire', 'a', '5', 'LT'], int(1)],
      [['ttl', 'a'], int(5)],
      [['expire', 'a', '5', 'nx', 'xx'], err('ERR NX and XX, GT or LT options at the same time are not compatible')],
      [['expire', 'a', '5', 'nx', 'gt'], err('ERR NX and XX, GT or LT options at the same time are not compatible')],
      [['expire', 'a', '5', 'gt', 'lt'], err('ERR GT and LT options at the same time are not compatible')],
      [['expire', 'a', '5', 'xx', 'gt'], int(0)],
      [['expire', 'a', '6', 'xx', 'gt'], int(1)],
      [['expire', 'a', '5', 'foo'], err('ERR Unsupported option foo')],
      [['expire', 'a', 'x', 'nx', 'xx'], err('ERR NX and XX, GT or LT options at the same time are not compatible')],
      [['expire', 'a', 'x'], NOTINT],
      [['expire', 'a', '9223372036854776'], err("ERR invalid expire time in 'expire' command")],
      [['expire', 'a', '-9223372036854776'], err("ERR invalid expire time in 'expire' command")],
      [['pexpire', 'a', '9223372036854775807'], err("ERR invalid expire time in 'pexpire' command")],
      [['expireat', 'a', '9223372036854776'], err("ERR invalid expire time in 'expireat' command")],
      [['persist', 'a'], int(1)],
      [['persist', 'a'], int(0)],
      [['ttl', 'a'], int(-1)],
      [['pttl', 'a'], int(-1)],
      [['expiretime', 'a'], int(-1)],
      [['expire', 'a', '10', 'gt'], int(0)],
      [['expire', 'a', '10', 'lt'], int(1)],
      [['ttl', 'zz'], int(-2)],
      [['pexpiretime', 'zz'], int(-2)],
      [['expire', 'zz', '10'], int(0)],
      [['persist', 'zz'], int(0)],
      [['expireat', 'a', '2000000000'], int(1)],
      [['expiretime', 'a'], int(2000000000)],
      [['pexpiretime', 'a'], int(2000000000000)],
      [['expire', 'a', '-1'], int(1)],
      [['exists', 'a'], int(0)],
    ]);
  });

  it('propagates PEXPIREAT <abs> with the options, or DEL when already expired', () => {
    const h = mk();
    const now = h.clock.now;
    h.run('set', 'a', '1');
    h.propagated.length = 0;
    h.run('expire', 'a', '10', 'xx'); // no TTL: XX fails, nothing propagated
    h.run('expire', 'a', '10');
    h.run('pexpire', 'a', '500', 'lt');
    h.run('expireat', 'a', '2000000000');
    h.run('pexpireat', 'a', '2000000000001', 'gt');
    h.run('pexpireat', 'a', '1');
    expect(h.propagated).toEqual([
      ['PEXPIREAT', 'a', String(now + 10000)],
      ['PEXPIREAT', 'a', String(now + 500), 'lt'],
      ['PEXPIREAT', 'a', '2000000000000'],
      ['pexpireat', 'a', '2000000000001', 'gt'],
      ['DEL', 'a'],
    ]);
  });

  it('on a replica an expire in the past is stored, not turned into DEL', () => {
    const h = mk();
    h.run('set', 'a', '1');
    h.isReplica = true;
    h.fromMaster = true;
    expect(h.run('expire', 'a', '-10')).toEqual(int(1));
    expect(h.ks.db(0).peek('a')).toBeDefined();
    h.fromMaster = false; // a normal client of the replica: the key looks absent but stays
    expect(h.run('ttl', 'a')).toEqual(int(-2));
    expect(h.run('exists', 'a')).toEqual(int(0));
    expect(h.ks.db(0).peek('a')).toBeDefined();
  });

  it('TTL rounds to the nearest second as the clock moves', () => {
    const h = mk();
    h.run('set', 'a', '1', 'px', '2600');
    expect(h.run('ttl', 'a')).toEqual(int(3));
    h.clock.now += 700;
    expect(h.run('ttl', 'a')).toEqual(int(2));
    expect(h.run('pttl', 'a')).toEqual(int(1900));
    h.clock.now += 1900;
    expect(h.run('pttl', 'a')).toEqual(int(0));
    expect(h.run('ttl', 'a')).toEqual(int(0));
    h.clock.now += 1;
    expect(h.run('ttl', 'a')).toEqual(int(-2));
  });
});

describe('KEYS / SCAN / RANDOMKEY', () => {
  it('KEYS filters by pattern and hides expired keys', () => {
    const h = mk();
    for (const k of ['hello', 'hallo', 'hxllo', 'hllo', 'heeeello', 'hillo']) h.run('set', k, '1');
    h.run('set', 'hzllo', '1', 'px', '5');
    h.clock.now += 10;
    const keys = (p: string): string[] => ((h.run('keys', p).v as Resp[]).map((r) => r.v as string)).sort();
    expect(keys('h?llo')).toEqual(['hallo', 'hello', 'hillo', 'hxllo']);
    expect(keys('h*llo')).toEqual(['hallo', 'heeeello', 'hello', 'hillo', 'hllo', 'hxllo']);
    expect(keys('h[ae]llo')).toEqual(['hallo', 'hello']);
    expect(keys('h[^e]llo')).toEqual(['hallo', 'hillo', 'hxllo']);
    expect(keys('h[a-b]llo')).toEqual(['hallo']);
    expect(keys('*')).toHaveLength(6);
    expect(h.ks.db(0).peek('hzllo')).toBeDefined(); // KEYS does not delete
  });

  it('SCAN errors', () =>
    runTable(mk(), [
      [['scan', 'x'], err('ERR invalid cursor')],
      [['scan', ' 1'], err('ERR invalid cursor')],
      [['scan', '18446744073709551616'], err('ERR invalid cursor')],
      [['scan', '0', 'count', '0'], SYNTAX],
      [['scan', '0', 'count', 'x'], NOTINT],
      [['scan', '0', 'foo'], SYNTAX],
      [['scan', '0', 'match'], SYNTAX],
      [['scan', '0'], arr(bulk('0'), bulks([]))],
    ]));

  it('SCAN with MATCH / TYPE / COUNT visits every key once', () => {
    const h = mk();
    for (let i = 0; i < 100; i++) h.run('set', `k${i}`, 'v');
    h.ks.db(0).set('list', { type: 'list', v: ['x'] });
    const all = (extra: string[]): string[] => {
      const seen: string[] = [];
      let cursor = '0';
      do {
        const r = h.run('scan', cursor, ...extra).v as Resp[];
        cursor = r[0]!.v as string;
        for (const k of r[1]!.v as Resp[]) seen.push(k.v as string);
      } while (cursor !== '0');
      return seen.sort();
    };
    expect(all(['count', '7'])).toHaveLength(101);
    expect(new Set(all([])).size).toBe(101);
    expect(all(['match', 'k1*'])).toEqual(['k1', ...Array.from({ length: 10 }, (_, i) => `k1${i}`)].sort());
    expect(all(['type', 'LIST'])).toEqual(['list']);
    expect(all(['type', 'nosuch'])).toEqual([]);
  });

  it('SCAN returns every key present for the whole scan despite concurrent writes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 90 })), { maxLength: 80 }),
        (n, count, ops) => {
          const h = mk();
          for (let i = 0; i < n; i++) h.run('set', `k${i}`, 'v');
          const stable = new Set<string>([...h.ks.db(0).dict.keys()]);
          const seen = new Set<string>();
          let cursor = '0';
          let i = 0;
          do {
            const r = h.run('scan', cursor, 'count', String(count)).v as Resp[];
            cursor = r[0]!.v as string;
            for (const k of r[1]!.v as Resp[]) seen.add(k.v as string);
            // interleave writes: add or delete keys
            for (let j = 0; j < 3 && i < ops.length; j++, i++) {
              const [add, x] = ops[i]!;
              if (add) h.run('set', `k${x}`, 'v');
              else {
                h.run('del', `k${x}`);
                stable.delete(`k${x}`);
              }
            }
          } while (cursor !== '0');
          for (const k of stable) if (!seen.has(k)) return false;
          return true;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('SCAN skips (and deletes) expired keys', () => {
    const h = mk();
    h.run('set', 'a', '1', 'px', '5');
    h.run('set', 'b', '1');
    h.clock.now += 6;
    expect(h.run('scan', '0', 'count', '100')).toEqual(arr(bulk('0'), bulks(['b'])));
    expect(h.ks.db(0).peek('a')).toBeUndefined();
  });

  it('RANDOMKEY: nil when empty, never an expired key', () => {
    const h = mk();
    expect(h.run('randomkey')).toEqual(NIL);
    h.run('set', 'a', '1', 'px', '5');
    h.run('set', 'b', '1');
    h.clock.now += 6;
    for (let i = 0; i < 10; i++) expect(h.run('randomkey')).toEqual(bulk('b'));
    expect(h.ks.db(0).peek('a')).toBeUndefined();
  });

  it('RANDOMKEY on a replica whose keys are all logically expired gives up after 100 tries', () => {
    const h = mk();
    h.run('set', 'a', '1', 'px', '5');
    h.isReplica = true;
    h.clock.now += 6;
    expect(h.run('randomkey')).toEqual(bulk('a'));
  });
});

describe('RENAME / MOVE / COPY / SELECT / SWAPDB / FLUSH', () => {
  it('replies', () => {
    const h = mk();
    runTable(h, [
      [['set', 'a', '1'], OK],
      [['rename', 'a', 'a2'], OK],
      [['exists', 'a', 'a2'], int(1)],
      [['rename', 'zz', 'q'], err('ERR no such key')],
      [['renamenx', 'zz', 'zz'], err('ERR no such key')],
      [['rename', 'a2', 'a2'], OK],
      [['renamenx', 'a2', 'a2'], int(0)],
      [['set', 'r1', 'x'], OK],
      [['renamenx', 'a2', 'r1'], int(0)],
      [['renamenx', 'a2', 'r3'], int(1)],
      [['set', 't1', 'v', 'ex', '100'], OK],
      [['rename', 't1', 't2'], OK],
      [['ttl', 't2'], int(100)],
      [['move', 't2', '1'], int(1)],
      [['move', 't2', '1'], int(0)],
      [['move', 't2', '0'], SAME],
      [['move', 't2', '16'], RANGE],
      [['move', 't2', 'x'], NOTINT],
      [['move', 't2', '-1'], RANGE],
      [['select', '1'], OK],
      [['ttl', 't2'], int(100)],
      [['move', 't2', '0'], int(1)],
      [['select', '0'], OK],
      [['select', '16'], RANGE],
      [['select', 'x'], NOTINT],
      [['select', '4294967296'], NOTINT],
      [['copy', 't2', 't3'], int(1)],
      [['ttl', 't3'], int(100)],
      [['copy', 't2', 't3'], int(0)],
      [['copy', 't2', 't3', 'replace'], int(1)],
      [['copy', 't2', 't2'], SAME],
      [['copy', 't2', 't2', 'db', '0'], SAME],
      [['copy', 't2', 't2', 'db', '1'], int(1)],
      [['copy', 't2', 't2', 'db', '1'], int(0)],
      [['copy', 't2', 't2', 'DB', '1', 'REPLACE'], int(1)],
      [['copy', 't2', 't2', 'db'], SYNTAX],
      [['copy', 't2', 't2', 'db', '16'], RANGE],
      [['copy', 't2', 't2', 'db', 'x'], NOTINT],
      [['copy', 't2', 't2', 'foo'], SYNTAX],
      [['copy', 'zz', 't9'], int(0)],
      [['swapdb', '0', '16'], RANGE],
      [['swapdb', 'x', '1'], err('ERR invalid first DB index')],
      [['swapdb', '1', 'x'], err('ERR invalid second DB index')],
      [['swapdb', '0', '0'], OK],
      [['swapdb', '0', '1'], OK],
      [['dbsize'], int(1)],
      [['get', 't2'], bulk('v')],
      [['flushdb', 'foo'], SYNTAX],
      [['flushdb', 'sync', 'x'], SYNTAX],
      [['flushall', 'foo'], SYNTAX],
      [['flushdb', 'ASYNC'], OK],
      [['dbsize'], int(0)],
      [['select', '1'], OK],
      [['dbsize'], int(4)],
      [['flushall', 'sync'], OK],
      [['dbsize'], int(0)],
    ]);
  });

  it('COPY duplicates collections deeply', () => {
    const h = mk();
    h.ks.db(0).set('l', { type: 'list', v: ['x', 'y'] });
    h.ks.db(0).set('h', { type: 'hash', v: new Map([['f', 'v']]) });
    h.run('copy', 'l', 'l2');
    h.run('copy', 'h', 'h2', 'db', '3');
    const l2 = h.ks.db(0).peek('l2')!;
    expect(l2).toEqual({ type: 'list', v: ['x', 'y'] });
    expect(l2.v).not.toBe(h.ks.db(0).peek('l')!.v);
    expect(h.ks.db(3).peek('h2')).toEqual({ type: 'hash', v: new Map([['f', 'v']]) });
    expect(h.touched).toContain('3:h2');
  });

  it('MOVE / SWAPDB touch the keys in both databases; FLUSH* always propagate', () => {
    const h = mk();
    h.run('set', 'a', '1');
    h.run('move', 'a', '2');
    expect(h.touched.slice(-2)).toEqual(['0:a', '2:a']);
    h.touched.length = 0;
    h.run('swapdb', '0', '2');
    expect(h.touched.sort()).toEqual(['0:a', '2:a']);
    h.run('flushall');
    h.propagated.length = 0;
    h.run('flushall');
    h.run('flushdb', 'async');
    expect(h.propagated).toEqual([['flushall'], ['flushdb', 'async']]);
  });
});

describe('OBJECT', () => {
  it('ENCODING as 7.0.15 reports it', () => {
    const h = mk();
    const db = h.ks.db(0);
    db.set('l', { type: 'list', v: ['x'] });
    db.set('h', { type: 'hash', v: new Map([['f', 'v']]) });
    db.set('hbig', { type: 'hash', v: new Map([['f', 'v'.repeat(65)]]) });
    db.set('s', { type: 'set', v: new Set(['1', '2']) });
    db.set('s2', { type: 'set', v: new Set(['a']) });
    const enc = (k: string): Resp => h.run('object', 'encoding', k);
    h.run('set', 'e', 'hello');
    h.run('set', 'n', '12345678901');
    h.run('set', 'raw', 'x'.repeat(45));
    h.run('set', 'lz', '012');
    h.run('incrbyfloat', 'ff', '1');
    h.run('incr', 'ii');
    h.run('append', 'ap', '1');
    expect(enc('l')).toEqual(bulk('quicklist'));
    expect(enc('h')).toEqual(bulk('listpack'));
    expect(enc('hbig')).toEqual(bulk('hashtable'));
    expect(enc('s')).toEqual(bulk('intset'));
    expect(enc('s2')).toEqual(bulk('hashtable'));
    expect(enc('e')).toEqual(bulk('embstr'));
    expect(enc('n')).toEqual(bulk('int'));
    expect(enc('raw')).toEqual(bulk('raw'));
    expect(enc('lz')).toEqual(bulk('embstr'));
    expect(enc('ff')).toEqual(bulk('embstr'));
    expect(enc('ii')).toEqual(bulk('int'));
    expect(enc('ap')).toEqual(bulk('int'));
    h.run('append', 'e', 'x');
    expect(enc('e')).toEqual(bulk('raw'));
    expect(enc('zz')).toEqual(NIL);
    // a hash that outgrew listpack stays a hashtable
    (db.peek('hbig')!.v as Map<string, string>).set('f', 'v');
    db.resize('hbig');
    expect(enc('hbig')).toEqual(bulk('hashtable'));
  });

  it('REFCOUNT, IDLETIME, FREQ, HELP and errors', () => {
    const h = mk();
    h.run('set', 'small', '5');
    h.run('set', 'str', 'hello');
    const lfuErr = err(
      'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
    runTable(h, [
      [['object', 'refcount', 'small'], int(2147483647)],
      [['object', 'refcount', 'str'], int(1)],
      [['object', 'refcount', 'zz'], NIL],
      [['object', 'freq', 'str'], lfuErr],
      [['object', 'freq', 'zz'], NIL],
      [['object', 'idletime', 'str'], int(0)],
      [['object', 'foo', 'a'], err("ERR unknown subcommand 'foo'. Try OBJECT HELP.")],
      [['object', 'encoding'], err("ERR wrong number of arguments for 'object|encoding' command")],
      [['object', 'help', 'x'], err("ERR wrong number of arguments for 'object|help' command")],
    ]);
    h.clock.now += 5500;
    expect(h.run('object', 'idletime', 'str')).toEqual(int(5));
    expect(h.run('object', 'idletime', 'str')).toEqual(int(5)); // OBJECT does not touch
    h.run('get', 'str');
    expect(h.run('object', 'idletime', 'str')).toEqual(int(0));
    const help = h.run('object', 'help').v as Resp[];
    expect(help[0]).toEqual(simple('OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'));
    expect(help.at(-1)).toEqual(simple('    Prints this help.'));
    expect(help).toHaveLength(15);
  });

  it('FREQ under an LFU policy: new keys start at 5, lookups increment, minutes decay', () => {
    const h = mk();
    configureEviction(h.ks, { policy: 'allkeys-lfu', maxmemory: 1 << 30, lfuLogFactor: 10, lfuDecayTime: 1 }, new Rng('lfu'));
    h.run('set', 'y', 'hello');
    expect(h.run('object', 'freq', 'y')).toEqual(int(5));
    h.run('get', 'y');
    expect(h.run('object', 'freq', 'y')).toEqual(int(6));
    h.run('set', 'y', 'world');
    expect(h.run('object', 'freq', 'y')).toEqual(int(6));
    for (let i = 0; i < 200; i++) h.run('get', 'y');
    const f = h.run('object', 'freq', 'y').v as number;
    expect(f).toBeGreaterThan(7);
    expect(f).toBeLessThan(20);
    h.clock.now += 3 * 60000;
    expect(h.run('object', 'freq', 'y')).toEqual(int(f - 3));
    expect(h.run('object', 'idletime', 'y')).toEqual(
      err(
        'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      ),
    );
  });
});

describe('command table', () => {
  it('arity, flags, groups and key positions as in 7.0.15', () => {
    const t = new Map(genericCommands.map((s) => [s.name, s]));
    expect(t.get('del')).toMatchObject({ arity: -2, flags: ['write'], firstKey: 1, lastKey: -1, keyStep: 1, group: 'generic' });
    expect(t.get('copy')).toMatchObject({ arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, since: '6.2.0' });
    expect(t.get('select')).toMatchObject({ arity: 2, group: 'connection', flags: ['loading', 'stale', 'fast'] });
    expect(t.get('swapdb')).toMatchObject({ arity: 3, group: 'server' });
    expect(t.get('object')!.subcommands!.map((s) => s.name)).toEqual([
      'object|encoding',
      'object|freq',
      'object|help',
      'object|idletime',
      'object|refcount',
    ]);
  });
});
