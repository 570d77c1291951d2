// What makes a reused guest thread (pool.ts) start a run as a new one would (guest thread side). Taken when the
// runtime has loaded, before any guest code: the require() cache, globalThis's own properties, process's
// listeners and environment. After a run (its globals already restored: worker.ts shutdown) they are put back:
// the app and every CommonJS package it loaded are evaluated afresh by the next run, with new module state.
// A run leaves the thread unusable when it loaded an ES module (the module map cannot be emptied), registered
// a loader, or left real work or an active handle (a real timer, file, socket) that could call back into the
// next run.
import { createRequire } from 'node:module';

type Descriptors = Map<string | symbol, PropertyDescriptor>;

const require = createRequire(import.meta.url);

function ownDescriptors(o: object): Descriptors {
  return new Map(Reflect.ownKeys(o).map((k) => [k, Reflect.getOwnPropertyDescriptor(o, k)!]));
}

/** What libuv keeps active, by kind (the serve loop's own setImmediate aside). */
function activeResources(): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) if (r !== 'Immediate') m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

const sameDescriptor = (a: PropertyDescriptor, b: PropertyDescriptor) =>
  a.value === b.value && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;

export class ThreadBaseline {
  private readonly modules = new Set(Object.keys(require.cache));
  private readonly globals = ownDescriptors(globalThis);
  private readonly listeners = new Map(process.eventNames().map((e) => [e, process.rawListeners(e)]));
  private readonly env = { ...process.env };
  private readonly resources = activeResources();
  /** Why the thread cannot serve another run (null: it can). */
  spoiled: string | null = null;

  spoil(why: string): void {
    this.spoiled ??= why;
  }

  /** A handle or request the run left active (checked after it ended), or null. */
  leftActive(): string | null {
    for (const [k, n] of activeResources()) if (n > (this.resources.get(k) ?? 0)) return k;
    return null;
  }

  /** Put the thread back as it was (after the run's own restore), or spoil it. */
  reset(): void {
    const left = this.leftActive();
    if (left) this.spoil(`the run left a real ${left} active`);
    for (const k of Object.keys(require.cache)) if (!this.modules.has(k)) delete require.cache[k];
    const g = globalThis as Record<string | symbol, unknown>;
    for (const k of Reflect.ownKeys(g)) if (!this.globals.has(k) && !Reflect.deleteProperty(g, k)) this.spoil(`global ${String(k)} cannot be removed`);
    for (const [k, d] of this.globals) {
      const now = Reflect.getOwnPropertyDescriptor(g, k);
      if (now && sameDescriptor(now, d)) continue;
      if (!Reflect.defineProperty(g, k, d)) this.spoil(`global ${String(k)} cannot be restored`);
    }
    for (const e of process.eventNames()) {
      const keep = this.listeners.get(e) ?? [];
      for (const l of process.rawListeners(e)) if (!keep.includes(l)) process.removeListener(e, l as (...a: unknown[]) => void);
    }
    for (const k of Object.keys(process.env)) if (!(k in this.env)) delete process.env[k];
    Object.assign(process.env, this.env);
  }
}
