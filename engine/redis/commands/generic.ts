// Generic keyspace commands (db.c, expire.c, object.c of Redis 7.0.15): DEL, EXPIRE family, TTL,
// KEYS/SCAN, RENAME, MOVE, COPY, SELECT, SWAPDB, FLUSH*, OBJECT ...
import { arr, bulk, bulks, err, int, NIL, OK, ONE, simple, ZERO, type Reply, type Resp } from '../../net/resp.ts';
import { evictionSettings, isLfuPolicy, lfuCounter, randomKeyOf } from '../keyspace/evict.ts';
import type { Db } from '../keyspace/keyspace.ts';
import { stringMatch } from '../keyspace/glob.ts';
import { NOTIFY_GENERIC, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import { copyEncoding, objectEncoding } from '../keyspace/memory.ts';
import type { RedisValue } from '../keyspace/values.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './context.ts';
import { isReplicaContext } from './strings.ts';
import {
  cstr,
  errLine,
  ERR_INVALID_CURSOR,
  ERR_NO_SUCH_KEY,
  ERR_NOT_INT,
  ERR_SYNTAX,
  LLONG_MAX,
  LLONG_MIN,
  parseInt32,
  parseInt64,
  parseScanCursor,
  scanStep,
  sortForScan,
} from './util.ts';

const ERR_SAME_OBJECT = 'ERR source and destination objects are the same';
const ERR_DB_RANGE = 'ERR DB index is out of range';

/** lookupKeyReadWithFlags(LOOKUP_NOTOUCH): expiry and hit/miss statistics, but no LRU/LFU update. */
export function lookupNoTouch(db: Db, key: string): RedisValue | undefined {
  if (db.expireIfNeeded(key)) {
    db.ks.stats.misses++;
    return undefined;
  }
  const v = db.peek(key);
  if (v === undefined) db.ks.stats.misses++;
  else db.ks.stats.hits++;
  return v;
}

/** The maxmemory policy: as given to configureEviction, else the running server's config. */
function policyOf(ctx: CommandContext): string {
  const p = evictionSettings(ctx.ks).policy;
  if (p !== 'noeviction') return p;
  const server = (ctx as { server?: { conf?: { get?: (k: string) => string } } }).server;
  return server?.conf?.get?.('maxmemory-policy') || p;
}

// ---------------------------------------------------------------- DEL, EXISTS, TYPE, TOUCH

function del(ctx: CommandContext): Resp {
  let n = 0;
  for (let j = 1; j < ctx.argv.length; j++) {
    const key = ctx.argv[j]!;
    ctx.db.expireIfNeeded(key);
    if (ctx.db.remove(key)) {
      ctx.touch(key);
      notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
      ctx.dirty();
      n++;
    }
  }
  return int(n);
}

function exists(ctx: CommandContext): Resp {
  let n = 0;
  for (let j = 1; j < ctx.argv.length; j++) if (lookupNoTouch(ctx.db, ctx.argv[j]!)) n++;
  return int(n);
}

const type = (ctx: CommandContext): Resp => simple(lookupNoTouch(ctx.db, ctx.argv[1]!)?.type ?? 'none');

function touchCmd(ctx: CommandContext): Resp {
  let n = 0;
  for (let j = 1; j < ctx.argv.length; j++) if (ctx.db.lookupRead(ctx.argv[j]!)) n++;
  return int(n);
}

// ---------------------------------------------------------------- expires

/** expireGenericCommand. basetime: now for EXPIRE/PEXPIRE, 0 for the *AT forms. */
function expireGeneric(ctx: CommandContext, relative: boolean, seconds: boolean): Resp {
  const argv = ctx.argv;
  const key = argv[1]!;
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  for (let j = 3; j < argv.length; j++) {
    const o = argv[j]!.toLowerCase();
    if (o === 'nx') nx = true;
    else if (o === 'xx') xx = true;
    else if (o === 'gt') gt = true;
    else if (o === 'lt') lt = true;
    else return errLine(`ERR Unsupported option ${cstr(argv[j]!)}`);
  }
  if (nx && (xx || gt || lt)) return err('ERR NX and XX, GT or LT options at the same time are not compatible');
  if (gt && lt) return err('ERR GT and LT options at the same time are not compatible');
  let when = parseInt64(argv[2]!);
  if (when === null) return err(ERR_NOT_INT);
  const name = argv[0]!.toLowerCase();
  const badTime = err(`ERR invalid expire time in '${name}' command`);
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) return badTime;
    when *= 1000n;
  }
  const base = relative ? BigInt(ctx.now()) : 0n;
  if (when > LLONG_MAX - base) return badTime;
  when += base;
  if (ctx.db.lookupWrite(key) === undefined) return ZERO;
  if (nx || xx || gt || lt) {
    const cur = ctx.db.getExpireExact(key);
    if (nx && cur !== undefined) return ZERO;
    if (xx && cur === undefined) return ZERO;
    if (gt && (cur === undefined || when <= cur)) return ZERO;
    if (lt && cur !== undefined && when >= cur) return ZERO;
  }
  // checkAlreadyExpired: never on replicas nor while loading (AOF / master stream).
  if (when <= BigInt(ctx.now()) && !ctx.fromMaster && !isReplicaContext(ctx)) {
    ctx.db.remove(key);
    ctx.dirty();
    ctx.propagate(['DEL', key]);
    ctx.touch(key);
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
    return ONE;
  }
  ctx.db.setExpire(key, when);
  // Propagated as PEXPIREAT <abs ms> with the same trailing options.
  const out = argv.slice();
  if (name !== 'pexpireat') out[0] = 'PEXPIREAT';
  if (relative || seconds) out[2] = when.toString();
  ctx.propagate(out);
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'expire', key);
  ctx.dirty();
  return ONE;
}

