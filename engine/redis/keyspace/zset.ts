// Sorted set: placeholder type, replaced by the sorted-set implementation.
export class ZSet {
  get size(): number {
    return 0;
  }
}
