// The two Lua states of a server, built as Redis 7.0.15 builds them: the EVAL state (eval.c
// scriptingInit) and the FUNCTION state (function_lua.c luaEngineInitEngine), each with a locked
// global table (luaSetErrorMetatable + luaSetTableProtectionRecursively).
import { registerLogAndVersion, registerMathRandom, registerRedisApi, type ApiHost } from './api.ts';
import { openExtraLibs } from './libs/index.ts';
import { isReadonly, lauxlib, lstr, lua, newLuaState, protectRecursively, setField, setReadonly, toStr, type LuaState } from './vm.ts';

/** luaProtectedTableError: reading a missing global. */
function errorIndex(L: LuaState): number {
  if (lua.lua_gettop(L) !== 2) return lauxlib.luaL_error(L, lstr('Wrong number of arguments to luaProtectedTableError'));
  if (!lua.lua_isstring(L, -1) && !lua.lua_isnumber(L, -1))
    return lauxlib.luaL_error(L, lstr('Second argument to luaProtectedTableError must be a string or number'));
  const name = toStr(L, -1) ?? '';
  return lauxlib.luaL_error(L, lstr('Script attempted to access nonexistent global variable \'%s\''), lstr(name));
}

/** luaSetErrorMetatable on the table on top. */
function setErrorMetatable(L: LuaState): void {
  lua.lua_createtable(L, 0, 1);
  lua.lua_pushcfunction(L, errorIndex);
  lua.lua_setfield(L, -2, lstr('__index'));
  lua.lua_setmetatable(L, -2);
}

/** Registry flag set by the run's hook when SCRIPT KILL / FUNCTION KILL reached the script. */
export const KILLED_FLAG = '__sentinel_sim_script_killed';

function scriptKilled(L: LuaState): boolean {
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, lstr(KILLED_FLAG));
  const killed = lua.lua_toboolean(L, -1);
  lua.lua_pop(L, 1);
  return killed;
}

/** Redis's pcall (luaRedisPcall): an error table raised by redis.call comes back as its message. */
function redisPcall(L: LuaState): number {
  const argc = lua.lua_gettop(L);
  lauxlib.luaL_checkany(L, 1);
  lua.lua_pushboolean(L, 1);
  lua.lua_insert(L, 1);
  // with a continuation, so a busy script inside pcall can still yield to the server (run.ts hook)
  return finishRedisPcall(L, lua.lua_pcallk(L, argc - 1, lua.LUA_MULTRET, 0, 0, finishRedisPcall));
}

/** The end of redisPcall, also its continuation when the call yielded: [true, results...] or [true, error]. */
function finishRedisPcall(L: LuaState, status: number): number {
  if (status !== lua.LUA_OK && status !== lua.LUA_YIELD) {
    // a killed script stays killed: Redis's line hook raises the kill again after the pcall, fengari's
    // pcall in a coroutine leaves hooks off after an error raised by a hook, so it is raised again here
    if (scriptKilled(L)) return lua.lua_error(L);
    lua.lua_remove(L, 1);
    if (lua.lua_istable(L, -1)) {
      lua.lua_getfield(L, -1, lstr('err'));
      // a table without a string `err` stays, and so does the field read (Redis does not pop it)
      if (lua.lua_isstring(L, -1)) lua.lua_replace(L, -2);
    }
    lua.lua_pushboolean(L, 0);
    lua.lua_insert(L, 1);
  }
  return lua.lua_gettop(L);
}

/** setmetatable refuses readonly tables (Redis's lapi patch). */
function guardSetmetatable(L: LuaState): void {
  lua.lua_getglobal(L, lstr('setmetatable'));
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, lstr('__setmetatable53'));
  lua.lua_pushcfunction(L, (S: LuaState) => {
    if (lua.lua_istable(S, 1)) {
      const t = lua.lua_topointer(S, 1);
      lua.lua_pushvalue(S, 1);
      const ro = isReadonly(S, -1);
      lua.lua_pop(S, 1);
      if (ro && t) {
        lua.lua_pushstring(S, lstr('Attempt to modify a readonly table'));
        return lua.lua_error(S);
      }
    }
    const n = lua.lua_gettop(S);
    lua.lua_getfield(S, lua.LUA_REGISTRYINDEX, lstr('__setmetatable53'));
    lua.lua_insert(S, 1);
    lua.lua_call(S, n, 1);
    return 1;
  });
  lua.lua_setglobal(L, lstr('setmetatable'));
}

