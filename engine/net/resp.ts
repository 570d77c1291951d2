// RESP value types carried by simulated connections (design.md, engine/net).
// Strings are "byte strings": one JS char per byte (latin1), so lengths are byte lengths.

/** The RESP2 types: what a RESP2 connection carries (and every command, as clients send it). */
export type Resp =
  | { t: 'simple'; v: string }
  | { t: 'error'; v: string }
  | { t: 'int'; v: number | bigint }
  | { t: 'bulk'; v: string | null }
  | { t: 'array'; v: Resp[] | null };

/**
 * A reply as a command builds it: typed as Redis 7.0 types it (the RESP3 types below), built once and
 * put in the shape of the client's protocol when it is delivered (toProtocol in resp3.ts): a RESP2
 * client gets exactly the RESP2 shapes (map → flat array, double → bulk, …) as a `Resp`, a RESP3
 * client every null as `_` and the types as they are.
 */
export type Reply =
  | Exclude<Resp, { t: 'array' }>
  | { t: 'array'; v: Reply[] | null }
  /** RESP3 `_` (RESP2: `$-1`, or `*-1` where Redis says addReplyNullArray: NIL_ARRAY). */
  | { t: 'null'; v: null }
  /** RESP3 `%`: flat [k1, v1, k2, v2, …] (RESP2: the flat array). */
  | { t: 'map'; v: Reply[] }
  /** RESP3 `~` (RESP2: array). */
  | { t: 'set'; v: Reply[] }
  /** RESP3 `,`: the text as Redis prints it ("%.17g", "inf", human long double) (RESP2: bulk). */
  | { t: 'double'; v: string }
  /** RESP3 `#t` / `#f` (RESP2: `:1` / `:0`). */
  | { t: 'bool'; v: boolean }
  /** RESP3 `(` (RESP2: bulk). */
  | { t: 'bignum'; v: string }
  /** RESP3 `=` with a 3-byte format ("txt") (RESP2: bulk of the text). */
  | { t: 'verbatim'; f: string; v: string }
  /** RESP3 `>` out-of-band push (RESP2: array). */
  | { t: 'push'; v: Reply[] }
  /** An array RESP3 keeps nested ([member, score] pairs) and RESP2 splices into its parent array. */
  | { t: 'nested'; v: Reply[] };

/** A command as clients send it: an array of bulk strings. */
export type Argv = string[];

export const OK: Resp = Object.freeze({ t: 'simple', v: 'OK' }) as Resp;
export const QUEUED: Resp = Object.freeze({ t: 'simple', v: 'QUEUED' }) as Resp;
export const PONG: Resp = Object.freeze({ t: 'simple', v: 'PONG' }) as Resp;
export const NIL: Resp = Object.freeze({ t: 'bulk', v: null }) as Resp;
export const NIL_ARRAY: Resp = Object.freeze({ t: 'array', v: null }) as Resp;
export const EMPTY_ARRAY: Resp = Object.freeze({ t: 'array', v: [] as Resp[] }) as Resp;
export const ZERO: Resp = Object.freeze({ t: 'int', v: 0 }) as Resp;
export const ONE: Resp = Object.freeze({ t: 'int', v: 1 }) as Resp;

export const simple = (v: string): Resp => ({ t: 'simple', v });
export const err = (v: string): Resp => ({ t: 'error', v });
export const int = (v: number | bigint): Resp => ({ t: 'int', v });
export const bulk = (v: string | null): Resp => ({ t: 'bulk', v });
export function arr(v: Resp[] | null): Resp;
export function arr(v: Reply[] | null): Reply;
export function arr(v: Reply[] | null): Reply {
  return { t: 'array', v };
}
export const bulks = (vs: readonly (string | null)[]): Resp => ({ t: 'array', v: vs.map((s) => bulk(s)) });
export const NULL3: Reply = Object.freeze({ t: 'null', v: null }) as Reply;
/** addReplyMapLen + the pairs, flat. */
export const map = (v: Reply[]): Reply => ({ t: 'map', v });
/** addReplySetLen + the members. */
export const set = (v: Reply[]): Reply => ({ t: 'set', v });
/** addReplyDouble / addReplyHumanLongDouble: `text` is what RESP2 sends as a bulk. */
export const dbl = (text: string): Reply => ({ t: 'double', v: text });
export const bool = (v: boolean): Reply => ({ t: 'bool', v });
export const bignum = (v: string): Reply => ({ t: 'bignum', v });
export const verbatim = (v: string, f = 'txt'): Reply => ({ t: 'verbatim', f, v });
export const pushMsg = (v: Reply[]): Reply => ({ t: 'push', v });
export const nested = (v: Reply[]): Reply => ({ t: 'nested', v });
export const EMPTY_MAP: Reply = Object.freeze({ t: 'map', v: [] as Reply[] }) as Reply;
export const EMPTY_SET: Reply = Object.freeze({ t: 'set', v: [] as Reply[] }) as Reply;

