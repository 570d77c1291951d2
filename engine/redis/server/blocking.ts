// Blocked clients (blocked.c): keys → clients in blocking order, ready keys served after each
// command, time-outs on the host clock.
import type { BlockRequest, CommandSpec } from '../commands/context.ts';
import type { Client } from './client.ts';

const bkey = (db: number, key: string) => `${db}\0${key}`;

export interface BlockHost {
  /** Host clock ms. */
  mstime(): number;
  setTimer(ms: number, fn: () => void): { cancel(): void };
  /** Re-run the blocked command; returns true when the client was served (and unblocked). */
  retry(c: Client): boolean;
  /** Reply with the time-out reply and unblock. */
  timeout(c: Client): void;
}

export class BlockManager {
  /** "db\0key" → blocked clients in the order they blocked. */
  private readonly byKey = new Map<string, Client[]>();
  /** Keys touched since the last pass that have blocked clients (server.ready_keys), in order. */
  private ready = new Set<string>();
  private readonly clients = new Set<Client>();
  private tokens = 0;

  constructor(private readonly host: BlockHost) {}

  get count(): number {
    return this.clients.size;
  }

  get withTimeout(): number {
    let n = 0;
    for (const c of this.clients) if (c.blocked && c.blocked.req.deadlineMs > 0) n++;
    return n;
  }

  block(c: Client, req: BlockRequest, argv: string[], spec: CommandSpec): void {
    const token = ++this.tokens;
    c.blocked = { req, argv, spec, token, cancelTimer: null };
    this.clients.add(c);
    for (const k of req.keys) {
      const bk = bkey(c.dbIndex, k);
      const l = this.byKey.get(bk);
      if (!l) this.byKey.set(bk, [c]);
      else if (!l.includes(c)) l.push(c);
    }
    if (req.deadlineMs > 0) this.arm(c, token);
  }

  private arm(c: Client, token: number): void {
    const b = c.blocked!;
    const delay = Math.max(0, b.req.deadlineMs - this.host.mstime());
    const t = this.host.setTimer(delay, () => {
      if (!c.blocked || c.blocked.token !== token) return;
      // the host clock may have been stepped back meanwhile: wait again
      if (this.host.mstime() < c.blocked.req.deadlineMs) this.arm(c, token);
      else this.host.timeout(c);
    });
    b.cancelTimer = () => t.cancel();
  }

  /** Remove a client from every wait list (served, timed out, killed). */
  unblock(c: Client): void {
    const b = c.blocked;
    if (!b) return;
    b.cancelTimer?.();
    for (const k of b.req.keys) {
      const bk = bkey(c.dbIndex, k);
      const l = this.byKey.get(bk);
      if (!l) continue;
      const i = l.indexOf(c);
      if (i >= 0) l.splice(i, 1);
      if (l.length === 0) this.byKey.delete(bk);
    }
    this.clients.delete(c);
    c.blocked = null;
  }

  /** signalKeyAsReady. */
  signal(db: number, key: string): void {
    if (this.byKey.size === 0) return; // nobody blocked: no key string built per write
    const bk = bkey(db, key);
    if (this.byKey.has(bk)) this.ready.add(bk);
  }

  /**
   * scanDatabaseForDeletedStreams (FLUSHDB/FLUSHALL: replacedWith null; SWAPDB), called on the data as
   * it is before: a key of `emptied` with blocked clients that holds a stream and will not hold one
   * afterwards is signalled, so that XREADGROUP clients get -UNBLOCKED.
   */
  deletedStreams(emptied: number, replacedWith: number | null, isStream: (db: number, key: string) => boolean): void {
    const prefix = `${emptied}\0`;
    for (const bk of this.byKey.keys()) {
      if (!bk.startsWith(prefix)) continue;
      const key = bk.slice(prefix.length);
      if (isStream(emptied, key) && !(replacedWith !== null && isStream(replacedWith, key))) this.ready.add(bk);
    }
  }

  get hasReady(): boolean {
    return this.ready.size > 0;
  }

  /** handleClientsBlockedOnKeys: serve clients of each ready key in blocking order, until quiet. */
  serveReady(): void {
    while (this.ready.size > 0) {
      const keys = [...this.ready];
      this.ready = new Set();
      for (const bk of keys) {
        const l = this.byKey.get(bk);
        if (!l) continue;
        for (const c of [...l]) {
          if (!c.blocked) continue;
          this.host.retry(c);
        }
      }
    }
  }

  /** Clock-jump safety net from the cron: time out every client whose deadline passed. */
  checkTimeouts(): void {
    const now = this.host.mstime();
    for (const c of [...this.clients]) {
      const b = c.blocked;
      if (b && b.req.deadlineMs > 0 && b.req.deadlineMs <= now) this.host.timeout(c);
    }
  }
}
