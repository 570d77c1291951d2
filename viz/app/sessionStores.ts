// The FrameStore of each live session, grown as its worker's chunks come: indexed in tasks of at most
// INGEST_MS (a long run's records never make one long task, and nothing is rebuilt when the run ends).
import { FrameStore } from '../model/store.ts';
import type { RemoteSession } from './remote.ts';

/** Wall ms a task indexes a run's records for at most (the rest in the next tasks). */
const INGEST_MS = 15;

export class SessionStores {
  private readonly stores = new WeakMap<RemoteSession, FrameStore>();
  private readonly catchingUp = new WeakSet<RemoteSession>();

  /** `index`: keeps other indexes (Sentinel's reasoning) in step with a store. */
  constructor(private readonly index: (store: FrameStore) => void) {}

  has(s: RemoteSession): boolean {
    return this.stores.has(s);
  }

  get(s: RemoteSession): FrameStore | undefined {
    return this.stores.get(s);
  }

  /**
   * The store of a session, grown to what it has received: `sliced`, in tasks of at most INGEST_MS (the rest in
   * the next ones, through the session's onData as if more had come); else all at once (after an action: a few records).
   */
  storeOf(s: RemoteSession, sliced = false): FrameStore | null {
    let store = this.stores.get(s);
    if (!store) {
      if (!s.header) return null;
      store = new FrameStore(s.header, [], (i) => s.msgEnds.get(i), (i) => s.patches.get(i));
      this.stores.set(s, store);
    }
    for (let i = store.records.length; i < s.records.length; i++) store.records.push(s.records[i]);
    store.ingest(sliced ? performance.now() + INGEST_MS : Infinity);
    this.index(store);
    if (store.behind > 0 && !this.catchingUp.has(s)) {
      this.catchingUp.add(s);
      setTimeout(() => {
        this.catchingUp.delete(s);
        if (!s.isCancelled) s.onData?.();
      }, 0);
    }
    return store;
  }

  /** Resolves once the session's store has indexed everything the session received. */
  async caughtUp(s: RemoteSession): Promise<void> {
    while (!s.isCancelled && (this.stores.get(s)?.behind ?? 0) > 0) await new Promise((r) => setTimeout(r, 10));
  }
}
