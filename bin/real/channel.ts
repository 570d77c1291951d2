// The synchronous call from the script's thread to the world's thread: post a request on a MessagePort, block
// in Atomics.wait on a shared counter, take the reply with receiveMessageOnPort (the technique synckit packages;
// 40 lines here instead of a dependency, and the world side stays an ordinary async handler on its event loop).
// The world bumps the counter after each reply; the script thread re-checks the port whenever it changes.
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { TraceRecord } from '../../engine/trace/types.ts';

export interface Request {
  id: number;
  op: string;
  args: unknown;
}

export interface Reply {
  id: number;
  /** World time (µs since the start) when the reply was sent. */
  now: number;
  /** Records appended since the previous reply. */
  recs: TraceRecord[];
  value?: unknown;
  error?: { name: string; message: string };
  /** The run is being stopped (Ctrl-C, abort signal, a fatal error on the world's side). */
  abort?: string;
}

/** Thrown in the script's thread when the run is being stopped: it unwinds the script. */
export class RealAborted extends Error {
  override readonly name = 'RealAborted';
}

/** The script thread's end. */
export class SyncChannel {
  private seq = 0;
  /** Sees every reply first (its time and records), before its value is returned or its error thrown. */
  onReply: (r: Reply) => void = () => {};

  constructor(
    private readonly port: MessagePort,
    private readonly flag: Int32Array,
  ) {}

  call<T = unknown>(op: string, args: unknown = null): T {
    const id = ++this.seq;
    this.port.postMessage({ id, op, args } satisfies Request);
    for (;;) {
      const seen = Atomics.load(this.flag, 0);
      const m = receiveMessageOnPort(this.port);
      if (m) {
        const r = m.message as Reply;
        if (r.id !== id) continue;
        this.onReply(r);
        if (r.abort !== undefined) throw new RealAborted(r.abort);
        if (r.error) {
          const e = new Error(r.error.message);
          Object.defineProperty(e, 'name', { value: r.error.name });
          throw e;
        }
        return r.value as T;
      }
      Atomics.wait(this.flag, 0, seen, 1000);
    }
  }
}

/**
 * The world thread's end: runs `handler` for each request (one at a time, in order) and wakes the caller.
 * `abortPending()` answers the request being handled at once with the envelope's abort (the handler's own
 * answer, later, is then ignored by the caller).
 */
export function serveChannel(
  port: MessagePort,
  flag: Int32Array,
  handler: (op: string, args: unknown) => Promise<unknown>,
  envelope: () => { now: number; recs: TraceRecord[]; abort?: string },
): { abortPending(): void } {
  let chain = Promise.resolve();
  let pending: number | null = null;
  const send = (r: Omit<Reply, 'now' | 'recs' | 'abort'>) => {
    port.postMessage({ ...r, ...envelope() } satisfies Reply);
    Atomics.add(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  port.on('message', (req: Request) => {
    chain = chain.then(async () => {
      pending = req.id;
      try {
        const value = await handler(req.op, req.args);
        if (pending === req.id) send({ id: req.id, value });
      } catch (e) {
        const err = e as Error;
        if (pending === req.id) send({ id: req.id, error: { name: err?.name ?? 'Error', message: err?.message ?? String(e) } });
      } finally {
        pending = null;
      }
    });
  });
  return {
    abortPending: () => {
      if (pending === null) return;
      const id = pending;
      pending = null;
      send({ id });
    },
  };
}
