// Lua 5.1's table layout (Redis 7.0.15 deps/lua/src/ltable.c), kept beside each fengari table so that
// what a script can observe of it follows the Lua Redis embeds: the traversal order of next/pairs (and
// so of cjson.encode and cmsgpack.pack) and the border `#t` picks in a table with holes.
// fengari stores a table as a Map in insertion order; this shadow replays 5.1's structure on every
// insertion: an array part, a power-of-two node part whose keys sit at their main position (the
// string hash of deps/lua's lstring.c, the double's two 32-bit words for numbers), collisions chained
// through nodes taken from `lastfree` downwards, and a rehash (array/hash sizes recomputed from the
// integer keys in use) when no free node is left. Values stay in fengari's Map: a slot is "nil" when
// fengari has no value for its key.
// Not modelled: a garbage collection turning a deleted string key into a dead key (5.1 then stops
// finding the old node), and the node 5.1 creates for `t[k] = v` on an absent key of a table whose
// __newindex handles the store. Keys hashed by address in 5.1 (tables, functions, userdata) hash by
// a per-state counter here: real Redis's order for them depends on malloc.
import lobject from 'fengari/src/lobject.js';
import lstring from 'fengari/src/lstring.js';
import ltable from 'fengari/src/ltable.js';
import lstate from 'fengari/src/lstate.js';
import lopcodes from 'fengari/src/lopcodes.js';
import ldebug from 'fengari/src/ldebug.js';
import lvm from 'fengari/src/lvm.js';
import defs from 'fengari/src/defs.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type TValue = any;
type FTable = any;

/** A key as 5.1 places it. */
interface Key51 {
  /** The key as fengari stores it (integral numbers as integers). */
  k: TValue;
  /** Identity of the key in the shadow's index (fengari's table hash for the key). */
  id: unknown;
  /** The unsigned 32-bit hash 5.1 takes the main position from. */
  h: number;
  /** Main position by `h & (size-1)` (strings, booleans) rather than `h % ((size-1)|1)`. */
  pow2: boolean;
  /** The key as an array index (1..2^26), or 0. */
  ai: number;
}

const T = defs.constant_types;
const MAXBITS = 26; // LUAI_BITSINT - 2 with 32-bit ints
const MAXASIZE = 1 << MAXBITS;

/** The 5.1 layout of one table. */
export class Layout51 {
  sizearray = 0;
  /** Node part; empty means 5.1's shared dummy node. */
  keys: (Key51 | null)[] = [];
  next: Int32Array = new Int32Array(0);
  lastfree = 0;
  /** Node index of every key in the node part. */
  where = new Map<unknown, number>();
}

// ---- hashes ----------------------------------------------------------------------------------------

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** hashnum: the two 32-bit halves of the double added (0 and -0 go to node 0). */
function numHash(n: number): number {
  if (n === 0) return 0;
  f64[0] = n;
  return (u32[0]! + u32[1]!) >>> 0;
}

/** luaS_newlstr's hash as Redis's deps/lua has it (every byte, step 1), seeded with the length. */
export function stringHash51(b: Uint8Array): number {
  let h = b.length >>> 0;
  for (let i = b.length; i >= 1; i--) h = (h ^ (((h << 5) >>> 0) + (h >>> 2) + b[i - 1]!)) >>> 0;
  return h;
}

const TRUE_ID = Symbol('true');
const FALSE_ID = Symbol('false');
const objectIds = new WeakMap<object, number>();
const lightIds = new WeakMap<object, object>();

/** A stand-in for an address (5.1 hashes GC objects and light userdata by pointer). */
function addressOf(L: any, v: any): number {
  if (v === null || v === undefined) return 0;
  if (typeof v !== 'object' && typeof v !== 'function') return 0;
  if (v.cNull === true) return 0; // the NULL light userdata (cjson.null)
  if (v instanceof ltable.Table) return v.id >>> 0;
  let id = objectIds.get(v);
  if (id === undefined) {
    const g = L?.l_G;
    id = g ? (g.ptr51 = (g.ptr51 ?? 0) + 1) : 0;
    objectIds.set(v, id!);
  }
  return id! >>> 0;
}

