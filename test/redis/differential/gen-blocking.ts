// Blocking commands that really block: connection 0 waits on a key, connection 1 then pushes to it
// (or writes something that does not serve it), and both replies are compared — who is served, with
// what, and what the waking command answers.
import type { Gen, Step } from './gen-base.ts';

export function genBlockingList(g: Gen): Step {
  const k = g.key();
  const other = g.key();
  const t = g.pick(['0.1', '0.15']);
  const dir = () => g.pick(['LEFT', 'RIGHT']);
  const argv = g.pick([
    ['blpop', k, other, t],
    ['brpop', k, t],
    ['blmove', k, other, dir(), dir(), t],
    ['brpoplpush', k, other, t],
    ['blmpop', t, '2', k, other, dir(), ...(g.chance(0.5) ? ['COUNT', String(g.int(1, 3))] : [])],
  ]);
  const wake = g.pick([
    ['rpush', k, ...g.members(1, 3)],
    ['lpush', g.chance(0.8) ? k : other, ...g.members(1, 2)],
    ['lmove', g.key(), k, dir(), dir()],
    ['set', k, 'notalist'],
    ['del', k],
    ['rpush', other, 'x'],
  ]);
  return { conn: 0, argv, wake, kind: 'block' };
}

export function genBlockingZset(g: Gen): Step {
  const k = g.key();
  const other = g.key();
  const t = g.pick(['0.1', '0.15']);
  const argv = g.pick([
    ['bzpopmin', k, other, t],
    ['bzpopmax', k, t],
    ['bzmpop', t, '2', k, other, g.pick(['MIN', 'MAX']), ...(g.chance(0.5) ? ['COUNT', String(g.int(1, 3))] : [])],
  ]);
  const wake = g.pick([
    ['zadd', k, g.score(0), g.member(), g.score(0), g.member()],
    ['zincrby', g.chance(0.8) ? k : other, '1', g.member()],
    ['zunionstore', k, '1', 'Z'],
    ['set', k, 'notazset'],
  ]);
  return { conn: 0, argv, wake, kind: 'block' };
}
