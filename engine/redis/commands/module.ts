// MODULE of Redis 7.0.15 (module.c moduleCommand) on a server that has no modules and whose host has no
// module files: LIST is empty, LOAD/LOADEX fail the way a dlopen() of a missing file fails (the log
// line, then the generic error), UNLOAD finds no such module. LOAD, LOADEX and UNLOAD are "protected":
// enable-module-command (default no) refuses them in the dispatcher first (processCommand).
import { arr, err, type Resp } from '../../net/resp.ts';
import { NO_REPLY } from '../server/call.ts';
import { cmd, helpReply } from '../server/cmdutil.ts';
import { serverOf } from '../server/server.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './context.ts';
import type { CommandMeta } from './meta.ts';

const HELP = [
  'LIST',
  '    Return a list of loaded modules.',
  'LOAD <path> [<arg> ...]',
  '    Load a module library from <path>, passing to it any optional arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load a module library from <path>, while passing it module configurations and optional arguments.',
  'UNLOAD <name>',
  '    Unload a module.',
];

const LOAD_FAILED: Resp = err('ERR Error loading the extension. Please check the server logs.');

/** moduleLoad: the simulated host has no shared objects, so dlopen() fails as for a missing file. */
function moduleLoad(ctx: CommandContext, path: string): Resp {
  serverOf(ctx).log('#', `Module ${path} failed to load: ${path}: cannot open shared object file: No such file or directory`);
  return LOAD_FAILED;
}

/** parseLoadexArguments: CONFIG name value pairs, then optionally ARGS and the module's arguments. */
function loadex(ctx: CommandContext): Resp {
  const a = ctx.argv.slice(3);
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!.toLowerCase();
    if (w === 'config') {
      if (i + 2 >= a.length) {
        serverOf(ctx).log('*', 'CONFIG specified without name value pair');
        return LOAD_FAILED;
      }
      i += 2;
    } else if (w === 'args') break;
    else {
      serverOf(ctx).log('*', `Syntax Error from arguments to loadex around ${a[i]}.`);
      return LOAD_FAILED;
    }
  }
  return moduleLoad(ctx, ctx.argv[2]!);
}

const PROTECTED: CommandFlag[] = ['admin', 'noscript', 'no_async_loading', 'protected'];
const m = (complexity: string, tips?: string[]): CommandMeta => (tips ? { complexity, tips } : { complexity });
const sub = (name: string, arity: number, flags: CommandFlag[], since: string, summary: string, h: CommandSpec['handler'], meta: CommandMeta) => {
  const s = cmd(`module|${name}`, arity, flags, 'server', since, summary, h);
  s.meta = meta;
  return s;
};

const moduleCommand = cmd('module', -2, [], 'server', '4.0.0', 'A container for module commands', () => NO_REPLY, [0, 0, 0], [
  sub('help', 2, ['loading', 'stale'], '5.0.0', 'Show helpful text about the different subcommands', (ctx) => helpReply(ctx, HELP), m('O(1)')),
  sub('list', 2, ['admin', 'noscript'], '4.0.0', 'List all modules loaded by the server', () => arr([]), m('O(N) where N is the number of loaded modules.', ['nondeterministic_output_order'])),
  sub('load', -3, PROTECTED, '4.0.0', 'Load a module', (ctx) => moduleLoad(ctx, ctx.argv[2]!), {
    complexity: 'O(1)',
    args: [{ name: 'path', type: 'string' }, { name: 'arg', type: 'string', flags: ['optional', 'multiple'] }],
  }),
  sub('loadex', -3, PROTECTED, '7.0.0', 'Load a module with extended parameters', loadex, {
    complexity: 'O(1)',
    args: [
      { name: 'path', type: 'string' },
      { name: 'configs', type: 'block', token: 'CONFIG', flags: ['optional', 'multiple', 'multiple_token'], args: [{ name: 'name', type: 'string' }, { name: 'value', type: 'string' }] },
      { name: 'args', type: 'block', token: 'ARGS', flags: ['optional', 'multiple'], args: [{ name: 'arg', type: 'string' }] },
    ],
  }),
  sub('unload', 3, PROTECTED, '4.0.0', 'Unload a module', () => err('ERR Error unloading module: no such module with that name'), {
    complexity: 'O(1)',
    args: [{ name: 'name', type: 'string' }],
  }),
]);
moduleCommand.meta = m('Depends on subcommand.');

export const moduleCommands: CommandSpec[] = [moduleCommand];
