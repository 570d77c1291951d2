// The RDB building blocks alone: CRC64's check value, LZF round trips (and its refusal to expand), the
// listpack / intset / ziplist readers on hand-made blobs, and corrupted DUMP payloads (never a crash:
// a value or "Bad data format").
import { describe, expect, it } from 'vitest';
import { ZSet } from '../../../../engine/redis/keyspace/zset.ts';
import { ByteWriter, RdbFormatError } from '../../../../engine/redis/persistence/rdb/bytes.ts';
import { crc64 } from '../../../../engine/redis/persistence/rdb/crc64.ts';
import { intsetBuild, intsetRead } from '../../../../engine/redis/persistence/rdb/intset.ts';
import { lpBuild, lpRead } from '../../../../engine/redis/persistence/rdb/listpack.ts';
import { lzfCompress, lzfDecompress } from '../../../../engine/redis/persistence/rdb/lzf.ts';
import { createDumpPayload, loadDumpPayload, verifyDumpPayload } from '../../../../engine/redis/persistence/rdb/payload.ts';
import { DEFAULT_SAVE_OPTIONS } from '../../../../engine/redis/persistence/rdb/primitives.ts';
import { ziplistRead } from '../../../../engine/redis/persistence/rdb/ziplist.ts';
import { Rng } from '../../../../engine/sim/rng.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('RDB building blocks', () => {
  it('crc64 (Jones) of "123456789" is e9c6d914c4b8d9ca, as crc64.c tests it', () => {
    expect(crc64(enc('123456789')).toString(16)).toBe('e9c6d914c4b8d9ca');
  });

  it('LZF: random and repetitive inputs round-trip; output that would not save 4 bytes is refused', () => {
    const rng = new Rng('lzf');
    for (let n = 0; n < 300; n++) {
      const len = rng.int(1, 3000);
      const alphabet = rng.int(1, 256);
      const b = new Uint8Array(len);
      for (let i = 0; i < len; i++) b[i] = rng.chance(0.3) && i > 8 ? b[i - rng.int(1, 8)]! : rng.int(0, alphabet - 1);
      const c = lzfCompress(b, len + Math.ceil(len / 16) + 64); // incompressible data grows by 1 byte in 32
      expect(c).not.toBeNull();
      expect(lzfDecompress(c!, len)).toEqual(b);
      const tight = lzfCompress(b, len - 4);
      if (tight) expect(tight.length).toBeLessThanOrEqual(len - 4);
    }
    expect(lzfCompress(enc('abcdefghijklmnopqrstuvwxyz'), 22)).toBeNull();
    expect(lzfDecompress(new Uint8Array([0x20, 0x00]), 3)).toBeNull(); // a back-reference before the start
  });

  it('listpack and intset: build and read back; corruption names the offset', () => {
    const items = ['a', '127', '-4096', '70000', '-9223372036854775808', 'x'.repeat(70), 'y'.repeat(5000), '007'];
    expect(lpRead(lpBuild(items))).toEqual(items);
    const lp = lpBuild(['a', 'b']);
    lp[lp.length - 1] = 0xfe;
    expect(() => lpRead(lp, 100)).toThrow(RdbFormatError);
    expect(intsetRead(intsetBuild(['5', '-3', '70000']))).toEqual(['-3', '5', '70000']);
    const bad = intsetBuild(['1', '2']);
    bad[8] = 9; // 9 > 2: no longer ascending
    expect(() => intsetRead(bad)).toThrow(/ascending/);
  });

  it('ziplist (RDB files from Redis < 7): every entry encoding', () => {
    // zlbytes, zltail, zllen, then entries: prevlen, encoding, data; 0xff
    const w = new ByteWriter();
    const entries: number[][] = [
      [0x03, 0x61, 0x62, 0x63], // 6-bit string "abc"
      [0xc0, 0x39, 0x30], // int16 12345
      [0xd0, 0x15, 0xcd, 0x5b, 0x07], // int32 123456789
      [0xe0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // int64 -1
      [0xf0, 0xff, 0xff, 0x7f], // int24 8388607
      [0xfe, 0x80], // int8 -128
      [0xf1], // immediate 0
      [0xfd], // immediate 12
    ];
    const body: number[] = [];
    let prev = 0;
    for (const e of entries) {
      body.push(prev, ...e);
      prev = e.length + 1;
    }
    const total = 10 + body.length + 1;
    w.u32le(total);
    w.u32le(10 + body.length - prev);
    w.u16le(entries.length);
    for (const b of body) w.u8(b);
    w.u8(0xff);
    expect(ziplistRead(w.result())).toEqual(['abc', '12345', '123456789', '-1', '8388607', '-128', '0', '12']);
  });

  it('corrupted DUMP payloads: the checksum catches flips; with a valid checksum, bad data is null, never a crash', () => {
    const z = new ZSet();
    for (let i = 0; i < 50; i++) z.set(`m${i}`, i / 7);
    const values = [
      { type: 'list' as const, v: Array.from({ length: 300 }, (_, i) => `v${i}`) },
      { type: 'zset' as const, v: z },
      { type: 'hash' as const, v: new Map([['f', 'v'], ['n', '1']]) },
      { type: 'string' as const, v: 'abc'.repeat(40) },
    ];
    const rng = new Rng('fuzz');
    for (const v of values) {
      const good = createDumpPayload(v, DEFAULT_SAVE_OPTIONS);
      expect(verifyDumpPayload(good)).toBe(true);
      for (let n = 0; n < 300; n++) {
        const b = good.slice(0, rng.chance(0.2) ? rng.int(1, good.length) : good.length);
        for (let k = rng.int(1, 4); k > 0; k--) b[rng.int(0, b.length - 1)] = rng.int(0, 255);
        expect(verifyDumpPayload(b)).toBe(b.length === good.length && b.every((x, i) => x === good[i]));
        // skip the checksum (DEBUG set-skip-checksum-validation): the decoder must still not crash
        expect(() => loadDumpPayload(b)).not.toThrow();
      }
    }
  });
});

describe('legacy streams (RDB_TYPE_STREAM_LISTPACKS, Redis ≤ 6.2)', () => {
  it("a group's entries-read is estimated from its last ID (stream-cgroups.tcl's v5 payload)", () => {
    // XADD x 1-0 … 6-0, XDEL 3-0, groups g1 g2 at 0, XREADGROUP g1 COUNT 4, XTRIM MAXLEN = 2: DUMPed by Redis 5
    const hex =
      '0F011000000000000000010000000000000000C3404A405716570000002300020104010101846461746105000103010020010381610204200A000140' +
      '0A0062600A0002400A0063600A4022018164200A4039200A0065600A0005400A0066200A00FF02060002026731050004000000000000000100000000' +
      '000000003EF783437A01000001000000000000000200000000000000003EF783437A01000001000000000000000400000000000000003EF783437A01' +
      '000001000000000000000500000000000000003EF783437A0100000101036331313EF783437A01000004000000000000000100000000000000000000' +
      '000000000002000000000000000000000000000000040000000000000000000000000000000500000000000000000267320000000009003D52EF6867' +
      '521DFA';
    const bytes = Uint8Array.from(hex.replace(/\s/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
    expect(verifyDumpPayload(bytes)).toBe(true);
    const v = loadDumpPayload(bytes);
    if (v?.type !== 'stream') throw new Error(`not a stream: ${v?.type}`);
    const stream = v.v;
    expect(stream.entriesAdded).toBe(2);
    expect(stream.groups.get('g1')!.entriesRead).toBe(1);
    expect(stream.groups.get('g2')!.entriesRead).toBe(0);
  });
});
