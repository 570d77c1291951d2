// The one glob matcher (keyspace/glob.ts, Redis 7.0.15's stringmatchlen / stringmatch): a table of
// corners, pathological patterns that a naive backtracker takes exponential time on, and a seeded
// differential run against the real redis-server of this machine — random byte patterns and strings
// through KEYS (case-sensitive), random patterns over the command names through COMMAND LIST
// FILTERBY PATTERN (nocase), and every row of the table. Under CI=true a missing redis-server is a
// failure; elsewhere that part is skipped. GLOB_SEED=<s> GLOB_BATCHES=<n> replay other inputs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringMatch, stringMatchC } from '../../../engine/redis/keyspace/glob.ts';
import { Rng } from '../../../engine/sim/rng.ts';
import { freePort, RealServer, realRedisVersion, type RealClient, type Reply } from '../replication/real.ts';

/** [pattern, string, expected]: case-sensitive (stringmatchlen(..., 0), as KEYS / SCAN / PSUBSCRIBE). */
const EXACT: [string, string, boolean][] = [
  // plain, ? and *
  ['hello', 'hello', true],
  ['hello', 'hellO', false],
  ['h?llo', 'hello', true],
  ['h?llo', 'hllo', false],
  ['h*llo', 'hllo', true],
  ['h*llo', 'heeeello', true],
  ['a*b*c', 'aXXbYYc', true],
  ['a*b*c', 'aXXbYY', false],
  ['*a', 'ba', true],
  ['a*', 'a', true],
  ['a**', 'a', true],
  ['*?', 'x', true],
  ['*?', '', false],
  ['?*?', 'x', false],
  ['*', 'anything', true],
  // the empty string matches only the empty pattern: not even '*' (KEYS * special-cases it)
  ['*', '', false],
  ['**', '', false],
  ['?', '', false],
  ['', '', true],
  ['', 'a', false],
  ['a', '', false],
  // escapes outside a class; a trailing backslash is itself
  ['h\\*llo', 'h*llo', true],
  ['h\\*llo', 'hello', false],
  ['\\?', '?', true],
  ['\\?', 'x', false],
  ['\\a', 'a', true],
  ['\\\\', '\\', true],
  ['\\', '\\', true],
  ['a\\', 'a\\', true],
  ['a\\', 'a', false],
  // classes, negation, ranges (reversed ranges are swapped)
  ['h[ae]llo', 'hallo', true],
  ['h[ae]llo', 'hillo', false],
  ['h[^e]llo', 'hallo', true],
  ['h[^e]llo', 'hello', false],
  ['h[a-b]llo', 'hbllo', true],
  ['h[b-a]llo', 'hallo', true],
  ['[z-a]', 'm', true],
  ['[c-a]*', 'bind', true],
  ['[a-c]*', 'dir', false],
  ['[^a-c]*', 'dir', true],
  ['[-a]', '-', true], // '-' first is a plain byte
  ['[a-]', ']', true], // the range swallows ']' (a..] swapped to ]..a) and the class stays open
  ['[a-]', 'b', false],
  ['[a-]x', 'a', true], // ... so 'x' is part of the class
  ['[a-]x', 'ax', false],
  // escapes inside a class
  ['[\\]]', ']', true],
  ['[\\]', ']', true], // '\]' is an escaped ']', and the class is then unterminated
  ['[\\a-c]', 'a', true],
  ['[\\a-c]', '-', true], // after an escape, '-' is a plain byte
  ['[\\a-c]', 'b', false],
  ['[a\\-c]', '-', true],
  ['[a\\-c]', 'b', false],
  // ']' right after '[' closes an empty class; '[^]' is any byte
  ['[]', ']', false],
  ['[]a', 'a', false],
  ['[]]', ']', false],
  ['[^]', 'x', true],
  ['[^]x', 'ax', true],
  // unterminated classes end at the end of the pattern
  ['[abc', 'a', true],
  ['[abc', 'x', false],
  ['x[a-c', 'xb', true],
  ['[a-z', 'q', true],
  ['[', '[', false],
  ['[', 'a', false],
  ['[^', 'z', true],
  ['[\\', '\\', true],
  // bytes: ranges compare C's signed char, so 0x80-0xff sort below 0x00
  ['[a-\xff]', '\x00', true], // the range is 0xff(-1)..'a'
  ['[a-\xff]', '\x80', false],
  ['[a-\xff]', 'b', false],
  ['[\x80-\xff]', '\xe9', true],
  ['[\x80-\xff]', 'e', false],
  ['[\x00-\x7f]', '\x80', false],
  ['?', '\xe9', true],
  ['\xe9*', '\xe9t\xe9', true],
  // NUL bytes are ordinary bytes for stringmatchlen
  ['a\0*', 'a\0b', true],
  ['*\0', 'x\0', true],
  ['a\0', 'a', false],
];

