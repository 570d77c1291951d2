/**
 * parseRedisConf: read a redis.conf the way redis-server 7.0.15 does at start-up.
 *
 * Lines are read in order and applied at once; the first bad line stops everything with
 * a ConfigFileError carrying Redis's message. `include` reads another file through
 * `readFile` and loads it on the spot (its errors count its own lines).
 */
import type { ConfigExtras } from './core.ts';
import { ConfigFileError, ConfigFileOpenError } from './errors.ts';
import { RedisConfig } from './config.ts';
import { resolvePath } from './paths.ts';
import { DEPRECATED_DIRECTIVES, lookupConfig } from './table.ts';
import { splitArgs, splitLines, trimLine } from './tokenizer.ts';
import { MULTI_ARG, type LoadState } from './types.ts';

export interface ParseRedisConfOptions {
  /** Path of the file (reported on errors; not printed by Redis). */
  path?: string;
  /** Contents of a file given to `include` (absolute path), undefined if it cannot be opened. */
  readFile?: (path: string) => string | undefined;
  /** Files matching an `include` pattern with * ? or [ (absolute), in order. Default: none. */
  glob?: (pattern: string) => string[];
  /** Working directory of the process (absolute, default "/"): `dir` and `include` resolve against it. */
  cwd?: string;
  /** Whether a command exists, to check `rename-command`. Default: every rename is accepted. */
  commandExists?: (name: string) => boolean;
  /** ACL check of a `user` line's rules: null if valid, else the ACL error text. Default: accepted. */
  validateUser?: (rules: readonly string[]) => string | null;
  /** The whole `user` line's check (ACLAppendUserForLoading): null if valid, else the full error. Wins over validateUser. */
  userLineError?: (argv: readonly string[]) => string | null;
  /** Whether a `dir` exists: null if it does, else the errno text. Default: every directory exists. */
  checkDir?: (absPath: string) => string | null;
  /**
   * Sentinel mode (redis-server --sentinel): start from initSentinelConfig's values and hand each
   * `sentinel <args...>` line (its line number and trimmed text too) over here, as
   * queueSentinelConfig does, instead of refusing it.
   */
  sentinelLine?: (argv: string[], line: number, text: string) => void;
}

/** Where a directive was read: for the lines Sentinel mode queues. */
interface LinePos {
  line: number;
  text: string;
}

const MAX_INCLUDE_DEPTH = 64;

class Loader {
  private readonly load: LoadState = { readingFile: false, saveLoaded: false };
  private readonly extras: ConfigExtras = { users: [], renamedCommands: [], loadModules: [], moduleConfigs: new Map() };
  private readonly removedCommands = new Set<string>();
  private readonly addedCommands = new Set<string>();

  constructor(
    readonly cfg: RedisConfig,
    readonly opts: ParseRedisConfOptions,
  ) {}

  finish(): void {
    this.cfg.loadDirectives(this.extras);
  }

  loadString(text: string, file: string | undefined, depth: number): void {
    this.load.readingFile = true;
    const lines = splitLines(text);
    for (let i = 0; i < lines.length; i++) {
      const line = trimLine(lines[i]!);
      if (line === '' || line[0] === '#') continue;
      const argv = splitArgs(line);
      if (argv === null) throw new ConfigFileError(i + 1, line, 'Unbalanced quotes in configuration line', file);
      if (argv.length === 0) continue;
      argv[0] = argv[0]!.toLowerCase();
      const error = this.directive(argv, depth, { line: i + 1, text: line });
      if (error !== null) throw new ConfigFileError(i + 1, line, error, file);
    }
    if (this.cfg.value('cluster-enabled') && this.cfg.value('replicaof') !== null) {
      throw new ConfigFileError(0, '', 'replicaof directive not allowed in cluster mode', file);
    }
    // As in Redis, the flag drops at the end of any file, includes too.
    this.load.readingFile = false;
  }

