// Streams in RDB_TYPE_STREAM_LISTPACKS_2 (rdbSaveObject / rdbLoadObject for OBJ_STREAM, 7.0.15): every
// node as its rax key (16-byte big-endian master ID) and its listpack (master entry, then each entry
// with its flags, ID deltas and fields, tombstones included), the stream's counters and IDs, then the
// consumer groups with their PELs (16-byte IDs, delivery time and count) and consumers.
import { Consumer, ConsumerGroup } from '../../keyspace/stream-cg.ts';
import { Stream, type StreamEntry, type StreamNode } from '../../keyspace/stream.ts';
import { idMs, idSeq, makeId, type StreamId } from '../../keyspace/stream-id.ts';
import type { RedisValue } from '../../keyspace/values.ts';
import { ByteReader, ByteWriter } from './bytes.ts';
import { lpBuild, lpEntryBytes, lpRead, type LpEntry } from './listpack.ts';
import { loadBytes, loadLen, loadString, saveLen, saveRawBytes, saveString, type SaveOptions } from './primitives.ts';
import { RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2 } from './types.ts';
import { estimateDistance } from '../../keyspace/stream-lag.ts';

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

function idBytes(id: StreamId): Uint8Array {
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = Number((id >> BigInt((15 - i) * 8)) & 0xffn);
  return b;
}

