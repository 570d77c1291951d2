/**
 * dir, notify-keyspace-events, bind and replicaof.
 */
import { strtoll } from './cnum.ts';
import { resolvePath } from './paths.ts';
import type { SpecialHandler } from './special-types.ts';
import { quoteRepr } from './tokenizer.ts';
import type { ReplicaOf } from './types.ts';

/** `dir` is the process's working directory: relative paths resolve against the previous one. */
export const dirHandler: SpecialHandler<string> = {
  init: (cwd) => cwd,
  set(args, prev, ctx) {
    if (args.length !== 1) return { ok: false, error: 'wrong number of arguments' };
    const arg = args[0]!;
    if (arg === '') return { ok: false, error: 'No such file or directory' };
    const next = resolvePath(prev, arg);
    const error = ctx.checkDir?.(next) ?? null;
    if (error !== null) return { ok: false, error };
    return { ok: true, value: next, changed: true };
  },
  get: (v) => v,
  rewrite: (state, name, v) => state.rewriteLine(name, `${name} ${quoteRepr(v)}`, true),
  clone: (v) => v,
};

/* Keyspace notification classes (flags as in Redis). */
export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
export const NOTIFY_KEY_MISS = 1 << 11; // m
export const NOTIFY_MODULE = 1 << 13; // d
export const NOTIFY_NEW = 1 << 14; // n
export const NOTIFY_ALL =
  NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET |
  NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

const CLASS_FLAGS: Record<string, number> = {
  A: NOTIFY_ALL, g: NOTIFY_GENERIC, $: NOTIFY_STRING, l: NOTIFY_LIST, s: NOTIFY_SET,
  h: NOTIFY_HASH, z: NOTIFY_ZSET, x: NOTIFY_EXPIRED, e: NOTIFY_EVICTED, K: NOTIFY_KEYSPACE,
  E: NOTIFY_KEYEVENT, t: NOTIFY_STREAM, m: NOTIFY_KEY_MISS, d: NOTIFY_MODULE, n: NOTIFY_NEW,
};

/** Flags of a class string such as "KEA", or -1 for an unknown character. */
export function keyspaceEventsFlags(classes: string): number {
  let flags = 0;
  for (const ch of classes) {
    const f = CLASS_FLAGS[ch];
    if (f === undefined) return -1;
    flags |= f;
  }
  return flags;
}

/** The canonical class string of a flag set (as CONFIG GET shows it). */
export function keyspaceEventsString(flags: number): string {
  let out = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) out += 'A';
  else {
    const order: [number, string][] = [
      [NOTIFY_GENERIC, 'g'], [NOTIFY_STRING, '$'], [NOTIFY_LIST, 'l'], [NOTIFY_SET, 's'],
      [NOTIFY_HASH, 'h'], [NOTIFY_ZSET, 'z'], [NOTIFY_EXPIRED, 'x'], [NOTIFY_EVICTED, 'e'],
      [NOTIFY_STREAM, 't'], [NOTIFY_MODULE, 'd'], [NOTIFY_NEW, 'n'],
    ];
    for (const [f, c] of order) if (flags & f) out += c;
  }
  if (flags & NOTIFY_KEYSPACE) out += 'K';
  if (flags & NOTIFY_KEYEVENT) out += 'E';
  if (flags & NOTIFY_KEY_MISS) out += 'm';
  return out;
}

export const notifyKeyspaceEventsHandler: SpecialHandler<number> = {
  init: () => 0,
  set(args) {
    if (args.length !== 1) return { ok: false, error: 'wrong number of arguments' };
    const flags = keyspaceEventsFlags(args[0]!);
    if (flags === -1) return { ok: false, error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
    return { ok: true, value: flags, changed: true };
  },
  get: keyspaceEventsString,
  rewrite: (state, name, v) => state.rewriteLine(name, `${name} ${quoteRepr(keyspaceEventsString(v))}`, v !== 0),
  clone: (v) => v,
};

export const DEFAULT_BIND: readonly string[] = ['*', '-::*'];
const BIND_MAX = 16;

export const bindHandler: SpecialHandler<string[]> = {
  init: () => [...DEFAULT_BIND],
  set(args) {
    if (args.length > BIND_MAX) return { ok: false, error: 'Too many bind addresses specified.' };
    const addrs = args.length === 1 && args[0] === '' ? [] : [...args];
    return { ok: true, value: addrs, changed: true };
  },
  get: (v) => v.join(' '),
  rewrite(state, name, v) {
    const isDefault = v.length === DEFAULT_BIND.length && v.every((a, i) => a === DEFAULT_BIND[i]);
    if (isDefault) {
      state.markProcessed(name);
      return;
    }
    state.rewriteLine(name, `${name} ${v.length ? v.join(' ') : '""'}`, true);
  },
  clone: (v) => [...v],
};

export const replicaOfHandler: SpecialHandler<ReplicaOf | null> = {
  init: () => null,
  set(args) {
    if (args.length !== 2) return { ok: false, error: 'wrong number of arguments' };
    const [host, port] = args as [string, string];
    if (host.toLowerCase() === 'no' && port.toLowerCase() === 'one') return { ok: true, value: null, changed: true };
    const r = strtoll(port);
    if (r.value < 0n || r.value > 65535n || r.rest !== '') return { ok: false, error: 'Invalid master port' };
    return { ok: true, value: { host, port: Number(r.value) }, changed: true };
  },
  get: (v) => (v ? `${v.host} ${v.port}` : ''),
  rewrite(state, name, v) {
    if (v === null) {
      state.markProcessed(name);
      return;
    }
    state.rewriteLine(name, `${name} ${v.host} ${v.port}`, true);
  },
  clone: (v) => (v ? { ...v } : null),
};
