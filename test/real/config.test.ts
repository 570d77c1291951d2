// bin/real/config.ts: loopback aliases, config rewriting, the mapping back to the scenario's addresses;
// bin/real/world.ts's log line parser. No processes.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cluster, fromConfigTexts, resolveConfigFiles, fromConfigFiles, type ClusterSpec } from '../../scenarios/api/index.ts';
import { quoteArg, RealConfigError, RealTopology, rewriteConfig } from '../../bin/real/config.ts';
import { dropRule } from '../../bin/real/firewall.ts';
import { parseLogLine } from '../../bin/real/world.ts';

// the default block, 127.0.77.0/24, whichever block the real runs of this test worker use (test/support/worker-setup.ts)
vi.hoisted(() => {
  process.env.SENTINEL_SIM_REAL_BLOCK = '77';
});

const TUTORIAL = resolve(import.meta.dirname, '../../scenarios/tutorial');

function tutorialSpec(): ClusterSpec {
  return resolveConfigFiles(
    fromConfigFiles({ servers: ['redis.conf', 'redis_slave.conf'], sentinels: ['sentinel1.conf', 'sentinel2.conf', 'sentinel3.conf'] }),
    (p) => readFileSync(join(TUTORIAL, p), 'utf8'),
  );
}

/** The directives of a config text, comments and blank lines left out. */
const directives = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

describe('RealTopology', () => {
  it('gives each host its own alias 127.0.77.<i+1>, even when hosts share an IP (the tutorial: five hosts on 127.0.0.1)', () => {
    const topo = new RealTopology(tutorialSpec());
    expect(topo.hosts.map((h) => [h.name, h.ip, h.alias])).toEqual([
      ['redis', '127.0.0.1', '127.0.77.1'],
      ['redis_slave', '127.0.0.1', '127.0.77.2'],
      ['sentinel1', '127.0.0.1', '127.0.77.3'],
      ['sentinel2', '127.0.0.1', '127.0.77.4'],
      ['sentinel3', '127.0.0.1', '127.0.77.5'],
    ]);
    // an address maps through the node listening on it
    expect(topo.aliasFor('127.0.0.1', 8003)).toBe('127.0.77.2');
    expect(topo.aliasFor('127.0.0.1', 26373)).toBe('127.0.77.5');
    expect(topo.aliasFor('localhost', 7003)).toBe('127.0.77.1');
    expect(topo.aliasFor('10.9.9.9', 6379)).toBeNull();
    expect(topo.nodes.map((n) => n.name)).toEqual(['127.0.0.1:7003', '127.0.0.1:8003', '127.0.0.1:26371', '127.0.0.1:26372', '127.0.0.1:26373']);
  });

  it('maps aliases back to the scenario addresses at word boundaries (127.0.77.1 is not inside 127.0.77.10)', () => {
    const spec = cluster({ replicas: 4, sentinels: 5, hostsLayout: 'boxes' });
    const topo = new RealTopology(spec);
    for (let i = 6; i <= 12; i++) topo.addHost(`c${i}`, `10.254.0.${i}`);
    expect(topo.host('c10').alias).toBe('127.0.77.10');
    expect(topo.toSim('+switch-master mymaster 127.0.77.1 6379 127.0.77.3 6379')).toBe('+switch-master mymaster 10.0.0.1 6379 10.0.0.3 6379');
    expect(topo.toSim('from 127.0.77.10:40000 and 127.0.77.1:6379, id=8 addr=127.0.77.12:51234')).toBe('from 10.254.0.10:40000 and 10.0.0.1:6379, id=8 addr=10.254.0.12:51234');
    // not ours: left alone
    expect(topo.toSim('127.0.77.200 and 127.0.0.1 and 1127.0.77.1')).toBe('127.0.77.200 and 127.0.0.1 and 1127.0.77.1');
    expect(topo.nodeAt('127.0.77.3', 26379)).toBe('10.0.0.3:26379');
  });

  it('turns scenario addresses in command arguments into aliases', () => {
    const topo = new RealTopology(tutorialSpec());
    expect(topo.argsToReal(['REPLICAOF', '127.0.0.1', '8003'])).toEqual(['REPLICAOF', '127.0.77.2', '8003']);
    expect(topo.argsToReal(['SENTINEL', 'MONITOR', 'm', '127.0.0.1', '7003', '1'])).toEqual(['SENTINEL', 'MONITOR', 'm', '127.0.77.1', '7003', '1']);
    expect(topo.argsToReal(['CLIENT', 'KILL', '127.0.0.1:26371'])).toEqual(['CLIENT', 'KILL', '127.0.77.3:26371']);
    // a lone IP shared by five hosts is ambiguous: kept
    expect(topo.argsToReal(['GET', '127.0.0.1'])).toEqual(['GET', '127.0.0.1']);
  });
});

