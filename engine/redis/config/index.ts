/** redis.conf for the simulated redis-server 7.0.15: parsing, CONFIG GET / SET / REWRITE. */
export { RedisConfig, type DefaultsOptions } from './config.ts';
export { parseRedisConf, type ParseRedisConfOptions } from './parse.ts';
export { ConfigFileError, ConfigFileOpenError, formatFatalConfigError, REDIS_VERSION } from './errors.ts';
export { LOADING_ERROR, type ConfigSetContext } from './commands.ts';
export type { ChangeListener, ConfigExtras, ModuleLoad } from './core.ts';
export type { RewriteOptions } from './rewrite.ts';
export { REWRITE_SIGNATURE } from './rewrite-state.ts';
export { memtoull, string2ll, formatMemory } from './cnum.ts';
export { quoteRepr, splitArgs } from './tokenizer.ts';
export { CONFIG_TABLE, CONFIG_ENTRIES, lookupConfig, type ConfigEntry } from './table.ts';
export { DEFAULT_SAVE_RULES, DEFAULT_OBUF_LIMITS } from './special-lists.ts';
export {
  DEFAULT_BIND,
  keyspaceEventsFlags,
  keyspaceEventsString,
  NOTIFY_ALL,
  NOTIFY_EVICTED,
  NOTIFY_EXPIRED,
  NOTIFY_GENERIC,
  NOTIFY_HASH,
  NOTIFY_KEY_MISS,
  NOTIFY_KEYEVENT,
  NOTIFY_KEYSPACE,
  NOTIFY_LIST,
  NOTIFY_MODULE,
  NOTIFY_NEW,
  NOTIFY_SET,
  NOTIFY_STREAM,
  NOTIFY_STRING,
  NOTIFY_ZSET,
} from './special-misc.ts';
export { defaultUserDescription, passwordHash } from './users.ts';
export type { OutputBufferLimit, OutputBufferLimits, ReplicaOf, SaveRule, ConfigSpec } from './types.ts';
