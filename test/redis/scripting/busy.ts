// A script that never returns on its own, run on a simulated server: -BUSY to another client once
// busy-reply-threshold has passed in virtual time, then SCRIPT KILL (script.c scriptKill; the count hook
// of Lua 5.1 fires wherever the script's code runs). Shared by the scripting tests of busy loops.
import { expect } from 'vitest';
import { SimSide } from '../differential/sim-side.ts';

export const BUSY = '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const KILLED = /^-ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/;

/** EVAL `script` with a 100 ms threshold; after 150 ms: PING and SCRIPT KILL from a second client, the reply, PING. */
export function busyThenKill(seed: string, script: string): { ping: unknown; kill: unknown; reply: unknown; after: unknown } {
  const s = new SimSide(6379, seed);
  s.cmd(0, ['CONFIG', 'SET', 'busy-reply-threshold', '100'], false);
  s.send(0, ['EVAL', script, '0'], false);
  s.sleep(150);
  const ping = s.cmd(1, ['PING'], false);
  const kill = s.cmd(1, ['SCRIPT', 'KILL'], false);
  s.sleep(5);
  return { ping, kill, reply: s.take(0), after: s.cmd(1, ['PING'], false) };
}

/** The server was BUSY, SCRIPT KILL answered +OK, the script's caller got `reply` and the server answers again. */
export function expectKilled(seed: string, script: string, reply: RegExp = KILLED): void {
  const r = busyThenKill(seed, script);
  expect(r.ping).toBe(BUSY);
  expect(r.kill).toBe('+OK');
  expect(r.reply).toMatch(reply);
  expect(r.after).toBe('+PONG');
}
