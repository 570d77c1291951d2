// Incremental RESP parsers for bytes from real sockets (the gateway, tests): requests the way
// networking.c's processInputBuffer reads them (multibulk + inline, Redis 7.0.15's protocol errors),
// and replies (RESP2, plus RESP3 types folded into the RESP2 `Resp` shapes). Browser-safe: works on
// latin1 "byte strings" (one char per byte) or Uint8Array chunks.
import type { Reply, Resp } from './resp.ts';

/** PROTO_INLINE_MAX_SIZE: an inline request, or a count line, longer than this without its newline is an error. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** proto-max-bulk-len default (512mb). */
export const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;
const INT_MAX = 2147483647;

/** Bytes to a latin1 string (one char per byte). */
export function bytesToLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 8192)));
  return s;
}

/** A latin1 string to bytes (chars above 0xff are truncated to their low byte). */
export function latin1ToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** util.c string2ll: strict decimal (no '+', no spaces, no leading zeros, 64-bit range). */
export function string2ll(s: string): bigint | null {
  if (s.length === 0 || s.length >= 21) return null;
  if (s === '0') return 0n;
  if (!/^-?[1-9][0-9]*$/.test(s)) return null;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v;
}

/** sds.c sdssplitargs: redis-cli style tokens with "double" (\xHH, \n...) and 'single' quotes; null if unbalanced. */
export function splitInlineArgs(line: string): string[] | null {
  const out: string[] = [];
  const n = line.length;
  const at = (i: number) => (i < n ? line[i]! : '\0');
  const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\v' || c === '\f';
  const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);
  let p = 0;
  for (;;) {
    while (at(p) !== '\0' && isSpace(at(p))) p++;
    if (at(p) === '\0') return out;
    let cur = '';
    let inq = false;
    let insq = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inq) {
        if (c === '\\' && at(p + 1) === 'x' && isHex(at(p + 2)) && isHex(at(p + 3))) {
          cur += String.fromCharCode(parseInt(at(p + 2) + at(p + 3), 16));
          p += 3;
        } else if (c === '\\' && at(p + 1) !== '\0') {
          p++;
          const e = at(p);
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          // the closing quote must be followed by a space or the end
          if (at(p + 1) !== '\0' && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === '\0') {
          return null;
        } else cur += c;
      } else if (insq) {
        if (c === '\\' && at(p + 1) === "'") {
          p++;
          cur += "'";
        } else if (c === "'") {
          if (at(p + 1) !== '\0' && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === '\0') {
          return null;
        } else cur += c;
      } else {
        if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\0') done = true;
        else if (c === '"') inq = true;
        else if (c === "'") insq = true;
        else cur += c;
      }
      if (at(p) !== '\0') p++;
    }
    out.push(cur);
  }
}

/**
 * The most bytes one connection's parser holds: an argument must fit in one JS string (V8 caps strings
 * at 2^29-24 chars), so a larger client-query-buffer-limit is cut here - the connection is closed as
 * Redis closes one over its limit. Also what keeps a client streaming a huge bulk from growing the heap.
 */
export const PARSER_MAX_PENDING = 256 * 1024 * 1024;
/** client-query-buffer-limit default (1gb). */
export const CLIENT_QUERY_BUFFER_LIMIT = 1024 * 1024 * 1024;

export interface RequestParserOptions {
  /** proto-max-bulk-len (bytes). */
  protoMaxBulkLen?: number;
  /** The limits as the server's config has them right now (read at each feed); override the fixed ones. */
  limits?: () => { protoMaxBulkLen: number; queryBufferLimit: number };
  /** Asked before accepting more than 10 arguments or a bulk over 16 KiB (authRequired(c) in networking.c). */
  authRequired?: () => boolean;
}

/** One parsed request, or the protocol error Redis replies with before closing the connection. */
export type RequestItem =
  | { kind: 'command'; argv: string[]; inline: boolean }
  | { kind: 'error'; error: string; reason: string }
  /** Over client-query-buffer-limit: Redis logs and closes the connection without a reply. */
  | { kind: 'close'; reason: string; pending: number; head: string };

/**
 * The query-buffer parser of one client connection. feed() bytes, then call next() until it returns
 * null (more bytes needed). After an error item the parser is dead: every later next() returns null.
 * Empty requests (a blank inline line, `*0` or `*-1`) are skipped, as Redis does.
 */
export class RequestParser {
  private buf = '';
  private pos = 0;
  private failed = false;
  /** Multibulk state (c->multibulklen, c->bulklen, c->argv). */
  private mbLeft = 0;
  private bulkLen = -1;
  private argv: string[] = [];
  private reqType: 0 | 'inline' | 'multibulk' = 0;

  constructor(private readonly opts: RequestParserOptions = {}) {}

  /** Set when a feed took the unconsumed bytes over the query buffer limit. */
  private overLimit = -1;
  private overHead = '';
  private maxBulk = PROTO_MAX_BULK_LEN;

