// CLUSTER *, READONLY, READWRITE, ASKING of a Redis 7.0.15 started without cluster-enabled (cluster.c
// clusterCommand / readonlyCommand / readwriteCommand / askingCommand): every one of them answers
// "ERR This instance has cluster support disabled" (CLUSTER HELP included); an unknown subcommand and
// a wrong argument count are refused by the dispatcher first, as processCommand does.
import { err, type Resp } from '../../net/resp.ts';
import { NO_REPLY } from '../server/call.ts';
import { cmd } from '../server/cmdutil.ts';
import type { CommandFlag, CommandSpec } from './context.ts';
import type { CommandMeta, DocArg } from './meta.ts';

export const CLUSTER_DISABLED: Resp = err('ERR This instance has cluster support disabled');
const disabled = (): Resp => CLUSTER_DISABLED;

const ADMIN: CommandFlag[] = ['admin', 'stale', 'no_async_loading'];
const ADMIN_RO: CommandFlag[] = ['admin', 'stale'];
const STALE: CommandFlag[] = ['stale'];
const ND = ['nondeterministic_output'];

/** [name, arity, flags, since, summary, complexity, tips?, history?, docFlags?] as cluster.json files describe them. */
type Row = [string, number, CommandFlag[], string, string, string, string[]?, [string, string][]?, ('deprecated' | 'syscmd')[]?];

const SLOTS_N = 'O(N) where N is the total number of hash slot arguments';
const RANGE_N = 'O(N) where N is the total number of the slots between the start slot and end slot arguments.';
const NODES_N = 'O(N) where N is the total number of Cluster nodes';

const ROWS: Row[] = [
  ['addslots', -3, ADMIN, '3.0.0', 'Assign new hash slots to receiving node', SLOTS_N],
  ['addslotsrange', -4, ADMIN, '7.0.0', 'Assign new hash slots to receiving node', RANGE_N],
  ['bumpepoch', 2, ADMIN, '3.0.0', 'Advance the cluster config epoch', 'O(1)', ND],
  ['count-failure-reports', 3, ADMIN_RO, '3.0.0', 'Return the number of failure reports active for a given node', 'O(N) where N is the number of failure reports', ND],
  ['countkeysinslot', 3, STALE, '3.0.0', 'Return the number of local keys in the specified hash slot', 'O(1)'],
  ['delslots', -3, ADMIN, '3.0.0', 'Set hash slots as unbound in receiving node', SLOTS_N],
  ['delslotsrange', -4, ADMIN, '7.0.0', 'Set hash slots as unbound in receiving node', RANGE_N],
  ['failover', -2, ADMIN, '3.0.0', 'Forces a replica to perform a manual failover of its master.', 'O(1)'],
  ['flushslots', 2, ADMIN, '3.0.0', "Delete a node's own slots information", 'O(1)'],
  ['forget', 3, ADMIN, '3.0.0', 'Remove a node from the nodes table', 'O(1)'],
  ['getkeysinslot', 4, STALE, '3.0.0', 'Return local key names in the specified hash slot', 'O(log(N)) where N is the number of requested keys', ND],
  ['help', 2, ['loading', 'stale'], '5.0.0', 'Show helpful text about the different subcommands', 'O(1)'],
  ['info', 2, STALE, '3.0.0', 'Provides info about Redis Cluster node state', 'O(1)', ND],
  ['keyslot', 3, STALE, '3.0.0', 'Returns the hash slot of the specified key', 'O(N) where N is the number of bytes in the key'],
  ['links', 2, STALE, '7.0.0', 'Returns a list of all TCP links to and from peer nodes in cluster', NODES_N, ND],
  ['meet', -4, ADMIN, '3.0.0', 'Force a node cluster to handshake with another node', 'O(1)', [], [['4.0.0', 'Added the optional `cluster_bus_port` argument.']]],
  ['myid', 2, STALE, '3.0.0', 'Return the node id', 'O(1)'],
  ['nodes', 2, STALE, '3.0.0', 'Get Cluster config for the node', NODES_N, ND],
  ['replicas', 3, ADMIN_RO, '5.0.0', 'List replica nodes of the specified master node', 'O(1)', ND],
  ['replicate', 3, ADMIN, '3.0.0', 'Reconfigure a node as a replica of the specified master node', 'O(1)'],
  ['reset', -2, ['admin', 'noscript', 'stale'], '3.0.0', 'Reset a Redis Cluster node', 'O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.'],
  ['saveconfig', 2, ADMIN, '3.0.0', 'Forces the node to save cluster state on disk', 'O(1)'],
  ['set-config-epoch', 3, ADMIN, '3.0.0', 'Set the configuration epoch in a new node', 'O(1)'],
  ['setslot', -4, ADMIN, '3.0.0', 'Bind a hash slot to a specific node', 'O(1)'],
  ['shards', 2, STALE, '7.0.0', 'Get array of cluster slots to node mappings', 'O(N) where N is the total number of cluster nodes', ND],
  ['slaves', 3, ADMIN_RO, '3.0.0', 'List replica nodes of the specified master node', 'O(1)', ND, [], ['deprecated']],
  [
    'slots', 2, STALE, '3.0.0', 'Get array of Cluster slot to node mappings', NODES_N, ND,
    [['4.0.0', 'Added node IDs.'], ['7.0.0', 'Added additional networking metadata field.']], ['deprecated'],
  ],
];

