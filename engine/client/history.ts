// Client histories (design.md, engine/client) and the Jepsen 2013 accounting (spec/scenarios.md,
// "The paper's table to reproduce"): total / acknowledged / survivors / lost / unacknowledged-but-present.
import type { Micros } from '../sim/time.ts';
import type { NoteRecord, TraceRecord } from '../trace/types.ts';

export type OpKind = 'sadd' | 'incr' | 'set' | 'get' | 'read-all';

/**
 * 'ok': the server acknowledged it. 'fail': the server definitely did not apply it (an error reply,
 * or it was never sent). 'unknown': it may or may not have been applied (time-out after sending,
 * connection lost after sending, still in flight when the history was closed).
 */
export type Outcome = 'ok' | 'fail' | 'unknown';

export interface HistoryEntry {
  /** The client's label (SentinelClient.name). */
  client: string;
  op: OpKind;
  key: string;
  /**
   * sadd: the integer added; incr: the increment (1); set: the value written; get: the value read
   * (null for a missing key or no reply); read-all: the set's members (sorted) or the counter's value.
   */
  value: number | string | string[] | null;
  /** Virtual µs of the invocation. */
  invoke: Micros;
  /** Virtual µs of the completion; null while in flight (or never completed). */
  complete: Micros | null;
  outcome: Outcome;
  /** The reply as text: a value, an error reply verbatim, or a client-side reason (time-out, connection lost). */
  reply?: string;
  /** The node ("ip:port") that served it, when the client knows (application hosts, s.app). */
  node?: string;
}

/** The trace note of a completed op: { k: 'note', what: 'op', node: client process, data: HistoryEntry }. */
export const OP_NOTE = 'op';

/** Entries of 'op' notes in a trace, in record order (what a checker reads when it has only the trace). */
export function historyFromTrace(records: Iterable<TraceRecord>): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const r of records) if (r.k === 'note' && (r as NoteRecord).what === OP_NOTE) out.push((r as NoteRecord).data as HistoryEntry);
  return out;
}

export interface SetAccounting {
  /** Set-add attempts. */
  total: number;
  /** Attempts with outcome ok. */
  acknowledged: number;
  /** Attempted values present in the final set (Jepsen's "survivors"). */
  survivors: number;
  /** Acknowledged values missing from the final set (Jepsen's "acknowledged writes lost"). */
  lost: number;
  /** Values present in the final set that were not acknowledged (unknown, or — a violation — failed). */
  unacknowledgedButPresent: number;
  failed: number;
  unknown: number;
  /** The values behind the counts, sorted, for reports and checkers. */
  details: {
    lost: number[];
    unacknowledgedButPresent: number[];
    /** Subset of unacknowledgedButPresent whose op was reported 'fail': a client-accounting bug if non-empty. */
    failedButPresent: number[];
    /** Members of the final set that no client ever tried to add. */
    unexpected: string[];
  };
}

const byNumber = (a: number, b: number) => a - b;

/**
 * Jepsen 2013's accounting of a set-add history against the final set read from the final master.
 * Only 'sadd' entries count (optionally only those of `key`); a value attempted twice counts once, with
 * its best outcome (ok > unknown > fail).
 */
export function summarizeHistory(history: readonly HistoryEntry[], finalSetContents: Iterable<string | number>, key?: string): SetAccounting {
  const rank: Record<Outcome, number> = { fail: 0, unknown: 1, ok: 2 };
  const best = new Map<number, Outcome>();
  for (const e of history) {
    if (e.op !== 'sadd' || (key !== undefined && e.key !== key) || typeof e.value !== 'number') continue;
    const prev = best.get(e.value);
    if (prev === undefined || rank[e.outcome] > rank[prev]) best.set(e.value, e.outcome);
  }
  const present = new Set<number>();
  const unexpected: string[] = [];
  for (const m of finalSetContents) {
    const s = String(m);
    const n = Number(s);
    if (s !== '' && Number.isInteger(n) && String(n) === s && best.has(n)) present.add(n);
    else unexpected.push(s);
  }
  let acknowledged = 0;
  let failed = 0;
  let unknown = 0;
  let survivors = 0;
  const lost: number[] = [];
  const unackPresent: number[] = [];
  const failedPresent: number[] = [];
  for (const [v, o] of best) {
    const here = present.has(v);
    if (here) survivors++;
    if (o === 'ok') {
      acknowledged++;
      if (!here) lost.push(v);
    } else {
      if (o === 'fail') failed++;
      else unknown++;
      if (here) {
        unackPresent.push(v);
        if (o === 'fail') failedPresent.push(v);
      }
    }
  }
  return {
    total: best.size,
    acknowledged,
    survivors,
    lost: lost.length,
    unacknowledgedButPresent: unackPresent.length,
    failed,
    unknown,
    details: {
      lost: lost.sort(byNumber),
      unacknowledgedButPresent: unackPresent.sort(byNumber),
      failedButPresent: failedPresent.sort(byNumber),
      unexpected: unexpected.sort(),
    },
  };
}

export interface CounterAccounting {
  total: number;
  acknowledged: number;
  failed: number;
  unknown: number;
  /** The counter read from the final master. */
  finalValue: number;
  /** Acknowledged increments missing from the final value: max(0, acknowledged − final). */
  lost: number;
  /** Increments beyond every possible one: max(0, final − (acknowledged + unknown)); non-zero is a bug. */
  unexpected: number;
}

/** The same accounting for a counter of INCRs: acknowledged ≤ final ≤ acknowledged + unknown must hold. */
export function summarizeCounter(history: readonly HistoryEntry[], finalValue: number, key?: string): CounterAccounting {
  let acknowledged = 0;
  let failed = 0;
  let unknown = 0;
  for (const e of history) {
    if (e.op !== 'incr' || (key !== undefined && e.key !== key)) continue;
    if (e.outcome === 'ok') acknowledged++;
    else if (e.outcome === 'fail') failed++;
    else unknown++;
  }
  return {
    total: acknowledged + failed + unknown,
    acknowledged,
    failed,
    unknown,
    finalValue,
    lost: Math.max(0, acknowledged - finalValue),
    unexpected: Math.max(0, finalValue - acknowledged - unknown),
  };
}

/** ok / fail / unknown counts of every entry but final reads. */
export function countOutcomes(history: readonly HistoryEntry[]): { ok: number; fail: number; unknown: number } {
  const c = { ok: 0, fail: 0, unknown: 0 };
  for (const e of history) if (e.op !== 'read-all') c[e.outcome]++;
  return c;
}
