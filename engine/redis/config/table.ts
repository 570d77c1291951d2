/**
 * Every redis.conf parameter of Redis 7.0.15 (as built by Debian, with TLS), in the
 * order of Redis's own table: name, old alias, flags, kind, bounds and default.
 * The order is also the order in which CONFIG REWRITE appends new lines.
 */
import { INT_MAX, INT_MIN, LLONG_MAX, UINT_MAX, ULLONG_MAX } from './cnum.ts';
import {
  DENY_LOADING,
  HIDDEN,
  IMMUTABLE,
  MULTI_ARG,
  PROTECTED,
  SENSITIVE,
  VOLATILE,
  type BoolSpec,
  type ConfigSpec,
  type CType,
  type EnumSpec,
  type EnumValues,
  type NumericSpec,
  type NumFormat,
  type SpecialSpec,
  type StringSpec,
  type StringValidator,
} from './types.ts';
import {
  validActiveDefrag,
  validAnnouncedHostname,
  validAofDirname,
  validAofFilename,
  validDbFilename,
  validProcTitleTemplate,
  validShutdownFlags,
} from './validators.ts';

const LONG_MAX = LLONG_MAX;
const SSIZE_MAX = LLONG_MAX;
const MB = 1024n * 1024n;

export const MAXMEMORY_POLICY_ENUM: EnumValues = [
  ['volatile-lru', 0], ['volatile-lfu', 1], ['volatile-random', 2], ['volatile-ttl', 3],
  ['allkeys-lru', 4], ['allkeys-lfu', 5], ['allkeys-random', 6], ['noeviction', 7],
];
const SYSLOG_FACILITY_ENUM: EnumValues = [
  ['user', 8], ['local0', 128], ['local1', 136], ['local2', 144], ['local3', 152],
  ['local4', 160], ['local5', 168], ['local6', 176], ['local7', 184],
];
export const LOGLEVEL_ENUM: EnumValues = [['debug', 0], ['verbose', 1], ['notice', 2], ['warning', 3]];
const SUPERVISED_ENUM: EnumValues = [['upstart', 1], ['systemd', 2], ['auto', 3], ['no', 0]];
export const APPENDFSYNC_ENUM: EnumValues = [['everysec', 2], ['always', 1], ['no', 0]];
const SHUTDOWN_ENUM: EnumValues = [['default', 0], ['save', 1], ['nosave', 2], ['now', 4], ['force', 8]];
export const REPL_DISKLESS_LOAD_ENUM: EnumValues = [['disabled', 0], ['on-empty-db', 1], ['swapdb', 2]];
const TLS_AUTH_CLIENTS_ENUM: EnumValues = [['no', 0], ['yes', 1], ['optional', 2]];
const OOM_SCORE_ADJ_ENUM: EnumValues = [['no', 0], ['yes', 1], ['relative', 1], ['absolute', 2]];
const ACL_PUBSUB_DEFAULT_ENUM: EnumValues = [['allchannels', 1], ['resetchannels', 0]];
const SANITIZE_DUMP_ENUM: EnumValues = [['no', 0], ['yes', 1], ['clients', 2]];
export const PROTECTED_ACTION_ENUM: EnumValues = [['no', 0], ['yes', 1], ['local', 2]];
const ENDPOINT_TYPE_ENUM: EnumValues = [['ip', 0], ['hostname', 1], ['unknown-endpoint', 2]];
const PROPAGATION_ERROR_ENUM: EnumValues = [['ignore', 0], ['panic', 1], ['panic-on-replicas', 2]];

function bool(
  name: string,
  def: boolean,
  flags = 0,
  alias?: string,
  validate?: (v: boolean) => string | null,
): BoolSpec {
  return { kind: 'bool', name, def, flags, ...(alias ? { alias } : {}), ...(validate ? { validate } : {}) };
}

function str(
  name: string,
  def: string | null,
  emptyIsNull: boolean,
  flags = 0,
  extra: { alias?: string; validate?: StringValidator } = {},
): StringSpec {
  return { kind: 'string', name, def, emptyIsNull, flags, ...extra };
}

