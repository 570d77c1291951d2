// The backlog ring (replication.md §3.3): whole entries trimmed from the front, the newest always
// kept, lookups by byte offset across many wraps and growths of the ring.
import { describe, expect, it } from 'vitest';
import { Backlog } from '../../../engine/redis/replication/backlog.ts';
import { entry } from '../../../engine/redis/replication/types.ts';

describe('replication backlog', () => {
  it('keeps the last `size` bytes as whole entries and finds every kept entry start', () => {
    const b = new Backlog(1);
    const starts: number[] = [];
    let next = 1;
    for (let i = 0; i < 5000; i++) {
      const e = entry(['SET', `k${i}`, 'v'.repeat(i % 37)]);
      starts.push(next);
      next += e.bytes;
      b.append(e, 4096);
      // what stays covers the size, and dropping one more entry would not
      expect(b.offset + b.histlen).toBe(next);
      expect(b.histlen).toBeGreaterThanOrEqual(Math.min(4096, next - 1));
    }
    const kept = starts.filter((s) => s >= b.offset);
    expect(kept[0]).toBe(b.offset);
    for (const s of kept) expect(b.from(s)![0]!.argv[1]).toBe(`k${starts.indexOf(s)}`);
    expect(b.from(kept[0]!)).toHaveLength(kept.length);
    expect(b.from(b.offset - 1)).toBeNull(); // trimmed away
    expect(b.from(kept[1]! + 1)).toBeNull(); // inside an entry
    expect(b.from(next)).toEqual([]); // exactly the end
    expect(b.from(next + 1)).toBeNull();
  });

  it('never drops the newest entry, even one larger than the backlog; a smaller size trims at once', () => {
    const b = new Backlog(101);
    b.append(entry(['SET', 'a', 'x'.repeat(100)]), 16);
    expect(b.histlen).toBeGreaterThan(100);
    expect(b.from(101)).toHaveLength(1);
    const big = entry(['SET', 'b', 'y'.repeat(200)]);
    b.append(big, 16);
    expect(b.offset).toBe(101 + entry(['SET', 'a', 'x'.repeat(100)]).bytes);
    expect(b.histlen).toBe(big.bytes);
    for (let i = 0; i < 10; i++) b.append(entry(['PING']), 1 << 20);
    b.trim(14);
    expect(b.histlen).toBe(14); // one PING (14 bytes) left
  });
});
