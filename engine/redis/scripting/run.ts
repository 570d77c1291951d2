// One script invocation (script.c scriptPrepareForRun / scriptCall / scriptInterrupt, script_lua.c
// luaCallFunction) in virtual time. The script runs in a Lua thread with a count hook: every
// HOOK_INSTR instructions charge HOOK_US of virtual time. A script that ends before
// busy-reply-threshold makes the server busy for the time it used (like DEBUG SLEEP); one that reaches
// it yields: the server answers -BUSY to other clients and resumes the script a slice at a time, so
// SCRIPT KILL / FUNCTION KILL / SHUTDOWN NOSAVE can reach it, as in Redis's processEventsWhileBlocked.
import { type Reply, type Resp } from '../../net/resp.ts';
import { toProtocol } from '../../net/resp3.ts';
import type { CommandFlag, CommandSpec } from '../commands/context.ts';
import { call } from '../server/call.ts';
import { markErrorCounted, type Client } from '../server/client.ts';
import { resolveCommand } from '../server/dispatch.ts';
import type { RedisServer } from '../server/server.ts';
import { scriptAclCheck, scriptAclRefusal } from '../server/acl-host.ts';
import type { RunHooks } from './api.ts';
import { popReply, pushErrorTable, statsIgnored } from './convert.ts';
import { KILLED_FLAG } from './engines.ts';
import { markHookYield, markScriptThread, takeHookYield } from './lua-coroutine.ts';
import { fmtNumber, lauxlib, lstr, lua, pushStr, setCurrentThread, toStr, type LuaState } from './vm.ts';

/** Instructions between two hook calls, and the virtual time they stand for (100M instructions/s). */
export const HOOK_INSTR = 10_000;
export const HOOK_US = 100;
/** Virtual time a timed-out script runs between two looks at the other clients. */
export const SLICE_US = 1_000;

export const FLAG_NO_WRITES = 1;
export const FLAG_ALLOW_OOM = 2;
export const FLAG_ALLOW_STALE = 4;
export const FLAG_NO_CLUSTER = 8;
export const FLAG_ALLOW_CROSS_SLOT = 16;
export const FLAG_EVAL_COMPAT = 32;
export const SCRIPT_FLAGS: readonly [number, string][] = [
  [FLAG_NO_WRITES, 'no-writes'],
  [FLAG_ALLOW_OOM, 'allow-oom'],
  [FLAG_ALLOW_STALE, 'allow-stale'],
  [FLAG_NO_CLUSTER, 'no-cluster'],
  [FLAG_ALLOW_CROSS_SLOT, 'allow-cross-slot-keys'],
];

export interface RunOwner {
  server: RedisServer;
  /** The engine's client that runs the script's commands (lctx.lua_client / the engine's client). */
  scriptClient: Client;
  current: ScriptRun | null;
  setRun(run: RunHooks | null): void;
}

const has = (flags: readonly CommandFlag[], f: CommandFlag) => flags.includes(f);

export class ScriptRun implements RunHooks {
  elapsedUs = 0;
  sliceUs = 0;
  timedOut = false;
  killed = false;
  writeDirty = false;
  resp: 2 | 3 = 2;
  repl = 3;
  readOnly: boolean;
  allowOom: boolean;
  preOom: boolean;
  co: LuaState = null;
  private coRef = 0;
  private nargs = 0;
  /** Host ms when the script started (scriptTimeSnapshot). */
  readonly startMs: number;