/** An integer reply: a number when a double holds it exactly. */
const toInt = (v: bigint): number | bigint => (v <= 9007199254740991n ? Number(v) : v);

/** ttlGenericCommand: -2 no key, -1 no expiry; TTL rounds (ttl+500)/1000. */
function ttlGeneric(ctx: CommandContext, ms: boolean, abs: boolean): Resp {
  const key = ctx.argv[1]!;
  if (!lookupNoTouch(ctx.db, key)) return int(-2);
  const at = ctx.db.getExpireExact(key);
  if (at === undefined) return int(-1);
  // int64 arithmetic: an expiry may be anywhere up to 2^63-1 ms
  let ttl = abs ? at : at - BigInt(ctx.now());
  if (ttl < 0n) ttl = 0n;
  return int(toInt(ms ? ttl : (ttl + 500n) / 1000n));
}

function persist(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  if (!ctx.db.lookupWrite(key) || !ctx.db.persist(key)) return ZERO;
  notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'persist', key);
  ctx.touch(key);
  ctx.dirty();
  return ONE;
}

// ---------------------------------------------------------------- KEYS, SCAN, RANDOMKEY, DBSIZE

function keys(ctx: CommandContext): Resp {
  const pat = ctx.argv[1]!;
  const all = pat === '*';
  const out: string[] = [];
  for (const k of ctx.db.dict.keys()) if ((all || stringMatch(pat, k)) && !ctx.db.isExpired(k)) out.push(k);
  return bulks(out);
}

/**
 * SCAN's key order: keys sorted by a 32-bit hash, rebuilt when a scan starts (cursor 0). The cursor
 * is "next hash + 1", so every key present for the whole scan is returned (a key added later may
 * or may not be); the order and the cursors are deterministic.
 */
const scanOrders = new WeakMap<Db, { h: number; item: string }[]>();