function enm(
  name: string,
  values: EnumValues,
  def: number,
  flags = 0,
  validate?: (v: number) => string | null,
): EnumSpec {
  return { kind: 'enum', name, values, def, flags, ...(validate ? { validate } : {}) };
}

function num(
  name: string,
  ctype: CType,
  lo: bigint,
  hi: bigint,
  def: bigint,
  format: NumFormat = 'int',
  flags = 0,
  alias?: string,
): NumericSpec {
  return { kind: 'numeric', name, ctype, lo, hi, def, format, flags, ...(alias ? { alias } : {}) };
}

function special(name: string, flags: number, alias?: string): SpecialSpec {
  return { kind: 'special', name, flags, ...(alias ? { alias } : {}) };
}

export const CONFIG_TABLE: readonly ConfigSpec[] = [
  bool('rdbchecksum', true, IMMUTABLE),
  bool('daemonize', false, IMMUTABLE),
  bool('io-threads-do-reads', false, IMMUTABLE),
  bool('always-show-logo', false, IMMUTABLE),
  bool('protected-mode', true),
  bool('rdbcompression', true),
  bool('rdb-del-sync-files', false),
  bool('activerehashing', true),
  bool('stop-writes-on-bgsave-error', true),
  bool('set-proc-title', true, IMMUTABLE),
  bool('dynamic-hz', true),
  bool('lazyfree-lazy-eviction', false),
  bool('lazyfree-lazy-expire', false),
  bool('lazyfree-lazy-server-del', false),
  bool('lazyfree-lazy-user-del', false),
  bool('lazyfree-lazy-user-flush', false),
  bool('repl-disable-tcp-nodelay', false),
  bool('repl-diskless-sync', true),
  bool('aof-rewrite-incremental-fsync', true),
  bool('no-appendfsync-on-rewrite', false),
  bool('cluster-require-full-coverage', true),
  bool('rdb-save-incremental-fsync', true),
  bool('aof-load-truncated', true),
  bool('aof-use-rdb-preamble', true),
  bool('aof-timestamp-enabled', false),
  bool('cluster-replica-no-failover', false, 0, 'cluster-slave-no-failover'),
  bool('replica-lazy-flush', false, 0, 'slave-lazy-flush'),
  bool('replica-serve-stale-data', true, 0, 'slave-serve-stale-data'),
  bool('replica-read-only', true, 0, 'slave-read-only'),
  bool('replica-ignore-maxmemory', true, 0, 'slave-ignore-maxmemory'),
  bool('jemalloc-bg-thread', true),
  bool('activedefrag', false, 0, undefined, validActiveDefrag),
  bool('syslog-enabled', false, IMMUTABLE),
  bool('cluster-enabled', false, IMMUTABLE),
  bool('appendonly', false, DENY_LOADING),
  bool('cluster-allow-reads-when-down', false),
  bool('cluster-allow-pubsubshard-when-down', true),
  bool('crash-log-enabled', true),
  bool('crash-memcheck-enabled', true),
  bool('use-exit-on-panic', false, HIDDEN),
  bool('disable-thp', true, IMMUTABLE),
  bool('cluster-allow-replica-migration', true),
  bool('replica-announced', true),
  bool('latency-tracking', true),
  bool('aof-disable-auto-gc', false),
  bool('replica-ignore-disk-write-errors', false),

  str('aclfile', '', false, IMMUTABLE),
  str('unixsocket', null, true, IMMUTABLE),
  str('pidfile', null, true, IMMUTABLE),
  str('replica-announce-ip', null, true, 0, { alias: 'slave-announce-ip' }),
  str('masteruser', null, true, SENSITIVE),
  str('cluster-announce-ip', null, true),
  str('cluster-config-file', 'nodes.conf', false, IMMUTABLE),
  str('cluster-announce-hostname', null, true, 0, { validate: validAnnouncedHostname }),
  str('syslog-ident', 'redis', false, IMMUTABLE),
  str('dbfilename', 'dump.rdb', false, PROTECTED, { validate: validDbFilename }),
  str('appendfilename', 'appendonly.aof', false, IMMUTABLE, { validate: validAofFilename }),
  str('appenddirname', 'appendonlydir', false, IMMUTABLE, { validate: validAofDirname }),
  str('server_cpulist', null, true, IMMUTABLE),
  str('bio_cpulist', null, true, IMMUTABLE),
  str('aof_rewrite_cpulist', null, true, IMMUTABLE),
  str('bgsave_cpulist', null, true, IMMUTABLE),
  str('ignore-warnings', '', false),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', false, 0, { validate: validProcTitleTemplate }),
  str('bind-source-addr', null, true),
  str('logfile', '', false, IMMUTABLE),
  str('masterauth', null, true, SENSITIVE),
  str('requirepass', null, true, SENSITIVE),

  enm('supervised', SUPERVISED_ENUM, 0, IMMUTABLE),
  enm('syslog-facility', SYSLOG_FACILITY_ENUM, 128, IMMUTABLE),
  enm('repl-diskless-load', REPL_DISKLESS_LOAD_ENUM, 0, DENY_LOADING),
  enm('loglevel', LOGLEVEL_ENUM, 2),
  enm('maxmemory-policy', MAXMEMORY_POLICY_ENUM, 7),
  enm('appendfsync', APPENDFSYNC_ENUM, 2),
  enm('oom-score-adj', OOM_SCORE_ADJ_ENUM, 0),
  enm('acl-pubsub-default', ACL_PUBSUB_DEFAULT_ENUM, 0),
  enm('sanitize-dump-payload', SANITIZE_DUMP_ENUM, 0),
  enm('enable-protected-configs', PROTECTED_ACTION_ENUM, 0, IMMUTABLE),
  enm('enable-debug-command', PROTECTED_ACTION_ENUM, 0, IMMUTABLE),
  enm('enable-module-command', PROTECTED_ACTION_ENUM, 0, IMMUTABLE),
  enm('cluster-preferred-endpoint-type', ENDPOINT_TYPE_ENUM, 0),
  enm('propagation-error-behavior', PROPAGATION_ERROR_ENUM, 0),
  enm('shutdown-on-sigint', SHUTDOWN_ENUM, 0, MULTI_ARG, validShutdownFlags),
  enm('shutdown-on-sigterm', SHUTDOWN_ENUM, 0, MULTI_ARG, validShutdownFlags),

  num('databases', 'int', 1n, INT_MAX, 16n, 'int', IMMUTABLE),
  num('port', 'int', 0n, 65535n, 6379n),
  num('io-threads', 'int', 1n, 128n, 1n, 'int', IMMUTABLE),
  num('auto-aof-rewrite-percentage', 'int', 0n, INT_MAX, 100n),
  num('cluster-replica-validity-factor', 'int', 0n, INT_MAX, 10n, 'int', 0, 'cluster-slave-validity-factor'),
  num('list-max-listpack-size', 'int', INT_MIN, INT_MAX, -2n, 'int', 0, 'list-max-ziplist-size'),
  num('tcp-keepalive', 'int', 0n, INT_MAX, 300n),
  num('cluster-migration-barrier', 'int', 0n, INT_MAX, 1n),
  num('active-defrag-cycle-min', 'int', 1n, 99n, 1n),
  num('active-defrag-cycle-max', 'int', 1n, 99n, 25n),
  num('active-defrag-threshold-lower', 'int', 0n, 1000n, 10n),
  num('active-defrag-threshold-upper', 'int', 0n, 1000n, 100n),
  num('lfu-log-factor', 'int', 0n, INT_MAX, 10n),
  num('lfu-decay-time', 'int', 0n, INT_MAX, 1n),
  num('replica-priority', 'int', 0n, INT_MAX, 100n, 'int', 0, 'slave-priority'),
  num('repl-diskless-sync-delay', 'int', 0n, INT_MAX, 5n),
  num('maxmemory-samples', 'int', 1n, INT_MAX, 5n),
  num('maxmemory-eviction-tenacity', 'int', 0n, 100n, 10n),
  num('timeout', 'int', 0n, INT_MAX, 0n),
  num('replica-announce-port', 'int', 0n, 65535n, 0n, 'int', 0, 'slave-announce-port'),
  num('tcp-backlog', 'int', 0n, INT_MAX, 511n, 'int', IMMUTABLE),
  num('cluster-port', 'int', 0n, 65535n, 0n, 'int', IMMUTABLE),
  num('cluster-announce-bus-port', 'int', 0n, 65535n, 0n),
  num('cluster-announce-port', 'int', 0n, 65535n, 0n),
  num('cluster-announce-tls-port', 'int', 0n, 65535n, 0n),
  num('repl-timeout', 'int', 1n, INT_MAX, 60n),
  num('repl-ping-replica-period', 'int', 1n, INT_MAX, 10n, 'int', 0, 'repl-ping-slave-period'),
  num('list-compress-depth', 'int', 0n, INT_MAX, 0n),
  num('rdb-key-save-delay', 'int', INT_MIN, INT_MAX, 0n, 'int', HIDDEN),
  num('key-load-delay', 'int', INT_MIN, INT_MAX, 0n, 'int', HIDDEN),
  num('active-expire-effort', 'int', 1n, 10n, 1n),
  num('hz', 'int', 0n, INT_MAX, 10n),
  num('min-replicas-to-write', 'int', 0n, INT_MAX, 0n, 'int', 0, 'min-slaves-to-write'),
  num('min-replicas-max-lag', 'int', 0n, INT_MAX, 10n, 'int', 0, 'min-slaves-max-lag'),
  num('watchdog-period', 'int', 0n, INT_MAX, 0n, 'int', HIDDEN),
  num('shutdown-timeout', 'int', 0n, INT_MAX, 10n),
  num('repl-diskless-sync-max-replicas', 'int', 0n, INT_MAX, 0n),
  num('maxclients', 'uint', 1n, UINT_MAX, 10000n),
  num('unixsocketperm', 'uint', 0n, 0o777n, 0n, 'octal', IMMUTABLE),
  num('socket-mark-id', 'uint', 0n, UINT_MAX, 0n, 'int', IMMUTABLE),
  num('active-defrag-max-scan-fields', 'ulong', 1n, LONG_MAX, 1000n),
  num('slowlog-max-len', 'ulong', 0n, LONG_MAX, 128n),
  num('acllog-max-len', 'ulong', 0n, LONG_MAX, 128n),
  num('busy-reply-threshold', 'll', 0n, LONG_MAX, 5000n, 'int', 0, 'lua-time-limit'),
  num('cluster-node-timeout', 'll', 0n, LLONG_MAX, 15000n),
  num('slowlog-log-slower-than', 'll', -1n, LLONG_MAX, 10000n),
  num('latency-monitor-threshold', 'll', 0n, LLONG_MAX, 0n),
  num('proto-max-bulk-len', 'll', MB, LONG_MAX, 512n * MB, 'mem'),
  num('stream-node-max-entries', 'll', 0n, LLONG_MAX, 100n),
  num('repl-backlog-size', 'll', 1n, LLONG_MAX, MB, 'mem'),
  num('maxmemory', 'ull', 0n, ULLONG_MAX, 0n, 'mem'),
  num('cluster-link-sendbuf-limit', 'ull', 0n, ULLONG_MAX, 0n, 'mem'),
  num('hash-max-listpack-entries', 'size_t', 0n, LONG_MAX, 512n, 'int', 0, 'hash-max-ziplist-entries'),
  num('set-max-intset-entries', 'size_t', 0n, LONG_MAX, 512n),
  num('zset-max-listpack-entries', 'size_t', 0n, LONG_MAX, 128n, 'int', 0, 'zset-max-ziplist-entries'),
  num('active-defrag-ignore-bytes', 'size_t', 1n, LLONG_MAX, 100n * MB, 'mem'),
  num('hash-max-listpack-value', 'size_t', 0n, LONG_MAX, 64n, 'mem', 0, 'hash-max-ziplist-value'),
  num('stream-node-max-bytes', 'size_t', 0n, LONG_MAX, 4096n, 'mem'),
  num('zset-max-listpack-value', 'size_t', 0n, LONG_MAX, 64n, 'mem', 0, 'zset-max-ziplist-value'),
  num('hll-sparse-max-bytes', 'size_t', 0n, LONG_MAX, 3000n, 'mem'),
  num('tracking-table-max-keys', 'size_t', 0n, LONG_MAX, 1000000n),
  num('client-query-buffer-limit', 'size_t', MB, LONG_MAX, 1024n * MB, 'mem'),
  num('maxmemory-clients', 'ssize_t', -100n, SSIZE_MAX, 0n, 'mempct'),
  num('repl-backlog-ttl', 'time_t', 0n, LONG_MAX, 3600n),
  num('auto-aof-rewrite-min-size', 'off_t', 0n, LLONG_MAX, 64n * MB, 'mem'),
  num('loading-process-events-interval-bytes', 'off_t', 1024n, INT_MAX, 2n * MB, 'int', HIDDEN),

  num('tls-port', 'int', 0n, 65535n, 0n),
  num('tls-session-cache-size', 'int', 0n, INT_MAX, 20480n),
  num('tls-session-cache-timeout', 'int', 0n, INT_MAX, 300n),
  bool('tls-cluster', false),
  bool('tls-replication', false),
  enm('tls-auth-clients', TLS_AUTH_CLIENTS_ENUM, 1),
  bool('tls-prefer-server-ciphers', false),
  bool('tls-session-caching', true),
  str('tls-cert-file', null, true, VOLATILE),
  str('tls-key-file', null, true, VOLATILE),
  str('tls-key-file-pass', null, true),
  str('tls-client-cert-file', null, true, VOLATILE),
  str('tls-client-key-file', null, true, VOLATILE),
  str('tls-client-key-file-pass', null, true),
  str('tls-dh-params-file', null, true, VOLATILE),
  str('tls-ca-cert-file', null, true, VOLATILE),
  str('tls-ca-cert-dir', null, true, VOLATILE),
  str('tls-protocols', null, true),
  str('tls-ciphers', null, true),
  str('tls-ciphersuites', null, true),

  special('dir', PROTECTED | DENY_LOADING),
  special('save', MULTI_ARG),
  special('client-output-buffer-limit', MULTI_ARG),
  special('oom-score-adj-values', MULTI_ARG),
  special('notify-keyspace-events', 0),
  special('bind', MULTI_ARG),
  special('replicaof', IMMUTABLE | MULTI_ARG, 'slaveof'),
  special('latency-tracking-info-percentiles', MULTI_ARG),
];

