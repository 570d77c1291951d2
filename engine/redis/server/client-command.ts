// CLIENT and its subcommands (networking.c clientCommand, Redis 7.0.15).
import { bulk, err, int, NIL, OK, ONE, verbatim, ZERO, type Reply, type Resp } from '../../net/resp.ts';
import type { CommandContext, CommandFlag, CommandSpec } from '../commands/context.ts';
import { clientTypeByName } from '../config/special-lists.ts';
import { NO_REPLY } from './call.ts';
import type { Client } from './client.ts';
import { cmd, helpReply, parseLongLong, subcommandSyntaxError } from './cmdutil.ts';
import { NOT_INTEGER, SYNTAX } from './errors.ts';
import { isPostponed } from './pause.ts';
import { serverOf, type RedisServer } from './server.ts';
import { clientCaching, clientGetredir, clientTracking, clientTrackinginfo } from '../tracking/client-tracking.ts';

export function clientOf(ctx: CommandContext): Client {
  return ctx.client as Client;
}

/** clientSetName: printable ASCII without spaces; '' clears the name. */
export function setName(c: Client, name: string): Resp | null {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return err('ERR Client names cannot contain spaces, newlines or special characters.');
  }
  c.name = name;
  return null;
}

type ClientType = 'normal' | 'replica' | 'pubsub' | 'master';


/** getClientType. */
export function clientType(c: Client): ClientType {
  if (c.kind === 'master') return 'master';
  if (c.kind === 'replica' && !c.monitor) return 'replica';
  if (c.inPubsub) return 'pubsub';
  return 'normal';
}

/** Clients shown by CLIENT LIST (those with a connection, plus the master link). */
export function listedClients(s: RedisServer): Client[] {
  return [...s.clients.values()].filter((c) => c.conn !== null || c.kind === 'master');
}

export function clientInfoLine(s: RedisServer, c: Client): string {
  return c.infoString(s.mstime(), s.fdOf(c));
}

function list(ctx: CommandContext): Reply {
  const s = serverOf(ctx);
  const argv = ctx.argv;
  let type: ClientType | null = null;
  if (argv.length === 4 && argv[2]!.toLowerCase() === 'type') {
    type = clientTypeByName(argv[3]!);
    if (!type) return err(`ERR Unknown client type '${argv[3]}'`);
  } else if (argv.length > 3 && argv[2]!.toLowerCase() === 'id') {
    let o = '';
    for (let j = 3; j < argv.length; j++) {
      const id = parseLongLong(argv[j]!);
      if (id === null) return err('ERR Invalid client ID');
      const cl = s.clients.get(id);
      if (cl) o += clientInfoLine(s, cl) + '\n';
    }
    return verbatim(o);
  } else if (argv.length !== 2) return SYNTAX;
  let o = '';
  for (const cl of listedClients(s)) if (!type || clientType(cl) === type) o += clientInfoLine(s, cl) + '\n';
  return verbatim(o);
}

function kill(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  const me = clientOf(ctx);
  const argv = ctx.argv;
  let addr: string | null = null;
  let laddr: string | null = null;
  let user: string | null = null;
  let type: ClientType | null = null;
  let id = 0;
  let skipme = true;
  if (argv.length === 3) {
    addr = argv[2]!;
    skipme = false; // the old form can kill the caller itself
  } else if (argv.length > 3) {
    for (let i = 2; i < argv.length; i += 2) {
      const more = argv.length > i + 1;
      const opt = argv[i]!.toLowerCase();
      const val = argv[i + 1]!;
      if (opt === 'id' && more) {
        const n = parseLongLong(val);
        if (n === null || n < 1) return err('ERR client-id should be greater than 0');
        id = n;
      } else if (opt === 'type' && more) {
        type = clientTypeByName(val);
        if (!type) return err(`ERR Unknown client type '${val}'`);
      } else if (opt === 'addr' && more) addr = val;
      else if (opt === 'laddr' && more) laddr = val;
      else if (opt === 'user' && more) {
        if (val !== 'default') return err(`ERR No such user '${val}'`);
        user = val;
      } else if (opt === 'skipme' && more) {
        if (val.toLowerCase() === 'yes') skipme = true;
        else if (val.toLowerCase() === 'no') skipme = false;
        else return SYNTAX;
      } else return SYNTAX;
    }
  } else return SYNTAX;
  let killed = 0;
  let closeMe = false;
  for (const cl of listedClients(s)) {
    if (addr !== null && cl.addr !== addr) continue;
    if (laddr !== null && cl.laddr !== laddr) continue;
    if (type !== null && clientType(cl) !== type) continue;
    if (id !== 0 && cl.id !== id) continue;
    if (user !== null && cl.user !== user) continue;
    if (cl === me && skipme) continue;
    if (cl === me) closeMe = true;
    else s.freeClient(cl);
    killed++;
  }
  if (closeMe) me.closeAfterReply = true;
  if (argv.length === 3) return killed === 0 ? err('ERR No such client') : OK;
  return int(killed);
}

