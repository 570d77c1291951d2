// Pub/Sub commands of Redis 7.0.15 (pubsub.c): (P)SUBSCRIBE, (P)UNSUBSCRIBE, PUBLISH, PUBSUB *.
import { arr, bulk, int, type Resp } from '../../net/resp.ts';
import { NO_REPLY, type CallContext } from '../server/call.ts';
import type { Client } from '../server/client.ts';
import { cmd, helpReply, subcommandSyntaxError } from '../server/cmdutil.ts';
import { stringMatch } from '../keyspace/glob.ts';
import { serverOf } from '../server/server.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './context.ts';
import { shardChannels, shardNumsub } from './pubsub-shard.ts';
import type { CommandMeta } from './meta.ts';

const withMeta = (s: CommandSpec, m: CommandMeta): CommandSpec => ((s.meta = m), s);

const clientOf = (ctx: CommandContext) => ctx.client as Client;

function subscribe(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  const c = clientOf(ctx);
  for (const ch of ctx.argv.slice(1)) s.pubsub.subscribe(c, ch);
  return NO_REPLY;
}

function unsubscribe(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  const c = clientOf(ctx);
  if (ctx.argv.length === 1) s.pubsub.unsubscribeAll(c, true);
  else for (const ch of ctx.argv.slice(1)) s.pubsub.unsubscribe(c, ch, true);
  return NO_REPLY;
}

function psubscribe(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  const c = clientOf(ctx);
  for (const p of ctx.argv.slice(1)) s.pubsub.psubscribe(c, p);
  return NO_REPLY;
}

function punsubscribe(ctx: CommandContext): Resp {
  const s = serverOf(ctx);
  const c = clientOf(ctx);
  if (ctx.argv.length === 1) s.pubsub.punsubscribeAll(c, true);
  else for (const p of ctx.argv.slice(1)) s.pubsub.punsubscribe(c, p, true);
  return NO_REPLY;
}

/** PUBLISH: replicated (forceCommandPropagation REPL), never written to the AOF. */
function publish(ctx: CommandContext): Resp {
  const receivers = serverOf(ctx).pubsub.publish(ctx.argv[1]!, ctx.argv[2]!);
  (ctx as CallContext).forceRepl = true;
  return int(receivers);
}

function channels(ctx: CommandContext): Resp {
  if (ctx.argv.length > 3) return subcommandSyntaxError(ctx);
  const pat = ctx.argv[2];
  const names = [...serverOf(ctx).pubsub.channels.keys()].filter((ch) => pat === undefined || stringMatch(pat, ch));
  return arr(names.map((n) => bulk(n)));
}

function numsub(ctx: CommandContext): Resp {
  const ps = serverOf(ctx).pubsub;
  const out: Resp[] = [];
  for (const ch of ctx.argv.slice(2)) out.push(bulk(ch), int(ps.channels.get(ch)?.length ?? 0));
  return arr(out);
}

const HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  '    Return the currently active shard level channels matching a <pattern> (default: \'*\').',
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

const SUBF: CommandFlag[] = ['pubsub', 'noscript', 'loading', 'stale', 'sentinel'];
const PF: CommandFlag[] = ['pubsub', 'loading', 'stale'];

export const pubsubCommands: CommandSpec[] = [
  cmd('psubscribe', -2, SUBF, 'pubsub', '2.0.0', 'Listen for messages published to channels matching the given patterns', psubscribe),
  cmd('publish', 3, ['pubsub', 'loading', 'stale', 'fast', 'may_replicate', 'sentinel'], 'pubsub', '2.0.0', 'Post a message to a channel', publish),
  cmd('pubsub', -2, [], 'pubsub', '2.8.0', 'A container for Pub/Sub commands', () => NO_REPLY, [0, 0, 0], [
    cmd('pubsub|channels', -2, PF, 'pubsub', '2.8.0', 'List active channels', channels),
    cmd('pubsub|help', 2, ['loading', 'stale'], 'pubsub', '6.2.0', 'Show helpful text about the different subcommands', (ctx) => helpReply(ctx, HELP)),
    cmd('pubsub|numpat', 2, PF, 'pubsub', '2.8.0', 'Get the count of unique patterns pattern subscriptions', (ctx) =>
      int(serverOf(ctx).pubsub.patterns.size),
    ),
    cmd('pubsub|numsub', -2, PF, 'pubsub', '2.8.0', 'Get the count of subscribers for channels', numsub),
    withMeta(cmd('pubsub|shardchannels', -2, PF, 'pubsub', '7.0.0', 'List active shard channels', shardChannels), {
      complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
      args: [{ name: 'pattern', type: 'pattern', flags: ['optional'] }],
    }),
    withMeta(cmd('pubsub|shardnumsub', -2, PF, 'pubsub', '7.0.0', 'Get the count of subscribers for shard channels', shardNumsub), {
      complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
      args: [{ name: 'shardchannel', type: 'string', flags: ['optional', 'multiple'] }],
    }),
  ]),
  cmd('punsubscribe', -1, SUBF, 'pubsub', '2.0.0', 'Stop listening for messages posted to channels matching the given patterns', punsubscribe),
  cmd('subscribe', -2, SUBF, 'pubsub', '2.0.0', 'Listen for messages published to the given channels', subscribe),
  cmd('unsubscribe', -1, SUBF, 'pubsub', '2.0.0', 'Stop listening for messages posted to the given channels', unsubscribe),
];