  feed(chunk: string | Uint8Array): void {
    if (this.failed || this.overLimit >= 0) return;
    const s = typeof chunk === 'string' ? chunk : bytesToLatin1(chunk);
    const lim = this.opts.limits?.();
    this.maxBulk = lim?.protoMaxBulkLen ?? this.opts.protoMaxBulkLen ?? PROTO_MAX_BULK_LEN;
    const qlimit = Math.min(lim?.queryBufferLimit ?? CLIENT_QUERY_BUFFER_LIMIT, PARSER_MAX_PENDING);
    // readQueryFromClient: the query buffer (what is not processed yet) over the limit closes the client
    if (this.pending + s.length > qlimit) {
      this.overLimit = this.pending + s.length;
      this.overHead = (this.buf.slice(this.pos, this.pos + 64) + s.slice(0, 64)).slice(0, 64);
      this.buf = '';
      this.pos = 0;
      return;
    }
    if (this.pos > 0 && this.pos >= this.buf.length / 2) {
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    this.buf += s;
  }

  /** Bytes received and not consumed yet. */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  get dead(): boolean {
    return this.failed;
  }

  next(): RequestItem | null {
    if (this.overLimit >= 0 && !this.failed) {
      this.failed = true;
      return { kind: 'close', reason: 'max query buffer length', pending: this.overLimit, head: this.overHead };
    }
    while (!this.failed && this.pos < this.buf.length) {
      if (!this.reqType) this.reqType = this.buf[this.pos] === '*' ? 'multibulk' : 'inline';
      const r = this.reqType === 'inline' ? this.inline() : this.multibulk();
      if (r === null) return null;
      this.reqType = 0;
      if (r.kind !== 'command') {
        this.failed = true;
        return r;
      }
      if (r.argv.length > 0) return r;
    }
    return null;
  }

  private fail(error: string, reason: string): RequestItem {
    return { kind: 'error', error: `ERR Protocol error: ${error}`, reason };
  }

  /** strchr(querybuf+pos, ch): the C string ends at the first NUL byte. */
  private strchr(ch: string, from: number): number {
    const i = this.buf.indexOf(ch, from);
    if (i < 0) return -1;
    const z = this.buf.indexOf('\0', from);
    return z >= 0 && z < i ? -1 : i;
  }

  private inline(): RequestItem | null {
    let nl = this.strchr('\n', this.pos);
    if (nl < 0) {
      if (this.buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big inline request', 'too big inline request');
      return null;
    }
    const next = nl + 1;
    if (nl !== this.pos && this.buf[nl - 1] === '\r') nl--;
    let line = this.buf.slice(this.pos, nl);
    const z = line.indexOf('\0');
    if (z >= 0) line = line.slice(0, z);
    const argv = splitInlineArgs(line);
    if (argv === null) return this.fail('unbalanced quotes in request', 'unbalanced quotes in inline request');
    this.pos = next;
    return { kind: 'command', argv, inline: true };
  }

  private multibulk(): RequestItem | null {
    const buf = this.buf;
    if (this.mbLeft === 0) {
      const cr = this.strchr('\r', this.pos);
      if (cr < 0) {
        if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big mbulk count string', 'too big mbulk count string');
        return null;
      }
      if (cr > buf.length - 2) return null; // the \n is not there yet
      const ll = string2ll(buf.slice(this.pos + 1, cr));
      if (ll === null || ll > BigInt(INT_MAX)) return this.fail('invalid multibulk length', 'invalid mbulk count');
      if (ll > 10n && this.opts.authRequired?.()) return this.fail('unauthenticated multibulk length', 'unauth mbulk count');
      this.pos = cr + 2;
      if (ll <= 0n) return { kind: 'command', argv: [], inline: false };
      this.mbLeft = Number(ll);
      this.argv = [];
    }
    while (this.mbLeft > 0) {
      if (this.bulkLen === -1) {
        const cr = this.strchr('\r', this.pos);
        if (cr < 0) {
          if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big bulk count string', 'too big bulk count string');
          return null;
        }
        if (cr > buf.length - 2) return null;
        if (buf[this.pos] !== '$') return this.fail(`expected '$', got '${buf[this.pos]}'`, 'expected $ but got something else');
        const ll = string2ll(buf.slice(this.pos + 1, cr));
        const max = this.maxBulk;
        if (ll === null || ll < 0n || ll > BigInt(max)) return this.fail('invalid bulk length', 'invalid bulk length');
        if (ll > 16384n && this.opts.authRequired?.()) return this.fail('unauthenticated bulk length', 'unauth bulk length');
        this.pos = cr + 2;
        this.bulkLen = Number(ll);
      }
      if (buf.length - this.pos < this.bulkLen + 2) return null;
      this.argv.push(buf.slice(this.pos, this.pos + this.bulkLen));
      this.pos += this.bulkLen + 2; // the two bytes after the bulk are skipped unchecked, as Redis does
      this.bulkLen = -1;
      this.mbLeft--;
    }
    const argv = this.argv;
    this.argv = [];
    return { kind: 'command', argv, inline: false };
  }
}

/** A malformed reply stream (what a client library would report as a protocol error). */
export class ReplyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyProtocolError';
  }
}

