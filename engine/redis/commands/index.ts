// Wires every command group into the command table (once, at import time).
// Data groups are registered first; the server groups add only what those did not define
// (SELECT, DBSIZE... may live in either).
import { aclCommands } from './acl.ts';
import { bitopsCommands } from './bitops-table.ts';
import { clusterCommands } from './cluster.ts';
import { latencyCommands } from './latency.ts';
import { lolwutCommands } from './lolwut.ts';
import { moduleCommands } from './module.ts';
import { monitorCommands } from './monitor.ts';
import { shardPubsubCommands } from './pubsub-shard.ts';
import { slowlogCommands } from './slowlog.ts';
import { connectionCommands } from './connection.ts';
import { dumpCommands } from './dump.ts';
import { migrateCommands } from './migrate.ts';
import type { CommandSpec } from './context.ts';
import { genericCommands } from './generic.ts';
import { geoCommands } from './geo.ts';
import { hashCommands } from './hashes.ts';
import { hyperloglogCommands } from './hyperloglog.ts';
import { listCommands } from './lists.ts';
import { memoryCommands } from './memory.ts';
import { pubsubCommands } from './pubsub.ts';
import { replicationCommands } from '../replication/commands.ts';
import { scriptingCommands } from '../scripting/commands.ts';
import { serverCommands } from './server.ts';
import { setCommands } from './sets.ts';
import { sortCommands } from './sort.ts';
import { streamCommands } from './streams.ts';
import { stringsCommands } from './strings.ts';
import { lookupCommand, registerCommands } from './table.ts';
import { transactionCommands } from './transactions.ts';
import { zsetCommands } from './zsets.ts';

const dataGroups: readonly CommandSpec[][] = [
  stringsCommands,
  genericCommands,
  listCommands,
  hashCommands,
  setCommands,
  zsetCommands,
  bitopsCommands,
  hyperloglogCommands,
  geoCommands,
  sortCommands,
  dumpCommands,
  migrateCommands,
  streamCommands,
];
const serverGroups: readonly CommandSpec[][] = [connectionCommands, serverCommands, memoryCommands, pubsubCommands, transactionCommands, replicationCommands, scriptingCommands, aclCommands];
// operators' commands (issue 16 item 6)
const operatorGroups: readonly CommandSpec[][] = [clusterCommands, moduleCommands, slowlogCommands, latencyCommands, monitorCommands, lolwutCommands, shardPubsubCommands];

let wired = false;

/** Register all groups (idempotent). */
export function registerAllCommands(): void {
  if (wired) return;
  wired = true;
  for (const g of dataGroups) registerCommands(g.filter((s) => !lookupCommand(s.name)));
  for (const g of serverGroups) registerCommands(g.filter((s) => !lookupCommand(s.name)));
  for (const g of operatorGroups) registerCommands(g.filter((s) => !lookupCommand(s.name)));
}

registerAllCommands();
