// getCommandFlags for the script-running commands (server.c getCommandFlags, eval.c
// evalGetCommandFlags, functions.c fcallGetCommandFlags, script.c scriptFlagsToCmdFlags): a script
// that declares flags (a shebang, a function's flags) is judged by processCommand with those flags
// instead of EVAL's / FCALL's own: WRITE unless no-writes, DENYOOM unless allow-oom or no-writes,
// STALE only with allow-stale, never MAY_REPLICATE.
import type { CommandSpec } from '../commands/context.ts';
import type { RedisServer } from '../server/server.ts';
import { DENYOOM, MAY_REPLICATE, specBits, STALE, WRITE } from '../server/spec-flags.ts';
import { sha1hex } from './api.ts';
import { shebangFlags } from './eval.ts';
import { registryOf } from './functions.ts';
import { FLAG_ALLOW_OOM, FLAG_ALLOW_STALE, FLAG_EVAL_COMPAT, FLAG_NO_WRITES } from './run.ts';
import { scriptingOf } from './state.ts';

const SCRIPT_RUNNERS = new Set(['eval', 'eval_ro', 'evalsha', 'evalsha_ro', 'fcall', 'fcall_ro']);

/** The flags the script of this EVAL or FCALL (or their _RO and SHA forms) declared, or null when the command's own flags apply. */
export function declaredScriptFlags(s: RedisServer, name: string, argv: readonly string[]): number | null {
  if (name === 'fcall' || name === 'fcall_ro') {
    const st = scriptingOf(s);
    const f = st.libraries ? registryOf(st).functions.get(argv[1]!) : undefined;
    return f ? f.flags : null;
  }
  const evalsha = name.startsWith('evalsha');
  const body = argv[1]!;
  if (evalsha && body.length !== 40) return null;
  const cached = scriptingOf(s).scripts.get(evalsha ? body.toLowerCase() : sha1hex(body));
  let flags: number;
  if (cached) flags = cached.flags;
  else {
    if (evalsha) return null;
    const sb = shebangFlags(body);
    if (typeof sb === 'string') return null;
    flags = sb.flags;
  }
  return flags & FLAG_EVAL_COMPAT ? null : flags;
}

/** The command's flags as spec-flags.ts bits, as processCommand sees them for this argv. */
export function commandFlagBits(s: RedisServer, spec: CommandSpec, argv: readonly string[]): number {
  const bits = specBits(spec);
  if (!SCRIPT_RUNNERS.has(spec.name)) return bits;
  const sf = declaredScriptFlags(s, spec.name, argv);
  if (sf === null) return bits;
  let out = bits & ~(STALE | DENYOOM | WRITE | MAY_REPLICATE);
  if (!(sf & (FLAG_ALLOW_OOM | FLAG_NO_WRITES))) out |= DENYOOM;
  if (!(sf & FLAG_NO_WRITES)) out |= WRITE;
  if (sf & FLAG_ALLOW_STALE) out |= STALE;
  return out;
}
