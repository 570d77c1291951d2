// How the guest thread runs a call's steps (worker.ts): each step (a timer's callback, a delivered input) is
// followed by a drain — every microtask and process.nextTick callback the guest queued runs, in Node's order
// (the step's microtasks, then the nextTick queue and the microtasks it queues, until both are empty), and the
// runtime's own real work (ctx.import, crypto.subtle) finishes. A call's work is a generator that yields at
// each drain point. While nothing real is pending the drain is synchronous: the step runs as a microtask and
// process._tickCallback (Node's runNextTicks) empties both queues — the same order as awaiting a real
// setImmediate, without an event-loop turn per step (a turn costs ~50 µs of CPU; a run has tens of thousands
// of steps). This needs the caller to be outside any microtask checkpoint (a macrotask: the serve loop runs
// from a real setImmediate). When real work is pending, the rest of the call goes on asynchronously as before:
// each drain awaits a real setImmediate and the pending work.

/** A call's work: yields at each drain point, returns the call's result. */
export type Steps<T> = Generator<void, T, void>;

const realSetImmediate = globalThis.setImmediate;
const turn = () => new Promise<void>((res) => realSetImmediate(res));
const tickCallback = (process as unknown as { _tickCallback: () => void })._tickCallback;

/** Real asynchronous work of the runtime on the guest's behalf (ctx.import, crypto.subtle): a call waits for it, so it lands at a fixed instant. */
const pendingReal = new Set<Promise<unknown>>();

export function trackReal<T>(p: Promise<T>): Promise<T> {
  pendingReal.add(p);
  void p.then(
    () => pendingReal.delete(p),
    () => pendingReal.delete(p),
  );
  return p;
}

/** Real work still pending (after a run ended: its thread cannot serve another run). */
export function realPending(): boolean {
  return pendingReal.size > 0;
}

/** The asynchronous drain: once the microtask and nextTick queues are empty (a check-phase callback), and the real work is done. */
export async function drain(): Promise<void> {
  await turn();
  await realWork();
}

async function realWork(): Promise<void> {
  while (pendingReal.size > 0) {
    await Promise.allSettled([...pendingReal]);
    await turn();
  }
}

/** Go on with the steps asynchronously (after real work was found pending). */
async function runAsync<T>(steps: Steps<T>): Promise<T> {
  await realWork();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await drain();
  }
}

/**
 * Run the steps; call only from a macrotask. Returns the result, or a promise of it when real work became
 * pending (then the caller's thread must return to the event loop).
 */
export function runSteps<T>(steps: Steps<T>): { value: T } | Promise<T> {
  for (;;) {
    let r: IteratorResult<void, T> | undefined;
    let failed: { e: unknown } | undefined;
    queueMicrotask(() => {
      try {
        r = steps.next();
      } catch (e) {
        failed = { e };
      }
    });
    tickCallback();
    if (failed) throw failed.e;
    if (!r) throw new Error('sentinel-sim guest: a step did not run (the runtime was called inside a microtask)');
    if (r.done) return { value: r.value };
    if (pendingReal.size > 0) return runAsync(steps);
  }
}
