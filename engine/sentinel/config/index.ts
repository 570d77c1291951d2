/**
 * sentinel.conf: parsing and CONFIG REWRITE with redis-server's directive table, loader and
 * rewrite (engine/redis/config) in Sentinel mode, plus the `sentinel` directives.
 */
export { ConfigFileError, ConfigFileOpenError, formatFatalConfigError, REDIS_VERSION } from '../../redis/config/errors.ts';
export { quoteRepr, splitArgs } from '../../redis/config/tokenizer.ts';
export { parseSentinelConf, type ParseSentinelConfOptions } from './parse.ts';
export { rewriteSentinelConf, type RewriteSentinelConfOptions } from './rewrite.ts';
export { addrAndPort, type SentinelDirectiveOptions } from './sentinel-directives.ts';
export {
  applyStartupDefaults,
  cloneSentinelFileConfig,
  createDefaultSentinelFileConfig,
  createMasterFileConfig,
  DEFAULT_DOWN_AFTER_MS,
  DEFAULT_FAILOVER_TIMEOUT_MS,
  DEFAULT_PARALLEL_SYNCS,
  DEFAULT_PID_FILE,
  DEFAULT_USER_ACL,
  RUN_ID_SIZE,
  SENTINEL_DEFAULT_PORT,
  type AclUserConfig,
  type HostPort,
  type KnownSentinel,
  type MasterFileConfig,
  type RenamedCommand,
  type SentinelFileConfig,
} from './types.ts';