describe('rewriteConfig', () => {
  it('rewrites the tutorial files: foreground, own alias for bind and outgoing connections, own dir, log on stdout, addresses mapped', () => {
    const topo = new RealTopology(tutorialSpec());
    const [master, replica, s1] = topo.nodes as [(typeof topo.nodes)[0], (typeof topo.nodes)[0], (typeof topo.nodes)[0]];
    const m = directives(rewriteConfig(master, topo, '/tmp/x/redis-7003').text);
    expect(m).not.toContain('daemonize yes');
    expect(m).not.toContain('logfile "./redis7003.log"');
    expect(m).not.toContain('dir ./');
    expect(m).not.toContain('pidfile /var/run/redis.pid');
    expect(m.slice(-7)).toEqual(['daemonize no', 'logfile ""', 'dir /tmp/x/redis-7003', 'bind 127.0.77.1', 'bind-source-addr 127.0.77.1', 'protected-mode no', 'port 7003']);
    // everything else as it was
    expect(m).toContain('requirepass 0234kz9*1');
    expect(m).toContain('save 900 1');
    expect(m).toContain('maxmemory 3gb');
    const r = directives(rewriteConfig(replica, topo, '/tmp/x/r').text);
    expect(r).toContain('slaveof 127.0.77.1 7003');
    expect(r).toContain('bind 127.0.77.2');
    const s = directives(rewriteConfig(s1, topo, '/tmp/x/s1').text);
    expect(s).toContain('sentinel monitor TestMaster 127.0.77.1 7003 1');
    expect(s).toContain('sentinel known-sentinel TestMaster 127.0.77.4 26372 0aca3a57038e2907c8a07be2b3c0d15171e44da5');
    expect(s).toContain('sentinel known-sentinel TestMaster 127.0.77.5 26373 ac1ef015411583d4b9f3d81cee830060b2f29862');
    expect(s).toContain('sentinel current-epoch 8394');
    expect(s).toContain('bind-source-addr 127.0.77.3');
    expect(s.join('\n')).not.toMatch(/127\.0\.0\.1/);
  });

  it('maps the simulated 10.0.0.x of cluster() layouts; quotes what needs quotes; keeps comments', () => {
    const spec = cluster({ replicas: 1, sentinels: 1, hostsLayout: 'boxes', auth: 'pa ss"word' });
    const topo = new RealTopology(spec);
    const out = rewriteConfig(topo.nodes[1]!, topo, '/tmp/dir with space').text;
    expect(directives(out)).toContain('replicaof 127.0.77.1 6379');
    expect(out).toContain('dir "/tmp/dir with space"');
    expect(out).toContain('# redis2: replica 1 (generated by sentinel-sim cluster())');
    expect(out).toContain('# (sentinel-sim real) dir /var/lib/redis');
    expect(quoteArg('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
    expect(quoteArg('')).toBe('""');
  });

  it('keeps protected mode as the scenario sets it unless a host on 127.0.0.1 is local in the simulator only', () => {
    // 10.0.0.x boxes: every peer is non-local in the simulator and from an alias on real Redis, so the files' own
    // setting replays as it is (sentinel-protected-mode's `protected-mode yes` Sentinels refuse each other on both)
    const boxes = new RealTopology(cluster({ replicas: 1, sentinels: 1, hostsLayout: 'boxes', sentinelConfig: 'protected-mode yes' }));
    const server = directives(rewriteConfig(boxes.nodes[0]!, boxes, '/tmp/m').text);
    const sentinel = directives(rewriteConfig(boxes.nodes.find((n) => n.kind === 'sentinel')!, boxes, '/tmp/s').text);
    expect(server.filter((d) => d.startsWith('protected-mode'))).toEqual(['protected-mode no']);
    expect(sentinel.filter((d) => d.startsWith('protected-mode'))).toEqual(['protected-mode yes']);
    // the tutorial's hosts all say 127.0.0.1: local in the simulator, aliases on the wire, so protection is off
    const tut = new RealTopology(tutorialSpec());
    for (const n of tut.nodes) {
      expect(directives(rewriteConfig(n, tut, '/tmp/t').text).filter((d) => d.startsWith('protected-mode'))).toEqual(['protected-mode no']);
    }
  });

  it('refuses an address outside the scenario (real traffic stays on 127.0.77.0/24)', () => {
    const spec = fromConfigTexts({ servers: [{ name: 'a.conf', text: 'port 7000\nreplicaof 10.9.9.9 6379\n', ip: '127.0.0.1' }] });
    const topo = new RealTopology(spec);
    expect(() => rewriteConfig(topo.nodes[0]!, topo, '/tmp/d')).toThrow(RealConfigError);
    expect(() => rewriteConfig(topo.nodes[0]!, topo, '/tmp/d')).toThrow(/10\.9\.9\.9:6379, which is no host of the scenario/);
  });

  it('leaves out notification and reconfig scripts (reported), and maps announce addresses to the alias', () => {
    const spec = fromConfigTexts({
      servers: [{ name: 'm.conf', text: 'port 6379\nreplica-announce-ip 10.0.0.1\n', ip: '10.0.0.1' }],
      sentinels: [{ name: 's.conf', text: 'port 26379\nsentinel monitor m 10.0.0.1 6379 1\nsentinel notification-script m /bin/notify.sh\nsentinel announce-ip 10.0.0.9\n', ip: '10.0.0.9' }],
    });
    const topo = new RealTopology(spec);
    const s = rewriteConfig(topo.nodes[1]!, topo, '/tmp/s');
    expect(directives(s.text)).not.toContain('sentinel notification-script m /bin/notify.sh');
    expect(directives(s.text)).toContain('sentinel announce-ip 127.0.77.2');
    expect(s.dropped).toEqual(["s.conf: 'sentinel notification-script m /bin/notify.sh' left out (real runs do not start programs of this machine)"]);
    expect(directives(rewriteConfig(topo.nodes[0]!, topo, '/tmp/m').text)).toContain('replica-announce-ip 127.0.77.1');
  });
});

describe('log lines and rules', () => {
  it("parses Redis's log line format (the processes run with TZ=UTC)", () => {
    expect(parseLogLine('6813:X 07 Dec 2026 12:26:19.877 # +monitor master m 127.0.77.1 7003 quorum 1')).toEqual({
      pid: 6813,
      role: 'X',
      wall: Date.UTC(2026, 11, 7, 12, 26, 19, 877),
      level: '#',
      text: '+monitor master m 127.0.77.1 7003 quorum 1',
    });
    expect(parseLogLine('*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***')).toBeNull();
  });

  it('builds DROP rules between aliases only', () => {
    expect(dropRule('127.0.77.1', '127.0.77.2')).toEqual(['-i', 'lo', '-s', '127.0.77.1/32', '-d', '127.0.77.2/32', '-j', 'DROP']);
    expect(dropRule(null, '127.0.77.3', 0.25)).toEqual(['-i', 'lo', '-d', '127.0.77.3/32', '-m', 'statistic', '--mode', 'random', '--probability', '0.2500', '-j', 'DROP']);
    expect(() => dropRule('127.0.0.1', null)).toThrow(/not one of our aliases/);
  });
});
