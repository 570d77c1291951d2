import { describe, expect, it } from 'vitest';
import { fromConfigFiles, resolveConfigFiles, ScenarioConfigError } from '../../../scenarios/api/index.ts';
import { fromConfigTexts, nodeNameOf, tutorialTexts } from './helpers.ts';

describe('fromConfigTexts', () => {
  it('takes addresses and ports from the tutorial files (port, slaveof, sentinel monitor)', () => {
    const spec = fromConfigTexts(tutorialTexts());
    expect(spec.hosts.map((h) => `${h.name}=${h.ip}`)).toEqual([
      'redis=127.0.0.1',
      'redis_slave=127.0.0.1',
      'sentinel1=127.0.0.1',
      'sentinel2=127.0.0.1',
      'sentinel3=127.0.0.1',
    ]);
    expect(spec.nodes.map((n) => `${n.kind} ${nodeNameOf(spec, n)} ${n.configPath}`)).toEqual([
      'server 127.0.0.1:7003 /etc/redis/redis.conf',
      'server 127.0.0.1:8003 /etc/redis/redis_slave.conf',
      'sentinel 127.0.0.1:26371 /etc/redis/sentinel1.conf',
      'sentinel 127.0.0.1:26372 /etc/redis/sentinel2.conf',
      'sentinel 127.0.0.1:26373 /etc/redis/sentinel3.conf',
    ]);
    expect(spec.masterName).toBe('TestMaster');
    expect(spec.initialMaster).toBe('127.0.0.1:7003');
    // the admin client authenticates with requirepass
    expect(spec.nodes[0]!.password).toBe('0234kz9*1');
    expect(spec.nodes[2]!.password).toBeUndefined();
    // texts are kept byte for byte
    expect(spec.nodes[0]!.configText).toBe(tutorialTexts().servers[0]!.text);
  });

  it('an IP comes from bind, else from the other files naming that port, else 127.0.0.1', () => {
    const spec = fromConfigTexts({
      servers: [
        { name: 'm.conf', text: 'port 6379\n' },
        { name: 'r.conf', text: 'bind 10.0.0.2\nport 6379\nreplicaof 10.0.0.1 6379\n' },
        { name: 'lonely.conf', text: 'port 7777\n' },
      ],
      sentinels: [{ name: 's.conf', text: 'port 26379\nsentinel announce-ip 10.0.0.9\nsentinel monitor mm 10.0.0.1 6379 1\n' }],
      extraHosts: ['client', { name: 'c2', ip: '10.0.1.2' }],
    });
    expect(spec.hosts.map((h) => `${h.name}=${h.ip}`)).toEqual(['m=10.0.0.1', 'r=10.0.0.2', 'lonely=127.0.0.1', 's=10.0.0.9', 'client=127.0.0.1', 'c2=10.0.1.2']);
    expect(spec.masterName).toBe('mm');
    expect(spec.initialMaster).toBe('10.0.0.1:6379');
  });

  it('files naming the same host share a box; explicit ips win', () => {
    const spec = fromConfigTexts({
      servers: [{ name: 'a/redis.conf', text: 'port 6379\n', host: 'A', ip: '10.0.0.1' }],
      sentinels: [{ name: 'a/sentinel.conf', text: 'port 26379\nsentinel monitor m 10.0.0.1 6379 1\n', host: 'A' }],
    });
    expect(spec.hosts).toEqual([{ name: 'A', ip: '10.0.0.1' }]);
    expect(spec.nodes.map((n) => nodeNameOf(spec, n))).toEqual(['10.0.0.1:6379', '10.0.0.1:26379']);
  });

  it("a file Redis would refuse fails with Redis's FATAL CONFIG FILE ERROR text", () => {
    const bad = () => fromConfigTexts({ servers: [{ name: 'redis.conf', text: 'port 7000\nmaxmemory lots\n' }] });
    expect(bad).toThrow(ScenarioConfigError);
    try {
      bad();
    } catch (e) {
      expect((e as ScenarioConfigError).file).toBe('redis.conf');
      expect((e as ScenarioConfigError).fatal).toBe(
        "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'maxmemory lots'\nargument must be a memory value",
      );
    }
    expect(() => fromConfigTexts({ sentinels: [{ name: 's.conf', text: 'sentinel monitor m 127.0.0.1 1 0\n' }] })).toThrow(/Quorum must be 1 or greater/);
    expect(() =>
      fromConfigTexts({
        servers: [
          { name: 'a.conf', text: 'port 6379\n' },
          { name: 'b.conf', text: 'port 6379\n' },
        ],
      }),
    ).toThrow(/127.0.0.1:6379 is already used/);
  });

  it('fromConfigFiles is lazy: the runner reads the paths', () => {
    const spec = fromConfigFiles({ servers: ['x/redis.conf'], sentinels: [{ path: 'x/s.conf', host: 'S' }], latency: '2ms' });
    expect(spec.kind).toBe('config-files');
    const files: Record<string, string> = { 'x/redis.conf': 'port 7000\n', 'x/s.conf': 'port 26000\nsentinel monitor m 127.0.0.1 7000 1\n' };
    const built = resolveConfigFiles(spec, (p) => files[p]!);
    expect(built.hosts.map((h) => h.name)).toEqual(['redis', 'S']);
    expect(built.link).toEqual({ latencyMs: 2 });
    expect(() => fromConfigFiles({})).toThrow(/no config files/);
  });
});
