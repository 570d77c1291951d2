// Messages on a replication link and small shared types (replication.md §3–§6).
import type { Conn } from '../../net/types.ts';
import { argvSize } from '../../net/resp.ts';
import type { RdbFile } from '../persistence/rdb.ts';

/** One command of the replication stream and its RESP size: offsets count these bytes (§3.2). */
export interface StreamEntry {
  argv: string[];
  bytes: number;
}

export function entry(argv: string[]): StreamEntry {
  return { argv, bytes: argvSize(argv) };
}

/**
 * What a master writes on a replica link besides ordinary RESP replies (PONG, OK, +FULLRESYNC ...).
 * The network carries these as values; `size` on the wire is their byte count in real Redis.
 */
export type LinkPayload =
  /** "\n": keep-alive while the replica waits for its snapshot; not part of the offsets. */
  | { t: 'newline' }
  /** A chunk of the replication stream (commands, in order): the master's entries, shared (never mutated). */
  | { t: 'stream'; entries: StreamEntry[] }
  /** "$EOF:<40 byte mark>\r\n": a diskless transfer begins. */
  | { t: 'rdb-eof' }
  /** "$<len>\r\n": a disk-based transfer of `size` bytes begins. */
  | { t: 'rdb-bulk'; size: number }
  /** A piece of the snapshot on the wire (Redis reads it 16 KB at a time). */
  | { t: 'rdb-part'; bytes: number }
  /** The last piece, with the snapshot itself (its estimated RDB bytes); `bytes` is this piece's share. */
  | { t: 'rdb'; file: RdbFile; bytes: number };

export const EOF_PREAMBLE_BYTES = 47;

/** Size of the pieces a snapshot travels in (PROTO_IOBUF_LEN): progress and I/O times stay meaningful. */
export const RDB_CHUNK = 16 * 1024;

export function isLinkPayload(p: unknown): p is LinkPayload {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return false;
  const t = (p as { t?: unknown }).t;
  return t === 'newline' || t === 'stream' || t === 'rdb-eof' || t === 'rdb-bulk' || t === 'rdb-part' || t === 'rdb';
}

/** Replica-side link states (server.repl_state). */
export type ReplState =
  | 'none'
  | 'connect'
  | 'connecting'
  | 'receive_ping_reply'
  | 'send_handshake'
  | 'receive_auth_reply'
  | 'receive_port_reply'
  | 'receive_ip_reply'
  | 'receive_capa_reply'
  | 'send_psync'
  | 'receive_psync_reply'
  | 'transfer'
  | 'connected';

const HANDSHAKE: ReadonlySet<ReplState> = new Set([
  'receive_ping_reply',
  'send_handshake',
  'receive_auth_reply',
  'receive_port_reply',
  'receive_ip_reply',
  'receive_capa_reply',
  'send_psync',
  'receive_psync_reply',
]);

/** slaveIsInHandshakeState(). */
export function isHandshake(s: ReplState): boolean {
  return HANDSHAKE.has(s);
}

/** Master-side replica states (client->replstate) as INFO shows them. */
export type ReplicaState = 'wait_bgsave_start' | 'wait_bgsave_end' | 'send_bulk' | 'online';

export const ZERO_REPLID = '0'.repeat(40);

/** strcasecmp(a, b) == 0 */
export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Send on a replication link if it is still open (the network keeps each connection in order). */
export function sendOnLink(conn: Conn | null, payload: unknown, size: number, kind = 'repl'): void {
  if (conn && conn.open) conn.send(payload, size, kind);
}
