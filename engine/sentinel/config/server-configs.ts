/**
 * The standard (table-driven) server configuration directives of Redis 7.0.15: the names
 * a config file may use besides `sentinel`, `user`, `include`, `rename-command`,
 * `loadmodule` and module options. Facts only (name, alias, value kind, bounds); the
 * behaviour lives in server-directives.ts.
 *
 * TLS directives are listed with `tls: true`: they exist only in builds with TLS support.
 */

export type ConfigKind =
  | 'bool' // yes/no
  | 'str' // string, empty allowed
  | 'strnull' // string, empty means "unset"
  | 'enum'
  | 'int' // plain integer
  | 'mem' // memory value (1gb, 100mb, 5k ...)
  | 'mempct' // memory value or percentage (n%)
  | 'octal'
  | 'special'; // own syntax (dir, save, bind, ...)

/** [name, value] pairs; the first name of a value is the one written back. */
export type EnumValues = readonly (readonly [string, number])[];

export interface StandardConfigSpec {
  readonly name: string;
  readonly kind: ConfigKind;
  readonly alias?: string;
  readonly multi?: boolean;
  readonly tls?: boolean;
  readonly enumValues?: EnumValues;
  readonly lo?: bigint;
  readonly hi?: bigint;
  /** Bounds are checked on the value taken as unsigned (C unsigned types). */
  readonly unsigned?: boolean;
}

const INT_MAX = 2147483647n;
const INT_MIN = -2147483648n;
const UINT_MAX = 4294967295n;
const INT64_MAX = 9223372036854775807n;
const UINT64_MAX = 18446744073709551615n;

const SUPERVISED_MODE_ENUM: EnumValues = [['upstart', 1], ['systemd', 2], ['auto', 3], ['no', 0]];
const SYSLOG_FACILITY_ENUM: EnumValues = [['user', 0], ['local0', 1], ['local1', 2], ['local2', 3], ['local3', 4], ['local4', 5], ['local5', 6], ['local6', 7], ['local7', 8]];
const LOGLEVEL_ENUM: EnumValues = [['debug', 0], ['verbose', 1], ['notice', 2], ['warning', 3]];
const MAXMEMORY_POLICY_ENUM: EnumValues = [['volatile-lru', 0], ['volatile-lfu', 1], ['volatile-random', 2], ['volatile-ttl', 3], ['allkeys-lru', 4], ['allkeys-lfu', 5], ['allkeys-random', 6], ['noeviction', 7]];
const AOF_FSYNC_ENUM: EnumValues = [['everysec', 0], ['always', 1], ['no', 2]];
const SHUTDOWN_ON_SIG_ENUM: EnumValues = [['default', 0], ['save', 1], ['nosave', 2], ['now', 4], ['force', 8]];
const REPL_DISKLESS_LOAD_ENUM: EnumValues = [['disabled', 0], ['on-empty-db', 1], ['swapdb', 2]];
const TLS_AUTH_CLIENTS_ENUM: EnumValues = [['no', 0], ['yes', 1], ['optional', 2]];
const OOM_SCORE_ADJ_ENUM: EnumValues = [['no', 0], ['yes', 1], ['relative', 1], ['absolute', 2]];
const ACL_PUBSUB_DEFAULT_ENUM: EnumValues = [['allchannels', 1], ['resetchannels', 0]];
const SANITIZE_DUMP_PAYLOAD_ENUM: EnumValues = [['no', 0], ['yes', 1], ['clients', 2]];
const PROTECTED_ACTION_ENUM: EnumValues = [['no', 0], ['yes', 1], ['local', 2]];
const CLUSTER_PREFERRED_ENDPOINT_TYPE_ENUM: EnumValues = [['ip', 0], ['hostname', 1], ['unknown-endpoint', 2]];
const PROPAGATION_ERROR_BEHAVIOR_ENUM: EnumValues = [['ignore', 0], ['panic', 1], ['panic-on-replicas', 2]];

