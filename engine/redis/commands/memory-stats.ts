// MEMORY STATS / DOCTOR / MALLOC-STATS (object.c memoryCommand, getMemoryDoctorReport) over the
// simulator's memory model: the same figures INFO memory shows (server/info.ts), so the two agree.
// The model has no allocator of its own: MALLOC-STATS says so in jemalloc's words for a build without
// statistics, and DOCTOR can only find an empty instance or a past peak.
import { bulk, dbl, int, map, verbatim, type Reply } from '../../net/resp.ts';
import { g17 } from '../server/digest.ts';
import { infoString } from '../server/info.ts';
import { serverOf, type RedisServer } from '../server/server.ts';
import type { CommandContext } from './context.ts';

/** INFO memory as name → number. */
function memoryFields(s: RedisServer): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of infoString(s, ['memory']).split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i), Number(line.slice(i + 1).replace(/%$/, '')));
  }
  return out;
}

/** getMemoryOverheadData's ratios are C floats printed with addReplyDouble ("%.17g"). */
const fdbl = (x: number): Reply => dbl(g17(Math.fround(x)));

/** Bytes of a db's dicts: 2 tables of pointers sized to the next power of two (dictSize), as Redis counts them. */
function dictOverhead(size: number): number {
  if (size === 0) return 0;
  let buckets = 4;
  while (buckets < size) buckets *= 2;
  return buckets * 8 + size * 24;
}

export function memoryStats(ctx: CommandContext): Reply {
  const s = serverOf(ctx);
  const m = memoryFields(s);
  const f = (k: string) => m.get(k) ?? 0;
  const used = f('used_memory');
  const peak = f('used_memory_peak');
  const startup = f('used_memory_startup');
  const overhead = f('used_memory_overhead');
  const dataset = f('used_memory_dataset');
  const rss = f('used_memory_rss');
  const out: Reply[] = [
    bulk('peak.allocated'), int(peak),
    bulk('total.allocated'), int(used),
    bulk('startup.allocated'), int(startup),
    bulk('replication.backlog'), int(f('mem_replication_backlog')),
    bulk('clients.slaves'), int(f('mem_clients_slaves')),
    bulk('clients.normal'), int(f('mem_clients_normal')),
    bulk('cluster.links'), int(f('mem_cluster_links')),
    bulk('aof.buffer'), int(f('mem_aof_buffer')),
    bulk('lua.caches'), int(f('used_memory_scripts_eval')),
    bulk('functions.caches'), int(f('used_memory_functions')),
  ];
  let keys = 0;
  s.ks.dbs.forEach((db, i) => {
    const n = db.dict.size;
    if (n === 0) return;
    keys += n;
    const expires = db.expires.size;
    out.push(
      bulk(`db.${i}`),
      map([bulk('overhead.hashtable.main'), int(dictOverhead(n)), bulk('overhead.hashtable.expires'), int(dictOverhead(expires)), bulk('overhead.hashtable.slot-to-keys'), int(0)]),
    );
  });
  const netUsed = used - startup;
  const allocated = f('allocator_allocated');
  const active = f('allocator_active');
  const resident = f('allocator_resident');
  out.push(
    bulk('overhead.total'), int(overhead),
    bulk('keys.count'), int(keys),
    bulk('keys.bytes-per-key'), int(keys ? Math.floor(netUsed / keys) : 0),
    bulk('dataset.bytes'), int(dataset),
    bulk('dataset.percentage'), fdbl(netUsed > 0 ? (dataset * 100) / netUsed : 0),
    bulk('peak.percentage'), fdbl(peak > 0 ? (used * 100) / peak : 0),
    bulk('allocator.allocated'), int(allocated),
    bulk('allocator.active'), int(active),
    bulk('allocator.resident'), int(resident),
    bulk('allocator-fragmentation.ratio'), fdbl(allocated ? active / allocated : 0),
    bulk('allocator-fragmentation.bytes'), int(active - allocated),
    bulk('allocator-rss.ratio'), fdbl(active ? resident / active : 0),
    bulk('allocator-rss.bytes'), int(resident - active),
    bulk('rss-overhead.ratio'), fdbl(resident ? rss / resident : 0),
    bulk('rss-overhead.bytes'), int(rss - resident),
    bulk('fragmentation'), fdbl(used ? rss / used : 0),
    bulk('fragmentation.bytes'), int(rss - used),
  );
  return map(out);
}

const EMPTY =
  "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
const FINE = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
const PEAK =
  ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n';

/** getMemoryDoctorReport: under 5 MB used the instance counts as empty. */
export function memoryDoctor(ctx: CommandContext): Reply {
  const m = memoryFields(serverOf(ctx));
  const used = m.get('used_memory') ?? 0;
  if (used < 5 * 1024 * 1024) return verbatim(EMPTY);
  const peak = m.get('used_memory_peak') ?? 0;
  if (Math.fround(peak / used) > 1.5) return verbatim(`Sam, I detected a few issues in this Redis instance memory implants:\n\n${PEAK}I'm here to keep you safe, Sam. I want to help you.\n`);
  return verbatim(FINE);
}

/** A build without jemalloc statistics answers this (object.c, !USE_JEMALLOC). */
export const mallocStats = (): Reply => bulk('Stats not supported for the current allocator');
