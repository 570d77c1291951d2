// sentinelSelectSlave (sentinel.md §10.3): the replica to promote.
import { SRI_O_DOWN, SRI_S_DOWN, type Instance } from './instance.ts';
import type { SentinelState } from './state.ts';

/** compareSlavesForPromotion: lower priority, then larger offset, then smaller runid (none = last). */
export function compareSlavesForPromotion(a: Instance, b: Instance): number {
  if (a.slavePriority !== b.slavePriority) return a.slavePriority - b.slavePriority;
  if (a.slaveReplOffset > b.slaveReplOffset) return -1;
  if (a.slaveReplOffset < b.slaveReplOffset) return 1;
  if (a.runid === null && b.runid === null) return 0;
  if (a.runid === null) return 1;
  if (b.runid === null) return -1;
  const x = a.runid.toLowerCase();
  const y = b.runid.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Why a replica is not a candidate (null = it is one). Exposed for tests and the viewer. */
export function slaveRejection(S: SentinelState, master: Instance, slave: Instance): string | null {
  const now = S.now();
  let maxMasterDownTime = 0;
  if (master.flags & SRI_S_DOWN) maxMasterDownTime += now - master.sDownSinceTime;
  maxMasterDownTime += master.downAfterPeriod * 10;
  if (slave.flags & (SRI_S_DOWN | SRI_O_DOWN)) return 'down';
  if (slave.link.disconnected) return 'disconnected';
  if (now - slave.link.lastAvailTime > S.timings.pingPeriod * 5) return 'no recent ping reply';
  if (slave.slavePriority === 0) return 'priority 0';
  const infoValidity = master.flags & SRI_S_DOWN ? S.timings.pingPeriod * 5 : S.timings.infoPeriod * 3;
  if (now - slave.infoRefresh > infoValidity) return 'old INFO';
  if (slave.masterLinkDownTime > maxMasterDownTime) return 'link down too long';
  return null;
}

export function selectSlave(S: SentinelState, master: Instance): Instance | null {
  const candidates = [...master.slaves.values()].filter((s) => slaveRejection(S, master, s) === null);
  if (candidates.length === 0) return null;
  // a stable sort of insertion order; Redis uses qsort (order of full ties unspecified)
  candidates.sort(compareSlavesForPromotion);
  return candidates[0]!;
}
