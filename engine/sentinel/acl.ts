// A Sentinel's ACL: the same engine as redis-server (engine/redis/acl), over the command table of
// Sentinel mode (populateCommandTable keeps only the commands flagged SENTINEL, plus SENTINEL
// itself), with its users from requirepass and the `user` lines of sentinel.conf.
import { nopermReply, logDenial, type AclHost } from '../redis/acl/commands.ts';
import { channelAllowedBy, checkCommand } from '../redis/acl/check.ts';
import { loadUsersAtStartup } from '../redis/acl/config.ts';
import { Acl } from '../redis/acl/registry.ts';
import { ACL_OK, type User } from '../redis/acl/types.ts';
import { sentinelUniverse } from './acl-universe.ts';
import type { Reply } from '../net/resp.ts';
import { LL_NOTICE, LL_WARNING } from './constants.ts';
import { serverLog } from './events.ts';
import type { SentinelClient, SentinelServer } from './server.ts';
import type { SentinelState } from './state.ts';

/** The file's `aclfile` ('' when none). */
function aclFileOf(S: SentinelState): string {
  return S.fileConfig.server.aclfile;
}

function readDisk(S: SentinelState, path: string): string | null {
  const f = S.ctx.host.disk.read(path);
  return typeof f === 'string' ? f : null;
}

/** ACLInit + requirepass + the file's `user` lines, then its `aclfile` (ACLLoadUsersAtStartup); false: exit. */
export function initSentinelAcl(S: SentinelState, userLines: readonly (readonly string[])[]): boolean {
  S.acl = new Acl({ universe: sentinelUniverse(), pubsubAllChannels: () => S.aclPubsubAllChannels });
  S.acl.setDefaultPassword(S.requirepass);
  const r = loadUsersAtStartup(S.acl, userLines, aclFileOf(S), (p) => readDisk(S, p));
  for (const [level, line] of r.logs) serverLog(S, level === '#' ? LL_WARNING : LL_NOTICE, line);
  return !r.fatal;
}

/** processCommand's ACL step in Sentinel mode: null when allowed, else the -NOPERM reply. */
export function sentinelAclRefusal(S: SentinelState, srv: SentinelServer, c: SentinelClient, fullname: string, argv: readonly string[]): Reply | null {
  const u = S.acl.get(c.user) ?? S.acl.defaultUser;
  const command = sentinelUniverse().byFullname(fullname);
  if (!command) return null;
  const r = checkCommand(u, command, argv);
  if (r.result === ACL_OK) return null;
  logDenial(sentinelAclHost(S, srv), c, r.result, 'toplevel', r.result === 1 ? command.fullname : argv[r.pos]!);
  return nopermReply(r.result, fullname);
}

const hosts = new WeakMap<SentinelState, AclHost<SentinelClient>>();

/** The ACL commands' view of a Sentinel (its aclfile and acllog-max-len are sentinel.conf's). */
export function sentinelAclHost(S: SentinelState, srv: SentinelServer): AclHost<SentinelClient> {
  let h = hosts.get(S);
  if (h) return h;
  h = {
    get acl() {
      return S.acl;
    },
    mstime: () => S.now(),
    aclFile: () => aclFileOf(S),
    acllogMaxLen: () => Number(S.fileConfig.server.value('acllog-max-len')),
    readFile: (p) => readDisk(S, p),
    writeFile: (p, text) => {
      S.ctx.host.disk.write(p, text);
      return true;
    },
    clientInfo: (c) => srv.clientInfo(c),
    killClientsOf: (u: User, current) => {
      for (const c of [...srv.clients.values()]) {
        if (c.user !== u.name) continue;
        c.user = 'default';
        c.authenticated = false;
        if (c === current) c.closeAfterReply = true;
        else srv.close(c);
      }
    },
    killSubscribersOutside: (u, list) => {
      for (const c of [...srv.clients.values()]) {
        if (c.user !== u.name || c.subscriptions === 0) continue;
        let kill = false;
        for (const p of c.patterns) if (!channelAllowedBy(list, p, true)) kill = true;
        for (const ch of c.channels) if (!channelAllowedBy(list, ch, false)) kill = true;
        if (kill) srv.close(c);
      }
    },
    randomHex: (n) => {
      let out = '';
      while (out.length < n) out += S.aclRng.hex40();
      return out.slice(0, n);
    },
  };
  hosts.set(S, h);
  return h;
}
