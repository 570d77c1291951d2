// `serve` and users' RDB files: a server whose redis.conf names a dump.rdb (dir + dbfilename, a relative
// dir taken from the config file's folder) that exists on the real disk starts from it, and every RDB
// the simulated server writes there (SAVE, BGSAVE, shutdown, a replica's full sync) is written back to
// that real file, as redis-server would. Node only.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseRedisConf } from '../../engine/redis/config/index.ts';
import { RdbFormatError } from '../../engine/redis/persistence/rdb/bytes.ts';
import { parseRdb } from '../../engine/redis/persistence/rdb/file.ts';
import { isRdbFile, joinPath } from '../../engine/redis/persistence/rdb.ts';
import type { RedisServer } from '../../engine/redis/server/index.ts';
import type { Simulation } from '../../engine/sim/simulation.ts';
import { CliError } from '../errors.ts';

const CWD_MARK = '/__conf_dir__';

/** The real path of the RDB file a redis.conf names (relative dir: from the config file's folder). */
export function rdbPathOfConf(confFile: string, text: string): string {
  const cfg = parseRedisConf(text, { path: confFile, cwd: CWD_MARK });
  const dir = String(cfg.get('dir') ?? CWD_MARK);
  const real = dir.startsWith(CWD_MARK) ? resolve(dirname(resolve(confFile)), `.${dir.slice(CWD_MARK.length)}`) : dir;
  return resolve(real, String(cfg.get('dbfilename') ?? 'dump.rdb'));
}

/** The file's bytes when it exists, checked: a truncated or corrupt file is a CliError naming file, offset, expected. */
export function readUserRdb(path: string): Uint8Array | null {
  if (!existsSync(path)) return null;
  const bytes = new Uint8Array(readFileSync(path));
  try {
    parseRdb(bytes);
  } catch (e) {
    if (e instanceof RdbFormatError) throw new CliError(`bad RDB file '${path}' (${bytes.length} bytes) at offset ${e.offset}: expected ${e.expected}`, 2);
    throw e;
  }
  return bytes;
}

/** Write the RDB files a node saves on its simulated disk back to `realPath` (atomically, as rdbSave renames a temp file). */
export function mirrorRdbWrites(sim: Simulation, nodeName: string, realPath: string, onWrite?: (bytes: number) => void): void {
  const slot = sim.proc(nodeName);
  const disk = slot.host.disk;
  const write = disk.write.bind(disk);
  disk.write = (path: string, value: unknown): void => {
    write(path, value);
    const s = slot.instance as RedisServer | null;
    if (!s?.conf || !isRdbFile(value)) return;
    if (path !== joinPath(s.conf.get('dir'), s.conf.get('dbfilename'))) return;
    const tmp = `${realPath}.sentinel-sim-${process.pid}.tmp`;
    writeFileSync(tmp, value.bytes);
    renameSync(tmp, realPath);
    onWrite?.(value.size);
  };
}
