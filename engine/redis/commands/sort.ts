// SORT / SORT_RO (sort.c sortCommandGeneric of Redis 7.0.15): lists, sets and sorted sets, numeric or
// ALPHA, BY weight patterns (keys or hash fields `->`), GET patterns with `#`, LIMIT, ASC/DESC, STORE.
import { err, int, type Resp } from '../../net/resp.ts';
import { NOTIFY_GENERIC, NOTIFY_LIST, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import type { ZSet } from '../keyspace/zset.ts';
import type { RedisValue } from '../keyspace/values.ts';
import { specBuilder, type CommandContext, type CommandSpec } from './context.ts';
import { pqsort } from './pqsort.ts';
import { hasFullReadKeyAccess } from '../server/acl-host.ts';
import { setMembers } from './sets.ts';
import { ERR_NOT_INT, ERR_SYNTAX, ERR_WRONGTYPE, cstr, parseDouble, parseInt64 } from './util.ts';

interface SortObject {
  obj: string;
  score: number;
  cmpobj: string | null;
}

/** Byte order (memcmp, then length): compareStringObjects. */
const compareBytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** strcoll in the C / C.UTF-8 locale: byte order up to the first NUL. */
const collate = (a: string, b: string): number => compareBytes(cstr(a), cstr(b));

/**
 * lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced by the element,
 * and "->field" after it reads a hash field. null when there is nothing to read.
 */
function lookupByPattern(ctx: CommandContext, pattern: string, subst: string): string | null {
  if (pattern === '#') return subst;
  const pat = cstr(pattern);
  const star = pat.indexOf('*');
  if (star < 0) return null;
  const arrow = pat.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < pat.length;
  const field = hasField ? pattern.slice(arrow + 2) : null;
  const postfixEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, postfixEnd);
  const o: RedisValue | undefined = ctx.db.lookupRead(key);
  if (!o) return null;
  if (field !== null) {
    if (o.type !== 'hash') return null;
    return o.v.get(field) ?? null;
  }
  return o.type === 'string' ? o.v : null;
}

/** strtod as sortCommandGeneric uses it: whole string (up to a NUL), leading spaces ok, "" is 0; ERANGE/NaN fail. */
function sortScore(s: string): number | null {
  const t = cstr(s).replace(/^[ \t\n\v\f\r]+/, '');
  if (t === '') return 0;
  return parseDouble(t);
}

