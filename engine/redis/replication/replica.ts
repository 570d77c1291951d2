// Replica side (replication.md §4, §6, §7): the link to the master — connect, the handshake
// (PING, AUTH, REPLCONF, PSYNC), full or partial resync, streaming — the cached master, and
// REPLICAOF's effects. Log lines are 7.0.15's, at its levels.
import { encodeResp, argvSize, type Resp } from '../../net/resp.ts';
import type { CloseReason, Conn } from '../../net/types.ts';
import type { Client } from '../server/client.ts';
import { applyStream, transferData } from './replica-sync.ts';
import type { Replication } from './replication.ts';
import { isHandshake, isLinkPayload, type LinkPayload, type ReplState, type StreamEntry } from './types.ts';

/** server.master: the live link's client and offsets. */
export interface MasterLink {
  client: Client;
  replid: string;
  /** Bytes processed (reploff) and read (read_reploff). */
  reploff: number;
  readReploff: number;
  /** Seconds, last byte received. */
  lastInteraction: number;
  /** Master without PSYNC (SYNC fallback): no ACKs. */
  prePsync: boolean;
  /** Commands of an open MULTI: applied (and proxied) when its EXEC is processed. */
  pending: StreamEntry[];
  /** Read but not applied: the master client is postponed by a client pause (query buffer kept). */
  held: StreamEntry[];
}

/** server.cached_master: the history this server has, for PSYNC. */
export interface CachedMaster {
  replid: string;
  reploff: number;
  dbIndex: number;
}

const CLOSE = Symbol('close');
type Inbound = [Conn, unknown] | [Conn, typeof CLOSE, CloseReason];

/** connGetLastError after a failed connect or read (a killed peer reads as EOF: "Success"). */
function errText(why: CloseReason): string {
  if (why === 'refused') return 'Connection refused';
  if (why === 'timeout') return 'Connection timed out';
  return 'Success';
}

/** A reply as the handshake reads it: one line without CRLF ('' for a keep-alive newline). */
export function replyLine(p: unknown): string | null {
  if (isLinkPayload(p)) return p.t === 'newline' ? '' : null;
  if (typeof p !== 'object' || p === null || !('t' in p)) return null;
  const text = encodeResp(p as Resp);
  const nl = text.indexOf('\r\n');
  return nl < 0 ? text : text.slice(0, nl);
}

export class ReplicaSide {
  state: ReplState;
  /** repl_transfer_s: the socket to the master (connect, handshake, transfer, streaming). */
  conn: Conn | null = null;
  transferLastIo = 0;
  transferSize = -1;
  transferRead = 0;
  usemark = false;
  master: MasterLink | null = null;
  cached: CachedMaster | null = null;
  /** From +FULLRESYNC. */
  masterReplid = '';
  masterInitialOffset = -1;
  /** repl_down_since (seconds); 0 = never connected since becoming a replica. */
  downSince = 0;
  private freeingMaster = false;
  private inbox: Inbound[] = [];
  private drainScheduled = false;

  constructor(readonly r: Replication) {
    this.state = r.isReplica ? 'connect' : 'none';
  }

  get s() {
    return this.r.s;
  }
  log(level: '*' | '#', line: string): void {
    this.s.log(level, line);
  }
  get hostPort(): string {
    return `${this.s.repl.masterHost}:${this.s.repl.masterPort}`;
  }

  setState(st: ReplState): void {
    this.state = st;
    this.s.repl.masterLinkUp = st === 'connected';
  }

  // ---- the socket ------------------------------------------------------------------------------

  /** connectWithMaster. */
  connect(): void {
    const conn: Conn = this.s.ctx.connect(this.s.repl.masterHost, this.s.repl.masterPort, {
      onOpen: () => this.receive([conn, { t: '__open' }]),
      onData: (p) => this.receiveData(conn, p),
      onClose: (why) => this.receive([conn, CLOSE, why]),
    });
    this.conn = conn;
    this.transferLastIo = this.r.unixtime();
    this.setState('connecting');
    this.log('*', 'MASTER <-> REPLICA sync started');
  }

  /** Input is handled in order, and not while the server is busy (DEBUG SLEEP). */
  private receive(item: Inbound): void {
    if (item[0] !== this.conn) return;
    if (this.s.busy || this.inbox.length > 0) {
      this.inbox.push(item);
      if (!this.drainScheduled) {
        this.drainScheduled = true;
        this.s.setTimer(0, () => this.drain());
      }
      return;
    }
    this.r.event(() => this.handle(item));
  }

