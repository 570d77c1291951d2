// Function libraries of Redis 7.0.15 (functions.c functionsCreateWithLibraryCtx / libraryJoin,
// function_lua.c luaEngineCreate / luaRegisterFunction): parse, compile and register, in a registry
// the FUNCTION commands and FCALL read.
import { splitArgs } from '../config/tokenizer.ts';
import { pushErrorTable } from './convert.ts';
import { setEnvIndex, REG_ENV } from './engines.ts';
import { HOOK_INSTR, HOOK_US, SCRIPT_FLAGS } from './run.ts';
import type { ScriptingState } from './state.ts';
import { floatConstants, lauxlib, lstr, lua, setCurrentThread, toStr, type LuaState } from './vm.ts';

export interface FunctionInfo {
  name: string;
  desc: string | null;
  flags: number;
  ref: number;
  lib: LibraryInfo;
}

export interface LibraryInfo {
  name: string;
  engine: string;
  code: string;
  functions: Map<string, FunctionInfo>;
}

/** ASCII tolower, as dictSdsCaseHash / dictSdsKeyCaseCompare fold names. */
function foldCase(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** The server-wide function dict (functions.c functionDictType): names compare case-insensitively. */
export class FunctionDict<V> extends Map<string, V> {
  override get(k: string): V | undefined {
    return super.get(foldCase(k));
  }
  override has(k: string): boolean {
    return super.has(foldCase(k));
  }
  override set(k: string, v: V): this {
    return super.set(foldCase(k), v);
  }
  override delete(k: string): boolean {
    return super.delete(foldCase(k));
  }
}

export class LibraryRegistry {
  readonly libraries = new Map<string, LibraryInfo>();
  readonly functions = new FunctionDict<FunctionInfo>();
  /** The most functions the dict held since it was last emptied: its table never shrinks before that (INFO memory). */
  functionsPeak = 0;

  link(li: LibraryInfo): void {
    this.libraries.set(li.name, li);
    for (const f of li.functions.values()) this.functions.set(f.name, f);
    this.functionsPeak = Math.max(this.functionsPeak, this.functions.size);
  }

  /** functionsLibCtxClear: every library unlinked and freed, the dicts emptied. */
  flush(free: (li: LibraryInfo) => void): void {
    for (const li of [...this.libraries.values()]) {
      this.unlink(li);
      free(li);
    }
    this.functionsPeak = 0;
  }

  unlink(li: LibraryInfo): void {
    this.libraries.delete(li.name);
    for (const f of li.functions.values()) this.functions.delete(f.name);
  }
}

export function registryOf(st: ScriptingState): LibraryRegistry {
  st.libraries ??= new LibraryRegistry();
  return st.libraries;
}

const LOAD_TIMEOUT_MS = 500;
const validName = (s: string) => /^[a-zA-Z0-9_]+$/.test(s);

/** Free the Lua references of a library that is dropped. */
export function freeLibrary(st: ScriptingState, li: LibraryInfo): void {
  for (const f of li.functions.values()) lauxlib.luaL_unref(st.fnL, lua.LUA_REGISTRYINDEX, f.ref);
}

/** functionsCreateWithLibraryCtx: the library name, or the error text (without the "ERR " code). */
export function createLibrary(st: ScriptingState, reg: LibraryRegistry, code: string, replace: boolean, timeoutMs: number): string | { error: string } {
  if (!code.startsWith('#!')) return { error: 'Missing library metadata' };
  const end = code.indexOf('\n');
  if (end < 0) return { error: 'Invalid library metadata' };
  const parts = splitArgs(code.slice(0, end));
  if (!parts || parts.length === 0) return { error: 'Invalid library metadata' };
  const engine = parts[0]!.slice(2);
  let name: string | null = null;
  for (const p of parts.slice(1)) {
    if (p.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return { error: 'Invalid metadata value, name argument was given multiple times' };
      name = p.slice(5);
      continue;
    }
    return { error: `Invalid metadata value given: ${p}` };
  }
  if (name === null) return { error: 'Library name was not given' };
  if (!validName(name)) return { error: 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long' };
  if (engine.toLowerCase() !== 'lua') return { error: `Engine '${engine}' not found` };
  const old = reg.libraries.get(name);
  if (old && !replace) return { error: `Library '${name}' already exists` };
  if (old) reg.unlink(old);
  const li: LibraryInfo = { name, engine: 'LUA', code, functions: new Map() };
  const fail = (error: string) => {
    freeLibrary(st, li);
    if (old) reg.link(old);
    return { error };
  };
  const e = runLibraryCode(st, li, code.slice(end), timeoutMs);
  if (e) return fail(e);
  if (li.functions.size === 0) return fail('No functions registered');
  for (const f of li.functions.values()) if (reg.functions.has(f.name)) return fail(`Function ${f.name} already exists`);
  reg.link(li);
  if (old) freeLibrary(st, old);
  return name;
}

/** luaEngineCreate: compile and run the library code in the load environment. */
function runLibraryCode(st: ScriptingState, li: LibraryInfo, body: string, timeoutMs: number): string | null {
  const L = st.fnL;
  const buf = lstr(body);
  if (lauxlib.luaL_loadbuffer(L, buf, buf.length, lstr('@user_function')) !== lua.LUA_OK) {
    const msg = toStr(L, -1) ?? '';
    lua.lua_pop(L, 1);
    return `Error compiling function: ${msg}`;
  }
  floatConstants(L, -1);
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, lstr(REG_ENV));
  lua.lua_setupvalue(L, -2, 1);
  setEnvIndex(L, true);
  const load = { elapsedUs: 0, register: (S: LuaState) => registerFunction(S, li) };
  st.loadCtx = load;
  lua.lua_sethook(L, (S: LuaState) => {
    load.elapsedUs += HOOK_US;
    if (timeoutMs > 0 && load.elapsedUs > timeoutMs * 1000) {
      lua.lua_sethook(S, null, 0, 0);
      pushErrorTable(S, 'FUNCTION LOAD timeout');
      lua.lua_error(S);
    }
  }, lua.LUA_MASKCOUNT, HOOK_INSTR);
  setCurrentThread(L);
  let error: string | null = null;
  if (lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
    let msg = '';
    if (lua.lua_isstring(L, -1)) msg = `ERR ${toStr(L, -1)}`;
    else if (lua.lua_istable(L, -1)) {
      lua.lua_getfield(L, -1, lstr('err'));
      if (lua.lua_isstring(L, -1)) msg = toStr(L, -1)!;
      lua.lua_pop(L, 1);
    }
    lua.lua_pop(L, 1);
    error = `Error registering functions: ${msg}`;
  }
  setEnvIndex(L, false);
  lua.lua_sethook(L, null, 0, 0);
  st.loadCtx = null;
  return error;
}

function raise(L: LuaState, msg: string): number {
  pushErrorTable(L, msg);
  return lua.lua_error(L);
}

/** luaRegisterFunction: positional (name, callback) or a table of named arguments. */
function registerFunction(L: LuaState, li: LibraryInfo): number {
  const argc = lua.lua_gettop(L);
  if (argc < 1 || argc > 2) return raise(L, 'wrong number of arguments to redis.register_function');
  let name: string | null = null;
  let desc: string | null = null;
  let flags = 0;
  let ref = 0;
  if (argc === 2) {
    if (!lua.lua_isstring(L, 1)) return raise(L, 'first argument to redis.register_function must be a string');
    if (!lua.lua_isfunction(L, 2)) return raise(L, 'second argument to redis.register_function must be a function');
    name = toStr(L, 1);
    ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  } else {
    if (!lua.lua_istable(L, 1))
      return raise(L, 'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
    lua.lua_pushnil(L);
    const unref = () => ref && lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, ref);
    while (lua.lua_next(L, -2)) {
      if (!lua.lua_isstring(L, -2)) return unref(), raise(L, 'named argument key given to redis.register_function is not a string');
      const key = toStr(L, -2)!.toLowerCase();
      if (key === 'function_name') {
        if (!lua.lua_isstring(L, -1)) return unref(), raise(L, 'function_name argument given to redis.register_function must be a string');
        name = toStr(L, -1);
      } else if (key === 'description') {
        if (!lua.lua_isstring(L, -1)) return unref(), raise(L, 'description argument given to redis.register_function must be a string');
        desc = toStr(L, -1);
      } else if (key === 'callback') {
        if (!lua.lua_isfunction(L, -1)) return unref(), raise(L, 'callback argument given to redis.register_function must be a function');
        ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
        continue;
      } else if (key === 'flags') {
        if (!lua.lua_istable(L, -1)) return unref(), raise(L, 'flags argument to redis.register_function must be a table representing function flags');
        const f = readFlags(L);
        if (f === null) return unref(), raise(L, 'unknown flag given');
        flags = f;
      } else return unref(), raise(L, 'unknown argument given to redis.register_function');
      lua.lua_pop(L, 1);
    }
    if (name === null) return unref(), raise(L, 'redis.register_function must get a function name argument');
    if (!ref) return raise(L, 'redis.register_function must get a callback argument');
  }
  const fail = (msg: string) => {
    lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, ref);
    return raise(L, msg);
  };
  if (!validName(name!)) return fail('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long');
  if (li.functions.has(name!)) return fail('Function already exists in the library');
  li.functions.set(name!, { name: name!, desc, flags, ref, lib: li });
  return 0;
}

function readFlags(L: LuaState): number | null {
  let flags = 0;
  for (let j = 1; ; j++) {
    lua.lua_pushnumber(L, j);
    lua.lua_gettable(L, -2);
    if (lua.lua_type(L, -1) === lua.LUA_TNIL) {
      lua.lua_pop(L, 1);
      return flags;
    }
    if (!lua.lua_isstring(L, -1)) {
      lua.lua_pop(L, 1);
      return null;
    }
    const s = toStr(L, -1)!.toLowerCase();
    lua.lua_pop(L, 1);
    const def = SCRIPT_FLAGS.find(([, n]) => n === s);
    if (!def) return null;
    flags |= def[0];
  }
}
