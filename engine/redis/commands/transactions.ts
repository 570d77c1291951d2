// Transactions of Redis 7.0.15 (multi.c): MULTI, EXEC, DISCARD, WATCH, UNWATCH.
import { err, OK, type Resp } from '../../net/resp.ts';
import type { Client } from '../server/client.ts';
import { cmd } from '../server/cmdutil.ts';
import { discardTransaction, execTransaction } from '../server/dispatch.ts';
import { serverOf } from '../server/server.ts';
import type { CommandContext, CommandSpec } from './context.ts';

const clientOf = (ctx: CommandContext) => ctx.client as Client;

function multi(ctx: CommandContext): Resp {
  const c = clientOf(ctx);
  if (c.multi) return err('ERR MULTI calls can not be nested');
  c.multi = { queue: [], error: false };
  c.multiSpecs = [];
  return OK;
}

function discard(ctx: CommandContext): Resp {
  const c = clientOf(ctx);
  if (!c.multi) return err('ERR DISCARD without MULTI');
  discardTransaction(serverOf(ctx), c);
  return OK;
}

function watch(ctx: CommandContext): Resp {
  const c = clientOf(ctx);
  if (c.multi) return err('ERR WATCH inside MULTI is not allowed');
  // no point in watching once the transaction is already dirty
  if (c.dirtyCas) return OK;
  const s = serverOf(ctx);
  for (const key of ctx.argv.slice(1)) s.watch.watch(c, c.dbIndex, key);
  return OK;
}

function unwatch(ctx: CommandContext): Resp {
  const c = clientOf(ctx);
  serverOf(ctx).watch.unwatchAll(c);
  c.dirtyCas = false;
  return OK;
}

const F = ['noscript', 'loading', 'stale', 'fast', 'allow_busy'] as const;

export const transactionCommands: CommandSpec[] = [
  cmd('discard', 1, [...F], 'transactions', '2.0.0', 'Discard all commands issued after MULTI', discard),
  cmd('exec', 1, ['noscript', 'loading', 'stale'], 'transactions', '1.2.0', 'Execute all commands issued after MULTI', (ctx) =>
    execTransaction(serverOf(ctx), clientOf(ctx)),
  ),
  cmd('multi', 1, [...F], 'transactions', '1.2.0', 'Mark the start of a transaction block', multi),
  cmd('unwatch', 1, [...F], 'transactions', '2.2.0', 'Forget about all watched keys', unwatch),
  cmd('watch', -2, [...F], 'transactions', '2.2.0', 'Watch the given keys to determine execution of the MULTI/EXEC block', watch, [1, -1, 1]),
];
