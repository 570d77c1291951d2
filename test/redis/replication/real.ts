// Test-only helpers to run the real redis-server 7.0.15 of this machine next to the simulator:
// free loopback ports, a process per server, and a client with plain replies.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MARKERS, RespClient, type Rep } from '../differential/reply.ts';

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

/**
 * The real server's replies in the plain shape these tests compare: status → string, error → { err },
 * integer → number, nil → null. One client serves every real-Redis test: this wraps the differential
 * test's RespClient (its exact replies, RESP3 included) instead of a second parser.
 */
export class RealClient {
  private constructor(private readonly c: RespClient) {}

  static async connect(port: number): Promise<RealClient> {
    return new RealClient(await RespClient.connect(port));
  }

  async cmd(...argv: string[]): Promise<Reply> {
    return plain(await this.c.cmd(argv));
  }

  close(): void {
    this.c.close();
  }
}

/** Rep → Reply: RESP3 aggregates lose their marker (a map becomes its flat key/value list). */
function plain(r: Rep): Reply {
  if (Array.isArray(r)) return (MARKERS.has(r[0] as string) ? r.slice(1) : r).map(plain);
  if (r === '$nil' || r === '*nil' || r === '_') return null;
  const head = r[0];
  const body = r.slice(1);
  if (head === '-') return { err: body };
  if (head === ':') return Number(body);
  return body;
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

/** Poll INFO replication until the replica's link to its master is up (up to 10 s). */
export async function waitLinkUp(c: RealClient): Promise<void> {
  const up = async () => String(await c.cmd('info', 'replication')).includes('master_link_status:up');
  for (let i = 0; i < 400 && !(await up()); i++) await sleep(25);
}

export interface RealPair {
  pm: number;
  pr: number;
  M: RealServer;
  R: RealServer;
  mc: RealClient;
  rc: RealClient;
}

/** A real master on a free port and a replica of it (both pushed to `started` for cleanup), once the link is up. */
export async function startRealPair(masterArgs: string[], replicaArgs: string[], started: RealServer[]): Promise<RealPair> {
  const [pm, pr] = [await freePort(), await freePort()];
  const M = new RealServer(pm, masterArgs);
  const R = new RealServer(pr, ['--replicaof', '127.0.0.1', String(pm), ...replicaArgs]);
  started.push(M, R);
  const mc = await M.start();
  const rc = await R.start();
  await waitLinkUp(rc);
  return { pm, pr, M, R, mc, rc };
}
