// WATCH across FLUSHDB / FLUSHALL / SWAPDB (multi.c touchAllWatchedKeysInDb), including keys that were
// already expired when WATCHed. Found by the differential test; every expected EXEC reply is the real
// redis-server 7.0.15's (active expiry off on both, so an expired key stays until something reaps it).
import { describe, expect, it } from 'vitest';
import { js, world } from '../server/client.ts';

type Step = [conn: 0 | 1, ...argv: string[]] | number;
const EXPIRED_K: Step[] = [[0, 'set', 'k', 'v', 'px', '15'], 40];

const rows: [string, Step[], unknown][] = [
  ['watched key flushed (FLUSHALL)', [[0, 'set', 'k', 'v'], [0, 'watch', 'k'], [1, 'flushall']], null],
  ['watched key absent, FLUSHALL: no change', [[0, 'watch', 'k'], [1, 'flushall']], []],
  ['watched while expired, FLUSHALL: no logical change', [...EXPIRED_K, [0, 'watch', 'k'], [1, 'flushall']], []],
  ['watched while expired, FLUSHALL then SET: a change', [...EXPIRED_K, [0, 'watch', 'k'], [1, 'flushall'], [1, 'set', 'k', 'late']], null],
  ['watched while expired, FLUSHDB then SET: a change', [...EXPIRED_K, [0, 'watch', 'k'], [1, 'flushdb'], [1, 'set', 'k', 'late']], null],
  ['watched while expired, SET: a change', [...EXPIRED_K, [0, 'watch', 'k'], [1, 'set', 'k', 'late']], null],
  ['watched key replaced by SWAPDB', [[0, 'set', 'k', 'v'], [0, 'watch', 'k'], [1, 'swapdb', '1', '0']], null],
  ['watched key absent, brought in by SWAPDB', [[0, 'select', '1'], [0, 'set', 'k', 'v'], [0, 'select', '0'], [0, 'watch', 'k'], [1, 'swapdb', '1', '0']], null],
  [
    'watched while expired, replaced by a live key (SWAPDB)',
    [[0, 'select', '2'], [0, 'set', 'k', 'new'], [0, 'select', '0'], ...EXPIRED_K, [0, 'watch', 'k'], [1, 'swapdb', '0', '2']],
    null,
  ],
  [
    'watched while expired, replaced by an expired key (SWAPDB): no change',
    [[0, 'select', '2'], [0, 'set', 'k', 'v', 'px', '15'], [0, 'select', '0'], ...EXPIRED_K, [0, 'watch', 'k'], [1, 'swapdb', '0', '2']],
    [],
  ],
  [
    'watched absent, replaced by an expired key (SWAPDB): becomes "expired at WATCH"',
    [[0, 'select', '2'], [0, 'set', 'k', 'v', 'px', '15'], [0, 'select', '0'], 40, [0, 'watch', 'k'], [1, 'swapdb', '0', '2']],
    [],
  ],
  [
    '... and a later SET is then the 7.0.15 no-op of an expired watched key',
    [[0, 'select', '2'], [0, 'set', 'k', 'v', 'px', '15'], [0, 'select', '0'], 40, [0, 'watch', 'k'], [1, 'swapdb', '0', '2'], [1, 'set', 'k', 'x']],
    null,
  ],
  [
    'watched live key replaced by an expired key (SWAPDB)',
    [[0, 'select', '2'], [0, 'set', 'k', 'v', 'px', '15'], [0, 'select', '0'], [0, 'set', 'k', 'v'], 40, [0, 'watch', 'k'], [1, 'swapdb', '0', '2']],
    null,
  ],
];

describe('WATCH with FLUSHDB / FLUSHALL / SWAPDB', () => {
  it.each(rows)('%s', (_name, steps, want) => {
    const w = world({ configText: 'port 6379\nsave ""\nenable-debug-command yes\n' });
    const c = [w.client(), w.client('10.0.1.2')];
    expect(js(c[0]!.cmd('debug', 'set-active-expire', '0'))).toBe('OK');
    for (const s of steps) {
      if (typeof s === 'number') w.sim.sleep(s);
      else expect(js(c[s[0]]!.cmd(...(s.slice(1) as string[])))).not.toHaveProperty('err');
    }
    expect(js(c[0]!.cmd('multi'))).toBe('OK');
    expect(js(c[0]!.cmd('exec'))).toEqual(want);
  });
});
