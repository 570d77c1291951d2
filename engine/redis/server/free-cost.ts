// The virtual time a synchronous free of a value takes (decrRefCount of a big object in dbSyncDelete),
// for the latency events Redis measures around it ("expire-del", "expire-cycle"). Redis reads the
// clock; the simulator counts the allocations the free releases and charges each a fixed cost, so a
// 1,000,000-member set (2,000,000 allocations) blocks the server for 80 ms, deterministically.
// Values held in one allocation (strings, listpacks, intsets) cost nothing measurable.
import { objectEncoding } from '../keyspace/memory.ts';
import type { RedisValue } from '../keyspace/values.ts';

/** Model constant: nanoseconds to free one allocation (a dictEntry, an sds, a skiplist node). */
export const FREE_NS_PER_ALLOCATION = 40;

/** LAZYFREE_THRESHOLD (lazyfree.c): above this effort a lazy free goes to the background thread. */
export const LAZYFREE_THRESHOLD = 64;

/** Stream entries per listpack node (stream-node-max-entries default). */
const STREAM_NODE_ENTRIES = 100;
/** Quicklist node size of the default list-max-listpack-size -2 (8 KiB). */
const QUICKLIST_NODE_BYTES = 8192;

/** lazyfreeGetFreeEffort: what freeing `v` walks (1 for a value in one allocation). */
export function freeEffort(v: RedisValue): number {
  switch (v.type) {
    case 'string':
      return 1;
    case 'list': {
      let bytes = 0;
      for (const e of v.v) bytes += e.length + 2;
      return Math.max(1, Math.ceil(bytes / QUICKLIST_NODE_BYTES));
    }
    case 'hash':
    case 'set':
    case 'zset':
      {
      const enc = objectEncoding(v);
      return enc === 'hashtable' || enc === 'skiplist' ? v.v.size : 1;
    }
    case 'stream': {
      let effort = Math.ceil(v.v.length / STREAM_NODE_ENTRIES);
      for (const g of v.v.groups.values()) effort += 1 + g.pel.size;
      return Math.max(1, effort);
    }
  }
}

/** Allocations one element of a big encoding holds: dictEntry + sds (set), + value sds (hash), node + sds + dictEntry (zset). */
function allocationsPerElement(v: RedisValue): number {
  switch (v.type) {
    case 'set':
      return 2;
    case 'hash':
    case 'zset':
      return 3;
    case 'list':
      return 2; // quicklist node + its listpack
    default:
      return 1;
  }
}

/** Virtual µs a synchronous free of `v` takes (0 for values in one allocation). */
export function freeCostUs(v: RedisValue): number {
  const effort = freeEffort(v);
  if (effort <= 1) return 0;
  return Math.floor((effort * allocationsPerElement(v) * FREE_NS_PER_ALLOCATION) / 1000);
}

/** The free cost of a deletion: a lazy free of a big value happens in the background (dbAsyncDelete). */
export function deleteCostUs(v: RedisValue, lazy: boolean): number {
  if (lazy && freeEffort(v) > LAZYFREE_THRESHOLD) return 0;
  return freeCostUs(v);
}
