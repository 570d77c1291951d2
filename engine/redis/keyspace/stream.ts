// The stream data type (stream.h / t_stream.c of Redis 7.0.15), as users observe it.
//
// Fields of a Stream (what an RDB writer needs):
// - nodes: the rax of listpacks, in ID order. Each StreamNode is one listpack: `master` is its rax key
//   (the ID of the first entry ever added to it), `masterFields` the master entry's field names,
//   `entries` every entry still stored in the listpack INCLUDING tombstones (deleted: true), `count`
//   / `deleted` the master entry's live and deleted counters. An entry keeps its field-value pairs
//   flat (`fields`: f1, v1, f2, v2 …) and `same` = STREAM_ITEM_FLAG_SAMEFIELDS.
//   `bytes()` is the exact lpBytes of the node's listpack (that is what splits nodes and what `~` trims).
// - length, lastId (last_id), firstId (first_id), maxDeletedId (max_deleted_entry_id), entriesAdded
//   (entries_added). IDs are 128-bit bigints (stream-id.ts).
// - groups: consumer groups by name (stream-cg.ts): lastId, entriesRead (-1 = invalid), the group
//   PEL (id → Nack {consumer, deliveryTime, deliveryCount}) and consumers (name, seenTime, own PEL).
import { ConsumerGroup, cloneGroups } from './stream-cg.ts';
import { type StreamId, idMs, idSeq, ID_MAX } from './stream-id.ts';

export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;

export interface StreamEntry {
  id: StreamId;
  /** f1, v1, f2, v2 … */
  fields: string[];
  deleted: boolean;
  /** STREAM_ITEM_FLAG_SAMEFIELDS: the field names are the master entry's (not stored again). */
  same: boolean;
  /** Listpack bytes of this entry's elements (flags … lp-count). */
  bytes: number;
}

export interface StreamNode {
  master: StreamId;
  masterFields: string[];
  entries: StreamEntry[];
  count: number;
  deleted: number;
  /** Sum of the entries' bytes. */
  entryBytes: number;
}

export interface NodeLimits {
  /** stream-node-max-bytes (0 = no limit but the listpack's own). */
  maxBytes: number;
  /** stream-node-max-entries (0 = no limit). */
  maxEntries: number;
}

// ---------------------------------------------------------------- listpack sizes (listpack.c)

/** Bytes of the back-length of an element whose encoding+data is l bytes (lpEncodeBacklen). */
const backlen = (l: number): number => (l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5);

/** An integer element: encoding + data + backlen. */
export function lpIntSize(v: bigint | number): number {
  const n = typeof v === 'bigint' ? v : BigInt(v);
  let l: number;
  if (n >= 0n && n <= 127n) l = 1;
  else if (n >= -4096n && n <= 4095n) l = 2;
  else if (n >= -32768n && n <= 32767n) l = 3;
  else if (n >= -8388608n && n <= 8388607n) l = 4;
  else if (n >= -2147483648n && n <= 2147483647n) l = 5;
  else l = 9;
  return l + backlen(l);
}

