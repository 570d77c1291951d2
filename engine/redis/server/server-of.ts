// The server behind a command's context: a leaf module, so the command modules of scripting/ and
// tracking/ reach their server without importing the server core.
import type { CommandContext } from '../commands/context.ts';
import type { RedisServer } from './server.ts';

/** The server behind a command's context. */
export function serverOf(ctx: CommandContext): RedisServer {
  const s = (ctx as { server?: RedisServer }).server;
  if (!s) throw new Error('this command needs a running RedisServer');
  return s;
}
