// The `redis` table scripts see and Redis's math.random (script_lua.c luaRegisterRedisAPI, eval.c
// scriptingInit): call, pcall, sha1hex, error_reply, status_reply, log, setresp, set_repl,
// replicate_commands, breakpoint/debug (no debugger: they answer false/nothing as outside a debug session),
// acl_check_cmd, the version fields, and the lrand48 generator behind math.random.
import { sha1 } from '@noble/hashes/legacy.js';
import type { Reply } from '../../net/resp.ts';
import { markIgnoreStats, pushErrorTable, pushReply } from './convert.ts';
import { gFormat, jstr, lauxlib, lstr, lua, pushStr, setField, setNumberField, toStr, type LuaState } from './vm.ts';

export const REDIS_VERSION = '7.0.15';
export const REDIS_VERSION_NUM = 0x07000f;

/** What the redis.* functions need from the script being run (null outside a script invocation). */
export interface RunHooks {
  /** scriptCall: the reply of the command, or the error text of a refusal (no '-' prefix: "ERR ..."). */
  call(argv: string[]): Reply | { refused: string };
  setResp(v: 2 | 3): void;
  setRepl(flags: number): void;
  aclCheck(argv: string[]): boolean | null;
}

export interface ApiHost {
  run: RunHooks | null;
  log(level: number, msg: string): void;
  /** Level below which redis.log is dropped (server.verbosity). */
  verbosity(): number;
  rand: Lrand48;
}

export function sha1hex(s: string): string {
  const d = sha1(lstr(s));
  let h = '';
  for (const b of d) h += b.toString(16).padStart(2, '0');
  return h;
}

/** redisLrand48 / redisSrand48 (rand.c): 48-bit LCG, one per server, never reseeded per call in 7.0. */
export class Lrand48 {
  private x = 0x1234abcd330en;
  next(): number {
    this.x = (0x5deece66dn * this.x + 0xbn) & 0xffffffffffffn;
    return Number(this.x >> 17n);
  }
  seed(v: number): void {
    const s = BigInt(v | 0) & 0xffffffffn;
    this.x = 0x330en | ((s & 0xffffn) << 16n) | (((s >> 16n) & 0xffffn) << 32n);
  }
}

function raise(L: LuaState, msg: string): number {
  pushErrorTable(L, msg);
  return lua.lua_error(L);
}

/** luaArgsToRedisArgv: strings as they are, numbers as %.17g; anything else is an error. */
function argsToArgv(L: LuaState): string[] | string {
  const n = lua.lua_gettop(L);
  if (n === 0) return 'Please specify at least one argument for this redis lib call';
  const argv: string[] = [];
  for (let j = 1; j <= n; j++) {
    const t = lua.lua_type(L, j);
    if (t === lua.LUA_TNUMBER) argv.push(gFormat(lua.lua_tonumber(L, j), 17));
    else if (t === lua.LUA_TSTRING) argv.push(toStr(L, j)!);
    else {
      lua.lua_settop(L, 0);
      return 'Lua redis lib command arguments must be strings or integers';
    }
  }
  lua.lua_settop(L, 0);
  return argv;
}

function genericCommand(host: ApiHost, L: LuaState, raiseError: boolean): number {
  const run = host.run;
  if (!run) return raise(L, 'redis.call/pcall can only be called inside a script invocation');
  const argv = argsToArgv(L);
  if (typeof argv === 'string') {
    pushErrorTable(L, argv);
    return raiseError ? lua.lua_error(L) : 1;
  }
  const r = run.call(argv);
  if ('refused' in r) {
    pushErrorTable(L, r.refused);
    markIgnoreStats(L);
    return raiseError ? lua.lua_error(L) : 1;
  }
  pushReply(L, r);
  if (raiseError && r.t === 'error') return lua.lua_error(L);
  return 1;
}

