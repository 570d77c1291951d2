// No failover without an authorised leader (sentinel.md §10.2): every failover step a Sentinel takes
// (select-slave … failover-end) follows its own +elected-leader (won, or forced by SENTINEL FAILOVER) in the
// same attempt (since its last +try-failover, with no abort or restart between); a +switch-master is either
// the end of such an attempt or follows a +config-update-from (an observer adopting a newer config, §11.2).
import { eventMaster, isSentinelEvent } from './trace-read.ts';
import { result, type CheckInput, type CheckResult, type Violation } from './types.ts';

const STEPS = new Set([
  '+failover-state-select-slave',
  '+selected-slave',
  '+failover-state-send-slaveof-noone',
  '+failover-state-wait-promotion',
  '+promoted-slave',
  '+failover-state-reconf-slaves',
  '+slave-reconf-sent',
  '+slave-reconf-sent-be',
  '+failover-end-for-timeout',
  '+failover-end',
]);

interface Attempt {
  master: string | null;
  elected: boolean;
  ended: boolean;
}

export function checkAuthorisedFailover(input: CheckInput): CheckResult {
  const violations: Violation[] = [];
  const attempts = new Map<string, Attempt>();
  const configUpdateAt = new Map<string, number>();
  let started = 0;
  let steps = 0;
  for (const r of input.records) {
    if (r.k === 'proc' && (r.ev === 'start' || r.ev === 'host-up')) {
      attempts.delete(r.node);
      continue;
    }
    if (!isSentinelEvent(r)) continue;
    const node = r.node;
    const ev = r.event!;
    const a = attempts.get(node);
    if (ev === '+try-failover') {
      started++;
      attempts.set(node, { master: eventMaster(r), elected: false, ended: false });
    } else if (ev === '+elected-leader') {
      if (a) a.elected = true;
    } else if (ev.startsWith('-failover-abort')) {
      attempts.delete(node);
    } else if (ev === '+config-update-from') {
      configUpdateAt.set(node, r.t);
    } else if (ev === '+switch-master') {
      const observer = configUpdateAt.get(node) === r.t;
      if (!observer && !(a && a.elected && a.ended))
        violations.push({ t: r.t, node, message: `+switch-master ${r.line.split(' ').slice(1).join(' ')} with neither a finished failover it led nor a +config-update-from` });
      attempts.delete(node);
    } else if (STEPS.has(ev)) {
      steps++;
      if (!a || !a.elected) {
        violations.push({
          t: r.t,
          node,
          message: `${ev} ${a ? `in an attempt (epoch started by +try-failover) where it was not elected` : 'with no failover attempt in progress'}`,
        });
        continue;
      }
      const m = eventMaster(r);
      if (a.master !== null && m !== null && m !== a.master) violations.push({ t: r.t, node, message: `${ev} about ${m} during a failover of ${a.master}` });
      if (ev === '+failover-end') a.ended = true;
    }
  }
  return result('authorised-failover', violations, [`${started} failover attempt(s), ${steps} failover step event(s)`]);
}
