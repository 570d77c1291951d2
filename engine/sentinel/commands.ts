// The command table of Sentinel mode (the 15 commands of Redis 7.0.15 flagged SENTINEL) and the
// generic ones: PING, INFO, ROLE, PUBLISH, (P)(UN)SUBSCRIBE, CLIENT, AUTH, HELLO, ACL, COMMAND,
// SHUTDOWN. SENTINEL itself is in sentinel-cmd.ts.
import { arr, bulk, bulks, err, int, map, NIL, OK, PONG, pushMsg, type Resp } from '../net/resp.ts';
import { LL_WARNING } from './constants.ts';
import { serverLog } from './events.ts';
import { SentinelExit } from './exit.ts';
import { sentinelInfoCommand } from './info-cmd.ts';
import { helloPublishCommand, SENTINEL_SUBCOMMANDS, sentinelRole } from './sentinel-cmd.ts';
import type { CmdCtx, SentinelClient } from './server.ts';
import { string2ll } from './util.ts';
import { aclCommand, authCommand, authenticateUser, WRONGPASS } from '../redis/acl/commands.ts';
import { sentinelAclHost } from './acl.ts';

export interface CommandDef {
  arity: number;
  noAuth?: boolean;
  subcommands?: Map<string, CommandDef>;
  handler: (x: CmdCtx) => void;
}

const def = (arity: number, handler: (x: CmdCtx) => void, noAuth = false): CommandDef => ({ arity, handler, noAuth });

const BAD_CLIENT_NAME = 'ERR Client names cannot contain spaces, newlines or special characters.';
/** clientSetName: printable ASCII without spaces ('!'..'~'); empty clears the name. */
const validClientName = (name: string): boolean => ![...name].some((ch) => ch < '!' || ch > '~');

function ping(x: CmdCtx): void {
  if (x.argv.length > 2) {
    x.reply(err("ERR wrong number of arguments for 'ping' command"));
    return;
  }
  // pingCommand: the [pong, msg] array only for a subscribed RESP2 client
  if (x.c.subscriptions > 0 && x.c.proto === 2) x.reply(arr([bulk('pong'), bulk(x.argv[1] ?? '')]));
  else x.reply(x.argv.length === 1 ? PONG : bulk(x.argv[1]!));
}

function subscribe(x: CmdCtx): void {
  for (const ch of x.argv.slice(1)) x.srv.subscribe(x.c, ch, x.reply);
}
function psubscribe(x: CmdCtx): void {
  for (const p of x.argv.slice(1)) x.srv.psubscribe(x.c, p, x.reply);
}
function unsub(x: CmdCtx, set: Set<string>, kind: string): void {
  const targets = x.argv.length > 1 ? x.argv.slice(1) : [...set];
  if (targets.length === 0) {
    x.reply(pushMsg([bulk(kind), NIL, int(x.c.subscriptions)]));
    return;
  }
  for (const t of targets) {
    set.delete(t);
    x.reply(pushMsg([bulk(kind), bulk(t), int(x.c.subscriptions)]));
  }
}

function clientInfoLine(x: CmdCtx, c: SentinelClient): string {
  return x.srv.clientInfo(c);
}

const CLIENT_SUBCOMMANDS = new Map<string, CommandDef>([
  ['id', def(2, (x) => x.reply(int(x.c.id)))],
  ['getname', def(2, (x) => x.reply(x.c.name === '' ? NIL : bulk(x.c.name)))],
  [
    'setname',
    def(3, (x) => {
      const name = x.argv[2]!;
      if (!validClientName(name)) {
        x.reply(err(BAD_CLIENT_NAME));
        return;
      }
      x.c.name = name;
      x.reply(OK);
    }),
  ],
  ['info', def(2, (x) => x.reply(bulk(clientInfoLine(x, x.c) + '\n')))],
  [
    'list',
    def(-2, (x) => {
      let s = '';
      for (const c of x.srv.clients.values()) s += clientInfoLine(x, c) + '\n';
      x.reply(bulk(s));
    }),
  ],
  ['kill', def(-3, clientKill)],
]);

/** CLIENT KILL <addr> | CLIENT KILL ID/ADDR/LADDR/TYPE/SKIPME ... */
function clientKill(x: CmdCtx): void {
  const a = x.argv;
  if (a.length === 3) {
    const victim = [...x.srv.clients.values()].find((c) => c.conn.remote === a[2]);
    if (!victim) {
      x.reply(err('ERR No such client'));
      return;
    }
    x.reply(OK);
    x.srv.close(victim);
    return;
  }
  let skipme = true;
  const filters: ((c: SentinelClient) => boolean)[] = [];
  for (let i = 2; i < a.length; i += 2) {
    const opt = a[i]!.toLowerCase();
    if (i + 1 >= a.length) {
      x.reply(err('ERR syntax error'));
      return;
    }
    const v = a[i + 1]!;
    if (opt === 'id') {
      const id = string2ll(v);
      if (id === null || id <= 0) {
        x.reply(err('ERR client-id should be greater than 0'));
        return;
      }
      filters.push((c) => c.id === id);
    } else if (opt === 'addr') filters.push((c) => c.conn.remote === v);
    else if (opt === 'laddr') filters.push((c) => c.conn.local === v);
    else if (opt === 'type') {
      const t = v.toLowerCase();
      if (!['normal', 'master', 'slave', 'replica', 'pubsub'].includes(t)) {
        x.reply(err(`ERR Unknown client type '${v}'`));
        return;
      }
      filters.push((c) => (t === 'pubsub' ? c.subscriptions > 0 : t === 'normal' ? c.subscriptions === 0 : false));
    } else if (opt === 'user') filters.push((c) => c.user === v);
    else if (opt === 'skipme') {
      const yn = v.toLowerCase();
      if (yn !== 'yes' && yn !== 'no') {
        x.reply(err('ERR syntax error'));
        return;
      }
      skipme = yn === 'yes';
    } else {
      x.reply(err('ERR syntax error'));
      return;
    }
  }
  const victims = [...x.srv.clients.values()].filter((c) => filters.every((f) => f(c)) && !(skipme && c === x.c));
  x.reply(int(victims.length));
  for (const v of victims) x.srv.close(v);
}