  /** receive([conn, p]) without building the item when it can be handled at once (the streaming path). */
  private receiveData(conn: Conn, p: unknown): void {
    if (conn !== this.conn) return;
    // before the open event ran (a reply written at accept: protected mode's DENIED), keep the order
    if (this.s.busy || this.inbox.length > 0 || this.state === 'connecting') {
      this.receive([conn, p]);
      return;
    }
    // this.r.event(() => this.handle([conn, p]))
    this.handleData(p);
    this.r.beforeSleep();
    this.s.beforeSleep();
  }

  private drain(): void {
    this.drainScheduled = false;
    const q = this.inbox;
    this.inbox = [];
    for (const item of q) this.handle(item);
    this.r.beforeSleep();
  }

  private handle(item: Inbound): void {
    const [conn, p] = item;
    if (conn !== this.conn) return;
    if (p === CLOSE) this.onClosed(item[2]!);
    else this.handleData(p);
  }

  private handleData(p: unknown): void {
    if ((p as { t?: unknown }).t === '__open') this.onOpen();
    else this.onData(p);
  }

  closeConn(): void {
    const c = this.conn;
    this.conn = null;
    this.inbox = [];
    if (c && c.open) c.close();
  }

  send(argv: string[]): void {
    if (this.conn && this.conn.open) this.conn.send(argv, argvSize(argv), 'repl');
  }

  /** The `error:` path of syncWithMaster: drop the socket, retry from the cron. */
  fail(): void {
    this.closeConn();
    this.setState('connect');
  }

  // ---- handshake (syncWithMaster) -------------------------------------------------------------------

  private onOpen(): void {
    if (this.state !== 'connecting') return;
    this.log('*', 'Non blocking connect for SYNC fired the event.');
    this.setState('receive_ping_reply');
    this.send(['PING']);
  }

  private onClosed(why: CloseReason): void {
    const st = this.state;
    if (st === 'connecting') {
      this.log('#', `Error condition on socket for SYNC: ${errText(why)}`);
      this.fail();
    } else if (isHandshake(st)) {
      this.log('#', `Failed to read response from the server: ${errText(why)}`);
      if (st === 'receive_psync_reply') {
        this.log('#', 'Master did not reply to PSYNC, will try later');
        // PSYNC_TRY_LATER: a failover in progress is aborted (syncWithMaster)
        if (!this.r.failover.onPsyncResult(false)) return;
      } else this.log('#', 'Master did not respond to command during SYNC handshake');
      this.fail();
    } else if (st === 'transfer') {
      if (this.transferSize === -1) this.log('#', `I/O error reading bulk count from MASTER: ${errText(why)}`);
      else this.log('#', 'I/O error trying to sync with MASTER: connection lost');
      this.cancelHandshake(true);
    } else if (st === 'connected') {
      this.conn = null;
      this.freeMaster();
    }
  }

  private onData(p: unknown): void {
    const st = this.state;
    if (st === 'connected') {
      applyStream(this, p);
      return;
    }
    if (st === 'transfer') {
      transferData(this, p);
      return;
    }
    if (!isHandshake(st)) return;
    // receiveSynchronousResponse reads the line into a 256-byte buffer: at most 255 bytes of it
    const line = replyLine(p)?.slice(0, 255) ?? null;
    if (line === null) return;
    this.transferLastIo = this.r.unixtime();
    if (st === 'receive_psync_reply') {
      this.onPsyncReply(line);
      return;
    }
    const conf = this.s.conf;
    if (st === 'receive_ping_reply') {
      const ok = line[0] === '+' || line.startsWith('-NOAUTH') || line.startsWith('-NOPERM') || line.startsWith('-ERR operation not permitted');
      if (!ok) {
        this.log('#', `Error reply to PING from master: '${line}'`);
        this.fail();
        return;
      }
      this.log('*', 'Master replied to PING, replication can continue...');
      this.sendHandshake();
    } else if (st === 'receive_auth_reply') {
      if (line[0] === '-') {
        this.log('#', `Unable to AUTH to MASTER: ${line}`);
        this.fail();
        return;
      }
      this.setState('receive_port_reply');
    } else if (st === 'receive_port_reply') {
      if (line[0] === '-') this.log('*', `(Non critical) Master does not understand REPLCONF listening-port: ${line}`);
      this.setState(conf.get('replica-announce-ip') !== '' ? 'receive_ip_reply' : 'receive_capa_reply');
    } else if (st === 'receive_ip_reply') {
      if (line[0] === '-') this.log('*', `(Non critical) Master does not understand REPLCONF ip-address: ${line}`);
      this.setState('receive_capa_reply');
    } else if (st === 'receive_capa_reply') {
      if (line[0] === '-') this.log('*', `(Non critical) Master does not understand REPLCONF capa: ${line}`);
      this.sendPsync();
    }
  }

