/**
 * CONFIG GET / CONFIG SET. Expected replies were checked against real redis-server 7.0.15.
 */
import { describe, expect, it } from 'vitest';
import { LOADING_ERROR, parseRedisConf, RedisConfig } from '../../../engine/redis/config/index.ts';

const names = (pairs: [string, string][]) => pairs.map(([n]) => n);

describe('CONFIG GET', () => {
  const c = RedisConfig.defaults({ cwd: '/data' });

  it('`*` lists 192 names, aliases included, hidden ones excluded, sorted', () => {
    const all = c.configGet(['*']);
    expect(all).toHaveLength(192);
    const list = names(all);
    expect(list).toEqual([...list].sort());
    for (const alias of ['slaveof', 'slave-priority', 'slave-read-only', 'hash-max-ziplist-entries', 'lua-time-limit']) {
      expect(list).toContain(alias);
    }
    for (const hidden of ['use-exit-on-panic', 'key-load-delay', 'watchdog-period']) expect(list).not.toContain(hidden);
    expect(new Map(all).get('dir')).toBe('/data');
    expect(new Map(all).get('bind')).toBe('* -::*');
    expect(new Map(all).get('save')).toBe('3600 1 300 100 60 10000');
  });

  it('an exact name is looked up case-insensitively and answered as typed', () => {
    expect(c.configGet(['PORT'])).toEqual([['PORT', '6379']]);
    expect(c.configGet(['port', 'PORT'])).toEqual([['port', '6379']]);
    expect(c.configGet(['use-exit-on-panic'])).toEqual([['use-exit-on-panic', 'no']]);
    expect(c.configGet(['nosuch'])).toEqual([]);
  });

  it('patterns are case-insensitive globs over names and aliases', () => {
    expect(c.configGet(['port', 'p?rt'])).toEqual([['port', '6379']]);
    expect(c.configGet(['PO*'])).toEqual([['port', '6379']]);
    expect(names(c.configGet(['*max*ziplist*']))).toEqual([
      'hash-max-ziplist-entries',
      'hash-max-ziplist-value',
      'list-max-ziplist-size',
      'zset-max-ziplist-entries',
      'zset-max-ziplist-value',
    ]);
    expect(c.configGet(['slaveof', 'replicaof'])).toEqual([
      ['slaveof', ''],
      ['replicaof', ''],
    ]);
    expect(c.configGet(['use-exit*'])).toEqual([]);
    expect(names(c.configGet(['[a-b]*']))).toEqual([
      'acl-pubsub-default', 'aclfile', 'acllog-max-len', 'active-defrag-cycle-max', 'active-defrag-cycle-min',
      'active-defrag-ignore-bytes', 'active-defrag-max-scan-fields', 'active-defrag-threshold-lower',
      'active-defrag-threshold-upper', 'active-expire-effort', 'activedefrag', 'activerehashing',
      'always-show-logo', 'aof-disable-auto-gc', 'aof-load-truncated', 'aof-rewrite-incremental-fsync',
      'aof-timestamp-enabled', 'aof-use-rdb-preamble', 'aof_rewrite_cpulist', 'appenddirname',
      'appendfilename', 'appendfsync', 'appendonly', 'auto-aof-rewrite-min-size',
      'auto-aof-rewrite-percentage', 'bgsave_cpulist', 'bind', 'bind-source-addr', 'bio_cpulist',
      'busy-reply-threshold',
    ]);
  });

  it('prints values the way Redis does', () => {
    const p = parseRedisConf(
      'maxmemory 3gb\nrequirepass "a b"\nslaveof 10.0.0.1 7000\nnotify-keyspace-events KEA\nmaxmemory-clients 5%\n',
    );
    expect(p.configGet(['maxmemory', 'requirepass', 'replicaof', 'notify-keyspace-events', 'maxmemory-clients'])).toEqual([
      ['maxmemory', '3221225472'],
      ['requirepass', 'a b'],
      ['replicaof', '10.0.0.1 7000'],
      ['notify-keyspace-events', 'AKE'],
      ['maxmemory-clients', '5%'],
    ]);
  });
});