const NODE_ID: DocArg[] = [{ name: 'node-id', type: 'string' }];
const SLOTS: DocArg[] = [{ name: 'slot', type: 'integer', flags: ['multiple'] }];
const RANGES: DocArg[] = [
  { name: 'start-slot_end-slot', type: 'block', flags: ['multiple'], args: [{ name: 'start-slot', type: 'integer' }, { name: 'end-slot', type: 'integer' }] },
];
/** COMMAND DOCS arguments of the subcommands that take any. */
const ARGS: Record<string, DocArg[]> = {
  addslots: SLOTS,
  addslotsrange: RANGES,
  'count-failure-reports': NODE_ID,
  countkeysinslot: [{ name: 'slot', type: 'integer' }],
  delslots: SLOTS,
  delslotsrange: RANGES,
  failover: [{ name: 'options', type: 'oneof', flags: ['optional'], args: [{ name: 'force', type: 'pure-token', token: 'FORCE' }, { name: 'takeover', type: 'pure-token', token: 'TAKEOVER' }] }],
  forget: NODE_ID,
  getkeysinslot: [{ name: 'slot', type: 'integer' }, { name: 'count', type: 'integer' }],
  keyslot: [{ name: 'key', type: 'string' }],
  meet: [{ name: 'ip', type: 'string' }, { name: 'port', type: 'integer' }, { name: 'cluster_bus_port', type: 'integer', since: '4.0.0', flags: ['optional'] }],
  replicas: NODE_ID,
  replicate: NODE_ID,
  reset: [{ name: 'hard_soft', type: 'oneof', flags: ['optional'], args: [{ name: 'hard', type: 'pure-token', token: 'HARD' }, { name: 'soft', type: 'pure-token', token: 'SOFT' }] }],
  'set-config-epoch': [{ name: 'config-epoch', type: 'integer' }],
  setslot: [
    { name: 'slot', type: 'integer' },
    {
      name: 'subcommand',
      type: 'oneof',
      args: [
        { name: 'node-id', type: 'string', token: 'IMPORTING' },
        { name: 'node-id', type: 'string', token: 'MIGRATING' },
        { name: 'node-id', type: 'string', token: 'NODE' },
        { name: 'stable', type: 'pure-token', token: 'STABLE' },
      ],
    },
  ],
  slaves: NODE_ID,
};

/** Deprecated subcommands: since when, and by what (COMMAND DOCS deprecated_since / replaced_by). */
const REPLACED: Record<string, [string, string]> = { slaves: ['5.0.0', '`CLUSTER REPLICAS`'], slots: ['7.0.0', '`CLUSTER SHARDS`'] };

function meta(complexity: string, tips: string[] = [], history: [string, string][] = [], docFlags: ('deprecated' | 'syscmd')[] = []): CommandMeta {
  const m: CommandMeta = { complexity };
  if (tips.length) m.tips = tips;
  if (history.length) m.history = history;
  if (docFlags.length) m.docFlags = docFlags;
  return m;
}

function withMeta(spec: CommandSpec, m: CommandMeta): CommandSpec {
  spec.meta = m;
  return spec;
}

const subcommands = ROWS.map(([name, arity, flags, since, summary, complexity, tips, history, docFlags]) => {
  const m = meta(complexity, tips, history, docFlags);
  const r = REPLACED[name];
  if (r) [m.deprecatedSince, m.replacedBy] = r;
  if (ARGS[name]) m.args = ARGS[name];
  return withMeta(cmd(`cluster|${name}`, arity, flags, 'cluster', since, summary, disabled), m);
});

export const clusterCommands: CommandSpec[] = [
  withMeta(cmd('cluster', -2, [], 'cluster', '3.0.0', 'A container for cluster commands', () => NO_REPLY, [0, 0, 0], subcommands), meta('Depends on subcommand.')),
  withMeta(cmd('readonly', 1, ['loading', 'stale', 'fast'], 'cluster', '3.0.0', 'Enables read queries for a connection to a cluster replica node', disabled), meta('O(1)')),
  withMeta(cmd('readwrite', 1, ['loading', 'stale', 'fast'], 'cluster', '3.0.0', 'Disables read queries for a connection to a cluster replica node', disabled), meta('O(1)')),
  withMeta(cmd('asking', 1, ['fast'], 'cluster', '3.0.0', 'Sent by cluster clients after an -ASK redirect', disabled), meta('O(1)')),
];
