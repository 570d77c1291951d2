// The scripting state of one server: the EVAL state and its script cache (eval.c lctx), the FUNCTION
// state and its libraries (functions.c), the lrand48 behind math.random, the running script.
import type { Resp } from '../../net/resp.ts';
import type { CommandContext } from '../commands/context.ts';
import { Client } from '../server/client.ts';
import type { RedisServer } from '../server/server.ts';
import { serverOf } from '../server/server-of.ts';
import { Lrand48, type ApiHost, type RunHooks } from './api.ts';
import { createEvalState, createFunctionState, type EvalState, type FunctionState } from './engines.ts';
import type { LibraryRegistry } from './functions.ts';
import type { RunOwner, ScriptRun } from './run.ts';
import type { LuaState } from './vm.ts';

export interface CachedScript {
  body: string;
  flags: number;
  /** Registry reference of the compiled chunk. */
  ref: number;
}

const LOG_CHAR = ['.', '-', '*', '#'] as const;

export class ScriptingState implements RunOwner, ApiHost {
  run: RunHooks | null = null;
  current: ScriptRun | null = null;
  readonly rand = new Lrand48();
  readonly scriptClient: Client;
  private evalState: EvalState | null = null;
  readonly scripts = new Map<string, CachedScript>();
  private fnState: FunctionState | null = null;
  libraries: LibraryRegistry | null = null;
  /** Set while FUNCTION LOAD runs the library code (REGISTRY_LOAD_CTX_NAME). */
  loadCtx: { register: (L: LuaState) => number; elapsedUs: number } | null = null;

  constructor(readonly server: RedisServer) {
    this.scriptClient = new Client(0, null, '', '', server.mstime(), true, {
      deliver: () => {},
      countError: (text) => server.stats.error(text),
    });
  }

  setRun(run: RunHooks | null): void {
    this.run = run;
  }

  log(level: number, msg: string): void {
    this.server.log(LOG_CHAR[level] ?? '*', msg);
  }

  verbosity(): number {
    const v = this.server.conf.get('loglevel');
    return v === 'debug' ? 0 : v === 'verbose' ? 1 : v === 'notice' ? 2 : 3;
  }

  get evalL(): LuaState {
    this.evalState ??= createEvalState(this);
    return this.evalState.L;
  }

  /** scriptingReset: a fresh EVAL state, an empty cache. */
  resetEval(): void {
    this.evalState = null;
    this.scripts.clear();
  }

  get fnL(): LuaState {
    this.fnState ??= createFunctionState(this, (L) => (this.loadCtx ? this.loadCtx.register(L) : noLoadCtx(L)));
    return this.fnState.L;
  }
}

import { pushErrorTable } from './convert.ts';
import { lua } from './vm.ts';
function noLoadCtx(L: LuaState): number {
  pushErrorTable(L, 'redis.register_function can only be called on FUNCTION LOAD command');
  return lua.lua_error(L);
}

const states = new WeakMap<RedisServer, ScriptingState>();

export function scriptingOf(server: RedisServer): ScriptingState {
  let st = states.get(server);
  if (!st) {
    st = new ScriptingState(server);
    states.set(server, st);
  }
  return st;
}

/** The server's scripting state if a script or a library ever needed it (INFO reads without creating it). */
export function peekScripting(server: RedisServer): ScriptingState | undefined {
  return states.get(server);
}

export function stateOf(ctx: CommandContext): ScriptingState {
  return scriptingOf(serverOf(ctx));
}

export type { Resp };
