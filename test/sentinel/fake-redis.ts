// A small stand-in for the simulated Redis server, enough for Sentinel tests until the real server
// and its replication exist: PING, INFO (server + replication), AUTH, CLIENT SETNAME/KILL, MULTI/EXEC,
// SLAVEOF/REPLICAOF, CONFIG REWRITE (persists replicaof on the host disk), (P)SUBSCRIBE/PUBLISH with
// PUBLISH propagated to replicas, and a toy replication link (connect, sync, offsets).
import { arr, argvSize, bulk, err, int, OK, PONG, respSize, simple, type Resp } from '../../engine/net/resp.ts';
import type { Conn } from '../../engine/net/types.ts';
import type { ProcessContext, ProcessFactory, ProcessInstance } from '../../engine/sim/process.ts';

export interface FakeRedisOptions {
  replicaof?: [string, number];
  priority?: number;
  requirepass?: string;
  masterauth?: string;
  /** Replication sync time after the link connects, ms. */
  syncMs?: number;
}

interface Client {
  conn: Conn;
  authed: boolean;
  subs: Set<string>;
  multi: string[][] | null;
  /** A replica's replication connection (after PSYNC). */
  replica: { ip: string; port: number } | null;
  listeningPort: number;
}

export class FakeRedis implements ProcessInstance {
  role: 'master' | 'slave' = 'master';
  masterHost = '';
  masterPort = 0;
  linkUp = false;
  /** ms when the link went down; 0 = never connected since boot */
  downSince = 0;
  offset = 0;
  runId: string;
  priority: number;
  clients = new Set<Client>();
  private link: Conn | null = null;
  private linkGen = 0;
  private confPath: string;

  constructor(
    readonly ctx: ProcessContext,
    readonly opts: FakeRedisOptions,
  ) {
    this.runId = ctx.rng.fork('runid').hex40();
    this.priority = opts.priority ?? 100;
    this.confPath = `fake-redis-${ctx.port}.conf`;
  }

  boot(): void {
    const saved = this.ctx.host.disk.read<{ replicaof: [string, number] | null }>(this.confPath);
    const rof = saved ? saved.replicaof : (this.opts.replicaof ?? null);
    this.ctx.log('*', `Ready to accept connections (fake, ${rof ? 'replica' : 'master'})`);
    if (rof) this.setMaster(rof[0], rof[1]);
    const cron = () => {
      if (this.role === 'slave' && !this.link) this.connectMaster();
      this.ctx.setTimer(1000, cron);
    };
    this.ctx.setTimer(1000, cron);
  }

  roleChar(): string {
    return this.role === 'master' ? 'M' : 'S';
  }

  snapshot(): unknown {
    return { role: this.role, master: this.role === 'slave' ? `${this.masterHost}:${this.masterPort}` : null, linkUp: this.linkUp, offset: this.offset };
  }

  // ---- replication ------------------------------------------------------------------------

  private setMaster(host: string, port: number): void {
    this.role = 'slave';
    this.masterHost = host;
    this.masterPort = port;
    this.dropLink();
    this.connectMaster();
  }

  private dropLink(): void {
    this.linkGen++;
    if (this.link) this.link.close();
    this.link = null;
    if (this.linkUp) this.downSince = this.ctx.mstime();
    this.linkUp = false;
  }

  private connectMaster(): void {
    const gen = ++this.linkGen;
    const c = this.ctx.connect(this.masterHost, this.masterPort, {
      onOpen: () => {
        if (gen !== this.linkGen) return;
        if (this.opts.masterauth) c.send(['AUTH', this.opts.masterauth], 20, 'repl');
        c.send(['REPLCONF', 'listening-port', String(this.ctx.port)], 40, 'repl');
        c.send(['PSYNC', '?', '-1'], 20, 'repl');
      },
      onData: (m) => {
        if (gen !== this.linkGen) return;
        const r = m as Resp | string[];
        if (Array.isArray(r)) {
          // the replication stream
          this.offset += argvSize(r);
          if (r[0] === 'PUBLISH') this.publishLocal(r[1]!, r[2]!, true);
          return;
        }
        if (r.t === 'simple' && r.v.startsWith('FULLRESYNC')) {
          this.ctx.setTimer(this.opts.syncMs ?? 5, () => {
            if (gen !== this.linkGen) return;
            this.linkUp = true;
          });
        }
      },
      onClose: () => {
        if (gen !== this.linkGen) return;
        this.link = null;
        if (this.linkUp || this.downSince === 0) this.downSince = this.ctx.mstime();
        this.linkUp = false;
      },
    });
    this.link = c;
  }

  // ---- clients ----------------------------------------------------------------------------

  onConnection(conn: Conn): void {
    const c: Client = { conn, authed: !this.opts.requirepass, subs: new Set(), multi: null, replica: null, listeningPort: 0 };
    this.clients.add(c);
    conn.setHandlers({
      onData: (m) => this.onCommand(c, m as string[]),
      onClose: () => this.clients.delete(c),
    });
  }

  private reply(c: Client, r: Resp): void {
    c.conn.send(r, respSize(r), 'client');
  }

  private kill(c: Client): void {
    this.clients.delete(c);
    c.conn.close();
  }

  private onCommand(c: Client, argv: string[]): void {
    const name = argv[0]!.toLowerCase();
    if (c.multi && !['exec', 'discard', 'multi'].includes(name)) {
      c.multi.push(argv);
      this.reply(c, simple('QUEUED'));
      return;
    }
    if (name === 'exec' && c.multi) {
      const q = c.multi;
      c.multi = null;
      this.reply(c, arr(q.map((a) => this.exec(c, a))));
      return;
    }
    this.reply(c, this.exec(c, argv));
  }

