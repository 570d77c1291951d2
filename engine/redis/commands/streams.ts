// The stream command table (src/commands/x*.json of Redis 7.0.15): group "stream".
import type { CommandContext, CommandFlag, CommandSpec } from './context.ts';
import { specBuilder } from './context.ts';
import { addHandlers } from './streams-add.ts';
import { claimHandlers } from './streams-claim.ts';
import { groupHandlers } from './streams-groups.ts';
import { infoHandlers } from './streams-info.ts';
import { readHandlers } from './streams-read.ts';
import { kw } from './streams-common.ts';

const spec = specBuilder('stream');
const K1: [number, number, number] = [1, 1, 1];
const K2: [number, number, number] = [2, 2, 1];
const K0: [number, number, number] = [0, 0, 0];
const W: CommandFlag[] = ['write'];
const WF: CommandFlag[] = ['write', 'fast'];
const WDF: CommandFlag[] = ['write', 'denyoom', 'fast'];
const R: CommandFlag[] = ['readonly'];
const HELP_FLAGS: CommandFlag[] = ['loading', 'stale'];

/** XREAD/XREADGROUP keys: after STREAMS, the first half of what follows (keyword key-spec). */
function readKeys(argv: readonly string[]): number[] {
  const from = argv[0]!.length === 10 ? 4 : 1;
  for (let i = from; i < argv.length; i++) {
    if (kw(argv[i]!) !== 'streams') continue;
    const n = Math.floor((argv.length - i - 1) / 2);
    return Array.from({ length: n }, (_, k) => i + 1 + k);
  }
  return [];
}

function sub(container: string, name: string, arity: number, flags: CommandFlag[], keys: [number, number, number], since: string, summary: string, h: (c: CommandContext) => ReturnType<CommandSpec['handler']>): CommandSpec {
  return spec(`${container}|${name}`, arity, flags, keys, since, summary, h);
}

const xgroupSubs: CommandSpec[] = [
  sub('xgroup', 'create', -5, ['write', 'denyoom'], K2, '5.0.0', 'Create a consumer group.', groupHandlers.xgroup),
  sub('xgroup', 'createconsumer', 5, ['write', 'denyoom'], K2, '6.2.0', 'Create a consumer in a consumer group.', groupHandlers.xgroup),
  sub('xgroup', 'delconsumer', 5, W, K2, '5.0.0', 'Delete a consumer from a consumer group.', groupHandlers.xgroup),
  sub('xgroup', 'destroy', 4, W, K2, '5.0.0', 'Destroy a consumer group.', groupHandlers.xgroup),
  sub('xgroup', 'help', 2, HELP_FLAGS, K0, '5.0.0', 'Show helpful text about the different subcommands', groupHandlers.xgroup),
  sub('xgroup', 'setid', -5, W, K2, '5.0.0', 'Set a consumer group to an arbitrary last delivered ID value.', groupHandlers.xgroup),
];

const xinfoSubs: CommandSpec[] = [
  sub('xinfo', 'consumers', 4, R, K2, '5.0.0', 'List the consumers in a consumer group', infoHandlers.xinfo),
  sub('xinfo', 'groups', 3, R, K2, '5.0.0', 'List the consumer groups of a stream', infoHandlers.xinfo),
  sub('xinfo', 'help', 2, HELP_FLAGS, K0, '5.0.0', 'Show helpful text about the different subcommands', infoHandlers.xinfo),
  sub('xinfo', 'stream', -3, R, K2, '5.0.0', 'Get information about a stream', infoHandlers.xinfo),
];

export const streamCommands: CommandSpec[] = [
  spec('xack', -4, WF, K1, '5.0.0', 'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.', groupHandlers.xack),
  spec('xadd', -5, WDF, K1, '5.0.0', 'Appends a new entry to a stream', addHandlers.xadd),
  spec('xautoclaim', -6, WF, K1, '6.2.0', 'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.', claimHandlers.xautoclaim),
  spec('xclaim', -6, WF, K1, '5.0.0', 'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.', claimHandlers.xclaim),
  spec('xdel', -3, WF, K1, '5.0.0', 'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.', addHandlers.xdel),
  { ...spec('xgroup', -2, [], K0, '5.0.0', 'A container for consumer groups commands', groupHandlers.xgroup), subcommands: xgroupSubs },
  { ...spec('xinfo', -2, [], K0, '5.0.0', 'A container for stream introspection commands', infoHandlers.xinfo), subcommands: xinfoSubs },
  spec('xlen', 2, ['readonly', 'fast'], K1, '5.0.0', 'Return the number of entries in a stream', addHandlers.xlen),
  spec('xpending', -3, R, K1, '5.0.0', 'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.', groupHandlers.xpending),
  spec('xrange', -4, R, K1, '5.0.0', 'Return a range of elements in a stream, with IDs matching the specified IDs interval', addHandlers.xrange),
  {
    ...spec('xread', -4, ['readonly', 'blocking'], K0, '5.0.0', 'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.', readHandlers.xread),
    getKeys: readKeys,
  },
  {
    ...spec('xreadgroup', -7, ['write', 'blocking'], K0, '5.0.0', 'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.', readHandlers.xreadgroup),
    getKeys: readKeys,
  },
  spec('xrevrange', -4, R, K1, '5.0.0', 'Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE', addHandlers.xrevrange),
  spec('xsetid', -3, WDF, K1, '5.0.0', 'An internal command for replicating stream values', addHandlers.xsetid),
  spec('xtrim', -4, W, K1, '5.0.0', "Trims the stream to (approximately if '~' is passed) a certain size", addHandlers.xtrim),
];