/**
 * Incremental reply parser. By default RESP3 types are folded into RESP2 shapes (`_` → null bulk,
 * `#` → 0/1, `,` and `=` → bulk, `(` → int, `%`/`~`/`>` → flat arrays, `!` → error, `|` attributes
 * dropped); with `{ typed: true }` they are kept as the typed Resp values (null, map, set, double, bool,
 * bignum, verbatim, push), so that parse(encodeResp(r)) gives r back.
 */
export class ReplyParser {
  private buf = '';
  private pos = 0;
  private readonly typed: boolean;

  constructor(opts: { typed?: boolean } = {}) {
    this.typed = opts.typed ?? false;
  }

  feed(chunk: string | Uint8Array): void {
    const s = typeof chunk === 'string' ? chunk : bytesToLatin1(chunk);
    if (this.pos > 0 && this.pos >= this.buf.length / 2) {
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    this.buf += s;
  }

  /** The next complete reply (folded to RESP2 shapes), or null when more bytes are needed. Throws ReplyProtocolError. */
  next(): Resp | null {
    return this.nextReply() as Resp | null;
  }

  /** The next complete reply, typed when the parser is `typed`. */
  nextReply(): Reply | null {
    const r = this.parse(this.pos);
    if (r === null) return null;
    this.pos = r[1];
    return r[0];
  }

  private line(from: number): [string, number] | null {
    const i = this.buf.indexOf('\r\n', from);
    return i < 0 ? null : [this.buf.slice(from, i), i + 2];
  }

  private parse(at: number): [Reply, number] | null {
    if (at >= this.buf.length) return null;
    const type = this.buf[at]!;
    const ln = this.line(at + 1);
    if (ln === null) return null;
    const [text, after] = ln;
    const count = () => {
      const n = Number(text);
      if (!/^-?\d+$/.test(text)) throw new ReplyProtocolError(`bad length '${text}' for '${type}'`);
      return n;
    };
    switch (type) {
      case '+':
        return [{ t: 'simple', v: text }, after];
      case '-':
        return [{ t: 'error', v: text }, after];
      case ':':
      case '(': {
        if (!/^[-+]?\d+$/.test(text)) throw new ReplyProtocolError(`bad integer '${text}'`);
        if (type === '(' && this.typed) return [{ t: 'bignum', v: text }, after];
        const big = BigInt(text);
        const v = big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big;
        return [{ t: 'int', v }, after];
      }
      case '_':
        return [this.typed ? { t: 'null', v: null } : { t: 'bulk', v: null }, after];
      case '#':
        if (this.typed) return [{ t: 'bool', v: text === 't' }, after];
        return [{ t: 'int', v: text === 't' ? 1 : 0 }, after];
      case ',':
        return [this.typed ? { t: 'double', v: text } : { t: 'bulk', v: text }, after];
      case '$':
      case '=':
      case '!': {
        const n = count();
        if (n < 0) return [{ t: 'bulk', v: null }, after];
        if (this.buf.length < after + n + 2) return null;
        let v = this.buf.slice(after, after + n);
        if (this.buf.slice(after + n, after + n + 2) !== '\r\n') throw new ReplyProtocolError('bulk not followed by CRLF');
        if (type === '=') {
          if (this.typed) return [{ t: 'verbatim', f: v.slice(0, 3), v: v.slice(4) }, after + n + 2];
          v = v.slice(4);
        }
        return [type === '!' ? { t: 'error', v } : { t: 'bulk', v }, after + n + 2];
      }
      case '*':
      case '~':
      case '>':
      case '%':
      case '|': {
        const n = count();
        if (n < 0) return [{ t: 'array', v: null }, after];
        const items = type === '%' || type === '|' ? 2 * n : n;
        const out: Reply[] = [];
        let p = after;
        for (let i = 0; i < items; i++) {
          const r = this.parse(p);
          if (r === null) return null;
          out.push(r[0]);
          p = r[1];
        }
        if (type === '|') return this.parse(p); // an attribute precedes the real reply
        if (this.typed && type !== '*') return [{ t: type === '%' ? 'map' : type === '~' ? 'set' : 'push', v: out }, p];
        return [{ t: 'array', v: out }, p];
      }
      default:
        throw new ReplyProtocolError(`unknown reply type '${type}'`);
    }
  }
}

/** Parse a whole byte string of replies (tests). */
export function parseReplies(s: string): Resp[];
export function parseReplies(s: string, opts: { typed?: boolean }): Reply[];
export function parseReplies(s: string, opts: { typed?: boolean } = {}): Reply[] {
  const p = new ReplyParser(opts);
  p.feed(s);
  const out: Reply[] = [];
  for (let r = p.nextReply(); r !== null; r = p.nextReply()) out.push(r);
  return out;
}
