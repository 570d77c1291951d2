// What the server core asks of scripting (EVAL/FCALL and FUNCTION libraries). The process factory
// (index.ts) installs it at boot, so the core (dispatch, pause, boot) does not import scripting/,
// which builds on the core.
import type { CommandSpec } from '../commands/context.ts';
import type { RedisServer } from './server.ts';

export interface ScriptingPort {
  /** getCommandFlags (server.c): the flags processCommand judges a command by; EVAL/FCALL take their script's declared flags. */
  commandFlagBits(spec: CommandSpec, argv: readonly string[]): number;
  /** The FUNCTION libraries' code, as an RDB or AOF base saves it. */
  libraryCodes(): string[];
  /** Libraries read from an RDB (at boot, or a full resync's payload with `clearFirst`). */
  loadLibraries(codes: readonly string[], clearFirst: boolean): void;
}

/** Attaches scripting to a server whose config is loaded (before the dataset is loaded). */
export type ScriptingInstaller = (s: RedisServer) => ScriptingPort;
