// A command's flags as a bit set, computed once per spec (Redis keeps them as the CMD_* bit mask of
// redisCommand.flags): processCommand, call() and its observers ask several flags of every command.
import type { CommandFlag, CommandSpec } from '../commands/context.ts';

const FLAG_BIT = new Map<string, number>();
const SPEC_BITS = new WeakMap<CommandSpec, number>();

/** The bit of a flag name (assigned on first sight; 0 = past 31 names: callers fall back to the list). */
export function flagBit(f: string): number {
  let b = FLAG_BIT.get(f);
  if (b === undefined) {
    b = FLAG_BIT.size < 31 ? 1 << FLAG_BIT.size : 0;
    FLAG_BIT.set(f, b);
  }
  return b;
}

/** The spec's flags as bits (the table is built once: a spec's flags never change afterwards). */
export function specBits(spec: CommandSpec): number {
  let bits = SPEC_BITS.get(spec);
  if (bits === undefined) {
    bits = 0;
    for (const f of spec.flags) bits |= flagBit(f);
    SPEC_BITS.set(spec, bits);
  }
  return bits;
}

/** Whether the spec has the flag; `bit` is flagBit(f), taken once by the caller. */
export function hasBit(spec: CommandSpec, f: CommandFlag, bit: number): boolean {
  return bit === 0 ? spec.flags.includes(f) : (specBits(spec) & bit) !== 0;
}

/** Whether the spec has the flag (looks the bit up; hot callers keep flagBit(f) in a constant). */
export function specHas(spec: CommandSpec, f: CommandFlag): boolean {
  return hasBit(spec, f, flagBit(f));
}

// the flags every command is asked about get the first bits
export const WRITE = flagBit('write');
export const READONLY = flagBit('readonly');
export const DENYOOM = flagBit('denyoom');
export const STALE = flagBit('stale');
export const MAY_REPLICATE = flagBit('may_replicate');
export const PROTECTED = flagBit('protected');
export const NO_AUTH = flagBit('no_auth');
export const NO_MULTI = flagBit('no_multi');
export const ALLOW_BUSY = flagBit('allow_busy');
export const FAST = flagBit('fast');
export const ADMIN = flagBit('admin');
export const SKIP_MONITOR = flagBit('skip_monitor');
