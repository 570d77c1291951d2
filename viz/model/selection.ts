// The replica-selection panel's model (issue 15 item 2): every replica the Sentinel knew at `+selected-slave`
// (the trace's `select-slave` note), the filters of sentinelSelectSlave in Redis's order, then the ranking by
// compareSlavesForPromotion — the simulator's own comparison, reused — and the rule that put the winner first.
import { comparePromotion, type PromotionRule, type SelectionEntry } from '../../engine/sentinel/select.ts';
import type { ReasoningIndex, SelectionRecord } from './reasoning.ts';

/** sentinelSelectSlave's filters, in the order Redis applies them (slaveRejection's words). */
export const FILTERS = ['down', 'disconnected', 'no recent ping reply', 'priority 0', 'old INFO', 'link down too long'] as const;

/** The criteria of the panel's columns, in Redis's order. */
export const CRITERIA: { key: 'state' | PromotionRule; short: string; label: string }[] = [
  { key: 'state', short: '1 filters', label: 'sdown / disconnected / no recent PING reply / priority 0 / old INFO / link down too long: filtered out' },
  { key: 'priority', short: '2 priority', label: 'replica-priority: lower wins (0 = never promoted)' },
  { key: 'offset', short: '3 offset', label: 'replication offset: higher wins' },
  { key: 'runid', short: '4 run id', label: 'run id: lexically lower wins' },
];

export interface SelectionRow extends SelectionEntry {
  /** 1-based rank among the candidates, or null when filtered out. */
  rank: number | null;
  chosen: boolean;
}

export interface SelectionView {
  at: number;
  index: number;
  sentinel: string;
  master: string;
  epoch: number;
  rows: SelectionRow[];
  chosen: string | null;
  /** What put the chosen replica first: a rule against the runner-up, "only candidate", or "no candidate". */
  decidedBy: PromotionRule | 'only-candidate' | 'no-candidate' | 'tie';
  runnerUp: string | null;
  /** One sentence: why this replica. */
  reason: string;
}

const facts = (e: SelectionEntry) => ({ slavePriority: e.priority, slaveReplOffset: e.offset, runid: e.runid });

const RULE_WORDS: Record<PromotionRule, (a: SelectionEntry, b: SelectionEntry) => string> = {
  priority: (a, b) => `lower replica-priority (${a.priority} < ${b.priority} of ${b.name})`,
  offset: (a, b) => `larger replication offset (${a.offset} > ${b.offset} of ${b.name})`,
  runid: (a, b) => `equal priority and offset, lexically lower run id than ${b.name}`,
};

/** The panel for one selection record. */
export function selectionView(r: SelectionRecord): SelectionView {
  const { note } = r;
  const candidates = note.replicas.filter((x) => x.rejected === null);
  // the same order as the engine: a stable sort by compareSlavesForPromotion
  const ranked = [...candidates].sort((a, b) => comparePromotion(facts(a), facts(b)).cmp);
  const rankOf = new Map(ranked.map((x, i) => [x.name, i + 1]));
  const rows: SelectionRow[] = note.replicas.map((x) => ({ ...x, rank: rankOf.get(x.name) ?? null, chosen: x.name === note.chosen }));
  // filtered rows after the candidates, in the filters' order
  rows.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || FILTERS.indexOf(a.rejected as (typeof FILTERS)[number]) - FILTERS.indexOf(b.rejected as (typeof FILTERS)[number]));
  const first = ranked[0];
  const second = ranked[1];
  let decidedBy: SelectionView['decidedBy'];
  let reason: string;
  if (!first || note.chosen === null) {
    decidedBy = 'no-candidate';
    reason = `no replica passed the filters (${note.replicas.map((x) => `${x.name}: ${x.rejected}`).join(', ') || 'no replica known'}): -failover-abort-no-good-slave`;
  } else if (!second) {
    decidedBy = 'only-candidate';
    const out = note.replicas.filter((x) => x.rejected !== null);
    reason = `${first.name} is the only candidate${out.length ? ` (${out.map((x) => `${x.name}: ${x.rejected}`).join(', ')})` : ''}`;
  } else {
    const c = comparePromotion(facts(first), facts(second));
    decidedBy = c.rule ?? 'tie';
    reason = c.rule ? `${first.name} wins on ${RULE_WORDS[c.rule](first, second)}` : `${first.name} and ${second.name} tie on every rule: the first in the Sentinel's table wins`;
  }
  return { at: r.t, index: r.index, sentinel: r.node, master: note.master, epoch: note.epoch, rows, chosen: note.chosen, decidedBy, runnerUp: second?.name ?? null, reason };
}

/** The latest selection at or before `t`, or null. */
export function selectionAt(ix: ReasoningIndex, t: number): SelectionView | null {
  for (let i = ix.selections.length - 1; i >= 0; i--) if (ix.selections[i].t <= t) return selectionView(ix.selections[i]);
  return null;
}
