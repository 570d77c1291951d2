// Sorted set value (t_zset.c): entries ordered by (score, member) in sorted blocks, plus member → score.
// Blocks of at most BLOCK_MAX entries give O(log n) search and O(B + n/B) insert/delete/rank.

export interface ZEntry {
  readonly member: string;
  readonly score: number;
}

/** Redis encodings of a sorted set: small ones are listpacks, the rest skiplist + dict. */
export type ZEncoding = 'listpack' | 'skiplist';

/** Defaults of zset-max-listpack-entries / zset-max-listpack-value. */
export const ZSET_MAX_LISTPACK_ENTRIES = 128;
export const ZSET_MAX_LISTPACK_VALUE = 64;

/** A score interval (zrangespec): `(` bounds are exclusive. */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** A lex bound: a member string, or -Infinity / +Infinity for `-` / `+`. */
export type LexBound = string | number;

/** A lex interval (zlexrangespec). */
export interface LexRange {
  min: LexBound;
  max: LexBound;
  minex: boolean;
  maxex: boolean;
}

const BLOCK_MAX = 256;

/** Order of entries: score, then member bytes (memcmp order; members are byte strings). */
export function compareEntry(aScore: number, aMember: string, bScore: number, bMember: string): number {
  if (aScore < bScore) return -1;
  if (aScore > bScore) return 1;
  return aMember < bMember ? -1 : aMember > bMember ? 1 : 0;
}

/** sdscmplex: compare lex bounds, `-` below and `+` above every string. */
export function compareLex(a: LexBound, b: LexBound): number {
  if (a === b) return 0;
  if (a === -Infinity || b === Infinity) return -1;
  if (a === Infinity || b === -Infinity) return 1;
  return (a as string) < (b as string) ? -1 : 1;
}

export const scoreGteMin = (s: number, r: ScoreRange): boolean => (r.minex ? s > r.min : s >= r.min);
export const scoreLteMax = (s: number, r: ScoreRange): boolean => (r.maxex ? s < r.max : s <= r.max);
export const lexGteMin = (m: string, r: LexRange): boolean => (r.minex ? compareLex(m, r.min) > 0 : compareLex(m, r.min) >= 0);
export const lexLteMax = (m: string, r: LexRange): boolean => (r.maxex ? compareLex(m, r.max) < 0 : compareLex(m, r.max) <= 0);

/** Ranges that can never match anything (zslIsInRange / zslIsInLexRange preconditions). */
export const scoreRangeEmpty = (r: ScoreRange): boolean => r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
export function lexRangeEmpty(r: LexRange): boolean {
  const c = compareLex(r.min, r.max);
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}

export class ZSet {
  private blocks: ZEntry[][] = [];
  private readonly dict = new Map<string, number>();
  private enc: ZEncoding;

  constructor(encoding: ZEncoding = 'listpack') {
    this.enc = encoding;
  }

  get size(): number {
    return this.dict.size;
  }

  /** The encoding Redis would use for this value (listpack until it grows too big; never back). */
  get encoding(): ZEncoding {
    return this.enc;
  }

  score(member: string): number | undefined {
    return this.dict.get(member);
  }

  has(member: string): boolean {
    return this.dict.has(member);
  }

  /** Members in dict order (deterministic: first insertion order). */
  members(): IterableIterator<string> {
    return this.dict.keys();
  }

  /** member → score in dict order. */
  dictEntries(): IterableIterator<[string, number]> {
    return this.dict.entries();
  }

  /**
   * Add or re-score a member (zsetAdd without flags). Returns true when the member is new.
   * A listpack converts to skiplist before an insert that would exceed its limits; a listpack
   * stores integral scores as integers, so -0 reads back as 0 there.
   */
  set(member: string, score: number): boolean {
    const cur = this.dict.get(member);
    if (cur === undefined) {
      if (this.enc === 'listpack' && (this.dict.size + 1 > ZSET_MAX_LISTPACK_ENTRIES || member.length > ZSET_MAX_LISTPACK_VALUE))
        this.enc = 'skiplist';
      const s = this.normalise(score);
      this.insertEntry({ member, score: s });
      this.dict.set(member, s);
      return true;
    }
    if (cur !== score) {
      this.removeEntry(cur, member);
      const s = this.normalise(score);
      this.insertEntry({ member, score: s });
      this.dict.set(member, s);
    }
    return false;
  }

