// The replication backlog (replication.md §3.3): the last `repl-backlog-size` bytes of the stream,
// kept as whole commands. Trimming drops whole entries from the front while what stays still covers
// the configured size, so histlen may exceed it by less than one entry (Redis: by one 16 KB block).
// Entries sit in a ring (power-of-two capacity, grown when full): appending and trimming never copy.
import type { StreamEntry } from './types.ts';

export class Backlog {
  private entries: (StreamEntry | undefined)[] = new Array<StreamEntry | undefined>(64).fill(undefined);
  /** Offset of the first byte of each entry (same slots as `entries`). */
  private starts: number[] = new Array<number>(64).fill(0);
  private mask = 63;
  /** Sequence numbers of the oldest entry held and one past the newest (slot = seq & mask). */
  private first = 0;
  private end = 0;
  /** repl_backlog->offset: offset of the oldest byte held (master_repl_offset + 1 at creation). */
  offset: number;
  /** repl_backlog->histlen. */
  histlen = 0;

  constructor(firstByteOffset: number) {
    this.offset = firstByteOffset;
  }

  append(e: StreamEntry, size: number): void {
    if (this.end - this.first > this.mask) this.grow();
    const slot = this.end & this.mask;
    this.entries[slot] = e;
    this.starts[slot] = this.offset + this.histlen;
    this.end++;
    this.histlen += e.bytes;
    this.trim(size);
  }

  trim(size: number): void {
    // whole entries go while what stays still covers `size`; the newest entry always stays
    while (this.first < this.end - 1) {
      const slot = this.first & this.mask;
      const e = this.entries[slot]!;
      if (this.histlen - e.bytes < size) break;
      this.histlen -= e.bytes;
      this.offset += e.bytes;
      this.entries[slot] = undefined;
      this.first++;
    }
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const entries = new Array<StreamEntry | undefined>(cap).fill(undefined);
    const starts = new Array<number>(cap).fill(0);
    const n = this.end - this.first;
    for (let i = 0; i < n; i++) {
      const from = (this.first + i) & this.mask;
      entries[i] = this.entries[from];
      starts[i] = this.starts[from]!;
    }
    this.entries = entries;
    this.starts = starts;
    this.mask = cap - 1;
    this.first = 0;
    this.end = n;
  }

  /** The entries from byte `offset` to the end; null when `offset` falls inside an entry or outside. */
  from(offset: number): StreamEntry[] | null {
    const end = this.offset + this.histlen;
    if (offset < this.offset || offset > end) return null;
    if (offset === end) return [];
    let lo = this.first;
    let hi = this.end - 1;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo + 1) / 2);
      if (this.starts[mid & this.mask]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    if (this.starts[lo & this.mask] !== offset) return null;
    const out: StreamEntry[] = [];
    for (let i = lo; i < this.end; i++) out.push(this.entries[i & this.mask]!);
    return out;
  }
}
