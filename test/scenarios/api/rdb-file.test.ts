// Users' own data (issue 17 item 7): fromConfigFiles starts a server from an RDB file — the one its
// redis.conf names (dir + dbfilename, relative to the config file) or an explicit path — and a truncated
// or corrupt file is refused before the run, naming the file, the offset and what was expected. A
// server whose dump.rdb on its simulated disk is corrupt stops at boot with the same details.
import { describe, expect, it } from 'vitest';
import { ZSet } from '../../../engine/redis/keyspace/zset.ts';
import { bytesToStr } from '../../../engine/redis/persistence/rdb/bytes.ts';
import { writeRdb } from '../../../engine/redis/persistence/rdb/file.ts';
import { DEFAULT_SAVE_OPTIONS } from '../../../engine/redis/persistence/rdb/primitives.ts';
import { rdbFileFromBytes } from '../../../engine/redis/persistence/rdb.ts';
import type { RedisServer } from '../../../engine/redis/server/index.ts';
import { buildSimulation, fromConfigFiles, resolveConfigFiles, ScenarioConfigError } from '../../../scenarios/api/index.ts';
import { js, world } from '../../redis/server/client.ts';

function userRdb(): Uint8Array {
  const z = new ZSet();
  z.set('a', 1);
  z.set('b', 2.5);
  return writeRdb({
    redisVer: '7.0.15',
    ctime: 1_700_000_000,
    usedMem: 1_000_000,
    aux: {},
    save: DEFAULT_SAVE_OPTIONS,
    checksum: true,
    dbs: [
      {
        index: 0,
        size: 3,
        expires: 1,
        keys: [
          { key: 'user:1', value: { type: 'hash', v: new Map([['name', 'ada']]) }, expireAt: null },
          { key: 'board', value: { type: 'zset', v: z }, expireAt: null },
          { key: 'session', value: { type: 'string', v: 'x'.repeat(100) }, expireAt: 4_102_444_800_000 },
        ],
      },
      { index: 2, size: 1, expires: 0, keys: [{ key: 'q', value: { type: 'list', v: ['1', '2'] }, expireAt: null }] },
    ],
  });
}

const reader = (files: Record<string, string | Uint8Array>) => (p: string, encoding?: 'latin1'): string => {
  const f = files[p];
  if (f === undefined) throw new ScenarioConfigError(p, `Fatal error, can't open config file '/scen/${p}': No such file or directory`);
  return typeof f === 'string' ? f : encoding === 'latin1' ? bytesToStr(f) : new TextDecoder().decode(f);
};

function keysOf(s: RedisServer): string[] {
  const out: string[] = [];
  for (const db of s.ks.dbs) for (const k of db.dict.keys()) out.push(`${db.index}/${k}`);
  return out.sort();
}

describe('a server started from a user RDB file', () => {
  it("rdb: true reads the file the config names (dir relative to the config file's folder)", () => {
    const files = { 'prod/redis.conf': 'port 7000\ndir ./data\ndbfilename snap.rdb\n', 'prod/data/snap.rdb': userRdb() };
    const spec = resolveConfigFiles(fromConfigFiles({ servers: [{ path: 'prod/redis.conf', rdb: true }] }), reader(files));
    expect(spec.nodes[0]!.rdb?.length).toBe(userRdb().length);
    const sim = buildSimulation(spec, { seed: 's', scenario: 'rdb' });
    sim.startAll();
    sim.run({ forMs: 100 });
    const s = sim.proc('127.0.0.1:7000').instance as RedisServer;
    expect(keysOf(s)).toEqual(['0/board', '0/session', '0/user:1', '2/q']);
    expect(s.ks.db(0).getExpire('session')).toBe(4_102_444_800_000);
    // it lands where the server's own dir/dbfilename point, so SAVE overwrites it like Redis
    const disk = sim.host(spec.nodes[0]!.host).disk;
    expect(disk.list().some((p) => p.endsWith('data/snap.rdb'))).toBe(true);
  });

  it('an explicit rdb path; a Sentinel cannot take one', () => {
    const files = { 'm.conf': 'port 6379\n', 'backups/today.rdb': userRdb(), 's.conf': 'port 26379\nsentinel monitor mm 127.0.0.1 6379 1\n' };
    const spec = resolveConfigFiles(fromConfigFiles({ servers: [{ path: 'm.conf', rdb: 'backups/today.rdb' }], sentinels: ['s.conf'] }), reader(files));
    const sim = buildSimulation(spec, { seed: 's', scenario: 'rdb' });
    sim.startAll();
    sim.run({ forMs: 100 });
    expect(keysOf(sim.proc('127.0.0.1:6379').instance as RedisServer)).toHaveLength(4);
    expect(() => resolveConfigFiles(fromConfigFiles({ servers: ['m.conf'], sentinels: [{ path: 's.conf', rdb: 'backups/today.rdb' }] }), reader(files))).toThrow(/for a server, not a Sentinel/);
  });

  it('a truncated, corrupt or missing RDB file is refused before the run: file, offset, expected', () => {
    const good = userRdb();
    const cases: [Uint8Array, RegExp][] = [
      [good.slice(0, 40), /^cut\.rdb: Bad RDB file \(40 bytes\) at offset \d+: expected .+/],
      [good.slice(0, good.length - 3), /at offset \d+: expected the 8-byte CRC64 checksum after EOF/],
      [(() => {
        // "ada" → "adb": still a well-formed file, but not the one the checksum was computed over
        const b = good.slice();
        const at = Buffer.from(b).indexOf('ada');
        b[at + 2] = 0x62;
        return b;
      })(), /expected a CRC64 checksum matching the file \(Wrong RDB checksum\)/],
      [new TextEncoder().encode('REDIS0011xxxx'), /at offset 5: expected an RDB format version from 1 to 10/],
      [new TextEncoder().encode('hello world'), /at offset 0: expected the magic string "REDIS"/],
    ];
    for (const [bytes, re] of cases) {
      const files = { 'm.conf': 'port 6379\n', 'cut.rdb': bytes };
      expect(() => resolveConfigFiles(fromConfigFiles({ servers: [{ path: 'm.conf', rdb: 'cut.rdb' }] }), reader(files))).toThrow(re);
    }
    expect(() => resolveConfigFiles(fromConfigFiles({ servers: [{ path: 'm.conf', rdb: 'none.rdb' }] }), reader({ 'm.conf': 'port 6379\n' }))).toThrow(
      "none.rdb: Fatal error, can't open RDB file '/scen/none.rdb': No such file or directory",
    );
  });

  it('a corrupt dump.rdb on the simulated disk stops the server at boot, nothing loaded', () => {
    const w = world({ configText: 'port 6379\nsave ""\nappendonly no\n' });
    w.client().cmd('set', 'k', 'v');
    w.sim.kill(w.name);
    const good = userRdb();
    w.sim.host('srv').disk.write('/etc/dump.rdb', rdbFileFromBytes(good.slice(0, 60)));
    w.sim.restart(w.name);
    const logs = w.logs();
    expect(logs.some((l) => /^Internal error in RDB reading offset \d+, function at rdb\.c -> \/etc\/dump\.rdb: expected /.test(l))).toBe(true);
    expect(logs).toContain('Terminating server after rdb file reading failure.');
    expect(logs.filter((l) => l === 'Ready to accept connections')).toHaveLength(1); // the first boot's only
    expect(w.sim.proc(w.name).state).not.toBe('running');
    // the file is untouched: fixing nothing, a restart fails the same way
    expect((w.sim.host('srv').disk.read('/etc/dump.rdb') as { size: number }).size).toBe(60);
    void js;
  });
});
