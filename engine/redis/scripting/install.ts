// Scripting's side of the server core's ScriptingPort (server/scripting-port.ts): the process factory
// installs it at boot.
import type { ScriptingPort } from '../server/scripting-port.ts';
import type { RedisServer } from '../server/server.ts';
import { commandFlagBits } from './cmd-flags.ts';
import { clearLibraries, libraryCodes, loadLibraries } from './rdb-functions.ts';

export function installScripting(s: RedisServer): ScriptingPort {
  return {
    commandFlagBits: (spec, argv) => commandFlagBits(s, spec, argv),
    libraryCodes: () => libraryCodes(s),
    loadLibraries: (codes, clearFirst) => {
      if (clearFirst) clearLibraries(s);
      loadLibraries(s, codes, (l) => s.log('#', l));
    },
  };
}
