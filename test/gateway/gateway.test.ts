// The RESP gateway against real clients: ioredis when it is installed, else /usr/bin/redis-cli.
// redis-cli runs asynchronously: the gateway lives in this process and needs its event loop.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { clusterFromFiles, startGateway } from '../../bin/gateway/index.ts';
import { freePort, raw, useGateway } from './harness.ts';

const run = promisify(execFile);
const REDIS_CLI = '/usr/bin/redis-cli';



async function loadIoredis(): Promise<any | null> {
  const name = 'ioredis';
  try {
    const m = await import(/* @vite-ignore */ name);
    return m.default ?? m.Redis ?? m;
  } catch {
    return null;
  }
}

let Ioredis: any | null = null;
const haveCli = existsSync(REDIS_CLI);

describe('RESP gateway', () => {
  const g = useGateway('gateway-test');
  const cli = async (...args: string[]) => (await run(REDIS_CLI, ['-p', String(g.port), ...args])).stdout;
  const cliStdin = (input: string) =>
    new Promise<string>((res, rej) => {
      const p = execFile(REDIS_CLI, ['-p', String(g.port)], (e, out) => (e ? rej(e) : res(out)));
      p.stdin!.end(input);
    });

  beforeAll(async () => {
    Ioredis = await loadIoredis();
  });

  it('has a client to test with', () => {
    if (!Ioredis && !haveCli) throw new Error('neither ioredis nor /usr/bin/redis-cli is available');
  });

  it('SET / GET / INFO', async () => {
    if (Ioredis) {
      const r = new Ioredis({ port: g.port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1 });
      try {
        expect(await r.set('k', 'v')).toBe('OK');
        expect(await r.get('k')).toBe('v');
        expect(await r.info('server')).toMatch(/redis_version:7\.0\.15/);
      } finally {
        r.disconnect();
      }
      return;
    }
    expect(await cli('SET', 'k', 'v')).toBe('OK\n');
    expect(await cli('GET', 'k')).toBe('v\n');
    expect(await cli('INFO', 'server')).toMatch(/redis_version:7\.0\.15\r?\n/);
    expect(await cli('CLIENT', 'LIST')).toMatch(/^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ /);
  });

  it('MULTI / EXEC', async () => {
    if (Ioredis) {
      const r = new Ioredis({ port: g.port, host: '127.0.0.1' });
      try {
        expect(await r.multi().set('a', '1').incr('a').exec()).toEqual([
          [null, 'OK'],
          [null, 2],
        ]);
      } finally {
        r.disconnect();
      }
      return;
    }
    expect(await cliStdin('MULTI\nSET a 1\nINCR a\nEXEC\n')).toBe('OK\nQUEUED\nQUEUED\nOK\n2\n');
  });

  it('SUBSCRIBE / PUBLISH', async () => {
    if (Ioredis) {
      const sub = new Ioredis({ port: g.port, host: '127.0.0.1' });
      const pub = new Ioredis({ port: g.port, host: '127.0.0.1' });
      try {
        const got = new Promise<[string, string]>((res) => sub.on('message', (ch: string, m: string) => res([ch, m])));
        await sub.subscribe('news');
        expect(await pub.publish('news', 'hello')).toBe(1);
        expect(await got).toEqual(['news', 'hello']);
      } finally {
        sub.disconnect();
        pub.disconnect();
      }
      return;
    }
    const sub = spawn(REDIS_CLI, ['-p', String(g.port), 'SUBSCRIBE', 'news']);
    let out = '';
    const waitFor = (re: RegExp) =>
      new Promise<void>((res, rej) => {
        const t = setTimeout(() => rej(new Error(`subscriber output: ${JSON.stringify(out)}`)), 5000);
        const check = () => {
          if (re.test(out)) {
            clearTimeout(t);
            res();
          }
        };
        sub.stdout.on('data', (d) => {
          out += d.toString();
          check();
        });
        check();
      });
    try {
      await waitFor(/subscribe\nnews\n1\n/);
      expect(await cli('PUBLISH', 'news', 'hello')).toBe('1\n');
      await waitFor(/message\nnews\nhello\n/);
      expect(await cli('PUBSUB', 'CHANNELS')).toBe('news\n');
    } finally {
      sub.kill();
    }
  });

  it('answers a protocol error like Redis, then closes; earlier commands are answered first', async () => {
    expect(await raw(g.port, '*1\r\nx\r\n')).toEqual({ data: "-ERR Protocol error: expected '$', got 'x'\r\n", closed: true });
    expect(await raw(g.port, 'PING\r\n*abc\r\n')).toEqual({ data: '+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n', closed: true });
    expect(await raw(g.port, 'SET a "b\r\n')).toEqual({ data: '-ERR Protocol error: unbalanced quotes in request\r\n', closed: true });
    // the gateway survives
    expect(await raw(g.port, '*1\r\n$4\r\nPING\r\n', 300)).toEqual({ data: '+PONG\r\n', closed: false });
  });

  it('inline commands, pipelining, QUIT', async () => {
    expect(await raw(g.port, 'SET x "a b"\r\nGET x\r\nQUIT\r\n')).toEqual({ data: '+OK\r\n$3\r\na b\r\n+OK\r\n', closed: true });
  });

  it('a half-closed client still gets the replies of what it sent', async () => {
    const got = await new Promise<string>((res) => {
      const s = connect(g.port, '127.0.0.1');
      let data = '';
      s.on('data', (d) => (data += d.toString('latin1')));
      s.on('close', () => res(data));
      s.end('PING\r\nECHO hi\r\n');
    });
    expect(got).toBe('+PONG\r\n$2\r\nhi\r\n');
  });

  it('the virtual clock follows the wall clock', async () => {
    const t1 = Number((await raw(g.port, 'TIME\r\n', 200)).data.split('\r\n')[2]);
    await new Promise((r) => setTimeout(r, 1100));
    const t2 = Number((await raw(g.port, 'TIME\r\n', 200)).data.split('\r\n')[2]);
    expect(t2 - t1).toBeGreaterThanOrEqual(1);
    expect(t2 - t1).toBeLessThanOrEqual(3);
  });
});

