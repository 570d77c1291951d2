// List commands (t_list.c of Redis 7.0.15): push/pop, ranges, LPOS, LMOVE, LMPOP and the blocking variants.
import { NOTIFY_GENERIC, NOTIFY_LIST, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import { EMPTY_ARRAY, NIL, NIL_ARRAY, OK, ZERO, arr, bulk, bulks, err, int, type Resp } from '../../net/resp.ts';
import type { Db } from '../keyspace/keyspace.ts';
import {
  indexOf,
  lposSearch,
  normaliseRange,
  popRange,
  pushAll,
  removeMatches,
  trim,
  type ListEnd,
} from '../keyspace/quicklist.ts';
import { specBuilder, type CommandContext, type CommandFlag, type CommandSpec } from './context.ts';
import { ldCeilMillis } from './hashes.ts';
import { ERR_NOT_INT, ERR_SYNTAX, ERR_WRONGTYPE, parseLong, parseLongDouble } from './util.ts';

const WRONGTYPE: Resp = err(ERR_WRONGTYPE);
const SYNTAX_ERR: Resp = err(ERR_SYNTAX);
const NOT_INT: Resp = err(ERR_NOT_INT);

/** An option keyword as strcasecmp sees it: the C string up to the first NUL, ASCII case folded. */
const kw = (s: string): string => (s.includes('\0') ? s.slice(0, s.indexOf('\0')) : s).toLowerCase();

type ListValue = { type: 'list'; v: string[] };

const popEvent = (where: ListEnd): string => (where === 'left' ? 'lpop' : 'rpop');
const pushEvent = (where: ListEnd): string => (where === 'left' ? 'lpush' : 'rpush');

/** Look up a list: undefined when absent, 'wrong' for another type. */
export function getList(ctx: CommandContext, key: string, write: boolean): ListValue | undefined | 'wrong' {
  const o = write ? ctx.db.lookupWrite(key) : ctx.db.lookupRead(key);
  if (o === undefined) return undefined;
  return o.type === 'list' ? o : 'wrong';
}

/** After elements were removed: the keyspace event, then delete an emptied key ("del") or refresh its
 *  size; touch and dirty (listElementsRemoved). */
export function listChanged(ctx: CommandContext, key: string, list: ListValue, removed: number, event: string): void {
  notifyKeyspaceEvent(ctx, NOTIFY_LIST, event, key);
  if (list.v.length === 0) {
    ctx.db.remove(key);
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
  } else ctx.db.resize(key);
  ctx.touch(key);
  if (removed > 0) ctx.dirty(removed);
}

/** Push onto `key`, creating the list; the caller has checked the type. */
export function pushTo(db: Db, key: string, existing: ListValue | undefined, where: ListEnd, elements: string[]): ListValue {
  if (existing) {
    pushAll(existing.v, where, elements);
    db.resize(key);
    return existing;
  }
  const created: ListValue = { type: 'list', v: [] };
  pushAll(created.v, where, elements);
  db.set(key, created);
  return created;
}

/** LPOP/RPOP with a count reply shape: the popped range as an array. */
export function popCountReply(ctx: CommandContext, key: string, list: ListValue, where: ListEnd, count: number): Resp {
  const popped = popRange(list.v, where, count);
  listChanged(ctx, key, list, popped.length, popEvent(where));
  return bulks(popped);
}

/** LMOVE core shared with BLMOVE: src exists and is a non-empty list. Returns the reply. */
export function moveElement(ctx: CommandContext, src: string, list: ListValue, dst: string, from: ListEnd, to: ListEnd): Resp {
  const d = getList(ctx, dst, true);
  if (d === 'wrong') return WRONGTYPE;
  const value = popRange(list.v, from, 1)[0]!;
  // Pushing before the emptiness check makes LMOVE k k on a one-element list a no-op rotation.
  pushTo(ctx.db, dst, dst === src ? list : d, to, [value]);
  ctx.touch(dst);
  notifyKeyspaceEvent(ctx, NOTIFY_LIST, pushEvent(to), dst);
  if (dst !== src) listChanged(ctx, src, list, 1, popEvent(from));
  else {
    notifyKeyspaceEvent(ctx, NOTIFY_LIST, popEvent(from), src);
    ctx.dirty();
  }
  return bulk(value);
}

/** LMPOP numkeys key... LEFT|RIGHT [COUNT n] parsing (shared with BLMPOP). */
export function parseMpop(argv: string[], numkeysIdx: number): { keys: string[]; where: ListEnd; count: number } | Resp {
  const numkeys = parseLong(argv[numkeysIdx]!);
  if (numkeys === null || numkeys < 1) return err('ERR numkeys should be greater than 0');
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) return SYNTAX_ERR;
  const where = parseEnd(argv[whereIdx]!);
  if (where === null) return SYNTAX_ERR;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (count === -1 && kw(argv[j]!) === 'count' && moreargs) {
      const c = parseLong(argv[++j]!);
      if (c === null || c < 1) return err('ERR count should be greater than 0');
      count = c;
    } else return SYNTAX_ERR;
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), where, count: count === -1 ? 1 : count };
}

