// The redis-server side of the shared ACL engine (engine/redis/acl): the users table created at
// start from requirepass, `user` lines and the aclfile (ACLInit, ACLLoadUsersAtStartup), the host
// the ACL commands act on, and the check processCommand makes.
import type { Resp } from '../../net/resp.ts';
import { loadUsersAtStartup } from '../acl/config.ts';
import { logDenial, nopermReply, type AclHost } from '../acl/commands.ts';
import { canRunWithUnrestrictedKeys, channelAllowedBy, checkCommand } from '../acl/check.ts';
import { Acl } from '../acl/registry.ts';
import { ACL_OK, type User } from '../acl/types.ts';
import { lookupArgvIn, SERVER_UNIVERSE, type AclCommand } from '../acl/universe.ts';

const aclCommandOf = (fullname: string): AclCommand | null => SERVER_UNIVERSE.byFullname(fullname);
import type { CommandContext } from '../commands/context.ts';
import type { Client } from './client.ts';
import { clientInfoLine } from './client-command.ts';
import type { RedisServer } from './server.ts';

/** ACLInit + ACLUpdateDefaultUserPassword(requirepass), and CONFIG SET requirepass later. */
export function initAcl(s: RedisServer): void {
  s.acl = new Acl({ universe: SERVER_UNIVERSE, pubsubAllChannels: () => s.conf.get('acl-pubsub-default') === 'allchannels' });
  const pass = s.conf.get('requirepass');
  s.acl.setDefaultPassword(pass === '' ? null : pass);
  s.configHooks.push((before) => {
    if (!before.has('requirepass')) return;
    const p = s.conf.get('requirepass');
    s.acl.setDefaultPassword(p === '' ? null : p);
  });
}

/** ACLLoadUsersAtStartup (after "Server initialized"); false: the process exits with 1. */
export function loadAclUsers(s: RedisServer): boolean {
  const disk = s.ctx.host.disk;
  const r = loadUsersAtStartup(s.acl, s.conf.users?.() ?? [], s.conf.get('aclfile'), (p) => {
    const f = disk.read(p);
    return typeof f === 'string' ? f : null;
  });
  for (const [level, line] of r.logs) s.log(level, line);
  return !r.fatal;
}

/** The user a client runs as; null for the master link (it can do everything). */
export function userOf(s: RedisServer, c: Client): User | null {
  const caller = c.scriptCaller ?? c;
  if (caller.kind === 'master' || s.loading) return null;
  return s.acl.get(caller.user) ?? s.acl.defaultUser;
}

/** processCommand's ACL step: null when allowed, else the -NOPERM reply (logged in the ACL LOG). */
export function aclRefusal(s: RedisServer, c: Client, fullname: string, argv: readonly string[]): Resp | null {
  const u = userOf(s, c);
  if (!u) return null;
  // a root selector that allows every command, key and channel (the default user) allows this one
  const root = u.selectors[0];
  if (root && root.allCommands && root.allKeys && root.allChannels) return null;
  const cmd = aclCommandOf(fullname);
  if (!cmd) return null;
  const r = checkCommand(u, cmd, argv);
  if (r.result === ACL_OK) return null;
  logDenial(aclHost(s), c, r.result, c.multi ? 'multi' : 'toplevel', denialObject(r.result, cmd, argv, r.pos));
  return nopermReply(r.result, fullname);
}

/** scriptVerifyACL: null when allowed, else the script error text (logged with context lua). */
export function scriptAclRefusal(s: RedisServer, scriptClient: Client, fullname: string, argv: readonly string[]): string | null {
  const u = userOf(s, scriptClient);
  if (!u) return null;
  const cmd = aclCommandOf(fullname);
  if (!cmd) return null;
  const r = checkCommand(u, cmd, argv);
  if (r.result === ACL_OK) return null;
  logDenial(aclHost(s), scriptClient, r.result, 'lua', denialObject(r.result, cmd, argv, r.pos), u.name);
  const reasons: Record<number, string> = {
    1: "can't run this command or subcommand",
    2: "can't access at least one of the keys mentioned in the command arguments",
    4: "can't publish to the channel mentioned in the command",
  };
  return `The user executing the script ${reasons[r.result] ?? 'lacking the permissions for the command'}`;
}

