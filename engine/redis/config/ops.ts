/**
 * One entry point per operation (init, set, get, rewrite, clone) over every kind of
 * parameter, dispatching on the table's `kind`.
 */
import type { RewriteState } from './rewrite-state.ts';
import { specialHandler } from './special.ts';
import type { SpecialContext } from './special-types.ts';
import {
  enumName,
  formatNumeric,
  rewriteBool,
  rewriteNumeric,
  rewriteString,
  setBool,
  setEnum,
  setNumeric,
  setString,
} from './standard.ts';
import { MULTI_ARG, type ConfigSpec, type SetOutcome, type ValueReader } from './types.ts';

export interface SetContext extends SpecialContext {
  readonly cfg: ValueReader;
}

export function initValue(spec: ConfigSpec, cwd: string): unknown {
  switch (spec.kind) {
    case 'bool':
    case 'string':
    case 'enum':
    case 'numeric':
      return spec.def;
    case 'special':
      return specialHandler(spec.name).init(cwd);
  }
}

/** Parse `args` (one argument unless the parameter takes several) into a new value. */
export function setValue(spec: ConfigSpec, args: readonly string[], prev: unknown, ctx: SetContext): SetOutcome {
  switch (spec.kind) {
    case 'bool':
      return setBool(spec, args[0]!, prev as boolean);
    case 'string':
      return setString(spec, args[0]!, prev as string | null, ctx.cfg);
    case 'enum':
      return setEnum(spec, args, prev as number, (spec.flags & MULTI_ARG) !== 0);
    case 'numeric':
      return setNumeric(spec, args[0]!, prev as bigint);
    case 'special':
      return specialHandler(spec.name).set(args, prev, ctx);
  }
}

/** The CONFIG GET text of a value. */
export function formatValue(spec: ConfigSpec, v: unknown): string {
  switch (spec.kind) {
    case 'bool':
      return v ? 'yes' : 'no';
    case 'string':
      return (v as string | null) ?? '';
    case 'enum':
      return enumName(spec.values, v as number, (spec.flags & MULTI_ARG) !== 0);
    case 'numeric':
      return formatNumeric(spec, v as bigint);
    case 'special':
      return specialHandler(spec.name).get(v);
  }
}

export function rewriteValue(spec: ConfigSpec, v: unknown, state: RewriteState): void {
  switch (spec.kind) {
    case 'bool':
      rewriteBool(state, spec.name, v as boolean, spec.def);
      return;
    case 'string':
      rewriteString(state, spec.name, v as string | null, spec.def);
      return;
    case 'enum': {
      if (!state.writes(spec.name, v !== spec.def)) {
        state.markProcessed(spec.name);
        return;
      }
      const multi = (spec.flags & MULTI_ARG) !== 0;
      const line = `${spec.name} ${enumName(spec.values, v as number, multi)}`;
      state.rewriteLine(spec.name, line, v !== spec.def);
      return;
    }
    case 'numeric':
      rewriteNumeric(state, spec, v as bigint);
      return;
    case 'special':
      specialHandler(spec.name).rewrite(state, spec.name, v);
      return;
  }
}

export function cloneValue(spec: ConfigSpec, v: unknown): unknown {
  return spec.kind === 'special' ? specialHandler(spec.name).clone(v) : v;
}
