/**
 * Loading the generic (non-`sentinel`) directives of a Sentinel configuration file:
 * validation with Redis's messages, and storage in SentinelFileConfig.
 */
import { describeLoadedUser, DUPLICATE_USER, sortedUsers, validateUserRules } from './acl.ts';
import { string2ll, yesnotoi } from './cnum.ts';
import { DEPRECATED_CONFIGS, lookupStandardConfig } from './server-configs.ts';
import { checkStandardValue, parsePercentiles } from './server-values.ts';
import { splitArgs } from './tokenizer.ts';
import type { SentinelFileConfig } from './types.ts';

export interface ServerLoadContext {
  config: SentinelFileConfig;
  /** Working directory `dir` is resolved against. */
  cwd: string;
  /** Users already declared in the file (duplicates are refused). */
  declaredUsers: Set<string>;
}

/** Join and normalise a POSIX path (no symlink resolution). */
export function resolvePath(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return `/${out.join('/')}`;
}

/** The directives Sentinel state keeps in typed fields. */
function applyModelled(ctx: ServerLoadContext, name: string, args: string[]): boolean {
  const c = ctx.config;
  const v = args[0] ?? '';
  switch (name) {
    case 'port':
      c.port = Number(string2ll(v));
      return true;
    case 'daemonize':
      c.daemonize = yesnotoi(v) === 1;
      return true;
    case 'protected-mode':
      c.protectedMode = yesnotoi(v) === 1;
      return true;
    case 'logfile':
      c.logfile = v;
      return true;
    case 'pidfile':
      c.pidfile = v === '' ? null : v;
      return true;
    case 'dir':
      c.dir = resolvePath(ctx.cwd, v);
      ctx.cwd = c.dir;
      return true;
    case 'bind':
      c.bind = args.length === 1 && v === '' ? [] : [...args];
      return true;
    case 'latency-tracking-info-percentiles': {
      const r = parsePercentiles(args);
      if (r.ok) c.latencyTrackingInfoPercentiles = r.value;
      return true;
    }
    default:
      return false;
  }
}

/** The `user` lines of a parsed file ([name, ...rules], file order), kept beside it (not state). */
const USER_LINES = new WeakMap<object, string[][]>();

/** The users a Sentinel loads at start (ACLLoadConfiguredUsers): the file's `user` lines. */
export function declaredUserLines(config: object): string[][] {
  return USER_LINES.get(config) ?? [];
}

function applyUser(ctx: ServerLoadContext, argv: string[]): string | null {
  const name = argv[1]!;
  const rules = argv.slice(2);
  if (ctx.declaredUsers.has(name)) {
    return `Error in user declaration '${argv[1]}': ${DUPLICATE_USER}`;
  }
  const bad = validateUserRules(rules);
  if (bad) return `Error in user declaration '${argv[bad.argIndex]}': ${bad.message}`;
  ctx.declaredUsers.add(name);
  const lines = USER_LINES.get(ctx.config) ?? [];
  lines.push(argv.slice(1));
  USER_LINES.set(ctx.config, lines);
  const acl = describeLoadedUser(name, rules);
  const users = ctx.config.users.filter((u) => u.name !== name);
  users.push({ name, acl });
  ctx.config.users = sortedUsers(users);
  return null;
}

/**
 * Apply one generic directive (argv[0] already known not to be `sentinel`). Returns the
 * error text Redis would print, or null.
 */
export function applyServerDirective(
  ctx: ServerLoadContext,
  argv: string[],
  line: number,
  text: string,
): string | null {
  const name = argv[0]!.toLowerCase();
  const argc = argv.length;
  const raw = (): null => {
    ctx.config.otherDirectives.push({ name, args: argv.slice(1), line, text });
    return null;
  };

  const spec = lookupStandardConfig(name);
  if (spec) {
    if (!spec.multi && argc !== 2) return 'wrong number of arguments';
    let args = argv.slice(1);
    if (spec.multi && argc === 2 && args[0] !== '') args = splitArgs(args[0]!) ?? [];
    const err = checkStandardValue(spec, args);
    if (err) return err;
    if (applyModelled(ctx, spec.name, args)) return null;
    ctx.config.otherDirectives.push({ name, args, line, text });
    return null;
  }
  if (DEPRECATED_CONFIGS.some((d) => d.name === name && argc >= d.argcMin && argc <= d.argcMax)) {
    return raw();
  }
  if (name === 'include' && argc === 2) return raw(); // other files are not read
  if (name === 'rename-command' && argc === 3) return raw();
  if (name === 'user' && argc >= 2) return applyUser(ctx, argv);
  if (name === 'loadmodule' && argc >= 2) return raw();
  if (name.includes('.')) return argc < 2 ? 'Module config specified without value' : raw();
  return 'Bad directive or wrong number of arguments';
}
