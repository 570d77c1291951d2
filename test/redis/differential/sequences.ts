// Seeded command sequences per group (issue 3 item 4) and a mixed one: transactions with WATCH from a
// second connection, arity errors, unknown commands and bad options sprinkled over every group.
import { Gen, PRELUDE, type Step } from './gen-base.ts';
import { genBitmap } from './gen-bitmaps.ts';
import { dumpSequence } from './gen-dump.ts';
import { genGeo } from './gen-geo.ts';
import { genHll } from './gen-hll.ts';
import { genSort } from './gen-sort.ts';
import { TIME_KEY, genStream } from './gen-streams.ts';
import { genBlockingList, genBlockingZset } from './gen-blocking.ts';
import { genGeneric } from './gen-generic.ts';
import { genHash, genSet } from './gen-hashes.ts';
import { genList } from './gen-lists.ts';
import { genString } from './gen-strings.ts';
import { genZset } from './gen-zsets.ts';
import { resp3Sequence, trackingSequence } from './gen-resp3.ts';
import { aclSequence } from './gen-acl.ts';

export type Group = 'strings' | 'generic' | 'lists' | 'hashes' | 'sets' | 'zsets' | 'transactions' | 'mixed' | 'bitmaps' | 'hll' | 'geo' | 'sort' | 'resp3' | 'tracking' | 'dump' | 'streams' | 'acl';
export const GROUPS: Group[] = ['strings', 'generic', 'lists', 'hashes', 'sets', 'zsets', 'transactions', 'mixed', 'bitmaps', 'hll', 'geo', 'sort', 'resp3', 'tracking', 'dump', 'streams', 'acl'];

const OWN: Record<Group, string[]> = {
  strings: ['k1', 'k2', 'k3', 'k4'],
  generic: ['k1', 'k2', 'k3', 'k4', 'k5'],
  lists: ['k1', 'k2', 'k3'],
  hashes: ['k1', 'k2', 'k3'],
  sets: ['k1', 'k2', 'k3', 'k4'],
  zsets: ['k1', 'k2', 'k3', 'k4'],
  transactions: ['k1', 'k2', 'k3'],
  mixed: ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'],
  bitmaps: ['k1', 'k2', 'k3', 'k4'],
  hll: ['k1', 'k2', 'k3', 'k4'],
  geo: ['k1', 'k2', 'k3'],
  sort: ['k1'],
  resp3: ['k1', 'k2', 'k3', 'k4'],
  tracking: ['k1'],
  dump: ['k1', 'k2', 'k3'],
  streams: ['k1', 'k2', 'k3'],
  acl: ['k1', 'k2'],
};

/** Commands whose replies Redis picks at random: never compared exactly, so never made by truncation. */
const RANDOM = new Set(['randomkey', 'spop', 'srandmember', 'hrandfield', 'zrandmember']);

const exact = (argv: string[], conn = 0): Step => ({ conn, argv });

const DATA_GENS: ((g: Gen) => Step)[] = [
  (g) => exact(genString(g)),
  genGeneric,
  (g) => exact(genList(g)),
  genHash,
  genSet,
  genZset,
];

function groupStep(group: Group, g: Gen): Step {
  switch (group) {
    case 'strings':
      return exact(genString(g));
    case 'generic':
      return genGeneric(g);
    case 'lists':
      return g.chance(0.04) ? genBlockingList(g) : exact(genList(g));
    case 'hashes':
      return genHash(g);
    case 'sets':
      return genSet(g);
    case 'zsets':
      return g.chance(0.04) ? genBlockingZset(g) : genZset(g);
    case 'bitmaps':
      return exact(genBitmap(g));
    case 'hll':
      return exact(genHll(g));
    case 'geo':
      return exact(genGeo(g));
    case 'sort':
      return exact(genSort(g));
    case 'streams':
      return exact(genStream(g));
    default:
      return g.chance(0.01) ? g.pick([genBlockingList, genBlockingZset])(g) : g.pick(DATA_GENS)(g);
  }
}

/** Arity errors, unknown commands and the like, made from a valid command. */
function broken(g: Gen, s: Step): Step {
  const argv = s.argv;
  const plain = (s.kind ?? 'exact') === 'exact';
  const r = g.int(0, 4);
  if (r === 2) return { ...s, argv: [argv[0]!.toUpperCase(), ...argv.slice(1)] };
  if (r === 0 && plain && argv.length > 1 && !RANDOM.has(argv[0]!.toLowerCase())) return exact(argv.slice(0, g.int(1, argv.length - 1)));
  if (r === 1) return exact([g.pick(['foo', 'GETT', 'hsett', 'zaddd', 'x y', 'ab\u0000c', 'a\r\nb']), ...argv.slice(1, 1 + g.int(0, 3))]);
  if (r === 3) return exact(g.pick([['object', 'foo', 'k1'], ['object', 'f\u0000o\r\n'], ['object'], ['echo'], ['ping', 'a', 'b'], ['ping', 'hi'], ['echo', 'hi']]));
  return { ...s, argv: [...argv, 'extra'] }; // an error, or (MATCH extra) still a SCAN to iterate
}