function c(
  name: string,
  kind: ConfigKind,
  opts: Omit<StandardConfigSpec, 'name' | 'kind'> = {},
): StandardConfigSpec {
  return { name, kind, ...opts };
}

export const STANDARD_CONFIGS: readonly StandardConfigSpec[] = [
  c('rdbchecksum', 'bool'),
  c('daemonize', 'bool'),
  c('io-threads-do-reads', 'bool'),
  c('always-show-logo', 'bool'),
  c('protected-mode', 'bool'),
  c('rdbcompression', 'bool'),
  c('rdb-del-sync-files', 'bool'),
  c('activerehashing', 'bool'),
  c('stop-writes-on-bgsave-error', 'bool'),
  c('set-proc-title', 'bool'),
  c('dynamic-hz', 'bool'),
  c('lazyfree-lazy-eviction', 'bool'),
  c('lazyfree-lazy-expire', 'bool'),
  c('lazyfree-lazy-server-del', 'bool'),
  c('lazyfree-lazy-user-del', 'bool'),
  c('lazyfree-lazy-user-flush', 'bool'),
  c('repl-disable-tcp-nodelay', 'bool'),
  c('repl-diskless-sync', 'bool'),
  c('aof-rewrite-incremental-fsync', 'bool'),
  c('no-appendfsync-on-rewrite', 'bool'),
  c('cluster-require-full-coverage', 'bool'),
  c('rdb-save-incremental-fsync', 'bool'),
  c('aof-load-truncated', 'bool'),
  c('aof-use-rdb-preamble', 'bool'),
  c('aof-timestamp-enabled', 'bool'),
  c('cluster-replica-no-failover', 'bool', { alias: 'cluster-slave-no-failover' }),
  c('replica-lazy-flush', 'bool', { alias: 'slave-lazy-flush' }),
  c('replica-serve-stale-data', 'bool', { alias: 'slave-serve-stale-data' }),
  c('replica-read-only', 'bool', { alias: 'slave-read-only' }),
  c('replica-ignore-maxmemory', 'bool', { alias: 'slave-ignore-maxmemory' }),
  c('jemalloc-bg-thread', 'bool'),
  c('activedefrag', 'bool'),
  c('syslog-enabled', 'bool'),
  c('cluster-enabled', 'bool'),
  c('appendonly', 'bool'),
  c('cluster-allow-reads-when-down', 'bool'),
  c('cluster-allow-pubsubshard-when-down', 'bool'),
  c('crash-log-enabled', 'bool'),
  c('crash-memcheck-enabled', 'bool'),
  c('use-exit-on-panic', 'bool'),
  c('disable-thp', 'bool'),
  c('cluster-allow-replica-migration', 'bool'),
  c('replica-announced', 'bool'),
  c('latency-tracking', 'bool'),
  c('aof-disable-auto-gc', 'bool'),
  c('replica-ignore-disk-write-errors', 'bool'),
  c('aclfile', 'str'),
  c('unixsocket', 'strnull'),
  c('pidfile', 'strnull'),
  c('replica-announce-ip', 'strnull', { alias: 'slave-announce-ip' }),
  c('masteruser', 'strnull'),
  c('cluster-announce-ip', 'strnull'),
  c('cluster-config-file', 'str'),
  c('cluster-announce-hostname', 'strnull'),
  c('syslog-ident', 'str'),
  c('dbfilename', 'str'),
  c('appendfilename', 'str'),
  c('appenddirname', 'str'),
  c('server_cpulist', 'strnull'),
  c('bio_cpulist', 'strnull'),
  c('aof_rewrite_cpulist', 'strnull'),
  c('bgsave_cpulist', 'strnull'),
  c('ignore-warnings', 'str'),
  c('proc-title-template', 'str'),
  c('bind-source-addr', 'strnull'),
  c('logfile', 'str'),
  c('masterauth', 'strnull'),
  c('requirepass', 'strnull'),
  c('supervised', 'enum', { enumValues: SUPERVISED_MODE_ENUM }),
  c('syslog-facility', 'enum', { enumValues: SYSLOG_FACILITY_ENUM }),
  c('repl-diskless-load', 'enum', { enumValues: REPL_DISKLESS_LOAD_ENUM }),
  c('loglevel', 'enum', { enumValues: LOGLEVEL_ENUM }),
  c('maxmemory-policy', 'enum', { enumValues: MAXMEMORY_POLICY_ENUM }),
  c('appendfsync', 'enum', { enumValues: AOF_FSYNC_ENUM }),
  c('oom-score-adj', 'enum', { enumValues: OOM_SCORE_ADJ_ENUM }),
  c('acl-pubsub-default', 'enum', { enumValues: ACL_PUBSUB_DEFAULT_ENUM }),
  c('sanitize-dump-payload', 'enum', { enumValues: SANITIZE_DUMP_PAYLOAD_ENUM }),
  c('enable-protected-configs', 'enum', { enumValues: PROTECTED_ACTION_ENUM }),
  c('enable-debug-command', 'enum', { enumValues: PROTECTED_ACTION_ENUM }),
  c('enable-module-command', 'enum', { enumValues: PROTECTED_ACTION_ENUM }),
  c('cluster-preferred-endpoint-type', 'enum', { enumValues: CLUSTER_PREFERRED_ENDPOINT_TYPE_ENUM }),
  c('propagation-error-behavior', 'enum', { enumValues: PROPAGATION_ERROR_BEHAVIOR_ENUM }),
  c('shutdown-on-sigint', 'enum', { multi: true, enumValues: SHUTDOWN_ON_SIG_ENUM }),
  c('shutdown-on-sigterm', 'enum', { multi: true, enumValues: SHUTDOWN_ON_SIG_ENUM }),
  c('databases', 'int', { lo: 1n, hi: INT_MAX }),
  c('port', 'int', { lo: 0n, hi: 65535n }),
  c('io-threads', 'int', { lo: 1n, hi: 128n }),
  c('auto-aof-rewrite-percentage', 'int', { lo: 0n, hi: INT_MAX }),
  c('cluster-replica-validity-factor', 'int', { alias: 'cluster-slave-validity-factor', lo: 0n, hi: INT_MAX }),
  c('list-max-listpack-size', 'int', { alias: 'list-max-ziplist-size', lo: INT_MIN, hi: INT_MAX }),
  c('tcp-keepalive', 'int', { lo: 0n, hi: INT_MAX }),
  c('cluster-migration-barrier', 'int', { lo: 0n, hi: INT_MAX }),
  c('active-defrag-cycle-min', 'int', { lo: 1n, hi: 99n }),
  c('active-defrag-cycle-max', 'int', { lo: 1n, hi: 99n }),
  c('active-defrag-threshold-lower', 'int', { lo: 0n, hi: 1000n }),
  c('active-defrag-threshold-upper', 'int', { lo: 0n, hi: 1000n }),
  c('lfu-log-factor', 'int', { lo: 0n, hi: INT_MAX }),
  c('lfu-decay-time', 'int', { lo: 0n, hi: INT_MAX }),
  c('replica-priority', 'int', { alias: 'slave-priority', lo: 0n, hi: INT_MAX }),
  c('repl-diskless-sync-delay', 'int', { lo: 0n, hi: INT_MAX }),
  c('maxmemory-samples', 'int', { lo: 1n, hi: INT_MAX }),
  c('maxmemory-eviction-tenacity', 'int', { lo: 0n, hi: 100n }),
  c('timeout', 'int', { lo: 0n, hi: INT_MAX }),
  c('replica-announce-port', 'int', { alias: 'slave-announce-port', lo: 0n, hi: 65535n }),
  c('tcp-backlog', 'int', { lo: 0n, hi: INT_MAX }),
  c('cluster-port', 'int', { lo: 0n, hi: 65535n }),
  c('cluster-announce-bus-port', 'int', { lo: 0n, hi: 65535n }),
  c('cluster-announce-port', 'int', { lo: 0n, hi: 65535n }),
  c('cluster-announce-tls-port', 'int', { lo: 0n, hi: 65535n }),
  c('repl-timeout', 'int', { lo: 1n, hi: INT_MAX }),
  c('repl-ping-replica-period', 'int', { alias: 'repl-ping-slave-period', lo: 1n, hi: INT_MAX }),
  c('list-compress-depth', 'int', { lo: 0n, hi: INT_MAX }),
  c('rdb-key-save-delay', 'int', { lo: INT_MIN, hi: INT_MAX }),
  c('key-load-delay', 'int', { lo: INT_MIN, hi: INT_MAX }),
  c('active-expire-effort', 'int', { lo: 1n, hi: 10n }),
  c('hz', 'int', { lo: 0n, hi: INT_MAX }),
  c('min-replicas-to-write', 'int', { alias: 'min-slaves-to-write', lo: 0n, hi: INT_MAX }),
  c('min-replicas-max-lag', 'int', { alias: 'min-slaves-max-lag', lo: 0n, hi: INT_MAX }),
  c('watchdog-period', 'int', { lo: 0n, hi: INT_MAX }),
  c('shutdown-timeout', 'int', { lo: 0n, hi: INT_MAX }),
  c('repl-diskless-sync-max-replicas', 'int', { lo: 0n, hi: INT_MAX }),
  c('maxclients', 'int', { lo: 1n, hi: UINT_MAX, unsigned: true }),
  c('unixsocketperm', 'octal', { lo: 0n, hi: 511n, unsigned: true }),
  c('socket-mark-id', 'int', { lo: 0n, hi: UINT_MAX, unsigned: true }),
  c('active-defrag-max-scan-fields', 'int', { lo: 1n, hi: INT64_MAX }),
  c('slowlog-max-len', 'int', { lo: 0n, hi: INT64_MAX }),
  c('acllog-max-len', 'int', { lo: 0n, hi: INT64_MAX }),
  c('busy-reply-threshold', 'int', { alias: 'lua-time-limit', lo: 0n, hi: INT64_MAX }),
  c('cluster-node-timeout', 'int', { lo: 0n, hi: INT64_MAX }),
  c('slowlog-log-slower-than', 'int', { lo: -1n, hi: INT64_MAX }),
  c('latency-monitor-threshold', 'int', { lo: 0n, hi: INT64_MAX }),
  c('proto-max-bulk-len', 'mem', { lo: 1048576n, hi: INT64_MAX }),
  c('stream-node-max-entries', 'int', { lo: 0n, hi: INT64_MAX }),
  c('repl-backlog-size', 'mem', { lo: 1n, hi: INT64_MAX }),
  c('maxmemory', 'mem', { lo: 0n, hi: UINT64_MAX, unsigned: true }),
  c('cluster-link-sendbuf-limit', 'mem', { lo: 0n, hi: UINT64_MAX, unsigned: true }),
  c('hash-max-listpack-entries', 'int', { alias: 'hash-max-ziplist-entries', lo: 0n, hi: INT64_MAX, unsigned: true }),
  c('set-max-intset-entries', 'int', { lo: 0n, hi: INT64_MAX, unsigned: true }),
  c('zset-max-listpack-entries', 'int', { alias: 'zset-max-ziplist-entries', lo: 0n, hi: INT64_MAX, unsigned: true }),
  c('active-defrag-ignore-bytes', 'mem', { lo: 1n, hi: INT64_MAX, unsigned: true }),
  c('hash-max-listpack-value', 'mem', { alias: 'hash-max-ziplist-value', lo: 0n, hi: INT64_MAX, unsigned: true }),
  c('stream-node-max-bytes', 'mem', { lo: 0n, hi: INT64_MAX, unsigned: true }),
  c('zset-max-listpack-value', 'mem', { alias: 'zset-max-ziplist-value', lo: 0n, hi: INT64_MAX, unsigned: true }),
  c('hll-sparse-max-bytes', 'mem', { lo: 0n, hi: INT64_MAX, unsigned: true }),
  c('tracking-table-max-keys', 'int', { lo: 0n, hi: INT64_MAX, unsigned: true }),
  c('client-query-buffer-limit', 'mem', { lo: 1048576n, hi: INT64_MAX, unsigned: true }),
  c('maxmemory-clients', 'mempct', { lo: -100n, hi: INT64_MAX }),
  c('repl-backlog-ttl', 'int', { lo: 0n, hi: INT64_MAX }),
  c('auto-aof-rewrite-min-size', 'mem', { lo: 0n, hi: INT64_MAX }),
  c('loading-process-events-interval-bytes', 'int', { lo: 1024n, hi: INT_MAX }),
  c('tls-port', 'int', { tls: true, lo: 0n, hi: 65535n }),
  c('tls-session-cache-size', 'int', { tls: true, lo: 0n, hi: INT_MAX }),
  c('tls-session-cache-timeout', 'int', { tls: true, lo: 0n, hi: INT_MAX }),
  c('tls-cluster', 'bool', { tls: true }),
  c('tls-replication', 'bool', { tls: true }),
  c('tls-auth-clients', 'enum', { tls: true, enumValues: TLS_AUTH_CLIENTS_ENUM }),
  c('tls-prefer-server-ciphers', 'bool', { tls: true }),
  c('tls-session-caching', 'bool', { tls: true }),
  c('tls-cert-file', 'strnull', { tls: true }),
  c('tls-key-file', 'strnull', { tls: true }),
  c('tls-key-file-pass', 'strnull', { tls: true }),
  c('tls-client-cert-file', 'strnull', { tls: true }),
  c('tls-client-key-file', 'strnull', { tls: true }),
  c('tls-client-key-file-pass', 'strnull', { tls: true }),
  c('tls-dh-params-file', 'strnull', { tls: true }),
  c('tls-ca-cert-file', 'strnull', { tls: true }),
  c('tls-ca-cert-dir', 'strnull', { tls: true }),
  c('tls-protocols', 'strnull', { tls: true }),
  c('tls-ciphers', 'strnull', { tls: true }),
  c('tls-ciphersuites', 'strnull', { tls: true }),
  c('dir', 'special'),
  c('save', 'special', { multi: true }),
  c('client-output-buffer-limit', 'special', { multi: true }),
  c('oom-score-adj-values', 'special', { multi: true }),
  c('notify-keyspace-events', 'special'),
  c('bind', 'special', { multi: true }),
  c('replicaof', 'special', { alias: 'slaveof', multi: true }),
  c('latency-tracking-info-percentiles', 'special', { multi: true }),
];

const BY_NAME = new Map<string, StandardConfigSpec>();
for (const spec of STANDARD_CONFIGS) {
  BY_NAME.set(spec.name, spec);
  if (spec.alias) BY_NAME.set(spec.alias, spec);
}

/** Case-insensitive lookup by primary name or alias. */
export function lookupStandardConfig(name: string): StandardConfigSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Obsolete directives still accepted (and ignored) when their argument count fits. */
export const DEPRECATED_CONFIGS: readonly { name: string; argcMin: number; argcMax: number }[] = [
  { name: 'list-max-ziplist-entries', argcMin: 2, argcMax: 2 },
  { name: 'list-max-ziplist-value', argcMin: 2, argcMax: 2 },
  { name: 'lua-replicate-commands', argcMin: 2, argcMax: 2 },
];
