// Client pause of Redis 7.0.15 (networking.c pauseClients / unpauseClients /
// checkClientPauseTimeoutAndReturnIfPaused, server.c processCommand's BLOCKED_POSTPONE): one pause
// per purpose (CLIENT PAUSE, FAILOVER, SHUTDOWN), the most restrictive one wins; a paused command is
// postponed (the client blocks, its query buffer waits) and re-processed from scratch once the pause
// becomes less restrictive, in the order the clients were postponed.
import type { BlockRequest, CommandSpec } from '../commands/context.ts';
import { MAY_REPLICATE, WRITE } from './spec-flags.ts';
import type { Client } from './client.ts';
import type { RedisServer } from './server.ts';

/** pause_type: OFF < WRITE < ALL. */
export type PauseType = 'off' | 'write' | 'all';
/** pause_purpose. */
export type PausePurpose = 'client-command' | 'shutdown' | 'failover';

const RANK: Record<PauseType, number> = { off: 0, write: 1, all: 2 };
const PURPOSES: readonly PausePurpose[] = ['client-command', 'shutdown', 'failover'];

interface PauseEvent {
  type: PauseType;
  /** Host ms; Number.MAX_SAFE_INTEGER = until unpaused (LLONG_MAX). */
  end: number;
}

/** The block of a postponed client (BLOCKED_POSTPONE): no keys, no time-out, never retried in place. */
export const POSTPONED: BlockRequest = {
  keys: [],
  deadlineMs: 0,
  retry: () => undefined,
  timeoutReply: { t: 'error', v: 'ERR postponed' },
};

export const FOREVER = Number.MAX_SAFE_INTEGER;

export function isPostponed(c: Client): boolean {
  return c.blocked !== null && c.blocked.req === POSTPONED;
}

export class ClientPause {
  /** server.client_pause_type / client_pause_end_time: the aggregate of the purposes. */
  type: PauseType = 'off';
  endMs = 0;
  private readonly events = new Map<PausePurpose, PauseEvent>();
  /** server.postponed_clients, in the order they were postponed. */
  private postponed: Client[] = [];

  constructor(private readonly s: RedisServer) {}

  get paused(): boolean {
    return this.type !== 'off';
  }

  /** Postponed clients still waiting (INFO's blocked_clients counts them with the others). */
  get postponedCount(): number {
    let n = 0;
    for (const c of this.postponed) if (!c.closed && isPostponed(c)) n++;
    return n;
  }

  /** pauseClients: a later call for the same purpose keeps the longer end and the stricter type. */
  pause(purpose: PausePurpose, end: number, type: PauseType): void {
    const p = this.events.get(purpose);
    if (!p) this.events.set(purpose, { type, end });
    else {
      if (RANK[type] > RANK[p.type]) p.type = type;
      if (end > p.end) p.end = end;
    }
    this.update();
  }

  /** unpauseClients. */
  unpause(purpose: PausePurpose): void {
    if (!this.events.delete(purpose)) return;
    this.update();
  }

  /** checkClientPauseTimeoutAndReturnIfPaused. */
  checkTimeout(): boolean {
    if (this.type === 'off') return false;
    if (this.endMs < this.s.mstime()) this.update();
    return this.paused;
  }

  /** updateClientPauseTypeAndEndTime. */
  private update(): void {
    const old = this.type;
    const now = this.s.mstime();
    let type: PauseType = 'off';
    for (const purpose of PURPOSES) {
      const p = this.events.get(purpose);
      if (!p) continue;
      if (p.end < now) this.events.delete(purpose);
      else if (RANK[p.type] > RANK[type]) type = p.type;
    }
    let end = 0;
    for (const p of this.events.values()) if (p.type === type && p.end > end) end = p.end;
    this.type = type;
    this.endMs = end;
    if (RANK[type] < RANK[old]) this.unblockPostponed();
  }

  /** processCommand: replicas are never paused; WRITE pauses what may replicate (writes, PUBLISH, PFCOUNT, scripts). */
  blocks(c: Client, spec: CommandSpec, argv: readonly string[]): boolean {
    if (this.type === 'off' || c.kind === 'replica') return false;
    if (this.type === 'all') return true;
    if (mayReplicate(this.s, spec, argv)) return true;
    if (spec.name !== 'exec' || !c.multi) return false;
    // EXEC: the flags its queued commands had (mstate.cmd_flags)
    const q = c.multi.queue;
    for (let j = 0; j < c.multiSpecs.length; j++) if (mayReplicate(this.s, c.multiSpecs[j]!, q[j]!)) return true;
    return false;
  }

  /** blockClient(c, BLOCKED_POSTPONE): the command goes back to the head of the query buffer. */
  postpone(c: Client, argv: string[], spec: CommandSpec): void {
    // the master link re-applies its held stream itself (replica-sync.ts), not from the query buffer
    if (c.kind !== 'master') c.pending.unshift(argv);
    this.s.blocks.block(c, POSTPONED, argv, spec);
    this.postponed.push(c);
  }

  /** unblockPostponedClients: each is processed again (and may be postponed again) in beforeSleep. */
  private unblockPostponed(): void {
    const list = this.postponed;
    this.postponed = [];
    for (const c of list) this.release(c);
  }

  /** unblockClient of one postponed client (CLIENT UNBLOCK ... ERROR does this too). */
  release(c: Client): void {
    if (c.closed || !isPostponed(c)) return;
    this.s.blocks.unblock(c);
    const i = this.postponed.indexOf(c);
    if (i >= 0) this.postponed.splice(i, 1);
    this.s.unblocked.push(c);
  }
}

/** is_may_replicate_command with getCommandFlags: scripts that declare flags replicate unless no-writes. */
export function mayReplicate(s: RedisServer, spec: CommandSpec, argv: readonly string[]): boolean {
  return (s.scripting.commandFlagBits(spec, argv) & (WRITE | MAY_REPLICATE)) !== 0;
}
