// SSUBSCRIBE / SUNSUBSCRIBE / SPUBLISH and PUBSUB SHARDCHANNELS / SHARDNUMSUB of Redis 7.0.15
// (pubsub.c) on a server without cluster support: the shard channels of server/shard-pubsub.ts.
import { arr, bulk, err, int, type Resp } from '../../net/resp.ts';
import { stringMatch } from '../keyspace/glob.ts';
import { NO_REPLY, type CallContext } from '../server/call.ts';
import type { Client } from '../server/client.ts';
import { cmd, subcommandSyntaxError } from '../server/cmdutil.ts';
import { serverOf } from '../server/server.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './context.ts';
import type { CommandMeta, KeySpec } from './meta.ts';

function ssubscribe(ctx: CommandContext): Resp {
  // CLIENT_DENY_BLOCKING (inside MULTI or a script): unlike SUBSCRIBE, no exception for MULTI
  if (ctx.inTransaction) return err("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
  const s = serverOf(ctx);
  for (const ch of ctx.argv.slice(1)) s.pubsub.shard.subscribe(ctx.client as Client, ch);
  return NO_REPLY;
}

function sunsubscribe(ctx: CommandContext): Resp {
  const shard = serverOf(ctx).pubsub.shard;
  const c = ctx.client as Client;
  if (ctx.argv.length === 1) shard.unsubscribeAll(c, true);
  else for (const ch of ctx.argv.slice(1)) shard.unsubscribe(c, ch, true);
  return NO_REPLY;
}

/** SPUBLISH: like PUBLISH, replicated to replicas without cluster (forceCommandPropagation REPL). */
function spublish(ctx: CommandContext): Resp {
  const n = serverOf(ctx).pubsub.shard.publish(ctx.argv[1]!, ctx.argv[2]!);
  (ctx as CallContext).forceRepl = true;
  return int(n);
}

/** PUBSUB SHARDCHANNELS [pattern]. */
export function shardChannels(ctx: CommandContext): Resp {
  if (ctx.argv.length > 3) return subcommandSyntaxError(ctx);
  const pat = ctx.argv[2];
  const names = [...serverOf(ctx).pubsub.shard.channels.keys()].filter((ch) => pat === undefined || stringMatch(pat, ch));
  return arr(names.map((n) => bulk(n)));
}

/** PUBSUB SHARDNUMSUB [channel ...]. */
export function shardNumsub(ctx: CommandContext): Resp {
  const shard = serverOf(ctx).pubsub.shard;
  return arr(ctx.argv.slice(2).flatMap((ch) => [bulk(ch), int(shard.channels.get(ch)?.length ?? 0)]));
}

/** A shard channel is described as a key spec with not_key (so cluster clients can route it). */
const channelSpec = (lastkey: number): KeySpec => ({ flags: ['not_key'], bs: { index: 1 }, fk: { range: [lastkey, 1, 0] } });
const withMeta = (s: CommandSpec, m: CommandMeta) => ((s.meta = m), s);
const SUBF: CommandFlag[] = ['pubsub', 'noscript', 'loading', 'stale'];

export const shardPubsubCommands: CommandSpec[] = [
  withMeta(cmd('spublish', 3, ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], 'pubsub', '7.0.0', 'Post a message to a shard channel', spublish, [1, 1, 1]), {
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
    keySpecs: [channelSpec(0)],
    args: [
      { name: 'shardchannel', type: 'string' },
      { name: 'message', type: 'string' },
    ],
  }),
  withMeta(cmd('ssubscribe', -2, SUBF, 'pubsub', '7.0.0', 'Listen for messages published to the given shard channels', ssubscribe, [1, -1, 1]), {
    complexity: 'O(N) where N is the number of shard channels to subscribe to.',
    keySpecs: [channelSpec(-1)],
    args: [{ name: 'shardchannel', type: 'string', flags: ['multiple'] }],
  }),
  withMeta(cmd('sunsubscribe', -1, SUBF, 'pubsub', '7.0.0', 'Stop listening for messages posted to the given shard channels', sunsubscribe, [1, -1, 1]), {
    complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
    keySpecs: [channelSpec(-1)],
    args: [{ name: 'shardchannel', type: 'string', flags: ['optional', 'multiple'] }],
  }),
];
