// Generators for streams and consumer groups (issue 17 item 1): XADD with explicit, "<ms>-*" and
// bad IDs, NOMKSTREAM, MAXLEN/MINID with =/~ and LIMIT over small node sizes (CONFIG SET
// stream-node-max-entries/bytes, so that `~` trims whole nodes), XRANGE/XREVRANGE with exclusive
// bounds and COUNT, XDEL, XTRIM, XSETID, XINFO, XGROUP, XREADGROUP (new and history), XACK,
// XPENDING, XCLAIM, XAUTOCLAIM, non-blocking XREAD. Time-based IDs ("*") go only to a key that is
// dropped at once (the reply is compared by shape); times in replies are normalised by compare.ts.
import type { Gen } from './gen-base.ts';

/** The key XADD … * writes to (its IDs are the clock's: deleted by the next step). */
export const TIME_KEY = 'kt';

/** The next "ms" of explicit IDs, per generator: IDs mostly grow, so most XADDs succeed. */
const clock = new WeakMap<Gen, number>();

function nextId(g: Gen): string {
  if (g.chance(0.06)) return g.pick(['0-0', '0-1', '1', '5-*', '0-*', '-', '+', 'x-1', '1-x', '18446744073709551615-18446744073709551615', '18446744073709551616-0', '3-18446744073709551615']);
  const ms = (clock.get(g) ?? 1) + (g.chance(0.7) ? 1 : 0);
  clock.set(g, ms);
  if (g.chance(0.15)) return `${ms}-*`;
  return g.chance(0.3) ? `${ms}-${g.int(0, 3)}` : `${ms}`;
}

/** An existing-ish ID to range over or delete. */
function someId(g: Gen): string {
  const top = clock.get(g) ?? 1;
  const r = g.next();
  if (r < 0.05) return g.pick(['-', '+', 'x', '0', '(0', '(-', '18446744073709551615-18446744073709551615']);
  const ms = g.int(0, top + 1);
  return r < 0.5 ? `${ms}` : r < 0.7 ? `(${ms}-${g.int(0, 2)}` : `${ms}-${g.int(0, 2)}`;
}

const FIELDS = ['f', 'g', 'name', 'n', '1', 'value', 'x'.repeat(70), ''];
const VALUES = ['v', '1', '-1', '127', '128', '4096', '-4097', '123456789012', 'hello', '', 'y'.repeat(70), '9223372036854775807', '007'];

function fieldValues(g: Gen): string[] {
  const out: string[] = [];
  const n = g.chance(0.6) ? 1 : g.int(1, 3);
  const same = g.chance(0.6);
  for (let i = 0; i < n; i++) out.push(same ? ['f', 'g', 'h'][i]! : g.pick(FIELDS), g.pick(VALUES));
  if (g.chance(0.02)) out.pop(); // odd: arity error
  return out;
}

function trimSpec(g: Gen): string[] {
  const out: string[] = [];
  if (g.chance(0.55)) {
    out.push(g.word('MAXLEN'));
    const approx = g.chance(0.5);
    if (approx || g.chance(0.3)) out.push(approx ? '~' : '=');
    out.push(g.chance(0.05) ? g.pick(['-1', 'x']) : String(g.int(0, 25)));
    if (approx && g.chance(0.3)) out.push(g.word('LIMIT'), g.pick(['0', '1', '5', '10', '100', '-1']));
  } else {
    out.push(g.word('MINID'));
    const approx = g.chance(0.5);
    if (approx || g.chance(0.3)) out.push(approx ? '~' : '=');
    out.push(someId(g).replace('(', ''));
    if (g.chance(0.1)) out.push(g.word('LIMIT'), g.pick(['0', '3', '10']));
  }
  if (g.chance(0.02)) out.push(g.word('MAXLEN'), '1');
  return out;
}

const GROUPS = ['g1', 'g2', 'nogroup'];
const CONSUMERS = ['alice', 'bob', 'carol'];
const key = (g: Gen): string => (g.chance(0.9) ? g.pick(['k1', 'k1', 'k2']) : g.key());