describe('CONFIG SET', () => {
  const fresh = () => RedisConfig.defaults({ cwd: '/data' });

  it('sets values (memory units, aliases, multi-argument)', () => {
    const c = fresh();
    expect(c.configSet([['maxmemory', '1GB']])).toBeNull();
    expect(c.maxmemory).toBe(1073741824);
    expect(c.configSet([['slave-priority', '5']])).toBeNull();
    expect(c.replicaPriority).toBe(5);
    expect(c.configSet([['save', '100 1 200 2']])).toBeNull();
    expect(c.save).toEqual([
      { seconds: 100, changes: 1 },
      { seconds: 200, changes: 2 },
    ]);
    expect(c.configSet([['save', '']])).toBeNull();
    expect(c.save).toEqual([]);
    expect(c.configSet([['hz', '1000']])).toBeNull();
    expect(c.get('hz')).toBe('500');
    expect(c.configSet([['client-output-buffer-limit', 'replica 1mb 2 3']])).toBeNull();
    expect(c.get('client-output-buffer-limit')).toBe('normal 0 0 0 slave 1048576 2 3 pubsub 33554432 8388608 60');
    expect(c.configSet([['latency-tracking-info-percentiles', '0.0078125 99.99999 1e1']])).toBeNull();
    expect(c.get('latency-tracking-info-percentiles')).toBe('0.007812 99.99999 10');
    expect(c.configSet([['requirepass', '']])).toBeNull();
    expect(c.requirepass).toBeNull();
  });

  it.each([
    [[['nosuch', '1']], "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"],
    [[['port', '0'], ['daemonize', 'no']], "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"],
    [[['daemonize', 'yes'], ['nosuch', '1']], "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"],
    [[['nosuch', '1'], ['daemonize', 'yes']], "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"],
    [[['replicaof', '1.2.3.4 5']], "ERR CONFIG SET failed (possibly related to argument 'replicaof') - can't set immutable config"],
    [[['appendfilename', 'a/b']], "ERR CONFIG SET failed (possibly related to argument 'appendfilename') - can't set immutable config"],
    [[['dir', '/tmp']], "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"],
    [[['dbfilename', 'x.rdb']], "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config"],
    [[['maxmemory', 'lots']], "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"],
    [[['MAXMEMORY', 'lots']], "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"],
    [[['SLAVE-PRIORITY', 'abc']], "ERR CONFIG SET failed (possibly related to argument 'slave-priority') - argument couldn't be parsed into an integer"],
    [[['maxmemory', '1'], ['MAXMEMORY', '2']], "ERR CONFIG SET failed (possibly related to argument 'MAXMEMORY') - duplicate parameter"],
    [[['loglevel', 'foo']], "ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning"],
    [[['save', '100 1 200']], "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"],
    [[['save', '100 1  200 2']], "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"],
    [[['maxmemory-clients', '101%']], "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument must be less or equal to 100"],
    [[['notify-keyspace-events', 'Q']], "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'."],
    [[['client-output-buffer-limit', 'master 1 1 1']], "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration."],
    [[['oom-score-adj-values', '1 2']], "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - wrong number of arguments"],
    [[['shutdown-on-sigint', 'save nosave']], "ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously"],
    [[['proc-title-template', '{title}']], "ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - template format is invalid or contains unknown variables"],
    [[['latency-tracking-info-percentiles', '50  99']], "ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - Invalid latency-tracking-info-percentiles parameters"],
  ] as [[string, string][], string][])('%j', (pairs, reply) => {
    expect(fresh().configSet(pairs)).toBe(reply);
  });

  it('a name and its alias are not duplicates (the last one wins)', () => {
    const c = fresh();
    expect(c.configSet([['slave-priority', '5'], ['replica-priority', '6']])).toBeNull();
    expect(c.replicaPriority).toBe(6);
  });

  it('is atomic: a bad value restores every parameter of the command', () => {
    const c = fresh();
    const before = c.configGet(['*']);
    expect(c.configSet([['maxmemory', '10mb'], ['save', '1 1'], ['maxmemory-policy', 'bogus']])).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction",
    );
    expect(c.configGet(['*'])).toEqual(before);
  });

  it('protected parameters need enable-protected-configs', () => {
    const yes = parseRedisConf('enable-protected-configs yes', { cwd: '/data' });
    expect(yes.configSet([['dir', 'sub']])).toBeNull();
    expect(yes.dir).toBe('/data/sub');
    const local = parseRedisConf('enable-protected-configs local');
    expect(local.configSet([['dbfilename', 'x.rdb']])).toMatch(/can't set protected config/);
    expect(local.configSet([['dbfilename', 'x.rdb']], { localClient: true })).toBeNull();
    expect(local.dbfilename).toBe('x.rdb');
    expect(local.configSet([['dbfilename', 'a/b']], { localClient: true })).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename",
    );
  });

  it('some parameters cannot change while loading', () => {
    expect(fresh().configSet([['appendonly', 'yes']], { loading: true })).toBe(LOADING_ERROR);
    expect(fresh().configSet([['appendonly', 'yes']], { loading: false })).toBeNull();
  });
});

describe('onChange', () => {
  it('reports each changed parameter once, by canonical name, after all are set', () => {
    const c = RedisConfig.defaults();
    const seen: [string, string, string][] = [];
    c.onChange((name, value) => {
      seen.push([name, value, c.get('maxmemory')!]);
    });
    expect(c.configSet([['slave-priority', '5'], ['maxmemory', '1mb'], ['replica-priority', '7'], ['port', '6379']])).toBeNull();
    expect(seen).toEqual([
      ['replica-priority', '7', '1048576'],
      ['maxmemory', '1048576', '1048576'],
    ]);
  });

  it('a listener can refuse: everything is restored', () => {
    const c = RedisConfig.defaults();
    const unsubscribe = c.onChange((name) => (name === 'port' ? 'Unable to listen on this port. Check server logs.' : undefined));
    expect(c.configSet([['maxmemory', '1mb'], ['port', '7000']])).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.",
    );
    expect(c.port).toBe(6379);
    expect(c.maxmemory).toBe(0);
    unsubscribe();
    expect(c.configSet([['port', '7000']])).toBeNull();
    expect(c.port).toBe(7000);
  });
});

describe('defaults(), clone(), server-side setters', () => {
  it('clone() is independent', () => {
    const a = parseRedisConf('save 1 1\nuser bob on\n');
    const b = a.clone();
    b.configSet([['save', '2 2'], ['maxmemory', '5']]);
    expect(a.get('save')).toBe('1 1');
    expect(a.maxmemory).toBe(0);
    expect(b.get('save')).toBe('2 2');
    expect(b.users).toEqual([['bob', 'on']]);
  });

  it('setReplicaOf and forceSet bypass immutability', () => {
    const c = RedisConfig.defaults();
    c.setReplicaOf({ host: '127.0.0.1', port: 7003 });
    expect(c.get('slaveof')).toBe('127.0.0.1 7003');
    c.setReplicaOf(null);
    expect(c.replicaof).toBeNull();
    expect(c.forceSet('pidfile', '/var/run/redis.pid')).toBeNull();
    expect(c.pidfile).toBe('/var/run/redis.pid');
    expect(c.forceSet('replicaof', '10.0.0.1 x')).toBe('Invalid master port');
  });
});
