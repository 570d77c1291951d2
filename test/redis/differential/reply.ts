// Replies in one exact, comparable form for both sides of the differential test: every RESP2 type is
// kept apart ("+OK" simple, "-ERR …" error, ":5" integer, "$v" bulk, "$nil" null bulk, "*nil" null
// array, arrays as JS arrays), so a bulk "OK" never equals a status "OK". RESP3 types too: "_" null,
// ",1.5" double, "#t" boolean, "(123" big number, "=txt:…" verbatim, and aggregates as arrays headed
// by a marker: ["%map", k, v, …], ["~set", …], [">push", …].
import { createConnection, type Socket } from 'node:net';
import { encodeResp, type Reply, type Resp } from '../../../engine/net/resp.ts';

export type Rep = string | Rep[];

/** The simulator's Resp in the comparable form. */
export function fromResp(r: Resp): Rep {
  if ((r as Reply).t !== 'simple' && !['error', 'int', 'bulk', 'array'].includes(r.t)) return fromWire(r);
  switch (r.t) {
    case 'simple':
      return `+${r.v}`;
    case 'error':
      return `-${r.v}`;
    case 'int':
      return `:${String(r.v)}`;
    case 'bulk':
      return r.v === null ? '$nil' : `$${r.v}`;
    case 'array':
      return r.v === null ? '*nil' : r.v.map(fromResp);
  }
}

export const MARKERS = new Set(['%map', '~set', '>push']);

/** A simulated reply of any protocol, through its bytes (encodeResp) and the same parser as the real side's. */
export function fromWire(r: Reply): Rep {
  return parseRep(Buffer.from(encodeResp(r), 'latin1'), 0)![0];
}

/** Whether a parsed reply is out-of-band: a RESP3 push, or (on a connection in RESP2 Pub/Sub mode) a message. */
export function isPushRep(r: Rep, subscribed: boolean): boolean {
  if (!Array.isArray(r)) return false;
  if (r[0] === '>push') return !(typeof r[1] === 'string' && /^\$p?(un)?subscribe$/.test(r[1]));
  return subscribed && (r[0] === '$message' || r[0] === '$pmessage');
}

/** The scalar text of a bulk / simple / integer reply (no type prefix), null for nil. */
export function text(r: Rep | undefined): string | null {
  if (typeof r !== 'string' || r === '$nil' || r === '*nil') return null;
  return r.slice(1);
}

export const isError = (r: Rep | undefined): boolean => typeof r === 'string' && r.startsWith('-');

/**
 * RESP2 / RESP3 client for the real server: raw bytes (latin1) in, exact replies out, strictly in
 * order; out-of-band pushes (invalidations, messages) are kept apart in `pushes`.
 */
export class RespClient {
  private buf: Buffer = Buffer.alloc(0);
  private readonly waiting: ((r: Rep) => void)[] = [];
  /** Pushes received and not taken yet. */
  pushes: Rep[] = [];
  /** In RESP2 Pub/Sub mode (set by the test when it subscribes): messages are pushes. */
  subscribed = false;

  private constructor(private readonly sock: Socket) {
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      for (;;) {
        const r = parseRep(this.buf, 0);
        if (!r) break;
        this.buf = this.buf.subarray(r[1]);
        if (isPushRep(r[0], this.subscribed)) this.pushes.push(r[0]);
        else this.waiting.shift()?.(r[0]);
      }
    });
  }

  static connect(port: number): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => resolve(new RespClient(s)));
      s.once('error', reject);
    });
  }

  cmd(argv: string[]): Promise<Rep> {
    let out = `*${argv.length}\r\n`;
    for (const a of argv) out += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.sock.write(Buffer.from(out, 'latin1'));
    });
  }

  close(): void {
    this.sock.destroy();
  }
}

const AGG: Record<string, string> = { '%': '%map', '~': '~set', '>': '>push' };

export function parseRep(b: Buffer, at: number): [Rep, number] | null {
  const nl = b.indexOf('\r\n', at, 'latin1');
  if (nl < 0) return null;
  const line = b.toString('latin1', at + 1, nl);
  const next = nl + 2;
  const c = String.fromCharCode(b[at]!);
  if (c === '+' || c === '-' || c === ':' || c === ',' || c === '#' || c === '(') return [c + line, next];
  if (c === '_') return ['_', next];
  const n = Number(line);
  if (c === '$' || c === '=') {
    if (n < 0) return ['$nil', next];
    if (b.length < next + n + 2) return null;
    return [`${c}${b.toString('latin1', next, next + n)}`, next + n + 2];
  }
  if (c === '*' || AGG[c]) {
    if (n < 0) return ['*nil', next];
    const out: Rep[] = AGG[c] ? [AGG[c]!] : [];
    let p = next;
    for (let i = 0; i < (c === '%' ? 2 * n : n); i++) {
      const r = parseRep(b, p);
      if (!r) return null;
      out.push(r[0]);
      p = r[1];
    }
    return [out, p];
  }
  throw new Error(`bad RESP byte ${c} at ${at}`);
}
