// The slow log of Redis 7.0.15 (slowlog.c): entries of commands that ran for at least
// slowlog-log-slower-than µs, newest first, trimmed to slowlog-max-len. A simulated command's duration
// is the virtual time it kept the server busy (DEBUG SLEEP, a script's instructions: see call.ts
// commandDuration), 0 µs for everything else: wall-clock time never enters the simulation.
import { arr, bulk, err, int, OK, type Resp } from '../../net/resp.ts';
import type { CommandSpec } from '../commands/context.ts';
import type { Client } from './client.ts';
import { redactedArgv } from './monitor.ts';
import type { RedisServer } from './server.ts';
import { specHas } from './spec-flags.ts';

/** SLOWLOG_ENTRY_MAX_ARGC / SLOWLOG_ENTRY_MAX_STRING. */
const MAX_ARGC = 32;
const MAX_STRING = 128;

export interface SlowlogEntry {
  id: number;
  /** Unix seconds (host clock). */
  time: number;
  durationUs: number;
  argv: string[];
  peer: string;
  name: string;
}

export class SlowLog {
  /** Newest first. */
  readonly entries: SlowlogEntry[] = [];
  nextId = 0;

  /** slowlogPushEntryIfNeeded. */
  push(s: RedisServer, c: Client, argv: readonly string[], durationUs: number): void {
    const threshold = s.conf.int('slowlog-log-slower-than');
    if (threshold < 0) return;
    if (durationUs >= threshold) this.entries.unshift(makeEntry(s, c, argv, durationUs, this.nextId++));
    const max = s.conf.int('slowlog-max-len');
    if (this.entries.length > max) this.entries.length = max;
  }

  reset(): void {
    this.entries.length = 0;
  }
}

/** slowlogCreateEntry: at most 32 arguments (the last says how many more), strings cut at 128 bytes. */
function makeEntry(s: RedisServer, c: Client, argv: readonly string[], durationUs: number, id: number): SlowlogEntry {
  const shown = redactedArgv(argv);
  const n = Math.min(shown.length, MAX_ARGC);
  const out: string[] = [];
  for (let j = 0; j < n; j++) {
    if (n !== shown.length && j === n - 1) out.push(`... (${shown.length - n + 1} more arguments)`);
    else {
      const a = shown[j]!;
      out.push(a.length > MAX_STRING ? `${a.slice(0, MAX_STRING)}... (${a.length - MAX_STRING} more bytes)` : a);
    }
  }
  const peer = c.conn === null ? '?:0' : c.addr; // a fake client (Lua, AOF) has no socket: anetFdToString fails
  return { id, time: Math.floor(s.mstime() / 1000), durationUs, argv: out, peer, name: c.name };
}

const logs = new WeakMap<RedisServer, SlowLog>();

export function slowlogOf(s: RedisServer): SlowLog {
  let l = logs.get(s);
  if (!l) {
    l = new SlowLog();
    logs.set(s, l);
  }
  return l;
}

/** slowlogPushCurrentCommand: not for skip_slowlog commands. */
export function slowlogPushCommand(s: RedisServer, c: Client, spec: CommandSpec, argv: readonly string[], durationUs: number): void {
  if (s.loading && c.scriptCaller) return;
  // CMD_SKIP_SLOWLOG: EXEC (its commands are logged one by one)
  if (spec.name === 'exec' || specHas(spec, 'skip_slowlog')) return;
  slowlogOf(s).push(s, c, argv, durationUs);
}

// ---- SLOWLOG command ----------------------------------------------------------------------------------

export const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

/** SLOWLOG GET [count]: count in [-1, LONG_MAX] (getRangeLongFromObjectOrReply), -1 = all. */
export function slowlogGet(s: RedisServer, countArg: string | undefined): Resp {
  const log = slowlogOf(s);
  let count = 10;
  if (countArg !== undefined) {
    const ok = /^(0|-?[1-9][0-9]{0,18})$/.test(countArg) && BigInt(countArg) <= 9223372036854775807n;
    const n = ok ? Number(countArg) : NaN;
    if (!ok || n < -1) return err('ERR count should be greater than or equal to -1');
    count = n === -1 ? log.entries.length : n;
  }
  return arr(
    log.entries.slice(0, count).map((e) => arr([int(e.id), int(e.time), int(e.durationUs), arr(e.argv.map((a) => bulk(a))), bulk(e.peer), bulk(e.name)])),
  );
}

export function slowlogLen(s: RedisServer): Resp {
  return int(slowlogOf(s).entries.length);
}

export function slowlogReset(s: RedisServer): Resp {
  slowlogOf(s).reset();
  return OK;
}