  constructor(
    readonly owner: RunOwner,
    readonly L: LuaState,
    readonly caller: Client,
    readonly argv: string[],
    /** The name in errors and logs: the sha of an EVAL, the function's name. */
    readonly funcname: string,
    readonly isEval: boolean,
    flags: number,
    ro: boolean,
    readonly finish: (reply: Reply) => void,
    /** False inside EXEC, for the master link and AOF loading: the script then runs to its end at once. */
    readonly mayYield: boolean,
  ) {
    const compat = (flags & FLAG_EVAL_COMPAT) !== 0;
    this.readOnly = ro || (!compat && (flags & FLAG_NO_WRITES) !== 0);
    this.allowOom = !compat && (flags & FLAG_ALLOW_OOM) !== 0;
    this.preOom = owner.server.maxmemoryBytes() > 0 && owner.server.usedMemory() > owner.server.maxmemoryBytes();
    this.startMs = owner.server.mstime();
    const sc = owner.scriptClient;
    sc.dbIndex = caller.dbIndex;
    sc.scriptCaller = caller;
    const cmd = resolveCommand(argv);
    sc.scriptCallerCmd = 't' in cmd ? null : { spec: cmd.spec, argv };
    sc.resp = 2;
    sc.user = caller.user;
  }

  get server(): RedisServer {
    return this.owner.server;
  }

  // ---- RunHooks (what redis.* reaches) --------------------------------------------------------------

  setResp(v: 2 | 3): void {
    this.resp = v;
    this.owner.scriptClient.resp = v;
  }

  setRepl(flags: number): void {
    this.repl = flags;
  }

  aclCheck(argv: string[]): boolean | null {
    return scriptAclCheck(this.server, this.caller, argv);
  }

  /** scriptCall: the checks of a command run from a script, then call(). */
  call(argv: string[]): Reply | { refused: string } {
    const r = resolveCommand(argv);
    if ('t' in r) {
      this.server.stats.error('ERR Unknown Redis command called from script');
      return { refused: 'Unknown Redis command called from script' };
    }
    const refused = this.refusal(argv, r.spec, r.fullname);
    if (refused === null) return this.execute(argv, r.spec, r.fullname);
    // afterErrorReply (counted now, even if a pcall catches it), incrCommandStatsOnError(cmd, ERROR_COMMAND_REJECTED)
    this.server.stats.error(refused.startsWith('-') ? refused.slice(1) : `ERR ${refused}`);
    this.server.stats.cmd(r.fullname).rejected++;
    return { refused };
  }

