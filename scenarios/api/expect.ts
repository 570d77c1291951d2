// expect / expectEqual: soft assertions recorded as trace notes (`what: "expect"`), so a replay counts them too.
import { canonicalJson } from '../../engine/trace/canonical.ts';
import { formatClock, type Micros } from '../../engine/sim/time.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import { js } from './admin.ts';
import { lastEventsText } from './match.ts';

/** What an executor provides to record expectations (its current time and its trace). */
export interface ExpectHost {
  readonly now: Micros;
  readonly failures: string[];
  ensureStarted(): void;
}

/** Record the outcome; on failure the text names the scenario time and the last relevant events. */
export function checkExpect(run: ExpectHost, record: (r: TraceRecord) => void, cond: boolean, message: string, lastEvents: () => TraceRecord[]): boolean {
  run.ensureStarted();
  const ok = Boolean(cond);
  const t = run.now;
  if (ok) {
    record({ t, k: 'note', what: 'expect', data: { ok: true, message } });
    return true;
  }
  const text = `expectation failed at ${formatClock(t)}: ${message}\n${lastEventsText(lastEvents())}`;
  run.failures.push(text);
  record({ t, k: 'note', what: 'expect', data: { ok: false, message, text } });
  return false;
}

const isResp = (x: unknown): boolean =>
  typeof x === 'object' && x !== null && 't' in x && 'v' in x && ['simple', 'error', 'int', 'bulk', 'array'].includes((x as { t: string }).t);

/** Plain value for comparison and display: a Resp becomes its JS value, bigints strings. */
function plain(x: unknown): unknown {
  return isResp(x) ? js(x as Parameters<typeof js>[0]) : x;
}

/** null when equal, else "<message>: expected X, got Y". */
export function expectEqualMessage(actual: unknown, expected: unknown, message: string): string | null {
  const a = plain(actual);
  const e = plain(expected);
  if (canonicalJson(a) === canonicalJson(e) && typeof a === typeof e) return null;
  return `${message}: expected ${canonicalJson(e)}, got ${canonicalJson(a)}`;
}
