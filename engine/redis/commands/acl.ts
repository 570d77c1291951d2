// The ACL command of redis-server 7.0.15 (a container; subcommands as COMMAND INFO lists them),
// running the shared ACL engine (engine/redis/acl/commands.ts).
import { aclCommand } from '../acl/commands.ts';
import { aclHost } from '../server/acl-host.ts';
import { cmd } from '../server/cmdutil.ts';
import { clientOf } from '../server/client-command.ts';
import { serverOf } from '../server/server.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './context.ts';

const ADMIN: CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];
const PLAIN: CommandFlag[] = ['noscript', 'loading', 'stale'];

const run = (ctx: CommandContext) => aclCommand(aclHost(serverOf(ctx)), clientOf(ctx), ctx.argv);
const sub = (name: string, arity: number, flags: CommandFlag[], since: string, summary: string) =>
  cmd(`acl|${name}`, arity, flags, 'server', since, summary, run);

export const aclCommandSpec: CommandSpec = cmd(
  'acl',
  -2,
  [],
  'server',
  '6.0.0',
  'A container for Access List Control commands ',
  run,
  [0, 0, 0],
  [
    sub('cat', -2, PLAIN, '6.0.0', 'List the ACL categories or the commands inside a category'),
    sub('deluser', -3, ADMIN, '6.0.0', 'Remove the specified ACL users and the associated rules'),
    sub('dryrun', -4, ADMIN, '7.0.0', 'Returns whether the user can execute the given command without executing the command.'),
    sub('genpass', -2, PLAIN, '6.0.0', 'Generate a pseudorandom secure password to use for ACL users'),
    sub('getuser', 3, ADMIN, '6.0.0', 'Get the rules for a specific ACL user'),
    sub('help', 2, ['loading', 'stale'], '6.0.0', 'Show helpful text about the different subcommands'),
    sub('list', 2, ADMIN, '6.0.0', 'List the current ACL rules in ACL config file format'),
    sub('load', 2, ADMIN, '6.0.0', 'Reload the ACLs from the configured ACL file'),
    sub('log', -2, ADMIN, '6.0.0', 'List latest events denied because of ACLs in place'),
    sub('save', 2, ADMIN, '6.0.0', 'Save the current ACL rules in the configured ACL file'),
    sub('setuser', -3, ADMIN, '6.0.0', 'Modify or create the rules for a specific ACL user'),
    sub('users', 2, ADMIN, '6.0.0', 'List the username of all the configured ACL rules'),
    sub('whoami', 2, PLAIN, '6.0.0', 'Return the name of the user associated to the current connection'),
  ],
);

export const aclCommands: CommandSpec[] = [aclCommandSpec];
