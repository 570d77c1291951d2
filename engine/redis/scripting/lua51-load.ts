// load(func [, chunkname]) of Lua 5.1 (Redis 7.0.15 deps/lua/src/lbaselib.c luaB_load): the reader
// function is called until it returns nil or "", each call protected and with a continuation, so the
// count hook can suspend the script inside a slow reader (fengari's generic_reader used lua_call: a
// busy reader hung serve) and an error there — SCRIPT KILL's too — makes load answer nil and the error
// as Redis's error handler shaped it (5.1's protected parser runs it). The pieces are then parsed as one text chunk; unlike 5.1 a reader is
// never stopped early by a syntax error in the first pieces.
import lauxlib from 'fengari/src/lauxlib.js';
import lua from 'fengari/src/lua.js';
import { floatConstants, fmtNumber } from './vm.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type LuaState = any;

const lit = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const NOT_A_STRING = lit('reader function must return a string');

interface LoadState {
  parts: Uint8Array[];
}

/** load's answer when the parse failed: nil and the message (on top). */
function failed(L: LuaState): number {
  lua.lua_pushnil(L);
  lua.lua_insert(L, -2);
  return 2;
}

/**
 * load's answer when the reader raised an error (on top): 5.1's protected parser keeps the running
 * error function, Redis's script error handler (script_lua.c luaRegisterErrorHandler), so a value that
 * is not a table comes back as {err = 'ERR ' .. tostring(value)}.
 */
function readerFailed(L: LuaState): number {
  if (!lua.lua_istable(L, -1)) {
    const t = lua.lua_type(L, -1);
    const text =
      t === lua.LUA_TSTRING ? String.fromCharCode(...lua.lua_tolstring(L, -1))
      : t === lua.LUA_TNUMBER ? fmtNumber(lua.lua_tonumber(L, -1))
      : t === lua.LUA_TNIL ? 'nil'
      : t === lua.LUA_TBOOLEAN ? String(lua.lua_toboolean(L, -1))
      : String.fromCharCode(...lauxlib.luaL_typename(L, -1));
    lua.lua_pop(L, 1);
    lua.lua_createtable(L, 0, 1);
    lua.lua_pushstring(L, lit(`ERR ${text}`));
    lua.lua_setfield(L, -2, lit('err'));
  }
  return failed(L);
}

/** All pieces read: parse them (load_aux of 5.1). */
function parse(L: LuaState, st: LoadState): number {
  let n = 0;
  for (const p of st.parts) n += p.length;
  const code = new Uint8Array(n);
  n = 0;
  for (const p of st.parts) {
    code.set(p, n);
    n += p.length;
  }
  const name = lauxlib.luaL_optlstring(L, 2, lit('=(load)'));
  if (lauxlib.luaL_loadbufferx(L, code, code.length, name, lit('t')) !== lua.LUA_OK) return failed(L);
  floatConstants(L, -1);
  return 1;
}

/** After one call of the reader (its result or error on top): the answer, or undefined to read on. */
function piece(L: LuaState, st: LoadState, status: number): number | undefined {
  if (status !== lua.LUA_OK && status !== lua.LUA_YIELD) return readerFailed(L);
  const t = lua.lua_type(L, -1);
  if (t === lua.LUA_TNIL) {
    lua.lua_pop(L, 1);
    return parse(L, st);
  }
  if (t !== lua.LUA_TSTRING && t !== lua.LUA_TNUMBER) {
    lua.lua_pop(L, 1);
    // luaL_error: with the script's position
    lauxlib.luaL_where(L, 1);
    lua.lua_pushstring(L, NOT_A_STRING);
    lua.lua_concat(L, 2);
    return readerFailed(L);
  }
  const b: Uint8Array = t === lua.LUA_TNUMBER ? lit(fmtNumber(lua.lua_tonumber(L, -1))) : lua.lua_tolstring(L, -1).slice();
  lua.lua_pop(L, 1);
  if (b.length === 0) return parse(L, st);
  st.parts.push(b);
  return undefined;
}

function read(L: LuaState, st: LoadState): number {
  for (;;) {
    lua.lua_pushvalue(L, 1);
    const r = piece(L, st, lua.lua_pcallk(L, 0, 1, 0, st, resumed));
    if (r !== undefined) return r;
  }
}

function resumed(L: LuaState, status: number, st: LoadState): number {
  return piece(L, st, status) ?? read(L, st);
}

function load51(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TFUNCTION);
  if (!lua.lua_isnoneornil(L, 2)) lauxlib.luaL_checklstring(L, 2);
  lua.lua_settop(L, 2);
  return read(L, { parts: [] });
}

export function installLoad51(L: LuaState): void {
  lua.lua_pushcfunction(L, load51);
  lua.lua_setglobal(L, lit('load'));
}
