/**
 * Errors raised while reading redis.conf, formatted the way redis-server 7.0.15 prints
 * them on stderr before exiting with status 1.
 */

export const REDIS_VERSION = '7.0.15';

/**
 * A rejected configuration line. `message` (and `format()`) is the block Redis prints,
 * without the empty line it writes first:
 *
 *   *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***
 *   Reading the configuration file, at line 2
 *   >>> 'maxmemory lots'
 *   argument must be a memory value
 */
export class ConfigFileError extends Error {
  /**
   * 1-based line number inside the file being read (an included file has its own count);
   * 0 for the checks Redis makes after the last line, which print no line.
   */
  readonly line: number;
  /** The offending line, trimmed as Redis echoes it. */
  readonly lineText: string;
  /** The reason alone (last line of the block). */
  readonly reason: string;
  /** Path of the file being read, when known (Redis does not print it). */
  readonly file: string | undefined;

  constructor(line: number, lineText: string, reason: string, file?: string) {
    super(formatFatalConfigError(line, lineText, reason));
    this.name = 'ConfigFileError';
    this.line = line;
    this.lineText = lineText;
    this.reason = reason;
    this.file = file;
  }

  format(): string {
    return this.message;
  }

  /** Exactly what the process writes on stderr. */
  get stderrText(): string {
    return `\n${this.message}\n`;
  }
}

export function formatFatalConfigError(line: number, lineText: string, reason: string): string {
  const where = line > 0 ? `Reading the configuration file, at line ${line}\n>>> '${lineText}'\n` : '';
  return `*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n${where}${reason}`;
}

/**
 * A configuration (or included) file that cannot be opened. Redis logs
 * `Fatal error, can't open config file '<path>': No such file or directory` and exits 1.
 */
export class ConfigFileOpenError extends Error {
  readonly path: string;

  constructor(path: string, reason = 'No such file or directory') {
    super(`Fatal error, can't open config file '${path}': ${reason}`);
    this.name = 'ConfigFileOpenError';
    this.path = path;
  }
}
