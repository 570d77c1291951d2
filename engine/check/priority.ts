// replica-priority 0 means "never promote" (sentinel.md §10.3 rule 4): no +selected-slave / +promoted-slave
// may name a server configured with priority 0. Priorities come from the cluster configuration.
//
// One exception Redis 7.0.15 itself makes (docs/triage.md, known failure priority-zero-old-master-promoted):
// Sentinel learns a replica's priority only from the `slave_priority` line of its INFO, which a server prints
// only while it is a replica (genRedisInfoString), and a replica record starts at 100
// (createSentinelRedisInstance) — also the record a +switch-master re-creates for the old master. A server
// that has not been a replica since the Sentinel (re)created its record was never seen with its 0, so its
// selection is Redis's behaviour, not a violation. Roles come from the keyframes (one a second).
import type { LogRecord } from '../trace/types.ts';
import { eventInstance, eventWords, isSentinelEvent, readConfig, serverView } from './trace-read.ts';
import { result, type CheckInput, type CheckResult, type Violation } from './types.ts';

export function checkPriorityZero(input: CheckInput): CheckResult {
  const cfg = readConfig(input);
  const violations: Violation[] = [];
  const zero = new Set(Object.entries(cfg?.priorities ?? {}).filter(([, p]) => p === 0).map(([n]) => n));
  let selections = 0;
  let unseen = 0;
  /** `${sentinel} ${server}` → whether the server has been a replica since that Sentinel (re)created its record. */
  const seenAsReplica = new Map<string, boolean>();
  /** Servers a keyframe showed as replicas since the record keys were last reset: server → keys to mark. */
  const recreate = (sentinel: string, server: string) => seenAsReplica.set(`${sentinel} ${server}`, false);
  for (const r of input.records) {
    if (r.k === 'keyframe') {
      for (const [key, seen] of seenAsReplica) {
        if (seen) continue;
        const server = key.slice(key.indexOf(' ') + 1);
        if (serverView(r.nodes[server])?.role === 'slave') seenAsReplica.set(key, true);
      }
      continue;
    }
    if (!isSentinelEvent(r)) continue;
    if (r.event === '+switch-master') {
      // +switch-master <name> <old ip> <old port> <new ip> <new port>: every replica record re-created
      const w = eventWords(r);
      for (const z of zero) recreate(r.node, z);
      if (w[1] && w[2]) recreate(r.node, `${w[1]}:${w[2]}`);
      continue;
    }
    if (r.event === '+slave') {
      const who = eventInstance(r);
      if (who !== null && zero.has(who)) recreate(r.node, who);
      continue;
    }
    if (r.event !== '+selected-slave' && r.event !== '+promoted-slave') continue;
    selections++;
    const who = eventInstance(r);
    if (who === null || !zero.has(who)) continue;
    if (neverReplicaSinceRecord(r, who)) {
      unseen++;
      continue;
    }
    violations.push({ t: r.t, node: r.node, message: `${r.event} ${who}, whose replica-priority is 0` });
  }

  function neverReplicaSinceRecord(r: LogRecord, who: string): boolean {
    // +promoted-slave is logged by the same Sentinel as its +selected-slave: judged the same way
    return seenAsReplica.get(`${r.node} ${who}`) === false;
  }

  const summary = [
    cfg
      ? `${zero.size} server(s) with replica-priority 0 (${[...zero].join(', ') || 'none'}); ${selections} selection/promotion event(s)` +
        (unseen ? `; ${unseen} of a priority-0 server not a replica since its record was re-created (Redis cannot know its 0: allowed)` : '')
      : 'no cluster configuration in the trace: nothing to check',
  ];
  return result('priority-zero', violations, summary);
}