/** [pattern, string, expected] with nocase (CONFIG GET, COMMAND LIST): every string is a command name. */
const NOCASE: [string, string, boolean][] = [
  ['GET', 'get', true],
  ['G?T', 'get', true],
  ['\\GET', 'get', true], // an escape outside a class folds case
  ['[G]et', 'get', true],
  ['[\\G]et', 'get', false], // an escape inside a class compares exactly
  ['[\\g]et', 'get', true],
  ['[F-H]et', 'get', true],
  ['[f-h]ET', 'get', true],
  ['[^G]et', 'get', false],
  ['[^G]et', 'set', true],
  ['[Z-a]et', 'get', false], // swapped, then folded: z..a, an empty range
  ['[Z-a]et', 'set', false],
  ['[A-z]et', 'get', true], // folded: a..z
  ['CONFIG|*', 'config|get', true],
  ['config[|]GET', 'config|get', true],
  ['*|NO-EVICT', 'client|no-evict', true],
  ['*[_]*', 'client|no-evict', false],
];

describe('stringMatch: stringmatchlen corners', () => {
  it.each(EXACT)('%j ~ %j -> %s', (p, s, expected) => {
    expect(stringMatch(p, s)).toBe(expected);
  });

  it.each(NOCASE)('%j ~ %j (nocase) -> %s', (p, s, expected) => {
    expect(stringMatch(p, s, true)).toBe(expected);
  });

  it('folds only A-Z, and only when asked', () => {
    expect(stringMatch('PORT', 'port')).toBe(false);
    expect(stringMatch('PORT', 'port', true)).toBe(true);
    expect(stringMatch('\xc9', '\xe9', true)).toBe(false); // É / é: the C locale folds ASCII only
    expect(stringMatch('[A-C]', 'b', true)).toBe(true);
    expect(stringMatch('[A-C]', 'b')).toBe(false);
  });

  it('reads a char above 0xff as its low byte, like the wire', () => {
    expect(stringMatch('\u012a', 'anything')).toBe(true); // U+012A is byte 0x2a, '*'
    expect(stringMatch('a', '\u0161')).toBe(true); // U+0161 is byte 0x61, 'a'
  });
});

describe('stringMatchC: stringmatch over C strings (CONFIG GET, SENTINEL CONFIG GET / RESET)', () => {
  it('stops both operands at their first NUL', () => {
    expect(stringMatchC('p*\0zzz', 'port', true)).toBe(true);
    expect(stringMatch('p*\0zzz', 'port', true)).toBe(false);
    expect(stringMatchC('mymaster', 'mymaster\0x')).toBe(true);
    expect(stringMatchC('\0', '')).toBe(true);
    expect(stringMatchC('*', 'mymaster')).toBe(true);
  });
});

