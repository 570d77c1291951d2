/**
 * rewriteSentinelConf: the file content a Sentinel writes when it flushes its state
 * (sentinelFlushConfig -> CONFIG REWRITE), given the current file content and the state:
 * redis-server's rewrite (engine/redis/config) in Sentinel mode, which ends with the Sentinel
 * state (rewriteConfigSentinelOption).
 *
 * Successive flushes each start from the previous output, which is why real files show
 * state lines appended one flush at a time, separated by blank lines (a file ending with
 * "\n" is read back with a trailing empty line, and appended lines go after it).
 */
import { rewriteConfigText } from '../../redis/config/rewrite.ts';
import { sortedUsers } from './acl.ts';
import { rewriteSentinelOptions, type SentinelRewriteOptions } from './rewrite-sentinel.ts';
import type { SentinelFileConfig } from './types.ts';

export type RewriteSentinelConfOptions = SentinelRewriteOptions;

/**
 * Redis appends the server options absent from the file in the order of its parameter dict,
 * which differs from process to process; this one is the order of the seed-exact run's first
 * Sentinel (the others follow in table order).
 */
const SENTINEL_OPTION_ORDER = [
  'port',
  'bind',
  'daemonize',
  'pidfile',
  'logfile',
  'dir',
  'latency-tracking-info-percentiles',
  'protected-mode',
];

export function rewriteSentinelConf(
  originalText: string,
  state: SentinelFileConfig,
  opts: RewriteSentinelConfOptions = {},
): string {
  return rewriteConfigText(state.server, originalText, {
    users: sortedUsers(state.users).map((u) => `${u.name} ${u.acl}`),
    firstOptions: SENTINEL_OPTION_ORDER,
    sentinel: (rs) => rewriteSentinelOptions(rs, state, opts),
  });
}
