// Seeded randomness: one master seed, named sub-streams independent of creation order (design.md).
import seedrandom from 'seedrandom';

export class Rng {
  private readonly prng: seedrandom.PRNG;

  constructor(
    readonly seed: string,
    readonly name = '',
  ) {
    this.prng = seedrandom(name ? `${seed}/${name}` : seed);
  }

  /**
   * A named sub-stream. Its draws depend only on (master seed, full name), never on which other
   * streams exist or how many draws they made.
   */
  fork(name: string): Rng {
    return new Rng(this.seed, this.name ? `${this.name}/${name}` : name);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng.quick();
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng.quick();
  }

  /** Integer uniform in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.prng.quick() * (hi - lo + 1));
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.prng.quick());
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.prng.quick() < p;
  }

  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('choice from an empty list');
    return items[Math.floor(this.prng.quick() * items.length)]!;
  }

  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng.quick() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** 40 lower-case hex characters, like a Redis run id. */
  hex40(): string {
    let s = '';
    for (let i = 0; i < 40; i++) s += '0123456789abcdef'[Math.floor(this.prng.quick() * 16)];
    return s;
  }
}
