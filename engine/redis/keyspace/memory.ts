// Per-key memory estimate like MEMORY USAGE (object.c objectComputeSize, 5 samples) and the value
// encodings OBJECT ENCODING reports (Redis 7.0.15 defaults), with jemalloc size classes.
import { d2string } from '../commands/util.ts';
import { streamMemoryUsage } from './stream-memory.ts';
import type { RedisValue } from './values.ts';

/** 7.0.15 defaults (CONFIG GET hash-max-listpack-entries etc. on a stock server). */
export const HASH_MAX_LISTPACK_ENTRIES = 512;
export const HASH_MAX_LISTPACK_VALUE = 64;
export const SET_MAX_INTSET_ENTRIES = 512;
export const ZSET_MAX_LISTPACK_ENTRIES = 128;
export const ZSET_MAX_LISTPACK_VALUE = 64;
/** list-max-listpack-size -2: quicklist nodes of at most 8 kB. */
export const LIST_NODE_BYTES = 8192;
/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT */
export const EMBSTR_SIZE_LIMIT = 44;

const ROBJ = 16;
const DICT_ENTRY = 24;
const DICT = 56;
const QUICKLIST = 40;
const QUICKLIST_NODE = 32;
const SAMPLES = 5;

/** jemalloc small/large size classes (8, 16, 32, 48 ... 128, then 4 classes per doubling). */
export function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const p = 2 ** Math.floor(Math.log2(n - 1));
  const step = p / 4;
  return Math.ceil(n / step) * step;
}

/** sdsnewlen: header by length (sdshdr5 below 32 bytes, except the empty string), + NUL. */
export function sdsAlloc(len: number): number {
  const hdr = len === 0 ? 3 : len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : 9;
  return jemallocSize(hdr + len + 1);
}

// ---------------------------------------------------------------- string encodings

/** Explicit string encodings: APPEND/SETRANGE results are raw, INCRBYFLOAT results are never int. */
const stringEnc = new WeakMap<object, 'raw' | 'embstr'>();
/** No string was ever marked: stringEncoding skips the WeakMap lookup (most runs never APPEND). */
let anyStringMarked = false;

/** The string was built in place (APPEND, SETRANGE): OBJECT ENCODING says raw. */
export function markRawString(v: RedisValue): void {
  stringEnc.set(v, 'raw');
  anyStringMarked = true;
}

/** The string was created with createStringObject (INCRBYFLOAT): embstr up to 44 bytes, else raw; never int. */
export function markPlainString(v: RedisValue): void {
  stringEnc.set(v, 'embstr');
  anyStringMarked = true;
}

