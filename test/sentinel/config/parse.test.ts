import { describe, expect, it } from 'vitest';
import {
  createDefaultSentinelFileConfig,
  DEFAULT_USER_ACL,
  parseSentinelConf,
} from '../../../engine/sentinel/config/index.ts';
import { allFixtures, readFixture } from './fixtures.ts';

describe('parseSentinelConf: oracle files', () => {
  it.each(allFixtures())('%s parses', (path) => {
    const c = parseSentinelConf(readFixture(path), { path });
    expect(c.masters).toHaveLength(1);
  });

  it('reads the tutorial seed file', () => {
    const c = parseSentinelConf(readFixture('seed/sentinel1.conf'), { cwd: '/tmp/s1' });
    const srv = c.server;
    expect([srv.port, srv.daemonize, srv.logfile, srv.dir, srv.pidfile, srv.protectedMode]).toEqual([
      26371,
      true,
      './sentinel1.log',
      '/tmp/s1',
      null,
      false,
    ]);
    expect([srv.bind, srv.latencyTrackingInfoPercentiles]).toEqual([['*', '-::*'], [50, 99, 99.9]]);
    expect(c).toMatchObject({ myid: null, currentEpoch: 8394, users: [{ name: 'default', acl: DEFAULT_USER_ACL }] });
    expect(c.masters[0]).toEqual({
      name: 'TestMaster',
      host: '127.0.0.1',
      port: 7003,
      quorum: 1,
      downAfterMs: 1500,
      failoverTimeoutMs: 10000,
      parallelSyncs: 1,
      authPass: '0234kz9*1',
      authUser: null,
      configEpoch: 15,
      leaderEpoch: 8394,
      notificationScript: null,
      clientReconfigScript: null,
      knownReplicas: [],
      knownSentinels: [
        { host: '127.0.0.1', port: 26372, runid: '0aca3a57038e2907c8a07be2b3c0d15171e44da5' },
        { host: '127.0.0.1', port: 26373, runid: 'ac1ef015411583d4b9f3d81cee830060b2f29862' },
      ],
      renamedCommands: [],
      masterRebootDownAfterPeriod: 0,
    });
  });

  it('reads a file rewritten after a failover', () => {
    const c = parseSentinelConf(readFixture('quorum2-3replicas/sentinel27373.conf'));
    expect(c.myid).toBe('ad50348575c66ca70efa4979a0ea0795259f965f');
    expect(c.server.dir).toBe('/var/lib/redis-oracle/q2');
    expect(c.currentEpoch).toBe(1);
    // A user line read from the file is reset first: Redis 7.0 then describes it with
    // sanitize-payload (the built-in default user has no such flag).
    expect(c.users).toEqual([{ name: 'default', acl: 'on nopass sanitize-payload ~* &* +@all' }]);
    const m = c.masters[0]!;
    expect([m.host, m.port, m.quorum, m.configEpoch, m.leaderEpoch]).toEqual(['127.0.0.1', 17003, 2, 1, 1]);
    expect(m.knownReplicas.map((r) => r.port)).toEqual([17001, 17004, 17002]);
    expect(m.knownSentinels.map((s) => s.port)).toEqual([27371, 27372]);
  });
});

