/**
 * What a Sentinel configuration file holds, and the defaults of Redis 7.0.15 in Sentinel
 * mode (spec sentinel.md §2, §4). The server directives live in the RedisConfig redis-server
 * uses (engine/redis/config), in Sentinel mode; this adds the Sentinel state.
 */
import { RedisConfig } from '../../redis/config/config.ts';

export { SENTINEL_DEFAULT_PORT } from '../../redis/config/config.ts';
export const DEFAULT_DOWN_AFTER_MS = 30000;
export const DEFAULT_FAILOVER_TIMEOUT_MS = 180000;
export const DEFAULT_PARALLEL_SYNCS = 1;
export const DEFAULT_DENY_SCRIPTS_RECONFIG = true;
export const DEFAULT_RESOLVE_HOSTNAMES = false;
export const DEFAULT_ANNOUNCE_HOSTNAMES = false;
/** Written as `pidfile` once a daemonized server has created its pid file without one. */
export const DEFAULT_PID_FILE = '/var/run/redis.pid';
/** ACL description of the built-in `default` user. */
export const DEFAULT_USER_ACL = 'on nopass ~* &* +@all';
/** Length of a Sentinel id / run id. */
export const RUN_ID_SIZE = 40;

export interface HostPort {
  host: string;
  port: number;
}

export interface KnownSentinel extends HostPort {
  runid: string;
}

export interface RenamedCommand {
  /** Name of the command on the real server (as written in the file). */
  command: string;
  /** Name to use instead. */
  renamed: string;
}

export interface MasterFileConfig {
  name: string;
  /** Address as written back (IP literal normalised unless announce-hostnames is on). */
  host: string;
  port: number;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  parallelSyncs: number;
  authPass: string | null;
  authUser: string | null;
  configEpoch: number;
  /** Epoch of this Sentinel's last vote for the master. */
  leaderEpoch: number;
  notificationScript: string | null;
  clientReconfigScript: string | null;
  /** In file order. */
  knownReplicas: HostPort[];
  /** In file order; every entry has a run id (the old form without one is ignored). */
  knownSentinels: KnownSentinel[];
  renamedCommands: RenamedCommand[];
  /** 0 = off. */
  masterRebootDownAfterPeriod: number;
  /**
   * Runtime only (never parsed): address of the replica promoted by a failover that has
   * reached reconf-slaves but not yet switched. While set, the rewrite writes it in
   * `sentinel monitor` and writes this master's own address for that replica's
   * `known-replica` line, as Sentinel does.
   */
  promotedReplica?: HostPort | null;
}

/** A user declared with `user <name> <rules...>` or the built-in default user. */
export interface AclUserConfig {
  name: string;
  /** ACL description as CONFIG REWRITE writes it after the name. */
  acl: string;
}

export interface SentinelFileConfig {
  /**
   * The server directives (port, bind, dir, logfile, requirepass, ...) as redis-server keeps
   * them, in Sentinel mode (port 26379, protected-mode off unless the file says otherwise);
   * its `users` are the file's `user` lines.
   */
  server: RedisConfig;
  /** ACL users, always including `default`. */
  users: AclUserConfig[];
  announceIp: string | null;
  /** 0 = not set. */
  announcePort: number;
  resolveHostnames: boolean;
  announceHostnames: boolean;
  denyScriptsReconfig: boolean;
  sentinelUser: string | null;
  sentinelPass: string | null;
  /** null until generated at first start. */
  myid: string | null;
  currentEpoch: number;
  /** In file order of their `sentinel monitor` lines. */
  masters: MasterFileConfig[];
}

/** A Sentinel with nothing configured; `server` defaults to the Sentinel-mode defaults. */
export function createDefaultSentinelFileConfig(
  cwd = '/',
  server: RedisConfig = RedisConfig.defaults({ cwd, sentinelMode: true }),
): SentinelFileConfig {
  return {
    server,
    users: [{ name: 'default', acl: DEFAULT_USER_ACL }],
    announceIp: null,
    announcePort: 0,
    resolveHostnames: DEFAULT_RESOLVE_HOSTNAMES,
    announceHostnames: DEFAULT_ANNOUNCE_HOSTNAMES,
    denyScriptsReconfig: DEFAULT_DENY_SCRIPTS_RECONFIG,
    sentinelUser: null,
    sentinelPass: null,
    myid: null,
    currentEpoch: 0,
    masters: [],
  };
}

export function createMasterFileConfig(
  name: string,
  host: string,
  port: number,
  quorum: number,
): MasterFileConfig {
  return {
    name,
    host,
    port,
    quorum,
    downAfterMs: DEFAULT_DOWN_AFTER_MS,
    failoverTimeoutMs: DEFAULT_FAILOVER_TIMEOUT_MS,
    parallelSyncs: DEFAULT_PARALLEL_SYNCS,
    authPass: null,
    authUser: null,
    configEpoch: 0,
    leaderEpoch: 0,
    notificationScript: null,
    clientReconfigScript: null,
    knownReplicas: [],
    knownSentinels: [],
    renamedCommands: [],
    masterRebootDownAfterPeriod: 0,
  };
}

/**
 * What start-up adds to the state before the first flush: a daemonized server without a
 * `pidfile` creates /var/run/redis.pid and from then on rewrites it. (The random myid is
 * the caller's business: it needs the Sentinel's RNG.)
 */
export function applyStartupDefaults(config: SentinelFileConfig): void {
  const server = config.server;
  if (server.daemonize && server.pidfile === null) server.forceSet('pidfile', DEFAULT_PID_FILE);
}

/** An independent copy (the server configuration included). */
export function cloneSentinelFileConfig(config: SentinelFileConfig): SentinelFileConfig {
  const { server, ...rest } = config;
  return { ...structuredClone(rest), server: server.clone() };
}
