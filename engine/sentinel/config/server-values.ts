/**
 * Checking and re-formatting the value of a standard server directive, with the error
 * texts of Redis 7.0.15 (the last line of the FATAL CONFIG FILE ERROR block).
 */
import {
  asInt64,
  formatMemory,
  formatTrimmedDouble,
  memtoull,
  string2d,
  string2ll,
  yesnotoi,
} from './cnum.ts';
import type { StandardConfigSpec } from './server-configs.ts';
import { quoteRepr } from './tokenizer.ts';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(error: string): Checked<T> => ({ ok: false, error });

/** strtoll(s, &end, 8) with the "whole string consumed, no overflow" test. */
function parseOctal(s: string): bigint | null {
  if (s === '') return 0n;
  const m = /^[ \t\n\r\v\f]*([+-]?)([0-7]+)$/.exec(s);
  if (!m) return null;
  const v = BigInt(`0o${m[2]}`) * (m[1] === '-' ? -1n : 1n);
  return v > 9223372036854775807n || v < -9223372036854775808n ? null : v;
}

/** Parse a numeric directive value; the result is the C `long long` Redis keeps. */
export function parseNumeric(spec: StandardConfigSpec, s: string): Checked<bigint> {
  let v: bigint | null = null;
  if (spec.kind === 'mem' || spec.kind === 'mempct') {
    const m = memtoull(s);
    if (m !== null) v = asInt64(m);
  }
  if (v === null && spec.kind === 'mempct' && s.length > 1 && s.endsWith('%')) {
    const p = string2ll(s.slice(0, -1));
    if (p !== null && p >= 0n) v = -p;
  }
  if (v === null && spec.kind === 'octal') v = parseOctal(s);
  if (v === null && spec.kind === 'int') v = string2ll(s);
  if (v === null) {
    if (spec.kind === 'mempct') return fail('argument must be a memory or percent value');
    if (spec.kind === 'mem') return fail('argument must be a memory value');
    if (spec.kind === 'octal') return fail("argument couldn't be parsed as an octal number");
    return fail("argument couldn't be parsed into an integer");
  }
  const lo = spec.lo ?? 0n;
  const hi = spec.hi ?? 0n;
  if (spec.unsigned) {
    const u = BigInt.asUintN(64, v);
    if (u > hi || u < lo) {
      const f = (n: bigint): string => (spec.kind === 'octal' ? n.toString(8) : n.toString());
      return fail(`argument must be between ${f(lo)} and ${f(hi)} inclusive`);
    }
  } else if (spec.kind === 'mempct' && v < 0n) {
    if (v < lo) return fail(`percentage argument must be less or equal to ${-lo}`);
  } else if (v > hi || v < lo) {
    return fail(`argument must be between ${lo} and ${hi} inclusive`);
  }
  return ok(v);
}

function enumValueOf(spec: StandardConfigSpec, name: string): number | undefined {
  return spec.enumValues?.find(([n]) => n === name.toLowerCase())?.[1];
}

function enumError(spec: StandardConfigSpec): string {
  const names = (spec.enumValues ?? []).map(([n]) => n).join(', ');
  return `argument(s) must be one of the following: ${names}`.slice(0, 255);
}

function isBaseName(p: string): boolean {
  return !p.includes('/') && !p.includes('\\');
}

/** Extra checks some string directives make. */
function checkString(name: string, v: string): string | null {
  if (name === 'dbfilename' && !isBaseName(v)) return "dbfilename can't be a path, just a filename";
  if (name === 'appendfilename') {
    if (v === '') return "appendfilename can't be empty";
    if (!isBaseName(v)) return "appendfilename can't be a path, just a filename";
  }
  if (name === 'appenddirname') {
    if (v === '') return "appenddirname can't be empty";
    if (!isBaseName(v)) return "appenddirname can't be a path, just a dirname";
  }
  return null;
}

/** strtoll(s, &end, 10) requiring the whole string to be consumed ('' gives 0). */
function strtollWhole(s: string): bigint | null {
  if (s === '') return 0n;
  const m = /^[ \t\n\r\v\f]*([+-]?[0-9]+)$/.exec(s);
  return m ? BigInt(m[1]!) : null;
}

