// sentinelSelectSlave (sentinel.md §10.3): the replica to promote.
import { SRI_O_DOWN, SRI_S_DOWN, type Instance } from './instance.ts';
import type { SentinelState } from './state.ts';

/** What compareSlavesForPromotion reads of a replica (the viewer compares the trace's candidates with it too). */
export type PromotionFacts = Pick<Instance, 'slavePriority' | 'slaveReplOffset' | 'runid'>;

/** The criterion that ordered two replicas: compareSlavesForPromotion's rules, in Redis's order. */
export type PromotionRule = 'priority' | 'offset' | 'runid';

/**
 * compareSlavesForPromotion with the rule that decided: lower priority, then larger offset, then smaller
 * runid (none = last). `rule` is null for a full tie.
 */
export function comparePromotion(a: PromotionFacts, b: PromotionFacts): { cmp: number; rule: PromotionRule | null } {
  if (a.slavePriority !== b.slavePriority) return { cmp: a.slavePriority - b.slavePriority, rule: 'priority' };
  if (a.slaveReplOffset > b.slaveReplOffset) return { cmp: -1, rule: 'offset' };
  if (a.slaveReplOffset < b.slaveReplOffset) return { cmp: 1, rule: 'offset' };
  if (a.runid === null && b.runid === null) return { cmp: 0, rule: null };
  if (a.runid === null) return { cmp: 1, rule: 'runid' };
  if (b.runid === null) return { cmp: -1, rule: 'runid' };
  const x = a.runid.toLowerCase();
  const y = b.runid.toLowerCase();
  return { cmp: x < y ? -1 : x > y ? 1 : 0, rule: x === y ? null : 'runid' };
}

/** compareSlavesForPromotion: lower priority, then larger offset, then smaller runid (none = last). */
export function compareSlavesForPromotion(a: PromotionFacts, b: PromotionFacts): number {
  return comparePromotion(a, b).cmp;
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

/** One replica as sentinelSelectSlave saw it: the trace's `select-slave` note lists every one (the viewer's panel). */
export interface SelectionEntry {
  name: string;
  runid: string | null;
  priority: number;
  offset: number;
  /** Why it is not a candidate (slaveRejection), or null. */
  rejected: string | null;
}

/** The `what` of the trace note recording a replica selection. */
export const SELECT_SLAVE_NOTE = 'select-slave';

/** The `select-slave` note's data: every known replica of the master at the moment of the choice. */
export interface SelectionNote {
  master: string;
  epoch: number;
  replicas: SelectionEntry[];
  /** The replica chosen, or null (then -failover-abort-no-good-slave follows). */
  chosen: string | null;
}

/** The `select-slave` note of a choice selectSlave just made (the failover records it before +selected-slave). */
export function selectionNote(S: SentinelState, master: Instance, chosen: Instance | null): SelectionNote {
  const replicas: SelectionEntry[] = [];
  for (const s of master.slaves.values())
    replicas.push({ name: s.name, runid: s.runid, priority: s.slavePriority, offset: s.slaveReplOffset, rejected: slaveRejection(S, master, s) });
  return { master: master.name, epoch: master.failoverEpoch, replicas, chosen: chosen?.name ?? null };
}

export function selectSlave(S: SentinelState, master: Instance): Instance | null {
  const candidates = [...master.slaves.values()].filter((s) => slaveRejection(S, master, s) === null);
  // a stable sort of insertion order; Redis uses qsort (order of full ties unspecified)
  candidates.sort(compareSlavesForPromotion);
  return candidates[0] ?? null;
}
