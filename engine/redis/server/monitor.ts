// MONITOR (server.c monitorCommand, replication.c replicationFeedMonitors): every command a client
// runs, as one status line "+<sec>.<usec> [<db> <ip:port>] "arg" ..." to each monitor. Time is the
// host's virtual clock. Admin and skip_monitor commands are not shown; EVAL/EVALSHA/FCALL are shown
// before the commands their script runs ("[<db> lua]"); sensitive arguments read "(redacted)", as the
// commands themselves redact them (redactClientCommandArgument).
import { simple } from '../../net/resp.ts';
import type { CommandSpec } from '../commands/context.ts';
import type { Client } from './client.ts';
import type { RedisServer } from './server.ts';
import { ADMIN, SKIP_MONITOR, specBits } from './spec-flags.ts';

const monitors = new WeakMap<RedisServer, Client[]>();

/** The monitors of a server (server.monitors), created on first use; a freed client leaves the list. */
export function monitorsOf(s: RedisServer): Client[] {
  let l = monitors.get(s);
  if (!l) {
    const list: Client[] = [];
    l = list;
    monitors.set(s, list);
    s.clientFreedHooks.push((c) => {
      const i = list.indexOf(c);
      if (i >= 0) list.splice(i, 1);
    });
  }
  return l;
}

/** The configs CONFIG SET redacts (SENSITIVE_CONFIG in config.c). */
const SENSITIVE_CONFIGS = new Set(['masteruser', 'masterauth', 'requirepass']);

/** The argv as MONITOR / SLOWLOG show it (c->original_argv after the command's redactions). */
export function redactedArgv(argv: readonly string[]): string[] {
  const name = argv[0]!.toLowerCase();
  const out = [...argv];
  const R = '(redacted)';
  if (name === 'auth') {
    if (argv.length <= 3) for (let j = 1; j < argv.length; j++) out[j] = R;
  } else if (name === 'hello') {
    for (let j = 2; j < argv.length; j++) {
      const opt = argv[j]!.toLowerCase();
      const more = argv.length - 1 - j;
      if (opt === 'auth' && more >= 2) {
        out[j + 1] = R;
        out[j + 2] = R;
        j += 2;
      } else if (opt === 'setname' && more >= 1) j++;
      else break;
    }
  } else if (name === 'config' && argv.length >= 4 && argv[1]!.toLowerCase() === 'set' && argv.length % 2 === 0) {
    for (let j = 2; j + 1 < argv.length; j += 2) if (SENSITIVE_CONFIGS.has(argv[j]!.toLowerCase())) out[j + 1] = R;
  } else if (name === 'acl' && argv.length >= 3 && argv[1]!.toLowerCase() === 'setuser') {
    for (let j = 2; j < argv.length; j++) out[j] = R;
  } else if (name === 'migrate') {
    for (let j = 6; j < argv.length; j++) {
      const opt = argv[j]!.toLowerCase();
      if (opt === 'auth' && j + 1 < argv.length) out[++j] = R;
      else if (opt === 'auth2' && j + 2 < argv.length) {
        out[j + 1] = R;
        out[j + 2] = R;
        j += 2;
      } else if (opt === 'keys') break;
    }
  }
  return out;
}

/** sdscatrepr: a double-quoted C-escaped string. */
export function catRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else out += `\\x${(c & 0xff).toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

/** Whether call() feeds this command to monitors (not admin, not skip_monitor). */
export function shownToMonitors(spec: CommandSpec): boolean {
  return (specBits(spec) & (ADMIN | SKIP_MONITOR)) === 0;
}

/** Scripts are fed by their command before they run (evalCommand, fcallCommandGeneric). */
const SCRIPT_RUNNERS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);
export function feedsBeforeRun(spec: CommandSpec): boolean {
  return SCRIPT_RUNNERS.has(spec.name);
}

/** replicationFeedMonitors. Not while loading (AOF); the script client shows as "lua". */
export function feedMonitors(s: RedisServer, c: Client, argv: readonly string[]): void {
  const list = monitors.get(s);
  if (!list || list.length === 0 || s.loading) return;
  const us = s.ctx.host.wallUs(s.ctx.now());
  const sec = Math.floor(us / 1e6);
  const frac = String(us - sec * 1e6).padStart(6, '0');
  const who = c.scriptCaller ? 'lua' : c.addr;
  const line = `${sec}.${frac} [${c.dbIndex} ${who}] ${redactedArgv(argv).map(catRepr).join(' ')}`;
  const r = simple(line);
  for (const m of list) m.write(r);
}

/** RESET of a monitor (clearClientConnectionState): it leaves the list and is a normal client again. */
export function stopMonitor(s: RedisServer, c: Client): void {
  if (!c.monitor) return;
  const list = monitorsOf(s);
  const i = list.indexOf(c);
  if (i >= 0) list.splice(i, 1);
  c.monitor = false;
  c.kind = 'normal';
}

/** MONITOR: the client becomes a monitor (CLIENT_SLAVE|CLIENT_MONITOR); a replica or monitor is ignored. */
export function startMonitor(s: RedisServer, c: Client): boolean {
  if (c.kind === 'replica' || c.monitor) return false;
  c.kind = 'replica';
  c.monitor = true;
  monitorsOf(s).push(c);
  return true;
}
