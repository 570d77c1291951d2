// Glob matching exactly as Redis 7.0.15's stringmatchlen() / stringmatch() in util.c.
//
// Operands are the codebase's byte strings (one char per byte, latin1; a char above 0xff counts as
// its low byte, as on the wire). The rules, all checked against the real server:
// - `*` matches any run of bytes, `?` any one byte, `\x` the byte x, a lone trailing `\` itself;
// - `[...]` one byte from a class, `[^...]` one byte not in it; inside, `\x` is x and `a-z` a range
//   whose ends are compared as C's signed char (bytes 0x80-0xff sort below 0x00) and swapped when
//   reversed; `]` right after `[` closes an empty class; a class still open at the end of the
//   pattern ends there (`[ab` is `[ab]`), and a range may swallow the `]` (`[a-]` stays open);
// - an empty string matches only the empty pattern (so `*` does not match ""; KEYS * special-cases it);
// - nocase folds A-Z to a-z (the C locale) everywhere except `\x` inside a class, which stays exact.
// Unlike a naive backtracker this never takes exponential time: every token except `*` consumes
// exactly one byte, so only the most recent `*` ever needs to try a longer match (the same
// observation behind Redis's skipLongerMatches), which bounds the work by |pattern| x |string|.

const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const BACKSLASH = 0x5c;

const byteAt = (s: string, i: number): number => s.charCodeAt(i) & 0xff;
/** The byte as C's (signed) char, for range comparisons. */
const signed = (b: number): number => (b << 24) >> 24;
/** tolower() in the C locale (Redis never sets LC_CTYPE); identity on negative chars. */
const fold = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);

/**
 * The index after the one-byte token at p[pi] (not `*`) if it matches byte b, else -1.
 * How far a token extends depends on the pattern alone, never on b.
 */
function matchToken(p: string, pi: number, b: number, nocase: boolean): number {
  const pl = p.length;
  const c = byteAt(p, pi);
  if (c === QUESTION) return pi + 1;
  if (c === OPEN) return matchClass(p, pi + 1, b, nocase);
  let lit = c;
  let next = pi + 1;
  if (c === BACKSLASH && pi + 1 < pl) {
    lit = byteAt(p, pi + 1);
    next = pi + 2;
  }
  const ok = nocase ? fold(lit) === fold(b) : lit === b;
  return ok ? next : -1;
}

/** A class whose body starts at p[i] (just after `[`): the index after it if b matches, else -1. */
function matchClass(p: string, i: number, b: number, nocase: boolean): number {
  const pl = p.length;
  const negate = i < pl && byteAt(p, i) === CARET;
  if (negate) i++;
  let hit = false;
  for (;;) {
    if (i === pl) break; // still open at the end of the pattern: the class ends there
    const c = byteAt(p, i);
    if (c === BACKSLASH && pl - i >= 2) {
      // an escaped byte inside a class compares exactly, even with nocase
      if (byteAt(p, i + 1) === b) hit = true;
      i += 2;
    } else if (c === CLOSE) {
      i++;
      break;
    } else if (pl - i >= 3 && byteAt(p, i + 1) === DASH) {
      let lo = signed(c);
      let hi = signed(byteAt(p, i + 2));
      let x = signed(b);
      if (lo > hi) [lo, hi] = [hi, lo];
      if (nocase) {
        lo = fold(lo);
        hi = fold(hi);
        x = fold(x);
      }
      if (x >= lo && x <= hi) hit = true;
      i += 3;
    } else {
      if (nocase ? fold(c) === fold(b) : c === b) hit = true;
      i++;
    }
  }
  return hit !== negate ? i : -1;
}

/** stringmatchlen(pattern, string, nocase): the whole string against the whole pattern. */
export function stringMatch(pattern: string, str: string, nocase = false): boolean {
  const pl = pattern.length;
  const sl = str.length;
  if (sl === 0) return pl === 0;
  let pi = 0;
  let si = 0;
  // The latest `*` seen: where the pattern resumes after it, and where in the string that resumption
  // was last tried. On a mismatch, retry with the star swallowing one more byte; earlier stars are
  // never revisited (any longer match for them only leaves a shorter string for this one).
  let starP = -1;
  let starS = 0;
  while (si < sl) {
    if (pi < pl) {
      if (byteAt(pattern, pi) === STAR) {
        while (pi < pl && byteAt(pattern, pi) === STAR) pi++;
        if (pi === pl) return true;
        starP = pi;
        starS = si;
        continue;
      }
      const next = matchToken(pattern, pi, byteAt(str, si), nocase);
      if (next >= 0) {
        pi = next;
        si++;
        continue;
      }
    }
    if (starP < 0) return false;
    si = ++starS;
    pi = starP;
  }
  while (pi < pl && byteAt(pattern, pi) === STAR) pi++;
  return pi === pl;
}

/** A C string's view of a byte string: everything before its first NUL. */
const cString = (s: string): string => {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
};

/**
 * stringmatch(pattern, string, nocase): stringmatchlen over C strings, so both stop at their first
 * NUL. Redis uses it (not the length-aware form) for CONFIG GET, SENTINEL CONFIG GET and SENTINEL RESET.
 */
export function stringMatchC(pattern: string, str: string, nocase = false): boolean {
  return stringMatch(cString(pattern), cString(str), nocase);
}
