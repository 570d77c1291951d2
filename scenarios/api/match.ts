// Matching trace records for waitFor / events(), and one-line renderings for failure messages.
import { formatClock } from '../../engine/sim/time.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';

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