function readId(r: ByteReader, what: string): StreamId {
  const b = r.bytes(16, what);
  let v = 0n;
  for (let i = 0; i < 16; i++) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** The elements of a node's listpack, as streamAppendItem lays them out. */
function nodeElements(n: StreamNode): LpEntry[] {
  const out: LpEntry[] = [BigInt(n.count), BigInt(n.deleted), BigInt(n.masterFields.length), ...n.masterFields, 0n];
  const mms = idMs(n.master);
  const mseq = idSeq(n.master);
  for (const e of n.entries) {
    const nf = e.fields.length / 2;
    out.push(BigInt((e.deleted ? FLAG_DELETED : 0) | (e.same ? FLAG_SAMEFIELDS : 0)));
    out.push(BigInt.asIntN(64, idMs(e.id) - mms), BigInt.asIntN(64, idSeq(e.id) - mseq));
    if (!e.same) out.push(BigInt(nf));
    for (let i = 0; i < e.fields.length; i += 2) {
      if (!e.same) out.push(e.fields[i]!);
      out.push(e.fields[i + 1]!);
    }
    out.push(BigInt(nf + 3 + (e.same ? 0 : nf + 1)));
  }
  return out;
}

const u64 = (v: number | bigint): bigint => BigInt.asUintN(64, BigInt(v));

/** The value of a stream after its type byte. */
export function saveStream(w: ByteWriter, v: RedisValue, o: SaveOptions): void {
  const s = v.v as Stream;
  saveLen(w, s.nodes.length);
  for (const n of s.nodes) {
    saveRawBytes(w, idBytes(n.master), o);
    saveRawBytes(w, lpBuild(nodeElements(n)), o);
  }
  saveLen(w, s.length);
  for (const id of [s.lastId, s.firstId, s.maxDeletedId]) {
    saveLen(w, idMs(id));
    saveLen(w, idSeq(id));
  }
  saveLen(w, s.entriesAdded);
  const groups = s.sortedGroups();
  saveLen(w, groups.length);
  for (const [name, g] of groups) {
    saveString(w, name, o);
    saveLen(w, idMs(g.lastId));
    saveLen(w, idSeq(g.lastId));
    saveLen(w, u64(g.entriesRead));
    saveLen(w, g.pel.size);
    for (const [id, nack] of g.pel.from()) {
      w.bytes(idBytes(id));
      w.i64le(BigInt(nack.deliveryTime));
      saveLen(w, nack.deliveryCount);
    }
    const consumers = g.sortedConsumers();
    saveLen(w, consumers.length);
    for (const c of consumers) {
      saveString(w, c.name, o);
      w.i64le(BigInt(c.seenTime));
      saveLen(w, c.pel.size);
      for (const [id] of c.pel.from()) w.bytes(idBytes(id));
    }
  }
}

/** A 64-bit length (rdbLoadLen) as a bigint. */
function loadLen64(r: ByteReader, what: string): bigint {
  const at = r.pos;
  const b = r.buf[r.pos];
  if (b === 0x81) {
    r.pos++;
    return r.u64be(what);
  }
  r.pos = at;
  return BigInt(loadLen(r, what));
}

/** Rebuild a node from its listpack (the master entry, then every entry). */
function parseNode(master: StreamId, elems: string[], r: ByteReader, at: number): StreamNode {
  const bad = (what: string): never => r.fail(`a stream listpack with ${what}`, at - r.base);
  let i = 0;
  const next = (): string => (i < elems.length ? elems[i++]! : bad('more elements'));
  const int = (): bigint => {
    const s = next();
    if (!/^-?\d+$/.test(s)) bad(`an integer (got "${s}")`);
    return BigInt(s);
  };
  const count = Number(int());
  const deleted = Number(int());
  const nmf = Number(int());
  const masterFields: string[] = [];
  for (let k = 0; k < nmf; k++) masterFields.push(next());
  if (int() !== 0n) bad('a master entry ending in 0');
  const entries: StreamEntry[] = [];
  let entryBytes = 0;
  while (i < elems.length) {
    const start = i;
    const flags = Number(int());
    const ms = BigInt.asUintN(64, idMs(master) + int());
    const seq = BigInt.asUintN(64, idSeq(master) + int());
    const same = (flags & FLAG_SAMEFIELDS) !== 0;
    const nf = same ? nmf : Number(int());
    const fields: string[] = [];
    for (let k = 0; k < nf; k++) {
      fields.push(same ? masterFields[k]! : next());
      fields.push(next());
    }
    if (Number(int()) !== nf + 3 + (same ? 0 : nf + 1)) bad('a matching lp-count');
    let bytes = 0;
    for (let k = start; k < i; k++) bytes += lpEntryBytes(elems[k]!);
    entries.push({ id: makeId(ms, seq), fields, deleted: (flags & FLAG_DELETED) !== 0, same, bytes });
    entryBytes += bytes;
  }
  if (entries.length === 0) bad('at least one entry (Empty listpack inside stream)');
  if (entries.filter((e) => !e.deleted).length !== count || entries.filter((e) => e.deleted).length !== deleted) bad(`${count} live and ${deleted} deleted entries`);
  return { master, masterFields, entries, count, deleted, entryBytes };
}

/** rdbLoadObject for RDB_TYPE_STREAM_LISTPACKS(_2). */
export function loadStream(r: ByteReader, type: number): RedisValue {
  const v2 = type === RDB_TYPE_STREAM_LISTPACKS_2;
  if (type !== RDB_TYPE_STREAM_LISTPACKS && !v2) r.fail('a stream type');
  const s = new Stream();
  const nn = loadLen(r, 'the number of stream nodes');
  for (let k = 0; k < nn; k++) {
    const keyAt = r.pos;
    const key = loadBytes(r, 'a stream node key');
    if (key.length !== 16) r.fail('a 16-byte stream node key (Stream node key entry is not the size of a stream ID)', keyAt);
    let master = 0n;
    for (const b of key) master = (master << 8n) | BigInt(b);
    const lpAt = r.base + r.pos;
    const lp = loadBytes(r, 'a stream listpack');
    s.nodes.push(parseNode(master, lpRead(lp, lpAt), r, lpAt));
  }
  s.length = Number(loadLen64(r, 'the stream length'));
  const id = (): StreamId => {
    const ms = loadLen64(r, 'a stream ID (ms)');
    return makeId(ms, loadLen64(r, 'a stream ID (seq)'));
  };
  s.lastId = id();
  if (v2) {
    s.firstId = id();
    s.maxDeletedId = id();
    s.entriesAdded = Number(loadLen64(r, 'the stream entries-added counter'));
  } else {
    // RDB_TYPE_STREAM_LISTPACKS: no first ID / tombstone / counter (streamGetEdgeID, length).
    s.firstId = s.edgeId(true, true);
    s.entriesAdded = s.length;
  }
  const ng = loadLen(r, 'the number of consumer groups');
  for (let k = 0; k < ng; k++) {
    const name = loadString(r, 'a consumer group name');
    if (s.groups.has(name)) r.fail(`distinct consumer group names (Duplicated consumer group name ${name})`);
    const lastId = id();
    // a legacy (≤ 6.2) group has no counter: rdbLoadObject estimates it from the group's last ID
    const entriesRead = v2 ? Number(BigInt.asIntN(64, loadLen64(r, 'the group entries-read counter'))) : estimateDistance(s, lastId);
    const g = new ConsumerGroup(lastId, entriesRead);
    const np = loadLen(r, 'the group PEL size');
    for (let p = 0; p < np; p++) {
      const pid = readId(r, 'a PEL entry ID');
      const deliveryTime = Number(r.i64le('a PEL delivery time'));
      const deliveryCount = loadLen(r, 'a PEL delivery count');
      if (!g.pel.insert(pid, { consumer: null, deliveryTime, deliveryCount })) r.fail('distinct IDs in the group PEL (Duplicated global PEL entry)');
    }
    const nc = loadLen(r, 'the number of consumers');
    for (let c = 0; c < nc; c++) {
      const cname = loadString(r, 'a consumer name');
      if (g.consumers.has(cname)) r.fail('distinct consumer names (Duplicate stream consumer detected)');
      const consumer = new Consumer(cname, Number(r.i64le('a consumer seen time')));
      g.consumers.set(cname, consumer);
      const cp = loadLen(r, 'the consumer PEL size');
      for (let p = 0; p < cp; p++) {
        const pid = readId(r, 'a consumer PEL entry ID');
        const nack = g.pel.get(pid);
        if (!nack) r.fail('a consumer PEL entry present in the group PEL (Consumer entry not found in group global PEL)');
        nack.consumer = consumer;
        if (!consumer.pel.insert(pid, nack)) r.fail('distinct IDs in the consumer PEL (Duplicated consumer PEL entry)');
      }
    }
    s.groups.set(name, g);
  }
  return { type: 'stream', v: s } as RedisValue;
}
