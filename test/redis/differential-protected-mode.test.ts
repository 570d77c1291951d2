// Protected mode against the real redis-server 7.0.15 of this machine. islocalClient accepts only the peers
// 127.0.0.1 and ::1, so a connection from another loopback address (127.0.0.2, Linux answers on all of
// 127.0.0.0/8) is refused as one from another host would be: the same bytes, the same counters, the same
// replica log line as the simulator's (engine/redis/server/protected-mode.ts), for a server (protected mode
// on by default) and for a Sentinel (off by default, on with `protected-mode yes` in sentinel.conf).
// Under CI=true a missing redis-server is a failure; elsewhere the test is skipped.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTECTED_MODE_DENIED } from '../../engine/redis/server/protected-mode.ts';
import { freePort, RealClient, RealServer, realRedisVersion, REDIS_SERVER, sleep } from './replication/real.ts';
import { ReplWorld } from './replication/world.ts';

const version = realRedisVersion();
const runIt = version !== null || process.env.CI === 'true' ? describe : describe.skip;
const DENIED_BYTES = `-${PROTECTED_MODE_DENIED}\r\n`;

/** Connect from `from`, send PING, collect everything until the server closes (or 2 s). */
function talkFrom(from: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const s = connect({ host: '127.0.0.1', port, localAddress: from }, () => s.write('PING\r\n'));
    const timer = setTimeout(() => {
      s.destroy();
      resolve(got);
    }, 2000);
    s.setEncoding('latin1');
    s.on('data', (d: string) => (got += d));
    s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
    s.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
  });
}

function info(text: unknown, field: string): string | undefined {
  return new RegExp(`\\r\\n${field}:([^\\r]*)\\r\\n`).exec(String(text))?.[1];
}

runIt('protected mode: real redis-server 7.0.15 vs the simulator', () => {
  const started: RealServer[] = [];
  const procs: ChildProcess[] = [];
  afterAll(() => {
    for (const s of started) s.stop();
    for (const p of procs) p.kill('SIGKILL');
  });

  it('a server refuses a peer that is not 127.0.0.1: DENIED bytes, rejected_connections, not counted as received', async () => {
    const port = await freePort();
    const real = new RealServer(port, []);
    started.push(real);
    const c = await real.start();
    expect(await talkFrom('127.0.0.2', port)).toBe(DENIED_BYTES);
    expect(await talkFrom('127.0.0.1', port)).toBe('+PONG\r\n');
    const realInfo = await c.cmd('info', 'stats');
    // start()'s probe (this one) and the PONG connection were received; the refused one only rejected
    expect([info(realInfo, 'rejected_connections'), info(realInfo, 'total_connections_received')]).toEqual(['1', '2']);
    c.close();

    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'protected-mode yes\n');
    w.start('m');
    const denied = w.client(m);
    expect(denied.take(1, '2s')).toEqual([{ t: 'error', v: PROTECTED_MODE_DENIED }]);
    expect([m.server().stats.rejectedConnections, m.server().stats.connectionsReceived]).toEqual([1, 0]);
  });

  it('a replica refused by its master logs the same line at every attempt', async () => {
    const mp = await freePort();
    const rp = await freePort();
    const master = new RealServer(mp, []);
    // the replica's connections leave from 127.0.0.2: another host for the master's protected mode
    const replica = new RealServer(rp, ['--bind-source-addr', '127.0.0.2', '--replicaof', '127.0.0.1', String(mp)]);
    started.push(master, replica);
    (await master.start()).close();
    (await replica.start()).close();
    await sleep(2500);
    const realErrs = replica.logs().filter((l) => l.includes('Error reply to PING from master'));
    expect(realErrs.length).toBeGreaterThanOrEqual(1);

    const w = new ReplWorld();
    w.server('m', '10.0.0.1', 7001, 'protected-mode yes\n');
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.run(2500);
    const simErrs = r.logs().filter((l) => l.includes('Error reply to PING from master'));
    expect(simErrs[0]).toBe(realErrs[0]);
    // the lines around it, attempt by attempt (timestamps and pids aside)
    const attempt = (logs: string[]) => {
      const i = logs.findIndex((l) => l.includes('Error reply to PING from master'));
      return logs.slice(i - 3, i + 1).map((l) => l.replace(/MASTER \S+:\d+$/, 'MASTER <addr>'));
    };
    expect(attempt(r.logs())).toEqual(attempt(replica.logs()));
  });

  it('a Sentinel: open to other hosts by default, refusing them with protected-mode yes in sentinel.conf', async () => {
    const results: Record<string, string[]> = {};
    for (const [label, extra] of [['default', ''], ['protected', 'protected-mode yes\n']] as const) {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), `sim-real-sentinel-${port}-`));
      const conf = join(dir, 'sentinel.conf');
      writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ndir ${dir}\n${extra}sentinel monitor m 127.0.0.1 1 1\n`);
      const p = spawn(REDIS_SERVER, [conf, '--sentinel', '--daemonize', 'no', '--logfile', join(dir, 'log')], { stdio: 'ignore' });
      procs.push(p);
      let c: RealClient | null = null;
      for (let i = 0; i < 200 && !c; i++) {
        try {
          c = await RealClient.connect(port);
        } catch {
          await sleep(25);
        }
      }
      results[label] = [await talkFrom('127.0.0.2', port), await talkFrom('127.0.0.1', port), info(await c!.cmd('info', 'stats'), 'rejected_connections')!];
      c!.close();
      p.kill('SIGKILL');
    }
    expect(results).toEqual({ default: ['+PONG\r\n', '+PONG\r\n', '0'], protected: [DENIED_BYTES, '+PONG\r\n', '1'] });
  });
});
