// The scripting lines of INFO memory (server.c genRedisInfoString "# Memory"): the EVAL script cache
// (eval.c evalScriptsMemory) and the FUNCTION libraries (functions.c functionsMemoryOverhead), in the
// bytes Redis 7.0.15 counts with jemalloc's size classes. The Lua VMs' own heaps (used_memory_lua,
// used_memory_vm_*) are not modelled: they stay at a fresh VM's size.
import { EMBSTR_SIZE_LIMIT, jemallocSize, sdsAlloc } from '../keyspace/memory.ts';
import type { RedisServer } from '../server/server.ts';
import { peekScripting } from './state.ts';

export interface ScriptingMemory {
  /** used_memory_scripts_eval */
  scriptsEval: number;
  /** number_of_cached_scripts */
  cachedScripts: number;
  /** number_of_functions */
  functions: number;
  /** number_of_libraries */
  libraries: number;
  /** used_memory_functions */
  functionsOverhead: number;
}

const ROBJ = 16;
const DICT_ENTRY = 24;
const POINTER = 8;
/** sizeof(luaScript): flags and the body object. */
const LUA_SCRIPT = 16;
/** sizeof(functionInfo), sizeof(functionLibInfo), sizeof(functionsLibCtx), sizeof(luaFunctionCtx). */
const FUNCTION_INFO = 40;
const LIBRARY_INFO = 32;
const LIB_CTX = 32;
const LUA_FUNCTION_CTX = 4;
/** The Lua engine's registration (functionsRegisterEngine's engine_cache_memory) and the engines dict with it. */
const ENGINE_CACHE = 112;
const ENGINES_DICT = DICT_ENTRY + 4 * POINTER;

/** The buckets of a dict that grew to `peak` entries (dictExpand: powers of two, at least 4; none when empty). */
function dictSlots(peak: number): number {
  if (peak === 0) return 0;
  let n = 4;
  while (n < peak) n *= 2;
  return n;
}

/** getStringObjectSdsUsedMemory of a command argument (embstr up to 44 bytes, else raw). */
function argSdsMemory(len: number): number {
  return len <= EMBSTR_SIZE_LIMIT ? jemallocSize(ROBJ + 3 + len + 1) - ROBJ : sdsAlloc(len);
}

export function scriptingMemory(s: RedisServer): ScriptingMemory {
  const st = peekScripting(s);
  let scriptsEval = 0;
  let functionsOverhead = ENGINES_DICT + LIB_CTX + ENGINE_CACHE;
  let functions = 0;
  let libraries = 0;
  const cachedScripts = st?.scripts.size ?? 0;
  if (st) {
    for (const [sha, sc] of st.scripts) scriptsEval += sdsAlloc(sha.length) + argSdsMemory(sc.body.length);
    scriptsEval += cachedScripts * (DICT_ENTRY + LUA_SCRIPT) + dictSlots(cachedScripts) * POINTER;
    const reg = st.libraries;
    if (reg) {
      functions = reg.functions.size;
      libraries = reg.libraries.size;
      functionsOverhead += functions * DICT_ENTRY + dictSlots(reg.functionsPeak) * POINTER;
      for (const li of reg.libraries.values()) {
        functionsOverhead += jemallocSize(LIBRARY_INFO) + sdsAlloc(li.name.length) + sdsAlloc(li.code.length);
        for (const f of li.functions.values())
          functionsOverhead +=
            jemallocSize(FUNCTION_INFO) + sdsAlloc(f.name.length) + (f.desc !== null ? sdsAlloc(f.desc.length) : 0) + jemallocSize(LUA_FUNCTION_CTX);
      }
    }
  }
  return { scriptsEval, cachedScripts, functions, libraries, functionsOverhead };
}
