// Test-only helpers to run the real redis-server 7.0.15 of this machine next to the simulator:
// free loopback ports, a process per server, and a tiny RESP2 client.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = '/usr/bin/redis-server';

/** redis-server 7.0.15 present? (CI must have it; elsewhere the differential tests are skipped.) */
export function realRedisVersion(): string | null {
  if (!existsSync(REDIS_SERVER)) return null;
  const r = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  const m = /v=(\d+\.\d+\.\d+)/.exec(r.stdout ?? '');
  return m ? m[1]! : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export type Reply = string | number | null | Reply[] | { err: string };

/** A minimal RESP2 client: commands in, parsed replies out, in order. */
export class RealClient {
  private buf = Buffer.alloc(0);
  private waiting: ((r: Reply) => void)[] = [];
  private constructor(private readonly sock: Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const r = parse(this.buf, 0);
        if (!r) break;
        this.buf = this.buf.subarray(r[1]);
        this.waiting.shift()?.(r[0]);
      }
    });
  }

  static connect(port: number): Promise<RealClient> {
    return new Promise((resolve, reject) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => resolve(new RealClient(s)));
      s.once('error', reject);
    });
  }

  cmd(...argv: string[]): Promise<Reply> {
    let out = `*${argv.length}\r\n`;
    for (const a of argv) out += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.sock.write(Buffer.from(out, 'latin1'));
    });
  }

  close(): void {
    this.sock.destroy();
  }
}

function parse(b: Buffer, at: number): [Reply, number] | null {
  const nl = b.indexOf('\r\n', at, 'latin1');
  if (nl < 0) return null;
  const line = b.toString('latin1', at + 1, nl);
  const next = nl + 2;
  switch (String.fromCharCode(b[at]!)) {
    case '+':
      return [line, next];
    case '-':
      return [{ err: line }, next];
    case ':':
      return [Number(line), next];
    case '$': {
      const n = Number(line);
      if (n < 0) return [null, next];
      if (b.length < next + n + 2) return null;
      return [b.toString('latin1', next, next + n), next + n + 2];
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return [null, next];
      const out: Reply[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parse(b, p);
        if (!r) return null;
        out.push(r[0]);
        p = r[1];
      }
      return [out, p];
    }
  }
  throw new Error(`bad RESP at ${at}`);
}

/** A redis-server process on 127.0.0.1:<port> with its own directory and log file. */
export class RealServer {
  readonly dir: string;
  private proc: ChildProcess | null = null;

  constructor(
    readonly port: number,
    private readonly extra: string[],
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `sim-real-${port}-`));
  }

  get logFile(): string {
    return join(this.dir, 'redis.log');
  }

  async start(): Promise<RealClient> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
    args.push('--dir', this.dir, '--logfile', this.logFile, ...this.extra);
    this.proc = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      try {
        const c = await RealClient.connect(this.port);
        const r = await c.cmd('ping');
        if (r === 'PONG' || (typeof r === 'object' && r !== null && 'err' in r)) return c; // NOAUTH: up, with requirepass
        c.close();
      } catch {
        // not listening yet
      }
      await sleep(25);
    }
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  /** Log lines as "<level> <text>" (the part after the timestamp). */
  logs(): string[] {
    if (!existsSync(this.logFile)) return [];
    return readFileSync(this.logFile, 'utf8')
      .split('\n')
      .map((l) => /^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ ([.\-*#]) (.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]} ${m[2]}`);
  }

  stop(): void {
    this.proc?.kill('SIGKILL');
    this.proc = null;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