/** Approximate wire size in bytes of a RESP value (used for bandwidth and backlog accounting). */
export function respSize(r: Reply): number {
  switch (r.t) {
    case 'simple':
    case 'error':
      return r.v.length + 3;
    case 'int':
      return String(r.v).length + 3;
    case 'bulk':
      return r.v === null ? 5 : r.v.length + digits(r.v.length) + 5;
    case 'array': {
      if (r.v === null) return 5;
      let n = digits(r.v.length) + 3;
      for (const x of r.v) n += respSize(x);
      return n;
    }
    case 'null':
      return 3;
    case 'map':
    case 'set':
    case 'push':
    case 'nested': {
      let n = digits(r.t === 'map' ? r.v.length / 2 : r.v.length) + 3;
      for (const x of r.v) n += respSize(x);
      return n;
    }
    case 'double':
    case 'bignum':
      return r.v.length + 3;
    case 'bool':
      return 4;
    case 'verbatim':
      return r.v.length + 4 + digits(r.v.length + 4) + 5;
  }
}

/** Decimal digits of a length (String(n).length without the string). */
function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** Wire size of a command sent as an array of bulk strings. */
export function argvSize(argv: Argv): number {
  let n = digits(argv.length) + 3;
  for (const a of argv) n += a.length + digits(a.length) + 5;
  return n;
}

/**
 * The bytes (as a latin1 string) of a reply, each type in its own RESP2/RESP3 form; used by the
 * gateway and by the replication stream size. Replies to a RESP2 client hold RESP2 types only
 * (toProtocol), so their bytes are RESP2's.
 */
export function encodeResp(r: Reply): string {
  switch (r.t) {
    case 'simple':
      return `+${r.v}\r\n`;
    case 'error':
      return `-${r.v}\r\n`;
    case 'int':
      return `:${r.v}\r\n`;
    case 'bulk':
      return r.v === null ? '$-1\r\n' : `$${r.v.length}\r\n${r.v}\r\n`;
    case 'array':
      if (r.v === null) return '*-1\r\n';
      return `*${r.v.length}\r\n` + r.v.map(encodeResp).join('');
    case 'nested':
      return `*${r.v.length}\r\n` + r.v.map(encodeResp).join('');
    case 'null':
      return '_\r\n';
    case 'map':
      return `%${r.v.length / 2}\r\n` + r.v.map(encodeResp).join('');
    case 'set':
      return `~${r.v.length}\r\n` + r.v.map(encodeResp).join('');
    case 'push':
      return `>${r.v.length}\r\n` + r.v.map(encodeResp).join('');
    case 'double':
      return `,${r.v}\r\n`;
    case 'bool':
      return r.v ? '#t\r\n' : '#f\r\n';
    case 'bignum':
      return `(${r.v}\r\n`;
    case 'verbatim':
      return `=${r.v.length + 4}\r\n${(r.f + '   ').slice(0, 3)}:${r.v}\r\n`;
  }
}

/** RESP2 bytes of a command (array of bulk strings), as written to the replication stream. */
export function encodeArgv(argv: Argv): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** Render a reply the way redis-cli does (used in logs and tests). */
export function formatReply(r: Reply, indent = ''): string {
  switch (r.t) {
    case 'simple':
      return r.v;
    case 'error':
      return `(error) ${r.v}`;
    case 'int':
      return `(integer) ${r.v}`;
    case 'bulk':
      return r.v === null ? '(nil)' : JSON.stringify(r.v);
    case 'array':
      if (r.v === null) return '(nil)';
      if (r.v.length === 0) return '(empty array)';
      return r.v
        .map((x, i) => `${i === 0 ? '' : indent}${i + 1}) ${formatReply(x, indent + '   ')}`)
        .join('\n');
    case 'null':
      return '(nil)';
    case 'double':
      return `(double) ${r.v}`;
    case 'bool':
      return r.v ? '(true)' : '(false)';
    case 'bignum':
      return `(big number) ${r.v}`;
    case 'verbatim':
      return JSON.stringify(r.v);
    case 'map': {
      if (r.v.length === 0) return '(empty hash)';
      const out: string[] = [];
      for (let i = 0; i + 1 < r.v.length; i += 2)
        out.push(`${i === 0 ? '' : indent}${i / 2 + 1}# ${formatReply(r.v[i]!, indent + '   ')} => ${formatReply(r.v[i + 1]!, indent + '   ')}`);
      return out.join('\n');
    }
    case 'set':
    case 'push':
    case 'nested':
      if (r.v.length === 0) return r.t === 'set' ? '(empty set)' : '(empty array)';
      return r.v
        .map((x, i) => `${i === 0 ? '' : indent}${i + 1}${r.t === 'set' ? '~' : ')'} ${formatReply(x, indent + '   ')}`)
        .join('\n');
  }
}

/** Plain JS view of a reply: strings, numbers, null, arrays; errors as `{ err: text }`. */
export function respToJs(r: Reply): unknown {
  switch (r.t) {
    case 'simple':
    case 'bulk':
      return r.v;
    case 'int':
      return typeof r.v === 'bigint' ? Number(r.v) : r.v;
    case 'error':
      return { err: r.v };
    case 'array':
      return r.v === null ? null : r.v.map(respToJs);
    case 'null':
      return null;
    case 'double':
    case 'bignum':
    case 'verbatim':
      return r.v;
    case 'bool':
      return r.v;
    case 'map':
    case 'set':
    case 'push':
    case 'nested':
      return r.v.map(respToJs);
    default:
      return r;
  }
}
