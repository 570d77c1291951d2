// The Lua VM of the scripting engine: fengari (Lua 5.3 written in JavaScript), made to behave like the
// Lua 5.1 that Redis 7.0.15 embeds where a script can tell the difference (deps/lua of Redis):
// - numbers are doubles: integer constants of every compiled chunk become floats, tonumber() and
//   math.floor/ceil answer floats, so `2147483647 + 1` does not wrap (fengari's integers are 32-bit);
// - integral floats print without ".0" (tostring, `..`, string.format %s, redis.call arguments);
// - table.sort is 5.1's quicksort (lua51-sort.ts); coroutine.resume/wrap (lua-coroutine.ts), string.gsub's
//   function replacement (lua51-gsub.ts) and tostring's __tostring let the count hook suspend the script;
// - 5.1 globals: unpack, loadstring, table.getn/maxn, (lua51-baselib.ts) table.foreach/foreachi/setn,
//   string.gfind, math.mod, gcinfo, collectgarbage, math.pow/ldexp/frexp/log10/atan2/cosh/sinh/tanh,
//   and 5.3-only names removed (table.pack/unpack/move, string.pack/unpack, math.type, utf8...);
// - readonly tables (Redis's lua_enablereadonlytable): "Attempt to modify a readonly table".
import lualib from 'fengari/src/lualib.js';
import ldebug from 'fengari/src/ldebug.js';
import lauxlib from 'fengari/src/lauxlib.js';
import lobject from 'fengari/src/lobject.js';
import lstring from 'fengari/src/lstring.js';
import ltable from 'fengari/src/ltable.js';
import lua from 'fengari/src/lua.js';
import { installLua51Tables } from './lua51-table.ts';
import { sort51 } from './lua51-sort.ts';
import { installCoroutineYields } from './lua-coroutine.ts';
import { installGsub } from './lua51-gsub.ts';
import { installLua51Base } from './lua51-baselib.ts';
import { installLua51Raw } from './lua51-raw.ts';
import { installLoad51 } from './lua51-load.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type LuaState = any;
export { lua, lauxlib };

// ---- strings: the keyspace's latin1 byte strings <-> Lua byte arrays -------------------------------

const cache = new Map<string, Uint8Array>();

/** A latin1 byte string as a Lua string (Uint8Array). */
export function lstr(s: string): Uint8Array {
  if (s.length < 32) {
    const hit = cache.get(s);
    if (hit) return hit;
  }
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  if (s.length < 32 && cache.size < 4096) cache.set(s, b);
  return b;
}

/** A Lua string (Uint8Array) as a latin1 byte string. */
export function jstr(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 8192) out += String.fromCharCode(...b.subarray(i, i + 8192));
  return out;
}

/** The light userdata C code pushes as NULL (cjson.null): 5.1's tostring prints it as glibc's %p does. */
export const NULL_POINTER = { cNull: true };

export function pushStr(L: LuaState, s: string): void {
  lua.lua_pushlstring(L, lstr(s), s.length);
}

/** lua_tolstring as a byte string, or null (numbers are converted the 5.1 way). */
export function toStr(L: LuaState, idx: number): string | null {
  const b = lua.lua_tolstring(L, idx);
  return b === null || b === undefined ? null : jstr(b);
}

/** Lua 5.1's "%.14g" (LUAI_NUMFFORMAT). */
export function fmtNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? (Object.is(n, NaN) ? 'nan' : '-nan') : n > 0 ? 'inf' : '-inf';
  return gFormat(n, 14);
}