function scan(ctx: CommandContext): Resp {
  const cursor = parseScanCursor(ctx.argv[1]!);
  if (cursor === null) return err(ERR_INVALID_CURSOR);
  let count = 10;
  let pat: string | null = null;
  let typeName: string | null = null;
  const argv = ctx.argv;
  for (let i = 2; i < argv.length; ) {
    const opt = argv[i]!.toLowerCase();
    const more = argv.length - i;
    if (opt === 'count' && more >= 2) {
      const c = parseInt64(argv[i + 1]!);
      if (c === null) return err(ERR_NOT_INT);
      if (c < 1n) return err(ERR_SYNTAX);
      count = c > 1000000000n ? 1000000000 : Number(c);
      i += 2;
    } else if (opt === 'match' && more >= 2) {
      pat = argv[i + 1] === '*' ? null : argv[i + 1]!;
      i += 2;
    } else if (opt === 'type' && more >= 2) {
      typeName = argv[i + 1]!.toLowerCase();
      i += 2;
    } else return err(ERR_SYNTAX);
  }
  const db = ctx.db;
  let order = scanOrders.get(db);
  if (!order || cursor === 0n) {
    order = sortForScan(db.dict.keys(), (k) => k);
    scanOrders.set(db, order);
  }
  const step = scanStep(order, cursor, count);
  const out: string[] = [];
  for (const k of step.items) {
    if (!db.dict.has(k)) continue;
    if (pat !== null && !stringMatch(pat, k)) continue;
    if (typeName !== null && (lookupNoTouch(db, k)?.type ?? 'none') !== typeName) continue;
    if (db.expireIfNeeded(k)) continue;
    out.push(k);
  }
  if (step.next === 0n) scanOrders.delete(db);
  return arr([bulk(step.next.toString()), bulks(out)]);
}

/** dbRandomKey: skips (and on a master deletes) expired keys; a replica gives up after 100 tries when all keys are volatile. */
function randomkey(ctx: CommandContext): Resp {
  const db = ctx.db;
  let tries = 100;
  const allVolatile = db.dict.size === db.expires.size;
  const replica = isReplicaContext(ctx);
  for (;;) {
    const key = randomKeyOf(db.dict, ctx.rng); // dictGetFairRandomKey, O(1) amortised
    if (key === undefined) return NIL;
    if (db.expires.has(key)) {
      if (allVolatile && replica && --tries === 0) return bulk(key);
      if (db.expireIfNeeded(key)) continue;
    }
    return bulk(key);
  }
}

const dbsize = (ctx: CommandContext): Resp => int(ctx.db.size);

// ---------------------------------------------------------------- FLUSHDB, FLUSHALL, SELECT, SWAPDB

/** getFlushCommandFlags: optional SYNC / ASYNC (both flush at once here). */
function flushArgsOk(argv: readonly string[]): boolean {
  if (argv.length === 1) return true;
  const a = argv[1]!.toLowerCase();
  return argv.length === 2 && (a === 'sync' || a === 'async');
}

function flushdb(ctx: CommandContext): Resp {
  if (!flushArgsOk(ctx.argv)) return err(ERR_SYNTAX);
  const n = ctx.db.size;
  ctx.db.clear();
  ctx.dirty(n);
  ctx.propagate(ctx.argv.slice()); // forceCommandPropagation: even when already empty
  return OK;
}

function flushall(ctx: CommandContext): Resp {
  if (!flushArgsOk(ctx.argv)) return err(ERR_SYNTAX);
  const n = ctx.ks.totalKeys();
  ctx.ks.flushAll();
  ctx.dirty(n);
  ctx.propagate(ctx.argv.slice());
  return OK;
}

/** getIntFromObjectOrReply + selectDb range check against the configured databases. */
function dbIndexArg(ctx: CommandContext, s: string, notInt = ERR_NOT_INT): number | Resp {
  const id = parseInt32(s);
  if (id === null) return err(notInt);
  if (id < 0 || id >= ctx.ks.dbs.length) return err(ERR_DB_RANGE);
  return id;
}

function select(ctx: CommandContext): Resp {
  const id = dbIndexArg(ctx, ctx.argv[1]!);
  if (typeof id !== 'number') return id;
  ctx.client.dbIndex = id;
  return OK;
}

