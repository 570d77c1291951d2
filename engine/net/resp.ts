// RESP value types carried by simulated connections (design.md, engine/net).
// Strings are "byte strings": one JS char per byte (latin1), so lengths are byte lengths.

export type Resp =
  | { t: 'simple'; v: string }
  | { t: 'error'; v: string }
  | { t: 'int'; v: number | bigint }
  | { t: 'bulk'; v: string | null }
  | { t: 'array'; v: Resp[] | null };

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
export const arr = (v: Resp[] | null): Resp => ({ t: 'array', v });
export const bulks = (vs: readonly (string | null)[]): Resp => ({ t: 'array', v: vs.map((s) => bulk(s)) });

/** Approximate wire size in bytes of a RESP value (used for bandwidth and backlog accounting). */
export function respSize(r: Resp): number {
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

/** RESP2 bytes (as a latin1 string) for a reply; used by the gateway and by the replication stream size. */
export function encodeResp(r: Resp): string {
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
  }
}

/** RESP2 bytes of a command (array of bulk strings), as written to the replication stream. */
export function encodeArgv(argv: Argv): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** Render a reply the way redis-cli does (used in logs and tests). */
export function formatReply(r: Resp, indent = ''): string {
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
  }
}

/** Plain JS view of a reply: strings, numbers, null, arrays; errors as `{ err: text }`. */
export function respToJs(r: Resp): unknown {
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
    default:
      return r;
  }
}