/** redis.acl_check_cmd: null for an unknown command. */
export function scriptAclCheck(s: RedisServer, caller: Client, argv: readonly string[]): boolean | null {
  const cmd = lookupArgvIn(SERVER_UNIVERSE, argv);
  if (!cmd) return null;
  return checkCommand(userOf(s, caller), cmd, argv).result === ACL_OK;
}

function denialObject(result: number, cmd: AclCommand, argv: readonly string[], pos: number): string {
  return result === 1 ? cmd.fullname : argv[pos]!;
}

const hosts = new WeakMap<RedisServer, AclHost<Client>>();

/** The ACL commands' view of a server. */
export function aclHost(s: RedisServer): AclHost<Client> {
  let h = hosts.get(s);
  if (h) return h;
  h = {
    get acl() {
      return s.acl;
    },
    mstime: () => s.mstime(),
    aclFile: () => s.conf.get('aclfile'),
    acllogMaxLen: () => s.conf.int('acllog-max-len'),
    readFile: (p) => {
      const f = s.ctx.host.disk.read(p);
      return typeof f === 'string' ? f : null;
    },
    writeFile: (p, text) => {
      s.ctx.host.disk.write(p, text);
      return true;
    },
    clientInfo: (c) => clientInfoLine(s, c.scriptCaller ?? c),
    killClientsOf: (u, current) => {
      for (const c of [...s.clients.values()]) {
        if (c.user !== u.name || c.kind === 'master' || c.conn === null) continue;
        c.user = 'default';
        c.authenticated = false;
        if (c === current) c.closeAfterReply = true;
        else s.freeClient(c);
      }
    },
    killSubscribersOutside: (u, list) => {
      for (const c of [...s.clients.values()]) {
        if (c.user !== u.name || !c.inPubsub) continue;
        let kill = false;
        for (const p of c.patterns) if (!channelAllowedBy(list, p, true)) kill = true;
        if (!kill) for (const ch of c.channels) if (!channelAllowedBy(list, ch, false)) kill = true;
        if (!kill) for (const ch of c.shardChannels) if (!channelAllowedBy(list, ch, false)) kill = true;
        if (kill) s.freeClient(c);
      }
    },
    randomHex: (n) => {
      let out = '';
      while (out.length < n) out += s.cmdRng.hex40();
      return out.slice(0, n);
    },
  };
  hosts.set(s, h);
  return h;
}

const EXEC_REASONS: Record<number, string> = {
  1: 'no permission to execute the command or subcommand',
  2: 'no permission to touch the specified keys',
  4: 'no permission to access one of the channels used as arguments',
};

/** execCommand's re-check of each queued command (multi.c). */
export function execAclRefusal(s: RedisServer, c: Client, fullname: string, argv: readonly string[]): Resp | null {
  const u = userOf(s, c);
  const cmd = u ? aclCommandOf(fullname) : null;
  if (!u || !cmd) return null;
  const r = checkCommand(u, cmd, argv);
  if (r.result === ACL_OK) return null;
  logDenial(aclHost(s), c, r.result, 'multi', denialObject(r.result, cmd, argv, r.pos));
  return {
    t: 'error',
    v: `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${EXEC_REASONS[r.result] ?? 'no permission'}`,
  };
}

/** sortCommandGeneric's user_has_full_key_access (true outside a server, e.g. a bare keyspace). */
export function hasFullReadKeyAccess(ctx: CommandContext, fullname: string): boolean {
  const s = (ctx as { server?: RedisServer }).server;
  if (!s) return true;
  const cmd = aclCommandOf(fullname);
  return cmd === null || canRunWithUnrestrictedKeys(userOf(s, ctx.client as Client), cmd, ctx.argv, true, false);
}
