// rdbLoadObject (rdb.c, 7.0.15) into the simulator's values: every object type Redis 7.0 reads
// (the 7.0 listpack forms and the older ziplist / linked forms), with its integrity checks. The
// simulator derives encodings from contents, so Redis's post-load conversions need no mirror here.
import type { RedisValue } from '../../keyspace/values.ts';
import { ZSet } from '../../keyspace/zset.ts';
import { parseStrtod } from '../../commands/util.ts';
import { ByteReader, bytesToStr } from './bytes.ts';
import { intsetRead } from './intset.ts';
import { lpRead } from './listpack.ts';
import { loadBytes, loadLen, loadString, loadTextDouble } from './primitives.ts';
import { loadStream } from './stream.ts';
import * as T from './types.ts';
import { ziplistRead } from './ziplist.ts';

/** A value whose collection is empty: Redis skips the key ("rdbLoadObject skipping empty key"). */
export const EMPTY_KEY = 'empty' as const;


/** A blob read as a string object (a listpack, ziplist or intset): its offset in the buffer too. */
function blob(r: ByteReader, what: string): { b: Uint8Array; at: number } {
  const start = r.pos;
  const b = loadBytes(r, what);
  // A verbatim blob's offset is exact; an LZF one points at its encoding byte.
  const at = b.buffer === r.buf.buffer && b.byteOffset >= r.buf.byteOffset ? r.base + (b.byteOffset - r.buf.byteOffset) : r.base + start;
  return { b, at };
}

function pairs(items: string[], r: ByteReader, at: number, what: string): [string, string][] {
  if (items.length % 2 !== 0) r.fail(`${what} with an even number of entries`, at - r.base);
  const out: [string, string][] = [];
  for (let i = 0; i < items.length; i += 2) out.push([items[i]!, items[i + 1]!]);
  return out;
}

function scoreOf(s: string, r: ByteReader, at: number): number {
  const v = parseStrtod(s);
  if (v === null || Number.isNaN(v)) r.fail(`a sorted set score (got "${s}")`, at - r.base);
  return v;
}

function zsetFrom(entries: [string, number][], enc: 'listpack' | 'skiplist', r: ByteReader, at: number): RedisValue {
  const z = new ZSet(enc);
  for (const [m, s] of entries) {
    if (Number.isNaN(s)) r.fail('a score that is not NaN (Zset with NAN score detected)', at - r.base);
    if (!z.set(m, s)) r.fail(`distinct sorted set members (Duplicate zset fields detected: "${m}")`, at - r.base);
  }
  if (enc === 'skiplist') z.compact();
  return { type: 'zset', v: z };
}

function hashFrom(entries: [string, string][], r: ByteReader, at: number): RedisValue {
  const h = new Map<string, string>();
  for (const [f, v] of entries) {
    if (h.has(f)) r.fail(`distinct hash fields (Duplicate hash fields detected: "${f}")`, at - r.base);
    h.set(f, v);
  }
  return { type: 'hash', v: h };
}

function setFrom(members: string[], r: ByteReader, at: number): RedisValue {
  const s = new Set<string>();
  for (const m of members) {
    if (s.has(m)) r.fail(`distinct set members (Duplicate set members detected: "${m}")`, at - r.base);
    s.add(m);
  }
  return { type: 'set', v: s };
}