/** A command that is compared exactly (random, scan and lex-range steps stay outside MULTI). */
function exactStep(group: Group, g: Gen): Step {
  for (;;) {
    const s = groupStep(group === 'transactions' ? 'mixed' : group, g);
    const lex = /lex$/i.test(s.argv[0]!) || s.argv.some((a) => a.toLowerCase() === 'bylex');
    if ((s.kind ?? 'exact') === 'exact' && !lex) return s;
  }
}

/** WATCH, a write from the other connection or not, MULTI, a few commands (some bad), EXEC/DISCARD. */
function transaction(g: Gen, out: Step[]): void {
  const keys = g.keys(1, 2);
  // a watched key that expired before the WATCH (EXEC goes ahead) or after it (EXEC aborts); the
  // sleeps keep both servers on the same side of the expiry whatever the machine's load
  const expiring = g.chance(0.1);
  const sleep40: Step = { conn: 0, argv: ['40'], kind: 'sleep' };
  if (expiring && g.chance(0.5)) out.push(exact(['set', keys[0]!, 'soon', 'PX', '15']), sleep40, exact(['watch', ...keys]));
  else if (expiring) out.push(exact(['watch', ...keys]), exact(['pexpire', keys[0]!, '15']), sleep40);
  else if (g.chance(0.6)) out.push(exact(['watch', ...keys]));
  if (g.chance(0.4)) {
    const k = g.chance(0.7) ? keys[0]! : g.key();
    const db = String(g.int(0, 2));
    out.push(
      exact(
        g.pick([
          ['set', k, 'other'], ['del', k], ['expire', k, '100000'], ['lpush', k, 'x'], ['get', k], ['persist', k],
          ['swapdb', '0', db], ['flushdb'], ['move', k, db], ['rename', g.key(), k], ['expire', k, '0'], ['sadd', k, 'a'],
          ['copy', g.key(), k, 'replace'], ['select', db], ['set', k, 'other', 'keepttl'], ['flushall'], ['getex', k, 'persist'],
        ]),
        1,
      ),
    );
  }
  if (g.chance(0.1)) out.push(exact(['unwatch']));
  out.push(exact(['multi']));
  for (let i = g.int(0, 5); i > 0; i--) {
    const r = g.next();
    if (r < 0.05) out.push(broken(g, exactStep('mixed', g)));
    else if (r < 0.08) out.push(exact(g.pick([['multi'], ['watch', 'k1'], ['select', '1'], ['select', '0']])));
    else {
      const q = exactStep('mixed', g);
      // DBSIZE counts an expired key until someone reaps it: the real server's active expire cycle
      // may or may not have run yet (its phase is the wall clock's), so not while one is pending
      if (!(expiring && q.argv[0] === 'dbsize')) out.push(q);
    }
  }
  if (g.chance(0.15)) out.push(exact(['set', keys[0]!, 'late'], 1));
  out.push(exact([g.chance(0.85) ? 'exec' : 'discard']));
  if (expiring) out.push(exact(['exists', keys[0]!])); // reaps it on both sides
}

/** The steps of one run: `n` commands of `group` (transactions: whole MULTI blocks). */
export function sequence(group: Group, seed: string, n: number): Step[] {
  if (group === 'resp3') return resp3Sequence(seed, n, (g) => groupStep('mixed', g));
  if (group === 'tracking') return trackingSequence(seed, n);
  if (group === 'dump') return dumpSequence(seed, n);
  if (group === 'acl') return aclSequence(seed, n);
  const g = new Gen(`${seed}/${group}`, OWN[group]);
  const out: Step[] = [exact(['flushall']), ...PRELUDE.map((a) => exact(a))];
  let nextDump = 250;
  while (out.length < n) {
    const r = g.next();
    if (group === 'transactions' || (group === 'mixed' && r < 0.08)) {
      if (g.chance(0.05)) out.push(exact([g.pick(['exec', 'discard', 'unwatch'])]));
      else transaction(g, out);
      continue;
    }
    const s = groupStep(group, g);
    // (SORT keeps the intset 'si' integer-only: an 'extra' member would give it Redis's hash order)
    if (r < 0.05 && !(group === 'sort' && s.argv[0] === 'sadd')) out.push(broken(g, s));
    else out.push(s);
    if (group === 'streams' && s.argv[1] === TIME_KEY) out.push(exact(['del', TIME_KEY]));
    if (out.length >= nextDump) {
      out.push({ conn: 0, argv: [], kind: 'dump' });
      nextDump += 250;
    }
  }
  out.push({ conn: 0, argv: [], kind: 'dump' }, exact(['select', '0']), exact(['select', '0'], 1));
  return out;
}
