// Small helpers for the server-side command groups (connection, server, pubsub, transactions).
import { arr, err, simple, type Resp } from '../../net/resp.ts';
import type { CommandContext, CommandFlag, CommandSpec } from '../commands/context.ts';

/** A CommandSpec with Redis's table data. */
export function cmd(
  name: string,
  arity: number,
  flags: CommandFlag[],
  group: string,
  since: string,
  summary: string,
  handler: CommandSpec['handler'],
  keys: [number, number, number] = [0, 0, 0],
  subcommands?: CommandSpec[],
): CommandSpec {
  const spec: CommandSpec = {
    name,
    arity,
    flags,
    firstKey: keys[0],
    lastKey: keys[1],
    keyStep: keys[2],
    group,
    summary,
    since,
    handler,
  };
  if (subcommands) spec.subcommands = subcommands;
  return spec;
}

/** addReplyHelp: "<CMD> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" + lines + HELP. */
export function helpReply(ctx: CommandContext, lines: readonly string[]): Resp {
  const head = `${ctx.argv[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`;
  return arr([head, ...lines, 'HELP', '    Prints this help.'].map((l) => simple(l)));
}

/** string2ll: a strict 64-bit decimal integer (as a JS number when safe), or null. */
export function parseLongLong(s: string): number | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s) || s.length > 20) return null;
  const b = BigInt(s);
  if (b > 9223372036854775807n || b < -9223372036854775808n) return null;
  return Number(b);
}

/** getIntFromObject: a 32-bit int. */
export function parseInt32(s: string): number | null {
  const n = parseLongLong(s);
  if (n === null || n > 2147483647 || n < -2147483648) return null;
  return n;
}

/** Redis's "%.17g"-free float parse used by DEBUG SLEEP (strtod). */
export function parseDouble(s: string): number | null {
  if (s.trim() !== s || s === '') return null;
  const n = Number(s);
  return Number.isNaN(n) ? null : n;
}

/** addReplySubcommandSyntaxError. */
export function subcommandSyntaxError(ctx: CommandContext): Resp {
  return err(
    `ERR unknown subcommand or wrong number of arguments for '${ctx.argv[1]!.slice(0, 128)}'. Try ${ctx.argv[0]!.toUpperCase()} HELP.`,
  );
}
