/**
 * Glob matching with the semantics of Redis's stringmatchlen(): `*`, `?`, `[abc]`,
 * `[^a-z]`, `[a\]]`, `\x` escapes; an unterminated `[` class ends at the end of the
 * pattern. With `nocase`, letters compare case-insensitively (ASCII).
 */

function lower(ch: string | undefined): string | undefined {
  if (ch === undefined) return undefined;
  const c = ch.charCodeAt(0);
  return c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : ch;
}

function same(a: string | undefined, b: string | undefined, nocase: boolean): boolean {
  return nocase ? lower(a) === lower(b) : a === b;
}

interface Abort {
  skipLonger: boolean;
}

function matchFrom(p: string, pi: number, s: string, si: number, nocase: boolean, abort: Abort): boolean {
  let plen = p.length - pi;
  let slen = s.length - si;
  while (plen > 0 && slen > 0) {
    const c = p[pi]!;
    if (c === '*') {
      while (plen > 0 && p[pi + 1] === '*') {
        pi++;
        plen--;
      }
      if (plen === 1) return true;
      while (slen > 0) {
        if (matchFrom(p, pi + 1, s, si, nocase, abort)) return true;
        if (abort.skipLonger) return false;
        si++;
        slen--;
      }
      abort.skipLonger = true;
      return false;
    } else if (c === '?') {
      si++;
      slen--;
    } else if (c === '[') {
      pi++;
      plen--;
      const not = p[pi] === '^';
      if (not) {
        pi++;
        plen--;
      }
      let matched = false;
      for (;;) {
        if (p[pi] === '\\' && plen >= 2) {
          pi++;
          plen--;
          if (p[pi] === s[si]) matched = true;
        } else if (p[pi] === ']') {
          break;
        } else if (plen === 0) {
          pi--;
          plen++;
          break;
        } else if (plen >= 3 && p[pi + 1] === '-') {
          let start = p.charCodeAt(pi);
          let end = p.charCodeAt(pi + 2);
          let ch = s.charCodeAt(si);
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(String.fromCharCode(start))!.charCodeAt(0);
            end = lower(String.fromCharCode(end))!.charCodeAt(0);
            ch = lower(s[si])!.charCodeAt(0);
          }
          pi += 2;
          plen -= 2;
          if (ch >= start && ch <= end) matched = true;
        } else if (same(p[pi], s[si], nocase)) {
          matched = true;
        }
        pi++;
        plen--;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      si++;
      slen--;
    } else {
      if (c === '\\' && plen >= 2) {
        pi++;
        plen--;
      }
      if (!same(p[pi], s[si], nocase)) return false;
      si++;
      slen--;
    }
    pi++;
    plen--;
    if (slen === 0) {
      while (p[pi] === '*' && plen > 0) {
        pi++;
        plen--;
      }
      break;
    }
  }
  return plen === 0 && slen === 0;
}

export function stringMatch(pattern: string, s: string, nocase = false): boolean {
  return matchFrom(pattern, 0, s, 0, nocase, { skipLonger: false });
}