  private exec(c: Client, argv: string[]): Resp {
    const name = argv[0]!.toLowerCase();
    if (name === 'auth') {
      if (!this.opts.requirepass) return err('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
      if (argv[argv.length - 1] !== this.opts.requirepass) return err('WRONGPASS invalid username-password pair or user is disabled.');
      c.authed = true;
      return OK;
    }
    if (!c.authed) return err('NOAUTH Authentication required.');
    switch (name) {
      case 'ping':
        return c.subs.size ? arr([bulk('pong'), bulk('')]) : PONG;
      case 'info':
        return bulk(this.info());
      case 'client': {
        const sub = argv[1]!.toLowerCase();
        if (sub === 'setname') return OK;
        if (sub === 'kill' && argv[2]?.toLowerCase() === 'type') {
          const t = argv[3]!.toLowerCase();
          let n = 0;
          for (const o of [...this.clients]) {
            if (o === c || o.replica) continue;
            const isPubsub = o.subs.size > 0;
            if ((t === 'pubsub') === isPubsub) {
              this.kill(o);
              n++;
            }
          }
          return int(n);
        }
        return OK;
      }
      case 'multi':
        c.multi = [];
        return OK;
      case 'config':
        this.ctx.host.disk.write(this.confPath, {
          replicaof: this.role === 'slave' ? [this.masterHost, this.masterPort] : null,
        });
        return OK;
      case 'slaveof':
      case 'replicaof': {
        if (argv[1]!.toLowerCase() === 'no' && argv[2]!.toLowerCase() === 'one') {
          if (this.role === 'slave') {
            this.role = 'master';
            this.dropLink();
            this.downSince = 0;
          }
          return OK;
        }
        const port = Number(argv[2]);
        if (this.role === 'slave' && this.masterHost === argv[1] && this.masterPort === port) {
          return simple('OK Already connected to specified master');
        }
        // a master turning replica drops its replicas (they reconnect)
        for (const o of [...this.clients]) if (o.replica) this.kill(o);
        this.setMaster(argv[1]!, port);
        return OK;
      }
      case 'script':
        return err('NOTBUSY No scripts in execution right now.');
      case 'subscribe':
        for (const ch of argv.slice(1)) c.subs.add(ch);
        return arr([bulk('subscribe'), bulk(argv[1]!), int(c.subs.size)]);
      case 'publish':
        return int(this.publish(argv[1]!, argv[2]!));
      case 'replconf':
        c.listeningPort = Number(argv[2]);
        return OK;
      case 'psync': {
        const ip = c.conn.remote.slice(0, c.conn.remote.lastIndexOf(':'));
        c.replica = { ip, port: c.listeningPort };
        return simple(`FULLRESYNC ${this.runId} ${this.offset}`);
      }
      default:
        return err(`ERR unknown command '${argv[0]}'`);
    }
  }

  /** PUBLISH: local subscribers, then the replication stream (PUBLISH is replicated). */
  publish(channel: string, message: string): number {
    const n = this.publishLocal(channel, message, false);
    const cmd = ['PUBLISH', channel, message];
    this.offset += argvSize(cmd);
    for (const o of this.clients) if (o.replica) o.conn.send(cmd, argvSize(cmd), channel === '__sentinel__:hello' ? 'hello' : 'repl');
    return n;
  }

  private publishLocal(channel: string, message: string, fromMaster: boolean): number {
    let n = 0;
    for (const o of this.clients) {
      if (!o.subs.has(channel)) continue;
      o.conn.send(arr([bulk('message'), bulk(channel), bulk(message)]), message.length + 40, 'hello');
      n++;
    }
    if (fromMaster) {
      // a replica propagates to its own sub-replicas as well
      const cmd = ['PUBLISH', channel, message];
      for (const o of this.clients) if (o.replica) o.conn.send(cmd, argvSize(cmd), 'repl');
    }
    return n;
  }

  info(): string {
    const now = this.ctx.mstime();
    const lines = ['# Server', 'redis_version:7.0.15', 'redis_mode:standalone', `run_id:${this.runId}`, `tcp_port:${this.ctx.port}`, '', '# Replication'];
    if (this.role === 'master') {
      const reps = [...this.clients].filter((c) => c.replica);
      lines.push('role:master', `connected_slaves:${reps.length}`);
      reps.forEach((c, i) => lines.push(`slave${i}:ip=${c.replica!.ip},port=${c.replica!.port},state=online,offset=${this.offset},lag=0`));
    } else {
      lines.push(
        'role:slave',
        `master_host:${this.masterHost}`,
        `master_port:${this.masterPort}`,
        `master_link_status:${this.linkUp ? 'up' : 'down'}`,
        'master_last_io_seconds_ago:1',
        'master_sync_in_progress:0',
        `slave_read_repl_offset:${this.offset}`,
        `slave_repl_offset:${this.offset}`,
      );
      if (!this.linkUp) {
        const secs = this.downSince ? Math.floor(now / 1000) - Math.floor(this.downSince / 1000) : -1;
        lines.push(`master_link_down_since_seconds:${secs}`);
      }
      lines.push(`slave_priority:${this.priority}`, 'slave_read_only:1', 'replica_announced:1', `connected_slaves:0`);
    }
    lines.push(`master_repl_offset:${this.offset}`);
    return lines.join('\r\n') + '\r\n';
  }
}

export function fakeRedisFactory(opts: FakeRedisOptions = {}): ProcessFactory {
  return (ctx) => new FakeRedis(ctx, opts);
}