  /** scriptCall's checks in order; null when the command may run. */
  private refusal(argv: string[], spec: CommandSpec, fullname: string): string | null {
    const s = this.server;
    if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) return 'Wrong number of args calling Redis command from script';
    const f = spec.flags;
    if (has(f, 'noscript')) return 'This Redis command is not allowed from script';
    const repl = s.repl;
    if (repl.isReplica && !repl.masterLinkUp && !s.conf.bool('replica-serve-stale-data') && !has(f, 'stale'))
      return 'Can not execute the command on a stale replica';
    const denied = scriptAclRefusal(s, this.owner.scriptClient, fullname, argv);
    if (denied) return denied;
    const isWrite = has(f, 'write');
    if (this.readOnly && (isWrite || has(f, 'may_replicate'))) return 'Write commands are not allowed from read-only scripts.';
    const obey = this.caller.kind === 'master' || s.loading;
    if (isWrite && !this.writeDirty) {
      if (repl.isReplica && s.conf.bool('replica-read-only') && !obey) return "-READONLY You can't write against a read only replica.";
      const minToWrite = s.conf.int('min-replicas-to-write');
      if (!repl.isReplica && minToWrite > 0 && s.conf.int('min-replicas-max-lag') > 0 && repl.goodReplicas < minToWrite)
        return '-NOREPLICAS Not enough good replicas to write.';
    }
    if (!this.allowOom && s.maxmemoryBytes() > 0 && !obey && !this.writeDirty && this.preOom && has(f, 'denyoom'))
      return "-OOM command not allowed when used memory > 'maxmemory'.";
    if (isWrite) this.writeDirty = true;
    return null;
  }

  /** call() of the command on the script's client; its reply in the script's protocol. */
  private execute(argv: string[], spec: CommandSpec, fullname: string): Reply {
    const s = this.server;
    const sc = this.owner.scriptClient;
    const sink: Reply[] = [];
    sc.sink = sink;
    const before = s.propagator.pendingCount;
    try {
      call(s, sc, spec, fullname, argv, true);
    } finally {
      sc.sink = null;
    }
    if (this.repl !== 3) s.propagator.retarget(before, { aof: (this.repl & 1) !== 0, repl: (this.repl & 2) !== 0 });
    // the reply as the script client's protocol has it (redis.setresp)
    return toProtocol(sink[0] ?? { t: 'bulk', v: null }, this.resp);
  }

  // ---- execution ------------------------------------------------------------------------------------

  /** Start with the function and its arguments on top of L's stack (function, then nargs values). */
  start(nargs: number): void {
    const L = this.L;
    this.co = lua.lua_newthread(L);
    markScriptThread(this.co);
    lua.lua_insert(L, -(nargs + 2));
    lua.lua_xmove(L, this.co, nargs + 1);
    this.coRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    this.nargs = nargs;
    lua.lua_sethook(this.co, this.hook, lua.LUA_MASKCOUNT, HOOK_INSTR);
    this.owner.current = this;
    this.owner.setRun(this);
    this.resume();
  }

  private readonly hook = (L: LuaState): void => {
    this.elapsedUs += HOOK_US;
    this.sliceUs += HOOK_US;
    if (this.killed) {
      // keep firing so a pcall cannot swallow the kill (luaMaskCountHook sets it on the script's thread)
      lua.lua_sethook(L, this.hook, lua.LUA_MASKLINE, 0);
      if (L !== this.co) lua.lua_sethook(this.co, this.hook, lua.LUA_MASKLINE, 0);
      setKilledFlag(L, true);
      pushErrorTable(L, 'Script killed by user with SCRIPT KILL...');
      lua.lua_error(L);
      return;
    }
    // the script's thread or a coroutine it created (lua-coroutine.ts passes the yield up)
    const canYield = this.mayYield && lua.lua_isyieldable(L);
    if (!this.timedOut) {
      const threshold = this.server.conf.int('busy-reply-threshold');
      if (threshold > 0 && this.elapsedUs >= threshold * 1000) {
        this.timedOut = true;
        this.server.log(
          '#',
          `Slow script detected: still in execution after ${Math.floor(this.elapsedUs / 1000)} milliseconds. ` +
            `You can try killing the script using the ${this.isEval ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${this.funcname}.`,
        );
        if (canYield) this.yieldFromHook(L);
      }
    } else if (this.sliceUs >= SLICE_US && canYield) this.yieldFromHook(L);
  };

  private yieldFromHook(L: LuaState): void {
    markHookYield(L);
    lua.lua_yield(L, 0);
  }

  private resume(): void {
    setCurrentThread(this.co);
    this.sliceUs = 0;
    const wasTimedOut = this.timedOut;
    const status = lua.lua_resume(this.co, null, this.nargs);
    this.nargs = 0;
    if (status === lua.LUA_YIELD && takeHookYield(this.co)) {
      this.suspend(wasTimedOut);
      return;
    }
    let reply: Reply;
    if (status === lua.LUA_YIELD) {
      // coroutine.yield on the script's own thread: 5.1 runs it under lua_pcall, not as a coroutine
      pushStr(this.co, 'attempt to yield across metamethod/C-call boundary');
      reply = this.errorReply();
    } else if (status === lua.LUA_OK) {
      if (lua.lua_gettop(this.co) === 0) lua.lua_pushnil(this.co);
      lua.lua_settop(this.co, 1);
      reply = popReply(this.co, this.resp);
    } else reply = this.errorReply();
    this.end(reply, wasTimedOut);
  }

  /** The script reached the threshold (first time) or used its slice: continue later in virtual time. */
  private suspend(wasTimedOut: boolean): void {
    const s = this.server;
    if (!wasTimedOut) {
      // the run so far froze the server; from then on it answers -BUSY (enterScriptTimedoutMode)
      s.startBusy(this.elapsedUs / 1000);
      s.callDepth++;
      s.longCommand = { client: this.caller, isEval: this.isEval };
    }
    const wait = wasTimedOut ? this.sliceUs / 1000 : this.elapsedUs / 1000;
    s.ctx.setTimer(wait, () => {
      if (s.shuttingDown || this.owner.current !== this) return;
      s.event(() => this.resume());
    });
  }

  private end(reply: Reply, wasTimedOut: boolean): void {
    const s = this.server;
    lua.lua_sethook(this.co, null, 0, 0);
    setKilledFlag(this.L, false);
    lauxlib.luaL_unref(this.L, lua.LUA_REGISTRYINDEX, this.coRef);
    this.owner.current = null;
    this.owner.setRun(null);
    if (!wasTimedOut) {
      // a script that ended before the threshold kept the server for the time it ran
      if (this.elapsedUs > 0) s.startBusy(this.elapsedUs / 1000);
      this.finish(reply);
      return;
    }
    s.callDepth--;
    this.finish(reply);
    if (s.callDepth === 0) s.propagator.flush();
    s.unblocked.push(this.caller);
    for (const c of s.clients.values()) if (c.kind === 'master') s.unblocked.push(c);
    s.endLongCommand();
  }

  /** The error object left on the dead thread, as the error handler of Redis formats it. */
  private errorReply(): Resp {
    const co = this.co;
    lua.lua_checkstack(co, 8);
    let source: string | null = null;
    let line: number | null = null;
    const ar = new lua.lua_Debug();
    for (let level = 0; level < 2 && lua.lua_getstack(co, level, ar); level++) {
      lua.lua_getinfo(co, lstr('Sl'), ar);
      const what = ar.what ? String.fromCharCode(...ar.what) : '';
      if ((what === 'C' || what === 'J') && level === 0) continue;
      source = ar.source ? String.fromCharCode(...ar.source) : null;
      line = ar.currentline;
      break;
    }
    let msg: string;
    let counted = false;
    if (lua.lua_istable(co, -1)) {
      lua.lua_getfield(co, -1, lstr('err'));
      msg = lua.lua_isstring(co, -1) ? toStr(co, -1)! : '';
      lua.lua_pop(co, 1);
      counted = statsIgnored(co, -1);
    } else {
      const t = lua.lua_type(co, -1);
      const s = t === lua.LUA_TNUMBER ? fmtNumber(lua.lua_tonumber(co, -1)) : t === lua.LUA_TSTRING ? toStr(co, -1)! : luaTypeString(co, t);
      msg = `ERR ${lua51Message(s)}`;
    }
    let out = msg;
    if (source !== null && line !== null) out += ` script: ${this.funcname}, on ${source}:${line}.`;
    const reply: Resp = { t: 'error', v: out.replace(/^[\r\n]+|[\r\n]+$/g, '').replace(/[\r\n]/g, ' ') };
    return counted ? markErrorCounted(reply) : reply;
  }
}

function luaTypeString(L: LuaState, t: number): string {
  if (t === lua.LUA_TNIL) return 'nil';
  if (t === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, -1) ? 'true' : 'false';
  return `${String.fromCharCode(...lua.lua_typename(L, t))}: 0x0`;
}

/** Lua 5.3's "attempt to call a nil value (global 'f')" as 5.1 words it: "attempt to call global 'f' (a nil value)". */
export function lua51Message(s: string): string {
  return s.replace(/attempt to (.+?) an? (\w+) value \((global|local|field|upvalue|method|constant) '([^']*)'\)/, (_m, op, type, kind, name) =>
    `attempt to ${op} ${kind === 'constant' ? 'field' : kind} '${name}' (a ${type} value)`,
  );
}

function setKilledFlag(L: LuaState, killed: boolean): void {
  if (killed) lua.lua_pushboolean(L, 1);
  else lua.lua_pushnil(L);
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, lstr(KILLED_FLAG));
}