  /** AUTH, REPLCONF listening-port, [ip-address], capa: written together, replies read in order. */
  private sendHandshake(): void {
    const conf = this.s.conf;
    const auth = conf.get('masterauth');
    const user = conf.get('masteruser');
    if (auth !== '') this.send(user !== '' ? ['AUTH', user, auth] : ['AUTH', auth]);
    const port = conf.int('replica-announce-port') || conf.int('port');
    this.send(['REPLCONF', 'listening-port', String(port)]);
    const ip = conf.get('replica-announce-ip');
    if (ip !== '') this.send(['REPLCONF', 'ip-address', ip]);
    this.send(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
    this.setState(auth !== '' ? 'receive_auth_reply' : 'receive_port_reply');
  }

  /** slaveTryPartialResynchronization, writing half. */
  private sendPsync(): void {
    this.masterInitialOffset = -1;
    let id = '?';
    let off = '-1';
    if (this.cached) {
      id = this.cached.replid;
      off = String(this.cached.reploff + 1);
      this.log('*', `Trying a partial resynchronization (request ${id}:${off}).`);
    } else {
      this.log('*', 'Partial resynchronization not possible (no cached master)');
    }
    // a master failing over asks its target to take over (FAILOVER command)
    this.send(this.r.failover.state === 'failover-in-progress' ? ['PSYNC', id, off, 'FAILOVER'] : ['PSYNC', id, off]);
    this.setState('receive_psync_reply');
  }

  /** slaveTryPartialResynchronization, reading half. */
  private onPsyncReply(line: string): void {
    if (line === '') return; // keep-alive newline before the reply
    if (line.startsWith('+FULLRESYNC')) {
      const parts = line.split(' ');
      if (parts.length < 3 || parts[1]!.length !== 40) {
        this.log('#', 'Master replied with wrong +FULLRESYNC syntax.');
        this.masterReplid = '';
      } else {
        this.masterReplid = parts[1]!;
        this.masterInitialOffset = Number(parts[2]);
        this.log('*', `Full resync from master: ${this.masterReplid}:${this.masterInitialOffset}`);
      }
      this.r.failover.onPsyncResult(true);
      this.beginTransfer();
      return;
    }
    if (line.startsWith('+CONTINUE')) {
      this.continueSync(line.slice(10).trim());
      this.r.failover.onPsyncResult(true);
      return;
    }
    if (line.startsWith('-NOMASTERLINK') || line.startsWith('-LOADING')) {
      this.log('*', `Master is currently unable to PSYNC but should be in the future: ${line}`);
      if (this.r.failover.onPsyncResult(false)) this.fail();
      return;
    }
    if (!line.startsWith('-ERR')) this.log('#', `Unexpected reply to PSYNC from master: ${line}`);
    else this.log('*', `Master does not support PSYNC or is in error state (reply: ${line})`);
    if (!this.r.failover.onPsyncResult(false)) return;
    this.log('*', 'Retrying with SYNC...');
    this.send(['SYNC']);
    this.beginTransfer();
  }

  /** PSYNC_CONTINUE: the cached master becomes the live one (§4.2 step 7). */
  private continueSync(newId: string): void {
    this.log('*', 'Successful partial resynchronization with master.');
    const cm = this.cached;
    if (!cm) {
      this.fail();
      return;
    }
    if (newId.length === 40 && newId !== cm.replid) {
      this.log('#', `Master replication ID changed to ${newId}`);
      const st = this.s.repl;
      st.replid2 = cm.replid;
      st.secondReplOffset = st.masterReplOffset + 1;
      st.replid = newId;
      cm.replid = newId;
      this.r.disconnectReplicas();
    }
    this.cached = null;
    this.createMasterClient(cm.replid, cm.reploff, cm.dbIndex);
    if (!this.r.backlog) this.r.createBacklog();
    this.log('*', 'MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
  }

  beginTransfer(): void {
    this.setState('transfer');
    this.transferSize = -1;
    this.transferRead = 0;
    this.transferLastIo = this.r.unixtime();
  }

  /** cancelReplicationHandshake. */
  cancelHandshake(reconnect: boolean): boolean {
    const st = this.state;
    if (st !== 'transfer' && st !== 'connecting' && !isHandshake(st)) return false;
    this.closeConn();
    this.setState('connect');
    if (!reconnect) return true;
    this.log('*', `Reconnecting to MASTER ${this.hostPort} after failure`);
    this.connect();
    return true;
  }

  // ---- the master client and the cached master (§4.3) ------------------------------------------------

  /** replicationCreateMasterClient, state CONNECTED. */
  createMasterClient(replid: string, reploff: number, dbIndex: number): void {
    const s = this.s;
    const c = s.createClient(null, this.hostPort, this.conn?.local ?? '');
    c.kind = 'master';
    c.authenticated = true;
    if (dbIndex >= 0 && dbIndex < s.ks.dbs.length) c.dbIndex = dbIndex;
    this.master = { client: c, replid, reploff, readReploff: reploff, lastInteraction: this.r.unixtime(), prePsync: reploff === -1, pending: [], held: [] };
    this.setState('connected');
    this.downSince = 0;
  }

  /** freeClient(server.master): "Connection with master lost.", cache it, reconnect if still a replica. */
  freeMaster(): void {
    const m = this.master;
    if (!m) return;
    this.log('#', 'Connection with master lost.');
    this.log('*', 'Caching the disconnected master state.');
    // pending MULTI and unprocessed input are discarded; the processed offset is what counts
    this.cached = { replid: m.replid, reploff: m.reploff, dbIndex: m.client.dbIndex };
    this.master = null;
    this.freeingMaster = true;
    try {
      if (m.client.multi) {
        m.client.multi = null;
        m.client.multiSpecs = [];
      }
      this.s.freeClient(m.client);
    } finally {
      this.freeingMaster = false;
    }
    this.closeConn();
    // replicationHandleMasterDisconnection
    this.setState('connect');
    this.downSince = this.r.unixtime();
    if (this.r.isReplica && !this.s.shuttingDown) {
      this.log('*', `Reconnecting to MASTER ${this.hostPort}`);
      this.connect();
    }
  }

  /** CLIENT KILL of the master client, or any other free of it. */
  onClientFreed(c: Client): void {
    if (this.freeingMaster || !this.master || this.master.client !== c || this.s.shuttingDown) return;
    this.freeMaster();
  }

  /** replicationCacheMasterUsingMyself. */
  cacheMasterUsingMyself(dbIndex = 0): void {
    this.log(
      '*',
      'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    );
    this.cached = { replid: this.s.repl.replid, reploff: this.s.repl.masterReplOffset, dbIndex };
  }

  /** replicationDiscardCachedMaster. */
  discardCached(): void {
    if (!this.cached) return;
    this.log('*', 'Discarding previously cached master state.');
    this.cached = null;
  }

  /** replicationSendAck. */
  sendAck(): void {
    const m = this.master;
    if (!m) return;
    this.send(['REPLCONF', 'ACK', String(m.reploff)]);
  }

  // ---- replicationCron, replica half ------------------------------------------------------------------------

  cron(): void {
    if (!this.r.isReplica) return;
    const now = this.r.unixtime();
    const timeout = this.s.conf.int('repl-timeout'); // 1.. (the config's range)
    const st = this.state;
    if ((st === 'connecting' || isHandshake(st)) && now - this.transferLastIo > timeout) {
      this.log('#', 'Timeout connecting to the MASTER...');
      this.cancelHandshake(true);
    }
    if (this.state === 'transfer' && now - this.transferLastIo > timeout) {
      this.log(
        '#',
        "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
      );
      this.cancelHandshake(true);
    }
    if (this.state === 'connected' && this.master && now - this.master.lastInteraction > timeout) {
      this.log('#', 'MASTER timeout: no data nor PING received...');
      this.freeMaster();
    }
    if (this.state === 'connect') {
      this.log('*', `Connecting to MASTER ${this.hostPort}`);
      this.connect();
    }
    if (this.master && !this.master.prePsync) this.sendAck();
  }}
