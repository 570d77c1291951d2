// main() of redis-server 7.0.15: config, the startup log lines, loading AOF or RDB, then the cron.
import { Keyspace } from '../keyspace/keyspace.ts';
import { NOTIFY_EXPIRED, NOTIFY_NEW, notifyServer } from '../keyspace/notify-events.ts';
import { isRdbFile, joinPath, loadRdb, rdbFileFromBytes, RdbLoadError } from '../persistence/rdb.ts';
import { processCommandFromAof } from './aof-client.ts';
import { loadServerConf } from './conf-impl.ts';
import { configureEvictionFor } from './admin.ts';
import { startCron } from './cron.ts';
import { expiredKeyFreed } from './expire-latency.ts';
import { initAcl, loadAclUsers } from './acl-host.ts';
import type { RedisServer } from './server.ts';
import { WatchRegistry } from './watch.ts';

const OVERCOMMIT_WARNING =
  "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it can can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.";

export function bootServer(s: RedisServer): void {
  const ctx = s.ctx;
  const loaded = loadServerConf(s);
  if (!loaded.ok) {
    ctx.log('#', loaded.fatal);
    ctx.exit(1, 'config error');
    return;
  }
  s.conf = loaded.conf;
  initAcl(s);
  const conf = s.conf;
  s.startMs = s.mstime();
  s.saver.lastsave = Math.floor(s.startMs / 1000);
  const replicaof = conf.get('replicaof').trim();
  if (replicaof !== '') {
    const [host, port] = replicaof.split(/\s+/);
    s.repl.role = 'replica';
    s.repl.masterHost = host ?? '';
    s.repl.masterPort = Number(port ?? 0);
  }
  s.ks = new Keyspace(Math.max(1, conf.int('databases') || 16), {
    now: () => s.mstime(),
    expiredLooksAbsentOnly: () => s.repl.isReplica && s.currentClient?.kind !== 'master',
    applyingMasterStream: () => s.loading || (s.repl.isReplica && s.currentClient?.kind === 'master'),
    pausedExpiry: () => s.pause.checkTimeout(),
    onExpired: (db, key, value) => {
      if (value) expiredKeyFreed(s, value);
      s.propagator.also(db, ['DEL', key]);
      notifyServer(s, NOTIFY_EXPIRED, 'expired', key, db);
    },
    onAdded: (db, key) => notifyServer(s, NOTIFY_NEW, 'new', key, db),
    onTouched: (db, key) => s.touched(db, key, null),
    onFlushed: () => s.tracking.onFlush(),
    onDbReplaced: (emptied, replacedWith) => {
      s.watch.dbReplaced(emptied, replacedWith);
      s.blocks.deletedStreams(emptied, replacedWith, (db, key) => s.ks.db(db).peek(key)?.type === 'stream');
    },
    onReady: (db, key) => s.blocks.signal(db, key),
  });
  s.watch = new WatchRegistry(s.ks);
  configureEvictionFor(s);
  s.replication = s.opts.replication(s);
  s.scripting = s.opts.scripting(s);
  for (const ext of s.extensions) ext(s);

  ctx.log('#', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  ctx.log('#', `Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=${ctx.slot.pid}, just started`);
  if (conf.configFile === '')
    ctx.log(
      '#',
      'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
    );
  else ctx.log('#', 'Configuration loaded');
  s.setInitialised();
  s.log('*', 'monotonic clock: POSIX clock_gettime');
  s.log('*', `Running mode=standalone, port=${conf.int('port')}.`);
  s.log('#', 'Server initialized');
  s.log('#', OVERCOMMIT_WARNING);
  if (!loadAclUsers(s)) {
    ctx.exit(1, 'ACL error');
    return;
  }
  if (!loadDataFromDisk(s)) {
    ctx.exit(1, 'rdb load error');
    return;
  }
  s.replication.afterLoad();
  s.aof.openOnStart();
  s.log('*', 'Ready to accept connections');
  const maxmemory = s.maxmemoryBytes();
  if (maxmemory > 0 && maxmemory < 1024 * 1024)
    s.log(
      '#',
      `WARNING: You specified a maxmemory value that is less than 1MB (current value is ${maxmemory} bytes). Are you sure this is what you really want?`,
    );
  startCron(s);
  for (const h of s.readyHooks) h();
}

/**
 * loadDataFromDisk: the AOF when appendonly is on, else the RDB file; nothing found → empty. False
 * when the RDB is truncated or corrupt (rdbReportError: the offset and what was expected, then exit).
 */
function loadDataFromDisk(s: RedisServer): boolean {
  const isMaster = !s.repl.isReplica;
  s.loading = true;
  s.propagator.loading = true;
  try {
    s.aof.policy = s.conf.get('appendfsync') as typeof s.aof.policy;
    if (s.conf.bool('appendonly')) {
      s.aof.state = 'on';
      const aofClient = s.createPseudoClient('aof');
      const found = s.aof.load(
        (f) => {
          const r = loadRdb(f, s.ks, { nowMs: s.mstime(), isMaster, log: (l) => s.log('*', l) });
          s.loadFunctionCodes(r.functions, false);
          s.rdbLoadStats = { loaded: r.loaded, expired: r.expired };
        },
        (argv) => processCommandFromAof(s, aofClient, argv),
      );
      s.dropPseudoClient(aofClient);
      if (found) s.log('*', 'DB loaded from append only file: 0.000 seconds');
    } else {
      const path = joinPath(s.conf.get('dir'), s.conf.get('dbfilename'));
      // a user's dump.rdb given to the scenario / serve lands where this server looks for it
      if (s.opts.rdb && !s.ctx.host.disk.exists(path)) s.ctx.host.disk.write(path, rdbFileFromBytes(s.opts.rdb));
      const f = s.ctx.host.disk.read(path);
      if (isRdbFile(f)) {
        const r = loadRdb(f, s.ks, { nowMs: s.mstime(), isMaster, log: (l) => s.log('*', l), warn: (l) => s.log('#', l), path });
        s.loadFunctionCodes(r.functions, false);
        s.rdbLoadStats = { loaded: r.loaded, expired: r.expired };
        s.log('*', 'DB loaded from disk: 0.000 seconds');
        s.rdbLoadedAux = r.aux;
      }
    }
  } catch (e) {
    if (!(e instanceof RdbLoadError)) throw e;
    s.log('#', `Internal error in RDB reading offset ${e.offset}, function at rdb.c -> ${e.path}: expected ${e.expected}`);
    s.log('#', 'Terminating server after rdb file reading failure.');
    return false;
  } finally {
    s.loading = false;
    s.propagator.loading = false;
    s.propagator.discard();
  }
  return true;
}