function swapdb(ctx: CommandContext): Resp {
  const a = parseInt32(ctx.argv[1]!);
  if (a === null) return err('ERR invalid first DB index');
  const b = parseInt32(ctx.argv[2]!);
  if (b === null) return err('ERR invalid second DB index');
  const n = ctx.ks.dbs.length;
  if (a < 0 || a >= n || b < 0 || b >= n) return err(ERR_DB_RANGE);
  if (a !== b) {
    const all = new Set([...ctx.ks.db(a).dict.keys(), ...ctx.ks.db(b).dict.keys()]);
    const h = ctx.ks.hooks;
    ctx.ks.swap(a, b); // WATCH: touchAllWatchedKeysInDb both ways (hooks.onDbReplaced)
    // blocked clients: scanDatabaseForReadyKeys on both dbs (without a server: touch, for WATCH too)
    for (const k of all) {
      if (h.onDbReplaced && h.onReady) {
        h.onReady(a, k);
        h.onReady(b, k);
      } else {
        ctx.touch(k, a);
        ctx.touch(k, b);
      }
    }
  }
  ctx.dirty();
  return OK;
}

// ---------------------------------------------------------------- RENAME, MOVE, COPY

/** Move a value with its TTL and LRU/LFU data (the object itself moves in Redis). */
function transfer(src: Db, key: string, dst: Db, newkey: string, v: RedisValue): void {
  const at = src.getExpireExact(key);
  const e = src.entry(key);
  const access = e?.access;
  const freq = e?.freq;
  src.remove(key);
  dst.set(newkey, v);
  if (at !== undefined) dst.setExpire(newkey, at);
  dst.setLruLfu(newkey, access, freq);
}

function renameGeneric(ctx: CommandContext, nx: boolean): Resp {
  const [, src, dst] = ctx.argv as [string, string, string];
  const o = ctx.db.lookupWrite(src);
  if (!o) return err(ERR_NO_SUCH_KEY);
  if (src === dst) return nx ? ZERO : OK;
  if (ctx.db.lookupWrite(dst) !== undefined) {
    if (nx) return ZERO;
    ctx.db.remove(dst);
  }
  transfer(ctx.db, src, ctx.db, dst, o);
  ctx.touch(src);
  ctx.touch(dst);
  notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'rename_from', src);
  notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'rename_to', dst);
  ctx.dirty();
  return nx ? ONE : OK;
}

function move(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const id = dbIndexArg(ctx, ctx.argv[2]!);
  if (typeof id !== 'number') return id;
  const src = ctx.db;
  const dst = ctx.ks.db(id);
  if (src === dst) return err(ERR_SAME_OBJECT);
  const o = src.lookupWrite(key);
  if (!o) return ZERO;
  if (dst.lookupWrite(key) !== undefined) return ZERO;
  transfer(src, key, dst, key, o);
  ctx.touch(key, src.index);
  ctx.touch(key, dst.index);
  notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'move_from', key, src.index);
  notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'move_to', key, dst.index);
  ctx.dirty();
  return ONE;
}

/** COPY's dupStringObject makes a private copy: a copied small integer is not the shared object. */
const unsharedInts = new WeakSet<object>();

function dup(v: RedisValue): RedisValue {
  let c: RedisValue;
  switch (v.type) {
    case 'string':
      c = { type: 'string', v: v.v };
      unsharedInts.add(c);
      break;
    case 'list':
      c = { type: 'list', v: v.v.slice() };
      break;
    case 'hash':
      c = { type: 'hash', v: new Map(v.v) };
      break;
    case 'set':
      c = { type: 'set', v: new Set(v.v) };
      break;
    case 'zset':
      c = { type: 'zset', v: v.v.clone() };
      break;
    case 'stream':
      c = { type: 'stream', v: v.v.clone() };
      break;
  }
  copyEncoding(v, c);
  return c;
}

function copy(ctx: CommandContext): Resp {
  const argv = ctx.argv;
  let dst = ctx.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    if (opt === 'replace') replace = true;
    else if (opt === 'db' && argv.length - j - 1 >= 1) {
      const id = dbIndexArg(ctx, argv[j + 1]!);
      if (typeof id !== 'number') return id;
      dst = ctx.ks.db(id);
      j++;
    } else return err(ERR_SYNTAX);
  }
  const key = argv[1]!;
  const newkey = argv[2]!;
  if (dst === ctx.db && key === newkey) return err(ERR_SAME_OBJECT);
  const o = ctx.db.lookupRead(key);
  if (!o) return ZERO;
  const at = ctx.db.getExpireExact(key);
  if (dst.lookupWrite(newkey) !== undefined) {
    if (!replace) return ZERO;
    dst.remove(newkey);
  }
  dst.set(newkey, dup(o));
  if (at !== undefined) dst.setExpire(newkey, at);
  ctx.touch(newkey, dst.index);
  notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'copy_to', newkey, dst.index);
  ctx.dirty();
  return ONE;
}

