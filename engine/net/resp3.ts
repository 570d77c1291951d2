// A typed reply in the shape of one client's protocol (the `c->resp == 2` branches of networking.c's
// addReply* helpers, applied once at delivery instead of in every command).
//   RESP2: map → flat array, set / push / nested → array (a nested array inside an array is spliced
//          into it: ZRANGE … WITHSCORES pairs), double / bignum / verbatim → bulk, bool → :1 / :0.
//   RESP3: null bulk and null array → `_`, nested → array; everything else as typed.
// A reply that holds RESP2 types only is returned as the same object under RESP2 (the messages of a
// RESP2 connection are exactly what they were before RESP3 existed).
import { NIL, NULL3, type Reply, type Resp } from './resp.ts';

export type Proto = 2 | 3;

export function toProtocol(r: Reply, proto: 2): Resp;
export function toProtocol(r: Reply, proto: number): Reply;
export function toProtocol(r: Reply, proto: number): Reply {
  return proto >= 3 ? to3(r) : to2(r);
}

/** The RESP2 shape of a reply. */
export function toResp2(r: Reply): Resp {
  return to2(r);
}

function to2(r: Reply): Resp {
  switch (r.t) {
    case 'simple':
    case 'error':
    case 'int':
    case 'bulk':
      return r;
    case 'array':
      if (r.v === null) return { t: 'array', v: null };
      return list2(r.v, r as Resp);
    case 'null':
      return NIL;
    case 'map':
    case 'set':
    case 'push':
    case 'nested':
      return list2(r.v, null);
    case 'double':
    case 'bignum':
    case 'verbatim':
      return { t: 'bulk', v: r.v };
    case 'bool':
      return { t: 'int', v: r.v ? 1 : 0 };
  }
}

/** The RESP2 array of `items` (nested children spliced in); `same` when nothing had to change. */
function list2(items: Reply[], same: Resp | null): Resp {
  // `same` is only returned when every item came back as itself, i.e. was RESP2 already
  let out: Resp[] | null = null;
  for (let i = 0; i < items.length; i++) {
    const x = items[i]!;
    if (x.t === 'nested') {
      out ??= (items.slice(0, i) as Resp[]);
      for (const y of x.v) out.push(to2(y));
      continue;
    }
    const y = to2(x);
    if (out) out.push(y);
    else if (y !== x) {
      out = items.slice(0, i) as Resp[];
      out.push(y);
    }
  }
  if (out === null && same !== null) return same;
  return { t: 'array', v: out ?? (items.slice() as Resp[]) };
}

function to3(r: Reply): Reply {
  switch (r.t) {
    case 'bulk':
      return r.v === null ? NULL3 : r;
    case 'array':
      return r.v === null ? NULL3 : { t: 'array', v: r.v.map(to3) };
    case 'nested':
      return { t: 'array', v: r.v.map(to3) };
    case 'map':
    case 'set':
    case 'push':
      return { t: r.t, v: r.v.map(to3) };
    default:
      return r;
  }
}

/** Whether a reply delivered to a client is an out-of-band push rather than the reply to a command. */
export function isPush(r: Reply): boolean {
  return r.t === 'push';
}