/** Pop from the first non-empty list among keys; [key, [elements]] and propagate as [LR]POP key n. */
export function mpopFrom(ctx: CommandContext, keys: string[], where: ListEnd, count: number, skipWrong: boolean): Resp | undefined {
  for (const key of keys) {
    const l = getList(ctx, key, true);
    if (l === undefined) continue;
    if (l === 'wrong') {
      if (skipWrong) continue;
      return WRONGTYPE;
    }
    const n = Math.min(count, l.v.length);
    ctx.propagate([where === 'left' ? 'LPOP' : 'RPOP', key, String(n)]);
    return arr([bulk(key), popCountReply(ctx, key, l, where, count)]);
  }
  return undefined;
}

const push =
  (where: ListEnd, xx: boolean) =>
  (ctx: CommandContext): Resp => {
    const key = ctx.argv[1]!;
    const l = getList(ctx, key, true);
    if (l === 'wrong') return WRONGTYPE;
    if (l === undefined && xx) return ZERO;
    const elements = ctx.argv.slice(2);
    const list = pushTo(ctx.db, key, l, where, elements);
    ctx.touch(key);
    notifyKeyspaceEvent(ctx, NOTIFY_LIST, pushEvent(where), key);
    ctx.dirty(elements.length);
    return int(list.v.length);
  };

const pop =
  (where: ListEnd) =>
  (ctx: CommandContext): Resp => {
    const { argv } = ctx;
    if (argv.length > 3) return err(`ERR wrong number of arguments for '${argv[0]!.toLowerCase()}' command`);
    const hasCount = argv.length === 3;
    let count = 0;
    if (hasCount) {
      const c = parseLong(argv[2]!);
      if (c === null || c < 0) return err('ERR value is out of range, must be positive');
      count = c;
    }
    const key = argv[1]!;
    const l = getList(ctx, key, true);
    if (l === undefined) return hasCount ? NIL_ARRAY : NIL;
    if (l === 'wrong') return WRONGTYPE;
    if (hasCount && count === 0) return EMPTY_ARRAY;
    if (!hasCount) {
      const v = popRange(l.v, where, 1)[0]!;
      listChanged(ctx, key, l, 1, popEvent(where));
      return bulk(v);
    }
    return popCountReply(ctx, key, l, where, count);
  };

function llen(ctx: CommandContext): Resp {
  const l = getList(ctx, ctx.argv[1]!, false);
  if (l === 'wrong') return WRONGTYPE;
  return int(l ? l.v.length : 0);
}

function lindex(ctx: CommandContext): Resp {
  const l = getList(ctx, ctx.argv[1]!, false);
  if (l === undefined) return NIL;
  if (l === 'wrong') return WRONGTYPE;
  const index = parseLong(ctx.argv[2]!);
  if (index === null) return NOT_INT;
  const i = indexOf(l.v.length, index);
  return i === undefined ? NIL : bulk(l.v[i]!);
}

function lrange(ctx: CommandContext): Resp {
  const start = parseLong(ctx.argv[2]!);
  const end = parseLong(ctx.argv[3]!);
  if (start === null || end === null) return NOT_INT;
  const l = getList(ctx, ctx.argv[1]!, false);
  if (l === undefined) return EMPTY_ARRAY;
  if (l === 'wrong') return WRONGTYPE;
  const r = normaliseRange(l.v.length, start, end);
  return r ? bulks(l.v.slice(r[0], r[1] + 1)) : EMPTY_ARRAY;
}

