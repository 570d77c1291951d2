// Blocking commands that really block: connection 0 waits on a key, connection 1 then pushes to it
// (or writes something that does not serve it), and both replies are compared — who is served, with
// what, and what the waking command answers.
import type { Gen, Step } from './gen-base.ts';

/**
 * SWAPDB makes every blocked key of the database ready at once, in the order of Redis's dict of
 * blocked keys (a hash order, seeded at random by the real server): which of a client's keys serves it
 * is then not defined, so a client woken by SWAPDB waits on one key only.
 */
function waitKeys(wake: string[], k: string, other: string): string[] {
  return wake[0] === 'swapdb' ? [k] : [k, other];
}

export function genBlockingList(g: Gen): Step {
  const k = g.key();
  const other = g.key();
  const t = g.pick(['0.25', '0.3']); // far beyond the 20 ms before the wake, even on a loaded machine
  const dir = () => g.pick(['LEFT', 'RIGHT']);
  const wake = g.pick([
    ['rpush', k, ...g.members(1, 3)],
    ['lpush', g.chance(0.8) ? k : other, ...g.members(1, 2)],
    ['lmove', g.key(), k, dir(), dir()],
    ['set', k, 'notalist'],
    ['del', k],
    ['rpush', other, 'x'],
    // keys that appear without a push: SWAPDB / RENAME / COPY / MOVE also serve blocked clients
    ['swapdb', '0', g.pick(['1', '2'])],
    ['rename', 'L', k],
    ['copy', g.pick(['L', other]), k],
    ['move', k, '0'],
    ['linsert', k, 'before', 'a', 'b'],
  ]);
  const keys = waitKeys(wake, k, other);
  const argv = g.pick([
    ['blpop', ...keys, t],
    ['brpop', k, t],
    ['blmove', k, other, dir(), dir(), t],
    ['brpoplpush', k, other, t],
    ['blmpop', t, String(keys.length), ...keys, dir(), ...(g.chance(0.5) ? ['COUNT', String(g.int(1, 3))] : [])],
  ]);
  return { conn: 0, argv, wake, kind: 'block' };
}

export function genBlockingZset(g: Gen): Step {
  const k = g.key();
  const other = g.key();
  const t = g.pick(['0.25', '0.3']); // far beyond the 20 ms before the wake, even on a loaded machine
  const wake = g.pick([
    ['zadd', k, g.score(0), g.member(), g.score(0), g.member()],
    ['zincrby', g.chance(0.8) ? k : other, '1', g.member()],
    ['zunionstore', k, '1', 'Z'],
    ['set', k, 'notazset'],
    ['zrangestore', k, 'Z', '0', '-1'],
    ['swapdb', '0', g.pick(['1', '2'])],
    ['rename', 'Z', k],
  ]);
  const keys = waitKeys(wake, k, other);
  const argv = g.pick([
    ['bzpopmin', ...keys, t],
    ['bzpopmax', k, t],
    ['bzmpop', t, String(keys.length), ...keys, g.pick(['MIN', 'MAX']), ...(g.chance(0.5) ? ['COUNT', String(g.int(1, 3))] : [])],
  ]);
  return { conn: 0, argv, wake, kind: 'block' };
}