describe('parseSentinelConf: semantics', () => {
  it('gives the Sentinel defaults for an empty file', () => {
    expect(parseSentinelConf('')).toEqual(createDefaultSentinelFileConfig('/'));
  });

  it('applies master directives written before their monitor line (7.0 load queue)', () => {
    const c = parseSentinelConf(
      [
        'sentinel down-after-milliseconds m 5000',
        'sentinel known-replica m 10.0.0.2 6379',
        'sentinel config-epoch m 7',
        'sentinel monitor m 10.0.0.1 6379 2',
        'sentinel current-epoch 3',
      ].join('\n'),
    );
    expect(c.masters[0]).toMatchObject({ downAfterMs: 5000, configEpoch: 7 });
    expect(c.masters[0]!.knownReplicas).toEqual([{ host: '10.0.0.2', port: 6379 }]);
    expect(c.currentEpoch).toBe(7); // raised by config-epoch
  });

  it('is case-insensitive for directive names, not for master names', () => {
    const c = parseSentinelConf('SENTINEL MONITOR Mm 127.0.0.1 6379 1\nSentinel Failover-Timeout Mm 9\nPORT 5');
    expect(c.server.port).toBe(5);
    expect(c.masters[0]).toMatchObject({ name: 'Mm', failoverTimeoutMs: 9 });
    expect(() => parseSentinelConf('sentinel monitor Mm 127.0.0.1 6379 1\nsentinel quorum mm 2')).toThrow();
  });

  it('keeps the largest current-epoch and the last value of other options', () => {
    const c = parseSentinelConf(
      'sentinel current-epoch 9\nsentinel current-epoch 4\nsentinel monitor m 127.0.0.1 1 1\n' +
        'sentinel parallel-syncs m 0\nsentinel parallel-syncs m 3',
    );
    expect(c.currentEpoch).toBe(9);
    expect(c.masters[0]!.parallelSyncs).toBe(3);
  });

  it('uses atoi / strtoull for numbers like Redis', () => {
    const c = parseSentinelConf(
      'sentinel monitor m 127.0.0.1 6379x 2abc\nsentinel down-after-milliseconds m 1500ms\n' +
        'sentinel leader-epoch m 12junk\nsentinel parallel-syncs m x',
    );
    expect(c.masters[0]).toMatchObject({ port: 6379, quorum: 2, downAfterMs: 1500, leaderEpoch: 12, parallelSyncs: 0 });
  });

  it('ignores the known-sentinel form without run id, even for an unknown master', () => {
    const c = parseSentinelConf('sentinel known-sentinel nosuch 127.0.0.1 26379');
    expect(c.masters).toEqual([]);
  });

  it('normalises IP literals and keeps host names with announce-hostnames', () => {
    const c = parseSentinelConf('sentinel monitor m 127.1 6379 1\nsentinel known-replica m 2001:DB8::1 6380');
    expect(c.masters[0]!.host).toBe('127.0.0.1');
    expect(c.masters[0]!.knownReplicas[0]!.host).toBe('2001:db8::1');
    const h = parseSentinelConf(
      'sentinel monitor m redis-1 6379 1\nsentinel resolve-hostnames yes\nsentinel announce-hostnames yes',
    );
    expect(h.masters[0]!.host).toBe('redis-1');
    expect(h).toMatchObject({ resolveHostnames: true, announceHostnames: true });
  });

  it('reads global Sentinel options', () => {
    const c = parseSentinelConf(
      [
        'sentinel myid 0123456789012345678901234567890123456789',
        'sentinel announce-ip "10.1.1.1"',
        'sentinel announce-port 26000',
        'sentinel deny-scripts-reconfig no',
        'sentinel sentinel-user su',
        'sentinel sentinel-pass sp',
        'sentinel announce-ip ""',
        'sentinel',
      ].join('\n'),
    );
    expect(c).toMatchObject({
      myid: '0123456789012345678901234567890123456789',
      announceIp: '10.1.1.1', // an empty value does not clear it
      announcePort: 26000,
      denyScriptsReconfig: false,
      sentinelUser: 'su',
      sentinelPass: 'sp',
    });
  });

  it('reads per-master options', () => {
    const c = parseSentinelConf(
      [
        'sentinel monitor m 127.0.0.1 6379 2',
        'sentinel auth-user m alice',
        'sentinel auth-pass m "p w"',
        'sentinel notification-script m /bin/n.sh',
        'sentinel client-reconfig-script m /bin/r.sh',
        'sentinel rename-command m CONFIG GUESSME',
        'sentinel master-reboot-down-after-period m 2000',
        'sentinel known-slave m 127.0.0.1 6380',
      ].join('\n'),
    );
    expect(c.masters[0]).toMatchObject({
      authUser: 'alice',
      authPass: 'p w',
      notificationScript: '/bin/n.sh',
      clientReconfigScript: '/bin/r.sh',
      renamedCommands: [{ command: 'CONFIG', renamed: 'GUESSME' }],
      masterRebootDownAfterPeriod: 2000,
      knownReplicas: [{ host: '127.0.0.1', port: 6380 }],
    });
  });

  it('reads generic server directives', () => {
    const c = parseSentinelConf(
      [
        'port 26380',
        'bind 127.0.0.1 "::1"',
        'daemonize YES',
        'protected-mode yes',
        'pidfile ""',
        'logfile ""',
        'dir /data',
        'dir ../x/./y',
        'latency-tracking-info-percentiles "50 99.99"',
        'loglevel warning',
        'slave-priority 5',
        'user alice on >secret ~* &* +@all',
        'rename-command ROLE ""',
        'list-max-ziplist-entries 512',
      ].join('\n'),
    );
    const srv = c.server;
    expect([srv.port, srv.bind, srv.daemonize, srv.protectedMode, srv.pidfile, srv.logfile, srv.dir]).toEqual([
      26380,
      ['127.0.0.1', '::1'],
      true,
      true,
      null,
      '',
      '/x/y',
    ]);
    expect(srv.latencyTrackingInfoPercentiles).toEqual([50, 99.99]);
    // Sorted by name, as Redis keeps them; the built-in default user is still there.
    expect(c.users).toEqual([
      {
        name: 'alice',
        acl: 'on #2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b ~* &* +@all',
      },
      { name: 'default', acl: DEFAULT_USER_ACL },
    ]);
    // the other server directives are redis-server's (the deprecated one is accepted and ignored)
    expect([srv.loglevel, srv.replicaPriority, srv.renamedCommands]).toEqual(['warning', 5, [['ROLE', '']]]);
    expect(srv.users).toEqual([['alice', 'on', '>secret', '~*', '&*', '+@all']]);
  });

  it('reads included files with the same loader (a Sentinel in Redis does)', () => {
    const files: Record<string, string> = { '/etc/inc.conf': 'requirepass foo\nsentinel monitor m 127.0.0.1 6379 1\n' };
    const c = parseSentinelConf('port 1\ninclude inc.conf\n', { cwd: '/etc', readFile: (p) => files[p] });
    expect(c.server.requirepass).toBe('foo');
    expect(c.masters.map((m) => m.name)).toEqual(['m']);
    expect(() => parseSentinelConf('include /nope.conf')).toThrow("Fatal error, can't open config file '/nope.conf'");
  });
});
