/**
 * RedisConfig: the running configuration of a simulated redis-server 7.0.15.
 *
 * Generic access: get(name) (CONFIG GET text), configGet(patterns), configSet(pairs),
 * rewrite(fileText), onChange(listener). Typed getters give the values the server uses.
 */
import { ConfigCommands } from './commands.ts';
import type { ConfigExtras } from './core.ts';
import { rewriteConfigText, type RewriteOptions } from './rewrite.ts';
import { specialHandler } from './special.ts';
import { enumName } from './standard.ts';
import {
  APPENDFSYNC_ENUM,
  LOGLEVEL_ENUM,
  lookupConfig,
  MAXMEMORY_POLICY_ENUM,
  REPL_DISKLESS_LOAD_ENUM,
} from './table.ts';
import { splitOnSpaces } from './tokenizer.ts';
import { MULTI_ARG, type EnumValues, type OutputBufferLimits, type ReplicaOf, type SaveRule } from './types.ts';

export interface DefaultsOptions {
  /** Working directory of the process (absolute), the initial `dir`. Default "/". */
  cwd?: string;
  /** redis-server --sentinel: initSentinelConfig's port 26379 and protected-mode off. */
  sentinelMode?: boolean;
}

/** The port of a Sentinel that does not set one (REDIS_SENTINEL_PORT). */
export const SENTINEL_DEFAULT_PORT = 26379;

export class RedisConfig extends ConfigCommands {
  /**
   * Not a configuration parameter (CONFIG GET does not show it): the switch
   * DEBUG SET-ACTIVE-EXPIRE flips; on at start.
   */
  activeExpireEnabled = true;

  /** A configuration with every parameter at its Redis 7.0.15 default. */
  static defaults(opts: DefaultsOptions = {}): RedisConfig {
    const cfg = new RedisConfig(opts.cwd ?? '/');
    if (opts.sentinelMode) {
      // initSentinelConfig, before the file is read: the table defaults stay what REWRITE compares with
      cfg.forceSet('port', String(SENTINEL_DEFAULT_PORT));
      cfg.forceSet('protected-mode', 'no');
    }
    return cfg;
  }

  /** An independent copy (listeners are not copied). */
  clone(): RedisConfig {
    const copy = new RedisConfig('/');
    copy.copyFrom(this);
    copy.activeExpireEnabled = this.activeExpireEnabled;
    return copy;
  }

  /** Used by the parser: the `user`, `rename-command`, `loadmodule` and module directives. */
  loadDirectives(extras: ConfigExtras): void {
    this.extras = extras;
  }

  /** The new text of the configuration file for CONFIG REWRITE, given its current text. */
  rewrite(originalText: string, opts: RewriteOptions = {}): string {
    return rewriteConfigText(this, originalText, opts);
  }

  /**
   * Set a parameter the way the server does internally (REPLICAOF, start-up fix-ups):
   * no immutability / protection checks and no listeners. `value` is split on spaces
   * for multi-argument parameters. Returns null or the error reason.
   */
  forceSet(name: string, value: string): string | null {
    const entry = lookupConfig(name);
    if (!entry) return `Unknown option '${name}'`;
    const args = entry.spec.flags & MULTI_ARG ? splitOnSpaces(value) : [value];
    const r = this.applyArgs(entry.spec, args, { readingFile: false, saveLoaded: false });
    return r.ok ? null : r.error;
  }

  /** REPLICAOF host port / REPLICAOF NO ONE (null). */
  setReplicaOf(target: ReplicaOf | null): void {
    this.values.set('replicaof', target ? { ...target } : null);
  }

  private num(name: string): number {
    return Number(this.values.get(name) as bigint);
  }

  private bool(name: string): boolean {
    return this.values.get(name) as boolean;
  }

  private str(name: string): string | null {
    return this.values.get(name) as string | null;
  }

  private enumText(name: string, values: EnumValues): string {
    return enumName(values, this.values.get(name) as number, false);
  }

