// REPLICAOF / SLAVEOF effects (replication.md §7; replication.c replicationSetMaster /
// replicationUnsetMaster): becoming a replica of a new master, or a master again.
import { isPostponed } from '../server/pause.ts';
import type { ReplicaSide } from './replica.ts';
import type { Replication } from './replication.ts';

/** replicationSetMaster. */
export function setMaster(side: ReplicaSide, host: string, port: number): void {
  const r = side.r;
  const st = side.s.repl;
  const wasMaster = !st.isReplica;
  // masterhost is cleared first so that freeing the old master does not reconnect to it
  st.role = 'master';
  if (side.master) side.freeMaster();
  disconnectAllBlockedClients(r);
  st.role = 'replica';
  st.masterHost = host;
  st.masterPort = port;
  setReplicaOfConfig(r, { host, port });
  side.cancelHandshake(false);
  if (wasMaster) {
    side.discardCached();
    side.cacheMasterUsingMyself();
  }
  side.setState('connect');
  side.log('*', `Connecting to MASTER ${side.hostPort}`);
  side.connect();
}

/** replicationUnsetMaster. */
export function unsetMaster(side: ReplicaSide): void {
  const r = side.r;
  const st = side.s.repl;
  if (!st.isReplica) return;
  st.role = 'master';
  setReplicaOfConfig(r, null);
  if (side.master) side.freeMaster();
  side.discardCached();
  side.cancelHandshake(false);
  side.closeConn();
  r.shiftReplicationId();
  r.disconnectReplicas();
  side.setState('none');
  st.masterHost = '';
  st.masterPort = 0;
  r.seldb = -1;
  r.noReplicasSince = r.unixtime();
  side.downSince = 0;
}

/** disconnectAllBlockedClients: a master turned replica drops its blocked clients. */
function disconnectAllBlockedClients(r: Replication): void {
  for (const c of [...r.s.clients.values()]) {
    // postponed clients (CLIENT PAUSE, FAILOVER) are processed again from scratch once unpaused
    if (!c.blocked || isPostponed(c)) continue;
    r.s.blocks.unblock(c);
    c.addReply({ t: 'error', v: 'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)' });
    r.s.freeClient(c);
  }
}

/** server.masterhost is the `replicaof` config: CONFIG GET / REWRITE see REPLICAOF's effect. */
function setReplicaOfConfig(r: Replication, target: { host: string; port: number } | null): void {
  const conf = r.s.conf as { setReplicaOf?: (t: { host: string; port: number } | null) => void };
  conf.setReplicaOf?.(target);
}