/** rdbLoadObject: the value of an object of this RDB type, or EMPTY_KEY. Throws RdbFormatError. */
export function loadObject(r: ByteReader, type: number): RedisValue | typeof EMPTY_KEY {
  const at = r.base + r.pos;
  switch (type) {
    case T.RDB_TYPE_STRING:
      return { type: 'string', v: loadString(r, 'a string value') };
    case T.RDB_TYPE_LIST: {
      const n = loadLen(r, 'a list length');
      if (n === 0) return EMPTY_KEY;
      const l: string[] = [];
      for (let i = 0; i < n; i++) l.push(loadString(r, 'a list element'));
      return { type: 'list', v: l };
    }
    case T.RDB_TYPE_LIST_QUICKLIST:
    case T.RDB_TYPE_LIST_QUICKLIST_2: {
      const n = loadLen(r, 'a quicklist node count');
      if (n === 0) return EMPTY_KEY;
      const l: string[] = [];
      for (let i = 0; i < n; i++) {
        let container: number = T.QUICKLIST_NODE_CONTAINER_PACKED;
        if (type === T.RDB_TYPE_LIST_QUICKLIST_2) {
          const cAt = r.pos;
          container = loadLen(r, 'a quicklist node container');
          if (container !== T.QUICKLIST_NODE_CONTAINER_PACKED && container !== T.QUICKLIST_NODE_CONTAINER_PLAIN)
            r.fail('a quicklist node container of 1 or 2 (Quicklist integrity check failed)', cAt);
        }
        const nodeAt = r.pos;
        const { b, at: bAt } = blob(r, 'a quicklist node');
        if (b.length === 0) r.fail('a non-empty quicklist node', nodeAt);
        if (container === T.QUICKLIST_NODE_CONTAINER_PLAIN) l.push(bytesToStr(b));
        else for (const e of type === T.RDB_TYPE_LIST_QUICKLIST_2 ? lpRead(b, bAt) : ziplistRead(b, bAt)) l.push(e);
      }
      return l.length ? { type: 'list', v: l } : EMPTY_KEY;
    }
    case T.RDB_TYPE_LIST_ZIPLIST: {
      const { b, at: bAt } = blob(r, 'a list ziplist');
      const l = ziplistRead(b, bAt);
      return l.length ? { type: 'list', v: l } : EMPTY_KEY;
    }
    case T.RDB_TYPE_SET: {
      const n = loadLen(r, 'a set length');
      if (n === 0) return EMPTY_KEY;
      const m: string[] = [];
      for (let i = 0; i < n; i++) m.push(loadString(r, 'a set member'));
      return setFrom(m, r, at);
    }
    case T.RDB_TYPE_SET_INTSET: {
      const { b, at: bAt } = blob(r, 'an intset');
      return setFrom(intsetRead(b, bAt), r, at);
    }
    case T.RDB_TYPE_ZSET:
    case T.RDB_TYPE_ZSET_2: {
      const n = loadLen(r, 'a sorted set length');
      if (n === 0) return EMPTY_KEY;
      const e: [string, number][] = [];
      for (let i = 0; i < n; i++) {
        const m = loadString(r, 'a sorted set member');
        const s = type === T.RDB_TYPE_ZSET_2 ? r.f64le('a binary double score') : loadTextDouble(r, 'a score');
        e.push([m, s]);
      }
      return zsetFrom(e, 'skiplist', r, at);
    }
    case T.RDB_TYPE_ZSET_ZIPLIST:
    case T.RDB_TYPE_ZSET_LISTPACK: {
      const { b, at: bAt } = blob(r, 'a sorted set listpack');
      const items = type === T.RDB_TYPE_ZSET_LISTPACK ? lpRead(b, bAt) : ziplistRead(b, bAt);
      if (items.length === 0) return EMPTY_KEY;
      const e = pairs(items, r, bAt, 'a sorted set listpack').map(([m, s]): [string, number] => [m, scoreOf(s, r, bAt)]);
      return zsetFrom(e, 'listpack', r, bAt);
    }
    case T.RDB_TYPE_HASH: {
      const n = loadLen(r, 'a hash length');
      if (n === 0) return EMPTY_KEY;
      const e: [string, string][] = [];
      for (let i = 0; i < n; i++) e.push([loadString(r, 'a hash field'), loadString(r, 'a hash value')]);
      return hashFrom(e, r, at);
    }
    case T.RDB_TYPE_HASH_ZIPLIST:
    case T.RDB_TYPE_HASH_LISTPACK: {
      const { b, at: bAt } = blob(r, 'a hash listpack');
      const items = type === T.RDB_TYPE_HASH_LISTPACK ? lpRead(b, bAt) : ziplistRead(b, bAt);
      if (items.length === 0) return EMPTY_KEY;
      return hashFrom(pairs(items, r, bAt, 'a hash listpack'), r, bAt);
    }
    case T.RDB_TYPE_STREAM_LISTPACKS:
    case T.RDB_TYPE_STREAM_LISTPACKS_2:
      return loadStream(r, type);
    case T.RDB_TYPE_HASH_ZIPMAP:
      return r.fail('an object type this simulator loads (zipmap hashes of Redis < 2.6 are not supported)', r.pos - 1);
    case T.RDB_TYPE_MODULE:
    case T.RDB_TYPE_MODULE_2:
      return r.fail('an object type this simulator loads (module values need their module)', r.pos - 1);
    default:
      return r.fail(`an RDB object type (got ${type})`, r.pos - 1);
  }
}