function auth(x: CmdCtx): void {
  x.reply(authCommand(sentinelAclHost(x.S, x.srv), x.c, x.argv));
}

/** HELLO [protover [AUTH user pass] [SETNAME name]] (helloCommand): RESP2 or RESP3, the reply a map. */
function hello(x: CmdCtx): void {
  const a = x.argv;
  let proto = x.c.proto;
  if (a.length >= 2) {
    const ver = string2ll(a[1]!);
    if (ver === null) {
      x.reply(err('ERR Protocol version is not an integer or out of range'));
      return;
    }
    if (ver < 2 || ver > 3) {
      x.reply(err('NOPROTO unsupported protocol version'));
      return;
    }
    proto = Number(ver) as 2 | 3;
    for (let i = 2; i < a.length; i++) {
      const opt = a[i]!.toLowerCase();
      if (opt === 'auth' && i + 2 < a.length) {
        if (!authenticateUser(sentinelAclHost(x.S, x.srv), x.c, a[i + 1]!, a[i + 2]!, a[0]!)) {
          x.reply(WRONGPASS);
          return;
        }
        i += 2;
      } else if (opt === 'setname' && i + 1 < a.length) {
        if (!validClientName(a[i + 1]!)) {
          x.reply(err(BAD_CLIENT_NAME));
          return;
        }
        x.c.name = a[i + 1]!;
        i += 1;
      } else {
        x.reply(err(`ERR Syntax error in HELLO option '${a[i]}'`));
        return;
      }
    }
  }
  if (!x.c.authenticated) {
    x.reply(
      err(
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      ),
    );
    return;
  }
  x.c.proto = proto;
  x.reply(
    map([
      bulk('server'), bulk('redis'),
      bulk('version'), bulk('7.0.15'),
      bulk('proto'), int(proto),
      bulk('id'), int(x.c.id),
      bulk('mode'), bulk('sentinel'),
      bulk('modules'), arr([]),
    ]),
  );
}

/** The ACL subcommands: redis-server's aclCommand over this Sentinel's users (engine/redis/acl). */
const aclRun = (x: CmdCtx): void => x.reply(aclCommand(sentinelAclHost(x.S, x.srv), x.c, x.argv));
const ACL_SUBCOMMANDS = new Map<string, CommandDef>(
  (
    [
      ['cat', -2], ['deluser', -3], ['dryrun', -4], ['genpass', -2], ['getuser', 3], ['help', 2], ['list', 2], ['load', 2],
      ['log', -2], ['save', 2], ['setuser', -3], ['users', 2], ['whoami', 2],
    ] as const
  ).map(([name, arity]) => [name, def(arity, aclRun)]),
);

function shutdown(x: CmdCtx): void {
  for (const o of x.argv.slice(1)) {
    if (!['nosave', 'save', 'now', 'force', 'abort'].includes(o.toLowerCase())) {
      x.reply(err('ERR syntax error'));
      return;
    }
  }
  if (x.argv.slice(1).some((o) => o.toLowerCase() === 'abort')) {
    x.reply(err('ERR No shutdown in progress.'));
    return;
  }
  serverLog(x.S, LL_WARNING, 'User requested shutdown...');
  serverLog(x.S, LL_WARNING, 'Sentinel is now ready to exit, bye bye...');
  x.S.ctx.exit(0, 'SHUTDOWN');
  throw new SentinelExit(0);
}

export const SENTINEL_COMMANDS = new Map<string, CommandDef>([
  ['sentinel', { arity: -2, subcommands: SENTINEL_SUBCOMMANDS, handler: () => {} }],
  ['ping', def(-1, ping)],
  ['info', def(-1, sentinelInfoCommand)],
  ['role', def(1, (x) => x.reply(sentinelRole(x.S)))],
  ['publish', def(3, helloPublishCommand)],
  ['subscribe', def(-2, subscribe)],
  ['psubscribe', def(-2, psubscribe)],
  ['unsubscribe', def(-1, (x) => unsub(x, x.c.channels, 'unsubscribe'))],
  ['punsubscribe', def(-1, (x) => unsub(x, x.c.patterns, 'punsubscribe'))],
  ['client', { arity: -2, subcommands: CLIENT_SUBCOMMANDS, handler: () => {} }],
  ['auth', def(-2, auth, true)],
  ['hello', def(-1, hello, true)],
  ['acl', { arity: -2, subcommands: ACL_SUBCOMMANDS, handler: () => {} }],
  ['command', def(-1, (x) => x.reply(x.argv.length === 2 && x.argv[1]!.toLowerCase() === 'count' ? int(15) : simpleCommandList()))],
  ['shutdown', def(-1, shutdown)],
]);

function simpleCommandList(): Resp {
  return arr([...SENTINEL_COMMANDS.entries()].map(([name, d]) => arr([bulk(name), int(d.arity)])));
}