function key51(L: any, key: TValue): Key51 {
  switch (key.type) {
    case T.LUA_TNUMINT:
    case T.LUA_TNUMFLT: {
      const n = key.value;
      const int = (n | 0) === n;
      return { k: new lobject.TValue(int ? T.LUA_TNUMINT : T.LUA_TNUMFLT, n), id: n, h: numHash(n), pow2: false, ai: int && n > 0 && n <= MAXASIZE ? n : 0 };
    }
    case T.LUA_TSHRSTR:
    case T.LUA_TLNGSTR: {
      const ts = key.tsvalue();
      if (ts.h51 === undefined) ts.h51 = stringHash51(ts.getstr());
      return { k: new lobject.TValue(key.type, key.value), id: lstring.luaS_hashlongstr(ts), h: ts.h51, pow2: true, ai: 0 };
    }
    case T.LUA_TBOOLEAN:
      return { k: new lobject.TValue(key.type, key.value), id: key.value ? TRUE_ID : FALSE_ID, h: key.value ? 1 : 0, pow2: true, ai: 0 };
    case T.LUA_TLIGHTUSERDATA: {
      const v = key.value;
      let id: unknown = v;
      if (typeof v === 'object' && v !== null) {
        id = lightIds.get(v);
        if (!id) lightIds.set(v, (id = {}));
      } else id = `*${typeof v}:${String(v)}`;
      return { k: new lobject.TValue(key.type, v), id, h: addressOf(L, v), pow2: false, ai: 0 };
    }
    default:
      return { k: new lobject.TValue(key.type, key.value), id: key.value, h: addressOf(L, key.value), pow2: false, ai: 0 };
  }
}

function intKey(n: number): Key51 {
  return { k: new lobject.TValue(T.LUA_TNUMINT, n), id: n, h: numHash(n), pow2: false, ai: n > 0 && n <= MAXASIZE ? n : 0 };
}

// ---- the layout ------------------------------------------------------------------------------------

/** The original fengari functions (values live there). */
let orig: { get: any; getint: any; setfrom: any; setint: any; next: any; getn: any; newt: any } | null = null;

function liveKey(t: FTable, k: Key51): boolean {
  return !orig!.get(null, t, k.k).ttisnil();
}
function liveIndex(t: FTable, i: number): boolean {
  return !orig!.getint(t, i).ttisnil();
}

function mainPosition(s: Layout51, k: Key51): number {
  const size = s.keys.length;
  if (size === 0) return 0;
  return k.pow2 ? k.h & (size - 1) : k.h % ((size - 1) | 1);
}

function ceilLog2(x: number): number {
  let l = 0;
  while (1 << l < x) l++;
  return l;
}

/** setnodevector */
function setNodeVector(s: Layout51, size: number): void {
  const n = size === 0 ? 0 : 1 << ceilLog2(size);
  s.keys = new Array<Key51 | null>(n).fill(null);
  s.next = new Int32Array(n).fill(-1);
  s.where = new Map();
  s.lastfree = n;
}

export function newLayout(narray: number, nhash: number): Layout51 {
  const s = new Layout51();
  s.sizearray = narray;
  setNodeVector(s, nhash);
  return s;
}

/** getfreepos: free nodes are taken from the end downwards. */
function freePos(s: Layout51): number {
  while (s.lastfree-- > 0) if (s.keys[s.lastfree] === null) return s.lastfree;
  return -1;
}

/** luaH_set's structural half: the key gets a slot (array or node) unless it has one. */
function setKey(t: FTable, s: Layout51, k: Key51): void {
  if (k.ai !== 0 && k.ai <= s.sizearray) return;
  if (s.where.has(k.id)) return;
  newKey(t, s, k);
}

/** newkey */
function newKey(t: FTable, s: Layout51, k: Key51): void {
  let mp = mainPosition(s, k);
  if (s.keys.length === 0 || liveNode(t, s, mp)) {
    const n = freePos(s);
    if (n < 0) {
      rehash(t, s, k);
      setKey(t, s, k);
      return;
    }
    const other = s.keys[mp]!;
    let o = mainPosition(s, other);
    if (o !== mp) {
      // the colliding node is out of its main position: it moves to the free node
      while (s.next[o] !== mp) o = s.next[o]!;
      s.next[o] = n;
      s.keys[n] = other;
      s.next[n] = s.next[mp]!;
      s.where.set(other.id, n);
      s.next[mp] = -1;
    } else {
      s.next[n] = s.next[mp]!;
      s.next[mp] = n;
      mp = n;
    }
  }
  const old = s.keys[mp];
  if (old && s.where.get(old.id) === mp) s.where.delete(old.id);
  s.keys[mp] = k;
  s.where.set(k.id, mp);
}

