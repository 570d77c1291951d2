/**
 * The fatal start-up error a Sentinel prints when its configuration file is rejected.
 *
 * `message` is the whole block as printed on stderr (without the surrounding newlines,
 * see `stderrText`):
 *
 *   *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***
 *   Reading the configuration file, at line 2
 *   >>> 'sentinel monitor m 127.0.0.1 1 0'
 *   Quorum must be 1 or greater.
 */

export const REDIS_VERSION = '7.0.15';

export class SentinelConfigError extends Error {
  /** 1-based line number in the file. */
  readonly line: number;
  /** The offending line, with leading/trailing blanks removed (as Redis echoes it). */
  readonly lineText: string;
  /** The last line of the block: the reason alone. */
  readonly reason: string;
  /** Path given to the parser, if any (not part of the message: Redis does not print it). */
  readonly path: string | undefined;

  constructor(line: number, lineText: string, reason: string, path?: string) {
    super(formatFatalConfigError(line, lineText, reason));
    this.name = 'SentinelConfigError';
    this.line = line;
    this.lineText = lineText;
    this.reason = reason;
    this.path = path;
  }

  /** Exactly what the process writes to stderr before exiting with status 1. */
  get stderrText(): string {
    return `\n${this.message}\n`;
  }
}

export function formatFatalConfigError(line: number, lineText: string, reason: string): string {
  return (
    `*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n` +
    `Reading the configuration file, at line ${line}\n` +
    `>>> '${lineText}'\n` +
    reason
  );
}
