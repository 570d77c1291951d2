// Streams: what the differential test cannot see — propagation (XADD's rewritten argv, XREADGROUP's
// XCLAIM / XGROUP SETID, XCLAIM and XAUTOCLAIM), a clock that goes backwards, node splitting and
// `~` trimming by whole nodes, rax node counts, COPY of consumer groups.
import { describe, expect, it } from 'vitest';
import { arr, bulk, bulks, err, int, type Resp } from '../../../engine/net/resp.ts';
import { streamCommands } from '../../../engine/redis/commands/streams.ts';
import { genericCommands } from '../../../engine/redis/commands/generic.ts';
import { nodeBytes, Stream } from '../../../engine/redis/keyspace/stream.ts';
import { parseStreamId } from '../../../engine/redis/keyspace/stream-id.ts';
import { createHarness, type Harness } from '../harness.ts';

const T0 = 1_700_000_000_000;
const fresh = (): Harness => createHarness([...streamCommands, ...genericCommands], { startMs: T0 });

/** The flat RESP2 map of XINFO STREAM as an object. */
function info(h: Harness, key: string): Record<string, Resp> {
  const r = h.run('xinfo', 'stream', key) as { v: Resp[] };
  const o: Record<string, Resp> = {};
  for (let i = 0; i < r.v.length; i += 2) o[(r.v[i] as { v: string }).v] = r.v[i + 1]!;
  return o;
}

describe('XADD IDs', () => {
  it('"*" uses the host clock; a clock behind the last ID increments its sequence', () => {
    const h = fresh();
    expect(h.run('xadd', 's', '*', 'f', 'v')).toEqual(bulk(`${T0}-0`));
    expect(h.run('xadd', 's', '*', 'f', 'v')).toEqual(bulk(`${T0}-1`));
    h.clock.now = T0 - 5000; // stepped back
    expect(h.run('xadd', 's', '*', 'f', 'v')).toEqual(bulk(`${T0}-2`));
    h.clock.now = T0 + 1;
    expect(h.run('xadd', 's', '*', 'f', 'v')).toEqual(bulk(`${T0 + 1}-0`));
  });

  it('"<ms>-*" continues the sequence of the same ms, else starts at 0', () => {
    const h = fresh();
    expect(h.run('xadd', 's', '5-*', 'f', 'v')).toEqual(bulk('5-0'));
    expect(h.run('xadd', 's', '5-*', 'f', 'v')).toEqual(bulk('5-1'));
    expect(h.run('xadd', 's', '7-*', 'f', 'v')).toEqual(bulk('7-0'));
    expect(h.run('xadd', 's', '6-*', 'f', 'v')).toEqual(err('ERR The ID specified in XADD is equal or smaller than the target stream top item'));
    expect(h.run('xadd', 's', '0-0', 'f', 'v')).toEqual(err('ERR The ID specified in XADD must be greater than 0-0'));
  });

  it('the last possible ID exhausts the stream', () => {
    const h = fresh();
    expect(h.run('xadd', 's', '18446744073709551615-18446744073709551615', 'f', 'v')).toEqual(bulk('18446744073709551615-18446744073709551615'));
    expect(h.run('xadd', 's', '*', 'f', 'v')).toEqual(err('ERR The stream has exhausted the last possible ID, unable to add more items'));
  });

  it('parses IDs as string2ull does', () => {
    expect(parseStreamId('0005-1', 0n, true)?.id).toBe((5n << 64n) | 1n);
    expect(parseStreamId('-1', 0n, true)).toBeNull();
    expect(parseStreamId('+', 0n, true)).toBeNull();
    expect(parseStreamId('+', 0n, false)?.id).toBe((1n << 128n) - 1n);
    expect(parseStreamId('18446744073709551616', 0n, true)).toBeNull();
    expect(parseStreamId('3', 7n, true)?.id).toBe((3n << 64n) | 7n);
  });
});

