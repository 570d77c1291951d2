// Replication (replication.md): installed on every server at boot through the process factory;
// commands registered by the table.
import type { RedisServer } from '../server/server.ts';
import type { ReplicationLogLine, ReplicationPort } from '../server/replication-port.ts';
import { replicaStateString } from './info.ts';
import { linkName } from './master.ts';
import { Replication } from './replication.ts';

/** Attach replication to a server whose config is loaded (before the dataset is loaded). */
export function installReplication(s: RedisServer): ReplicationPort {
  const r = new Replication(s);
  return {
    afterLoad: () => r.afterLoad(),
    feedSpecial: (argv) => r.feedSpecial(argv),
    replicasAcked: (offset) => r.links.every((l) => l.ackOff === offset),
    shutdownReport: (offset) => shutdownReport(r, offset),
    flushOutputs: () => r.flushOutputs(),
  };
}

/** finishShutdown: the replicas that did not acknowledge everything, then the count in sync. */
function shutdownReport(r: Replication, offset: number): ReplicationLogLine[] {
  const out: ReplicationLogLine[] = [];
  const now = r.unixtime();
  let lagging = 0;
  for (const l of r.links) {
    if (l.ackOff === offset) continue;
    lagging++;
    const lag = l.state === 'online' ? now - l.ackTime : 0;
    out.push(['#', `Lagging replica ${linkName(l)} reported offset ${offset - l.ackOff} behind master, lag=${lag}, state=${replicaStateString(l.state)}.`]);
  }
  if (r.links.length > 0) out.push(['*', `${r.links.length - lagging} of ${r.links.length} replicas are in sync when shutting down.`]);
  return out;
}

export { Replication, replicationOf } from './replication.ts';
export { replicationCommands } from './commands.ts';
export { infoLines as replicationInfoLines, roleReply } from './info.ts';
export type { ReplicaLink } from './master.ts';
export type { MasterLink, CachedMaster } from './replica.ts';
export type { LinkPayload, ReplState, StreamEntry } from './types.ts';
