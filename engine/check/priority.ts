// replica-priority 0 means "never promote" (sentinel.md §10.3 rule 4): no +selected-slave / +promoted-slave
// may name a server configured with priority 0. Priorities come from the cluster configuration.
import { eventInstance, isSentinelEvent, readConfig } from './trace-read.ts';
import { result, type CheckInput, type CheckResult, type Violation } from './types.ts';

export function checkPriorityZero(input: CheckInput): CheckResult {
  const cfg = readConfig(input);
  const violations: Violation[] = [];
  const zero = new Set(Object.entries(cfg?.priorities ?? {}).filter(([, p]) => p === 0).map(([n]) => n));
  let selections = 0;
  for (const r of input.records) {
    if (!isSentinelEvent(r) || (r.event !== '+selected-slave' && r.event !== '+promoted-slave')) continue;
    selections++;
    const who = eventInstance(r);
    if (who !== null && zero.has(who)) violations.push({ t: r.t, node: r.node, message: `${r.event} ${who}, whose replica-priority is 0` });
  }
  const summary = [
    cfg ? `${zero.size} server(s) with replica-priority 0 (${[...zero].join(', ') || 'none'}); ${selections} selection/promotion event(s)` : 'no cluster configuration in the trace: nothing to check',
  ];
  return result('priority-zero', violations, summary);
}
