// One connection's state (Redis's `client` struct), its input queue and reply path (networking.c).
import { argvSize, respSize, type Reply } from '../../net/resp.ts';
import type { Conn } from '../../net/types.ts';
import type { BlockRequest, ClientState, CommandSpec } from '../commands/context.ts';
import type { ClientTracking } from '../tracking/tracking.ts';

export type ClientKind = ClientState['kind'];

/** A blocked client's pending command (blocked.c). */
export interface BlockState {
  req: BlockRequest;
  argv: string[];
  spec: CommandSpec;
  /** Bumped per block so a stale time-out timer can tell it is stale. */
  token: number;
  cancelTimer: (() => void) | null;
}

/** Error replies already counted where they arose (afterErrorReply's ERR_REPLY_FLAG_NO_STATS_UPDATE: a script's reply of a command's error). */
const uncountedErrors = new WeakSet<Reply>();

/** Mark an error reply as counted already: sending it does not count it again in INFO errorstats. */
export function markErrorCounted<R extends Reply>(r: R): R {
  uncountedErrors.add(r);
  return r;
}

export interface ClientOwner {
  /** Deliver a reply on the wire (the server may hold it while busy). */
  deliver(c: Client, r: Reply): void;
  /** An error reply was produced (INFO errorstats). */
  countError(text: string): void;
}

export class Client implements ClientState {
  name = '';
  dbIndex = 0;
  authenticated: boolean;
  user = 'default';
  multi: { queue: string[][]; error: boolean } | null = null;
  /** Resolved specs of the queued commands (mstate.commands[j].cmd). */
  multiSpecs: CommandSpec[] = [];
  watched = new Map<string, number>();
  /** Watched keys that were already logically expired when WATCHed (watchedKey.expired). */
  watchedExpired = new Set<string>();
  dirtyCas = false;
  channels = new Set<string>();
  patterns = new Set<string>();
  /** SSUBSCRIBE channels (c->pubsubshard_channels). */
  shardChannels = new Set<string>();
  kind: ClientKind = 'normal';
  lastCmdMs: number;
  lastCmd = 'NULL';
  /** c->woff: master offset right after this client's last propagated command (WAIT). */
  woff = 0;
  resp = 2;
  closeAfterReply = false;
  /** Commands received but not yet processed (query buffer). */
  pending: string[][] = [];
  blocked: BlockState | null = null;
  /** Replies of the command being executed (collected, then flushed in order). */
  sink: Reply[] | null = null;
  /** CLIENT REPLY OFF / SKIP: 'skip-next' until CLIENT REPLY SKIP is done, then 'skip' for the next command. */
  replyMode: 'on' | 'off' | 'skip' | 'skip-next' = 'on';
  closed = false;
  /** Last interaction in host ms (idle time, `timeout`). */
  lastInteraction: number;
  monitor = false;
  noEvict = false;
  /** For the master link (kind 'master'): let the next replies through (REPLCONF GETACK → ACK). */
  replyToMaster = false;
  /** The top-level command being processed (query buffer and argv-mem of CLIENT LIST). */
  currentArgv: string[] | null = null;
  /** CLIENT TRACKING state (null: off). */
  tracking: ClientTracking | null = null;
  /** Query buffer allocation and recent peak (server/querybuf.ts). */
  qbAlloc = 0;
  qbPeak = 0;
  /** For the scripting client: the client whose script runs (server.script_caller). */
  scriptCaller: Client | null = null;
  /** For the scripting client: the caller's command (EVAL/FCALL…), whose declared keys tracking remembers. */
  scriptCallerCmd: { spec: CommandSpec; argv: readonly string[] } | null = null;

  constructor(
    readonly id: number,
    readonly conn: Conn | null,
    readonly addr: string,
    readonly laddr: string,
    readonly createdMs: number,
    authenticated: boolean,
    private readonly owner: ClientOwner,
  ) {
    this.authenticated = authenticated;
    this.lastCmdMs = createdMs;
    this.lastInteraction = createdMs;
  }

  get inPubsub(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  get inMulti(): boolean {
    return this.multi !== null;
  }

  /** Queue a reply for the command being executed, or send it at once (pushes, unblocks). */
  addReply(r: Reply): void {
    if (r.t === 'error' && !uncountedErrors.has(r)) this.owner.countError(r.v);
    if (this.sink) this.sink.push(r);
    else this.write(r);
  }

  /** Straight to the connection (honours CLIENT REPLY). */
  write(r: Reply): void {
    if (this.closed) return;
    this.owner.deliver(this, r);
  }

  /** Wire size of a reply, for statistics. */
  static size(r: Reply): number {
    return respSize(r);
  }

  /** "N" / "P" / "x" / "b" / "d" / "c" ... (catClientInfoString). */
  flags(): string {
    let f = '';
    if (this.kind === 'replica') f += this.monitor ? 'O' : 'S';
    if (this.monitor && this.kind !== 'replica') f += 'O';
    if (this.kind === 'master') f += 'M';
    if (this.inPubsub) f += 'P';
    if (this.multi) f += 'x';
    if (this.blocked) f += 'b';
    if (this.tracking) f += 't';
    if (this.tracking?.brokenRedir) f += 'R';
    if (this.tracking?.bcast) f += 'B';
    if (this.dirtyCas) f += 'd';
    if (this.closeAfterReply) f += 'c';
    if (this.noEvict) f += 'e';
    return f === '' ? 'N' : f;
  }

  /** One CLIENT LIST line (7.0.15 field order). */
  infoString(nowMs: number, fd: number): string {
    const age = Math.floor((nowMs - this.createdMs) / 1000);
    const idle = Math.floor((nowMs - this.lastInteraction) / 1000);
    const cur = this.currentArgv;
    const qbuf = cur ? argvSize(cur) : 0;
    // a blocked (or postponed) client keeps its command's argv until it is unblocked
    const held = cur ?? this.blocked?.argv ?? null;
    const argvMem = held ? held.reduce((n, a) => n + a.length, 0) : 0;
    const multiMem = this.multi ? this.multi.queue.reduce((n, a) => n + a.reduce((m, s) => m + s.length, 0) + 8 * a.length, 0) : 0;
    const subMem = 30 * (this.channels.size + this.patterns.size);
    return (
      `id=${this.id} addr=${this.addr} laddr=${this.laddr} fd=${fd} name=${this.name} age=${age} idle=${idle} ` +
      `flags=${this.flags()} db=${this.dbIndex} sub=${this.channels.size} psub=${this.patterns.size} ssub=${this.shardChannels.size} ` +
      `multi=${this.multi ? this.multi.queue.length : -1} qbuf=${qbuf} qbuf-free=${Math.max(0, Math.max(this.qbAlloc, qbuf) - qbuf)} argv-mem=${argvMem} ` +
      `multi-mem=${multiMem} rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=${22298 + qbuf + argvMem + multiMem + subMem} events=r ` +
      `cmd=${this.lastCmd} user=${this.user} redir=${this.tracking ? this.tracking.redirect : -1} resp=${this.resp}`
    );
  }
}
