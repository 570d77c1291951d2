/**
 * rewriteSentinelConf: the file content a Sentinel writes when it flushes its state
 * (sentinelFlushConfig -> CONFIG REWRITE), given the current file content and the state.
 *
 * Successive flushes each start from the previous output, which is why real files show
 * state lines appended one flush at a time, separated by blank lines (a file ending with
 * "\n" is read back with a trailing empty line, and appended lines go after it).
 */
import { RewriteState } from './rewrite-state.ts';
import { rewriteSentinelOptions, type SentinelRewriteOptions } from './rewrite-sentinel.ts';
import { rewriteServerOptions } from './rewrite-server.ts';
import type { SentinelFileConfig } from './types.ts';

export type RewriteSentinelConfOptions = SentinelRewriteOptions;

export function rewriteSentinelConf(
  originalText: string,
  state: SentinelFileConfig,
  opts: RewriteSentinelConfOptions = {},
): string {
  const rs = RewriteState.fromText(originalText);
  rewriteServerOptions(rs, state);
  rewriteSentinelOptions(rs, state, opts);
  rs.removeOrphaned();
  return rs.content();
}
