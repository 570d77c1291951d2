// Function libraries in RDB files (rdbSaveFunctions / rdbFunctionLoad of Redis 7.0.15): each library's
// code as an RDB_OPCODE_FUNCTION2 record before the data; loading creates them as FUNCTION LOAD does.
import type { RedisServer } from '../server/server.ts';
import { createLibrary, freeLibrary, registryOf } from './functions.ts';
import { scriptingOf } from './state.ts';

/** The code of every library, in registry order. */
export function libraryCodes(s: RedisServer): string[] {
  return [...registryOf(scriptingOf(s)).libraries.values()].map((l) => l.code);
}

/** emptyData's functionsLibCtxClear: a full sync replaces the replica's libraries too. */
export function clearLibraries(s: RedisServer): void {
  const st = scriptingOf(s);
  const reg = registryOf(st);
  reg.flush((li) => freeLibrary(st, li));
}

/** rdbFunctionLoad for each code; a library that fails is reported and skipped (the data still loads). */
export function loadLibraries(s: RedisServer, codes: readonly string[], warn: (line: string) => void): void {
  if (codes.length === 0) return;
  const st = scriptingOf(s);
  const reg = registryOf(st);
  for (const code of codes) {
    const r = createLibrary(st, reg, code, false, 0);
    if (typeof r !== 'string') warn(`Failed loading library, ${r.error}`);
  }
}