// A naive backtracker tries every way to split the string among the stars: C(10000, 30) for the first.
// Like Redis, only the latest star is ever retried, so each case is at most |pattern| x |string| steps.
const PATHOLOGICAL: [string, string, string, boolean][] = [
  ['30 "*a" segments, string ending in b', '*a'.repeat(30), `${'a'.repeat(9999)}b`, false],
  ['30 "*a" segments, only b', '*a'.repeat(30), 'b'.repeat(10_000), false],
  ['30 "*a" segments, 29 a', '*a'.repeat(30), ('a' + 'b'.repeat(340)).repeat(29).padEnd(10_000, 'b'), false],
  ['30 "*a" segments, matching', '*a'.repeat(30), 'a'.repeat(10_000), true],
  ['30 "*?" segments then b', `${'*?'.repeat(30)}b`, 'a'.repeat(10_000), false],
  ['classes between stars', `${'*[ab]'.repeat(30)}c`, 'ab'.repeat(5000), false],
  ['50 stars then x', `${'*'.repeat(50)}x`, 'a'.repeat(10_000), false],
];

describe('no exponential blow-up', () => {
  it.each(PATHOLOGICAL)('%s', (_name, p, s, expected) => {
    expect(stringMatch(p, s)).toBe(expected);
  });
});

// ---------------------------------------------------------------- against the real redis-server

const version = realRedisVersion();
const required = process.env.CI === 'true';
const SEED = process.env.GLOB_SEED ?? 'glob-1';
/** Each batch: 250 random strings as keys, 100 random patterns (up to 8 or, every other batch, 16 tokens) through KEYS. */
const BATCHES = Number(process.env.GLOB_BATCHES ?? 20);
const STRINGS_PER_BATCH = 250;
const PATTERNS_PER_BATCH = 100;
const NOCASE_PATTERNS = 600;

/** Byte alphabet for strings and patterns: mostly glob syntax and a few letters, plus NUL and high bytes. */
const BYTES = ['a', 'a', 'a', 'b', 'b', 'c', 'A', 'z', '\\', '[', ']', '^', '-', '*', '?', '\0', '\x80', '\xe9', '\xff'];
const ITEM_BYTES = ['a', 'b', 'c', 'z', 'A', '-', '^', ']', '[', '\\', '\x80', '\xff', '\0'];

interface Token {
  text: string;
  /** A string this token likely matches (an instance for strings that hit the pattern). */
  sample(r: Rng): string;
}

function classToken(r: Rng, letters: readonly string[]): Token {
  let text = '[';
  if (r.chance(0.3)) text += '^';
  const members: string[] = [];
  for (let i = r.int(0, 3); i > 0; i--) {
    const k = r.int(0, 9);
    if (k < 3) {
      const [lo, hi] = [r.choice(letters), r.choice(letters)];
      text += `${lo}-${hi}`;
      members.push(lo, hi);
    } else if (k < 5) {
      const b = r.choice(letters);
      text += `\\${b}`;
      members.push(b);
    } else {
      const b = r.choice(letters);
      text += b;
      members.push(b);
    }
  }
  if (r.chance(0.85)) text += ']';
  return { text, sample: (q) => (members.length ? q.choice(members) : q.choice(letters)) };
}

function randomPattern(r: Rng, letters: readonly string[], items: readonly string[], maxTokens: number): Token[] {
  const out: Token[] = [];
  for (let n = r.int(0, maxTokens); n > 0; n--) {
    const k = r.int(0, 19);
    if (k < 4) out.push({ text: '*', sample: (q) => Array.from({ length: q.int(0, 3) }, () => q.choice(letters)).join('') });
    else if (k < 6) out.push({ text: '?', sample: (q) => q.choice(letters) });
    else if (k < 9) out.push(classToken(r, items));
    else if (k < 11) {
      const b = r.choice(letters);
      out.push({ text: `\\${b}`, sample: () => b });
    } else {
      const b = r.choice(letters);
      out.push({ text: b, sample: () => b });
    }
  }
  if (r.chance(0.05)) out.push({ text: '\\', sample: () => '\\' }); // a trailing backslash
  return out;
}