/** lpStringToInt64: a canonical int64 decimal. */
function lpInt(s: string): bigint | null {
  if (s.length === 0 || s.length > 20 || !/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const v = BigInt(s);
  return v >= -(1n << 63n) && v < 1n << 63n ? v : null;
}

/** An element appended with lpAppend: stored as an integer when it is one. */
export function lpStrSize(s: string): number {
  const i = lpInt(s);
  if (i !== null) return lpIntSize(i);
  const L = s.length;
  const l = (L <= 63 ? 1 : L <= 4095 ? 2 : 5) + L;
  return l + backlen(l);
}

/** lpBytes of a node: header (6) + master entry + entries + end byte. */
export function nodeBytes(n: StreamNode): number {
  let b = 7 + lpIntSize(n.count) + lpIntSize(n.deleted) + lpIntSize(n.masterFields.length) + lpIntSize(0);
  for (const f of n.masterFields) b += lpStrSize(f);
  return b + n.entryBytes;
}

function entrySize(id: StreamId, master: StreamId, fields: string[], same: boolean): number {
  const nf = fields.length / 2;
  // ms and seq deltas are uint64 differences stored as int64 (lpAppendInteger)
  let b = lpIntSize(0) + lpIntSize(BigInt.asIntN(64, idMs(id) - idMs(master))) + lpIntSize(BigInt.asIntN(64, idSeq(id) - idSeq(master)));
  if (!same) b += lpIntSize(nf);
  for (let i = 0; i < fields.length; i += 2) {
    if (!same) b += lpStrSize(fields[i]!);
    b += lpStrSize(fields[i + 1]!);
  }
  const lpCount = nf + 3 + (same ? 0 : nf + 1);
  return b + lpIntSize(lpCount);
}

// ---------------------------------------------------------------- the stream

export type AppendError = 'EDOM' | 'ERANGE';

export class Stream {
  nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamId = 0n;
  firstId: StreamId = 0n;
  maxDeletedId: StreamId = 0n;
  entriesAdded = 0;
  groups = new Map<string, ConsumerGroup>();
  /** Bumped by every write that signals blocked readers in Redis (signalKeyAsReady). */
  readyEpoch = 0;
  /** radixTreeNodes, until a node is added or removed. */
  private raxNodes = -1;

  /**
   * streamAppendItem. `useId` with `seqGiven` false is "<ms>-*". Returns the new ID or the error
   * (EDOM: ID not greater than the top item; ERANGE: elements too large).
   */
  append(fields: string[], useId: StreamId | null, seqGiven: boolean, nowMs: number, limits: NodeLimits): StreamId | AppendError {
    let id: StreamId;
    if (useId !== null) {
      if (seqGiven) id = useId;
      else if (idMs(this.lastId) === idMs(useId)) {
        if (idSeq(this.lastId) === (1n << 64n) - 1n) return 'EDOM';
        id = this.lastId + 1n;
      } else id = useId;
    } else {
      // streamNextID: a clock behind the last ID increments the last ID
      const ms = BigInt(Math.max(0, Math.floor(nowMs)));
      if (ms > idMs(this.lastId)) id = ms << 64n;
      else {
        if (this.lastId === ID_MAX) return 'EDOM';
        id = this.lastId + 1n;
      }
    }
    if (id <= this.lastId) return 'EDOM';
    let totelelen = 0;
    for (const f of fields) totelelen += f.length;
    if (totelelen > STREAM_LISTPACK_MAX_SIZE) return 'ERANGE';

    let node = this.nodes.length ? this.nodes[this.nodes.length - 1]! : null;
    if (node) {
      let maxBytes = limits.maxBytes;
      if (maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE) maxBytes = STREAM_LISTPACK_MAX_SIZE;
      if (nodeBytes(node) + totelelen >= maxBytes) node = null;
      else if (limits.maxEntries && node.count + node.deleted >= limits.maxEntries) node = null;
    }
    let same: boolean;
    if (!node) {
      node = { master: id, masterFields: fields.filter((_, i) => i % 2 === 0), entries: [], count: 1, deleted: 0, entryBytes: 0 };
      this.nodes.push(node);
      this.raxNodes = -1;
      same = true;
    } else {
      node.count++;
      const mf = node.masterFields;
      same = mf.length * 2 === fields.length && mf.every((f, i) => f === fields[i * 2]);
    }
    const bytes = entrySize(id, node.master, fields, same);
    node.entries.push({ id, fields: fields.slice(), deleted: false, same, bytes });
    node.entryBytes += bytes;
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
    return id;
  }

  /** Index of the node an iteration from `id` starts at (raxSeek "<=", else the first). */
  private seekNode(id: StreamId): number {
    let lo = 0;
    let hi = this.nodes.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.nodes[mid]!.master <= id) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans < 0 ? 0 : ans;
  }

  /** streamIteratorGetID over [start, end] (inclusive), forwards or backwards; tombstones skipped unless asked. */
  *range(start: StreamId, end: StreamId, rev = false, tombstones = false): Generator<StreamEntry> {
    if (start > end || this.nodes.length === 0) return;
    if (!rev) {
      for (let n = this.seekNode(start); n < this.nodes.length; n++) {
        const node = this.nodes[n]!;
        if (node.master > end) return;
        for (const e of node.entries) {
          if (e.id < start || (e.deleted && !tombstones)) continue;
          if (e.id > end) return;
          yield e;
        }
      }
    } else {
      for (let n = this.seekNode(end); n >= 0; n--) {
        const node = this.nodes[n]!;
        for (let i = node.entries.length - 1; i >= 0; i--) {
          const e = node.entries[i]!;
          if (e.id > end || (e.deleted && !tombstones)) continue;
          if (e.id < start) return;
          yield e;
        }
      }
    }
  }

  /** The live entry with this ID. */
  get(id: StreamId): StreamEntry | undefined {
    for (const e of this.range(id, id)) return e;
    return undefined;
  }

  /** streamGetEdgeID: first/last entry ID; when none, UINT64_MAX-UINT64_MAX (first) or 0-0 (last). */
  edgeId(first: boolean, skipTombstones: boolean): StreamId {
    for (const e of this.range(0n, ID_MAX, !first, !skipTombstones)) return e.id;
    return first ? ID_MAX : 0n;
  }

  /** streamLastValidID. */
  lastValidId(): StreamId {
    return this.edgeId(false, true);
  }

  /** streamDeleteItem (streamIteratorRemoveEntry): mark deleted, drop the node with its last live entry. */
  deleteEntry(id: StreamId): boolean {
    const ni = this.seekNode(id);
    const node = this.nodes[ni];
    if (!node) return false;
    const e = node.entries.find((x) => x.id === id && !x.deleted);
    if (!e) return false;
    if (node.count === 1) {
      this.nodes.splice(ni, 1);
      this.raxNodes = -1;
    } else {
      e.deleted = true;
      node.count--;
      node.deleted++;
    }
    this.length--;
    return true;
  }

  /**
   * streamTrim: MAXLEN (maxlen) or MINID (minid); `approx` removes whole nodes only; `limit` caps the
   * entries removed (0 = none). Returns the number of entries removed.
   */
  trim(strategy: 'maxlen' | 'minid', maxlen: number, minid: StreamId, approx: boolean, limit: number): number {
    let deleted = 0;
    while (this.nodes.length > 0) {
      if (strategy === 'maxlen' && this.length <= maxlen) break;
      const node = this.nodes[0]!;
      const entries = node.count;
      if (limit && deleted + entries > limit) break;
      let removeNode: boolean;
      // MINID: lpGetEdgeStreamID reads the node's last entry, tombstone or not
      if (strategy === 'maxlen') removeNode = this.length - entries >= maxlen;
      else removeNode = node.entries[node.entries.length - 1]!.id < minid;
      if (removeNode) {
        this.nodes.shift();
        this.raxNodes = -1;
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      let fromNode = 0;
      for (const e of node.entries) {
        const stop = strategy === 'maxlen' ? this.length <= maxlen : e.id >= minid;
        if (stop) break;
        if (!e.deleted) {
          e.deleted = true;
          fromNode++;
          this.length--;
        }
      }
      deleted += fromNode;
      node.count -= fromNode;
      node.deleted += fromNode;
      break;
    }
    if (this.length === 0) this.firstId = 0n;
    else if (deleted) this.firstId = this.edgeId(true, true);
    return deleted;
  }

  /** raxSize(s->rax). */
  get radixTreeKeys(): number {
    return this.nodes.length;
  }

  /**
   * s->rax->numnodes: the nodes of the compressed radix tree holding the 16-byte big-endian keys —
   * the head, every key, every branching prefix and every child of a branching prefix.
   */
  get radixTreeNodes(): number {
    if (this.raxNodes < 0) this.raxNodes = this.countRaxNodes();
    return this.raxNodes;
  }

  private countRaxNodes(): number {
    const keys = this.nodes.map((n) => {
      let k = raxKeys.get(n);
      if (k === undefined) raxKeys.set(n, (k = keyBytes(n.master)));
      return k;
    });
    const set = new Set<string>(['']);
    for (const k of keys) set.add(k);
    for (let i = 1; i < keys.length; i++) {
      const a = keys[i - 1]!;
      const b = keys[i]!;
      let l = 0;
      while (l < 16 && a[l] === b[l]) l++;
      set.add(a.slice(0, l));
      set.add(a.slice(0, l + 1));
      set.add(b.slice(0, l + 1));
    }
    return set.size;
  }

  /** streamDup (COPY). */
  clone(): Stream {
    const s = new Stream();
    s.nodes = this.nodes.map((n) => ({ ...n, masterFields: n.masterFields.slice(), entries: n.entries.map((e) => ({ ...e, fields: e.fields.slice() })) }));
    s.length = this.length;
    s.firstId = this.firstId;
    s.lastId = this.lastId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    s.groups = cloneGroups(this.groups);
    return s;
  }

  /** Groups in rax (byte) order. */
  sortedGroups(): [string, ConsumerGroup][] {
    return [...this.groups].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}

/** Rax keys of nodes, computed once per node. */
const raxKeys = new WeakMap<StreamNode, string>();

/** The 16-byte big-endian rax key of an ID, one char per byte. */
function keyBytes(id: StreamId): string {
  let s = '';
  for (let i = 15; i >= 0; i--) s += String.fromCharCode(Number((id >> BigInt(i * 8)) & 0xffn));
  return s;
}
