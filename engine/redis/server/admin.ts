// Memory limits, eviction and the admin side effects of CONFIG SET / RESETSTAT / DEBUG RELOAD.
import { configureEviction, performEvictions } from '../keyspace/evict.ts';
import { NOTIFY_EVICTED, notifyServer } from '../keyspace/notify-events.ts';
import { BASE_USED_MEMORY, isRdbFile, loadRdb } from '../persistence/rdb.ts';
import type { RedisServer } from './server.ts';

export function maxmemoryBytes(s: RedisServer): number {
  return s.conf.int('maxmemory');
}

/** used_memory: the process baseline plus the dataset estimate. */
export function usedMemory(s: RedisServer): number {
  return BASE_USED_MEMORY + s.ks.usedBytes;
}

/** performEvictions before a command; false = EVICT_FAIL (the caller may refuse with OOM). */
export function freeMemoryIfNeeded(s: RedisServer): boolean {
  const maxmemory = maxmemoryBytes(s);
  if (maxmemory <= 0) return true;
  // a replica ignores maxmemory unless replica-ignore-maxmemory is no
  if (s.repl.isReplica && s.conf.get('replica-ignore-maxmemory') !== 'no') return true;
  // isSafeToPerformEvictions: the dataset stays static while clients are paused
  if (s.pause.checkTimeout()) return true;
  const r = performEvictions(
    s.ks,
    {
      maxmemory,
      used: () => usedMemory(s),
      policy: s.conf.get('maxmemory-policy') || 'noeviction',
      samples: s.conf.int('maxmemory-samples') || 5,
    },
    s.evictRng,
    (db, key) => {
      s.propagator.also(db, ['DEL', key]);
      notifyServer(s, NOTIFY_EVICTED, 'evicted', key, db);
    },
  );
  // evictions are propagated one by one, never wrapped (propagate_no_multi)
  s.propagator.flush(true);
  return r === 'ok';
}

/** Tell the keyspace the maxmemory settings (LFU counters depend on the policy). */
export function configureEvictionFor(s: RedisServer): void {
  configureEviction(
    s.ks,
    {
      policy: s.conf.get('maxmemory-policy') || 'noeviction',
      maxmemory: maxmemoryBytes(s),
      lfuLogFactor: s.conf.int('lfu-log-factor'),
      lfuDecayTime: s.conf.int('lfu-decay-time'),
    },
    s.evictRng,
  );
}

/** CONFIG RESETSTAT. */
export function resetStats(s: RedisServer): void {
  s.stats.reset();
  s.ks.stats.hits = 0;
  s.ks.stats.misses = 0;
  s.ks.stats.expiredKeys = 0;
  s.ks.stats.evictedKeys = 0;
  s.stats.peakMemory = s.ks.usedBytes;
}

/** Side effects of CONFIG SET (the apply functions of config.c) for values that changed. */
export function applyConfigChanges(s: RedisServer, before: Map<string, string>): void {
  const changed = (n: string) => before.has(n) && before.get(n) !== s.conf.get(n);
  if (changed('appendonly')) {
    if (s.conf.bool('appendonly')) s.aof.start();
    else s.aof.stop();
  }
  if (changed('appendfsync')) s.aof.policy = s.conf.get('appendfsync') as typeof s.aof.policy;
  if (['maxmemory', 'maxmemory-policy', 'lfu-log-factor', 'lfu-decay-time'].some(changed)) configureEvictionFor(s);
  if (changed('maxmemory') && maxmemoryBytes(s) > 0) {
    const used = usedMemory(s);
    if (used > maxmemoryBytes(s))
      s.log(
        '#',
        `WARNING: the new maxmemory value set via CONFIG SET (${maxmemoryBytes(s)}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
      );
    freeMemoryIfNeeded(s);
  }
  for (const h of s.configHooks) h(before);
}

/** DEBUG RELOAD: save, empty, load back. */
export function debugReload(s: RedisServer): void {
  s.saver.saveSync();
  s.ks.flushAll();
  const f = s.ctx.host.disk.read(s.saver.path());
  if (isRdbFile(f)) loadRdb(f, s.ks, { nowMs: s.mstime(), isMaster: !s.repl.isReplica, log: (l) => s.log('*', l) });
  s.log('#', 'DB reloaded by DEBUG RELOAD');
}
