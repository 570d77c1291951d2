// The hostile wire, parser level (issue 16 item 7): the request parser `serve` uses gets 1,000,000+
// seeded random frames - valid multibulk and inline requests, truncated ones, corrupted ones and raw
// garbage - cut into random chunks. It never throws, never loops, never holds more than the query
// buffer limit, answers only Redis 7.0.15's protocol errors (then stays dead), and every valid request
// before a corruption comes out exactly as it was sent.
import { describe, expect, it } from 'vitest';
import { RequestParser, type RequestItem } from '../../engine/net/respCodec.ts';

/** xorshift32: the test's own seeded stream (never Math.random). */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const PROTOCOL_ERRORS = [
  /^ERR Protocol error: too big inline request$/,
  /^ERR Protocol error: unbalanced quotes in request$/,
  /^ERR Protocol error: too big mbulk count string$/,
  /^ERR Protocol error: invalid multibulk length$/,
  /^ERR Protocol error: too big bulk count string$/,
  /^ERR Protocol error: expected '\$', got '[\s\S]'$/,
  /^ERR Protocol error: invalid bulk length$/,
  /^ERR Protocol error: unauthenticated multibulk length$/,
  /^ERR Protocol error: unauthenticated bulk length$/,
];

type Rand = () => number;
const pick = (r: Rand, n: number) => Math.floor(r() * n);

function randomArg(r: Rand): string {
  const len = r() < 0.05 ? pick(r, 3000) : pick(r, 12);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(r() < 0.8 ? 97 + pick(r, 26) : pick(r, 256));
  return s;
}

const multibulk = (argv: string[]) => `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;

/** One frame: [bytes, the argv it must parse to (null: none expected, e.g. corrupted or garbage)]. */
function frame(r: Rand): [string, string[] | null] {
  const k = r();
  if (k < 0.45) {
    const argv = Array.from({ length: 1 + pick(r, 5) }, () => randomArg(r));
    return [multibulk(argv), argv];
  }
  if (k < 0.6) {
    const argv = Array.from({ length: 1 + pick(r, 4) }, () => 'abcdefghij'.slice(0, 1 + pick(r, 10)));
    return [`${argv.join(' ')}\r\n`, argv];
  }
  if (k < 0.75) {
    // a valid frame with one byte replaced
    const argv = Array.from({ length: 1 + pick(r, 3) }, () => randomArg(r));
    const b = multibulk(argv);
    const at = pick(r, b.length);
    return [b.slice(0, at) + String.fromCharCode(pick(r, 256)) + b.slice(at + 1), null];
  }
  if (k < 0.85) {
    // header-ish garbage
    const heads = ['*', '$', '*-1\r\n', '*0\r\n', '*99999999999\r\n', '$-5\r\n', '*2\r\n$x\r\n', '*1\r\n$3\r\nab', '"unbalanced\r\n', "'x\r\n", '*1\r\n:1\r\n'];
    return [heads[pick(r, heads.length)]! + randomArg(r), null];
  }
  // raw bytes
  let s = '';
  const n = pick(r, 200);
  for (let i = 0; i < n; i++) s += String.fromCharCode(pick(r, 256));
  return [s, null];
}

interface Totals {
  frames: number;
  commands: number;
  errors: number;
  closes: number;
  bytes: number;
}

/** Feed one stream of frames in random chunks; check every item. */
function runStream(r: Rand, frames: number, totals: Totals, queryBufferLimit: number): void {
  let auth = r() < 0.1;
  const parser = new RequestParser({ authRequired: () => auth, limits: () => ({ protoMaxBulkLen: 512 * 1024 * 1024, queryBufferLimit }) });
  const expected: (string[] | null)[] = [];
  let bytes = '';
  for (let i = 0; i < frames; i++) {
    const [b, argv] = frame(r);
    bytes += b;
    expected.push(argv);
  }
  totals.frames += frames;
  totals.bytes += bytes.length;
  const got: RequestItem[] = [];
  let p = 0;
  let guard = 0;
  while (p < bytes.length && !parser.dead) {
    const n = 1 + pick(r, r() < 0.5 ? 16 : 4096);
    parser.feed(bytes.slice(p, p + n));
    p += n;
    for (let it = parser.next(); it; it = parser.next()) {
      got.push(it);
      if (++guard > bytes.length + 10) throw new Error('parser loops');
    }
    expect(parser.pending).toBeLessThanOrEqual(queryBufferLimit);
    if (r() < 0.01) auth = !auth;
  }
  // the valid frames up to the first corruption parse exactly as sent (an empty inline line, "*0" and
  // "*-1" give nothing, as in Redis)
  let e = 0;
  for (const it of got) {
    if (it.kind === 'error') {
      totals.errors++;
      expect(PROTOCOL_ERRORS.some((re) => re.test(it.error)), it.error).toBe(true);
      expect(parser.next()).toBeNull();
      break;
    }
    if (it.kind === 'close') {
      totals.closes++;
      break;
    }
    totals.commands++;
    if (e < expected.length && expected[e] !== null) {
      expect(it.argv).toEqual(expected[e]);
      e++;
    } else break; // after the first corrupted frame the stream's framing is anyone's guess
  }
}

describe('RequestParser under a seeded fuzz (1,000,000+ frames)', () => {
  it('never throws, never loops, answers only protocol errors, keeps valid requests intact', () => {
    const r = prng(0x16_07);
    const totals: Totals = { frames: 0, commands: 0, errors: 0, closes: 0, bytes: 0 };
    while (totals.frames < 1_000_000) {
      // mostly short streams (a protocol error kills a parser), some long valid-heavy ones
      runStream(r, r() < 0.9 ? 1 + pick(r, 8) : 50 + pick(r, 200), totals, r() < 0.05 ? 4096 : 1024 * 1024);
    }
    expect(totals.frames).toBeGreaterThanOrEqual(1_000_000);
    expect(totals.commands).toBeGreaterThan(50_000);
    expect(totals.errors).toBeGreaterThan(10_000);
    expect(totals.closes).toBeGreaterThan(0);
  }, 300_000);

  it('a client streaming a huge bulk is cut at the query buffer limit, the heap never holds it', () => {
    const limit = 1024 * 1024;
    const parser = new RequestParser({ limits: () => ({ protoMaxBulkLen: 512 * 1024 * 1024, queryBufferLimit: limit }) });
    parser.feed('*2\r\n$3\r\nset\r\n$100000000\r\n');
    expect(parser.next()).toBeNull();
    const chunk = 'x'.repeat(64 * 1024);
    let fed = 0;
    let item: RequestItem | null = null;
    while (fed < 100_000_000 && !item) {
      parser.feed(chunk);
      fed += chunk.length;
      item = parser.next();
      expect(parser.pending).toBeLessThanOrEqual(limit);
    }
    expect(item?.kind).toBe('close');
    expect(fed).toBeLessThanOrEqual(limit + chunk.length);
    expect(parser.dead).toBe(true);
  });

  it('proto-max-bulk-len read at each feed: a bulk over it is "invalid bulk length"', () => {
    let max = 1024;
    const parser = new RequestParser({ limits: () => ({ protoMaxBulkLen: max, queryBufferLimit: 1 << 30 }) });
    parser.feed(`*1\r\n$1024\r\n${'a'.repeat(1024)}\r\n`);
    expect(parser.next()).toMatchObject({ kind: 'command' });
    max = 100;
    parser.feed('*1\r\n$101\r\n');
    expect(parser.next()).toEqual({ kind: 'error', error: 'ERR Protocol error: invalid bulk length', reason: 'invalid bulk length' });
  });
});
