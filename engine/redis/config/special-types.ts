/**
 * The interface of the parameters with their own syntax (save, bind, replicaof, ...).
 */
import type { RewriteState } from './rewrite-state.ts';
import type { LoadState, SetOutcome } from './types.ts';

export interface SpecialContext {
  readonly load: LoadState;
  /** Tells whether a directory exists: null if it does, else the errno text. */
  readonly checkDir?: ((absPath: string) => string | null) | undefined;
}

export interface SpecialHandler<V = unknown> {
  init(cwd: string): V;
  set(args: readonly string[], prev: V, ctx: SpecialContext): SetOutcome<V>;
  get(v: V): string;
  rewrite(state: RewriteState, name: string, v: V): void;
  clone(v: V): V;
}
