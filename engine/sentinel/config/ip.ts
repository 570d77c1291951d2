/**
 * Numeric host parsing as getaddrinfo(AI_NUMERICHOST) + inet_ntop do it (glibc): the
 * value Sentinel stores as an instance's "ip" when hostname resolution is off.
 */

/** One inet_aton() component: decimal, 0-prefixed octal or 0x-prefixed hex. */
function parseAtonPart(part: string): number | null {
  let digits = part;
  let radix = 10;
  if (/^0[xX]/.test(part)) {
    digits = part.slice(2);
    radix = 16;
    if (digits.length === 0) return 0; // "0x" alone is accepted as 0 by inet_aton
  } else if (part.length > 1 && part[0] === '0') {
    digits = part.slice(1);
    radix = 8;
  }
  const re = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!re.test(digits)) return null;
  const v = parseInt(digits, radix);
  return v > 0xffffffff ? null : v;
}

/** inet_aton() forms: a.b.c.d, a.b.c, a.b, a. Returns dotted-quad text or null. */
export function parseIPv4(host: string): string | null {
  if (!/^[0-9]/.test(host)) return null;
  const parts = host.split('.');
  if (parts.length > 4 || parts.some((p) => p.length === 0)) return null;
  const nums: number[] = [];
  for (const p of parts) {
    const v = parseAtonPart(p);
    if (v === null) return null;
    nums.push(v);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 0xff)) return null;
  const lastBytes = 4 - nums.length;
  if (last >= 2 ** (8 * lastBytes)) return null;
  const bytes = [...nums];
  for (let i = lastBytes - 1; i >= 0; i--) bytes.push(Math.floor(last / 2 ** (8 * i)) % 256);
  return bytes.join('.');
}

function parseStrictIPv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return null;
    const v = Number(p);
    if (v > 255) return null;
    out.push(v);
  }
  return out;
}

/** inet_pton(AF_INET6): returns the 8 16-bit groups or null. */
export function parseIPv6Words(host: string): number[] | null {
  if (!host.includes(':')) return null;
  const halves = host.split('::');
  if (halves.length > 2) return null;
  const toWords = (part: string, allowV4: boolean): number[] | null => {
    if (part.length === 0) return [];
    const groups = part.split(':');
    const words: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (allowV4 && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseStrictIPv4(g);
        if (!v4) return null;
        words.push(v4[0]! * 256 + v4[1]!, v4[2]! * 256 + v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        words.push(parseInt(g, 16));
      }
    }
    return words;
  };
  if (halves.length === 1) {
    const w = toWords(halves[0]!, true);
    return w && w.length === 8 ? w : null;
  }
  const head = toWords(halves[0]!, false);
  const tail = toWords(halves[1]!, true);
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** inet_ntop(AF_INET6) text for 8 groups (glibc layout). */
export function formatIPv6(words: readonly number[]): string {
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += `${words[6]! >> 8}.${words[6]! & 0xff}.${words[7]! >> 8}.${words[7]! & 0xff}`;
      return out;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** Normalised numeric address, or null when `host` is not an IPv4/IPv6 literal. */
export function parseNumericHost(host: string): string | null {
  // a pure function of the text, asked for every hello and INFO line: remembered (bounded)
  const known = numericHostCache.get(host);
  if (known !== undefined) return known;
  const v4 = parseIPv4(host);
  const v6 = v4 === null ? parseIPv6Words(host) : null;
  const ip = v4 ?? (v6 ? formatIPv6(v6) : null);
  if (numericHostCache.size >= NUMERIC_HOST_CACHE_MAX) numericHostCache.clear();
  numericHostCache.set(host, ip);
  return ip;
}

const NUMERIC_HOST_CACHE_MAX = 4096;
const numericHostCache = new Map<string, string | null>();
