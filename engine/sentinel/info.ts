// sentinelRefreshInstanceInfo (sentinel.md §6): parsing the INFO of masters and replicas, and acting
// on what it shows (+slave, role changes, promotion, +convert-to-slave, +fix-slave-config, reconf).
import {
  LL_NOTICE,
  LL_VERBOSE,
  LL_WARNING,
  SIMFAILURE_CRASH_AFTER_PROMOTION,
} from './constants.ts';
import { sentinelEvent } from './events.ts';
import { simFailureCrash } from './failover.ts';
import { forceHelloUpdateForMaster } from './hello.ts';
import {
  addrEqualsHost,
  FailoverState,
  MASTER_LINK_STATUS_DOWN,
  MASTER_LINK_STATUS_UP,
  noDownFor,
  SRI_FAILOVER_IN_PROGRESS,
  SRI_MASTER,
  SRI_MASTER_REBOOT,
  SRI_O_DOWN,
  SRI_PROMOTED,
  SRI_RECONF_DONE,
  SRI_RECONF_INPROG,
  SRI_RECONF_SENT,
  SRI_S_DOWN,
  SRI_SLAVE,
  type Instance,
} from './instance.ts';
import { flushConfig } from './persist.ts';
import { createInstance, lookupSlave } from './registry.ts';
import { sendSlaveOf } from './slaveof.ts';
import type { SentinelState } from './state.ts';
import { atoi, strtoll, strtoull } from './util.ts';

/** sentinelMasterLooksSane. */
export function masterLooksSane(S: SentinelState, master: Instance): boolean {
  return (
    (master.flags & SRI_MASTER) !== 0 &&
    master.roleReported === SRI_MASTER &&
    (master.flags & (SRI_S_DOWN | SRI_O_DOWN)) === 0 &&
    S.now() - master.infoRefresh < S.timings.infoPeriod * 2
  );
}

/** A "slave<N>:" line of a master's INFO: the replica address, or null. */
export function parseSlaveLine(l: string): { ip: string; port: number } | null {
  if (l.length < 7 || !l.startsWith('slave') || !/[0-9]/.test(l[5]!)) return null;
  let ip: string;
  let port: string;
  if (!l.includes('ip=')) {
    // old format: slave0:<ip>,<port>,<state>
    const c = l.indexOf(':');
    if (c < 0) return null;
    const rest = l.slice(c + 1);
    const p = rest.indexOf(',');
    if (p < 0) return null;
    ip = rest.slice(0, p);
    const after = rest.slice(p + 1);
    const e = after.indexOf(',');
    if (e < 0) return null;
    port = after.slice(0, e);
  } else {
    const i = l.indexOf('ip=');
    const pi = l.indexOf('port=');
    if (pi < 0) return null;
    ip = l.slice(i + 3).split(',')[0]!;
    port = l.slice(pi + 5).split(',')[0]!;
  }
  return { ip, port: atoi(port) };
}

