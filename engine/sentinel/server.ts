// The Sentinel as a server: client connections, command dispatch with Redis's generic errors
// (unknown command / subcommand, arity, NOAUTH, pub/sub context) and the Sentinel's own pub/sub.
import { bulk, err, int, pushMsg, respSize, type Reply } from '../net/resp.ts';
import { toProtocol, type Proto } from '../net/resp3.ts';
import type { Conn } from '../net/types.ts';
import { stringMatch } from '../redis/keyspace/glob.ts';
import { SENTINEL_COMMANDS, type CommandDef } from './commands.ts';
import { SentinelExit } from './exit.ts';
import { sentinelAclRefusal } from './acl.ts';
import { protectedModeRefusal } from '../redis/server/protected-mode.ts';
import type { SentinelState } from './state.ts';

export class SentinelClient {
  name = '';
  authenticated: boolean;
  channels = new Set<string>();
  patterns = new Set<string>();
  closed = false;
  lastCmd = 'NULL';
  lastInteraction: number;
  /** The protocol chosen by HELLO: replies are put in its shape at delivery (toProtocol). */
  proto: Proto = 2;
  /** The ACL user (c->user). */
  user = 'default';
  /** Sentinel has no MULTI (ACL LOG context). */
  readonly inMulti = false;
  /** Close once the reply is out (the caller's own user deleted). */
  closeAfterReply = false;
  constructor(
    readonly id: number,
    readonly conn: Conn,
    readonly createdMs: number,
    authenticated: boolean,
  ) {
    this.authenticated = authenticated;
    this.lastInteraction = createdMs;
  }
  get subscriptions(): number {
    return this.channels.size + this.patterns.size;
  }
}

export interface CmdCtx {
  S: SentinelState;
  srv: SentinelServer;
  c: SentinelClient;
  argv: string[];
  reply(r: Reply): void;
}

const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe']);

/** Trace label of a reply. */
function replyKind(cmd: string, sub: string): string {
  if (cmd === 'ping') return 'ping';
  if (cmd === 'publish') return 'hello';
  if (cmd === 'sentinel' && sub === 'is-master-down-by-addr') return 'vote';
  return 'client';
}

export class SentinelServer {
  readonly clients = new Map<number, SentinelClient>();
  private nextId = 1;
  totalConnections = 0;
  /** Connections refused (protected mode). */
  rejectedConnections = 0;
  totalCommands = 0;
  totalErrors = 0;

  constructor(readonly S: SentinelState) {
    S.publish = (channel, message) => this.publish(channel, message);
  }

  accept(conn: Conn): void {
    const c = new SentinelClient(this.nextId++, conn, this.S.now(), !this.S.acl.authRequired());
    // clientAcceptHandler: a Sentinel is a redis-server; protected-mode is off unless sentinel.conf says yes
    const denied = protectedModeRefusal(this.S.fileConfig.server.protectedMode, this.S.acl.defaultUser.nopass, conn.remote);
    if (denied) {
      this.rejectedConnections++;
      conn.send(denied, respSize(denied), 'client');
      conn.close();
      return;
    }
    this.totalConnections++;
    this.clients.set(c.id, c);
    conn.setHandlers({
      // guarded(() => this.onCommand(c, payload)) without a closure per command
      onData: (payload) => {
        try {
          this.onCommand(c, payload);
        } catch (e) {
          if (!(e instanceof SentinelExit)) throw e;
        }
      },
      onClose: () => this.drop(c),
    });
  }

  drop(c: SentinelClient): void {
    c.closed = true;
    this.clients.delete(c.id);
  }

  /** Close a client from our side (CLIENT KILL, QUIT-like). */
  close(c: SentinelClient): void {
    if (c.closed) return;
    this.drop(c);
    c.conn.close();
  }

  send(c: SentinelClient, r: Reply, kind = 'client'): void {
    if (c.closed) return;
    if (r.t === 'error') this.totalErrors++;
    const out = toProtocol(r, c.proto);
    c.conn.send(out, respSize(out), kind);
  }

  private sendKind(c: SentinelClient, kind: string, r: Reply): void {
    this.send(c, r, kind);
  }

