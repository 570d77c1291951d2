// serve and users' RDB files (bin/gateway/rdb-files.ts): the path a redis.conf names, a checked load,
// and every save of the simulated server written back to the real file as RDB bytes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRdb } from '../../engine/redis/persistence/rdb/file.ts';
import { mirrorRdbWrites, rdbPathOfConf, readUserRdb } from '../../bin/gateway/rdb-files.ts';
import { js, world } from '../redis/server/client.ts';

describe('serve: a server RDB file on the real disk', () => {
  it('the path: dir + dbfilename, a relative dir from the config file folder, an absolute one as is', () => {
    expect(rdbPathOfConf('/srv/prod/redis.conf', 'port 7000\n')).toBe('/srv/prod/dump.rdb');
    expect(rdbPathOfConf('/srv/prod/redis.conf', 'dir ./data\ndbfilename snap.rdb\n')).toBe('/srv/prod/data/snap.rdb');
    expect(rdbPathOfConf('/srv/prod/redis.conf', 'dir /var/lib/redis\n')).toBe('/var/lib/redis/dump.rdb');
  });

  it('saves are written back; a truncated file is refused with file, offset and what was expected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-rdb-'));
    const real = join(dir, 'dump.rdb');
    expect(readUserRdb(real)).toBeNull();
    const w = world({ configText: 'port 6379\nsave ""\nappendonly no\n' });
    mirrorRdbWrites(w.sim, w.name, real);
    const c = w.client();
    c.cmd('rpush', 'l', 'a', 'b');
    c.cmd('set', 's', 'x'.repeat(200));
    expect(js(c.cmd('save'))).toBe('OK');
    const bytes = readUserRdb(real)!;
    const parsed = parseRdb(bytes);
    expect(parsed.dbs[0]!.keys.map((k) => k.key).sort()).toEqual(['l', 's']);
    expect(parsed.aux.find(([k]) => k === 'redis-ver')![1]).toBe('7.0.15');
    // BGSAVE too, once its child is done
    c.cmd('del', 'l');
    expect(js(c.cmd('bgsave'))).toBe('Background saving started');
    w.sim.sleep(1000);
    expect(parseRdb(readUserRdb(real)!).dbs[0]!.keys.map((k) => k.key)).toEqual(['s']);
    writeFileSync(real, readFileSync(real).subarray(0, 30));
    expect(() => readUserRdb(real)).toThrow(new RegExp(`^bad RDB file '${real}' \\(30 bytes\\) at offset \\d+: expected `));
  });
});