function sortGeneric(ctx: CommandContext, readonly: boolean): Resp {
  const { argv } = ctx;
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const gets: string[] = [];
  const fullKeyAccess = hasFullReadKeyAccess(ctx, readonly ? 'sort_ro' : 'sort');
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j]!.toLowerCase();
    if (a === 'asc') desc = false;
    else if (a === 'desc') desc = true;
    else if (a === 'alpha') alpha = true;
    else if (a === 'limit' && left >= 2) {
      const s = parseInt64(argv[j + 1]!);
      const c = s === null ? null : parseInt64(argv[j + 2]!);
      if (s === null || c === null) return err(ERR_NOT_INT);
      limitStart = Number(s);
      limitCount = Number(c);
      j += 2;
    } else if (!readonly && a === 'store' && left >= 1) storekey = argv[++j]!;
    else if (a === 'by' && left >= 1) {
      sortby = argv[++j]!;
      if (!cstr(sortby).includes('*')) dontsort = true; // a constant BY: nothing to sort
      else if (!fullKeyAccess) return err('ERR BY option of SORT denied due to insufficient ACL permissions.');
    } else if (a === 'get' && left >= 1) {
      if (!fullKeyAccess) return err('ERR GET option of SORT denied due to insufficient ACL permissions.');
      gets.push(argv[++j]!);
    }
    else return err(ERR_SYNTAX);
  }
  const sortval = ctx.db.lookupRead(argv[1]!);
  if (sortval && sortval.type !== 'set' && sortval.type !== 'list' && sortval.type !== 'zset') return err(ERR_WRONGTYPE);
  const type = sortval ? sortval.type : 'list';
  // a set has no order of its own: BY nosort with STORE, or called from a script (CLIENT_SCRIPT), sorts it
  // anyway so that replicas and the script see one order (sortCommandGeneric)
  const fromScript = (ctx.client as { scriptCaller?: unknown }).scriptCaller != null;
  if (dontsort && type === 'set' && (storekey !== null || fromScript)) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  // zsetConvert(sortval, OBJ_ENCODING_SKIPLIST): SORT leaves a sorted set skiplist-encoded
  if (sortval?.type === 'zset') (sortval.v as unknown as { enc: string }).enc = 'skiplist';
  const listv = sortval?.type === 'list' ? sortval.v : [];
  const zset = sortval?.type === 'zset' ? (sortval.v as ZSet) : null;
  let vectorlen = sortval?.type === 'set' ? sortval.v.size : zset ? zset.size : listv.length;
  let start = Math.min(Math.max(limitStart, 0), vectorlen);
  const count = Math.min(Math.max(limitCount, -1), vectorlen);
  let end = count < 0 ? vectorlen - 1 : start + count - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;
  if ((type === 'zset' || type === 'list') && dontsort && (start !== 0 || end !== vectorlen - 1)) vectorlen = end - start + 1;
  const mk = (obj: string): SortObject => ({ obj, score: 0, cmpobj: null });
  let vector: SortObject[] = [];
  if (type === 'list' && dontsort) {
    if (end >= start) {
      const n = listv.length;
      for (let j = 0; j < vectorlen; j++) {
        const i = desc ? n - start - 1 - j : start + j;
        if (i < 0 || i >= n) break;
        vector.push(mk(listv[i]!));
      }
      end -= start;
      start = 0;
    }
  } else if (type === 'list') vector = listv.map(mk);
  else if (type === 'set') vector = setMembers(sortval!.v as Set<string>).map(mk);
  else if (dontsort) {
    const n = zset!.size;
    for (const e of zset!.iterate(desc ? n - 1 - start : start, desc)) {
      if (vector.length >= vectorlen) break;
      vector.push(mk(e.member));
    }
    end -= start;
    start = 0;
  } else vector = [...zset!.members()].map(mk);
  let convError = false;
  if (!dontsort) {
    for (const v of vector) {
      let byval: string | null;
      if (sortby !== null) {
        byval = lookupByPattern(ctx, sortby, v.obj);
        if (byval === null) continue;
      } else byval = v.obj;
      if (alpha) {
        if (sortby !== null) v.cmpobj = byval;
      } else {
        const s = sortScore(byval);
        if (s === null) convError = true;
        else v.score = s;
      }
    }
    const byPattern = sortby !== null;
    const store = storekey !== null;
    const cmp = (a: SortObject, b: SortObject): number => {
      let c: number;
      if (!alpha) c = a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.obj, b.obj);
      else if (byPattern) {
        if (a.cmpobj === null || b.cmpobj === null) c = a.cmpobj === b.cmpobj ? 0 : a.cmpobj === null ? -1 : 1;
        else c = store ? compareBytes(a.cmpobj, b.cmpobj) : collate(a.cmpobj, b.cmpobj);
      } else c = store ? compareBytes(a.obj, b.obj) : collate(a.obj, b.obj);
      return desc ? -c : c;
    };
    if (byPattern && (start !== 0 || end !== vector.length - 1)) pqsort(vector, cmp, start, end);
    else vector.sort(cmp); // glibc qsort: a stable merge sort
  }
  if (convError) return err("ERR One or more scores can't be converted into double");
  const outputlen = gets.length ? gets.length * (end - start + 1) : end - start + 1;
  if (storekey === null) {
    const out: Resp[] = [];
    for (let j = start; j <= end; j++) {
      const obj = vector[j]!.obj;
      if (!gets.length) out.push({ t: 'bulk', v: obj });
      for (const g of gets) out.push({ t: 'bulk', v: lookupByPattern(ctx, g, obj) });
    }
    return { t: 'array', v: out };
  }
  const result: string[] = [];
  for (let j = start; j <= end; j++) {
    const obj = vector[j]!.obj;
    if (!gets.length) result.push(obj);
    for (const g of gets) result.push(lookupByPattern(ctx, g, obj) ?? '');
  }
  if (outputlen > 0) {
    ctx.db.lookupWrite(storekey); // setKey
    ctx.db.set(storekey, { type: 'list', v: result });
    ctx.touch(storekey);
    notifyKeyspaceEvent(ctx, NOTIFY_LIST, 'sortstore', storekey);
    ctx.dirty(outputlen);
  } else if (ctx.db.remove(storekey)) {
    ctx.touch(storekey);
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', storekey);
    ctx.dirty();
  }
  return int(Math.max(outputlen, 0));
}

/** sortGetKeys: the sorted key, and the key of the last STORE (LIMIT, GET and BY arguments skipped). */
function sortGetKeys(argv: readonly string[]): number[] {
  const skip: Record<string, number> = { limit: 2, get: 1, by: 1 };
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if (skip[a] !== undefined) i += skip[a]!;
    else if (a === 'store' && i + 1 < argv.length) store = i + 1;
  }
  return store < 0 ? [1] : [1, store];
}

const spec = specBuilder('generic');

export const sortCommands: CommandSpec[] = [
  {
    ...spec('sort', -2, ['write', 'denyoom'], [1, 1, 1], '1.0.0', 'Sort the elements in a list, set or sorted set', (ctx) => sortGeneric(ctx, false)),
    getKeys: sortGetKeys,
  },
  spec('sort_ro', -2, ['readonly'], [1, 1, 1], '7.0.0', 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.', (ctx) =>
    sortGeneric(ctx, true),
  ),
];