/** A string built to hit the pattern, then maybe mutated (a byte changed, dropped or added). */
function instance(r: Rng, tokens: Token[], letters: readonly string[]): string {
  let s = tokens.map((t) => t.sample(r)).join('');
  if (r.chance(0.3) && s.length > 0) {
    const i = r.int(0, s.length - 1);
    const k = r.int(0, 2);
    s = s.slice(0, i) + (k === 0 ? '' : r.choice(letters)) + s.slice(k === 2 ? i : i + 1);
  }
  return s;
}

const randomString = (r: Rng, letters: readonly string[]): string =>
  Array.from({ length: r.int(0, 7) }, () => r.choice(letters)).join('');

const textOf = (t: Token[]): string => t.map((x) => x.text).join('');

interface Diff {
  pattern: string;
  string: string;
  real: boolean;
  ours: boolean;
}

function asList(r: Reply): string[] {
  if (!Array.isArray(r)) throw new Error(`expected an array reply, got ${JSON.stringify(r)}`);
  return r as string[];
}

/** Compare one pattern's reply (the subset of `subjects` the server matched) with ours. */
function compare(
  pattern: string,
  subjects: readonly string[],
  real: Set<string>,
  ours: (s: string) => boolean,
  diffs: Diff[],
): number {
  for (const s of subjects) {
    const o = ours(s);
    if (real.has(s) !== o) diffs.push({ pattern, string: s, real: real.has(s), ours: o });
  }
  return subjects.length;
}

function report(diffs: Diff[]): string {
  return diffs
    .slice(0, 20)
    .map((d) => `  ${JSON.stringify(d.pattern)} ~ ${JSON.stringify(d.string)}: redis ${d.real}, ours ${d.ours}`)
    .join('\n');
}

const runIt = version !== null || required ? describe : describe.skip;
const title =
  version !== null || required
    ? 'stringMatch vs the real redis-server 7.0.15'
    : 'stringMatch vs the real redis-server 7.0.15 (skipped: no /usr/bin/redis-server; required when CI=true)';

