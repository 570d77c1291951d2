// Stream IDs (t_stream.c streamID, streamIncrID/streamDecrID, streamGenericParseIDOrReply).
// An ID is one 128-bit bigint: ms << 64 | seq, so that comparing IDs is comparing numbers and the
// order is the rax order of the big-endian 16-byte keys.

export type StreamId = bigint;

export const U64_MAX = (1n << 64n) - 1n;
/** UINT64_MAX-UINT64_MAX: "+", the ">" marker, the exhausted stream. */
export const ID_MAX: StreamId = (1n << 128n) - 1n;
export const ID_ZERO: StreamId = 0n;

export const makeId = (ms: bigint, seq: bigint): StreamId => (ms << 64n) | seq;
export const idMs = (id: StreamId): bigint => id >> 64n;
export const idSeq = (id: StreamId): bigint => id & U64_MAX;

/** createStreamIDString: "<ms>-<seq>". */
export const formatId = (id: StreamId): string => `${idMs(id)}-${idSeq(id)}`;

/** streamIncrID: null when the ID is already the largest one (Redis returns C_ERR). */
export const incrId = (id: StreamId): StreamId | null => (id === ID_MAX ? null : id + 1n);
/** streamDecrID: null on 0-0. */
export const decrId = (id: StreamId): StreamId | null => (id === 0n ? null : id - 1n);

/** string2ull: string2ll when it is a canonical int64 (negative refused), else strtoull's rules
 *  (leading spaces, a sign, leading zeros; "-n" wraps modulo 2^64; overflow refused). */
function parseU64(s: string): bigint | null {
  if (/^(0|-?[1-9][0-9]*)$/.test(s) && s.length <= 20) {
    const v = BigInt(s);
    if (v >= -(1n << 63n) && v < 1n << 63n) return v < 0n ? null : v;
  }
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (!m) return null;
  const v = BigInt(m[2]!);
  if (v > U64_MAX) return null;
  return m[1] === '-' ? (U64_MAX + 1n - v) & U64_MAX : v;
}

export interface ParsedId {
  id: StreamId;
  /** False for "<ms>-*" (XADD only). */
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply. `missingSeq` fills a bare "<ms>"; `strict` refuses "-" and "+";
 * `allowSeqStar` accepts "<ms>-*" (XADD). null = "Invalid stream ID specified as stream command argument".
 */
export function parseStreamId(s: string, missingSeq: bigint, strict: boolean, allowSeqStar = false): ParsedId | null {
  if (s.length > 127) return null;
  // the C code works on the NUL-terminated copy
  const buf = s.includes('\0') ? s.slice(0, s.indexOf('\0')) : s;
  if (strict && (buf === '-' || buf === '+')) return null;
  if (buf === '-') return { id: 0n, seqGiven: true };
  if (buf === '+') return { id: ID_MAX, seqGiven: true };
  const dot = buf.indexOf('-');
  const msPart = dot >= 0 ? buf.slice(0, dot) : buf;
  const ms = parseU64(msPart);
  if (ms === null) return null;
  if (dot < 0) return { id: makeId(ms, missingSeq), seqGiven: true };
  const seqPart = buf.slice(dot + 1);
  if (allowSeqStar && seqPart === '*') return { id: makeId(ms, 0n), seqGiven: false };
  const seq = parseU64(seqPart);
  if (seq === null) return null;
  return { id: makeId(ms, seq), seqGiven: true };
}

export const ERR_INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';
