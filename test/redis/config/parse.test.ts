import { describe, expect, it } from 'vitest';
import {
  ConfigFileError,
  ConfigFileOpenError,
  parseRedisConf,
  RedisConfig,
} from '../../../engine/redis/config/index.ts';
import { readFixture } from './fixtures.ts';

function fails(text: string, opts = {}): ConfigFileError {
  try {
    parseRedisConf(text, opts);
  } catch (e) {
    if (e instanceof ConfigFileError) return e;
    throw e;
  }
  throw new Error('expected a ConfigFileError');
}

describe('seed configurations', () => {
  it('loads the tutorial master (redis.conf)', () => {
    const c = parseRedisConf(readFixture('redis.conf'), { cwd: '/srv/master' });
    expect(c.port).toBe(7003);
    expect(c.daemonize).toBe(true);
    expect(c.pidfile).toBe('/var/run/redis.pid');
    expect(c.logfile).toBe('./redis7003.log');
    expect(c.databases).toBe(16);
    expect(c.save).toEqual([
      { seconds: 900, changes: 1 },
      { seconds: 300, changes: 10 },
      { seconds: 60, changes: 10000 },
    ]);
    expect(c.dbfilename).toBe('dump.rdb');
    expect(c.dir).toBe('/srv/master');
    expect(c.masterauth).toBe('0234kz9*1');
    expect(c.requirepass).toBe('0234kz9*1');
    expect(c.replicaServeStaleData).toBe(true);
    expect(c.replicaReadOnly).toBe(true);
    expect(c.replicaPriority).toBe(100);
    expect(c.replicaof).toBeNull();
    expect(c.maxmemory).toBe(3 * 1024 ** 3);
    expect(c.maxmemoryPolicy).toBe('volatile-lru');
    expect(c.appendonly).toBe(false);
    expect(c.appendfilename).toBe('appendonly.aof');
    expect(c.appendfsync).toBe('everysec');
    expect(c.autoAofRewriteMinSize).toBe(64 * 1024 * 1024);
    expect(c.busyReplyThreshold).toBe(5000);
    expect(c.notifyKeyspaceEvents).toBe('');
    expect(c.hashMaxListpackEntries).toBe(512);
    expect(c.zsetMaxListpackEntries).toBe(128);
    expect(c.tcpKeepalive).toBe(60);
    expect(c.hz).toBe(10);
    expect(c.get('client-output-buffer-limit')).toBe(
      'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    );
  });

  it('loads the tutorial replica (redis_slave.conf)', () => {
    const c = parseRedisConf(readFixture('redis_slave.conf'));
    expect(c.port).toBe(8003);
    expect(c.replicaof).toEqual({ host: '127.0.0.1', port: 7003 });
    expect(c.get('slaveof')).toBe('127.0.0.1 7003');
    expect(c.get('replicaof')).toBe('127.0.0.1 7003');
  });

  it.each(['oracle-seed-exact-master.conf', 'oracle-seed-exact-replica.conf', 'oracle-priority0-17012.conf', 'oracle-mf-17051.conf'])(
    'loads %s (written by real CONFIG REWRITE)',
    (name) => {
      expect(() => parseRedisConf(readFixture(name))).not.toThrow();
    },
  );

  it('defaults match Redis 7.0.15', () => {
    const c = RedisConfig.defaults();
    expect(c.port).toBe(6379);
    expect(c.bind).toEqual(['*', '-::*']);
    expect(c.protectedMode).toBe(true);
    expect(c.save).toEqual([
      { seconds: 3600, changes: 1 },
      { seconds: 300, changes: 100 },
      { seconds: 60, changes: 10000 },
    ]);
    expect(c.replTimeout).toBe(60);
    expect(c.replBacklogSize).toBe(1048576);
    expect(c.replBacklogTtl).toBe(3600);
    expect(c.replPingReplicaPeriod).toBe(10);
    expect(c.replDisklessSync).toBe(true);
    expect(c.replDisklessSyncDelay).toBe(5);
    expect(c.minReplicasToWrite).toBe(0);
    expect(c.minReplicasMaxLag).toBe(10);
    expect(c.replicaAnnounced).toBe(true);
    expect(c.replicaAnnounceIp).toBeNull();
    expect(c.replicaAnnouncePort).toBe(0);
    expect(c.maxmemory).toBe(0);
    expect(c.maxmemoryPolicy).toBe('noeviction');
    expect(c.maxmemorySamples).toBe(5);
    expect(c.loglevel).toBe('notice');
    expect(c.logfile).toBe('');
    expect(c.pidfile).toBeNull();
    expect(c.dir).toBe('/');
    expect(c.latencyTrackingInfoPercentiles).toEqual([50, 99, 99.9]);
    expect(c.get('tcp-keepalive')).toBe('300');
    expect(c.get('list-max-listpack-size')).toBe('-2');
    expect(c.get('proc-title-template')).toBe('{title} {listen-addr} {server-mode}');
    expect(c.get('unixsocketperm')).toBe('0');
    expect(c.get('oom-score-adj-values')).toBe('0 200 800');
    expect(c.get('shutdown-on-sigint')).toBe('default');
  });
});

describe('syntax', () => {
  it('ignores comments and blank lines, trims lines, lower-cases names', () => {
    const c = parseRedisConf('# comment\n\n   \r\n\t PORT 1234 \r\n  # indented comment\nMaxMemory 1MB\n');
    expect(c.port).toBe(1234);
    expect(c.maxmemory).toBe(1048576);
  });

  it('reads quoted arguments', () => {
    const c = parseRedisConf('requirepass "a b\\"c\\x41"\nmasterauth \'x y\'\nlogfile ""\n');
    expect(c.requirepass).toBe('a b"cA');
    expect(c.masterauth).toBe('x y');
    expect(c.logfile).toBe('');
  });

  it('memory units: k=1000, kb=1024, m, mb, g, gb, case-insensitive', () => {
    const c = parseRedisConf(
      'maxmemory 1k\nrepl-backlog-size 5kb\nauto-aof-rewrite-min-size 2M\nhll-sparse-max-bytes 1b\nproto-max-bulk-len 2gb\nclient-query-buffer-limit 1G\n',
    );
    expect(c.get('maxmemory')).toBe('1000');
    expect(c.get('repl-backlog-size')).toBe('5120');
    expect(c.get('auto-aof-rewrite-min-size')).toBe('2000000');
    expect(c.get('hll-sparse-max-bytes')).toBe('1');
    expect(c.get('proto-max-bulk-len')).toBe('2147483648');
    expect(c.get('client-query-buffer-limit')).toBe('1000000000');
  });

  it('keeps 64-bit memory values exactly (wrapping like C)', () => {
    expect(parseRedisConf('maxmemory 18446744073709551615').get('maxmemory')).toBe('18446744073709551615');
    expect(parseRedisConf('maxmemory 99999999999999999999gb').get('maxmemory')).toBe('18446744072635809792');
    expect(parseRedisConf('maxmemory ""').get('maxmemory')).toBe('0');
  });

  it('accepts old names as aliases', () => {
    const c = parseRedisConf(
      [
        'slaveof 10.0.0.1 6380',
        'slave-priority 5',
        'slave-read-only no',
        'slave-serve-stale-data no',
        'slave-lazy-flush yes',
        'slave-ignore-maxmemory no',
        'repl-ping-slave-period 3',
        'min-slaves-to-write 2',
        'min-slaves-max-lag 4',
        'slave-announce-ip 1.2.3.4',
        'slave-announce-port 1234',
        'hash-max-ziplist-entries 1',
        'hash-max-ziplist-value 2',
        'zset-max-ziplist-entries 3',
        'zset-max-ziplist-value 4',
        'list-max-ziplist-size 5',
        'lua-time-limit 6',
        'cluster-slave-validity-factor 7',
        'cluster-slave-no-failover yes',
      ].join('\n'),
    );
    expect(c.replicaof).toEqual({ host: '10.0.0.1', port: 6380 });
    expect(c.replicaPriority).toBe(5);
    expect(c.replicaReadOnly).toBe(false);
    expect(c.replicaServeStaleData).toBe(false);
    expect(c.replicaLazyFlush).toBe(true);
    expect(c.replicaIgnoreMaxmemory).toBe(false);
    expect(c.replPingReplicaPeriod).toBe(3);
    expect(c.minReplicasToWrite).toBe(2);
    expect(c.minReplicasMaxLag).toBe(4);
    expect(c.replicaAnnounceIp).toBe('1.2.3.4');
    expect(c.replicaAnnouncePort).toBe(1234);
    expect(c.hashMaxListpackEntries).toBe(1);
    expect(c.hashMaxListpackValue).toBe(2);
    expect(c.zsetMaxListpackEntries).toBe(3);
    expect(c.zsetMaxListpackValue).toBe(4);
    expect(c.listMaxListpackSize).toBe(5);
    expect(c.busyReplyThreshold).toBe(6);
    expect(c.get('cluster-replica-validity-factor')).toBe('7');
    expect(c.get('cluster-replica-no-failover')).toBe('yes');
  });

  it('accepts and ignores the 2.8-era list-max-ziplist-entries / -value', () => {
    const c = parseRedisConf('list-max-ziplist-entries 512\nlist-max-ziplist-value 64\nlua-replicate-commands yes\n');
    expect(c.listMaxListpackSize).toBe(-2);
    expect(c.get('list-max-ziplist-entries')).toBeUndefined();
  });

  it('replicaof no one, notify-keyspace-events, bind', () => {
    const c = parseRedisConf('replicaof 1.2.3.4 5\nreplicaof no one\nnotify-keyspace-events Kx$\nbind 127.0.0.1 ::1\n');
    expect(c.replicaof).toBeNull();
    expect(c.notifyKeyspaceEvents).toBe('$xK');
    expect(c.bind).toEqual(['127.0.0.1', '::1']);
    expect(parseRedisConf('bind ""').bind).toEqual([]);
    expect(parseRedisConf('bind "1.1.1.1 2.2.2.2"').bind).toEqual(['1.1.1.1', '2.2.2.2']);
    expect(parseRedisConf('notify-keyspace-events gl$shzxetdnKEm').notifyKeyspaceEvents).toBe('AKEm');
  });

  it('multi-argument directives', () => {
    const c = parseRedisConf(
      [
        'client-output-buffer-limit replica 1mb 2 3 pubsub 1 2 3',
        'oom-score-adj-values "-5 10 20"',
        'shutdown-on-sigint save now',
        'latency-tracking-info-percentiles 0.0078125 99.99999 1e1',
        'maxmemory-clients 10%',
        'unixsocketperm 700',
      ].join('\n'),
    );
    expect(c.get('client-output-buffer-limit')).toBe('normal 0 0 0 slave 1048576 2 3 pubsub 1 2 3');
    expect(c.get('oom-score-adj-values')).toBe('-5 10 20');
    expect(c.get('shutdown-on-sigint')).toBe('save now');
    expect(c.get('latency-tracking-info-percentiles')).toBe('0.007812 99.99999 10');
    expect(c.get('maxmemory-clients')).toBe('10%');
    expect(c.get('unixsocketperm')).toBe('700');
    expect(parseRedisConf('latency-tracking-info-percentiles ""').latencyTrackingInfoPercentiles).toEqual([]);
  });

  it('clamps hz to 1..500', () => {
    expect(parseRedisConf('hz 0').hz).toBe(1);
    expect(parseRedisConf('hz 100000').hz).toBe(500);
  });

  it('stores user, rename-command, loadmodule and module directives', () => {
    const c = parseRedisConf(
      'user alice on >pw ~* +@all\nrename-command flushall ""\nloadmodule /m.so a b\nmod.opt 1 2\nsentinel\n',
    );
    expect(c.users).toEqual([['alice', 'on', '>pw', '~*', '+@all']]);
    expect(c.renamedCommands).toEqual([['flushall', '']]);
    expect(c.directives.loadModules).toEqual([{ path: '/m.so', args: ['a', 'b'] }]);
    expect([...c.directives.moduleConfigs]).toEqual([['mod.opt', '1 2']]);
  });
});

describe('save lines', () => {
  const save = (text: string, opts = {}) => parseRedisConf(text, opts).get('save');

  it('the first save line replaces the defaults, the next ones add', () => {
    expect(save('save 900 1\nsave 300 10\n')).toBe('900 1 300 10');
    expect(save('save "900 1 300 10"')).toBe('900 1 300 10');
  });

  it('save "" clears', () => {
    expect(save('save ""')).toBe('');
    expect(save('save ""\nsave 900 1\n')).toBe('900 1');
    expect(save('save 900 1\nsave ""\n')).toBe('');
  });

  it('after an include each save line starts over (as in Redis 7.0)', () => {
    const readFile = (p: string) => (p === '/inc.conf' ? 'hz 7\n' : undefined);
    expect(save('include /inc.conf\nsave 900 1\nsave 300 10\n', { readFile })).toBe('300 10');
  });
});

describe('include', () => {
  const files: Record<string, string> = {
    '/etc/redis/base.conf': 'port 7000\nmaxmemory 1mb\n',
    '/etc/redis/bad.conf': 'hz 5\n\nport lots\n',
    '/etc/redis/conf.d/a.conf': 'timeout 5\n',
    '/etc/redis/conf.d/b.conf': 'tcp-keepalive 9\n',
  };
  const readFile = (p: string) => files[p];
  const glob = (pattern: string) =>
    pattern === '/etc/redis/conf.d/*.conf' ? ['/etc/redis/conf.d/a.conf', '/etc/redis/conf.d/b.conf'] : [];

  it('loads the file at the point of the directive; later lines win', () => {
    const c = parseRedisConf('port 1\ninclude /etc/redis/base.conf\nmaxmemory 2mb\n', { readFile });
    expect(c.port).toBe(7000);
    expect(c.maxmemory).toBe(2 * 1024 * 1024);
  });

  it('resolves relative paths against the working directory (after dir)', () => {
    const c = parseRedisConf('dir /etc/redis\ninclude base.conf\n', { readFile });
    expect(c.port).toBe(7000);
    expect(c.dir).toBe('/etc/redis');
  });

  it('reports errors with the line number inside the included file', () => {
    const e = fails('port 1\ninclude /etc/redis/bad.conf\n', { readFile });
    expect(e.line).toBe(3);
    expect(e.lineText).toBe('port lots');
    expect(e.file).toBe('/etc/redis/bad.conf');
  });

  it('expands patterns; no match is not an error', () => {
    const c = parseRedisConf('include /etc/redis/conf.d/*.conf\ninclude /nothing/*.conf\n', { readFile, glob });
    expect(c.timeout).toBe(5);
    expect(c.tcpKeepalive).toBe(9);
  });

  it('a missing file stops the server', () => {
    expect(() => parseRedisConf('include /nope.conf', { readFile })).toThrow(ConfigFileOpenError);
    expect(() => parseRedisConf('include /nope.conf', { readFile })).toThrow(
      "Fatal error, can't open config file '/nope.conf': No such file or directory",
    );
  });
});
