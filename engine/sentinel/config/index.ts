/** sentinel.conf: parsing (with Redis's fatal errors) and CONFIG REWRITE. */
export { SentinelConfigError, formatFatalConfigError, REDIS_VERSION } from './errors.ts';
export { parseSentinelConf, type ParseSentinelConfOptions } from './parse.ts';
export { rewriteSentinelConf, type RewriteSentinelConfOptions } from './rewrite.ts';
export { addrAndPort, type SentinelDirectiveOptions } from './sentinel-directives.ts';
export { quoteRepr, splitArgs } from './tokenizer.ts';
export {
  applyStartupDefaults,
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
  type RawDirective,
  type RenamedCommand,
  type SentinelFileConfig,
} from './types.ts';