/** tryObjectEncoding: "int" for canonical longs of at most 20 bytes, "embstr" up to 44 bytes, else "raw". */
function stringEncoding(v: RedisValue & { type: 'string' }): 'int' | 'embstr' | 'raw' {
  const forced = anyStringMarked ? stringEnc.get(v) : undefined;
  if (forced === 'raw') return 'raw';
  const s = v.v;
  if (forced === undefined && isIntString(s)) return 'int';
  return s.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

// ---------------------------------------------------------------- collection encodings

/** Collections that outgrew their compact encoding: Redis never converts them back. */
const converted = new WeakSet<object>();

/** A canonical decimal int64 (what Redis stores as an integer): checked by hand, BigInt only for 19–20 chars. */
const isIntString = (s: string): boolean => {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = s.charCodeAt(0) === 45 ? 1 : 0; // '-'
  if (i === n) return false;
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1; // "0" only: no leading zeros, no "-0"
  if (first < 49 || first > 57) return false;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (n < 19) return true;
  const b = BigInt(s);
  return b <= 9223372036854775807n && b >= -9223372036854775808n;
};

function hashIsListpack(h: Map<string, string>): boolean {
  if (converted.has(h)) return false;
  let ok = h.size <= HASH_MAX_LISTPACK_ENTRIES;
  if (ok)
    for (const [f, v] of h)
      if (f.length > HASH_MAX_LISTPACK_VALUE || v.length > HASH_MAX_LISTPACK_VALUE) {
        ok = false;
        break;
      }
  if (!ok) converted.add(h);
  return ok;
}

function setIsIntset(s: Set<string>): boolean {
  return intsetWidth(s) !== 0;
}

/** An intset member's width in bytes (2, 4 or 8), or 0 when it is no int64. */
function memberWidth(m: string): number {
  if (!isIntString(m)) return 0;
  // at most 4 characters ("-999" … "9999") always fits 16 bits
  if (m.length <= 4) return 2;
  const n = Number(m);
  return n < -2147483648 || n > 2147483647 ? 8 : n < -32768 || n > 32767 ? 4 : 2;
}

/** intsetWidth's last answer per set and the size it saw (every set write resizes the key, which asks again). */
const lastWidth = new WeakMap<Set<string>, { size: number; width: number }>();

/** The intset's element width in bytes (2, 4 or 8), or 0 when the set is (or became) a hashtable. */
function intsetWidth(s: Set<string>): number {
  if (converted.has(s)) return 0;
  const last = lastWidth.get(s);
  if (last !== undefined && last.size === s.size && pendingGrowth === s) {
    pendingGrowth = null;
    return last.width;
  }
  let width = s.size <= SET_MAX_INTSET_ENTRIES ? 2 : 0;
  if (width)
    for (const m of s) {
      const w = memberWidth(m);
      if (w === 0) {
        width = 0;
        break;
      }
      if (w > width) width = w;
    }
  if (!width) converted.add(s);
  else if (last !== undefined) {
    last.size = s.size;
    last.width = width;
  } else lastWidth.set(s, { size: s.size, width });
  return width;
}

/** The set that setGrew just accounted for (its next intsetWidth answers from lastWidth once). */
let pendingGrowth: Set<string> | null = null;

/**
 * SADD added members to a set of `before` members (argv holds them, and perhaps members it already had):
 * the width is the old one widened by theirs, so the resize after it need not walk the whole intset.
 */
export function setGrew(s: Set<string>, before: number, members: readonly string[], from: number): void {
  pendingGrowth = null;
  if (converted.has(s)) return;
  const last = lastWidth.get(s);
  if (last === undefined || last.size !== before) return;
  let width = s.size <= SET_MAX_INTSET_ENTRIES ? last.width : 0;
  for (let i = from; i < members.length && width !== 0; i++) {
    const w = memberWidth(members[i]!);
    if (w === 0) width = 0;
    else if (w > width) width = w;
  }
  if (width === 0) {
    converted.add(s);
    return;
  }
  last.size = s.size;
  last.width = width;
  pendingGrowth = s;
}

function zsetEncoding(z: { size: number; encoding?: string }): 'listpack' | 'skiplist' {
  if (z.encoding === 'listpack' || z.encoding === 'skiplist') return z.encoding;
  return z.size <= ZSET_MAX_LISTPACK_ENTRIES ? 'listpack' : 'skiplist';
}

/** COPY (hashTypeDup, setTypeDup...): the duplicate keeps the source's encoding. */
export function copyEncoding(from: RedisValue, to: RedisValue): void {
  if (from.type === 'string') {
    const e = anyStringMarked ? stringEnc.get(from) : undefined;
    if (e) stringEnc.set(to, e);
  } else if (converted.has(from.v as object)) converted.add(to.v as object);
}

/** OBJECT ENCODING as Redis 7.0.15 reports it (lists are always quicklist in 7.0). */
export function objectEncoding(v: RedisValue): string {
  switch (v.type) {
    case 'string':
      return stringEncoding(v);
    case 'list':
      return 'quicklist';
    case 'hash':
      return hashIsListpack(v.v) ? 'listpack' : 'hashtable';
    case 'set':
      return setIsIntset(v.v) ? 'intset' : 'hashtable';
    case 'zset':
      return zsetEncoding(v.v as unknown as { size: number; encoding?: string });
    case 'stream':
      return 'stream';
  }
}

// ---------------------------------------------------------------- sizes

/** Bytes of one listpack entry holding s (integers are stored as integers). */
function lpEntrySize(s: string): number {
  let body: number;
  if (s.length <= 20 && isIntString(s)) {
    const n = Number(s);
    body = n >= 0 && n <= 127 ? 1 : Math.abs(n) < 4096 ? 2 : Math.abs(n) < 32768 ? 3 : Math.abs(n) < 8388608 ? 4 : Math.abs(n) < 2147483648 ? 5 : 9;
  } else {
    const L = s.length;
    body = (L < 64 ? 1 : L < 4096 ? 2 : 5) + L;
  }
  return body + (body < 128 ? 1 : body < 16384 ? 2 : body < 2097152 ? 3 : 4);
}

/** Indexes of up to `samples` elements spread over [0, n). */
function sampleIdx(n: number, samples: number): number[] {
  if (n <= samples) return Array.from({ length: n }, (_, i) => i);
  if (samples <= 1) return [0];
  const out: number[] = [];
  for (let i = 0; i < samples; i++) out.push(Math.floor((i * (n - 1)) / (samples - 1)));
  return out;
}

const dictSlots = (n: number): number => Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(1, n))));