function lset(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const l = getList(ctx, key, true);
  if (l === undefined) return err('ERR no such key');
  if (l === 'wrong') return WRONGTYPE;
  const index = parseLong(ctx.argv[2]!);
  if (index === null) return NOT_INT;
  const i = indexOf(l.v.length, index);
  if (i === undefined) return err('ERR index out of range');
  l.v[i] = ctx.argv[3]!;
  ctx.db.resize(key);
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_LIST, 'lset', key);
  ctx.dirty();
  return OK;
}

function ltrim(ctx: CommandContext): Resp {
  const start = parseLong(ctx.argv[2]!);
  const end = parseLong(ctx.argv[3]!);
  if (start === null || end === null) return NOT_INT;
  const key = ctx.argv[1]!;
  const l = getList(ctx, key, true);
  if (l === undefined) return OK;
  if (l === 'wrong') return WRONGTYPE;
  // Redis signals the key even when nothing was trimmed, but only dirties by the removed count.
  listChanged(ctx, key, l, trim(l.v, start, end), 'ltrim');
  return OK;
}

function lrem(ctx: CommandContext): Resp {
  const count = parseLong(ctx.argv[2]!);
  if (count === null) return NOT_INT;
  const key = ctx.argv[1]!;
  const l = getList(ctx, key, true);
  if (l === undefined) return ZERO;
  if (l === 'wrong') return WRONGTYPE;
  const removed = removeMatches(l.v, count, ctx.argv[3]!);
  if (removed > 0) listChanged(ctx, key, l, removed, 'lrem');
  return int(removed);
}

function linsert(ctx: CommandContext): Resp {
  const pos = kw(ctx.argv[2]!);
  if (pos !== 'before' && pos !== 'after') return SYNTAX_ERR;
  const key = ctx.argv[1]!;
  const l = getList(ctx, key, true);
  if (l === undefined) return ZERO;
  if (l === 'wrong') return WRONGTYPE;
  const at = l.v.indexOf(ctx.argv[3]!);
  if (at < 0) return int(-1);
  l.v.splice(pos === 'after' ? at + 1 : at, 0, ctx.argv[4]!);
  ctx.db.resize(key);
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_LIST, 'linsert', key);
  ctx.dirty();
  return int(l.v.length);
}

const LONG_MIN = '-9223372036854775808';

function lpos(ctx: CommandContext): Resp {
  const { argv } = ctx;
  let rank: number | 'minRank' = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = kw(argv[j]!);
    const moreargs = argv.length - 1 - j > 0;
    if (opt === 'rank' && moreargs) {
      const s = argv[++j]!;
      const r = parseLong(s);
      if (r === null) return NOT_INT;
      if (r === 0)
        return err(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
      rank = s === LONG_MIN ? 'minRank' : r;
    } else if (opt === 'count' && moreargs) {
      const c = parseLong(argv[++j]!);
      if (c === null || c < 0) return err("ERR COUNT can't be negative");
      count = c;
    } else if (opt === 'maxlen' && moreargs) {
      const m = parseLong(argv[++j]!);
      if (m === null || m < 0) return err("ERR MAXLEN can't be negative");
      maxlen = m;
    } else return SYNTAX_ERR;
  }
  const l = getList(ctx, argv[1]!, false);
  if (l === undefined) return count !== -1 ? EMPTY_ARRAY : NIL;
  if (l === 'wrong') return WRONGTYPE;
  const found = lposSearch(l.v, argv[2]!, { rank, count, maxlen });
  if (count !== -1) return arr(found.map((i) => int(i)));
  return found.length ? int(found[0]!) : NIL;
}

function lmove(ctx: CommandContext): Resp {
  const from = parseEnd(ctx.argv[3]!);
  const to = parseEnd(ctx.argv[4]!);
  if (from === null || to === null) return SYNTAX_ERR;
  return lmoveGeneric(ctx, from, to);
}

/** LMOVE/RPOPLPUSH once the directions are known. */
export function lmoveGeneric(ctx: CommandContext, from: ListEnd, to: ListEnd): Resp {
  const src = ctx.argv[1]!;
  const l = getList(ctx, src, true);
  if (l === undefined) return NIL;
  if (l === 'wrong') return WRONGTYPE;
  return moveElement(ctx, src, l, ctx.argv[2]!, from, to);
}

function lmpop(ctx: CommandContext): Resp {
  const p = parseMpop(ctx.argv, 1);
  if (!('keys' in p)) return p;
  return mpopFrom(ctx, p.keys, p.where, p.count, false) ?? NIL_ARRAY;
}


