// The replication backlog (replication.md §3.3): the last `repl-backlog-size` bytes of the stream,
// kept as whole commands. Trimming drops whole entries from the front while what stays still covers
// the configured size, so histlen may exceed it by less than one entry (Redis: by one 16 KB block).
import type { StreamEntry } from './types.ts';

export class Backlog {
  private entries: StreamEntry[] = [];
  /** Offset of the first byte of each entry. */
  private starts: number[] = [];
  private head = 0;
  /** repl_backlog->offset: offset of the oldest byte held (master_repl_offset + 1 at creation). */
  offset: number;
  /** repl_backlog->histlen. */
  histlen = 0;

  constructor(firstByteOffset: number) {
    this.offset = firstByteOffset;
  }

  append(e: StreamEntry, size: number): void {
    this.entries.push(e);
    this.starts.push(this.offset + this.histlen);
    this.histlen += e.bytes;
    this.trim(size);
  }

  trim(size: number): void {
    while (this.head < this.entries.length - 1 && this.histlen - this.entries[this.head]!.bytes >= size) {
      const e = this.entries[this.head]!;
      this.histlen -= e.bytes;
      this.offset += e.bytes;
      this.head++;
    }
    // compact now and then so the arrays do not grow without bound
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.starts = this.starts.slice(this.head);
      this.head = 0;
    }
  }

  /** The entries from byte `offset` to the end; null when `offset` falls inside an entry or outside. */
  from(offset: number): StreamEntry[] | null {
    const end = this.offset + this.histlen;
    if (offset < this.offset || offset > end) return null;
    if (offset === end) return [];
    let lo = this.head;
    let hi = this.entries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    if (this.starts[lo] !== offset) return null;
    return this.entries.slice(lo);
  }
}
