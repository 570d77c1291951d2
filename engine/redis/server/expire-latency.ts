// The latency events of key expiry (db.c deleteExpiredKeyAndPropagate: "expire-del"; expire.c
// activeExpireCycle: "expire-cycle", and stat_expire_cycle_time_used for INFO's
// expire_cycle_cpu_milliseconds), measured in virtual time: freeing an expired value keeps the server
// busy for its modelled free cost (free-cost.ts), and a cycle lasts as long as the frees it did.
import type { RedisValue } from '../keyspace/values.ts';
import { deleteCostUs } from './free-cost.ts';
import { latencyMonitorOf } from './latency-monitor.ts';
import type { RedisServer } from './server.ts';

const cycleTimeUsed = new WeakMap<RedisServer, number>();

/** An expired key was deleted (dbSyncDelete, or dbAsyncDelete under lazyfree-lazy-expire). */
export function expiredKeyFreed(s: RedisServer, value: RedisValue): void {
  const us = deleteCostUs(value, s.conf.bool('lazyfree-lazy-expire'));
  s.addBusyUs(us);
  latencyMonitorOf(s).addIfNeeded(s, 'expire-del', Math.floor(us / 1000));
}

/** Run one active expire cycle, timed as activeExpireCycle times itself. */
export function timedExpireCycle(s: RedisServer, cycle: () => void): void {
  const start = Math.max(s.busyUntil, s.ctx.now());
  cycle();
  const elapsed = Math.max(0, s.busyUntil - start);
  cycleTimeUsed.set(s, (cycleTimeUsed.get(s) ?? 0) + elapsed);
  latencyMonitorOf(s).addIfNeeded(s, 'expire-cycle', Math.floor(elapsed / 1000));
}

/** stat_expire_cycle_time_used in ms (INFO stats expire_cycle_cpu_milliseconds). */
export function expireCycleCpuMs(s: RedisServer): number {
  return Math.floor((cycleTimeUsed.get(s) ?? 0) / 1000);
}
