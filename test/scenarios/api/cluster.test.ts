import { describe, expect, it } from 'vitest';
import { parseRedisConf } from '../../../engine/redis/config/index.ts';
import { parseSentinelConf } from '../../../engine/sentinel/config/index.ts';
import { cluster, nodeNameOf } from './helpers.ts';

const servers = (spec: ReturnType<typeof cluster>) => spec.nodes.filter((n) => n.kind === 'server');
const sentinels = (spec: ReturnType<typeof cluster>) => spec.nodes.filter((n) => n.kind === 'sentinel');

describe('cluster()', () => {
  it('defaults: a master, two replicas and three Sentinels on 127.0.0.1, each on its own host', () => {
    const spec = cluster();
    expect(spec.hosts.map((h) => h.name)).toEqual(['redis1', 'redis2', 'redis3', 'sentinel1', 'sentinel2', 'sentinel3']);
    expect(new Set(spec.hosts.map((h) => h.ip))).toEqual(new Set(['127.0.0.1']));
    expect(spec.nodes.map((n) => nodeNameOf(spec, n))).toEqual([
      '127.0.0.1:6379',
      '127.0.0.1:6380',
      '127.0.0.1:6381',
      '127.0.0.1:26379',
      '127.0.0.1:26380',
      '127.0.0.1:26381',
    ]);
    expect(spec.masterName).toBe('mymaster');
    expect(spec.initialMaster).toBe('127.0.0.1:6379');
  });

  it('generates redis.conf texts the real parser accepts, with replicaof on the replicas', () => {
    const spec = cluster({ auth: 'sec ret', persistence: 'aof-everysec', minReplicasToWrite: 1, minReplicasMaxLag: 10, priorities: [100, 0, 50] });
    const [m, r1, r2] = servers(spec).map((n) => parseRedisConf(n.configText, { path: n.configPath }));
    expect(m!.port).toBe(6379);
    expect(m!.replicaof).toBeNull();
    expect(r1!.replicaof).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(r2!.port).toBe(6381);
    expect(r1!.requirepass).toBe('sec ret');
    expect(r1!.masterauth).toBe('sec ret');
    expect(r1!.replicaPriority).toBe(0);
    expect(r2!.replicaPriority).toBe(50);
    expect(m!.get('appendonly')).toBe('yes');
    expect(m!.get('appendfsync')).toBe('everysec');
    expect(m!.get('min-replicas-to-write')).toBe('1');
    expect(m!.get('min-replicas-max-lag')).toBe('10');
    expect(servers(spec)[1]!.password).toBe('sec ret');
  });

  it('persistence modes', () => {
    const get = (p: 'none' | 'rdb' | 'aof-always') => parseRedisConf(servers(cluster({ persistence: p, sentinels: 0, replicas: 0 }))[0]!.configText);
    expect(get('none').get('save')).toBe('');
    expect(get('none').get('appendonly')).toBe('no');
    expect(get('rdb').get('save')).toBe('3600 1 300 100 60 10000');
    expect(get('aof-always').get('appendfsync')).toBe('always');
    // @ts-expect-error a wrong mode is refused
    expect(() => cluster({ persistence: 'sometimes' })).toThrow(/persistence must be/);
  });

  it('generates sentinel.conf texts the real parser accepts', () => {
    const spec = cluster({ sentinels: 5, quorum: 3, downAfter: '1500ms', failoverTimeout: '10s', parallelSyncs: 2, auth: 'pw', currentEpoch: 8394, masterName: 'TestMaster' });
    for (const n of sentinels(spec)) {
      const c = parseSentinelConf(n.configText, { path: n.configPath, cwd: '/etc/redis' });
      expect(c.masters).toHaveLength(1);
      const m = c.masters[0]!;
      expect([m.name, m.host, m.port, m.quorum]).toEqual(['TestMaster', '127.0.0.1', 6379, 3]);
      expect([m.downAfterMs, m.failoverTimeoutMs, m.parallelSyncs, m.authPass]).toEqual([1500, 10000, 2, 'pw']);
      expect(c.currentEpoch).toBe(8394);
    }
    expect(sentinels(spec).map((n) => n.port)).toEqual([26379, 26380, 26381, 26382, 26383]);
    // default quorum: a majority
    expect(parseSentinelConf(sentinels(cluster({ sentinels: 4 }))[0]!.configText).masters[0]!.quorum).toBe(3);
  });

  it("'boxes' puts redis<i> and sentinel<i> on box n<i> (10.0.0.<i>), same ports everywhere", () => {
    const spec = cluster({ hostsLayout: 'boxes', replicas: 4, sentinels: 5 });
    expect(spec.hosts).toEqual([1, 2, 3, 4, 5].map((i) => ({ name: `n${i}`, ip: `10.0.0.${i}` })));
    expect(spec.nodes.map((n) => `${n.host} ${nodeNameOf(spec, n)}`)).toContain('n3 10.0.0.3:6379');
    expect(spec.nodes.map((n) => `${n.host} ${nodeNameOf(spec, n)}`)).toContain('n3 10.0.0.3:26379');
    const r = parseRedisConf(servers(spec)[2]!.configText);
    expect(r.replicaof).toEqual({ host: '10.0.0.1', port: 6379 });
    expect(r.protectedMode).toBe(false);
  });

  it('a custom layout places nodes on named boxes and keeps client boxes', () => {
    const spec = cluster({
      replicas: 1,
      sentinels: 2,
      quorum: 1,
      hostsLayout: [
        { name: 'A', nodes: ['redis1', 'sentinel1'] },
        { name: 'B', nodes: ['redis2', 'sentinel2'] },
        { name: 'C1', ip: '10.0.1.1' },
      ],
    });
    expect(spec.hosts).toEqual([
      { name: 'A', ip: '10.0.0.1' },
      { name: 'B', ip: '10.0.0.2' },
      { name: 'C1', ip: '10.0.1.1' },
    ]);
    expect(spec.nodes.map((n) => nodeNameOf(spec, n))).toEqual(['10.0.0.1:6379', '10.0.0.2:6380', '10.0.0.1:26379', '10.0.0.2:26380']);
    expect(() => cluster({ replicas: 1, sentinels: 0, hostsLayout: [{ name: 'A', nodes: ['redis1'] }] })).toThrow(/does not place 'redis2'/);
    expect(() => cluster({ replicas: 0, sentinels: 0, hostsLayout: [{ name: 'A', nodes: ['redis9'] }] })).toThrow(/not a node/);
    expect(() => cluster({ replicas: 1, replicaPorts: [6379] })).toThrow(/both listen on 127.0.0.1:6379/);
    expect(() => cluster({ replicas: -1 })).toThrow(/replicas must be an integer/);
  });
});
