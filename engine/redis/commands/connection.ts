// Connection commands of Redis 7.0.15: AUTH, HELLO, PING, ECHO, QUIT, SELECT, RESET, CLIENT *.
import { arr, bulk, err, int, map, OK, PONG, simple, type Reply, type Resp } from '../../net/resp.ts';
import type { Client } from '../server/client.ts';
import { cmd, parseInt32, parseLongLong } from '../server/cmdutil.ts';
import { discardTransaction } from '../server/dispatch.ts';
import { stopMonitor } from '../server/monitor.ts';
import { NOT_INTEGER, SYNTAX, WRONGPASS } from '../server/errors.ts';
import { serverOf, type RedisServer } from '../server/server.ts';
import type { CommandContext, CommandSpec } from './context.ts';
import { clientCommand, clientOf, setName } from '../server/client-command.ts';
import { authCommand, authenticateUser } from '../acl/commands.ts';
import { aclHost } from '../server/acl-host.ts';

/** ACLAuthenticateUser (engine/redis/acl): a failure goes to the ACL LOG with argv[0] as its object. */
export function authenticate(s: RedisServer, c: Client, user: string, pass: string, argv0 = 'auth'): boolean {
  return authenticateUser(aclHost(s), c, user, pass, argv0);
}

function auth(ctx: CommandContext): Resp {
  return authCommand(aclHost(serverOf(ctx)), clientOf(ctx), ctx.argv);
}

function hello(ctx: CommandContext): Reply {
  const s = serverOf(ctx);
  const c = clientOf(ctx);
  const argv = ctx.argv;
  let ver = 0;
  let next = 1;
  if (argv.length >= 2) {
    const v = parseLongLong(argv[next++]!);
    if (v === null) return err('ERR Protocol version is not an integer or out of range');
    if (v < 2 || v > 3) return err('NOPROTO unsupported protocol version');
    ver = v;
  }
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (opt.toLowerCase() === 'auth' && more >= 2) {
      if (!authenticate(s, c, argv[j + 1]!, argv[j + 2]!, argv[0]!)) return WRONGPASS;
      j += 2;
    } else if (opt.toLowerCase() === 'setname' && more >= 1) {
      const e = setName(c, argv[j + 1]!);
      if (e) return e;
      j++;
    } else return err(`ERR Syntax error in HELLO option '${opt}'`);
  }
  if (!c.authenticated)
    return err(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
  // the reply already goes out in the new protocol
  if (ver) c.resp = ver;
  return map([
    bulk('server'),
    bulk('redis'),
    bulk('version'),
    bulk('7.0.15'),
    bulk('proto'),
    int(c.resp),
    bulk('id'),
    int(c.id),
    bulk('mode'),
    bulk('standalone'),
    bulk('role'),
    bulk(s.repl.isReplica ? 'replica' : 'master'),
    bulk('modules'),
    arr([]),
  ]);
}

function ping(ctx: CommandContext): Resp {
  const c = clientOf(ctx);
  if (ctx.argv.length > 2) return err("ERR wrong number of arguments for 'ping' command");
  if (c.inPubsub && c.resp === 2) return arr([bulk('pong'), bulk(ctx.argv[1] ?? '')]);
  return ctx.argv.length === 1 ? PONG : bulk(ctx.argv[1]!);
}

function select(ctx: CommandContext): Resp {
  const id = parseInt32(ctx.argv[1]!);
  if (id === null) return NOT_INTEGER;
  if (id < 0 || id >= ctx.ks.dbs.length) return err('ERR DB index is out of range');
  ctx.client.dbIndex = id;
  return OK;
}

function quit(ctx: CommandContext): Resp {
  clientOf(ctx).closeAfterReply = true;
  return OK;
}

function reset(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  const c = clientOf(ctx);
  if ((c.kind === 'replica' && !c.monitor) || c.kind === 'master') return err('ERR can only reset normal client connections');
  stopMonitor(s, c);
  c.dbIndex = 0;
  c.resp = 2;
  s.tracking.disable(c);
  c.user = 'default';
  c.authenticated = !s.acl.authRequired();
  discardTransaction(s, c);
  s.pubsub.dropClient(c);
  c.name = '';
  c.replyMode = 'on';
  return simple('RESET');
}

export const connectionCommands: CommandSpec[] = [
  cmd('auth', -2, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'], 'connection', '1.0.0', 'Authenticate to the server', auth),
  cmd('echo', 2, ['loading', 'stale', 'fast'], 'connection', '1.0.0', 'Echo the given string', (ctx) => bulk(ctx.argv[1]!)),
  cmd('hello', -1, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'], 'connection', '6.0.0', 'Handshake with Redis', hello),
  cmd('ping', -1, ['fast', 'sentinel'], 'connection', '1.0.0', 'Ping the server', ping),
  cmd('quit', -1, ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'], 'connection', '1.0.0', 'Close the connection', quit),
  cmd('reset', 1, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], 'connection', '6.2.0', 'Reset the connection', reset),
  cmd('select', 2, ['loading', 'stale', 'fast'], 'connection', '1.0.0', 'Change the selected database for the current connection', select),
  clientCommand,
];
