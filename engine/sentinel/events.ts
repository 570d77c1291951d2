// sentinelEvent (sentinel.md §13): log line, pub/sub message on the Sentinel's own channels.
// A message starting with "%@" gets the instance description:
//   <type> <name> <ip> <port> [@ <master name> <master ip> <master port>]
import { LEVEL_CHAR, LL_DEBUG, type LogLevel } from './constants.ts';
import { typeStr, type Instance } from './instance.ts';
import type { SentinelState } from './state.ts';

/** The "%@" instance description. */
export function describeInstance(ri: Instance): string {
  const master = ri.isMaster ? null : ri.master;
  const own = `${typeStr(ri)} ${ri.name} ${ri.addr.ip} ${ri.addr.port}`;
  return master ? `${own} @ ${master.name} ${master.addr.ip} ${master.addr.port}` : own;
}

export function sentinelEvent(
  S: SentinelState,
  level: LogLevel,
  type: string,
  ri: Instance | null,
  fmt: string,
): void {
  let msg = fmt;
  if (fmt.startsWith('%@') && ri) msg = describeInstance(ri) + fmt.slice(2);
  if (level >= S.verbosity) S.ctx.log(LEVEL_CHAR[level], `${type} ${msg}`, type);
  if (level !== LL_DEBUG) S.publish(type, msg);
  // notification scripts (WARNING events) are not executed by the simulator
}

/** serverLog: a plain log line (not an event). */
export function serverLog(S: SentinelState, level: LogLevel, text: string): void {
  if (level >= S.verbosity) S.ctx.log(LEVEL_CHAR[level], text, null);
}