// ---------------------------------------------------------------- OBJECT

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

function objectHelp(ctx: CommandContext): Resp {
  const head = `${ctx.argv[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`;
  return arr([head, ...OBJECT_HELP, 'HELP', '    Prints this help.'].map((l) => simple(l)));
}

function objectEncodingCmd(ctx: CommandContext): Resp {
  const o = lookupNoTouch(ctx.db, ctx.argv[2]!);
  return o ? bulk(objectEncoding(o)) : NIL;
}

/** Shared integers 0..9999 (when maxmemory is off or the policy is not LRU/LFU) report INT_MAX. */
function objectRefcount(ctx: CommandContext): Resp {
  const o = lookupNoTouch(ctx.db, ctx.argv[2]!);
  if (!o) return NIL;
  const s = evictionSettings(ctx.ks);
  const sharing = s.maxmemory === 0 || !(isLfuPolicy(s.policy) || s.policy.endsWith('-lru'));
  if (sharing && o.type === 'string' && !unsharedInts.has(o) && objectEncoding(o) === 'int') {
    const n = Number(o.v);
    if (n >= 0 && n < 10000) return int(2147483647);
  }
  return ONE;
}

function objectIdletime(ctx: CommandContext): Resp {
  const key = ctx.argv[2]!;
  const o = lookupNoTouch(ctx.db, key);
  if (!o) return NIL;
  if (isLfuPolicy(policyOf(ctx)))
    return err(
      'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
  const last = ctx.db.lastAccess(key) ?? ctx.now();
  return int(Math.max(0, Math.floor(ctx.now() / 1000) - Math.floor(last / 1000)));
}

function objectFreq(ctx: CommandContext): Resp {
  const key = ctx.argv[2]!;
  const o = lookupNoTouch(ctx.db, key);
  if (!o) return NIL;
  if (!isLfuPolicy(policyOf(ctx)))
    return err(
      'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
  return int(lfuCounter(ctx.db, key));
}

const objectSubcommands: CommandSpec[] = [
  sub('encoding', 3, ['readonly'], '2.2.3', 'Inspect the internal encoding of a Redis object', objectEncodingCmd),
  sub('freq', 3, ['readonly'], '4.0.0', 'Get the logarithmic access frequency counter of a Redis object', objectFreq),
  sub('help', 2, ['loading', 'stale'], '6.2.0', 'Show helpful text about the different subcommands', objectHelp),
  sub('idletime', 3, ['readonly'], '2.2.3', 'Get the time since a Redis object was last accessed', objectIdletime),
  sub('refcount', 3, ['readonly'], '2.2.3', 'Get the number of references to the value of the key', objectRefcount),
];

/** The container's own handler dispatches too (the server resolves subcommands before calling). */
function objectCommand(ctx: CommandContext): Reply {
  const name = ctx.argv[1]!.toLowerCase();
  const s = objectSubcommands.find((x) => x.name === `object|${name}`);
  if (!s) return errLine(`ERR unknown subcommand '${cstr(ctx.argv[1]!).slice(0, 128)}'. Try OBJECT HELP.`);
  if ((s.arity > 0 && ctx.argv.length !== s.arity) || ctx.argv.length < -s.arity)
    return err(`ERR wrong number of arguments for '${s.name}' command`);
  return s.handler(ctx)!;
}

// ---------------------------------------------------------------- table

function sub(name: string, arity: number, flags: CommandFlag[], since: string, summary: string, h: (c: CommandContext) => Resp): CommandSpec {
  const keys = arity === 3 ? 2 : 0;
  return { name: `object|${name}`, arity, flags, firstKey: keys, lastKey: keys, keyStep: keys ? 1 : 0, group: 'generic', summary, since, handler: h };
}

function spec(
  name: string,
  arity: number,
  flags: CommandFlag[],
  keys: [number, number, number],
  group: string,
  since: string,
  summary: string,
  handler: (ctx: CommandContext) => Reply,
): CommandSpec {
  return { name, arity, flags, firstKey: keys[0], lastKey: keys[1], keyStep: keys[2], group, summary, since, handler };
}

const K1: [number, number, number] = [1, 1, 1];
const KALL: [number, number, number] = [1, -1, 1];
const K0: [number, number, number] = [0, 0, 0];
const WF: CommandFlag[] = ['write', 'fast'];
const RF: CommandFlag[] = ['readonly', 'fast'];
const G = 'generic';

export const genericCommands: CommandSpec[] = [
  spec('del', -2, ['write'], KALL, G, '1.0.0', 'Delete a key', del),
  spec('unlink', -2, WF, KALL, G, '4.0.0', 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.', del),
  spec('exists', -2, RF, KALL, G, '1.0.0', 'Determine if a key exists', exists),
  spec('expire', -3, WF, K1, G, '1.0.0', "Set a key's time to live in seconds", (c) => expireGeneric(c, true, true)),
  spec('pexpire', -3, WF, K1, G, '2.6.0', "Set a key's time to live in milliseconds", (c) => expireGeneric(c, true, false)),
  spec('expireat', -3, WF, K1, G, '1.2.0', 'Set the expiration for a key as a UNIX timestamp', (c) => expireGeneric(c, false, true)),
  spec('pexpireat', -3, WF, K1, G, '2.6.0', 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', (c) =>
    expireGeneric(c, false, false),
  ),
  spec('expiretime', 2, RF, K1, G, '7.0.0', 'Get the expiration Unix timestamp for a key', (c) => ttlGeneric(c, false, true)),
  spec('pexpiretime', 2, RF, K1, G, '7.0.0', 'Get the expiration Unix timestamp for a key in milliseconds', (c) => ttlGeneric(c, true, true)),
  spec('ttl', 2, RF, K1, G, '1.0.0', 'Get the time to live for a key in seconds', (c) => ttlGeneric(c, false, false)),
  spec('pttl', 2, RF, K1, G, '2.6.0', 'Get the time to live for a key in milliseconds', (c) => ttlGeneric(c, true, false)),
  spec('persist', 2, WF, K1, G, '2.2.0', 'Remove the expiration from a key', persist),
  spec('type', 2, RF, K1, G, '1.0.0', 'Determine the type stored at key', type),
  spec('keys', 2, ['readonly'], K0, G, '1.0.0', 'Find all keys matching the given pattern', keys),
  spec('scan', -2, ['readonly'], K0, G, '2.8.0', 'Incrementally iterate the keys space', scan),
  spec('rename', 3, ['write'], [1, 2, 1], G, '1.0.0', 'Rename a key', (c) => renameGeneric(c, false)),
  spec('renamenx', 3, WF, [1, 2, 1], G, '1.0.0', 'Rename a key, only if the new key does not exist', (c) => renameGeneric(c, true)),
  spec('randomkey', 1, ['readonly'], K0, G, '1.0.0', 'Return a random key from the keyspace', randomkey),
  spec('dbsize', 1, RF, K0, 'server', '1.0.0', 'Return the number of keys in the selected database', dbsize),
  spec('flushdb', -1, ['write'], K0, 'server', '1.0.0', 'Remove all keys from the current database', flushdb),
  spec('flushall', -1, ['write'], K0, 'server', '1.0.0', 'Remove all keys from all databases', flushall),
  spec('select', 2, ['loading', 'stale', 'fast'], K0, 'connection', '1.0.0', 'Change the selected database for the current connection', select),
  spec('swapdb', 3, WF, K0, 'server', '4.0.0', 'Swaps two Redis databases', swapdb),
  spec('move', 3, WF, K1, G, '1.0.0', 'Move a key to another database', move),
  spec('copy', -3, ['write', 'denyoom'], [1, 2, 1], G, '6.2.0', 'Copy a key', copy),
  spec('touch', -2, RF, KALL, G, '3.2.1', 'Alters the last access time of a key(s). Returns the number of existing keys specified.', touchCmd),
  { ...spec('object', -2, [], K0, G, '2.2.3', 'A container for object introspection commands', objectCommand), subcommands: objectSubcommands },
];
