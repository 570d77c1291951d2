// Server commands of Redis 7.0.15: INFO, CONFIG, COMMAND, DBSIZE, TIME, LASTSAVE, SAVE, BGSAVE,
// BGREWRITEAOF, SHUTDOWN, DEBUG.
import { bulk, bulks, err, int, OK, simple, verbatim, type Reply, type Resp } from '../../net/resp.ts';
import { applyConfigChanges, resetStats } from '../server/admin.ts';
import { NO_REPLY } from '../server/call.ts';
import { cmd, helpReply } from '../server/cmdutil.ts';
import { commandCommand } from '../server/command-info.ts';
import { debugCommand } from '../server/debug-command.ts';
import { SYNTAX } from '../server/errors.ts';
import { infoString } from '../server/info.ts';
import { serverOf } from '../server/server.ts';
import { abortShutdown, prepareForShutdown, SHUTDOWN_BLOCK, type ShutdownFlags } from '../server/shutdown.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './context.ts';

function info(ctx: CommandContext): Reply {
  return verbatim(infoString(serverOf(ctx), ctx.argv.slice(1)));
}

function time(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  const us = s.ctx.host.wallUs(s.ctx.now());
  return bulks([String(Math.floor(us / 1e6)), String(us % 1e6)]);
}

function save(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  if (s.child.type === 'rdb') return err('ERR Background save already in progress');
  s.saver.saveCommand();
  return OK;
}

function bgsave(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  let schedule = false;
  if (ctx.argv.length > 1) {
    if (ctx.argv.length === 2 && ctx.argv[1]!.toLowerCase() === 'schedule') schedule = true;
    else return SYNTAX;
  }
  if (s.child.type === 'rdb') return err('ERR Background save already in progress');
  if (s.child.active || ctx.inTransaction) {
    if (schedule || ctx.inTransaction) {
      s.saver.bgsaveScheduled = true;
      return simple('Background saving scheduled');
    }
    return err(
      'ERR Another child process is active (AOF?): can\'t BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.',
    );
  }
  s.saver.bgsave();
  return simple('Background saving started');
}

function bgrewriteaof(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  if (s.child.type === 'aof') return err('ERR Background append only file rewriting already in progress');
  if (s.child.active || ctx.inTransaction) {
    s.aof.rewriteScheduled = true;
    return simple('Background append only file rewriting scheduled');
  }
  s.aof.rewriteBackground();
  return simple('Background append only file rewriting started');
}

/** shutdownCommand (db.c): flags, ABORT, NOSAVE required while a script is busy, then block until done. */
function shutdown(ctx: CommandContext): Resp | undefined {
  const flags: ShutdownFlags = {};
  let abort = false;
  for (const a of ctx.argv.slice(1)) {
    const l = a.toLowerCase();
    if (l === 'nosave') flags.nosave = true;
    else if (l === 'save') flags.save = true;
    else if (l === 'now') flags.now = true;
    else if (l === 'force') flags.force = true;
    else if (l === 'abort') abort = true;
    else return SYNTAX;
  }
  const any = flags.nosave || flags.save || flags.now || flags.force;
  if ((abort && any) || (flags.nosave && flags.save)) return SYNTAX;
  const s = serverOf(ctx);
  if (abort) return abortShutdown(s) ? OK : err('ERR No shutdown in progress.');
  // a timed-out script: only SHUTDOWN NOSAVE may stop the server
  if (!flags.nosave && s.longCommand) return err(`BUSY Redis is busy running a script. You can only call ${s.longCommand.isEval ? 'SCRIPT' : 'FUNCTION'} KILL or SHUTDOWN NOSAVE.`);
  // exited (no reply: the connection closes), or waiting for the replicas: the caller stays blocked
  if (prepareForShutdown(s, flags)) return NO_REPLY;
  ctx.block(SHUTDOWN_BLOCK);
  return undefined;
}

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

function configSet(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  if (ctx.argv.length % 2 !== 0) return SYNTAX;
  const before = new Map<string, string>();
  const names = ctx.argv.filter((_, i) => i >= 2 && i % 2 === 0).map((n) => n.toLowerCase());
  for (const n of names) before.set(n, s.conf.get(n));
  const r = s.conf.configSet(ctx.argv.slice(2));
  if (r.t === 'error') return r;
  applyConfigChanges(s, before);
  return r;
}

function configRewrite(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  const r = s.conf.rewrite();
  if (r.t !== 'error') s.log('#', 'CONFIG REWRITE executed with success.');
  return r;
}

const CF: CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];
const csub = (name: string, arity: number, flags: CommandFlag[], since: string, summary: string, h: CommandSpec['handler']) =>
  cmd(`config|${name}`, arity, flags, 'server', since, summary, h);

export const serverCommands: CommandSpec[] = [
  cmd('bgrewriteaof', 1, ['admin', 'noscript'], 'server', '1.0.0', 'Asynchronously rewrite the append-only file', bgrewriteaof),
  cmd('bgsave', -1, ['admin', 'noscript'], 'server', '1.0.0', 'Asynchronously save the dataset to disk', bgsave),
  commandCommand,
  cmd('config', -2, [], 'server', '2.0.0', 'A container for server configuration commands', () => NO_REPLY, [0, 0, 0], [
    csub('get', -3, CF, '2.0.0', 'Get the values of configuration parameters', (ctx) => serverOf(ctx).conf.configGet(ctx.argv.slice(2))),
    csub('help', 2, ['loading', 'stale'], '5.0.0', 'Show helpful text about the different subcommands', (ctx) => helpReply(ctx, CONFIG_HELP)),
    csub('resetstat', 2, CF, '2.0.0', 'Reset the stats returned by INFO', (ctx) => {
      resetStats(serverOf(ctx));
      return OK;
    }),
    csub('rewrite', 2, CF, '2.8.0', 'Rewrite the configuration file with the in memory configuration', configRewrite),
    csub('set', -4, CF, '2.0.0', 'Set configuration parameters to the given values', configSet),
  ]),
  cmd('dbsize', 1, ['readonly', 'fast'], 'server', '1.0.0', 'Return the number of keys in the selected database', (ctx) => int(ctx.db.size)),
  debugCommand,
  cmd('info', -1, ['loading', 'stale', 'sentinel'], 'server', '1.0.0', 'Get information and statistics about the server', info),
  cmd('lastsave', 1, ['loading', 'stale', 'fast'], 'server', '1.0.0', 'Get the UNIX time stamp of the last successful save to disk', (ctx) =>
    int(serverOf(ctx).saver.lastsave),
  ),
  cmd('save', 1, ['admin', 'noscript', 'no_multi'], 'server', '1.0.0', 'Synchronously save the dataset to disk', save),
  cmd('shutdown', -1, ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'sentinel', 'allow_busy'], 'server', '1.0.0', 'Synchronously save the dataset to disk and then shut down the server', shutdown),
  cmd('time', 1, ['loading', 'stale', 'fast'], 'server', '2.6.0', 'Return the current server time', time),
];