  private onCommand(c: SentinelClient, payload: unknown): void {
    if (c.closed || !Array.isArray(payload) || payload.length === 0) return;
    const argv = payload.map(String);
    c.lastInteraction = this.S.now();
    this.totalCommands++;
    const name = argv[0]!.toLowerCase();
    const sub = argv.length > 1 ? argv[1]!.toLowerCase() : '';
    const kind = replyKind(name, sub);
    // a bound method, not an arrow: no closure (and no name helper) per command
    const reply: (r: Reply) => void = this.sendKind.bind(this, c, kind);

    const base = SENTINEL_COMMANDS.get(name);
    let cmd: CommandDef | undefined = base;
    let fullname = name;
    if (base?.subcommands && argv.length >= 2) {
      cmd = base.subcommands.get(sub);
      fullname = `${name}|${sub}`;
    }
    if (!cmd) {
      if (base?.subcommands) {
        reply(err(`ERR unknown subcommand '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`));
      } else {
        let args = '';
        for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${argv[i]!.slice(0, 128 - args.length)}' `;
        reply(err(`ERR unknown command '${argv[0]!.slice(0, 128)}', with args beginning with: ${args}`.replace(/[\r\n]/g, ' ')));
      }
      return;
    }
    if ((cmd.arity > 0 && argv.length !== cmd.arity) || argv.length < -cmd.arity) {
      reply(err(`ERR wrong number of arguments for '${fullname}' command`));
      return;
    }
    if (!c.authenticated && this.S.acl.authRequired() && !cmd.noAuth) {
      reply(err('NOAUTH Authentication required.'));
      return;
    }
    const denied = sentinelAclRefusal(this.S, this, c, fullname, argv);
    if (denied) {
      reply(denied);
      return;
    }
    // processCommand: the pub/sub context restricts RESP2 clients only
    if (c.subscriptions > 0 && c.proto === 2 && !PUBSUB_ALLOWED.has(name)) {
      reply(
        err(
          `ERR Can't execute '${fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
        ),
      );
      return;
    }
    c.lastCmd = fullname;
    cmd.handler({ S: this.S, srv: this, c, argv, reply });
    if (c.closeAfterReply) this.close(c);
  }

  /** catClientInfoString of a Sentinel client (CLIENT LIST / INFO, ACL LOG). */
  clientInfo(c: SentinelClient): string {
    const now = this.S.now();
    const age = Math.floor((now - c.createdMs) / 1000);
    const idle = Math.floor((now - c.lastInteraction) / 1000);
    const flags = c.subscriptions > 0 ? 'P' : 'N';
    return (
      `id=${c.id} addr=${c.conn.remote} laddr=${c.conn.local} fd=${c.id + 10} name=${c.name} age=${age} idle=${idle} ` +
      `flags=${flags} db=0 sub=${c.channels.size} psub=${c.patterns.size} ssub=0 multi=-1 qbuf=0 qbuf-free=0 ` +
      `argv-mem=0 multi-mem=0 rbs=16384 rbp=16384 obl=0 oll=0 omem=0 tot-mem=37658 events=r cmd=${c.lastCmd} ` +
      `user=${c.user} redir=-1 resp=2`
    );
  }

  /** Deliver an event on the Sentinel's own pub/sub: channel subscribers, then patterns (RESP3: pushes). */
  publish(channel: string, message: string): number {
    let n = 0;
    for (const c of this.clients.values()) {
      if (c.channels.has(channel)) {
        this.send(c, pushMsg([bulk('message'), bulk(channel), bulk(message)]), 'pubsub');
        n++;
      }
    }
    for (const c of this.clients.values()) {
      for (const p of c.patterns) {
        if (!stringMatch(p, channel)) continue;
        this.send(c, pushMsg([bulk('pmessage'), bulk(p), bulk(channel), bulk(message)]), 'pubsub');
        n++;
      }
    }
    return n;
  }

  subscribe(c: SentinelClient, channel: string, reply: (r: Reply) => void): void {
    c.channels.add(channel);
    reply(pushMsg([bulk('subscribe'), bulk(channel), int(c.subscriptions)]));
  }

  psubscribe(c: SentinelClient, pattern: string, reply: (r: Reply) => void): void {
    c.patterns.add(pattern);
    reply(pushMsg([bulk('psubscribe'), bulk(pattern), int(c.subscriptions)]));
  }

  pubsubChannels(): number {
    const s = new Set<string>();
    for (const c of this.clients.values()) for (const ch of c.channels) s.add(ch);
    return s.size;
  }

  pubsubPatterns(): number {
    const s = new Set<string>();
    for (const c of this.clients.values()) for (const p of c.patterns) s.add(p);
    return s.size;
  }
}