/** luaRegisterRedisAPI: libraries, Redis's pcall, the redis table, math.random (both states). */
function registerCommon(L: LuaState, host: ApiHost, evalExtras: boolean): void {
  openExtraLibs(L);
  guardSetmetatable(L);
  lua.lua_pushcfunction(L, redisPcall);
  lua.lua_setglobal(L, lstr('pcall'));
  lua.lua_createtable(L, 0, 32);
  registerRedisApi(L, host);
  if (evalExtras) {
    // no debugger session is ever active: breakpoint answers false, debug logs nothing (luaRedisBreakpointCommand)
    setField(L, -1, 'breakpoint', (S) => {
      lua.lua_pushboolean(S, 0);
      return 1;
    });
    setField(L, -1, 'debug', () => 0);
    setField(L, -1, 'replicate_commands', (S) => {
      lua.lua_pushboolean(S, 1);
      return 1;
    });
  }
  lua.lua_setglobal(L, lstr('redis'));
  registerMathRandom(L, host);
}

export interface EvalState {
  L: LuaState;
}

/** scriptingInit: the EVAL state. */
export function createEvalState(host: ApiHost): EvalState {
  const L = newLuaState();
  registerCommon(L, host, true);
  lua.lua_pushglobaltable(L);
  setErrorMetatable(L);
  protectRecursively(L);
  lua.lua_pop(L, 1);
  return { L };
}

/** Set a global of the locked EVAL globals (KEYS, ARGV): the value on top is consumed. */
export function setLockedGlobal(L: LuaState, name: string): void {
  lua.lua_pushglobaltable(L);
  setReadonly(L, -1, false);
  lua.lua_insert(L, -2);
  lua.lua_setfield(L, -2, lstr(name));
  setReadonly(L, -1, true);
  lua.lua_pop(L, 1);
}

export interface FunctionState {
  L: LuaState;
}

export const REG_LIBRARY_API = '__library_api__';
export const REG_GLOBALS = '__globals__';
export const REG_ENV = '__functions_env__';

/** luaEngineInitEngine: the FUNCTION state, with the load-time API and the globals behind the library environment. */
export function createFunctionState(host: ApiHost, registerFunction: (L: LuaState) => number): FunctionState {
  const L = newLuaState();
  registerCommon(L, host, false);
  // the library load environment: only redis.register_function / log / version fields
  lua.lua_createtable(L, 0, 1);
  lua.lua_createtable(L, 0, 8);
  setField(L, -1, 'register_function', registerFunction);
  registerLogAndVersion(L, host);
  setErrorMetatable(L);
  lua.lua_setfield(L, -2, lstr('redis'));
  setErrorMetatable(L);
  protectRecursively(L);
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, lstr(REG_LIBRARY_API));
  lua.lua_pushglobaltable(L);
  setErrorMetatable(L);
  protectRecursively(L);
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, lstr(REG_GLOBALS));
  // the environment of every library: an empty locked table whose metatable __index is the globals
  lua.lua_createtable(L, 0, 0);
  lua.lua_createtable(L, 0, 1);
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, lstr(REG_GLOBALS));
  lua.lua_setfield(L, -2, lstr('__index'));
  setReadonly(L, -1, true);
  lua.lua_setmetatable(L, -2);
  setReadonly(L, -1, true);
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, lstr(REG_ENV));
  return { L };
}

/** Point the library environment's __index at the load API (during FUNCTION LOAD) or back at the globals. */
export function setEnvIndex(L: LuaState, loading: boolean): void {
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, lstr(REG_ENV));
  lua.lua_getmetatable(L, -1);
  setReadonly(L, -1, false);
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, lstr(loading ? REG_LIBRARY_API : REG_GLOBALS));
  lua.lua_setfield(L, -2, lstr('__index'));
  setReadonly(L, -1, true);
  lua.lua_pop(L, 2);
}