// ---- Blocking variants (blockingPopGenericCommand / blmoveGenericCommand) ----

/** LEFT|RIGHT (any case). */
function parseEnd(s: string): ListEnd | null {
  const l = kw(s);
  return l === 'left' || l === 'right' ? l : null;
}

/** Blocking timeout in seconds (string2ld, then ceil of ms); returns relative ms, 0 = forever. */
function parseTimeout(s: string): number | Resp {
  const f = parseLongDouble(s);
  if (f === null) return err('ERR timeout is not a float or out of range');
  const ms = ldCeilMillis(f);
  // Out-of-range long double -> long long conversion yields LLONG_MIN on x86-64: "negative".
  if (ms === null || ms < 0n || ms >= 2n ** 63n) return err('ERR timeout is negative');
  return Number(ms);
}

const deadline = (ctx: CommandContext, ms: number): number => (ms > 0 ? ctx.now() + ms : 0);

/** Pop one element from the first non-empty list (BLPOP/BRPOP), propagated as [LR]POP key. */
function popFirst(ctx: CommandContext, keys: string[], where: ListEnd, skipWrong: boolean): Resp | undefined {
  for (const key of keys) {
    const l = getList(ctx, key, true);
    if (l === undefined) continue;
    if (l === 'wrong') {
      // A woken client ignores keys of another type and stays blocked (serveClientsBlockedOnListKey).
      if (skipWrong) continue;
      return WRONGTYPE;
    }
    const v = popRange(l.v, where, 1)[0]!;
    listChanged(ctx, key, l, 1, popEvent(where));
    ctx.propagate([where === 'left' ? 'LPOP' : 'RPOP', key]);
    return bulks([key, v]);
  }
  return undefined;
}

const bpop =
  (where: ListEnd) =>
  (ctx: CommandContext): Resp | undefined => {
    const { argv } = ctx;
    const keys = argv.slice(1, -1);
    const t = parseTimeout(argv[argv.length - 1]!);
    if (typeof t !== 'number') return t;
    const now = popFirst(ctx, keys, where, false);
    if (now) return now;
    if (ctx.inTransaction) return NIL_ARRAY;
    ctx.block({
      keys: [...new Set(keys)],
      deadlineMs: deadline(ctx, t),
      retry: (c) => popFirst(c, keys, where, true),
      timeoutReply: NIL_ARRAY,
    });
    return undefined;
  };

/** Serve a blocked BLMOVE/BRPOPLPUSH; propagated as LMOVE src dst left|right left|right or RPOPLPUSH. */
function serveMove(ctx: CommandContext, src: string, dst: string, from: ListEnd, to: ListEnd, rpoplpush: boolean): Resp | undefined {
  const l = getList(ctx, src, true);
  if (l === undefined || l === 'wrong') return undefined;
  const r = moveElement(ctx, src, l, dst, from, to);
  if (r.t !== 'error') ctx.propagate(rpoplpush ? ['RPOPLPUSH', src, dst] : ['LMOVE', src, dst, from, to]);
  return r;
}

function blmoveGeneric(ctx: CommandContext, from: ListEnd, to: ListEnd, ms: number, rpoplpush: boolean): Resp | undefined {
  const [, src, dst] = ctx.argv as [string, string, string];
  const l = getList(ctx, src, true);
  if (l === 'wrong') return WRONGTYPE;
  if (l !== undefined) {
    const r = moveElement(ctx, src, l, dst, from, to);
    if (r.t !== 'error') ctx.propagate(rpoplpush ? ['RPOPLPUSH', src, dst] : ['LMOVE', src, dst, ctx.argv[3]!, ctx.argv[4]!]);
    return r;
  }
  // Not allowed to block (MULTI): answers a null bulk at once, while a real time-out answers a null array.
  if (ctx.inTransaction) return NIL;
  ctx.block({
    keys: [src],
    deadlineMs: deadline(ctx, ms),
    retry: (c) => serveMove(c, src, dst, from, to, rpoplpush),
    timeoutReply: NIL_ARRAY,
  });
  return undefined;
}

function blmove(ctx: CommandContext): Resp | undefined {
  const from = parseEnd(ctx.argv[3]!);
  const to = parseEnd(ctx.argv[4]!);
  if (from === null || to === null) return SYNTAX_ERR;
  const t = parseTimeout(ctx.argv[5]!);
  if (typeof t !== 'number') return t;
  return blmoveGeneric(ctx, from, to, t, false);
}

