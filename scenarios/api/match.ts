// Matching trace records for waitFor / events(), and one-line renderings for failure messages.
import { formatClock } from '../../engine/sim/time.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import { isRelevant } from './summary.ts';

/** What events() / waitFor() select among log records. */
export interface EventQuery {
  /** A Sentinel event name ("+switch-master"), or any other text, matched inside log lines. */
  event?: string;
  /** Only records of this node (any node reference). */
  node?: string;
  /** The log line must contain this text, or match this pattern. */
  match?: string | RegExp;
  /** Only records at or after this virtual instant ("00:00:10", 10000 ms, ...). */
  since?: number | string;
}

export type RecordPredicate = (r: TraceRecord) => boolean;

/** A Sentinel event name is a word starting with + or -; anything else is searched in log lines. */
export const isEventName = (s: string) => /^[+-][a-z][a-z0-9-]*$/i.test(s);

/** Build a record predicate from an event name / text, a node name (already resolved) and a line pattern. */
export function logMatcher(event: string | undefined, node: string | undefined, match: string | RegExp | undefined, sinceUs = 0): RecordPredicate {
  return (r) => {
    if (r.k !== 'log' || r.t < sinceUs) return false;
    if (node !== undefined && r.node !== node) return false;
    if (event !== undefined) {
      if (isEventName(event) ? r.event !== event : !r.line.includes(event)) return false;
    }
    if (match !== undefined && !(typeof match === 'string' ? r.line.includes(match) : match.test(r.line))) return false;
    return true;
  };
}

/** One line: "00:00:11.553  127.0.0.1:26373  +sdown master mymaster 127.0.0.1 6379". */
export function describeRecord(r: TraceRecord): string {
  const t = formatClock(r.t);
  switch (r.k) {
    case 'log':
      return `${t}  ${r.node}  ${r.line}`;
    case 'fault':
      return `${t}  fault ${r.fault}${r.target ? ' ' + r.target : ''}${r.args ? ' ' + JSON.stringify(r.args) : ''}`;
    case 'proc':
      return `${t}  ${r.node}  process ${r.ev}${r.reason ? ` (${r.reason})` : ''}`;
    case 'note':
      return `${t}  note ${r.what}${r.data !== undefined ? ' ' + JSON.stringify(r.data) : ''}`;
    case 'msg':
      return `${t}  message ${r.kind} ${r.from} -> ${r.to} ${r.fate}`;
    case 'conn':
      return `${t}  connect ${r.node} (${r.local}) -> ${r.remote}`;
    case 'keyframe':
      return `${t}  keyframe`;
  }
}

/** "  last events:\n    ..." (or a line saying there were none). */
export function lastEventsText(recs: readonly TraceRecord[]): string {
  if (recs.length === 0) return '  last events: none';
  return '  last events:\n' + recs.map((r) => `    ${describeRecord(r)}`).join('\n');
}

/** What waitFor waits for: a state condition, or a record predicate (the executors share this). */
export type WaitPlan = { kind: 'cond'; desc: string; cond: () => boolean } | { kind: 'record'; desc: string; pred: RecordPredicate };

/** Compile waitFor's target; `node` is the already resolved node of the options, if any. */
export function waitPlan(target: string | RecordPredicate | (() => boolean), node: string | undefined, match: string | RegExp | undefined): WaitPlan {
  if (typeof target === 'function' && target.length === 0) {
    const cond = target as () => boolean;
    return { kind: 'cond', desc: 'a condition', cond: () => cond() };
  }
  const base: RecordPredicate = typeof target === 'string' ? logMatcher(target, node, match) : (target as RecordPredicate);
  const desc = typeof target === 'string' ? `'${target}'${node ? ` on ${node}` : ''}` : 'a matching record';
  const extra = typeof target === 'string' ? null : node !== undefined || match !== undefined ? logMatcher(undefined, node, match) : null;
  const pred: RecordPredicate = extra ? (r) => extra(r) && base(r) : base;
  return { kind: 'record', desc, pred };
}

/** events(): no filter = Sentinel events; a string = that event; a query; a function = any record. */
export function selectEvents(history: readonly TraceRecord[], filter: string | EventQuery | RecordPredicate | undefined, resolveName: (ref: string) => string, parseSince: (d: number | string) => number): TraceRecord[] {
  if (filter === undefined) return history.filter((r) => r.k === 'log' && r.event !== null);
  if (typeof filter === 'function') return history.filter(filter);
  const q: EventQuery = typeof filter === 'string' ? { event: filter } : filter;
  const node = q.node !== undefined ? resolveName(q.node) : undefined;
  const since = q.since !== undefined ? parseSince(q.since) : 0;
  return history.filter(logMatcher(q.event, node, q.match, since));
}

/** The last `n` relevant records (Sentinel events, faults, process starts/crashes) of one node if given; `isClient` names client processes (noise). */
export function lastRelevant(history: readonly TraceRecord[], n: number, node: string | undefined, isClient: (name: string) => boolean): TraceRecord[] {
  const out: TraceRecord[] = [];
  for (let i = history.length - 1; i >= 0 && out.length < n; i--) {
    const r = history[i]!;
    if (!isRelevant(r)) continue;
    // the admin and workload clients' own starts are noise here
    if (r.k === 'proc' && isClient(r.node)) continue;
    if (node !== undefined && 'node' in r && r.node !== node) continue;
    out.push(r);
  }
  return out.reverse();
}
