// Consumer groups of a stream (stream.h streamCG / streamConsumer / streamNACK, Redis 7.0.15).
// A group: lastId (last_id), entriesRead (entries_read; -1 = SCG_INVALID_ENTRIES_READ), its PEL
// (ID → Nack) and its consumers. A consumer: name, seenTime (seen_time, host ms) and its own PEL,
// which holds the same Nack objects as the group's. PELs iterate in ID order (Pel), consumers and
// groups in byte order of their names.
import type { StreamId } from './stream-id.ts';

export const SCG_INVALID_ENTRIES_READ = -1;

export interface Nack {
  /** null only for an entry XCLAIM … FORCE created before the consumer was attached. */
  consumer: Consumer | null;
  /** Host ms of the last delivery. */
  deliveryTime: number;
  deliveryCount: number;
}

/** A PEL: ID → Nack with ordered iteration (a rax of 16-byte IDs). */
export class Pel {
  private readonly map = new Map<StreamId, Nack>();
  private ids: StreamId[] = [];

  get size(): number {
    return this.map.size;
  }

  get(id: StreamId): Nack | undefined {
    return this.map.get(id);
  }

  /** First index whose ID is >= id. */
  private lowerBound(id: StreamId): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** raxTryInsert: false when present. */
  insert(id: StreamId, n: Nack): boolean {
    if (this.map.has(id)) return false;
    this.map.set(id, n);
    const i = this.lowerBound(id);
    this.ids.splice(i, 0, id);
    return true;
  }

  /** raxInsert: insert or overwrite. */
  set(id: StreamId, n: Nack): void {
    if (!this.insert(id, n)) this.map.set(id, n);
  }

  remove(id: StreamId): boolean {
    if (!this.map.delete(id)) return false;
    const i = this.lowerBound(id);
    this.ids.splice(i, 1);
    return true;
  }

  /** Entries with ID >= from, in order (a snapshot: safe against removal while iterating). */
  *from(from: StreamId = 0n): Generator<[StreamId, Nack]> {
    const ids = this.ids.slice(this.lowerBound(from));
    for (const id of ids) {
      const n = this.map.get(id);
      if (n) yield [id, n];
    }
  }

  first(): StreamId | undefined {
    return this.ids[0];
  }

  last(): StreamId | undefined {
    return this.ids[this.ids.length - 1];
  }

  /** The first ID >= id, or undefined. */
  ceiling(id: StreamId): StreamId | undefined {
    return this.ids[this.lowerBound(id)];
  }
}

export class Consumer {
  readonly pel = new Pel();
  constructor(
    readonly name: string,
    public seenTime: number,
  ) {}
}

export class ConsumerGroup {
  readonly pel = new Pel();
  readonly consumers = new Map<string, Consumer>();
  constructor(
    public lastId: StreamId,
    public entriesRead: number,
  ) {}

  /** Consumers in rax (byte) order. */
  sortedConsumers(): Consumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** streamDelConsumer: drops the consumer and its pending entries from the group PEL. */
  deleteConsumer(c: Consumer): void {
    for (const [id] of c.pel.from()) this.pel.remove(id);
    this.consumers.delete(c.name);
  }
}

/** The consumer-group part of streamDup: NACKs copied, re-attached to the copied consumers. */
export function cloneGroups(groups: Map<string, ConsumerGroup>): Map<string, ConsumerGroup> {
  const out = new Map<string, ConsumerGroup>();
  for (const [name, g] of groups) {
    const ng = new ConsumerGroup(g.lastId, g.entriesRead);
    for (const [id, n] of g.pel.from()) ng.pel.insert(id, { consumer: null, deliveryTime: n.deliveryTime, deliveryCount: n.deliveryCount });
    for (const c of g.consumers.values()) {
      const nc = new Consumer(c.name, c.seenTime);
      ng.consumers.set(c.name, nc);
      for (const [id] of c.pel.from()) {
        const n = ng.pel.get(id)!;
        n.consumer = nc;
        nc.pel.insert(id, n);
      }
    }
    out.set(name, ng);
  }
  return out;
}