  /** Apply one directive; returns the error reason or null. */
  private directive(argv: string[], depth: number, at: LinePos): string | null {
    const name = argv[0]!;
    const argc = argv.length;
    const entry = lookupConfig(name);
    if (entry) {
      const multi = (entry.spec.flags & MULTI_ARG) !== 0;
      if (!multi && argc !== 2) return 'wrong number of arguments';
      const args = multi && argc === 2 && argv[1] !== '' ? (splitArgs(argv[1]!) ?? []) : argv.slice(1);
      const r = this.cfg.applyArgs(entry.spec, args, this.load);
      return r.ok ? null : r.error;
    }
    if (DEPRECATED_DIRECTIVES.some((d) => d.name === name && d.argcMin <= argc && argc <= d.argcMax)) return null;

    if (name === 'include' && argc === 2) return this.include(argv[1]!, depth);
    if (name === 'rename-command' && argc === 3) return this.renameCommand(argv[1]!, argv[2]!);
    if (name === 'user' && argc >= 2) return this.user(argv);
    if (name === 'loadmodule' && argc >= 2) {
      this.extras.loadModules.push({ path: argv[1]!, args: argv.slice(2) });
      return null;
    }
    if (name.includes('.')) {
      if (argc < 2) return 'Module config specified without value';
      this.extras.moduleConfigs.set(name, argv.slice(1).join(' '));
      return null;
    }
    if (name === 'sentinel') {
      // a bare `sentinel` only selects the mode (main() does it)
      if (argc === 1) return null;
      if (!this.opts.sentinelLine) return 'sentinel directive while not in sentinel mode';
      this.opts.sentinelLine(argv.slice(1), at.line, at.text);
      return null;
    }
    return 'Bad directive or wrong number of arguments';
  }

  private include(path: string, depth: number): null {
    if (depth >= MAX_INCLUDE_DEPTH) throw new ConfigFileOpenError(path, 'Too many levels of include');
    const cwd = this.cfg.value('dir') as string;
    const resolved = resolvePath(cwd, path);
    let text = '';
    if (/[*?[]/.test(path)) {
      for (const file of this.opts.glob?.(resolved) ?? []) {
        const content = this.opts.readFile?.(file);
        if (content === undefined) throw new ConfigFileOpenError(file);
        text += content;
      }
    } else {
      const content = this.opts.readFile?.(resolved);
      if (content === undefined) throw new ConfigFileOpenError(path);
      text = content;
    }
    this.loadString(text, resolved, depth + 1);
    return null;
  }

  private commandExists(name: string): boolean {
    const key = name.toLowerCase();
    if (this.addedCommands.has(key)) return true;
    if (this.removedCommands.has(key)) return false;
    return this.opts.commandExists ? this.opts.commandExists(key) : true;
  }

  private renameCommand(from: string, to: string): string | null {
    if (this.opts.commandExists) {
      if (!this.commandExists(from)) return 'No such command in rename-command';
      this.removedCommands.add(from.toLowerCase());
      this.addedCommands.delete(from.toLowerCase());
      if (to !== '') {
        if (this.commandExists(to)) return 'Target command name already exists';
        this.addedCommands.add(to.toLowerCase());
        this.removedCommands.delete(to.toLowerCase());
      }
    }
    this.extras.renamedCommands.push([from, to]);
    return null;
  }

  private user(argv: string[]): string | null {
    const name = argv[1]!;
    if (this.extras.users.some((u) => u[0] === name)) {
      return `Error in user declaration '${name}': Duplicate user found. A user can only be defined once in config files`;
    }
    if (this.opts.userLineError) {
      const full = this.opts.userLineError(argv);
      if (full !== null) return full;
    } else {
      const error = this.opts.validateUser?.(argv.slice(2)) ?? null;
      if (error !== null) return `Error in user declaration '${argv[0]}': ${error}`;
    }
    this.extras.users.push(argv.slice(1));
    return null;
  }
}

/** Parse the text of a redis.conf into a configuration (defaults for what it does not set). */
export function parseRedisConf(text: string, opts: ParseRedisConfOptions = {}): RedisConfig {
  const cfg = RedisConfig.defaults({ cwd: opts.cwd ?? '/', sentinelMode: opts.sentinelLine !== undefined });
  cfg.configFile = opts.path ?? null;
  cfg.checkDir = opts.checkDir;
  const loader = new Loader(cfg, opts);
  loader.loadString(text, opts.path, 0);
  loader.finish();
  return cfg;
}
