// The ACL command family, AUTH and HELLO AUTH of Redis 7.0.15 (aclCommand, authCommand,
// ACLAuthenticateUser), written against a small host interface so redis-server and Sentinel share
// them (Sentinel runs the same aclCommand).
import { arr, bulk, err, int, map, NIL, OK, set, simple, type Reply, type Resp } from '../../net/resp.ts';
import { CATEGORIES, isCategory, type Category } from './categories.ts';
import { checkCommand, revokedChannelList } from './check.ts';
import type { Acl } from './registry.ts';
import { describeCommandRules, patternString } from './selector.ts';
import { DENIED_AUTH, DENIED_CHANNEL, DENIED_CMD, DENIED_KEY, type AclResult, type LogContext, type Selector, type User } from './types.ts';
import type { AclUniverse } from './universe.ts';
import { inCategory, lookupArgvIn, type AclCommand } from './universe.ts';

/** What a client must expose to the ACL commands. */
export interface AclClientView {
  user: string;
  authenticated: boolean;
  /** In MULTI (log context). */
  readonly inMulti: boolean;
}

/** The process the ACL commands run in (a redis-server or a Sentinel). */
export interface AclHost<C extends AclClientView = AclClientView> {
  readonly acl: Acl;
  mstime(): number;
  /** The aclfile setting ('' = none). */
  aclFile(): string;
  acllogMaxLen(): number;
  readFile(path: string): string | null;
  /** False when the write failed (logged by the host). */
  writeFile(path: string, text: string): boolean;
  /** catClientInfoString of the client (the script caller for the script client). */
  clientInfo(c: C): string;
  /** ACLFreeUserAndKillClients: clients of a deleted user. */
  killClientsOf(u: User, current: C): void;
  /** ACLKillPubsubClientsIfNeeded's second half: subscribers no longer allowed by `channels`. */
  killSubscribersOutside(u: User, channels: readonly string[]): void;
  /** getRandomHexChars from the process's seeded stream. */
  randomHex(chars: number): string;
}

/** ACL_DENIED_* → getAclErrorMessage. */
export function aclErrorMessage(r: AclResult): string {
  switch (r) {
    case DENIED_CMD:
      return "can't run this command or subcommand";
    case DENIED_KEY:
      return "can't access at least one of the keys mentioned in the command arguments";
    case DENIED_CHANNEL:
      return "can't publish to the channel mentioned in the command";
    default:
      return 'lacking the permissions for the command';
  }
}

/** The -NOPERM reply of processCommand. */
export function nopermReply(r: AclResult, fullname: string): Resp {
  if (r === DENIED_CMD) return err(`NOPERM this user has no permissions to run the '${fullname}' command`);
  if (r === DENIED_KEY) return err('NOPERM this user has no permissions to access one of the keys used as arguments');
  if (r === DENIED_CHANNEL) return err('NOPERM this user has no permissions to access one of the channels used as arguments');
  return err('ERR no permission');
}

export const WRONGPASS: Resp = err('WRONGPASS invalid username-password pair or user is disabled.');

/** addACLLogEntry. */
export function logDenial<C extends AclClientView>(
  host: AclHost<C>,
  c: C,
  reason: AclResult,
  context: LogContext,
  object: string,
  username?: string,
): void {
  host.acl.log.add(
    { reason, context, object, username: username ?? c.user, ctime: host.mstime(), clientInfo: host.clientInfo(c) },
    host.acllogMaxLen(),
  );
}

/** ACLAuthenticateUser: true when authenticated; a failure is logged (reason auth). */
export function authenticateUser<C extends AclClientView>(host: AclHost<C>, c: C, username: string, password: string, authArg: string): boolean {
  if (host.acl.checkCredentials(username, password)) {
    c.authenticated = true;
    c.user = username;
    return true;
  }
  logDenial(host, c, DENIED_AUTH, c.inMulti ? 'multi' : 'toplevel', authArg, username);
  return false;
}

/** authCommand. */
export function authCommand<C extends AclClientView>(host: AclHost<C>, c: C, argv: readonly string[]): Resp {
  if (argv.length > 3) return err('ERR syntax error');
  let user = 'default';
  let pass: string;
  if (argv.length === 2) {
    if (host.acl.defaultUser.nopass)
      return err('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
    pass = argv[1]!;
  } else {
    user = argv[1]!;
    pass = argv[2]!;
  }
  return authenticateUser(host, c, user, pass, argv[0]!) ? OK : WRONGPASS;
}

function selectorFields(s: Selector, u: AclUniverse): Reply[] {
  return [
    bulk('commands'),
    bulk(describeCommandRules(s, u)),
    bulk('keys'),
    bulk(s.allKeys ? '~*' : s.patterns.map(patternString).join(' ')),
    bulk('channels'),
    bulk(s.allChannels ? '&*' : s.channels.map((c) => `&${c}`).join(' ')),
  ];
}

function getUser(u: User, universe: AclUniverse): Reply {
  const flags: Reply[] = [];
  if (u.enabled) flags.push(bulk('on'));
  if (u.disabled) flags.push(bulk('off'));
  if (u.nopass) flags.push(bulk('nopass'));
  if (u.skipSanitize) flags.push(bulk('skip-sanitize-payload'));
  if (u.sanitize) flags.push(bulk('sanitize-payload'));
  return map([
    bulk('flags'),
    set(flags),
    bulk('passwords'),
    arr(u.passwords.map((p) => bulk(p))),
    ...selectorFields(u.selectors[0]!, universe),
    bulk('selectors'),
    arr(u.selectors.slice(1).map((s) => map(selectorFields(s, universe)))),
  ]);
}

function catCommands(cat: Category, cmds: readonly AclCommand[], out: Reply[]): void {
  for (const c of cmds) {
    if (inCategory(c, cat)) out.push(bulk(c.fullname));
    if (c.subs.length) catCommands(cat, c.subs, out);
  }
}

const NO_ACLFILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

export const ACL_HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

const NOT_INTEGER = err('ERR value is not an integer or out of range');

function parseLong(s: string): number | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s) || s.length > 20) return null;
  const b = BigInt(s);
  if (b > 9223372036854775807n || b < -9223372036854775808n) return null;
  return Number(b);
}

