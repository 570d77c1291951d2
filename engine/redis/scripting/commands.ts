// The scripting command group of Redis 7.0.15 (src/commands/eval*.json, fcall*.json, script-*.json,
// function-*.json): arity, flags and the handlers.
import type { CommandFlag, CommandSpec } from '../commands/context.ts';
import { NO_REPLY } from '../server/call.ts';
import { cmd } from '../server/cmdutil.ts';
import { evalCommand, evalRoCommand, evalShaCommand, evalShaRoCommand, scriptDebug, scriptExists, scriptFlush, scriptHelp, scriptKill, scriptLoad } from './eval.ts';
import { functionDump, functionRestore } from './dump.ts';
import {
  fcallCommand,
  fcallRoCommand,
  functionDelete,
  functionFlush,
  functionHelp,
  functionKill,
  functionList,
  functionLoad,
  functionStats,
} from './function-commands.ts';

const G = 'scripting';
const RUN: CommandFlag[] = ['noscript', 'skip_monitor', 'may_replicate', 'stale'];
const RUN_RO: CommandFlag[] = ['noscript', 'skip_monitor', 'stale', 'readonly'];
const sub = (parent: string) => (name: string, arity: number, flags: CommandFlag[], since: string, summary: string, h: CommandSpec['handler']) =>
  cmd(`${parent}|${name}`, arity, flags, G, since, summary, h);
const s = sub('script');
const f = sub('function');

export const scriptingCommands: CommandSpec[] = [
  cmd('eval', -3, RUN, G, '2.6.0', 'Execute a Lua script server side', evalCommand),
  cmd('eval_ro', -3, RUN_RO, G, '7.0.0', 'Execute a read-only Lua script server side', evalRoCommand),
  cmd('evalsha', -3, RUN, G, '2.6.0', 'Execute a Lua script server side', evalShaCommand),
  cmd('evalsha_ro', -3, RUN_RO, G, '7.0.0', 'Execute a read-only Lua script server side', evalShaRoCommand),
  cmd('fcall', -3, RUN, G, '7.0.0', 'Invoke a function', fcallCommand),
  cmd('fcall_ro', -3, RUN_RO, G, '7.0.0', 'Invoke a read-only function', fcallRoCommand),
  cmd('script', -2, [], G, '2.6.0', 'A container for Lua scripts management commands', () => NO_REPLY, [0, 0, 0], [
    s('debug', 3, ['noscript'], '3.2.0', 'Set the debug mode for executed scripts.', scriptDebug),
    s('exists', -3, ['noscript'], '2.6.0', 'Check existence of scripts in the script cache.', scriptExists),
    s('flush', -2, ['noscript'], '2.6.0', 'Remove all the scripts from the script cache.', scriptFlush),
    s('help', 2, ['loading', 'stale'], '5.0.0', 'Show helpful text about the different subcommands', scriptHelp),
    s('kill', 2, ['noscript', 'allow_busy'], '2.6.0', 'Kill the script currently in execution.', (ctx) => scriptKill(ctx, true)),
    s('load', 3, ['noscript', 'stale'], '2.6.0', 'Load the specified Lua script into the script cache.', scriptLoad),
  ]),
  cmd('function', -2, [], G, '7.0.0', 'A container for function commands', () => NO_REPLY, [0, 0, 0], [
    f('delete', 3, ['noscript', 'write'], '7.0.0', 'Delete a function by name', functionDelete),
    f('dump', 2, ['noscript'], '7.0.0', 'Dump all functions into a serialized binary payload', functionDump),
    f('flush', -2, ['noscript', 'write'], '7.0.0', 'Deleting all functions', functionFlush),
    f('help', 2, ['loading', 'stale'], '7.0.0', 'Show helpful text about the different subcommands', functionHelp),
    f('kill', 2, ['noscript', 'allow_busy'], '7.0.0', 'Kill the function currently in execution.', functionKill),
    f('list', -2, ['noscript'], '7.0.0', 'List information about all the functions', functionList),
    f('load', -3, ['noscript', 'write', 'denyoom'], '7.0.0', 'Create a function with the given arguments (name, code, description)', functionLoad),
    f('restore', -3, ['noscript', 'write', 'denyoom'], '7.0.0', 'Restore all the functions on the given payload', functionRestore),
    f('stats', 2, ['noscript', 'allow_busy'], '7.0.0', 'Return information about the function currently running (name, description, duration)', functionStats),
  ]),
];

/** evalGetKeys / functionGetKeys (db.c genericGetKeys): atoi(numkeys) at argv[2], then the keys; none if out of range. */
function numkeysKeys(argv: readonly string[]): number[] {
  const n = parseInt(argv[2] ?? '', 10) || 0;
  if (n < 1 || n > argv.length - 3) return [];
  return Array.from({ length: n }, (_, i) => 3 + i);
}
for (const c of scriptingCommands) if (/^(eval|evalsha|fcall)(_ro)?$/.test(c.name)) c.getKeys = numkeysKeys;
