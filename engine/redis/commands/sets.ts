// Set commands (t_set.c of Redis 7.0.15); SSCAN via scanGenericCommand (db.c).
// Sets are JS Sets (insertion order). Small all-integer sets behave as intsets: ascending order.
import { setGrew } from '../keyspace/memory.ts';
import { NOTIFY_GENERIC, NOTIFY_SET, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import { EMPTY_ARRAY, EMPTY_SET, NIL, ONE, ZERO, arr, bulk, bulks, err, int, set, type Reply, type Resp } from '../../net/resp.ts';
import type { Rng } from '../../sim/rng.ts';
import { specBuilder, type CommandContext, type CommandFlag, type CommandSpec } from './context.ts';
import { NOT_INT, SYNTAX_ERR, WRONGTYPE, matches, parseScanOptions, scanPage } from './sets-scan.ts';
import { ERR_INVALID_CURSOR, LLONG_MAX, isInt64String, parseInt64, parseLong, parseScanCursor } from './util.ts';

export type SetValue = { type: 'set'; v: Set<string> };

/** Default set-max-intset-entries. */
export const SET_MAX_INTSET_ENTRIES = 512;

/** True when Redis would hold these members in an intset (all canonical int64, at most 512). */
export function isIntset(s: Set<string>): boolean {
  if (s.size > SET_MAX_INTSET_ENTRIES) return false;
  for (const m of s) if (!isInt64String(m)) return false;
  return true;
}

/** OBJECT ENCODING of a set in 7.0. */
export const setEncoding = (s: Set<string>): 'intset' | 'hashtable' => (isIntset(s) ? 'intset' : 'hashtable');

/** Iteration order: ascending integers for an intset, insertion order otherwise. */
export function setMembers(s: Set<string>): string[] {
  const a = [...s];
  if (!isIntset(s)) return a;
  return a.sort((x, y) => {
    const d = BigInt(x) - BigInt(y);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  });
}

/** Look up a set: undefined when absent, 'wrong' for another type. */
export function getSet(ctx: CommandContext, key: string, write: boolean): SetValue | undefined | 'wrong' {
  const o = write ? ctx.db.lookupWrite(key) : ctx.db.lookupRead(key);
  if (o === undefined) return undefined;
  return o.type === 'set' ? o : 'wrong';
}

/** After members were removed in place: delete an emptied key or refresh its size. */
function afterRemove(ctx: CommandContext, key: string, s: SetValue): void {
  if (s.v.size === 0) ctx.db.remove(key);
  else ctx.db.resize(key);
}

/** STORE variants: overwrite dst with the result (clearing its TTL), or delete dst when empty. */
export function storeSet(ctx: CommandContext, dst: string, members: Iterable<string>): Resp {
  const v = new Set(members);
  if (v.size > 0) {
    ctx.db.lookupWrite(dst); // setKey: an expired destination is deleted first
    ctx.db.set(dst, { type: 'set', v });
    ctx.touch(dst);
    // sinterstore, sunionstore, sdiffstore
    notifyKeyspaceEvent(ctx, NOTIFY_SET, ctx.argv[0]!.toLowerCase(), dst);
    ctx.dirty();
    return int(v.size);
  }
  if (ctx.db.remove(dst)) {
    ctx.touch(dst);
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', dst);
    ctx.dirty();
  }
  return ZERO;
}

function sadd(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  let s = getSet(ctx, key, true);
  if (s === 'wrong') return WRONGTYPE;
  const created = s === undefined;
  if (!s) s = { type: 'set', v: new Set() };
  const before = s.v.size;
  let added = 0;
  for (const m of ctx.argv.slice(2))
    if (!s.v.has(m)) {
      s.v.add(m);
      added++;
    }
  if (created) ctx.db.set(key, s);
  else {
    if (added) setGrew(s.v, before, ctx.argv, 2);
    ctx.db.resize(key);
  }
  if (added) {
    ctx.touch(key);
    notifyKeyspaceEvent(ctx, NOTIFY_SET, 'sadd', key);
    ctx.dirty(added);
  }
  return int(added);
}

function srem(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const s = getSet(ctx, key, true);
  if (s === undefined) return ZERO;
  if (s === 'wrong') return WRONGTYPE;
  let deleted = 0;
  for (const m of ctx.argv.slice(2)) {
    if (s.v.delete(m)) deleted++;
    if (s.v.size === 0) break;
  }
  if (deleted) {
    afterRemove(ctx, key, s);
    ctx.touch(key);
    notifyKeyspaceEvent(ctx, NOTIFY_SET, 'srem', key);
    if (s.v.size === 0) notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
    ctx.dirty(deleted);
  }
  return int(deleted);
}

function smove(ctx: CommandContext): Resp {
  const [, src, dst, m] = ctx.argv as [string, string, string, string];
  const from = getSet(ctx, src, true);
  const to = getSet(ctx, dst, true);
  if (from === undefined) return ZERO;
  if (from === 'wrong' || to === 'wrong') return WRONGTYPE;
  if (src === dst) return from.v.has(m) ? ONE : ZERO;
  if (!from.v.delete(m)) return ZERO;
  notifyKeyspaceEvent(ctx, NOTIFY_SET, 'srem', src);
  afterRemove(ctx, src, from);
  if (from.v.size === 0) notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', src);
  ctx.touch(src);
  ctx.dirty();
  if (to === undefined) ctx.db.set(dst, { type: 'set', v: new Set([m]) });
  else if (!to.v.has(m)) {
    to.v.add(m);
    ctx.db.resize(dst);
  } else return ONE;
  ctx.dirty();
  ctx.touch(dst);
  notifyKeyspaceEvent(ctx, NOTIFY_SET, 'sadd', dst);
  return ONE;
}

/** Read-only single-key commands answering `missing` when the key is absent. */
const reader =
  (missing: Resp, f: (s: Set<string>, ctx: CommandContext) => Resp) =>
  (ctx: CommandContext): Resp => {
    const s = getSet(ctx, ctx.argv[1]!, false);
    if (s === undefined) return missing;
    if (s === 'wrong') return WRONGTYPE;
    return f(s.v, ctx);
  };

const sismember = reader(ZERO, (s, ctx) => (s.has(ctx.argv[2]!) ? ONE : ZERO));
const scard = reader(ZERO, (s) => int(s.size));

function smismember(ctx: CommandContext): Resp {
  const s = getSet(ctx, ctx.argv[1]!, false);
  if (s === 'wrong') return WRONGTYPE;
  return arr(ctx.argv.slice(2).map((m) => (s?.v.has(m) ? ONE : ZERO)));
}

const randomMember = (members: readonly string[], rng: Rng): string => members[rng.int(0, members.length - 1)]!;

function spop(ctx: CommandContext): Reply {
  const { argv } = ctx;
  const key = argv[1]!;
  if (argv.length > 3) return SYNTAX_ERR;
  if (argv.length === 3) return spopWithCount(ctx, key);
  const s = getSet(ctx, key, true);
  if (s === undefined) return NIL;
  if (s === 'wrong') return WRONGTYPE;
  const m = randomMember([...s.v], ctx.rng);
  s.v.delete(m);
  notifyKeyspaceEvent(ctx, NOTIFY_SET, 'spop', key);
  afterRemove(ctx, key, s);
  if (s.v.size === 0) notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
  ctx.propagate(['SREM', key, m]);
  ctx.touch(key);
  ctx.dirty();
  return bulk(m);
}

/** SPOP key count: propagated as one SREM per member, or as DEL when the whole set goes. */
/** (a set reply: spopWithCountCommand's addReplySetLen / shared.emptyset) */
function spopWithCount(ctx: CommandContext, key: string): Reply {
  const l = parseInt64(ctx.argv[2]!);
  if (l === null || l < 0n) return err('ERR value is out of range, must be positive');
  const s = getSet(ctx, key, true);
  if (s === undefined) return EMPTY_SET;
  if (s === 'wrong') return WRONGTYPE;
  if (l === 0n) return EMPTY_SET;
  const size = s.v.size;
  notifyKeyspaceEvent(ctx, NOTIFY_SET, 'spop', key);
  if (l >= BigInt(size)) {
    const all = setMembers(s.v);
    ctx.db.remove(key);
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
    ctx.propagate(['DEL', key]);
    ctx.touch(key);
    ctx.dirty(size);
    return set(all.map((m) => bulk(m)));
  }
  const count = Number(l);
  const members = setMembers(s.v);
  const remaining = size - count;
  let popped: string[];
  if (remaining * 5 > count) {
    // Case 2: draw `count` random members one by one.
    popped = [];
    const pool = members.slice();
    for (let i = 0; i < count; i++) {
      const j = ctx.rng.int(0, pool.length - 1);
      popped.push(pool[j]!);
      pool[j] = pool[pool.length - 1]!;
      pool.pop();
    }
  } else {
    // Case 3: draw the members that stay; the others are returned in set order.
    const keep = new Set<string>();
    const pool = members.slice();
    for (let i = 0; i < remaining; i++) {
      const j = ctx.rng.int(0, pool.length - 1);
      keep.add(pool[j]!);
      pool[j] = pool[pool.length - 1]!;
      pool.pop();
    }
    popped = members.filter((m) => !keep.has(m));
  }
  for (const m of popped) {
    s.v.delete(m);
    ctx.propagate(['SREM', key, m]);
  }
  ctx.db.resize(key);
  ctx.touch(key);
  ctx.dirty(count);
  return set(popped.map((m) => bulk(m)));
}

const LONG_RANGE_ERR = err('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');

function srandmember(ctx: CommandContext): Resp {
  const { argv } = ctx;
  if (argv.length > 3) return SYNTAX_ERR;
  if (argv.length === 3) {
    const l = parseInt64(argv[2]!);
    if (l === null) return NOT_INT;
    if (l < -LLONG_MAX) return LONG_RANGE_ERR;
    const s = getSet(ctx, argv[1]!, false);
    if (s === undefined) return EMPTY_ARRAY;
    if (s === 'wrong') return WRONGTYPE;
    return randomMembers(s.v, l, ctx.rng);
  }
  const s = getSet(ctx, argv[1]!, false);
  if (s === undefined) return NIL;
  if (s === 'wrong') return WRONGTYPE;
  return bulk(randomMember(setMembers(s.v), ctx.rng));
}

/** srandmemberWithCountCommand's four cases. */
function randomMembers(s: Set<string>, l: bigint, rng: Rng): Resp {
  if (l === 0n) return EMPTY_ARRAY;
  const members = setMembers(s);
  const size = members.length;
  // Case 1: negative count (or 1): independent draws, repetitions allowed.
  if (l < 0n || l === 1n) {
    const n = Number(l < 0n ? -l : l);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(randomMember(members, rng));
    return bulks(out);
  }
  // Case 2: the whole set.
  if (l >= BigInt(size)) return bulks(members);
  const count = Number(l);
  // Case 3: copy everything, then drop random members.
  if (count * 3 > size) {
    const keep = members.slice();
    while (keep.length > count) keep.splice(rng.int(0, keep.length - 1), 1);
    return bulks(keep);
  }
  // Case 4: distinct random draws.
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(randomMember(members, rng));
  return bulks([...chosen]);
}

/** Look up every input set; null members are missing keys. WRONGTYPE on the first other type. */
function lookupSets(ctx: CommandContext, keys: readonly string[]): (Set<string> | null)[] | Resp {
  const sets: (Set<string> | null)[] = [];
  for (const k of keys) {
    const s = getSet(ctx, k, false);
    if (s === 'wrong') return WRONGTYPE;
    sets.push(s ? s.v : null);
  }
  return sets;
}

/** Members of the intersection, in the order of the smallest set; stops after `limit` (0 = none). */
function intersect(sets: (Set<string> | null)[], limit = 0): string[] {
  if (sets.some((s) => s === null)) return [];
  const sorted = (sets as Set<string>[]).slice().sort((a, b) => a.size - b.size);
  const out: string[] = [];
  for (const m of setMembers(sorted[0]!)) {
    if (sorted.every((s) => s.has(m))) {
      out.push(m);
      if (limit && out.length >= limit) break;
    }
  }
  return out;
}

/** Result sets are built as intsets first: order them like the set Redis would build. */
const ordered = (members: Iterable<string>): string[] => setMembers(new Set(members));

function union(sets: (Set<string> | null)[]): string[] {
  const out = new Set<string>();
  for (const s of sets) if (s) for (const m of setMembers(s)) out.add(m);
  return ordered(out);
}

function diff(sets: (Set<string> | null)[]): string[] {
  const first = sets[0];
  if (!first) return [];
  if (sets.slice(1).some((s) => s === first)) return [];
  const others = sets.slice(1);
  return ordered(setMembers(first).filter((m) => !others.some((s) => s?.has(m))));
}

const setOp =
  (op: (sets: (Set<string> | null)[]) => string[], store: boolean) =>
  (ctx: CommandContext): Reply => {
    const keys = ctx.argv.slice(store ? 2 : 1);
    const sets = lookupSets(ctx, keys);
    if (!Array.isArray(sets)) return sets;
    const result = op(sets);
    // SMEMBERS / SINTER / SUNION / SDIFF: a set reply (RESP2: array)
    return store ? storeSet(ctx, ctx.argv[1]!, result) : set(result.map((m) => bulk(m)));
  };

function sintercard(ctx: CommandContext): Resp {
  const { argv } = ctx;
  const numkeys = parseInt64(argv[1]!);
  if (numkeys === null || numkeys < 1n) return err('ERR numkeys should be greater than 0');
  if (numkeys > BigInt(argv.length - 2)) return err("ERR Number of keys can't be greater than number of args");
  const n = Number(numkeys);
  let limit = 0;
  for (let j = 2 + n; j < argv.length; j++) {
    if (argv[j]!.toLowerCase() === 'limit' && j < argv.length - 1) {
      const l = parseLong(argv[++j]!);
      if (l === null || l < 0) return err("ERR LIMIT can't be negative");
      limit = l;
    } else return SYNTAX_ERR;
  }
  const sets = lookupSets(ctx, argv.slice(2, 2 + n));
  if (!Array.isArray(sets)) return sets;
  return int(intersect(sets, limit).length);
}

function sscan(ctx: CommandContext): Resp {
  const { argv } = ctx;
  const cursor = parseScanCursor(argv[2]!);
  if (cursor === null) return err(ERR_INVALID_CURSOR);
  const s = getSet(ctx, argv[1]!, false);
  if (s === undefined) return arr([bulk('0'), EMPTY_ARRAY]);
  if (s === 'wrong') return WRONGTYPE;
  const opts = parseScanOptions(argv);
  if ('t' in opts) return opts;
  // An intset is returned whole, cursor 0.
  if (isIntset(s.v)) return arr([bulk('0'), bulks(setMembers(s.v).filter((m) => matches(opts.pattern, m)))]);
  const page = scanPage(s.v, cursor, opts.count);
  return arr([bulk(String(page.next)), bulks(page.items.filter((m) => matches(opts.pattern, m)))]);
}

const spec = specBuilder('set');

const K1: [number, number, number] = [1, 1, 1];
const KALL: [number, number, number] = [1, -1, 1];
const RF: CommandFlag[] = ['readonly', 'fast'];
const STORE: CommandFlag[] = ['write', 'denyoom'];

export const setCommands: CommandSpec[] = [
  spec('sadd', -3, ['write', 'denyoom', 'fast'], K1, '1.0.0', 'Add one or more members to a set', sadd),
  spec('srem', -3, ['write', 'fast'], K1, '1.0.0', 'Remove one or more members from a set', srem),
  spec('smembers', 2, ['readonly'], K1, '1.0.0', 'Get all the members in a set', setOp(intersect, false)),
  spec('sismember', 3, RF, K1, '1.0.0', 'Determine if a given value is a member of a set', sismember),
  spec('smismember', -3, RF, K1, '6.2.0', 'Returns the membership associated with the given elements for a set', smismember),
  spec('scard', 2, RF, K1, '1.0.0', 'Get the number of members in a set', scard),
  spec('spop', -2, ['write', 'fast'], K1, '1.0.0', 'Remove and return one or multiple random members from a set', spop),
  spec('srandmember', -2, ['readonly'], K1, '1.0.0', 'Get one or multiple random members from a set', srandmember),
  spec('smove', 4, ['write', 'fast'], [1, 2, 1], '1.0.0', 'Move a member from one set to another', smove),
  spec('sinter', -2, ['readonly'], KALL, '1.0.0', 'Intersect multiple sets', setOp(intersect, false)),
  spec('sintercard', -3, ['readonly'], [0, 0, 0], '7.0.0', 'Intersect multiple sets and return the cardinality of the result', sintercard),
  spec('sinterstore', -3, STORE, KALL, '1.0.0', 'Intersect multiple sets and store the resulting set in a key', setOp(intersect, true)),
  spec('sunion', -2, ['readonly'], KALL, '1.0.0', 'Add multiple sets', setOp(union, false)),
  spec('sunionstore', -3, STORE, KALL, '1.0.0', 'Add multiple sets and store the resulting set in a key', setOp(union, true)),
  spec('sdiff', -2, ['readonly'], KALL, '1.0.0', 'Subtract multiple sets', setOp(diff, false)),
  spec('sdiffstore', -3, STORE, KALL, '1.0.0', 'Subtract multiple sets and store the resulting set in a key', setOp(diff, true)),
  spec('sscan', -3, ['readonly'], K1, '2.8.0', 'Incrementally iterate Set elements', sscan),
];