/** A name as CONFIG GET / CONFIG SET / the file know it: the spec and whether it is the alias. */
export interface ConfigEntry {
  /** The name of this entry (canonical or alias). */
  readonly key: string;
  readonly spec: ConfigSpec;
  readonly isAlias: boolean;
}

/** Every name (canonical names and aliases), in table order, each alias after its name. */
export const CONFIG_ENTRIES: readonly ConfigEntry[] = CONFIG_TABLE.flatMap((spec) => {
  const own: ConfigEntry = { key: spec.name, spec, isAlias: false };
  return spec.alias ? [own, { key: spec.alias, spec, isAlias: true }] : [own];
});

const BY_NAME = new Map<string, ConfigEntry>(CONFIG_ENTRIES.map((e) => [e.key, e]));

/** Find a parameter by canonical name or alias, case-insensitively. */
export function lookupConfig(name: string): ConfigEntry | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Directives Redis 7.0 still accepts (and ignores) with the given argument counts. */
export const DEPRECATED_DIRECTIVES: readonly { name: string; argcMin: number; argcMax: number }[] = [
  { name: 'list-max-ziplist-entries', argcMin: 2, argcMax: 2 },
  { name: 'list-max-ziplist-value', argcMin: 2, argcMax: 2 },
  { name: 'lua-replicate-commands', argcMin: 2, argcMax: 2 },
];
