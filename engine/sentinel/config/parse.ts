/**
 * parseSentinelConf: read a Sentinel configuration file the way redis-server --sentinel 7.0.15
 * does at start-up: loadServerConfig with redis-server's directive table and loader
 * (engine/redis/config) in Sentinel mode, then loadSentinelConfigFromQueue.
 *
 * Server directives are checked line by line while reading; `sentinel ...` lines are queued and
 * applied afterwards in three passes (pre-monitor directives, then every `monitor`, then the
 * rest), so a directive about a master may precede its `monitor`. The first error stops
 * everything and is thrown as a ConfigFileError (ConfigFileOpenError for an `include` that
 * cannot be read).
 */
import { ConfigFileError } from '../../redis/config/errors.ts';
import { parseRedisConf } from '../../redis/config/parse.ts';
import { describeDeclaredUsers, sentinelCommandExists, sentinelUserLineError } from './acl.ts';
import {
  applySentinelDirective,
  PRE_MONITOR_DIRECTIVES,
  type SentinelDirectiveOptions,
} from './sentinel-directives.ts';
import { createDefaultSentinelFileConfig, type SentinelFileConfig } from './types.ts';

export interface ParseSentinelConfOptions extends SentinelDirectiveOptions {
  /** Path of the file (kept on errors only; Redis does not print it). */
  path?: string;
  /** Working directory of the process: `dir` and `include` resolve against it (default "/"). */
  cwd?: string;
  /** Contents of a file given to `include` (absolute path), undefined if it cannot be opened. */
  readFile?: (path: string) => string | undefined;
}

interface QueuedDirective {
  argv: string[];
  line: number;
  text: string;
}

export function parseSentinelConf(text: string, opts: ParseSentinelConfOptions = {}): SentinelFileConfig {
  const pre: QueuedDirective[] = [];
  const monitor: QueuedDirective[] = [];
  const post: QueuedDirective[] = [];

  const server = parseRedisConf(text, {
    path: opts.path,
    cwd: opts.cwd ?? '/',
    readFile: opts.readFile,
    userLineError: sentinelUserLineError,
    commandExists: sentinelCommandExists,
    // queueSentinelConfig
    sentinelLine: (argv, line, lineText) => {
      const entry = { argv, line, text: lineText };
      const sub = argv[0]!.toLowerCase();
      if (sub === 'monitor') monitor.push(entry);
      else if (PRE_MONITOR_DIRECTIVES.includes(sub)) pre.push(entry);
      else post.push(entry);
    },
  });

  const config = createDefaultSentinelFileConfig(server.dir, server);
  config.users = describeDeclaredUsers(server.users);
  // loadSentinelConfigFromQueue
  for (const entry of [...pre, ...monitor, ...post]) {
    const err = applySentinelDirective(config, entry.argv, opts);
    if (err !== null) throw new ConfigFileError(entry.line, entry.text, err, opts.path);
  }
  return config;
}
