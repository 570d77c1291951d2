// Input that arrives while a script runs its first, uninterruptible part (before busy-reply-threshold)
// is read as soon as the script enters its timed-out mode, as Redis's processEventsWhileBlocked does:
// those commands are answered (-BUSY, or run when allowed) without waiting for more input.
import { describe, expect, it } from 'vitest';
import { SimSide } from '../differential/sim-side.ts';

const BUSY = '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';

describe('input held during the first part of a busy script', () => {
  // [what, ms after the EVAL when client 1 sends, command, reply expected by 40 ms after the EVAL (threshold 20 ms)]
  const cases: [string, number, string[], string][] = [
    ['PING at the same instant', 0, ['PING'], BUSY],
    ['PING halfway', 10, ['PING'], BUSY],
    ['SCRIPT KILL at the same instant', 0, ['SCRIPT', 'KILL'], '+OK'],
  ];
  it.each(cases)('%s is answered once the script times out', (_what, at, argv, want) => {
    const s = new SimSide(6379, 'busy-inbox');
    expect(s.cmd(0, ['CONFIG', 'SET', 'busy-reply-threshold', '20'], false)).toBe('+OK');
    s.send(0, ['EVAL', 'while true do end', '0']);
    if (at > 0) s.sleep(at);
    s.send(1, argv);
    s.sleep(40 - at);
    expect(s.take(1)).toBe(want);
    if (want !== '+OK') expect(s.cmd(1, ['SCRIPT', 'KILL'], false)).toBe('+OK');
    s.sleep(5);
    expect(s.take(0)).toMatch(/^-ERR Script killed by user with SCRIPT KILL/);
  }, 60_000);
});
