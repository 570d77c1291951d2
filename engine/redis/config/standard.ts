/**
 * Parsing, printing (CONFIG GET) and rewriting of the table-driven parameter kinds:
 * yes/no, strings, enums and numbers. Values: boolean, string | null, number (enum),
 * bigint (numbers; percentages of a memory-or-percent parameter are stored negative).
 */
import {
  asInt64,
  asUint64,
  formatMemory,
  formatOctal,
  formatSigned,
  formatUnsigned,
  memtoull,
  string2ll,
  strtoll,
} from './cnum.ts';
import type { RewriteState } from './rewrite-state.ts';
import { quoteRepr } from './tokenizer.ts';
import {
  VOLATILE,
  type BoolSpec,
  type EnumSpec,
  type EnumValues,
  type NumericSpec,
  type SetOutcome,
  type StringSpec,
  type ValueReader,
} from './types.ts';

function outcome<V>(spec: { flags: number }, value: V, changed: boolean): SetOutcome<V> {
  return { ok: true, value, changed: changed || (spec.flags & VOLATILE) !== 0 };
}

/* ---------- yes / no ---------- */

export function yesNo(s: string): boolean | null {
  const l = s.toLowerCase();
  return l === 'yes' ? true : l === 'no' ? false : null;
}

export function setBool(spec: BoolSpec, arg: string, prev: boolean): SetOutcome<boolean> {
  const v = yesNo(arg);
  if (v === null) return { ok: false, error: "argument must be 'yes' or 'no'" };
  const error = spec.validate?.(v) ?? null;
  if (error !== null) return { ok: false, error };
  return outcome(spec, v, v !== prev);
}

export function rewriteBool(state: RewriteState, name: string, v: boolean, def: boolean): void {
  if (!state.writes(name, v !== def)) state.markProcessed(name);
  else state.rewriteLine(name, `${name} ${v ? 'yes' : 'no'}`, v !== def);
}

/* ---------- strings ---------- */

export function setString(
  spec: StringSpec,
  arg: string,
  prev: string | null,
  cfg: ValueReader,
): SetOutcome<string | null> {
  const error = spec.validate?.(arg, cfg) ?? null;
  if (error !== null) return { ok: false, error };
  const v = spec.emptyIsNull && arg === '' ? null : arg;
  return outcome(spec, v, v !== prev);
}

/** A string option: absent when unset, always written when it differs from its default. */
export function rewriteString(state: RewriteState, name: string, v: string | null, def: string | null): void {
  if (v === null) {
    state.markProcessed(name);
    return;
  }
  const force = !(def !== null && v === def);
  if (!state.writes(name, force)) state.markProcessed(name);
  else state.rewriteLine(name, `${name} ${quoteRepr(v)}`, force);
}

/* ---------- enums ---------- */

export function enumError(values: EnumValues): string {
  const text = 'argument(s) must be one of the following: ' + values.map(([n]) => n).join(', ');
  return text.slice(0, 255);
}

/** Value of one name (or of several names OR-ed for bit-flag enums), null if unknown. */
export function enumValue(values: EnumValues, args: readonly string[], bitflags: boolean): number | null {
  if (args.length === 0 || (!bitflags && args.length !== 1)) return null;
  let result = 0;
  for (const arg of args) {
    const lower = arg.toLowerCase();
    let matched = false;
    for (const [name, v] of values) {
      if (name === lower) {
        result |= v;
        matched = true;
      }
    }
    if (!matched) return null;
  }
  return result;
}

/** Name(s) of a value: the first exact match, else (bit flags) the names covering it. */
export function enumName(values: EnumValues, v: number, bitflags: boolean): string {
  const names: string[] = [];
  let unmatched = v;
  for (const [name, val] of values) {
    if (v === val) return name;
    if (bitflags && val && val === (unmatched & val)) {
      names.push(name);
      unmatched &= ~val;
    }
  }
  return names.length === 0 || unmatched ? 'unknown' : names.join(' ');
}

