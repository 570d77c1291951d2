// The replication commands of Redis 7.0.15: REPLICAOF / SLAVEOF, ROLE, WAIT, REPLCONF, PSYNC, SYNC
// (table data from src/commands/*.json).
import { err, OK, simple, type Resp } from '../../net/resp.ts';
import type { CommandContext, CommandSpec } from '../commands/context.ts';
import type { Client } from '../server/client.ts';
import { clientInfoLine } from '../server/client-command.ts';
import { cmd, parseLongLong } from '../server/cmdutil.ts';
import { serverOf } from '../server/server.ts';
import { roleReply } from './info.ts';
import { failoverCommand, REPLICAOF_WHILE_FAILING_OVER } from './failover-command.ts';
import { replconfCommand, syncCommand } from './master.ts';
import { setMaster, unsetMaster } from './replicaof.ts';
import { replicationOf } from './replication.ts';
import { waitCommand } from './wait.ts';

/** replicaofCommand (§7). */
function replicaof(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  const r = replicationOf(s);
  const c = ctx.client as Client;
  if (r.failover.active) return REPLICAOF_WHILE_FAILING_OVER;
  const host = ctx.argv[1]!;
  const portArg = ctx.argv[2]!;
  if (host.toLowerCase() === 'no' && portArg.toLowerCase() === 'one') {
    if (r.isReplica) {
      unsetMaster(r.replica);
      s.log('*', `MASTER MODE enabled (user request from '${clientInfoLine(s, c)}')`);
    }
    return OK;
  }
  if (c.kind === 'replica') return err('ERR Command is not valid when client is a replica.');
  const port = parseLongLong(portArg);
  if (port === null || port < 0 || port > 65535) return err('ERR Invalid master port');
  const st = s.repl;
  if (st.isReplica && st.masterHost.toLowerCase() === host.toLowerCase() && st.masterPort === port) {
    s.log('*', 'REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.');
    return simple('OK Already connected to specified master');
  }
  setMaster(r.replica, host, port);
  s.log('*', `REPLICAOF ${host}:${port} enabled (user request from '${clientInfoLine(s, c)}')`);
  return OK;
}

const rep = (ctx: CommandContext) => replicationOf(serverOf(ctx));

export const replicationCommands: CommandSpec[] = [
  cmd('replicaof', 3, ['admin', 'noscript', 'stale'], 'server', '5.0.0', 'Make the server a replica of another instance, or promote it as master.', replicaof),
  cmd('slaveof', 3, ['admin', 'noscript', 'stale'], 'server', '1.0.0', 'Make the server a replica of another instance, or promote it as master.', replicaof),
  cmd('role', 1, ['noscript', 'loading', 'stale', 'fast', 'sentinel'], 'server', '2.8.12', 'Return the role of the instance in the context of replication', (ctx) =>
    roleReply(rep(ctx)),
  ),
  cmd(
    'wait',
    3,
    ['noscript'],
    'generic',
    '3.0.0',
    'Wait for the synchronous replication of all the write commands sent in the context of the current connection',
    (ctx) => waitCommand(rep(ctx), ctx),
  ),
  cmd('replconf', -1, ['admin', 'noscript', 'loading', 'stale', 'allow_busy'], 'server', '3.0.0', 'An internal command for configuring the replication stream', (ctx) =>
    replconfCommand(rep(ctx), ctx.client as Client, ctx.argv),
  ),
  cmd('psync', -3, ['admin', 'no_multi', 'noscript'], 'server', '2.8.0', 'Internal command used for replication', (ctx) =>
    syncCommand(rep(ctx), ctx.client as Client, ctx.argv),
  ),
  cmd('failover', -1, ['admin', 'noscript', 'stale'], 'server', '6.2.0', 'Start a coordinated failover between this server and one of its replicas.', (ctx) =>
    failoverCommand(rep(ctx), ctx.argv),
  ),
  cmd('sync', 1, ['admin', 'no_multi', 'noscript'], 'server', '1.0.0', 'Internal command used for replication', (ctx) =>
    syncCommand(rep(ctx), ctx.client as Client, ctx.argv),
  ),
];
