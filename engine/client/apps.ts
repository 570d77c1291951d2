/**
 * engine/client/apps — applications on a Simulation: Sentinel-aware clients, workloads, histories
 * (design.md, engine/client; spec/scenarios.md, Jepsen 2013). Pure engine, browser-safe.
 *
 *   const a = addSentinelClient(sim, { host: 'app1', sentinels: ['10.0.0.4:26379', ...], masterName: 'mymaster',
 *                                      timeoutMs: 1000, password?: 'pw', subscribe?: true });
 *   const w = addWorkload(sim, [a, b, c], { kind: 'set-add', rate: 10, duration: '60s', start?: '5s' });
 *   ... faults, sleep, heal, wait for convergence ...
 *   const { accounting } = w.finishSync();       // stop, drain, read the set from the final master
 *   formatSetAccounting(accounting)               // "2000 total / 1998 acknowledged / 872 survivors / ..."
 *
 * From a scenario script (scenarios/api): create clients and workloads in the script (or setup), then
 *   run.addHistorySource(w);                      // Workload.clientOps() feeds the summary's client ops
 *   run.onFinish(() => w.finishSync());           // the final read after the script (and the heal)
 *
 * - `addSentinelClient` — a client process on its own box (created if missing; IP 10.254.0.N unless
 *   `ip`). Resolution per Redis's Sentinel client spec: each Sentinel in turn (the first that answers
 *   moves to the front), get-master-addr-by-name, ROLE must say master (else retry after
 *   `retryDelayMs`); re-resolves after a lost connection, -READONLY, -MASTERDOWN, a time-out, or a
 *   +switch-master (when `subscribe`). One log line (kind 'client') per trigger and per outcome.
 *   `client.call(argv, cb)` → CallResult: reply | timeout{sent} | lost{sent}; `sentinelCallSync` runs
 *   the simulation until it is there. Commands are sent only on a ROLE-verified connection.
 * - `addWorkload(sim, client | clients, opts)` — kinds 'set-add' (client i of n adds i, i+n, …),
 *   'counter' (INCR), 'mix' (SET/GET, `readFraction`); `rate` ops/s per client, fixed or `exponential`
 *   gaps (client rng), at most `inFlight` (default 1) per client. `history`: HistoryEntry[]; each
 *   completed op is also a trace note {what: 'op'} (`historyFromTrace` rebuilds it), and the final
 *   accounting a note {what: 'workload-summary'}.
 * - Outcomes: ok; fail = definitely not applied (error reply, or never sent: no master before the
 *   time-out, process not running); unknown = sent and then time-out / connection lost, or never
 *   completed (client crashed).
 * - `summarizeHistory(history, finalSet)` — Jepsen 2013: total, acknowledged, survivors, lost,
 *   unacknowledgedButPresent, failed, unknown (+ value lists); `summarizeCounter` for INCRs.
 */
export { addSentinelClient, sentinelCallSync, SentinelClient, type CallResult, type SentinelClientOptions } from './sentinel-client.ts';
export { addWorkload, classifyResult, Workload, type WorkloadKind, type WorkloadOptions, type WorkloadResult } from './workload.ts';
export {
  countOutcomes,
  historyFromTrace,
  OP_NOTE,
  summarizeCounter,
  summarizeHistory,
  type CounterAccounting,
  type HistoryEntry,
  type OpKind,
  type Outcome,
  type SetAccounting,
} from './history.ts';
import type { CounterAccounting, SetAccounting } from './history.ts';

/** The accounting as Jepsen 2013 printed it, one figure per line. */
export function formatSetAccounting(a: SetAccounting | CounterAccounting | null): string {
  if (a === null) return 'no final read';
  if ('finalValue' in a)
    return [`${a.total} increments`, `${a.acknowledged} acknowledged`, `${a.unknown} unknown`, `${a.failed} failed`, `final value ${a.finalValue}`, `${a.lost} acknowledged increments lost`].join('\n');
  const pct = a.acknowledged > 0 ? ` (${Math.round((100 * a.lost) / a.acknowledged)} %)` : '';
  return [
    `${a.total} total`,
    `${a.acknowledged} acknowledged`,
    `${a.survivors} survivors`,
    `${a.lost} acknowledged writes lost${pct}`,
    `${a.unacknowledgedButPresent} unacknowledged but present`,
    `${a.failed} failed, ${a.unknown} unknown`,
  ].join('\n');
}
