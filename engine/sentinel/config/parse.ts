/**
 * parseSentinelConf: read a Sentinel configuration file the way redis-sentinel 7.0.15
 * does at start-up.
 *
 * Generic directives are checked line by line while reading; `sentinel ...` lines are
 * queued and applied afterwards in three passes (pre-monitor directives, then every
 * `monitor`, then the rest), so a directive about a master may precede its `monitor`.
 * The first error stops everything and is thrown as a SentinelConfigError.
 */
import { SentinelConfigError } from './errors.ts';
import {
  applySentinelDirective,
  PRE_MONITOR_DIRECTIVES,
  type SentinelDirectiveOptions,
} from './sentinel-directives.ts';
import { applyServerDirective, type ServerLoadContext } from './server-directives.ts';
import { isCommentOrBlank, splitArgs, splitRawLines, trimConfigLine } from './tokenizer.ts';
import { createDefaultSentinelFileConfig, type SentinelFileConfig } from './types.ts';

export interface ParseSentinelConfOptions extends SentinelDirectiveOptions {
  /** Path of the file (kept on errors only; Redis does not print it). */
  path?: string;
  /** Working directory of the process: `dir` is resolved against it (default "/"). */
  cwd?: string;
}

interface QueuedDirective {
  argv: string[];
  line: number;
  text: string;
}

export function parseSentinelConf(
  text: string,
  opts: ParseSentinelConfOptions = {},
): SentinelFileConfig {
  const cwd = opts.cwd ?? '/';
  const config = createDefaultSentinelFileConfig(cwd);
  const ctx: ServerLoadContext = { config, cwd, declaredUsers: new Set() };
  const pre: QueuedDirective[] = [];
  const monitor: QueuedDirective[] = [];
  const post: QueuedDirective[] = [];

  const lines = splitRawLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const trimmed = trimConfigLine(lines[i]!);
    if (isCommentOrBlank(trimmed)) continue;
    const argv = splitArgs(trimmed);
    if (argv === null) {
      throw new SentinelConfigError(line, trimmed, 'Unbalanced quotes in configuration line', opts.path);
    }
    if (argv.length === 0) continue;

    if (argv[0]!.toLowerCase() === 'sentinel') {
      // A bare `sentinel` line only selects Sentinel mode.
      if (argv.length === 1) continue;
      const entry = { argv: argv.slice(1), line, text: trimmed };
      const sub = argv[1]!.toLowerCase();
      if (sub === 'monitor') monitor.push(entry);
      else if (PRE_MONITOR_DIRECTIVES.includes(sub)) pre.push(entry);
      else post.push(entry);
      continue;
    }
    const err = applyServerDirective(ctx, argv, line, trimmed);
    if (err !== null) throw new SentinelConfigError(line, trimmed, err, opts.path);
  }

  for (const entry of [...pre, ...monitor, ...post]) {
    const err = applySentinelDirective(config, entry.argv, opts);
    if (err !== null) throw new SentinelConfigError(entry.line, entry.text, err, opts.path);
  }
  return config;
}
