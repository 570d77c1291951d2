// The event heap: ordered by (time in integer µs, insertion seq); cancelled timers dropped lazily.
import { formatClock, type Micros } from './time.ts';

export interface Timer {
  readonly at: Micros;
  readonly seq: number;
  /** Set by cancel(); the heap skips it when it surfaces. */
  cancelled: boolean;
  fn: (arg?: any) => void;
  /** Passed to fn: lets hot paths share one function instead of allocating a closure per event. */
  arg?: unknown;
}

/** The heap's entries: one class, so every timer has the same shape. */
class TimerEvent implements Timer {
  cancelled = false;
  constructor(
    public at: Micros,
    readonly seq: number,
    public fn: (arg?: any) => void,
    public arg: unknown,
  ) {}
}
// `at` holds virtual µs, which outgrow V8's small integers after ~18 virtual minutes: one event with a
// fractional time makes the field a double from the start (no de-optimisation of the heap code then)
new TimerEvent(0.5, -1, () => {}, undefined);

export class RunawayError extends Error {
  constructor(
    readonly at: Micros,
    readonly events: number,
  ) {
    super(
      `runaway simulation: ${events} events executed without finishing, stopped at virtual time ${formatClock(at)} (${at} µs); ` +
        `raise maxEvents or look for a timer that reschedules itself at the same instant`,
    );
    this.name = 'RunawayError';
  }
}

export class TimeoutError extends Error {
  constructor(
    readonly at: Micros,
    readonly what: string,
  ) {
    super(`timed out at virtual time ${formatClock(at)} waiting for ${what}`);
    this.name = 'TimeoutError';
  }
}

export interface RunOptions {
  /** Stop once the next event is later than this instant (the clock is advanced to it). */
  until?: Micros;
  /** Runaway guard for this call; defaults to the scheduler's maxEvents. */
  maxEvents?: number;
}

export class Scheduler {
  /** Current virtual time (µs). */
  now: Micros = 0;
  /** Total events executed since creation. */
  executed = 0;
  /** Default runaway guard per run()/runUntil() call. */
  maxEvents: number;
  /**
   * While run({ until }) runs: `until`, the instant before which nothing but events can act on the world
   * (the script acts only once run returns); -Infinity otherwise (runUntil, step: a predicate may stop the
   * run after any event). An application host (bin/guest) runs its guest's timers ahead up to it.
   */
  horizon: Micros = -Infinity;
  private heap: Timer[] = [];
  private seq = 0;
  private live = 0;

  constructor(opts: { maxEvents?: number } = {}) {
    this.maxEvents = opts.maxEvents ?? 50_000_000;
    // virtual µs outgrow V8's small integers after ~18 virtual minutes: holding a fraction once makes
    // the field a double from the start, instead of de-optimising everything that reads it then
    this.now = 0.5;
    this.now = 0;
  }

  /** Number of pending (not cancelled) timers. */
  get pending(): number {
    return this.live;
  }

  /** Schedule fn at absolute time `at` (clamped to now). */
  at(at: Micros, fn: () => void): Timer {
    const t = new TimerEvent(at < this.now ? this.now : Math.floor(at), this.seq++, fn, undefined);
    this.push(t);
    this.live++;
    return t;
  }

  /** Schedule fn(arg) at absolute time `at`, without a closure. */
  atWith<A>(at: Micros, fn: (arg: A) => void, arg: A): Timer {
    const t = new TimerEvent(at < this.now ? this.now : Math.floor(at), this.seq++, fn as (arg?: unknown) => void, arg);
    this.push(t);
    this.live++;
    return t;
  }

  /** Schedule fn after `delay` µs. */
  after(delay: Micros, fn: () => void): Timer {
    return this.at(this.now + (delay > 0 ? delay : 0), fn);
  }

  cancel(t: Timer | null | undefined): void {
    if (t && !t.cancelled) {
      t.cancelled = true;
      this.live--;
    }
  }

  /** Time of the next live event, or Infinity. */
  peekTime(): Micros {
    this.dropCancelled();
    return this.heap.length ? this.heap[0]!.at : Infinity;
  }

  /**
   * Time of the next live event other than `skip`, or Infinity; may be earlier than that (a cancelled event
   * next to `skip` counts), never later: a bound for "nothing else happens before".
   */
  peekTimeExcept(skip: Timer | null): Micros {
    this.dropCancelled();
    const h = this.heap;
    if (h.length === 0) return Infinity;
    if (h[0] !== skip) return h[0]!.at;
    // the second-smallest is a child of the root
    return Math.min(h[1]?.at ?? Infinity, h[2]?.at ?? Infinity);
  }

  /** Execute exactly one event; false when nothing is pending. */
  step(): boolean {
    this.dropCancelled();
    const t = this.pop();
    if (!t) return false;
    this.live--;
    t.cancelled = true;
    this.now = t.at;
    this.executed++;
    t.fn(t.arg);
    return true;
  }

  /** Run events until the heap is empty or the next event is after `until`. */
  run(opts: RunOptions = {}): void {
    const until = opts.until ?? Infinity;
    const outer = this.horizon;
    this.horizon = until;
    try {
      this.runTo(until, opts.maxEvents ?? this.maxEvents);
    } finally {
      this.horizon = outer;
    }
    if (until !== Infinity && until > this.now) this.now = until;
  }

  private runTo(until: Micros, limit: number): void {
    let n = 0;
    const heap = this.heap;
    for (;;) {
      if (heap.length === 0) break;
      const top = heap[0]!;
      if (top.cancelled) {
        this.pop();
        continue;
      }
      if (top.at > until) break;
      if (++n > limit) throw new RunawayError(this.now, n - 1);
      this.pop();
      this.live--;
      top.cancelled = true;
      this.now = top.at;
      this.executed++;
      top.fn(top.arg);
    }
  }

  /**
   * Run until `pred()` holds (checked after every event). Throws TimeoutError when `timeout` µs of
   * virtual time pass first, or when the heap empties.
   */
  runUntil(pred: () => boolean, opts: { timeout?: Micros; maxEvents?: number; what?: string } = {}): void {
    if (pred()) return;
    const deadline = opts.timeout === undefined ? Infinity : this.now + opts.timeout;
    const limit = opts.maxEvents ?? this.maxEvents;
    let n = 0;
    for (;;) {
      const next = this.peekTime();
      if (next === Infinity || next > deadline) {
        if (deadline !== Infinity) this.now = Math.max(this.now, deadline);
        throw new TimeoutError(this.now, opts.what ?? 'a condition');
      }
      if (++n > limit) throw new RunawayError(this.now, n - 1);
      this.step();
      if (pred()) return;
    }
  }

  private dropCancelled(): void {
    const heap = this.heap;
    while (heap.length && heap[0]!.cancelled) this.pop();
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: Timer): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(t);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (!this.less(t, parent)) break;
      heap[i] = parent;
      i = p;
    }
    heap[i] = t;
  }

  private pop(): Timer | undefined {
    const heap = this.heap;
    const n = heap.length;
    if (n === 0) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (n > 1) {
      const size = n - 1;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        let c = l;
        if (r < size && this.less(heap[r]!, heap[l]!)) c = r;
        if (!this.less(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