function checkSave(args: readonly string[]): string | null {
  const a = args.length === 1 && args[0] === '' ? [] : args;
  if (a.length % 2 === 1) return 'Invalid save parameters';
  for (let j = 0; j < a.length; j++) {
    const n = strtollWhole(a[j]!);
    if (n === null || (j % 2 === 0 && n < 1n) || (j % 2 === 1 && n < 0n)) {
      return 'Invalid save parameters';
    }
  }
  return null;
}

/** Percentiles of latency-tracking-info-percentiles, or an error. */
export function parsePercentiles(args: readonly string[]): Checked<number[]> {
  if (args.length === 1 && args[0] === '') return ok([]);
  const out: number[] = [];
  for (const a of args) {
    const v = string2d(a);
    if (v === null) return fail('Invalid latency-tracking-info-percentiles parameters');
    if (v > 100 || v < 0) {
      return fail('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
    }
    out.push(v);
  }
  return ok(out);
}

export function formatPercentiles(values: readonly number[]): string {
  return values.length === 0 ? '""' : values.map(formatTrimmedDouble).join(' ');
}

/**
 * Validate the arguments of a standard directive (after the name). Directives whose own
 * syntax is not modelled are accepted as they are.
 */
export function checkStandardValue(spec: StandardConfigSpec, args: readonly string[]): string | null {
  const v = args[0] ?? '';
  switch (spec.kind) {
    case 'bool':
      return yesnotoi(v) === -1 ? "argument must be 'yes' or 'no'" : null;
    case 'str':
    case 'strnull':
      return checkString(spec.name, v);
    case 'enum': {
      if (args.length === 0 || (!spec.multi && args.length !== 1)) return enumError(spec);
      return args.every((a) => enumValueOf(spec, a) !== undefined) ? null : enumError(spec);
    }
    case 'int':
    case 'mem':
    case 'mempct':
    case 'octal': {
      const r = parseNumeric(spec, v);
      return r.ok ? null : r.error;
    }
    case 'special':
      if (spec.name === 'save') return checkSave(args);
      if (spec.name === 'latency-tracking-info-percentiles') {
        const r = parsePercentiles(args);
        return r.ok ? null : r.error;
      }
      if (spec.name === 'bind' && args.length > 16) return 'Too many bind addresses specified.';
      if (spec.name === 'replicaof') {
        if (args.length !== 2) return 'wrong number of arguments';
        if (args[0]!.toLowerCase() !== 'no' || args[1]!.toLowerCase() !== 'one') {
          const port = string2ll(args[1]!);
          if (port === null || port < 0n || port > 65535n) return 'Invalid master port';
        }
      }
      return null;
  }
}

/**
 * The value part CONFIG REWRITE writes for a directive of this kind, given the arguments
 * it was last set with. `null` = the option is unset (its lines disappear); `undefined` =
 * not rewritten by this module (the original lines stay as they are).
 */
export function formatStandardValue(
  spec: StandardConfigSpec,
  args: readonly string[],
): string | null | undefined {
  const v = args[0] ?? '';
  switch (spec.kind) {
    case 'bool':
      return yesnotoi(v) === 1 ? 'yes' : 'no';
    case 'str':
      return quoteRepr(v);
    case 'strnull':
      return v === '' ? null : quoteRepr(v);
    case 'enum': {
      if (spec.multi) return undefined;
      const val = enumValueOf(spec, v);
      return spec.enumValues?.find(([, n]) => n === val)?.[0];
    }
    case 'int':
    case 'octal':
    case 'mem':
    case 'mempct': {
      const r = parseNumeric(spec, v);
      if (!r.ok) return undefined;
      if (spec.kind === 'mempct' && r.value < 0n) return `${-r.value}%`;
      if (spec.kind === 'mem' || spec.kind === 'mempct') return formatMemory(r.value);
      if (spec.kind === 'octal') return BigInt.asUintN(64, r.value).toString(8);
      return r.value.toString();
    }
    case 'special':
      return undefined;
  }
}
