// Server-assisted client side caching (tracking.c of Redis 7.0.15): the tracking table (key → ids of
// the clients that read it), the prefix table of BCAST mode, and the invalidation messages: RESP3
// pushes `>2 invalidate [keys]`, or, redirected to a RESP2 connection in Pub/Sub mode, messages of
// the `__redis__:invalidate` channel. Invalidations come from every modification of a key
// (signalModifiedKey: writes, expiry, eviction, writes from the master's stream on a replica) and
// from flushes (a null invalidation, the whole table dropped).
import { arr, bulk, int, NIL, pushMsg, type Reply } from '../../net/resp.ts';
import type { CommandSpec } from '../commands/context.ts';
import type { Client } from '../server/client.ts';
import type { RedisServer } from '../server/server.ts';
import { Rng } from '../../sim/rng.ts';

/** A client's tracking state (CLIENT_TRACKING_* flags, redirection, BCAST prefixes). */
export interface ClientTracking {
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING yes/no given for the next command. */
  caching: boolean;
  brokenRedir: boolean;
  /** Client id invalidations go to (0: this connection). */
  redirect: number;
  /** BCAST prefixes (rax order: byte order). */
  prefixes: string[];
}

export const TRACKING_CHANNEL = '__redis__:invalidate';

interface BcastState {
  /** Keys modified since the last broadcast → the client that modified it (null: expiry, eviction…). */
  keys: Map<string, Client | null>;
  clients: Client[];
}

/** Byte order of two latin1 byte strings (rax iteration order). */
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The 8 bytes of a client id as Redis stores it in a rax (memcpy of a little-endian uint64). */
function idBytes(id: number): string {
  let s = '';
  let v = id;
  for (let i = 0; i < 8; i++) {
    s += String.fromCharCode(v % 256);
    v = Math.floor(v / 256);
  }
  return s;
}

export class Tracking {
  /** key → ids of the clients that may have it cached. */
  private readonly table = new Map<string, Set<number>>();
  private totalItems = 0;
  private readonly prefixTable = new Map<string, BcastState>();
  /** Invalidations for the client of the running command, sent after its reply (server.tracking_pending_keys; null = flush). */
  private readonly pending: (string | null)[] = [];
  clients = 0;
  private timeoutCounter = 0;
  private rng: Rng | null = null;

  constructor(private readonly s: RedisServer) {}

  get totalKeys(): number {
    return this.table.size;
  }
  get items(): number {
    return this.totalItems;
  }
  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  // ---- CLIENT TRACKING on / off ------------------------------------------------------------------

  enable(c: Client, redirect: number, opts: { bcast: boolean; optin: boolean; optout: boolean; noloop: boolean }, prefixes: string[]): void {
    if (!c.tracking) this.clients++;
    const prev = c.tracking;
    const t: ClientTracking = {
      bcast: opts.bcast,
      optin: opts.optin,
      optout: opts.optout,
      noloop: opts.noloop,
      caching: prev?.caching ?? false,
      brokenRedir: false,
      redirect,
      prefixes: prev?.prefixes ?? [],
    };
    c.tracking = t;
    if (opts.bcast) {
      if (prefixes.length === 0) this.addPrefix(c, '');
      for (const p of prefixes) this.addPrefix(c, p);
    }
  }

  private addPrefix(c: Client, prefix: string): void {
    let bs = this.prefixTable.get(prefix);
    if (!bs) {
      bs = { keys: new Map(), clients: [] };
      this.prefixTable.set(prefix, bs);
    }
    if (bs.clients.includes(c)) return;
    bs.clients.push(c);
    const t = c.tracking!;
    if (!t.prefixes.includes(prefix)) {
      t.prefixes.push(prefix);
      t.prefixes.sort(byteOrder);
    }
  }

  disable(c: Client): void {
    const t = c.tracking;
    if (!t) return;
    if (t.bcast) {
      for (const p of t.prefixes) {
        const bs = this.prefixTable.get(p);
        if (!bs) continue;
        bs.clients = bs.clients.filter((x) => x !== c);
        if (bs.clients.length === 0) this.prefixTable.delete(p);
      }
    }
    c.tracking = null;
    this.clients--;
  }

  /** checkPrefixCollisionsOrReply: the error text, or null. */
  prefixCollision(c: Client, prefixes: readonly string[]): string | null {
    const overlap = (a: string, b: string) => a.slice(0, Math.min(a.length, b.length)) === b.slice(0, Math.min(a.length, b.length));
    for (let i = 0; i < prefixes.length; i++) {
      for (const have of c.tracking?.prefixes ?? [])
        if (overlap(have, prefixes[i]!))
          return `ERR Prefix '${cstr(prefixes[i]!)}' overlaps with an existing prefix '${cstr(have)}'. Prefixes for a single client must not overlap.`;
      for (let j = i + 1; j < prefixes.length; j++)
        if (overlap(prefixes[i]!, prefixes[j]!))
          return `ERR Prefix '${cstr(prefixes[i]!)}' overlaps with another provided prefix '${cstr(prefixes[j]!)}'. Prefixes for a single client must not overlap.`;
    }
    return null;
  }

  // ---- reads: remember keys -------------------------------------------------------------------------

