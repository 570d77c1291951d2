// rdbSaveObjectType + rdbSaveObject (rdb.c, 7.0.15) for the simulator's values, following the
// encodings OBJECT ENCODING reports (keyspace/memory.ts objectEncoding): the bytes Redis writes.
// Known limits: a hashtable-encoded set/hash is written in the simulator's (insertion) order where
// Redis walks its dict (seeded by a random hash seed: no fixed order exists); a list is packed into
// quicklist nodes as if it had been built by RPUSH; an intset uses the narrowest width of its
// current members (Redis never narrows after deletions).
import { d2string } from '../../commands/util.ts';
import { objectEncoding } from '../../keyspace/memory.ts';
import type { RedisValue } from '../../keyspace/values.ts';
import type { ZSet } from '../../keyspace/zset.ts';
import { ByteWriter } from './bytes.ts';
import { intsetBuild } from './intset.ts';
import { lpBuild, lpEntryBytes, type LpEntry } from './listpack.ts';
import { saveLen, saveRawBytes, saveString, type SaveOptions } from './primitives.ts';
import { saveStream } from './stream.ts';
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
} from './types.ts';

/** quicklist.c optimization_level: node byte limits for list-max-listpack-size -1 … -5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;
/** An empty listpack: 6-byte header + terminator. */
const LP_EMPTY_BYTES = 7;

/** _quicklistNodeAllowInsert: may an element of `sz` bytes join a node of `nodeBytes` / `count`? */
function allowInsert(nodeBytes: number, count: number, sz: number, fill: number): boolean {
  const newSz = nodeBytes + sz + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const limit = OPTIMIZATION_LEVEL[-fill - 1];
    if (limit !== undefined && newSz <= limit) return true;
  }
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return count < fill;
}

/** The quicklist nodes of a list pushed element by element at the tail (quicklistPushTail). */
export function packListNodes(list: readonly string[], fill: number): string[][] {
  const nodes: string[][] = [];
  let cur: string[] | null = null;
  let bytes = 0;
  for (const e of list) {
    if (cur && allowInsert(bytes, cur.length, e.length, fill)) {
      cur.push(e);
      bytes += lpEntryBytes(e);
    } else {
      cur = [e];
      nodes.push(cur);
      bytes = LP_EMPTY_BYTES + lpEntryBytes(e);
    }
  }
  return nodes;
}

/** zzlInsertAt: an integral score (double2ll) is stored as an integer, others as d2string text. */
export function zsetScoreEntry(score: number): LpEntry {
  if (Number.isInteger(score) && Math.abs(score) <= 4611686018427387903) return BigInt(score);
  if (Object.is(score, -0)) return 0n;
  return d2string(score); // "%.17g", inf, -inf
}

function* zsetListpackEntries(z: ZSet): Generator<LpEntry> {
  for (const e of z.entries()) {
    yield e.member;
    yield zsetScoreEntry(e.score);
  }
}

function* hashListpackEntries(h: Map<string, string>): Generator<string> {
  for (const [f, v] of h) {
    yield f;
    yield v;
  }
}

/** rdbSaveObjectType + rdbSaveObject: the type byte, then the value (in a file the key goes between). */
export function saveObject(w: ByteWriter, v: RedisValue, o: SaveOptions, key?: string): void {
  const type = (t: number): void => {
    w.u8(t);
    if (key !== undefined) saveString(w, key, o);
  };
  switch (v.type) {
    case 'string':
      type(RDB_TYPE_STRING);
      saveString(w, v.v, o);
      return;
    case 'list': {
      type(RDB_TYPE_LIST_QUICKLIST_2);
      const nodes = packListNodes(v.v, o.listMaxListpackSize);
      saveLen(w, nodes.length);
      for (const n of nodes) {
        saveLen(w, QUICKLIST_NODE_CONTAINER_PACKED);
        saveRawBytes(w, lpBuild(n), o);
      }
      return;
    }
    case 'set':
      if (objectEncoding(v) === 'intset') {
        type(RDB_TYPE_SET_INTSET);
        saveRawBytes(w, intsetBuild(v.v), o);
      } else {
        type(RDB_TYPE_SET);
        saveLen(w, v.v.size);
        for (const m of v.v) saveString(w, m, o);
      }
      return;
    case 'hash':
      if (objectEncoding(v) === 'listpack') {
        type(RDB_TYPE_HASH_LISTPACK);
        saveRawBytes(w, lpBuild(hashListpackEntries(v.v)), o);
      } else {
        type(RDB_TYPE_HASH);
        saveLen(w, v.v.size);
        for (const [f, val] of v.v) {
          saveString(w, f, o);
          saveString(w, val, o);
        }
      }
      return;
    case 'zset':
      if (objectEncoding(v) === 'listpack') {
        type(RDB_TYPE_ZSET_LISTPACK);
        saveRawBytes(w, lpBuild(zsetListpackEntries(v.v)), o);
      } else {
        // From the greatest to the smallest, as the skiplist is walked from its tail.
        type(RDB_TYPE_ZSET_2);
        const z = v.v;
        saveLen(w, z.size);
        const all = [...z.entries()];
        for (let i = all.length - 1; i >= 0; i--) {
          const e = all[i]!;
          saveString(w, e.member, o);
          w.f64le(e.score);
        }
      }
      return;
    case 'stream':
      type(RDB_TYPE_STREAM_LISTPACKS_2);
      saveStream(w, v, o);
      return;
  }
}
