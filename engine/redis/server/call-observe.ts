// What call() (server.c) records about a command once it ran: the latency monitor sample, the slow
// log entry, the MONITOR feed and the per-command duration and latency histogram. A simulated
// command's duration is the virtual busy time it modelled (DEBUG SLEEP, a script's instructions), 0 µs
// for everything else: the simulator never reads the wall clock.
import type { CommandSpec } from '../commands/context.ts';
import type { Client } from './client.ts';
import { recordCommandLatency } from './latency-histogram.ts';
import { latencyMonitorOf } from './latency-monitor.ts';
import { feedMonitors, feedsBeforeRun, shownToMonitors } from './monitor.ts';
import type { RedisServer } from './server.ts';
import { slowlogPushCommand } from './slowlog.ts';
import { FAST, specBits } from './spec-flags.ts';

/** Before the command runs: EVAL & co and FCALL show themselves before the commands of their script. */
export function beforeCall(server: RedisServer, c: Client, spec: CommandSpec, argv: readonly string[]): void {
  if (feedsBeforeRun(spec)) feedMonitors(server, c, argv);
}

/** The virtual µs a command kept the server busy: how far it pushed the end of the busy period. */
export function commandDuration(server: RedisServer, busyBefore: number, startUs: number): number {
  const after = server.busyUntil;
  return Math.max(0, after - Math.max(busyBefore, startUs));
}

/** After the handler returned (blocked: the client waits; its slow log entry comes when it is served). */
export function afterCall(server: RedisServer, c: Client, spec: CommandSpec, fullname: string, argv: readonly string[], durationUs: number, blocked: boolean): void {
  const stat = server.stats.cmd(fullname);
  stat.usec += durationUs;
  if (server.loading) return;
  latencyMonitorOf(server).addIfNeeded(server, (specBits(spec) & FAST) !== 0 ? 'fast-command' : 'command', Math.floor(durationUs / 1000));
  if (!blocked) slowlogPushCommand(server, c, spec, argv, durationUs);
  if (shownToMonitors(spec)) feedMonitors(server, c, argv);
  if (!blocked) recordCommandLatency(server, fullname, durationUs);
}

/**
 * A blocked command was served (updateStatsOnUnblock: the time blocked is not counted), or a command that
 * blocked the whole server on a socket ended (MIGRATE: `durationUs`, its call's duration).
 */
export function afterUnblock(server: RedisServer, c: Client, spec: CommandSpec, fullname: string, argv: readonly string[], durationUs = 0): void {
  if (durationUs > 0) {
    server.stats.cmd(fullname).usec += durationUs;
    latencyMonitorOf(server).addIfNeeded(server, (specBits(spec) & FAST) !== 0 ? 'fast-command' : 'command', Math.floor(durationUs / 1000));
  }
  slowlogPushCommand(server, c, spec, argv, durationUs);
  recordCommandLatency(server, fullname, durationUs);
}