runIt(title, () => {
  let server: RealServer | null = null;
  let c: RealClient;
  let commands: string[] = [];

  beforeAll(async () => {
    if (version === null) throw new Error('/usr/bin/redis-server (7.0.15) is required when CI=true');
    server = new RealServer(await freePort(), []);
    c = await server.start();
    commands = asList(await c.cmd('command', 'list')).sort(); // the server's dict order varies by run
  });
  afterAll(() => {
    c?.close();
    server?.stop();
  });

  /** KEYS pattern over a database holding exactly `strings`: the subset Redis matches. */
  async function keysBatch(strings: readonly string[], patterns: readonly string[]): Promise<Set<string>[]> {
    await c.cmd('flushall');
    if (strings.length) await c.cmd('mset', ...strings.flatMap((s) => [s, '1']));
    return (await Promise.all(patterns.map((p) => c.cmd('keys', p)))).map((r) => new Set(asList(r)));
  }

  // KEYS special-cases the pattern "*" (allkeys), the only way it reaches the empty key.
  const keysMatch = (p: string) => (s: string) => p === '*' || stringMatch(p, s);

  it('is redis-server 7.0.15', () => {
    expect(version).toBe('7.0.15');
  });

  it('agrees on every row of the corner and pathological tables', async () => {
    const diffs: Diff[] = [];
    for (const [p, s] of EXACT) compare(p, [s], (await keysBatch([s], [p]))[0]!, keysMatch(p), diffs);
    for (const [, p, s] of PATHOLOGICAL) compare(p, [s], (await keysBatch([s], [p]))[0]!, keysMatch(p), diffs);
    for (const [p, s] of NOCASE) {
      expect(commands).toContain(s);
      const real = new Set(asList(await c.cmd('command', 'list', 'filterby', 'pattern', p)));
      compare(p, [s], real, (x) => stringMatch(p, x, true), diffs);
    }
    if (diffs.length) expect.fail(`${diffs.length} rows differ:\n${report(diffs)}`);
  });

  it(`agrees on ${BATCHES * STRINGS_PER_BATCH * PATTERNS_PER_BATCH} random byte pattern/string pairs (KEYS)`, async () => {
    const rng = new Rng(SEED, 'keys');
    const diffs: Diff[] = [];
    let pairs = 0;
    let hits = 0;
    const t0 = performance.now();
    for (let b = 0; b < BATCHES; b++) {
      const r = rng.fork(`batch-${b}`);
      const pats = Array.from({ length: PATTERNS_PER_BATCH }, () => randomPattern(r, BYTES, ITEM_BYTES, b % 2 ? 16 : 8));
      const strings = new Set<string>();
      while (strings.size < STRINGS_PER_BATCH) {
        strings.add(r.chance(0.5) ? instance(r, r.choice(pats), BYTES) : randomString(r, BYTES));
      }
      const subjects = [...strings];
      const patterns = pats.map(textOf);
      const replies = await keysBatch(subjects, patterns);
      patterns.forEach((p, i) => {
        pairs += compare(p, subjects, replies[i]!, keysMatch(p), diffs);
        hits += replies[i]!.size;
      });
    }
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `glob differential (KEYS): ${pairs} pairs, ${hits} matches, ${diffs.length} differences, ${secs.toFixed(2)} s (seed ${SEED})`,
    );
    if (diffs.length) expect.fail(`${diffs.length} pairs differ:\n${report(diffs)}`);
    expect(pairs).toBe(BATCHES * STRINGS_PER_BATCH * PATTERNS_PER_BATCH);
    // both outcomes well represented, or the comparison says little
    expect(hits).toBeGreaterThan(pairs * 0.02);
    expect(hits).toBeLessThan(pairs * 0.5);
  });

  it(`agrees with nocase on ${NOCASE_PATTERNS} random patterns x every command name (COMMAND LIST FILTERBY)`, async () => {
    const rng = new Rng(SEED, 'nocase');
    const letters = [...new Set(commands.join('') + commands.join('').toUpperCase())];
    const items = [...letters, '[', ']', '^', '-', '\\', 'A', 'Z', '_', '`'];
    const diffs: Diff[] = [];
    let pairs = 0;
    let hits = 0;
    const pats: string[] = [];
    for (let i = 0; i < NOCASE_PATTERNS; i++) {
      const r = rng.fork(`p-${i}`);
      // half: a command name with some bytes turned into glob syntax and case flipped
      if (r.chance(0.5)) {
        const name = r.choice(commands);
        let p = '';
        for (const ch of name) {
          const k = r.int(0, 19);
          if (k === 0) p += '?';
          else if (k === 1) p += '*';
          else if (k === 2) p += classToken(r, items).text;
          else if (k === 3) p += `\\${r.chance(0.5) ? ch.toUpperCase() : ch}`;
          else if (k === 4) p += `[${ch.toUpperCase()}]`;
          else p += r.chance(0.3) ? ch.toUpperCase() : ch;
        }
        pats.push(p);
      } else pats.push(textOf(randomPattern(r, items, items, 6)));
    }
    const replies = await Promise.all(pats.map((p) => c.cmd('command', 'list', 'filterby', 'pattern', p)));
    pats.forEach((p, i) => {
      const real = new Set(asList(replies[i]!));
      pairs += compare(p, commands, real, (s) => stringMatch(p, s, true), diffs);
      hits += real.size;
    });
    console.log(`glob differential (nocase): ${pairs} pairs, ${hits} matches, ${diffs.length} differences`);
    if (diffs.length) expect.fail(`${diffs.length} pairs differ:\n${report(diffs)}`);
    expect(hits).toBeGreaterThan(NOCASE_PATTERNS * 0.1);
  });
});