export function refreshInstanceInfo(S: SentinelState, ri: Instance, info: string): void {
  const now = S.now();
  let role = 0;
  ri.info = info;
  // not reported → 0
  ri.masterLinkDownTime = 0;

  // fields are matched in place (startsWith at the line's offset): only the values read are sliced
  for (let from = 0; from <= info.length; ) {
    let to = info.indexOf('\r\n', from);
    if (to < 0) to = info.length;
    const at = from;
    const len = to - at;
    from = to + 2;
    if (len === 0) continue;
    const c = info.charCodeAt(at);
    if (c === 114 /* r */) {
      if (len >= 47 && info.startsWith('run_id:', at)) {
        const id = info.slice(at + 7, at + 47);
        if (ri.runid === null) ri.runid = id;
        else if (ri.runid !== id) {
          sentinelEvent(S, LL_NOTICE, '+reboot', ri, '%@');
          if (ri.flags & SRI_MASTER && ri.masterRebootDownAfterPeriod !== 0) {
            ri.flags |= SRI_MASTER_REBOOT;
            ri.masterRebootSinceTime = S.now();
          }
          ri.runid = id;
        }
      } else if (len >= 11 && info.startsWith('role:master', at)) role = SRI_MASTER;
      else if (len >= 10 && info.startsWith('role:slave', at)) role = SRI_SLAVE;
      else if (role === SRI_SLAVE && len >= 18 && info.startsWith('replica_announced:', at))
        ri.replicaAnnounced = atoi(info.slice(at + 18, to));
    } else if (c === 115 /* s */) {
      if (ri.flags & SRI_MASTER && len >= 7 && info.startsWith('slave', at)) {
        const d = info.charCodeAt(at + 5);
        const sl = d >= 48 && d <= 57 ? parseSlaveLine(info.slice(at, to)) : null;
        if (sl && lookupSlave(ri, sl.ip, sl.port) === null) {
          const slave = createInstance(S, null, SRI_SLAVE, sl.ip, sl.port, ri.quorum, ri);
          if (typeof slave !== 'string') {
            sentinelEvent(S, LL_NOTICE, '+slave', slave, '%@');
            flushConfig(S);
          }
        }
      }
      if (role === SRI_SLAVE) {
        if (len >= 15 && info.startsWith('slave_priority:', at)) ri.slavePriority = atoi(info.slice(at + 15, to));
        else if (len >= 18 && info.startsWith('slave_repl_offset:', at)) ri.slaveReplOffset = strtoull(info.slice(at + 18, to));
      }
    } else if (c === 109 /* m */) {
      if (len >= 32 && info.startsWith('master_link_down_since_seconds', at)) {
        ri.masterLinkDownTime = strtoll(info.slice(at + 31, to)) * 1000;
      } else if (role === SRI_SLAVE) {
        if (len >= 12 && info.startsWith('master_host:', at)) {
          const h = info.slice(at + 12, to);
          if (ri.slaveMasterHost === null || h.toLowerCase() !== ri.slaveMasterHost.toLowerCase()) {
            ri.slaveMasterHost = h;
            ri.slaveConfChangeTime = S.now();
          }
        } else if (len >= 12 && info.startsWith('master_port:', at)) {
          const p = atoi(info.slice(at + 12, to));
          if (ri.slaveMasterPort !== p) {
            ri.slaveMasterPort = p;
            ri.slaveConfChangeTime = S.now();
          }
        } else if (len >= 19 && info.startsWith('master_link_status:', at)) {
          ri.slaveMasterLinkStatus =
            info.slice(at + 19, to).toLowerCase() === 'up' ? MASTER_LINK_STATUS_UP : MASTER_LINK_STATUS_DOWN;
        }
      }
    }
  }
  ri.infoRefresh = now;

  // role change bookkeeping (VERBOSE: published, not logged at the default level)
  if (role !== ri.roleReported) {
    ri.roleReportedTime = S.now();
    ri.roleReported = role;
    if (role === SRI_SLAVE) ri.slaveConfChangeTime = S.now();
    sentinelEvent(
      S,
      LL_VERBOSE,
      (ri.flags & (SRI_MASTER | SRI_SLAVE)) === role ? '+role-change' : '-role-change',
      ri,
      `%@ new reported role is ${role === SRI_MASTER ? 'master' : 'slave'}`,
    );
  }

  // ---- acting half: nothing in TILT ----
  if (S.tilt) return;
  const master = ri.master;

  if (ri.flags & SRI_SLAVE && role === SRI_MASTER && master) {
    if (
      ri.flags & SRI_PROMOTED &&
      master.flags & SRI_FAILOVER_IN_PROGRESS &&
      master.failoverState === FailoverState.WAIT_PROMOTION
    ) {
      // the promotion is confirmed: the failover epoch becomes the master's config epoch
      master.configEpoch = master.failoverEpoch;
      master.failoverState = FailoverState.RECONF_SLAVES;
      master.failoverStateChangeTime = S.now();
      flushConfig(S);
      sentinelEvent(S, LL_WARNING, '+promoted-slave', ri, '%@');
      if (S.simfailureFlags & SIMFAILURE_CRASH_AFTER_PROMOTION) simFailureCrash(S);
      sentinelEvent(S, LL_WARNING, '+failover-state-reconf-slaves', master, '%@');
      // client-reconfig script (leader) not executed by the simulator
      forceHelloUpdateForMaster(S, master);
    } else {
      // a replica turned master behind our back: force our view after a while
      const waitTime = S.timings.publishPeriod * 4;
      if (
        !(ri.flags & SRI_PROMOTED) &&
        masterLooksSane(S, master) &&
        noDownFor(ri, S.now(), waitTime) &&
        S.now() - ri.roleReportedTime > waitTime
      ) {
        if (sendSlaveOf(S, ri, master.addr)) sentinelEvent(S, LL_NOTICE, '+convert-to-slave', ri, '%@');
      }
    }
  }

  // replicas replicating from a different master address
  if (
    ri.flags & SRI_SLAVE &&
    role === SRI_SLAVE &&
    master &&
    (ri.slaveMasterPort !== master.addr.port || !addrEqualsHost(master.addr, ri.slaveMasterHost))
  ) {
    const waitTime = master.failoverTimeout;
    if (
      masterLooksSane(S, master) &&
      noDownFor(ri, S.now(), waitTime) &&
      S.now() - ri.slaveConfChangeTime > waitTime
    ) {
      if (sendSlaveOf(S, ri, master.addr)) sentinelEvent(S, LL_NOTICE, '+fix-slave-config', ri, '%@');
    }
  }

  // failover progress of a replica being reconfigured
  if (ri.flags & SRI_SLAVE && role === SRI_SLAVE && master && ri.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG)) {
    const promoted = master.promotedSlave;
    if (
      ri.flags & SRI_RECONF_SENT &&
      promoted &&
      ri.slaveMasterHost !== null &&
      addrEqualsHost(promoted.addr, ri.slaveMasterHost) &&
      ri.slaveMasterPort === promoted.addr.port
    ) {
      ri.flags &= ~SRI_RECONF_SENT;
      ri.flags |= SRI_RECONF_INPROG;
      sentinelEvent(S, LL_NOTICE, '+slave-reconf-inprog', ri, '%@');
    }
    if (ri.flags & SRI_RECONF_INPROG && ri.slaveMasterLinkStatus === MASTER_LINK_STATUS_UP) {
      ri.flags &= ~SRI_RECONF_INPROG;
      ri.flags |= SRI_RECONF_DONE;
      sentinelEvent(S, LL_NOTICE, '+slave-reconf-done', ri, '%@');
    }
  }
}
