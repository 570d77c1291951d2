// DEBUG (debug.c, Redis 7.0.15): the subcommands the simulation models.
import { OK, simple, type Resp } from '../../net/resp.ts';
import type { CommandContext, CommandSpec } from '../commands/context.ts';
import { debugReload } from './admin.ts';
import { cmd, helpReply, subcommandSyntaxError } from './cmdutil.ts';
// keyspace/digest.ts is not byte-compatible with Redis; this one is (checked against 7.0.15)
import { datasetDigest } from './digest.ts';
import { serverOf, type RedisServer } from './server.ts';

const HELP = [
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not accessed (otherwise the Redis behavior). Setting it to 1 reenables back the default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
];

/** strtod: the longest numeric prefix, 0 when none. */
function strtod(s: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  return m ? Number(m[0]) : 0;
}

/** The crash report of a SIGSEGV (sigsegvHandler), then the process dies. */
export function crash(s: RedisServer): void {
  s.log('#', '');
  s.log('#', '=== REDIS BUG REPORT START: Cut & paste starting from here ===');
  s.log('#', 'Redis 7.0.15 crashed by signal: 11, si_code: 2');
  s.log('#', 'Accessing address: 0x7f6632ea2000');
  s.log('#', 'Crashed running the instruction at: 0x55b7490a465f');
  s.log('#', '=== REDIS BUG REPORT END. Make sure to include from START to END. ===');
  s.ctx.exit(139, 'crashed by signal: 11');
}

function debug(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  const argv = ctx.argv;
  const sub = argv[1]!.toLowerCase();
  if (argv.length === 2 && sub === 'help') return helpReply(ctx, HELP);
  if (sub === 'segfault') {
    crash(s);
    return OK;
  }
  if (sub === 'digest' && argv.length === 2) return simple(datasetDigest(s.ks));
  if (sub === 'sleep' && argv.length === 3) {
    const ms = strtod(argv[2]!) * 1000;
    if (ms > 0) s.startBusy(ms);
    return OK;
  }
  if (sub === 'set-active-expire' && argv.length === 3) {
    s.activeExpireEnabled = (parseInt(argv[2]!, 10) || 0) !== 0;
    return OK;
  }
  if (sub === 'reload') {
    debugReload(s);
    return OK;
  }
  return subcommandSyntaxError(ctx);
}

export const debugCommand: CommandSpec = cmd('debug', -2, ['admin', 'noscript', 'loading', 'stale'], 'server', '1.0.0', 'A container for debugging commands', debug);

