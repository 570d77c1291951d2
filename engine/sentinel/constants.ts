// Sentinel constants of Redis 7.0.15 (sentinel.md §2). The timing table is per process and can be
// changed at run time with SENTINEL DEBUG, as Redis's globals can.

export interface Timings {
  infoPeriod: number;
  pingPeriod: number;
  askPeriod: number;
  publishPeriod: number;
  defaultDownAfter: number;
  defaultFailoverTimeout: number;
  tiltTrigger: number;
  tiltPeriod: number;
  slaveReconfTimeout: number;
  minLinkReconnectPeriod: number;
  electionTimeout: number;
  scriptMaxRuntime: number;
  scriptRetryDelay: number;
}

export function defaultTimings(): Timings {
  return {
    infoPeriod: 10000,
    pingPeriod: 1000,
    askPeriod: 1000,
    publishPeriod: 2000,
    defaultDownAfter: 30000,
    defaultFailoverTimeout: 180000,
    tiltTrigger: 2000,
    tiltPeriod: 30000,
    slaveReconfTimeout: 10000,
    minLinkReconnectPeriod: 15000,
    electionTimeout: 10000,
    scriptMaxRuntime: 60000,
    scriptRetryDelay: 30000,
  };
}

/** SENTINEL DEBUG: option name (case-insensitive) → field, in the order of the reply map. */
export const DEBUG_PARAMS: readonly (readonly [string, keyof Timings])[] = [
  ['INFO-PERIOD', 'infoPeriod'],
  ['PING-PERIOD', 'pingPeriod'],
  ['ASK-PERIOD', 'askPeriod'],
  ['PUBLISH-PERIOD', 'publishPeriod'],
  ['DEFAULT-DOWN-AFTER', 'defaultDownAfter'],
  ['DEFAULT-FAILOVER-TIMEOUT', 'defaultFailoverTimeout'],
  ['TILT-TRIGGER', 'tiltTrigger'],
  ['TILT-PERIOD', 'tiltPeriod'],
  ['SLAVE-RECONF-TIMEOUT', 'slaveReconfTimeout'],
  ['MIN-LINK-RECONNECT-PERIOD', 'minLinkReconnectPeriod'],
  ['ELECTION-TIMEOUT', 'electionTimeout'],
  ['SCRIPT-MAX-RUNTIME', 'scriptMaxRuntime'],
  ['SCRIPT-RETRY-DELAY', 'scriptRetryDelay'],
];

export const HELLO_CHANNEL = '__sentinel__:hello';
export const DEFAULT_SLAVE_PRIORITY = 100;
export const DEFAULT_PARALLEL_SYNCS = 1;
export const MAX_PENDING_COMMANDS = 100;
/** Random 0..MAX_DESYNC-1 added to failover_start_time. */
export const MAX_DESYNC = 1000;
export const CONFIG_DEFAULT_HZ = 10;
export const RUN_ID_SIZE = 40;
export const DEFAULT_SENTINEL_PORT = 26379;

/** Redis log levels (server.h LL_*) and the character each one prints. */
export const LL_DEBUG = 0;
export const LL_VERBOSE = 1;
export const LL_NOTICE = 2;
export const LL_WARNING = 3;
export type LogLevel = 0 | 1 | 2 | 3;
export const LEVEL_CHAR = ['.', '-', '*', '#'] as const;

export const SIMFAILURE_CRASH_AFTER_ELECTION = 1;
export const SIMFAILURE_CRASH_AFTER_PROMOTION = 2;