describe('propagation', () => {
  it('XADD * propagates the ID it generated; MAXLEN ~ propagates "=" and the length kept', () => {
    const h = fresh();
    for (let i = 1; i <= 250; i++) h.run('xadd', 's', String(i), 'f', 'v');
    h.propagated.length = 0;
    expect(h.run('xadd', 's', 'MAXLEN', '~', '120', '*', 'f', 'v')).toEqual(bulk(`${T0}-0`));
    // nodes of 100 entries: the first (100) goes, 151 remain
    expect(h.propagated).toEqual([['xadd', 's', 'MAXLEN', '=', '151', `${T0}-0`, 'f', 'v']]);
    expect(h.run('xlen', 's')).toEqual(int(151));
  });

  it('XTRIM MINID ~ propagates "=" and the first ID kept, only when it trimmed', () => {
    const h = fresh();
    for (let i = 1; i <= 250; i++) h.run('xadd', 's', String(i), 'f', 'v');
    h.propagated.length = 0;
    expect(h.run('xtrim', 's', 'MINID', '~', '50')).toEqual(int(0));
    expect(h.propagated).toEqual([]);
    expect(h.run('xtrim', 's', 'MINID', '~', '205')).toEqual(int(200));
    expect(h.propagated).toEqual([['xtrim', 's', 'MINID', '=', '201-0']]);
  });

  it('XREADGROUP propagates an XCLAIM per delivered entry, never itself', () => {
    const h = fresh();
    h.run('xadd', 's', '1', 'f', 'v');
    h.run('xadd', 's', '2', 'f', 'v');
    h.run('xgroup', 'create', 's', 'g', '0');
    h.propagated.length = 0;
    h.run('xreadgroup', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    // LASTID is the group's last ID as each entry is delivered
    const claim = (id: string) => ['XCLAIM', 's', 'g', 'alice', '0', id, 'TIME', String(T0), 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', id];
    expect(h.propagated).toEqual([claim('1-0'), claim('2-0')]);
  });

  it('XREADGROUP NOACK propagates the consumer creation and XGROUP SETID with ENTRIESREAD', () => {
    const h = fresh();
    h.run('xadd', 's', '1', 'f', 'v');
    h.run('xgroup', 'create', 's', 'g', '0');
    h.propagated.length = 0;
    h.run('xreadgroup', 'GROUP', 'g', 'bob', 'NOACK', 'STREAMS', 's', '>');
    expect(h.propagated).toEqual([
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'bob'],
      ['XGROUP', 'SETID', 's', 'g', '1-0', 'ENTRIESREAD', '1'],
    ]);
  });

  it('XCLAIM of a deleted entry propagates the drop; LASTID alone propagates XGROUP SETID', () => {
    const h = fresh();
    h.run('xadd', 's', '1', 'f', 'v');
    h.run('xadd', 's', '2', 'f', 'v');
    h.run('xgroup', 'create', 's', 'g', '0');
    h.run('xreadgroup', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    h.run('xdel', 's', '1');
    h.propagated.length = 0;
    expect(h.run('xclaim', 's', 'g', 'bob', '0', '1-0', '2-0', 'JUSTID')).toEqual(bulks(['2-0']));
    expect(h.propagated.map((a) => [a[0], a[3], a[5], a[9]])).toEqual([
      ['XCLAIM', 'alice', '1-0', '1'],
      ['XCLAIM', 'bob', '2-0', '1'],
    ]);
    h.propagated.length = 0;
    expect(h.run('xclaim', 's', 'g', 'bob', '0', '9-0', 'LASTID', '5-0')).toEqual(arr([]));
    expect(h.propagated).toEqual([['XGROUP', 'SETID', 's', 'g', '5-0', 'ENTRIESREAD', '2']]);
  });
});

describe('nodes and trimming', () => {
  it('stream-node-max-entries 100 splits nodes; ~ keeps whole nodes', () => {
    const h = fresh();
    for (let i = 1; i <= 1000; i++) h.run('xadd', 's', String(i), 'f', 'v');
    expect(info(h, 's')['radix-tree-keys']).toEqual(int(10));
    expect(h.run('xtrim', 's', 'MAXLEN', '~', '555')).toEqual(int(400));
    expect(h.run('xlen', 's')).toEqual(int(600));
    expect(h.run('xtrim', 's', 'MAXLEN', '555')).toEqual(int(45));
    expect(info(h, 's')['recorded-first-entry-id']).toEqual(bulk('446-0'));
  });

  it('a node is full when its listpack plus the new elements reach stream-node-max-bytes', () => {
    const s = new Stream();
    const limits = { maxBytes: 4096, maxEntries: 0 };
    const big = 'x'.repeat(1000);
    for (let i = 1; i <= 8; i++) s.append(['f', big], BigInt(i) << 64n, true, 0, limits);
    for (const n of s.nodes) expect(nodeBytes(n) + 1001).toBeGreaterThanOrEqual(n === s.nodes[s.nodes.length - 1] ? 0 : 4096);
    expect(s.nodes.map((n) => n.entries.length)).toEqual([4, 4]);
    // 6 header + master (count, deleted, 1, "f", 0) + end; an entry: flags, ms-diff, seq-diff, value, lp-count
    expect(nodeBytes(s.nodes[0]!)).toBe(7 + 2 + 2 + 2 + 3 + 2 + 4 * (2 + 2 + 2 + (2 + 1000 + 2) + 2));
  });

  it('XDEL of a node’s last live entry frees the node', () => {
    const h = fresh();
    for (let i = 1; i <= 150; i++) h.run('xadd', 's', String(i), 'f', 'v');
    for (let i = 101; i <= 150; i++) h.run('xdel', 's', String(i));
    expect(info(h, 's')['radix-tree-keys']).toEqual(int(1));
    expect(info(h, 's')['max-deleted-entry-id']).toEqual(bulk('150-0'));
  });

  it('radix-tree-nodes counts the compressed rax of 16-byte keys', () => {
    const h = fresh();
    h.run('xadd', 's', '1', 'f', 'v');
    expect(info(h, 's')['radix-tree-nodes']).toEqual(int(2));
    h.run('xgroup', 'create', 'e', 'g', '$', 'MKSTREAM');
    expect(info(h, 'e')['radix-tree-nodes']).toEqual(int(1));
  });
});

describe('consumer groups', () => {
  it('lag and entries-read follow Redis 7.0 (tombstones make the lag unknown)', () => {
    const h = fresh();
    for (let i = 1; i <= 5; i++) h.run('xadd', 's', String(i), 'f', 'v');
    h.run('xgroup', 'create', 's', 'g', '0');
    h.run('xreadgroup', 'GROUP', 'g', 'c', 'COUNT', '2', 'STREAMS', 's', '>');
    const groups = () => (h.run('xinfo', 'groups', 's') as { v: Resp[] }).v[0] as { v: Resp[] };
    expect(groups().v.slice(8)).toEqual([bulk('entries-read'), int(2), bulk('lag'), int(3)]);
    h.run('xdel', 's', '4');
    expect(groups().v.slice(8)).toEqual([bulk('entries-read'), int(2), bulk('lag'), bulk(null)]);
  });

  it('COPY duplicates groups, consumers and their pending entries', () => {
    const h = fresh();
    h.run('xadd', 's', '1', 'f', 'v');
    h.run('xgroup', 'create', 's', 'g', '0');
    h.run('xreadgroup', 'GROUP', 'g', 'c', 'STREAMS', 's', '>');
    expect(h.run('copy', 's', 'd')).toEqual(int(1));
    h.run('xack', 's', 'g', '1');
    expect(h.run('xpending', 'd', 'g')).toEqual(arr([int(1), bulk('1-0'), bulk('1-0'), arr([bulks(['c', '1'])])]));
    expect(h.run('xpending', 's', 'g')).toEqual(arr([int(0), bulk(null), bulk(null), { t: 'array', v: null }]));
  });
});