  delete(member: string): boolean {
    const cur = this.dict.get(member);
    if (cur === undefined) return false;
    this.removeEntry(cur, member);
    this.dict.delete(member);
    return true;
  }

  /** 0-based rank in ascending order, or undefined. */
  rank(member: string): number | undefined {
    const s = this.dict.get(member);
    if (s === undefined) return undefined;
    const i = this.lowerBound((e) => compareEntry(e.score, e.member, s, member) >= 0);
    return i;
  }

  /** Entry at an ascending 0-based index (must be in range). */
  at(index: number): ZEntry {
    let i = index;
    for (const b of this.blocks) {
      if (i < b.length) return b[i]!;
      i -= b.length;
    }
    throw new RangeError(`zset index ${index} out of range`);
  }

  first(): ZEntry | undefined {
    return this.blocks[0]?.[0];
  }

  last(): ZEntry | undefined {
    const b = this.blocks[this.blocks.length - 1];
    return b?.[b.length - 1];
  }

  /** Entries from index `from`, ascending (or descending when reverse). */
  *iterate(from = 0, reverse = false): Generator<ZEntry> {
    if (from < 0 || from >= this.dict.size) return;
    let bi = 0;
    let i = from;
    while (i >= this.blocks[bi]!.length) i -= this.blocks[bi++]!.length;
    if (!reverse) {
      for (; bi < this.blocks.length; bi++, i = 0) {
        const b = this.blocks[bi]!;
        for (; i < b.length; i++) yield b[i]!;
      }
    } else {
      for (; bi >= 0; bi--) {
        const b = this.blocks[bi]!;
        if (i < 0) i = b.length - 1;
        for (; i >= 0; i--) yield b[i]!;
      }
    }
  }

  /** All entries ascending. */
  entries(): Generator<ZEntry> {
    return this.iterate(0, false);
  }

  /** Entries with ascending index in [start, end] (inclusive, clamped by the caller). */
  slice(start: number, end: number): ZEntry[] {
    const out: ZEntry[] = [];
    if (end < start) return out;
    for (const e of this.iterate(start)) {
      out.push(e);
      if (out.length > end - start) break;
    }
    return out;
  }

  /** Remove entries with index in [start, end] (inclusive); returns how many. */
  deleteSlice(start: number, end: number): number {
    const victims = this.slice(start, end);
    for (const e of victims) this.delete(e.member);
    return victims.length;
  }

  /** Index of the first entry within the score range, or -1 (zslFirstInRange). */
  firstInScoreRange(r: ScoreRange): number {
    if (this.size === 0 || scoreRangeEmpty(r)) return -1;
    const i = this.lowerBound((e) => scoreGteMin(e.score, r));
    return i < this.size && scoreLteMax(this.at(i).score, r) ? i : -1;
  }

  /** Index of the last entry within the score range, or -1 (zslLastInRange). */
  lastInScoreRange(r: ScoreRange): number {
    if (this.size === 0 || scoreRangeEmpty(r)) return -1;
    const i = this.lowerBound((e) => !scoreLteMax(e.score, r)) - 1;
    return i >= 0 && scoreGteMin(this.at(i).score, r) ? i : -1;
  }

  /**
   * Index of the first entry within the lex range, or -1 (zzlFirstInLexRange / zslFirstInLexRange).
   * Meaningful when all scores are equal; a listpack is scanned linearly like Redis does.
   */
  firstInLexRange(r: LexRange): number {
    if (!this.lexInRange(r)) return -1;
    let i = -1;
    if (this.enc === 'listpack') {
      let k = 0;
      for (const e of this.entries()) {
        if (lexGteMin(e.member, r)) {
          i = k;
          break;
        }
        k++;
      }
    } else i = this.lowerBound((e) => lexGteMin(e.member, r));
    return i >= 0 && i < this.size && lexLteMax(this.at(i).member, r) ? i : -1;
  }

