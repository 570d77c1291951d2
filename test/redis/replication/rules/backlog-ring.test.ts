// The backlog ring at its edges (replication.md §3.3): an offset before an empty backlog, trimming to 0 keeps
// the newest entry, the ring grows only when full (64 slots, doubled) and a growth of a wrapped ring whose
// oldest entry is not in slot 0 keeps every entry findable (mutation testing, issue 20).
import { describe, expect, it } from 'vitest';
import { Backlog } from '../../../../engine/redis/replication/backlog.ts';
import { entry } from '../../../../engine/redis/replication/types.ts';

/** The ring's slot mask (capacity − 1): private, read to pin "grown only when full". */
const mask = (b: Backlog) => (b as unknown as { mask: number }).mask;

describe('backlog ring edges', () => {
  it('an empty backlog answers only its own first offset', () => {
    const b = new Backlog(1);
    expect(b.from(1)).toEqual([]);
    expect(b.from(0)).toBeNull();
    expect(b.from(2)).toBeNull();
  });

  it('trimming to 0 keeps the newest entry', () => {
    const b = new Backlog(1);
    const a = entry(['SET', 'a', '1']);
    const c = entry(['SET', 'c', '2']);
    b.append(a, 1 << 20);
    b.append(c, 1 << 20);
    b.trim(0);
    expect(b.histlen).toBe(c.bytes);
    expect(b.offset).toBe(1 + a.bytes);
    expect(b.from(1 + a.bytes)).toEqual([c]);
  });

  it('64 entries fit the first ring; the 65th doubles it; trimming never grows it', () => {
    const b = new Backlog(1);
    for (let i = 0; i < 64; i++) b.append(entry(['PING']), 1 << 20);
    expect(mask(b)).toBe(63);
    b.append(entry(['PING']), 1 << 20);
    expect(mask(b)).toBe(127);
    // a steady 10 entries held while 1000 go through: the ring stays as it is
    const t = new Backlog(1);
    for (let i = 0; i < 1000; i++) t.append(entry(['PING']), 14 * 10);
    expect(t.histlen).toBe(140);
    expect(mask(t)).toBe(63);
  });

  it('growing a wrapped ring keeps every entry in order and findable by its offset', () => {
    const b = new Backlog(1);
    const starts: number[] = [];
    let next = 1;
    const add = (i: number, size: number) => {
      const e = entry(['SET', `k${i}`, 'v'.repeat(i % 7)]);
      starts.push(next);
      next += e.bytes;
      b.append(e, size);
    };
    // ~40 entries held while 100 go through: the 64-slot ring wraps, its oldest entry far from slot 0
    for (let i = 0; i < 100; i++) add(i, 40 * 30);
    expect(mask(b)).toBe(63);
    // then a larger backlog: entries pile up past 64 and the ring grows (twice) while wrapped
    for (let i = 100; i < 300; i++) add(i, 1 << 20);
    expect(mask(b)).toBe(255);
    const kept = starts.filter((s) => s >= b.offset);
    expect(kept.length).toBeGreaterThan(128);
    for (const s of kept) expect(b.from(s)![0]!.argv[1]).toBe(`k${starts.indexOf(s)}`);
    expect(b.from(kept[0]!)!.map((e) => e.argv[1])).toEqual(kept.map((s) => `k${starts.indexOf(s)}`));
  });
});
