// alsoPropagate / propagatePendingCommands of Redis 7.0.15 (server.c): the commands of one execution
// unit are collected, then fed in order to the AOF and replication, wrapped in MULTI/EXEC when
// there is more than one (lazy-expire DEL + the write, EXEC with several writes, ...).
import type { PropagateListener, PropagateTarget } from './replication-state.ts';

export interface PropagatedOp {
  db: number;
  argv: string[];
  target: PropagateTarget;
}

export const BOTH: PropagateTarget = Object.freeze({ aof: true, repl: true });
export const REPL_ONLY: PropagateTarget = Object.freeze({ aof: false, repl: true });

export class Propagator {
  private pending: PropagatedOp[] = [];
  /** Replaced, never mutated, on (un)subscribe: emit iterates a snapshot without copying it. */
  private listeners: readonly PropagateListener[] = [];
  /** server.loading: nothing is propagated while loading. */
  loading = false;

  /** Subscribe to every propagated command; returns an unsubscribe function. */
  onPropagate(fn: PropagateListener): () => void {
    this.listeners = [...this.listeners, fn];
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners = this.listeners.filter((_, j) => j !== i);
    };
  }

  /** alsoPropagate(). */
  also(db: number, argv: string[], target: PropagateTarget = BOTH): void {
    if (this.loading) return;
    const op = { db, argv, target };
    // the usual unit has one op: an exact-size array (a push on [] would allocate room for 17)
    if (this.pending.length === 0) this.pending = [op];
    else this.pending.push(op);
  }

  /** Give the ops pending from index `from` on another target (a script's redis.set_repl). */
  retarget(from: number, target: PropagateTarget): void {
    if (!target.aof && !target.repl) {
      this.pending.length = Math.min(this.pending.length, from); // alsoPropagate drops what goes nowhere
      return;
    }
    for (let i = from; i < this.pending.length; i++) this.pending[i] = { ...this.pending[i]!, target };
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * propagatePendingCommands(). `noMulti` for active expire / eviction (propagate_no_multi) and for
   * commands that touch arbitrary keys (RANDOMKEY, SCAN).
   */
  flush(noMulti = false): void {
    const n = this.pending.length;
    if (n === 0) return;
    if (n === 1) {
      // one op (every plain write): never wrapped
      const op = this.pending[0]!;
      this.pending.length = 0;
      this.emit(op.db, op.argv, op.target);
      return;
    }
    const ops = this.pending;
    this.pending = [];
    const wrap = ops.length > 1 && !noMulti;
    // MULTI goes to every target any op has (propagateNow with AOF|REPL, filtered by shouldPropagate)
    if (wrap) this.emit(ops[0]!.db, ['MULTI'], BOTH);
    for (const op of ops) this.emit(op.db, op.argv, op.target);
    if (wrap) this.emit(ops[ops.length - 1]!.db, ['EXEC'], BOTH);
  }

  /** Drop what is pending (a crash in the middle of a unit, or loading). */
  discard(): void {
    this.pending = [];
  }

  private emit(db: number, argv: string[], target: PropagateTarget): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) ls[i]!(db, argv, target);
  }
}
