// Replies describing instances (addReplySentinelRedisInstance, sentinel.md §14): RESP2 maps, i.e.
// flat arrays of field names and values, numbers as bulk strings.
import { arr, bulk, map, type Reply } from '../net/resp.ts';
import {
  FAILOVER_STATE_NAMES,
  MASTER_LINK_STATUS_UP,
  SRI_FAILOVER_IN_PROGRESS,
  SRI_FORCE_FAILOVER,
  SRI_MASTER,
  SRI_MASTER_DOWN,
  SRI_O_DOWN,
  SRI_PROMOTED,
  SRI_RECONF_DONE,
  SRI_RECONF_INPROG,
  SRI_RECONF_SENT,
  SRI_S_DOWN,
  SRI_SCRIPT_KILL_SENT,
  SRI_SENTINEL,
  SRI_SLAVE,
  type Instance,
} from './instance.ts';
import type { SentinelState } from './state.ts';

/** The `flags` field: comma-joined in Redis's order. */
export function flagsString(ri: Instance): string {
  const f: string[] = [];
  if (ri.flags & SRI_S_DOWN) f.push('s_down');
  if (ri.flags & SRI_O_DOWN) f.push('o_down');
  if (ri.flags & SRI_MASTER) f.push('master');
  if (ri.flags & SRI_SLAVE) f.push('slave');
  if (ri.flags & SRI_SENTINEL) f.push('sentinel');
  if (ri.link.disconnected) f.push('disconnected');
  if (ri.flags & SRI_MASTER_DOWN) f.push('master_down');
  if (ri.flags & SRI_FAILOVER_IN_PROGRESS) f.push('failover_in_progress');
  if (ri.flags & SRI_PROMOTED) f.push('promoted');
  if (ri.flags & SRI_RECONF_SENT) f.push('reconf_sent');
  if (ri.flags & SRI_RECONF_INPROG) f.push('reconf_inprog');
  if (ri.flags & SRI_RECONF_DONE) f.push('reconf_done');
  if (ri.flags & SRI_FORCE_FAILOVER) f.push('force_failover');
  if (ri.flags & SRI_SCRIPT_KILL_SENT) f.push('script_kill_sent');
  return f.join(',');
}

/** The field/value pairs of one instance, in Redis's order. */
export function instanceFields(S: SentinelState, ri: Instance): [string, string][] {
  const now = S.now();
  const link = ri.link;
  const out: [string, string][] = [
    ['name', ri.name],
    ['ip', ri.addr.ip],
    ['port', String(ri.addr.port)],
    ['runid', ri.runid ?? ''],
    ['flags', flagsString(ri)],
    ['link-pending-commands', String(link.pendingCommands)],
    ['link-refcount', String(link.refcount)],
  ];
  if (ri.flags & SRI_FAILOVER_IN_PROGRESS) out.push(['failover-state', FAILOVER_STATE_NAMES[ri.failoverState]]);
  out.push(['last-ping-sent', String(link.actPingTime ? now - link.actPingTime : 0)]);
  out.push(['last-ok-ping-reply', String(now - link.lastAvailTime)]);
  out.push(['last-ping-reply', String(now - link.lastPongTime)]);
  if (ri.flags & SRI_S_DOWN) out.push(['s-down-time', String(now - ri.sDownSinceTime)]);
  if (ri.flags & SRI_O_DOWN) out.push(['o-down-time', String(now - ri.oDownSinceTime)]);
  out.push(['down-after-milliseconds', String(ri.downAfterPeriod)]);
  if (ri.flags & (SRI_MASTER | SRI_SLAVE)) {
    out.push(['info-refresh', String(ri.infoRefresh ? now - ri.infoRefresh : 0)]);
    out.push(['role-reported', ri.roleReported === SRI_MASTER ? 'master' : 'slave']);
    out.push(['role-reported-time', String(now - ri.roleReportedTime)]);
  }
  if (ri.flags & SRI_MASTER) {
    out.push(['config-epoch', String(ri.configEpoch)]);
    out.push(['num-slaves', String(ri.slaves.size)]);
    out.push(['num-other-sentinels', String(ri.sentinels.size)]);
    out.push(['quorum', String(ri.quorum)]);
    out.push(['failover-timeout', String(ri.failoverTimeout)]);
    out.push(['parallel-syncs', String(ri.parallelSyncs)]);
    if (ri.notificationScript !== null) out.push(['notification-script', ri.notificationScript]);
    if (ri.clientReconfigScript !== null) out.push(['client-reconfig-script', ri.clientReconfigScript]);
  }
  if (ri.flags & SRI_SLAVE) {
    out.push(['master-link-down-time', String(ri.masterLinkDownTime)]);
    out.push(['master-link-status', ri.slaveMasterLinkStatus === MASTER_LINK_STATUS_UP ? 'ok' : 'err']);
    out.push(['master-host', ri.slaveMasterHost ?? '?']);
    out.push(['master-port', String(ri.slaveMasterPort)]);
    out.push(['slave-priority', String(ri.slavePriority)]);
    out.push(['slave-repl-offset', String(ri.slaveReplOffset)]);
    out.push(['replica-announced', String(ri.replicaAnnounced)]);
  }
  if (ri.flags & SRI_SENTINEL) {
    out.push(['last-hello-message', String(now - ri.lastHelloTime)]);
    out.push(['voted-leader', ri.leader ?? '?']);
    out.push(['voted-leader-epoch', String(ri.leaderEpoch)]);
  }
  return out;
}

/** addReplyMapLen: a map (RESP2: the flat array of keys and values). */
export function mapReply(pairs: [string, string][]): Reply {
  const v: Reply[] = [];
  for (const [k, x] of pairs) v.push(bulk(k), bulk(x));
  return map(v);
}

export function instanceReply(S: SentinelState, ri: Instance): Reply {
  return mapReply(instanceFields(S, ri));
}

/** addReplyDictOfRedisInstances: replicas with replica-announced 0 are left out. */
export function instancesReply(S: SentinelState, instances: Iterable<Instance>): Reply {
  const v: Reply[] = [];
  for (const ri of instances) {
    if (ri.flags & SRI_SLAVE && !ri.replicaAnnounced) continue;
    v.push(instanceReply(S, ri));
  }
  return arr(v);
}