describe('RESP gateway from config files', () => {
  it('one listener per config, on the port the file names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-'));
    const [p1, p2] = [await freePort(), await freePort()];
    writeFileSync(join(dir, 'a.conf'), `port ${p1}\nsave ""\n`);
    writeFileSync(join(dir, 'b.conf'), `port ${p2}\nsave ""\nreplicaof 127.0.0.1 ${p1}\n`);
    const gw = await startGateway({ cluster: clusterFromFiles([join(dir, 'a.conf'), join(dir, 'b.conf')], []) });
    try {
      expect(gw.ports).toEqual([p1, p2]);
      expect((await raw(p1, 'SET k v\r\n', 300)).data).toBe('+OK\r\n');
      // the replica catches up in (virtual = real) time
      let v = '';
      for (let i = 0; i < 40 && v !== '$1\r\nv\r\n'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        v = (await raw(p2, 'GET k\r\n', 200)).data;
      }
      expect(v).toBe('$1\r\nv\r\n');
      expect((await raw(p2, 'CONFIG GET port\r\n', 300)).data).toBe(`*2\r\n$4\r\nport\r\n$${String(p2).length}\r\n${p2}\r\n`);
    } finally {
      await gw.close();
    }
  });

  it("a bad config file fails with Redis's FATAL message", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-'));
    writeFileSync(join(dir, 'bad.conf'), 'port 7000\nmaxmemory lots\n');
    expect(() => clusterFromFiles([join(dir, 'bad.conf')], [])).toThrow(
      "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'maxmemory lots'\nargument must be a memory value",
    );
    expect(() => clusterFromFiles([join(dir, 'missing.conf')], [])).toThrow(/can't open config file/);
  });
});