function liveNode(t: FTable, s: Layout51, i: number): boolean {
  const k = s.keys[i];
  return !!k && liveKey(t, k);
}

/** rehash: new sizes from the integer keys in use (computesizes), then resize. */
function rehash(t: FTable, s: Layout51, extra: Key51): void {
  const nums = new Array<number>(MAXBITS + 1).fill(0);
  let nasize = 0;
  // numusearray
  for (let i = 1; i <= s.sizearray; i++) {
    if (liveIndex(t, i)) {
      nums[ceilLog2(i)]!++;
      nasize++;
    }
  }
  let total = nasize;
  // numusehash
  for (let i = s.keys.length - 1; i >= 0; i--) {
    const k = s.keys[i];
    if (k && liveKey(t, k)) {
      if (k.ai !== 0) {
        nums[ceilLog2(k.ai)]!++;
        nasize++;
      }
      total++;
    }
  }
  if (extra.ai !== 0) {
    nums[ceilLog2(extra.ai)]!++;
    nasize++;
  }
  total++;
  // computesizes
  let a = 0;
  let na = 0;
  let n = 0;
  for (let i = 0, twotoi = 1; twotoi / 2 < nasize; i++, twotoi *= 2) {
    if (nums[i]! > 0) {
      a += nums[i]!;
      if (a > twotoi / 2) {
        n = twotoi;
        na = a;
      }
    }
    if (a === nasize) break;
  }
  resize(t, s, n, total - na);
}

/** resize: vanishing array slots and live nodes (from the last node down) are inserted again. */
function resize(t: FTable, s: Layout51, nasize: number, nhsize: number): void {
  const oldasize = s.sizearray;
  const oldKeys = s.keys;
  if (nasize > oldasize) s.sizearray = nasize;
  setNodeVector(s, nhsize);
  if (nasize < oldasize) {
    s.sizearray = nasize;
    for (let i = nasize + 1; i <= oldasize; i++) if (liveIndex(t, i)) setKey(t, s, intKey(i));
  }
  for (let i = oldKeys.length - 1; i >= 0; i--) {
    const k = oldKeys[i];
    if (k && liveKey(t, k)) setKey(t, s, k);
  }
}

/** luaH_resizearray (OP_SETLIST grows the array part to the list's last index first). */
function resizeArray(t: FTable, s: Layout51, nasize: number): void {
  resize(t, s, nasize, s.keys.length);
}

// ---- traversal and border ----------------------------------------------------------------------------

/** luaH_next: the array part, then the nodes in index order; false at the end. */
function next51(L: any, t: FTable, s: Layout51, keyI: number): boolean {
  const key = L.stack[keyI];
  let i: number; // index of the current key: array slots first, then nodes
  if (key.ttisnil()) i = -1;
  else {
    const k = key51(L, key);
    if (k.ai !== 0 && k.ai <= s.sizearray) i = k.ai - 1;
    else {
      const at = s.where.get(k.id);
      if (at === undefined) {
        ldebug.luaG_runerror(L, defs.to_luastring("invalid key to 'next'"));
        return false;
      }
      i = at + s.sizearray;
    }
  }
  for (i++; i < s.sizearray; i++) {
    const v = orig!.getint(t, i + 1);
    if (!v.ttisnil()) {
      lobject.setobj2s(L, keyI, new lobject.TValue(T.LUA_TNUMINT, i + 1));
      lobject.setobj2s(L, keyI + 1, v);
      return true;
    }
  }
  for (i -= s.sizearray; i < s.keys.length; i++) {
    const k = s.keys[i];
    if (!k) continue;
    const v = orig!.get(L, t, k.k);
    if (!v.ttisnil()) {
      lobject.setobj2s(L, keyI, k.k);
      lobject.setobj2s(L, keyI + 1, v);
      return true;
    }
  }
  return false;
}

