// SLOWLOG GET / LEN / RESET / HELP (slowlog.c slowlogCommand); the log itself is server/slowlog.ts.
import { NO_REPLY } from '../server/call.ts';
import { cmd, helpReply } from '../server/cmdutil.ts';
import { serverOf } from '../server/server.ts';
import { SLOWLOG_HELP, slowlogGet, slowlogLen, slowlogReset } from '../server/slowlog.ts';
import type { CommandFlag, CommandSpec } from './context.ts';
import type { CommandMeta } from './meta.ts';

const F: CommandFlag[] = ['admin', 'loading', 'stale'];
const sub = (name: string, arity: number, flags: CommandFlag[], summary: string, h: CommandSpec['handler'], meta: CommandMeta, since = '2.2.12') => {
  const s = cmd(`slowlog|${name}`, arity, flags, 'server', since, summary, h);
  s.meta = meta;
  return s;
};

const slowlog = cmd('slowlog', -2, [], 'server', '2.2.12', 'A container for slow log commands', () => NO_REPLY, [0, 0, 0], [
  sub('get', -2, F, "Get the slow log's entries", (ctx) => slowlogGet(serverOf(ctx), ctx.argv[2]), {
    complexity: 'O(N) where N is the number of entries returned',
    tips: ['request_policy:all_nodes', 'nondeterministic_output'],
    history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
    args: [{ name: 'count', type: 'integer', flags: ['optional'] }],
  }),
  sub('help', 2, ['loading', 'stale'], 'Show helpful text about the different subcommands', (ctx) => helpReply(ctx, SLOWLOG_HELP), { complexity: 'O(1)' }, '6.2.0'),
  sub('len', 2, F, "Get the slow log's length", (ctx) => slowlogLen(serverOf(ctx)), {
    complexity: 'O(1)',
    tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
  }),
  sub('reset', 2, F, 'Clear all entries from the slow log', (ctx) => slowlogReset(serverOf(ctx)), {
    complexity: 'O(N) where N is the number of entries in the slowlog',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  }),
]);
slowlog.meta = { complexity: 'Depends on subcommand.' };

export const slowlogCommands: CommandSpec[] = [slowlog];