export function genStream(g: Gen): string[] {
  switch (g.int(0, 27)) {
    case 0:
      // (node sizes below an entry's size corrupt redis-server 7.0.15's listpacks: it crashes later in
      // lpFirst / resetClient; so max-bytes stays at sizes a node can hold)
      return g.chance(0.5)
        ? ['config', 'set', 'stream-node-max-entries', g.pick(['0', '2', '3', '5', '10', '100'])]
        : ['config', 'set', 'stream-node-max-bytes', g.pick(['0', '256', '512', '4096'])];
    case 1:
    case 2:
    case 3:
    case 4:
    case 5: {
      const argv = [g.word('XADD'), key(g)];
      if (g.chance(0.05)) argv.push(g.word('NOMKSTREAM'));
      const trim = g.chance(0.3) ? trimSpec(g) : [];
      const fv = fieldValues(g);
      argv.push(...trim, nextId(g), ...fv);
      return argv;
    }
    case 6:
    case 7:
      // a time-based ID: compared by shape, on a key of its own that sequences.ts drops at once
      return [g.word('XADD'), TIME_KEY, ...(g.chance(0.3) ? ['MAXLEN', '~', '1'] : []), '*', 'f', 'v'];
    case 8:
    case 9: {
      const rev = g.chance(0.35);
      const argv = [g.word(rev ? 'XREVRANGE' : 'XRANGE'), key(g)];
      const a = g.chance(0.3) ? '-' : someId(g);
      const b = g.chance(0.3) ? '+' : someId(g);
      argv.push(...(rev ? [b, a] : [a, b]));
      if (g.chance(0.35)) argv.push(g.word('COUNT'), g.pick(['0', '1', '2', '5', '-1', 'x']));
      return argv;
    }
    case 10:
      return [g.word('XLEN'), key(g)];
    case 11:
      return [g.word('XDEL'), key(g), ...Array.from({ length: g.int(1, 3) }, () => someId(g).replace('(', ''))];
    case 12:
      return [g.word('XTRIM'), key(g), ...trimSpec(g)];
    case 13: {
      const argv = [g.word('XINFO'), g.word('STREAM'), key(g)];
      if (g.chance(0.4)) argv.push(g.word('FULL'), ...(g.chance(0.5) ? [g.word('COUNT'), g.pick(['0', '1', '2', '-1', 'x'])] : []));
      else if (g.chance(0.05)) argv.push(g.pick(['FOO', 'FULL COUNT']));
      return argv;
    }
    case 14:
      return g.chance(0.5) ? [g.word('XINFO'), g.word('GROUPS'), key(g)] : [g.word('XINFO'), g.word('CONSUMERS'), key(g), g.pick(GROUPS)];
    case 15: {
      const argv = [g.word('XGROUP'), g.word('CREATE'), key(g), g.pick(GROUPS), g.pick(['$', '0', '0-0', someId(g).replace('(', '')])];
      if (g.chance(0.4)) argv.push(g.word('MKSTREAM'));
      if (g.chance(0.2)) argv.push(g.word('ENTRIESREAD'), g.pick(['0', '1', '3', '-1', '-2']));
      return argv;
    }
    case 16: {
      const argv = [g.word('XGROUP'), g.word('SETID'), key(g), g.pick(GROUPS), g.pick(['$', '0', someId(g).replace('(', '')])];
      if (g.chance(0.3)) argv.push(g.word('ENTRIESREAD'), g.pick(['0', '2', '-1']));
      return argv;
    }
    case 17:
      return g.pick([
        [g.word('XGROUP'), g.word('DESTROY'), key(g), g.pick(GROUPS)],
        [g.word('XGROUP'), g.word('CREATECONSUMER'), key(g), g.pick(GROUPS), g.pick(CONSUMERS)],
        [g.word('XGROUP'), g.word('DELCONSUMER'), key(g), g.pick(GROUPS), g.pick(CONSUMERS)],
        [g.word('XGROUP'), g.word('HELP')],
        [g.word('XGROUP'), 'FOO', 'k1'],
      ]);
    case 18:
    case 19:
    case 20: {
      const argv = [g.word('XREADGROUP'), g.word('GROUP'), g.pick(GROUPS), g.pick(CONSUMERS)];
      if (g.chance(0.4)) argv.push(g.word('COUNT'), g.pick(['1', '2', '3', '0', '-1']));
      if (g.chance(0.15)) argv.push(g.word('NOACK'));
      const keys = g.chance(0.85) ? [key(g)] : ['k1', 'k2'];
      argv.push(g.word('STREAMS'), ...keys, ...keys.map(() => (g.chance(0.7) ? '>' : g.pick(['0', '0-0', someId(g).replace('(', ''), '$']))));
      return argv;
    }
    case 21: {
      const argv = [g.word('XREAD')];
      if (g.chance(0.4)) argv.push(g.word('COUNT'), g.pick(['1', '2', '0', '-1']));
      const keys = g.chance(0.8) ? [key(g)] : ['k1', 'k2'];
      argv.push(g.word('STREAMS'), ...keys, ...keys.map(() => g.pick(['0', '$', someId(g).replace('(', ''), '>'])));
      return argv;
    }
    case 22:
      return [g.word('XACK'), key(g), g.pick(GROUPS), ...Array.from({ length: g.int(1, 3) }, () => someId(g).replace('(', ''))];
    case 23: {
      const argv = [g.word('XPENDING'), key(g), g.pick(GROUPS)];
      if (g.chance(0.6)) {
        if (g.chance(0.2)) argv.push(g.word('IDLE'), g.pick(['0', '3600000']));
        argv.push(g.chance(0.5) ? '-' : someId(g), g.chance(0.5) ? '+' : someId(g), g.pick(['10', '1', '0', '-1']));
        if (g.chance(0.4)) argv.push(g.pick(CONSUMERS));
      }
      return argv;
    }
    case 24: {
      const argv = [g.word('XCLAIM'), key(g), g.pick(GROUPS), g.pick(CONSUMERS), g.pick(['0', '3600000', '-5', 'x'])];
      for (let i = g.int(1, 3); i > 0; i--) argv.push(someId(g).replace('(', ''));
      if (g.chance(0.2)) argv.push(g.word('FORCE'));
      if (g.chance(0.3)) argv.push(g.word('JUSTID'));
      if (g.chance(0.2)) argv.push(g.word('RETRYCOUNT'), g.pick(['0', '5']));
      if (g.chance(0.1)) argv.push(g.word('LASTID'), someId(g).replace('(', ''));
      if (g.chance(0.03)) argv.push('BOGUS');
      return argv;
    }
    case 25: {
      const argv = [g.word('XAUTOCLAIM'), key(g), g.pick(GROUPS), g.pick(CONSUMERS), g.pick(['0', '3600000']), g.pick(['0', '0-0', '-', someId(g)])];
      if (g.chance(0.4)) argv.push(g.word('COUNT'), g.pick(['1', '2', '10', '0', 'x']));
      if (g.chance(0.3)) argv.push(g.word('JUSTID'));
      return argv;
    }
    case 26: {
      const argv = [g.word('XSETID'), key(g), g.chance(0.8) ? `${(clock.get(g) ?? 1) + g.int(-1, 3)}-${g.int(0, 5)}` : g.pick(['0-0', 'x', '-'])];
      if (g.chance(0.3)) argv.push(g.word('ENTRIESADDED'), g.pick(['0', '5', '100', '-1']));
      if (g.chance(0.3)) argv.push(g.word('MAXDELETEDID'), someId(g).replace('(', ''));
      return argv;
    }
    default:
      return g.pick([
        ['type', key(g)],
        ['object', 'encoding', key(g)],
        ['copy', 'k1', 'k2', 'replace'],
        ['rename', 'k2', 'k1'],
        ['del', key(g)],
        ['exists', 'k1'],
      ]);
  }
}