function unblock(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  const argv = ctx.argv;
  if (argv.length > 4) return subcommandSyntaxError(ctx);
  let asError = false;
  if (argv.length === 4) {
    const how = argv[3]!.toLowerCase();
    if (how === 'timeout') asError = false;
    else if (how === 'error') asError = true;
    else return err('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
  }
  const id = parseLongLong(argv[2]!);
  if (id === null) return NOT_INTEGER;
  const target = s.clients.get(id);
  if (!target || !target.blocked) return ZERO;
  if (isPostponed(target)) {
    // 7.0.15 has no timeout reply for BLOCKED_POSTPONE (replyToBlockedClientTimedOut panics): only ERROR
    if (!asError) return ZERO;
    target.addReply(err('UNBLOCKED client unblocked via CLIENT UNBLOCK'));
    s.pause.release(target);
    return ONE;
  }
  const reply = asError ? err('UNBLOCKED client unblocked via CLIENT UNBLOCK') : target.blocked.req.timeoutReply;
  s.blocks.unblock(target);
  target.addReply(reply);
  s.unblocked.push(target);
  return ONE;
}

/** CLIENT PAUSE timeout [WRITE|ALL] (networking.c): the mode is checked before the timeout. */
function pause(ctx: CommandContext): Resp {
  const argv = ctx.argv;
  if (argv.length > 4) return subcommandSyntaxError(ctx);
  let type: 'write' | 'all' = 'all';
  if (argv.length === 4) {
    const m = argv[3]!.toLowerCase();
    if (m === 'write') type = 'write';
    else if (m !== 'all') return err('ERR CLIENT PAUSE mode must be WRITE or ALL');
  }
  const s = serverOf(ctx);
  const t = parseLongLong(argv[2]!);
  if (t === null) return err('ERR timeout is not an integer or out of range');
  if (t < 0) return err('ERR timeout is negative');
  // getTimeoutFromObjectOrReply: 0 stays 0 (a pause that is already over)
  s.pause.pause('client-command', t > 0 ? s.mstime() + t : 0, type);
  return OK;
}

function onOff(ctx: CommandContext, apply: (v: 'on' | 'off' | 'skip') => void, allowSkip: boolean): Resp {
  const v = ctx.argv[2]!.toLowerCase();
  if (v !== 'on' && v !== 'off' && !(allowSkip && v === 'skip')) return SYNTAX;
  apply(v as 'on' | 'off' | 'skip');
  return OK;
}

const HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

const F: CommandFlag[] = ['noscript', 'loading', 'stale', 'sentinel'];
const FA: CommandFlag[] = ['admin', 'noscript', 'loading', 'stale', 'sentinel'];
const sub = (name: string, arity: number, flags: CommandFlag[], since: string, summary: string, h: CommandSpec['handler']) =>
  cmd(`client|${name}`, arity, flags, 'connection', since, summary, h);

export const clientCommand: CommandSpec = cmd(
  'client',
  -2,
  ['sentinel'],
  'connection',
  '2.4.0',
  'A container for client connection commands',
  () => err('ERR unknown subcommand'),
  [0, 0, 0],
  [
    sub('getname', 2, F, '2.6.9', 'Get the current connection name', (ctx) => (ctx.client.name ? bulk(ctx.client.name) : NIL)),
    sub('caching', 3, F, '6.0.0', 'Instruct the server about tracking or not keys in the next request', clientCaching),
    sub('getredir', 2, F, '6.0.0', 'Get tracking notifications redirection client ID if any', clientGetredir),
    sub('help', 2, ['loading', 'stale', 'sentinel'], '5.0.0', 'Show helpful text about the different subcommands', (ctx) => helpReply(ctx, HELP)),
    sub('id', 2, F, '5.0.0', 'Returns the client ID for the current connection', (ctx) => int(ctx.client.id)),
    sub('info', 2, F, '6.2.0', 'Returns information about the current client connection.', (ctx) =>
      verbatim(clientInfoLine(serverOf(ctx), clientOf(ctx)) + '\n'),
    ),
    sub('kill', -3, FA, '2.4.0', 'Kill the connection of a client', kill),
    sub('list', -2, FA, '2.4.0', 'Get the list of client connections', list),
    sub('pause', -3, FA, '2.9.50', 'Stop processing commands from clients for some time', pause),
    sub('unpause', 2, FA, '6.2.0', 'Resume processing of clients that were paused', (ctx) => {
      serverOf(ctx).pause.unpause('client-command');
      return OK;
    }),
    sub('no-evict', 3, FA, '7.0.0', 'Set client eviction mode for the current connection', (ctx) =>
      onOff(ctx, (v) => (clientOf(ctx).noEvict = v === 'on'), false),
    ),
    sub('reply', 3, F, '3.2.0', 'Instruct the server whether to reply to commands', (ctx) => {
      const c = clientOf(ctx);
      const r = onOff(ctx, (v) => (c.replyMode = v === 'off' ? 'off' : v === 'skip' ? (c.replyMode === 'off' ? 'off' : 'skip-next') : 'on'), true);
      // CLIENT REPLY OFF/SKIP are not acknowledged
      return c.replyMode === 'on' || r.t === 'error' ? r : NO_REPLY;
    }),
    sub('setname', 3, F, '2.6.9', 'Set the current connection name', (ctx) => setName(clientOf(ctx), ctx.argv[2]!) ?? OK),
    sub('tracking', -3, F, '6.0.0', 'Enable or disable server assisted client side caching support', clientTracking),
    sub('trackinginfo', 2, F, '6.2.0', 'Return information about server assisted client side caching for the current connection', clientTrackinginfo),
    sub('unblock', -3, FA, '5.0.0', 'Unblock a client blocked in a blocking command from a different connection', unblock),
  ],
);
