// MONITOR (server.c monitorCommand): the client receives every command as server/monitor.ts feeds it.
import { err, OK, type Resp } from '../../net/resp.ts';
import { NO_REPLY } from '../server/call.ts';
import type { Client } from '../server/client.ts';
import { cmd } from '../server/cmdutil.ts';
import { startMonitor } from '../server/monitor.ts';
import { serverOf } from '../server/server.ts';
import type { CommandContext, CommandSpec } from './context.ts';

function monitor(ctx: CommandContext): Resp {
  // a client that must get one reply per command (inside EXEC: CLIENT_DENY_BLOCKING) cannot monitor
  if (ctx.inTransaction) return err("ERR MONITOR isn't allowed for DENY BLOCKING client");
  // an existing replica or monitor: ignored, no reply at all
  if (!startMonitor(serverOf(ctx), ctx.client as Client)) return NO_REPLY;
  return OK;
}

export const monitorCommands: CommandSpec[] = [
  cmd('monitor', 1, ['admin', 'noscript', 'loading', 'stale'], 'server', '1.0.0', 'Listen for all requests received by the server in real time', monitor),
];
