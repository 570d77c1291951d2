// Replication (replication.md): installed on every server at boot; commands registered by the table.
import type { RedisServer } from '../server/server.ts';
import { Replication } from './replication.ts';

/** Attach replication to a server whose config is loaded (before the dataset is loaded). */
export function installReplication(s: RedisServer): Replication {
  return new Replication(s);
}

export { Replication, replicationOf } from './replication.ts';
export { replicationCommands } from './commands.ts';
export { infoLines as replicationInfoLines, roleReply } from './info.ts';
export type { ReplicaLink } from './master.ts';
export type { MasterLink, CachedMaster } from './replica.ts';
export type { LinkPayload, ReplState, StreamEntry } from './types.ts';