  /* ---------- network and process ---------- */
  get port(): number { return this.num('port'); }
  get bind(): string[] { return [...(this.values.get('bind') as string[])]; }
  get protectedMode(): boolean { return this.bool('protected-mode'); }
  get tcpBacklog(): number { return this.num('tcp-backlog'); }
  get tcpKeepalive(): number { return this.num('tcp-keepalive'); }
  get timeout(): number { return this.num('timeout'); }
  get unixsocket(): string | null { return this.str('unixsocket'); }
  get maxclients(): number { return this.num('maxclients'); }
  get daemonize(): boolean { return this.bool('daemonize'); }
  get pidfile(): string | null { return this.str('pidfile'); }
  get logfile(): string { return this.str('logfile') ?? ''; }
  get loglevel(): string { return this.enumText('loglevel', LOGLEVEL_ENUM); }
  get databases(): number { return this.num('databases'); }
  get hz(): number { return this.num('hz'); }
  get dynamicHz(): boolean { return this.bool('dynamic-hz'); }
  get clusterEnabled(): boolean { return this.bool('cluster-enabled'); }

  /* ---------- security ---------- */
  get requirepass(): string | null { return this.str('requirepass'); }
  get masterauth(): string | null { return this.str('masterauth'); }
  get masteruser(): string | null { return this.str('masteruser'); }
  get aclfile(): string { return this.str('aclfile') ?? ''; }

  /* ---------- replication ---------- */
  get replicaof(): ReplicaOf | null {
    const v = this.values.get('replicaof') as ReplicaOf | null;
    return v ? { ...v } : null;
  }
  get replicaPriority(): number { return this.num('replica-priority'); }
  get replicaReadOnly(): boolean { return this.bool('replica-read-only'); }
  get replicaServeStaleData(): boolean { return this.bool('replica-serve-stale-data'); }
  get replicaLazyFlush(): boolean { return this.bool('replica-lazy-flush'); }
  get replicaIgnoreMaxmemory(): boolean { return this.bool('replica-ignore-maxmemory'); }
  get replicaAnnounceIp(): string | null { return this.str('replica-announce-ip'); }
  get replicaAnnouncePort(): number { return this.num('replica-announce-port'); }
  get replicaAnnounced(): boolean { return this.bool('replica-announced'); }
  get replTimeout(): number { return this.num('repl-timeout'); }
  get replBacklogSize(): number { return this.num('repl-backlog-size'); }
  get replBacklogTtl(): number { return this.num('repl-backlog-ttl'); }
  get replPingReplicaPeriod(): number { return this.num('repl-ping-replica-period'); }
  get replDisklessSync(): boolean { return this.bool('repl-diskless-sync'); }
  get replDisklessSyncDelay(): number { return this.num('repl-diskless-sync-delay'); }
  get replDisklessSyncMaxReplicas(): number { return this.num('repl-diskless-sync-max-replicas'); }
  get replDisklessLoad(): string { return this.enumText('repl-diskless-load', REPL_DISKLESS_LOAD_ENUM); }
  get replDisableTcpNodelay(): boolean { return this.bool('repl-disable-tcp-nodelay'); }
  get minReplicasToWrite(): number { return this.num('min-replicas-to-write'); }
  get minReplicasMaxLag(): number { return this.num('min-replicas-max-lag'); }

  /* ---------- persistence ---------- */
  get save(): SaveRule[] { return (this.values.get('save') as SaveRule[]).map((r) => ({ ...r })); }
  get dbfilename(): string { return this.str('dbfilename') ?? ''; }
  /** The working directory (absolute). */
  get dir(): string { return this.str('dir') ?? '/'; }
  get rdbcompression(): boolean { return this.bool('rdbcompression'); }
  get rdbchecksum(): boolean { return this.bool('rdbchecksum'); }
  get stopWritesOnBgsaveError(): boolean { return this.bool('stop-writes-on-bgsave-error'); }
  get appendonly(): boolean { return this.bool('appendonly'); }
  get appendfsync(): string { return this.enumText('appendfsync', APPENDFSYNC_ENUM); }
  get appendfilename(): string { return this.str('appendfilename') ?? ''; }
  get appenddirname(): string { return this.str('appenddirname') ?? ''; }
  get noAppendfsyncOnRewrite(): boolean { return this.bool('no-appendfsync-on-rewrite'); }
  get autoAofRewritePercentage(): number { return this.num('auto-aof-rewrite-percentage'); }
  get autoAofRewriteMinSize(): number { return this.num('auto-aof-rewrite-min-size'); }
  get aofLoadTruncated(): boolean { return this.bool('aof-load-truncated'); }
  get aofUseRdbPreamble(): boolean { return this.bool('aof-use-rdb-preamble'); }