function stringSize(v: RedisValue & { type: 'string' }): number {
  const enc = stringEncoding(v);
  if (enc === 'int') return ROBJ;
  if (enc === 'embstr') return jemallocSize(ROBJ + 3 + v.v.length + 1);
  return ROBJ + sdsAlloc(v.v.length);
}

function listSize(l: string[], samples: number): number {
  const n = l.length;
  if (n === 0) return ROBJ + jemallocSize(QUICKLIST);
  let sum = 0;
  const idx = sampleIdx(n, samples);
  for (const i of idx) sum += lpEntrySize(l[i]!);
  const bytes = (sum / idx.length) * n;
  const nodes = Math.max(1, Math.ceil(bytes / (LIST_NODE_BYTES - 7)));
  return ROBJ + jemallocSize(QUICKLIST) + nodes * (QUICKLIST_NODE + jemallocSize(Math.ceil(bytes / nodes) + 7));
}

function hashSize(h: Map<string, string>, samples: number): number {
  if (hashIsListpack(h)) {
    let bytes = 7;
    for (const [f, v] of h) bytes += lpEntrySize(f) + lpEntrySize(v);
    return ROBJ + jemallocSize(bytes);
  }
  let sum = 0;
  let k = 0;
  for (const [f, v] of h) {
    sum += DICT_ENTRY + sdsAlloc(f.length) + sdsAlloc(v.length);
    if (++k === samples) break;
  }
  return ROBJ + DICT + 8 * dictSlots(h.size) + (k ? (sum / k) * h.size : 0);
}

function setSize(s: Set<string>, samples: number): number {
  const width = intsetWidth(s);
  if (width) return ROBJ + jemallocSize(8 + width * s.size);
  let sum = 0;
  let k = 0;
  for (const m of s) {
    sum += DICT_ENTRY + sdsAlloc(m.length);
    if (++k === samples) break;
  }
  return ROBJ + DICT + 8 * dictSlots(s.size) + (k ? (sum / k) * s.size : 0);
}

/** Sorted sets: a listpack exactly (member, then the score as d2string writes it); a skiplist by size. */
function zsetSize(z: { size: number; encoding?: string; entries?: () => Iterable<{ member: string; score: number }> }): number {
  const n = z.size;
  if (zsetEncoding(z) === 'listpack') {
    if (!z.entries) return ROBJ + jemallocSize(7 + n * 13);
    let bytes = 7;
    for (const e of z.entries()) bytes += lpEntrySize(e.member) + lpEntrySize(d2string(e.score));
    return ROBJ + jemallocSize(bytes);
  }
  // zset struct + dict + skiplist header (32 levels) + per element: node, member sds, dict entry.
  return ROBJ + 16 + DICT + 8 * dictSlots(n) + 32 + 560 + n * (48 + 16 + DICT_ENTRY);
}

/** Approximate bytes used by a key and its value (MEMORY USAGE): dict entry + key sds + value;
 *  nested values are sampled up to `samples` elements (MEMORY USAGE … SAMPLES; Infinity: all). */
export function estimateSize(key: string, v: RedisValue, samples: number = SAMPLES): number {
  let value: number;
  switch (v.type) {
    case 'string':
      value = stringSize(v);
      break;
    case 'list':
      value = listSize(v.v, samples);
      break;
    case 'hash':
      value = hashSize(v.v, samples);
      break;
    case 'set':
      value = setSize(v.v, samples);
      break;
    case 'zset':
      value = zsetSize(v.v);
      break;
    case 'stream':
      value = streamMemoryUsage(v.v, samples, jemallocSize);
      break;
  }
  return Math.round(value) + sdsAlloc(key.length) + DICT_ENTRY;
}
