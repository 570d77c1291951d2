// Pure operations on a list value's element array (t_list.c semantics; lists stay plain string[]).

export type ListEnd = 'left' | 'right';

/**
 * Normalise an inclusive [start, end] range like LRANGE/LTRIM (negative = from the tail).
 * Returns null when the range is empty.
 */
export function normaliseRange(len: number, start: number, end: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

/** Element at a LINDEX-style index (negative = from the tail), or undefined. */
export function indexOf(len: number, index: number): number | undefined {
  const i = index < 0 ? len + index : index;
  return i >= 0 && i < len ? i : undefined;
}

/** Pop up to `count` elements from one end, in pop order (RPOP with count returns tail first). */
export function popRange(list: string[], where: ListEnd, count: number): string[] {
  const n = Math.min(count, list.length);
  if (where === 'left') return list.splice(0, n);
  return list.splice(list.length - n, n).reverse();
}

/** Push elements one by one at an end (LPUSH a b c leaves c b a at the head). */
export function pushAll(list: string[], where: ListEnd, elements: readonly string[]): void {
  if (where === 'right') {
    for (const e of elements) list.push(e);
  } else {
    // No spread: LPUSH may carry more arguments than a JS call accepts.
    const old = list.slice();
    list.length = 0;
    for (let i = elements.length - 1; i >= 0; i--) list.push(elements[i]!);
    for (const e of old) list.push(e);
  }
}

/** LTRIM: keep [start, end]; returns the number of removed elements. */
export function trim(list: string[], start: number, end: number): number {
  const len = list.length;
  const r = normaliseRange(len, start, end);
  if (!r) {
    list.length = 0;
    return len;
  }
  list.splice(r[1] + 1);
  list.splice(0, r[0]);
  return len - list.length;
}

/** LREM: remove up to |count| occurrences (0 = all; negative = scanning from the tail). Returns removed count. */
export function removeMatches(list: string[], count: number, element: string): number {
  let removed = 0;
  const limit = Math.abs(count);
  if (count >= 0) {
    let w = 0;
    for (let r = 0; r < list.length; r++) {
      const e = list[r]!;
      if (e === element && (limit === 0 || removed < limit)) removed++;
      else list[w++] = e;
    }
    list.length = w;
  } else {
    const keep: string[] = [];
    for (let r = list.length - 1; r >= 0; r--) {
      const e = list[r]!;
      if (e === element && removed < limit) removed++;
      else keep.push(e);
    }
    keep.reverse();
    list.length = 0;
    for (const e of keep) list.push(e);
  }
  return removed;
}

export interface LposOptions {
  /** 1-based match rank; negative scans from the tail. `minRank` models RANK -9223372036854775808. */
  rank: number | 'minRank';
  /** -1 when COUNT was not given; 0 = all matches. */
  count: number;
  /** 0 = scan the whole list. */
  maxlen: number;
}

/** LPOS search: the matching indexes (head-based) in scan order, at most one when count is -1. */
export function lposSearch(list: readonly string[], element: string, o: LposOptions): number[] {
  const fromTail = o.rank === 'minRank' || o.rank < 0;
  // RANK LONG_MIN negates to itself in C: every match qualifies and COUNT never stops the scan.
  const rank = o.rank === 'minRank' ? -Infinity : Math.abs(o.rank);
  const len = list.length;
  const out: number[] = [];
  let matches = 0;
  for (let index = 0; index < len && (o.maxlen === 0 || index < o.maxlen); index++) {
    const pos = fromTail ? len - index - 1 : index;
    if (list[pos] !== element) continue;
    matches++;
    if (matches < rank) continue;
    out.push(pos);
    if (o.count === -1) break;
    if (o.count !== 0 && rank !== -Infinity && matches - rank + 1 >= o.count) break;
  }
  return out;
}