  /* ---------- memory and keyspace ---------- */
  /** maxmemory in bytes (use value('maxmemory') for the exact 64-bit bigint). */
  get maxmemory(): number { return this.num('maxmemory'); }
  get maxmemoryPolicy(): string { return this.enumText('maxmemory-policy', MAXMEMORY_POLICY_ENUM); }
  get maxmemorySamples(): number { return this.num('maxmemory-samples'); }
  get maxmemoryEvictionTenacity(): number { return this.num('maxmemory-eviction-tenacity'); }
  get activeExpireEffort(): number { return this.num('active-expire-effort'); }
  get activerehashing(): boolean { return this.bool('activerehashing'); }
  get lazyfreeLazyEviction(): boolean { return this.bool('lazyfree-lazy-eviction'); }
  get lazyfreeLazyExpire(): boolean { return this.bool('lazyfree-lazy-expire'); }
  get lazyfreeLazyServerDel(): boolean { return this.bool('lazyfree-lazy-server-del'); }
  get lazyfreeLazyUserDel(): boolean { return this.bool('lazyfree-lazy-user-del'); }
  get lazyfreeLazyUserFlush(): boolean { return this.bool('lazyfree-lazy-user-flush'); }
  get hashMaxListpackEntries(): number { return this.num('hash-max-listpack-entries'); }
  get hashMaxListpackValue(): number { return this.num('hash-max-listpack-value'); }
  get listMaxListpackSize(): number { return this.num('list-max-listpack-size'); }
  get listCompressDepth(): number { return this.num('list-compress-depth'); }
  get setMaxIntsetEntries(): number { return this.num('set-max-intset-entries'); }
  get zsetMaxListpackEntries(): number { return this.num('zset-max-listpack-entries'); }
  get zsetMaxListpackValue(): number { return this.num('zset-max-listpack-value'); }
  get protoMaxBulkLen(): number { return this.num('proto-max-bulk-len'); }
  get clientQueryBufferLimit(): number { return this.num('client-query-buffer-limit'); }
  get clientOutputBufferLimits(): OutputBufferLimits {
    return specialHandler('client-output-buffer-limit').clone(this.values.get('client-output-buffer-limit')) as OutputBufferLimits;
  }

  /* ---------- events and monitoring ---------- */
  /** Keyspace notification flags (see NOTIFY_* in special-misc.ts). */
  get notifyKeyspaceEventsFlags(): number { return this.values.get('notify-keyspace-events') as number; }
  get notifyKeyspaceEvents(): string { return this.get('notify-keyspace-events')!; }
  get slowlogLogSlowerThan(): number { return this.num('slowlog-log-slower-than'); }
  get slowlogMaxLen(): number { return this.num('slowlog-max-len'); }
  get latencyMonitorThreshold(): number { return this.num('latency-monitor-threshold'); }
  get latencyTracking(): boolean { return this.bool('latency-tracking'); }
  get latencyTrackingInfoPercentiles(): number[] {
    return [...(this.values.get('latency-tracking-info-percentiles') as number[])];
  }
  get busyReplyThreshold(): number { return this.num('busy-reply-threshold'); }
  get shutdownTimeout(): number { return this.num('shutdown-timeout'); }

  /* ---------- file-only directives ---------- */
  get users(): string[][] { return this.extras.users.map((u) => [...u]); }
  get renamedCommands(): [string, string][] { return this.extras.renamedCommands.map(([a, b]) => [a, b]); }
}