/** Fill the `redis` table on top of the stack (the EVAL and the function-call flavours). */
export function registerRedisApi(L: LuaState, host: ApiHost): void {
  setField(L, -1, 'call', (S) => genericCommand(host, S, true));
  setField(L, -1, 'pcall', (S) => genericCommand(host, S, false));
  registerLogAndVersion(L, host);
  setField(L, -1, 'setresp', (S) => {
    if (!host.run) return raise(S, 'redis.setresp can only be called inside a script invocation');
    if (lua.lua_gettop(S) !== 1) return raise(S, 'redis.setresp() requires one argument.');
    const v = Math.trunc(lua.lua_tonumber(S, 1));
    if (v !== 2 && v !== 3) return raise(S, 'RESP version must be 2 or 3.');
    host.run.setResp(v);
    return 0;
  });
  setField(L, -1, 'sha1hex', (S) => {
    if (lua.lua_gettop(S) !== 1) return raise(S, 'wrong number of arguments');
    pushStr(S, sha1hex(toStr(S, 1) ?? ''));
    return 1;
  });
  setField(L, -1, 'error_reply', (S) => {
    if (lua.lua_gettop(S) !== 1 || lua.lua_type(S, -1) !== lua.LUA_TSTRING) {
      pushErrorTable(S, 'wrong number or type of arguments');
      return 1;
    }
    const e = toStr(S, -1)!;
    pushErrorTable(S, e.startsWith('-') ? e : `-${e}`);
    return 1;
  });
  setField(L, -1, 'status_reply', (S) => {
    if (lua.lua_gettop(S) !== 1 || lua.lua_type(S, -1) !== lua.LUA_TSTRING) {
      pushErrorTable(S, 'wrong number or type of arguments');
      return 1;
    }
    lua.lua_createtable(S, 0, 1);
    lua.lua_pushvalue(S, -2);
    lua.lua_setfield(S, -2, lstr('ok'));
    return 1;
  });
  setField(L, -1, 'set_repl', (S) => {
    if (!host.run) return raise(S, 'redis.set_repl can only be called inside a script invocation');
    if (lua.lua_gettop(S) !== 1) return raise(S, 'redis.set_repl() requires two arguments.');
    const flags = Math.trunc(lua.lua_tonumber(S, -1));
    if ((flags & ~3) !== 0) return raise(S, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
    host.run.setRepl(flags);
    return 0;
  });
  setNumberField(L, 'REPL_NONE', 0);
  setNumberField(L, 'REPL_AOF', 1);
  setNumberField(L, 'REPL_SLAVE', 2);
  setNumberField(L, 'REPL_REPLICA', 2);
  setNumberField(L, 'REPL_ALL', 3);
  setField(L, -1, 'acl_check_cmd', (S) => {
    if (!host.run) return raise(S, 'redis.acl_check_cmd can only be called inside a script invocation');
    const argv = argsToArgv(S);
    if (typeof argv === 'string') return raise(S, argv);
    const ok = host.run.aclCheck(argv);
    if (ok === null) return raise(S, 'Invalid command passed to redis.acl_check_cmd()');
    lua.lua_pushboolean(S, ok ? 1 : 0);
    return 1;
  });
}

/** redis.log, the LOG_* levels and REDIS_VERSION(_NUM): also in the FUNCTION LOAD environment. */
export function registerLogAndVersion(L: LuaState, host: ApiHost): void {
  setField(L, -1, 'log', (S) => {
    const argc = lua.lua_gettop(S);
    if (argc < 2) return raise(S, 'redis.log() requires two arguments or more.');
    if (!lua.lua_isnumber(S, 1)) return raise(S, 'First argument must be a number (log level).');
    const level = Math.trunc(lua.lua_tonumber(S, 1));
    if (level < 0 || level > 3) return raise(S, 'Invalid debug level.');
    if (level < host.verbosity()) return 0;
    const parts: string[] = [];
    for (let j = 2; j <= argc; j++) {
      const s = lua.lua_tolstring(S, j);
      if (s) parts.push(jstr(s));
    }
    host.log(level, parts.join(' '));
    return 0;
  });
  setNumberField(L, 'LOG_DEBUG', 0);
  setNumberField(L, 'LOG_VERBOSE', 1);
  setNumberField(L, 'LOG_NOTICE', 2);
  setNumberField(L, 'LOG_WARNING', 3);
  setNumberField(L, 'REDIS_VERSION_NUM', REDIS_VERSION_NUM);
  pushStr(L, REDIS_VERSION);
  lua.lua_setfield(L, -2, lstr('REDIS_VERSION'));
}

/** math.random / math.randomseed over the server's lrand48 (redis_math_random). */
export function registerMathRandom(L: LuaState, host: ApiHost): void {
  lua.lua_getglobal(L, lstr('math'));
  setField(L, -1, 'random', (S) => {
    if (!host.run) return lauxlib.luaL_error(S, lstr('math.random can only be called inside a script invocation'));
    const MAX = 2147483647;
    const r = (host.rand.next() % MAX) / MAX;
    switch (lua.lua_gettop(S)) {
      case 0:
        lua.lua_pushnumber(S, r);
        break;
      case 1: {
        const u = Math.trunc(lauxlib.luaL_checknumber(S, 1));
        lauxlib.luaL_argcheck(S, 1 <= u, 1, lstr('interval is empty'));
        lua.lua_pushnumber(S, Math.floor(r * u) + 1);
        break;
      }
      case 2: {
        const l = Math.trunc(lauxlib.luaL_checknumber(S, 1));
        const u = Math.trunc(lauxlib.luaL_checknumber(S, 2));
        lauxlib.luaL_argcheck(S, l <= u, 2, lstr('interval is empty'));
        lua.lua_pushnumber(S, Math.floor(r * (u - l + 1)) + l);
        break;
      }
      default:
        return lauxlib.luaL_error(S, lstr('wrong number of arguments'));
    }
    return 1;
  });
  setField(L, -1, 'randomseed', (S) => {
    if (!host.run) return lauxlib.luaL_error(S, lstr('math.randomseed can only be called inside a script invocation'));
    host.rand.seed(Math.trunc(lauxlib.luaL_checknumber(S, 1)));
    return 0;
  });
  lua.lua_pop(L, 1);
}
