// sentinelResetMaster and sentinelResetMasterAndChangeAddress (sentinel.md §11.3).
import { LL_NOTICE, LL_WARNING } from './constants.ts';
import { sentinelEvent } from './events.ts';
import {
  addrEqual,
  createAddr,
  FailoverState,
  releaseInstance,
  SRI_MASTER,
  SRI_SLAVE,
  type Instance,
  type SentinelAddr,
} from './instance.ts';
import { DictOrderMap } from './dict.ts';
import { closeLinkConnection } from './link.ts';
import { flushConfig } from './persist.ts';
import { createInstance } from './registry.ts';
import type { SentinelState } from './state.ts';
import { stringMatchC } from '../redis/keyspace/glob.ts';

export interface ResetFlags {
  /** SENTINEL_RESET_NO_SENTINELS: keep the Sentinel records (a switch does). */
  noSentinels?: boolean;
  /** SENTINEL_GENERATE_EVENT: emit +reset-master (SENTINEL RESET). */
  generateEvent?: boolean;
}

export function resetMaster(S: SentinelState, ri: Instance, flags: ResetFlags): void {
  for (const s of ri.slaves.values()) releaseInstance(s);
  ri.slaves = new DictOrderMap(S.dictSeed);
  if (!flags.noSentinels) {
    for (const s of ri.sentinels.values()) releaseInstance(s);
    ri.sentinels = new Map();
  }
  closeLinkConnection(ri.link, ri.link.cc);
  closeLinkConnection(ri.link, ri.link.pc);
  // flags back to just MASTER: S_DOWN/O_DOWN/failover vanish without events
  ri.flags &= SRI_MASTER;
  ri.leader = null;
  ri.failoverState = FailoverState.NONE;
  ri.failoverStateChangeTime = 0;
  ri.failoverStartTime = 0;
  ri.promotedSlave = null;
  ri.runid = null;
  ri.slaveMasterHost = null;
  const now = S.now();
  ri.link.actPingTime = now;
  ri.link.lastPingTime = 0;
  ri.link.lastAvailTime = now;
  ri.link.lastPongTime = now;
  ri.roleReportedTime = now;
  ri.roleReported = SRI_MASTER;
  if (flags.generateEvent) sentinelEvent(S, LL_WARNING, '+reset-master', ri, '%@');
}

/** SENTINEL RESET <pattern>: the number of masters reset. */
export function resetMastersByPattern(S: SentinelState, pattern: string): number {
  let n = 0;
  for (const ri of [...S.masters.values()]) {
    if (stringMatchC(pattern, ri.name)) {
      resetMaster(S, ri, { generateEvent: true });
      n++;
    }
  }
  return n;
}

/**
 * Switch a master record to a new address (+switch-master): the replicas are re-created, minus the
 * new master, plus the old master address.
 */
export function resetMasterAndChangeAddress(S: SentinelState, master: Instance, ip: string, port: number): boolean {
  const newaddr = createAddr(ip, port);
  if (typeof newaddr === 'string') return false;
  const slaves: SentinelAddr[] = [];
  for (const s of master.slaves.values()) {
    if (addrEqual(s.addr, newaddr)) continue;
    slaves.push({ ...s.addr });
  }
  if (!addrEqual(newaddr, master.addr)) slaves.push({ ...master.addr });

  resetMaster(S, master, { noSentinels: true });
  master.addr = newaddr;
  master.oDownSinceTime = 0;
  master.sDownSinceTime = 0;

  for (const a of slaves) {
    const slave = createInstance(S, null, SRI_SLAVE, a.ip, a.port, master.quorum, master);
    if (typeof slave !== 'string') sentinelEvent(S, LL_NOTICE, '+slave', slave, '%@');
  }
  flushConfig(S);
  return true;
}