export function setEnum(spec: EnumSpec, args: readonly string[], prev: number, bitflags: boolean): SetOutcome<number> {
  const v = enumValue(spec.values, args, bitflags);
  if (v === null) return { ok: false, error: enumError(spec.values) };
  const error = spec.validate?.(v) ?? null;
  if (error !== null) return { ok: false, error };
  return outcome(spec, v, v !== prev);
}

/* ---------- numbers ---------- */

const UNSIGNED_CHECKED = new Set(['ull', 'uint', 'size_t']);

function parseNumber(spec: NumericSpec, s: string): bigint | string {
  if (spec.format === 'mem' || spec.format === 'mempct') {
    const m = memtoull(s);
    if (m !== null) return asInt64(m);
  }
  if (spec.format === 'mempct' && s.length > 1 && s.endsWith('%')) {
    const p = string2ll(s.slice(0, -1));
    if (p !== null && p >= 0n) return -p;
  }
  if (spec.format === 'octal') {
    const r = strtoll(s, 8);
    if (!r.overflow && r.rest === '') return r.value;
  }
  if (spec.format === 'int') {
    const v = string2ll(s);
    if (v !== null) return v;
  }
  if (spec.format === 'mempct') return 'argument must be a memory or percent value';
  if (spec.format === 'mem') return 'argument must be a memory value';
  if (spec.format === 'octal') return "argument couldn't be parsed as an octal number";
  return "argument couldn't be parsed into an integer";
}

function checkBounds(spec: NumericSpec, v: bigint): string | null {
  if (UNSIGNED_CHECKED.has(spec.ctype)) {
    const u = asUint64(v);
    const lo = asUint64(spec.lo);
    const hi = asUint64(spec.hi);
    if (u > hi || u < lo) {
      return spec.format === 'octal'
        ? `argument must be between ${formatOctal(lo)} and ${formatOctal(hi)} inclusive`
        : `argument must be between ${lo} and ${hi} inclusive`;
    }
    return null;
  }
  if (spec.format === 'mempct' && v < 0n) {
    return v < spec.lo ? `percentage argument must be less or equal to ${-spec.lo}` : null;
  }
  if (v > spec.hi || v < spec.lo) return `argument must be between ${spec.lo} and ${spec.hi} inclusive`;
  return null;
}

/** The value as the C variable holds it (unsigned types keep their unsigned reading). */
function store(spec: NumericSpec, v: bigint): bigint {
  switch (spec.ctype) {
    case 'int':
      return BigInt.asIntN(32, v);
    case 'uint':
      return BigInt.asUintN(32, v);
    case 'ull':
    case 'size_t':
    case 'ulong':
      return asUint64(v);
    default:
      return asInt64(v);
  }
}

export function setNumeric(spec: NumericSpec, arg: string, prev: bigint): SetOutcome<bigint> {
  const parsed = parseNumber(spec, arg);
  if (typeof parsed === 'string') return { ok: false, error: parsed };
  const error = checkBounds(spec, parsed);
  if (error !== null) return { ok: false, error };
  const v = store(spec, parsed);
  return outcome(spec, v, v !== prev);
}

export function formatNumeric(spec: NumericSpec, v: bigint): string {
  if (spec.format === 'mempct' && v < 0n) return `${-v}%`;
  if (spec.format === 'mem' || spec.format === 'mempct') return formatUnsigned(v);
  if (spec.format === 'octal') return formatOctal(v);
  return formatSigned(v);
}

export function rewriteNumeric(state: RewriteState, spec: NumericSpec, v: bigint): void {
  const name = spec.name;
  const force = asInt64(v) !== asInt64(spec.def);
  if (!state.writes(name, force)) state.markProcessed(name);
  else if (spec.format === 'mempct' && v < 0n) {
    state.rewriteLine(name, `${name} ${-v}%`, force);
  } else if (spec.format === 'mem' || spec.format === 'mempct') {
    state.rewriteLine(name, `${name} ${formatMemory(v)}`, force);
  } else if (spec.format === 'octal') {
    state.rewriteLine(name, `${name} ${formatOctal(v)}`, force);
  } else {
    state.rewriteLine(name, `${name} ${formatSigned(v)}`, force);
  }
}