/** C's %.<p>g. */
export function gFormat(n: number, p: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  const exp = Math.floor(Math.log10(Math.abs(Number(n.toPrecision(p)))));
  if (exp < -4 || exp >= p) {
    const [m, e] = n.toExponential(p - 1).split('e');
    const mant = m!.includes('.') ? m!.replace(/\.?0+$/, '') : m!;
    const ev = Number(e);
    return `${mant}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
  }
  const f = n.toFixed(Math.max(0, p - 1 - exp));
  return f.includes('.') ? f.replace(/\.?0+$/, '') : f;
}

// ---- global patches of fengari (once) --------------------------------------------------------------

/** Tables made readonly (Redis's h->readonly). */
const readonlyTables = new WeakSet<object>();
/** The thread running script code (luaH_setint has no lua_State argument). */
let currentL: LuaState = null;
export function setCurrentThread(L: LuaState): void {
  currentL = L;
}

function readonlyError(L: LuaState): never {
  ldebug.luaG_runerror(L ?? currentL, lstr('Attempt to modify a readonly table'));
  throw new Error('unreachable');
}

let patched = false;
function patchFengari(): void {
  if (patched) return;
  patched = true;
  installLua51Tables(); // first: the readonly checks below run before a key gets its 5.1 slot
  // luaO_tostring: integral floats print as integers (LUA_COMPAT_FLOATSTRING; lapi and lvm call it through the module)
  lobject.luaO_tostring = (L: LuaState, obj: any) => {
    const s = obj.ttisinteger() ? String(obj.value) : fmtNumber(obj.value);
    obj.setsvalue(lstring.luaS_bless(L, lstr(s)));
  };
  // numerals (lexer, tonumber, string coercion) are doubles, as in 5.1: no 32-bit integer wrap, no constant folding in integers
  const str2num = lobject.luaO_str2num;
  lobject.luaO_str2num = (s: unknown, o: any) => {
    const n = str2num(s, o);
    if (n !== 0 && o.ttisinteger()) o.setfltvalue(o.value);
    return n;
  };
  const setfrom = ltable.luaH_setfrom;
  ltable.luaH_setfrom = (L: LuaState, t: object, key: unknown, value: unknown) => {
    if (readonlyTables.has(t)) readonlyError(L);
    return setfrom(L, t, key, value);
  };
  const setint = ltable.luaH_setint;
  ltable.luaH_setint = (t: object, key: number, value: unknown) => {
    if (readonlyTables.has(t)) readonlyError(currentL);
    return setint(t, key, value);
  };
}

// ---- tables ----------------------------------------------------------------------------------------

/** lua_enablereadonlytable on the table at idx. */
export function setReadonly(L: LuaState, idx: number, on: boolean): void {
  const t = lua.lua_topointer(L, idx);
  if (!t) return;
  if (on) readonlyTables.add(t);
  else readonlyTables.delete(t);
}

export function isReadonly(L: LuaState, idx: number): boolean {
  const t = lua.lua_topointer(L, idx);
  return !!t && readonlyTables.has(t);
}

/** luaSetTableProtectionRecursively: the table on top, the tables it holds and their metatables. */
export function protectRecursively(L: LuaState): void {
  if (isReadonly(L, -1)) return;
  setReadonly(L, -1, true);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2)) {
    if (lua.lua_istable(L, -1)) protectRecursively(L);
    lua.lua_pop(L, 1);
  }
  if (lua.lua_getmetatable(L, -1)) {
    protectRecursively(L);
    lua.lua_pop(L, 1);
  }
}

/** Lua 5.1 has only doubles: every integer constant of the chunk on top (and its nested functions) becomes a float. */
export function floatConstants(L: LuaState, idx: number): void {
  const cl = lua.lua_topointer(L, idx);
  if (cl && cl.p) floatProto(cl.p, new Set());
}

function floatProto(p: any, seen: Set<unknown>): void {
  if (seen.has(p)) return;
  seen.add(p);
  for (const k of p.k) if (k.ttisinteger()) k.setfltvalue(k.value);
  for (const q of p.p) floatProto(q, seen);
}

// ---- the state -------------------------------------------------------------------------------------

type JsFn = (L: LuaState) => number;

export function setField(L: LuaState, idx: number, name: string, fn: JsFn): void {
  lua.lua_pushcfunction(L, fn);
  lua.lua_setfield(L, idx < 0 ? idx - 1 : idx, lstr(name));
}

export function setNumberField(L: LuaState, name: string, n: number): void {
  lua.lua_pushnumber(L, n);
  lua.lua_setfield(L, -2, lstr(name));
}

function openLib(L: LuaState, name: string, open: JsFn): void {
  lauxlib.luaL_requiref(L, lstr(name), open, 1);
  lua.lua_pop(L, 1);
}

function removeFields(L: LuaState, table: string, names: string[]): void {
  lua.lua_getglobal(L, lstr(table));
  for (const n of names) {
    lua.lua_pushnil(L);
    lua.lua_setfield(L, -2, lstr(n));
  }
  lua.lua_pop(L, 1);
}

/** A new state with the 5.1-shaped base, table, string, math and coroutine libraries. */
export function newLuaState(): LuaState {
  patchFengari();
  const L = lauxlib.luaL_newstate();
  openLib(L, '_G', lualib.luaopen_base);
  openLib(L, 'table', lualib.luaopen_table);
  openLib(L, 'string', lualib.luaopen_string);
  openLib(L, 'math', lualib.luaopen_math);
  openLib(L, 'coroutine', lualib.luaopen_coroutine);
  compat51(L);
  return L;
}

/** The continuation of a call whose one result is the caller's result. */
const oneResult = (): number => 1;

function compat51(L: LuaState): void {
  // globals 5.1 has and 5.3 dropped; 5.3 additions a 5.1 script cannot see
  for (const n of ['dofile', 'loadfile', 'print', 'require', 'rawlen']) {
    lua.lua_pushnil(L);
    lua.lua_setglobal(L, lstr(n));
  }
  installLua51Raw(L);
  lua.lua_getglobal(L, lstr('table'));
  setField(L, -1, 'maxn', (S) => {
    lauxlib.luaL_checktype(S, 1, lua.LUA_TTABLE);
    let max = 0;
    lua.lua_pushnil(S);
    while (lua.lua_next(S, 1)) {
      lua.lua_pop(S, 1);
      if (lua.lua_type(S, -1) === lua.LUA_TNUMBER) max = Math.max(max, lua.lua_tonumber(S, -1));
    }
    lua.lua_pushnumber(S, max);
    return 1;
  });
  setField(L, -1, 'sort', sort51);
  lua.lua_pop(L, 1);
  removeFields(L, 'table', ['pack', 'unpack', 'move']);
  removeFields(L, 'string', ['pack', 'unpack', 'packsize']);
  removeFields(L, 'coroutine', ['isyieldable']);
  lua.lua_getglobal(L, lstr('coroutine'));
  installCoroutineYields(L);
  lua.lua_pop(L, 1);
  removeFields(L, 'math', ['type', 'tointeger', 'ult', 'maxinteger', 'mininteger']);
  lua.lua_getglobal(L, lstr('math'));
  const num1 = (f: (x: number) => number): JsFn => (S) => {
    lua.lua_pushnumber(S, f(lauxlib.luaL_checknumber(S, 1)));
    return 1;
  };
  setField(L, -1, 'floor', num1(Math.floor));
  setField(L, -1, 'ceil', num1(Math.ceil));
  setField(L, -1, 'log10', num1(Math.log10));
  setField(L, -1, 'cosh', num1(Math.cosh));
  setField(L, -1, 'sinh', num1(Math.sinh));
  setField(L, -1, 'tanh', num1(Math.tanh));
  setField(L, -1, 'pow', (S) => {
    lua.lua_pushnumber(S, Math.pow(lauxlib.luaL_checknumber(S, 1), lauxlib.luaL_checknumber(S, 2)));
    return 1;
  });
  setField(L, -1, 'atan2', (S) => {
    lua.lua_pushnumber(S, Math.atan2(lauxlib.luaL_checknumber(S, 1), lauxlib.luaL_checknumber(S, 2)));
    return 1;
  });
  setField(L, -1, 'ldexp', (S) => {
    lua.lua_pushnumber(S, lauxlib.luaL_checknumber(S, 1) * Math.pow(2, lauxlib.luaL_checknumber(S, 2)));
    return 1;
  });
  setField(L, -1, 'frexp', (S) => {
    const x = lauxlib.luaL_checknumber(S, 1);
    if (x === 0 || !Number.isFinite(x)) {
      lua.lua_pushnumber(S, x);
      lua.lua_pushnumber(S, 0);
      return 2;
    }
    let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
    let m = x * Math.pow(2, -e);
    while (Math.abs(m) < 0.5) {
      m *= 2;
      e--;
    }
    while (Math.abs(m) >= 1) {
      m /= 2;
      e++;
    }
    lua.lua_pushnumber(S, m);
    lua.lua_pushnumber(S, e);
    return 2;
  });
  lua.lua_pop(L, 1);
  // tonumber answers doubles; tostring prints integral floats as integers
  lua.lua_pushcfunction(L, (S: LuaState) => {
    const n = lua.lua_gettop(S);
    lua.lua_getfield(S, lua.LUA_REGISTRYINDEX, lstr('__tonumber53'));
    lua.lua_insert(S, 1);
    lua.lua_call(S, n, 1);
    if (lua.lua_isinteger(S, -1)) lua.lua_pushnumber(S, lua.lua_tonumber(S, -1));
    return 1;
  });
  lua.lua_getglobal(L, lstr('tonumber'));
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, lstr('__tonumber53'));
  lua.lua_setglobal(L, lstr('tonumber'));
  lua.lua_pushcfunction(L, (S: LuaState) => {
    lauxlib.luaL_checkany(S, 1);
    // luaL_callmeta(L, 1, "__tostring"): its value, whatever it is; called with a continuation so that
    // the count hook may suspend the script inside it
    if (lauxlib.luaL_getmetafield(S, 1, lstr('__tostring')) !== lua.LUA_TNIL) {
      lua.lua_pushvalue(S, 1);
      lua.lua_callk(S, 1, 1, 0, oneResult);
      return 1;
    }
    if (lua.lua_type(S, 1) === lua.LUA_TNUMBER && !lua.lua_isinteger(S, 1)) {
      pushStr(S, fmtNumber(lua.lua_tonumber(S, 1)));
      return 1;
    }
    if (lua.lua_type(S, 1) === lua.LUA_TLIGHTUSERDATA && lua.lua_touserdata(S, 1) === NULL_POINTER) {
      pushStr(S, 'userdata: (nil)');
      return 1;
    }
    lauxlib.luaL_tolstring(S, 1);
    return 1;
  });
  lua.lua_setglobal(L, lstr('tostring'));
  wrapFormat(L);
  installLua51Base(L);
  lua.lua_getglobal(L, lstr('string'));
  installGsub(L);
  lua.lua_pop(L, 1);
  // loadstring = load (text chunks only), with the same float constants
  lua.lua_pushcfunction(L, (S: LuaState) => {
    const code = lauxlib.luaL_checklstring(S, 1);
    const name = lua.lua_isnoneornil(S, 2) ? code : lauxlib.luaL_checklstring(S, 2);
    if (lauxlib.luaL_loadbufferx(S, code, code.length, name, lstr('t')) !== lua.LUA_OK) {
      lua.lua_pushnil(S);
      lua.lua_insert(S, -2);
      return 2;
    }
    floatConstants(S, -1);
    return 1;
  });
  lua.lua_setglobal(L, lstr('loadstring'));
  installLoad51(L);
}

/**
 * string.format with 5.1's number conversions (lstrlib.c str_format of Redis's deps/lua): `%s` of a
 * number prints it as tostring does ("%.14g", no ".0"), and the integer conversions truncate a
 * fractional number instead of failing. The arguments are adjusted, then 5.3's format runs.
 */
function wrapFormat(L: LuaState): void {
  lua.lua_getglobal(L, lstr('string'));
  lua.lua_getfield(L, -1, lstr('format'));
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, lstr('__format53'));
  setField(L, -1, 'format', (S: LuaState) => {
    const fmt = toStr(S, 1);
    if (fmt !== null) {
      let arg = 1;
      for (let i = 0; i < fmt.length; i++) {
        if (fmt[i] !== '%') continue;
        if (fmt[++i] === '%') continue;
        while (i < fmt.length && '-+ #0123456789.'.includes(fmt[i]!)) i++;
        const conv = fmt[i];
        arg++;
        if (lua.lua_type(S, arg) === lua.LUA_TNONE) lauxlib.luaL_argerror(S, arg, lstr('no value'));
        // 5.1's %s takes a string or a number only (luaL_checklstring: no __tostring, which 5.3 calls)
        if (conv === 's' && lua.lua_type(S, arg) !== lua.LUA_TSTRING) lauxlib.luaL_checklstring(S, arg);
        if (lua.lua_type(S, arg) !== lua.LUA_TNUMBER) continue;
        const n = lua.lua_tonumber(S, arg);
        if (conv === 's') {
          pushStr(S, fmtNumber(n));
          lua.lua_replace(S, arg);
        } else if (conv !== undefined && 'dicouxX'.includes(conv) && Number.isFinite(n) && !Number.isInteger(n)) {
          lua.lua_pushnumber(S, Math.trunc(n));
          lua.lua_replace(S, arg);
        }
      }
    }
    const n = lua.lua_gettop(S);
    lua.lua_getfield(S, lua.LUA_REGISTRYINDEX, lstr('__format53'));
    lua.lua_insert(S, 1);
    lua.lua_call(S, n, 1);
    return 1;
  });
  lua.lua_pop(L, 1);
}
