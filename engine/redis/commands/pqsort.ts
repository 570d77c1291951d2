// pqsort.c of Redis 7.0.15 (a partial Bentley-McIlroy quicksort from NetBSD): sorts only what is
// needed for the elements [lrange, rrange] to be in place. SORT … BY … LIMIT and GEO* … COUNT use it,
// so the order of equal elements is this algorithm's, not a stable sort's.

type Cmp<T> = (a: T, b: T) => number;

function swap<T>(v: T[], i: number, j: number): void {
  const t = v[i]!;
  v[i] = v[j]!;
  v[j] = t;
}

function vecswap<T>(v: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(v, i + k, j + k);
}

function med3<T>(v: T[], a: number, b: number, c: number, cmp: Cmp<T>): number {
  return cmp(v[a]!, v[b]!) < 0
    ? cmp(v[b]!, v[c]!) < 0
      ? b
      : cmp(v[a]!, v[c]!) < 0
        ? c
        : a
    : cmp(v[b]!, v[c]!) > 0
      ? b
      : cmp(v[a]!, v[c]!) < 0
        ? a
        : c;
}

/** Sub-array [s, s+k) lies entirely before or after the wanted range [L, R]: no need to sort it. */
const outside = (s: number, k: number, L: number, R: number): boolean => (L < s && R < s) || (L >= s + k && R >= s + k);

function pq<T>(v: T[], a: number, n: number, cmp: Cmp<T>, L: number, R: number): void {
  for (;;) {
    if (n < 7) {
      for (let pm = a + 1; pm < a + n; pm++) for (let pl = pm; pl > a && cmp(v[pl - 1]!, v[pl]!) > 0; pl--) swap(v, pl, pl - 1);
      return;
    }
    let pm = a + Math.floor(n / 2);
    if (n > 7) {
      let pl = a;
      let pn = a + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(v, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(v, pm - d, pm, pm + d, cmp);
        pn = med3(v, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(v, pl, pm, pn, cmp);
    }
    swap(v, a, pm);
    let pa = a + 1;
    let pb = pa;
    let pc = a + n - 1;
    let pd = pc;
    for (;;) {
      let c: number;
      while (pb <= pc && (c = cmp(v[pb]!, v[a]!)) <= 0) {
        if (c === 0) swap(v, pa++, pb);
        pb++;
      }
      while (pb <= pc && (c = cmp(v[pc]!, v[a]!)) >= 0) {
        if (c === 0) swap(v, pc, pd--);
        pc--;
      }
      if (pb > pc) break;
      swap(v, pb++, pc--);
    }
    const pn = a + n;
    let r = Math.min(pa - a, pb - pa);
    vecswap(v, a, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(v, pb, pn - r, r);
    if ((r = pb - pa) > 1 && !outside(a, r, L, R)) pq(v, a, r, cmp, L, R);
    if ((r = pd - pc) > 1) {
      a = pn - r;
      n = r;
      if (!outside(a, r, L, R)) continue;
    }
    return;
  }
}

/** pqsort(a, n, cmp, lrange, rrange) over the whole array. */
export function pqsort<T>(v: T[], cmp: Cmp<T>, lrange: number, rrange: number): void {
  pq(v, 0, v.length, cmp, lrange, rrange);
}
