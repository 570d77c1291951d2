// Generators for SORT / SORT_RO (issue 17 item 5): numeric and ALPHA sorts of lists, sets and sorted
// sets, BY weight keys and hash fields, constant BY (no sort), GET patterns with '#' and '->', LIMIT,
// ASC/DESC and STORE. Sets whose members are not all integers (Redis keeps them in hash order) are
// never sorted in a way that keeps their order (BY constant without STORE, ties of ALPHA BY).
import type { Gen } from './gen-base.ts';

const NUMS = ['3', '1', '2', '10', '-5', '1.5', '0', '7', '100', '-0.5', '1e2', '42'];
const WORDS = ['banana', 'apple', 'cherry', 'Apple', 'b', 'a10', 'a9', '', 'zeta', '\u00e9t\u00e9', '3', '21'];

function limit(g: Gen): string[] {
  if (!g.chance(0.3)) return [];
  return [g.word('LIMIT'), g.pick(['0', '1', '2', '-1', '5', '100', 'x']), g.pick(['1', '2', '3', '0', '-1', '10', '-5'])];
}

export function genSort(g: Gen): string[] {
  switch (g.int(0, 16)) {
    case 0:
      return ['rpush', g.pick(['ln', 'lw']), ...(g.chance(0.5) ? g.rng.shuffle([...NUMS]).slice(0, 4) : g.rng.shuffle([...WORDS]).slice(0, 4))];
    case 1:
      return g.chance(0.5)
        ? ['sadd', 'si', ...g.rng.shuffle(['5', '3', '8', '-1', '12', '0']).slice(0, g.int(1, 6))]
        : ['sadd', 'ss', ...g.rng.shuffle([...WORDS, '5', '1.5']).slice(0, 3)];
    case 2:
      return ['zadd', 'zz', g.pick(['1', '2', '3', '0', '5']), g.pick([...NUMS, ...WORDS.slice(0, 4)])];
    case 3:
      return ['set', `w_${g.pick([...NUMS, ...WORDS].slice(0, 16))}`, g.pick(['1', '5', '2', '-3', '10', 'x', '', '2.5', 'apple', 'pear'])];
    case 4:
      return ['hset', `h_${g.pick([...NUMS, ...WORDS].slice(0, 16))}`, g.pick(['f', 'g']), g.pick(['1', '9', '4', 'x', 'kiwi', 'fig', '-2'])];
    case 5:
      return ['lrange', 'dst', '0', '-1'];
    default: {
      const key = g.pick(['ln', 'lw', 'si', 'ss', 'zz', 'ln', 'lw', 'nokey', 'T', 'H']);
      const ro = g.chance(0.2);
      const argv = [ro ? 'sort_ro' : g.word('SORT'), key];
      const ordered = key !== 'ss' && key !== 'zz'; // Redis iterates these in its own hash order
      const store = !ro && g.chance(0.25);
      let alpha = g.chance(0.4);
      let byConst = false;
      if (g.chance(0.4)) {
        byConst = g.chance(0.25) && (ordered || store || key === 'zz');
        argv.push(g.word('BY'), byConst ? 'nosort' : g.pick(['w_*', 'h_*->f', 'h_*->g', 'w_*->', 'x_*']));
        if (!byConst && !ordered) alpha = false;
      }
      if (alpha) argv.push(g.word('ALPHA'));
      if (g.chance(0.4)) argv.push(g.word(g.pick(['ASC', 'DESC'])));
      argv.push(...limit(g));
      for (let i = g.chance(0.35) ? g.int(1, 3) : 0; i > 0; i--) argv.push(g.word('GET'), g.pick(['#', 'w_*', 'h_*->f', 'nostar', 'h_*->']));
      if (store) argv.push(g.word('STORE'), g.pick(['dst', 'dst', 'ln']));
      if (g.chance(0.03)) argv.push(g.pick(['foo', 'LIMIT', 'STORE']));
      return argv;
    }
  }
}