function brpoplpush(ctx: CommandContext): Resp | undefined {
  const t = parseTimeout(ctx.argv[3]!);
  if (typeof t !== 'number') return t;
  return blmoveGeneric(ctx, 'right', 'left', t, true);
}

function blmpop(ctx: CommandContext): Resp | undefined {
  const p = parseMpop(ctx.argv, 2);
  if (!('keys' in p)) return p;
  const t = parseTimeout(ctx.argv[1]!);
  if (typeof t !== 'number') return t;
  const now = mpopFrom(ctx, p.keys, p.where, p.count, false);
  if (now) return now;
  if (ctx.inTransaction) return NIL_ARRAY;
  ctx.block({
    keys: [...new Set(p.keys)],
    deadlineMs: deadline(ctx, t),
    retry: (c) => mpopFrom(c, p.keys, p.where, p.count, true),
    timeoutReply: NIL_ARRAY,
  });
  return undefined;
}

// ---- Command table ----

const spec = specBuilder('list');

const K1: [number, number, number] = [1, 1, 1];
const K12: [number, number, number] = [1, 2, 1];
const W: CommandFlag[] = ['write', 'denyoom', 'fast'];
const B: CommandFlag[] = ['write', 'noscript', 'blocking'];
const BD: CommandFlag[] = ['write', 'denyoom', 'noscript', 'blocking'];

export const listCommands: CommandSpec[] = [
  spec('lpush', -3, W, K1, '1.0.0', 'Prepend one or multiple elements to a list', push('left', false)),
  spec('rpush', -3, W, K1, '1.0.0', 'Append one or multiple elements to a list', push('right', false)),
  spec('lpushx', -3, W, K1, '2.2.0', 'Prepend an element to a list, only if the list exists', push('left', true)),
  spec('rpushx', -3, W, K1, '2.2.0', 'Append an element to a list, only if the list exists', push('right', true)),
  spec('lpop', -2, ['write', 'fast'], K1, '1.0.0', 'Remove and get the first elements in a list', pop('left')),
  spec('rpop', -2, ['write', 'fast'], K1, '1.0.0', 'Remove and get the last elements in a list', pop('right')),
  spec('llen', 2, ['readonly', 'fast'], K1, '1.0.0', 'Get the length of a list', llen),
  spec('lindex', 3, ['readonly'], K1, '1.0.0', 'Get an element from a list by its index', lindex),
  spec('lrange', 4, ['readonly'], K1, '1.0.0', 'Get a range of elements from a list', lrange),
  spec('lset', 4, ['write', 'denyoom'], K1, '1.0.0', 'Set the value of an element in a list by its index', lset),
  spec('ltrim', 4, ['write'], K1, '1.0.0', 'Trim a list to the specified range', ltrim),
  spec('lrem', 4, ['write'], K1, '1.0.0', 'Remove elements from a list', lrem),
  spec('linsert', 5, ['write', 'denyoom'], K1, '2.2.0', 'Insert an element before or after another element in a list', linsert),
  spec('lpos', -3, ['readonly'], K1, '6.0.6', 'Return the index of matching elements on a list', lpos),
  spec('lmove', 5, ['write', 'denyoom'], K12, '6.2.0', 'Pop an element from a list, push it to another list and return it', lmove),
  spec('rpoplpush', 3, ['write', 'denyoom'], K12, '1.2.0', 'Remove the last element in a list, prepend it to another list and return it', (ctx) =>
    lmoveGeneric(ctx, 'right', 'left'),
  ),
  spec('lmpop', -4, ['write'], [0, 0, 0], '7.0.0', 'Pop elements from a list', lmpop),
  spec('blpop', -3, B, [1, -2, 1], '2.0.0', 'Remove and get the first element in a list, or block until one is available', bpop('left')),
  spec('brpop', -3, B, [1, -2, 1], '2.0.0', 'Remove and get the last element in a list, or block until one is available', bpop('right')),
  spec('blmove', 6, BD, K12, '6.2.0', 'Pop an element from a list, push it to another list and return it; or block until one is available', blmove),
  spec('brpoplpush', 4, BD, K12, '2.2.0', 'Pop an element from a list, push it to another list and return it; or block until one is available', brpoplpush),
  spec('blmpop', -5, ['write', 'blocking'], [0, 0, 0], '7.0.0', 'Pop elements from a list, or block until one is available', blmpop),
];
