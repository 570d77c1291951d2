// The extra libraries Redis loads into both Lua states (script_lua.c luaLoadLibraries): cjson, struct,
// cmsgpack and bit, each a global table.
import type { LuaState } from '../vm.ts';
import { openBit } from './bit.ts';
import { openCjson } from './cjson.ts';
import { openCmsgpack } from './cmsgpack.ts';
import { openStruct } from './struct.ts';

export function openExtraLibs(L: LuaState): void {
  openBit(L);
  openCjson(L);
  openStruct(L);
  openCmsgpack(L);
}