  /**
   * End of call(): a read-only command of a tracking client (not BCAST) remembers its keys. A read
   * inside a script remembers the keys the script declared (call() → trackingRememberKeys(caller)).
   */
  afterCall(c: Client, spec: CommandSpec, argv: readonly string[]): void {
    if (this.clients === 0 || !spec.flags.includes('readonly')) return;
    if (spec.name === 'eval_ro' || spec.name === 'evalsha_ro' || spec.name === 'fcall_ro') return;
    const caller = c.scriptCaller ?? c;
    const t = caller.tracking;
    if (!t || t.bcast) return;
    if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
    const cmd = c.scriptCaller ? c.scriptCallerCmd : { spec, argv };
    if (!cmd || cmd.spec.flags.includes('pubsub')) return;
    for (const key of commandKeys(cmd.spec, cmd.argv)) {
      let ids = this.table.get(key);
      if (!ids) {
        ids = new Set();
        this.table.set(key, ids);
      }
      if (!ids.has(caller.id)) {
        ids.add(caller.id);
        this.totalItems++;
      }
    }
  }

  // ---- writes: invalidate ---------------------------------------------------------------------------

  /** trackingInvalidateKey: `by` modified it (null: expiry, eviction, the tracking table limit). */
  invalidateKey(by: Client | null, key: string, bcast = true): void {
    if (this.clients === 0 && this.table.size === 0) return;
    // BCAST remembers the modifying client itself (a script's writes: the script client, so NOLOOP
    // does not hide them from the caller); the per-key NOLOOP below compares server.current_client
    if (bcast && this.prefixTable.size > 0) {
      for (const [prefix, bs] of this.prefixTable) if (key.startsWith(prefix)) bs.keys.set(key, by);
    }
    const ids = this.table.get(key);
    if (!ids) return;
    const cur = this.current();
    for (const id of [...ids].sort((a, b) => byteOrder(idBytes(a), idBytes(b)))) {
      const target = this.s.clients.get(id);
      const t = target?.tracking;
      if (!target || !t || t.bcast) continue;
      if (t.noloop && target === cur) continue;
      // the client of the running command gets it after its reply
      if (target === cur && this.s.callDepth > 0) this.pending.push(key);
      else this.send(target, arr([bulk(key)]));
    }
    this.totalItems -= ids.size;
    this.table.delete(key);
  }

  /** server.current_client: the client whose command runs (a script's caller, not the script client). */
  private current(): Client | null {
    const c = this.s.currentClient;
    return c?.scriptCaller ?? c;
  }

  /** trackingInvalidateKeysOnFlush: a null invalidation to every tracking client; the table is dropped. */
  onFlush(): void {
    if (this.clients > 0) {
      const cur = this.current();
      for (const c of this.s.clients.values()) {
        if (!c.tracking) continue;
        if (c === cur) this.pending.push(null);
        else this.send(c, NIL);
      }
    }
    this.table.clear();
    this.totalItems = 0;
  }

  /** trackingHandlePendingKeyInvalidations: after the top-level call's reply. */
  flushPending(c: Client): void {
    if (this.pending.length === 0) return;
    const keys = this.pending.splice(0);
    if (c.closed) return;
    for (const k of keys) this.send(c, k === null ? NIL : arr([bulk(k)]));
  }

  /** trackingBroadcastInvalidationMessages (beforeSleep). */
  broadcast(): void {
    if (this.clients === 0) return;
    for (const prefix of [...this.prefixTable.keys()].sort(byteOrder)) {
      const bs = this.prefixTable.get(prefix)!;
      if (bs.keys.size > 0) {
        const keys = [...bs.keys].sort((a, b) => byteOrder(a[0], b[0]));
        for (const c of bs.clients) {
          const mine = c.tracking?.noloop ? keys.filter(([, by]) => by !== c) : keys;
          if (mine.length === 0) continue;
          this.send(c, arr(mine.map(([k]) => bulk(k))));
        }
      }
      bs.keys = new Map();
    }
  }

  /** sendTrackingMessage: to the client, or to its redirection. */
  private send(c: Client, keys: Reply): void {
    const t = c.tracking;
    let to = c;
    let redirected = false;
    if (t && t.redirect) {
      const r = this.s.clients.get(t.redirect);
      if (!r || r.closed) {
        t.brokenRedir = true;
        if (c.resp > 2) c.write(pushMsg([bulk('tracking-redir-broken'), int(t.redirect)]));
        return;
      }
      to = r;
      redirected = true;
    }
    if (to.resp > 2) to.write(pushMsg([bulk('invalidate'), keys]));
    else if (redirected && to.inPubsub) to.write(pushMsg([bulk('message'), bulk(TRACKING_CHANNEL), keys]));
  }

  /** trackingLimitUsedSlots: over tracking-table-max-keys, invalidate keys picked at random. */
  limitUsedSlots(): void {
    const max = this.s.conf.int('tracking-table-max-keys');
    if (max <= 0 || this.table.size === 0) return;
    if (this.table.size <= max) {
      this.timeoutCounter = 0;
      return;
    }
    this.rng ??= this.s.ctx.rng.fork('tracking');
    let effort = 100 * (this.timeoutCounter + 1);
    while (effort-- > 0 && this.table.size > 0) {
      const keys = [...this.table.keys()];
      this.invalidateKey(null, keys[this.rng.int(0, keys.length - 1)]!, false);
      if (this.table.size <= max) {
        this.timeoutCounter = 0;
        return;
      }
    }
    this.timeoutCounter++;
  }
}

/** getKeysFromCommand for the key positions of a command (its getKeys, else its key range). */
export function commandKeys(spec: CommandSpec, argv: readonly string[]): string[] {
  if (spec.getKeys) return spec.getKeys(argv).map((i) => argv[i]!);
  if (spec.firstKey <= 0) return [];
  const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
  const out: string[] = [];
  for (let i = spec.firstKey; i <= last && i < argv.length; i += Math.max(1, spec.keyStep)) out.push(argv[i]!);
  return out;
}

/** A string as C's %s prints it (up to the first NUL byte). */
function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}
