// INFO replication and ROLE in 7.0.15's exact layout (replication.md §14, §15; server.c genRedisInfoString,
// replication.c roleCommand).
import { arr, bulk, int, type Resp } from '../../net/resp.ts';
import type { Replication } from './replication.ts';
import { isHandshake, type ReplicaState, type ReplState } from './types.ts';

/** replstateToString. */
export function replicaStateString(st: ReplicaState): string {
  if (st === 'wait_bgsave_start' || st === 'wait_bgsave_end') return 'wait_bgsave';
  return st;
}

/** The IP shown for a replica: its announced address, else the peer address. */
function replicaIp(addr: string, announced: string | null): string {
  return announced ?? addr.slice(0, addr.lastIndexOf(':'));
}

/** The body of "# Replication" (without the header). */
export function infoLines(r: Replication): string[] {
  const s = r.s;
  const st = s.repl;
  const side = r.replica;
  const now = r.unixtime();
  const lines = [`role:${st.isReplica ? 'slave' : 'master'}`];
  if (st.isReplica) {
    let off = 1;
    let readOff = 1;
    if (side.master) {
      off = side.master.reploff;
      readOff = side.master.readReploff;
    } else if (side.cached) {
      off = side.cached.reploff;
      readOff = side.cached.reploff;
    }
    lines.push(
      `master_host:${st.masterHost}`,
      `master_port:${st.masterPort}`,
      `master_link_status:${side.state === 'connected' ? 'up' : 'down'}`,
      `master_last_io_seconds_ago:${side.master ? now - side.master.lastInteraction : -1}`,
      `master_sync_in_progress:${side.state === 'transfer' ? 1 : 0}`,
      `slave_read_repl_offset:${readOff}`,
      `slave_repl_offset:${off}`,
    );
    if (side.state === 'transfer') {
      const perc = side.transferSize > 0 ? (side.transferRead / side.transferSize) * 100 : 0;
      lines.push(
        `master_sync_total_bytes:${side.transferSize}`,
        `master_sync_read_bytes:${side.transferRead}`,
        `master_sync_left_bytes:${side.transferSize - side.transferRead}`,
        `master_sync_perc:${perc.toFixed(2)}`,
        `master_sync_last_io_seconds_ago:${now - side.transferLastIo}`,
      );
    }
    if (side.state !== 'connected') lines.push(`master_link_down_since_seconds:${side.downSince ? now - side.downSince : -1}`);
    lines.push(
      `slave_priority:${s.conf.int('replica-priority')}`,
      `slave_read_only:${s.conf.bool('replica-read-only') ? 1 : 0}`,
      `replica_announced:${s.conf.bool('replica-announced') ? 1 : 0}`,
    );
  }
  lines.push(`connected_slaves:${r.links.length}`);
  if (s.conf.int('min-replicas-to-write') > 0 && s.conf.int('min-replicas-max-lag') > 0) lines.push(`min_slaves_good_slaves:${st.goodReplicas}`);
  r.links.forEach((l, i) => {
    const lag = l.state === 'online' ? now - l.ackTime : 0;
    lines.push(
      `slave${i}:ip=${replicaIp(l.c.addr, l.conf.ip)},port=${l.conf.listeningPort},state=${replicaStateString(l.state)},offset=${l.ackOff},lag=${lag}`,
    );
  });
  const b = r.backlog;
  lines.push(
    `master_failover_state:${r.failover.state}`,
    `master_replid:${st.replid}`,
    `master_replid2:${st.replid2}`,
    `master_repl_offset:${st.masterReplOffset}`,
    `second_repl_offset:${st.secondReplOffset}`,
    `repl_backlog_active:${b ? 1 : 0}`,
    `repl_backlog_size:${r.backlogSize}`,
    `repl_backlog_first_byte_offset:${b ? b.offset : 0}`,
    `repl_backlog_histlen:${b ? b.histlen : 0}`,
  );
  // keep the shared view (ReplicationState.replicas) in step for other readers
  st.replicas = r.links.map((l) => ({
    ip: replicaIp(l.c.addr, l.conf.ip),
    port: l.conf.listeningPort,
    state: replicaStateString(l.state) as 'wait_bgsave' | 'send_bulk' | 'online',
    offset: l.ackOff,
    lag: l.state === 'online' ? now - l.ackTime : 0,
  }));
  return lines;
}

/** ROLE's state word for a replica. */
export function roleState(st: ReplState): string {
  if (isHandshake(st)) return 'handshake';
  switch (st) {
    case 'none':
      return 'none';
    case 'connect':
      return 'connect';
    case 'connecting':
      return 'connecting';
    case 'transfer':
      return 'sync';
    case 'connected':
      return 'connected';
    default:
      return 'unknown';
  }
}

/** ROLE (§15). */
export function roleReply(r: Replication): Resp {
  const st = r.s.repl;
  if (!st.isReplica) {
    const replicas = r.links
      .filter((l) => l.state === 'online')
      .map((l) => arr([bulk(replicaIp(l.c.addr, l.conf.ip)), bulk(String(l.conf.listeningPort)), bulk(String(l.ackOff))]));
    return arr([bulk('master'), int(st.masterReplOffset), arr(replicas)]);
  }
  const side = r.replica;
  return arr([bulk('slave'), bulk(st.masterHost), int(st.masterPort), bulk(roleState(side.state)), int(side.master ? side.master.reploff : -1)]);
}