/** aclCommand: one subcommand (argv[1]) already resolved with its arity checked. */
export function aclCommand<C extends AclClientView>(host: AclHost<C>, c: C, argv: readonly string[]): Reply {
  const acl = host.acl;
  const sub = argv[1]!.toLowerCase();
  switch (sub) {
    case 'setuser': {
      const name = argv[2]!;
      if (/[\s\0]/.test(name)) return err("ERR Usernames can't contain spaces or null characters");
      const e = acl.setUser(name, argv.slice(3), (next, original) => {
        const list = revokedChannelList(next, original);
        if (list) host.killSubscribersOutside(original, list);
      });
      return e === null ? OK : err(`ERR ${e}`);
    }
    case 'deluser': {
      for (const n of argv.slice(2)) if (n === 'default') return err("ERR The 'default' user cannot be removed");
      let deleted = 0;
      for (const n of argv.slice(2)) {
        const u = acl.delete(n);
        if (u) {
          host.killClientsOf(u, c);
          deleted++;
        }
      }
      return int(deleted);
    }
    case 'getuser': {
      const u = acl.get(argv[2]!);
      return u ? getUser(u, acl.env.universe) : NIL;
    }
    case 'list':
      return arr(acl.list().map((l) => bulk(l)));
    case 'users':
      return arr(acl.all().map((u) => bulk(u.name)));
    case 'whoami':
      return bulk(c.user);
    case 'load':
    case 'save': {
      const file = host.aclFile();
      if (file === '') return err(NO_ACLFILE);
      if (sub === 'save') {
        return host.writeFile(file, acl.fileText())
          ? OK
          : err('ERR There was an error trying to save the ACLs. Please check the server logs for more information');
      }
      const text = host.readFile(file);
      const e = acl.loadFile(text, file, 'No such file or directory', (old) => host.killClientsOf(old, c));
      return e === null ? OK : err(`ERR ${e}`);
    }
    case 'cat': {
      if (argv.length === 2) return arr(CATEGORIES.map((x) => bulk(x)));
      if (argv.length !== 3) break;
      const name = argv[2]!;
      if (!isCategory(name)) return err(`ERR Unknown category '${name.slice(0, 128)}'`);
      const out: Reply[] = [];
      catCommands(name.toLowerCase() as Category, acl.env.universe.top(), out);
      return arr(out);
    }
    case 'genpass': {
      if (argv.length > 3) break;
      let bits = 256;
      if (argv.length === 3) {
        const n = parseLong(argv[2]!);
        if (n === null) return NOT_INTEGER;
        bits = n;
      }
      if (bits <= 0 || bits > 4096)
        return err('ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096');
      return bulk(host.randomHex(Math.floor((bits + 3) / 4)));
    }
    case 'log': {
      if (argv.length > 3) break;
      let count = 10;
      if (argv.length === 3) {
        if (argv[2]!.toLowerCase() === 'reset') {
          acl.log.reset();
          return OK;
        }
        const n = parseLong(argv[2]!);
        if (n === null) return NOT_INTEGER;
        count = Math.max(0, n);
      }
      return acl.log.reply(count, host.mstime());
    }
    case 'dryrun': {
      const u = acl.get(argv[2]!);
      if (!u) return err(`ERR User '${argv[2]}' not found`);
      const args = argv.slice(3);
      const cmd = lookupArgvIn(acl.env.universe, args);
      if (!cmd) return err(`ERR Command '${argv[3]}' not found`);
      const arity = cmd.spec.arity;
      if ((arity > 0 && arity !== args.length) || args.length < -arity)
        return err(`ERR wrong number of arguments for '${cmd.fullname}' command`);
      const r = checkCommand(u, cmd, args);
      if (r.result === DENIED_CMD) return bulk(`This user has no permissions to run the '${cmd.fullname}' command`);
      if (r.result === DENIED_KEY) return bulk(`This user has no permissions to access the '${args[r.pos]}' key`);
      if (r.result === DENIED_CHANNEL) return bulk(`This user has no permissions to access the '${args[r.pos]}' channel`);
      return OK;
    }
    case 'help': {
      const head = `${argv[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`;
      return arr([head, ...ACL_HELP, 'HELP', '    Prints this help.'].map((l) => simple(l)));
    }
  }
  return err(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`);
}