  /** Index of the last entry within the lex range, or -1. */
  lastInLexRange(r: LexRange): number {
    if (!this.lexInRange(r)) return -1;
    let i = -1;
    if (this.enc === 'listpack') {
      let k = this.size - 1;
      for (const e of this.iterate(this.size - 1, true)) {
        if (lexLteMax(e.member, r)) {
          i = k;
          break;
        }
        k--;
      }
    } else i = this.lowerBound((e) => !lexLteMax(e.member, r)) - 1;
    return i >= 0 && lexGteMin(this.at(i).member, r) ? i : -1;
  }

  /** zsetConvertToListpackIfNeeded: a skiplist small enough becomes a listpack (-0 scores read back as 0). */
  compact(): void {
    if (this.enc === 'listpack' || this.size > ZSET_MAX_LISTPACK_ENTRIES) return;
    for (const m of this.dict.keys()) if (m.length > ZSET_MAX_LISTPACK_VALUE) return;
    this.enc = 'listpack';
    for (const [m, s] of this.dict) {
      if (s === 0 && Object.is(s, -0)) {
        this.removeEntry(s, m);
        this.insertEntry({ member: m, score: 0 });
        this.dict.set(m, 0);
      }
    }
  }

  /** A copy with the same encoding. */
  clone(): ZSet {
    const z = new ZSet(this.enc);
    z.blocks = this.blocks.map((b) => b.slice());
    for (const [m, s] of this.dict) z.dict.set(m, s);
    return z;
  }

  // ---- internals ----

  private normalise(score: number): number {
    return this.enc === 'listpack' && score === 0 ? 0 : score;
  }

  private lexInRange(r: LexRange): boolean {
    if (this.size === 0 || lexRangeEmpty(r)) return false;
    return lexGteMin(this.last()!.member, r) && lexLteMax(this.first()!.member, r);
  }

  /** First global index whose entry satisfies a monotone predicate (false… then true…); size if none. */
  private lowerBound(pred: (e: ZEntry) => boolean): number {
    const bs = this.blocks;
    let lo = 0;
    let hi = bs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const b = bs[mid]!;
      if (pred(b[b.length - 1]!)) hi = mid;
      else lo = mid + 1;
    }
    let base = 0;
    for (let k = 0; k < lo; k++) base += bs[k]!.length;
    if (lo === bs.length) return base;
    const b = bs[lo]!;
    let l = 0;
    let h = b.length - 1;
    while (l < h) {
      const mid = (l + h) >>> 1;
      if (pred(b[mid]!)) h = mid;
      else l = mid + 1;
    }
    return base + l;
  }

  /** Block index and in-block position where (score, member) is or would be inserted. */
  private locate(score: number, member: string): [number, number] {
    const bs = this.blocks;
    let lo = 0;
    let hi = bs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const b = bs[mid]!;
      const e = b[b.length - 1]!;
      if (compareEntry(e.score, e.member, score, member) >= 0) hi = mid;
      else lo = mid + 1;
    }
    const b = bs[lo]!;
    let l = 0;
    let h = b.length;
    while (l < h) {
      const mid = (l + h) >>> 1;
      const e = b[mid]!;
      if (compareEntry(e.score, e.member, score, member) < 0) l = mid + 1;
      else h = mid;
    }
    return [lo, l];
  }

  private insertEntry(e: ZEntry): void {
    if (this.blocks.length === 0) {
      this.blocks.push([e]);
      return;
    }
    const [bi, i] = this.locate(e.score, e.member);
    const b = this.blocks[bi]!;
    b.splice(i, 0, e);
    if (b.length > BLOCK_MAX) this.blocks.splice(bi + 1, 0, b.splice(b.length >>> 1));
  }

  private removeEntry(score: number, member: string): void {
    const [bi, i] = this.locate(score, member);
    const b = this.blocks[bi]!;
    b.splice(i, 1);
    if (b.length === 0) this.blocks.splice(bi, 1);
  }
}