/** luaH_getn: a border by binary search in the array part, else past it (unbound_search). */
function getn51(t: FTable, s: Layout51): number {
  let j = s.sizearray;
  if (j > 0 && !liveIndex(t, j)) {
    let i = 0;
    while (j - i > 1) {
      const m = Math.floor((i + j) / 2);
      if (!liveIndex(t, m)) j = m;
      else i = m;
    }
    return i;
  }
  if (s.keys.length === 0) return j;
  let i = j;
  j++;
  while (liveIndex(t, j)) {
    i = j;
    j *= 2;
    if (j > 0x7fffffff) {
      i = 1;
      while (liveIndex(t, i)) i++;
      return i - 1;
    }
  }
  while (j - i > 1) {
    const m = Math.floor((i + j) / 2);
    if (!liveIndex(t, m)) j = m;
    else i = m;
  }
  return i;
}

// ---- installing it in fengari ------------------------------------------------------------------------

/** The threads running Lua code (luaV_execute frames), innermost last: luaH_setint has no lua_State. */
const running: any[] = [];

/** The instruction the running Lua function of L is executing, if L runs Lua code. */
function currentInstruction(L: any, back = 1): any {
  const ci = L?.ci;
  if (!ci || !(ci.callstatus & lstate.CIST_LUA) || !ci.l_code) return null;
  return ci.l_code[ci.l_savedpc - back] ?? null;
}

function fb2int(x: number): number {
  const e = (x >> 3) & 31;
  return e === 0 ? x : ((x & 7) + 8) * 2 ** (e - 1);
}

function inSetList(L: any): boolean {
  const ins = currentInstruction(L);
  if (!ins) return false;
  if (ins.opcode === lopcodes.OpCodesI.OP_SETLIST) return true;
  return ins.opcode === lopcodes.OpCodesI.OP_EXTRAARG && currentInstruction(L, 2)?.opcode === lopcodes.OpCodesI.OP_SETLIST;
}

let installed = false;
/** Patch fengari's table functions (once, before any state exists). */
export function installLua51Tables(): void {
  if (installed) return;
  installed = true;
  orig = {
    get: ltable.luaH_get,
    getint: ltable.luaH_getint,
    setfrom: ltable.luaH_setfrom,
    setint: ltable.luaH_setint,
    next: ltable.luaH_next,
    getn: ltable.luaH_getn,
    newt: ltable.luaH_new,
  };
  const o = orig;
  // OP_NEWTABLE carries the constructor's sizes (luaO_int2fb); tables made from C start empty, as
  // Redis's C code makes them all with lua_newtable
  ltable.luaH_new = (L: any) => {
    const t = o.newt(L);
    const ins = currentInstruction(L);
    t.s51 = ins && ins.opcode === lopcodes.OpCodesI.OP_NEWTABLE ? newLayout(fb2int(ins.B), fb2int(ins.C)) : newLayout(0, 0);
    return t;
  };
  ltable.luaH_setfrom = (L: any, t: FTable, key: TValue, value: TValue) => {
    const s: Layout51 | undefined = t.s51;
    if (s && !key.ttisnil() && !(key.ttisfloat() && Number.isNaN(key.value))) setKey(t, s, key51(L, key));
    return o.setfrom(L, t, key, value);
  };
  ltable.luaH_setint = (t: FTable, key: number, value: TValue) => {
    const s: Layout51 | undefined = t.s51;
    if (s) {
      const L = running[running.length - 1];
      if (key > s.sizearray && L && inSetList(L)) resizeArray(t, s, key);
      setKey(t, s, intKey(key));
    }
    return o.setint(t, key, value);
  };
  ltable.luaH_next = (L: any, t: FTable, keyI: number) => (t.s51 ? next51(L, t, t.s51, keyI) : o.next(L, t, keyI));
  ltable.luaH_getn = (t: FTable) => (t.s51 ? getn51(t, t.s51) : o.getn(t));
  const execute = lvm.luaV_execute;
  lvm.luaV_execute = (L: any) => {
    running.push(L);
    try {
      return execute(L);
    } finally {
      running.pop();
    }
  };
}
