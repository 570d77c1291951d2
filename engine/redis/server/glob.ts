// Glob-style matching with Redis's stringmatchlen rules (util.c): * ? [abc] [^a-z] and \ escapes.

export function stringMatch(pattern: string, s: string, nocase = false): boolean {
  return matchAt(pattern, 0, s, 0, nocase);
}

function eq(a: string, b: string, nocase: boolean): boolean {
  return nocase ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function matchAt(p: string, pi: number, s: string, si: number, nocase: boolean): boolean {
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === '*') {
      while (p[pi + 1] === '*') pi++;
      if (pi + 1 === p.length) return true;
      for (let k = si; k <= s.length; k++) if (matchAt(p, pi + 1, s, k, nocase)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      const r = matchClass(p, pi + 1, s[si]!, nocase);
      if (!r.matched) return false;
      pi = r.next;
      si++;
      continue;
    }
    if (c === '\\' && pi + 1 < p.length) {
      if (!eq(p[pi + 1]!, s[si]!, nocase)) return false;
      pi += 2;
      si++;
      continue;
    }
    if (!eq(c, s[si]!, nocase)) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

/** A [...] class starting after '['; returns whether `ch` matched and the index after ']'. */
function matchClass(p: string, i: number, ch: string, nocase: boolean): { matched: boolean; next: number } {
  const not = p[i] === '^';
  if (not) i++;
  let matched = false;
  while (i < p.length && p[i] !== ']') {
    if (p[i] === '\\' && i + 1 < p.length) {
      i++;
      if (eq(p[i]!, ch, nocase)) matched = true;
    } else if (p[i + 1] === '-' && i + 2 < p.length && p[i + 2] !== undefined) {
      let lo = p[i]!;
      let hi = p[i + 2]!;
      if (lo > hi) [lo, hi] = [hi, lo];
      let c = ch;
      if (nocase) {
        lo = lo.toLowerCase();
        hi = hi.toLowerCase();
        c = c.toLowerCase();
      }
      if (c >= lo && c <= hi) matched = true;
      i += 2;
    } else if (eq(p[i]!, ch, nocase)) matched = true;
    i++;
  }
  // an unterminated class behaves as if closed at the end of the pattern (Redis decrements back)
  return { matched: not ? !matched : matched, next: i < p.length ? i + 1 : i };
}
