// `sentinel-sim serve` as a process, against real clients: redis-cli and ioredis's Sentinel support.
// The tutorial's five files are copied with free ports (tests may run beside others using 7003 / 26371).
// Under CI=true a missing redis-cli is a failure; elsewhere those tests are skipped.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, type CommanderError } from 'commander';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerServe } from '../../bin/gateway/command.ts';
import { planServe, type ServeSources } from '../../bin/gateway/plan.ts';
import { ScenarioConfigError } from '../../scenarios/api/configs.ts';

const REDIS_CLI = '/usr/bin/redis-cli';
const haveCli = existsSync(REDIS_CLI);
const required = process.env.CI === 'true';
const ROOT = join(import.meta.dirname, '..', '..');
const TUTORIAL = join(ROOT, 'scenarios', 'tutorial');
const PASS = '0234kz9*1';
const SPEED = 10;

/** `n` distinct ports free right now. */
async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = createServer();
    await new Promise<void>((res, rej) => {
      s.once('error', rej);
      s.listen(0, '127.0.0.1', () => res());
    });
    servers.push(s);
    ports.push((s.address() as { port: number }).port);
  }
  await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  return ports;
}

/** The tutorial's files in a temp dir, every port (7003, 8003, 26371-26373) renumbered; `extra` lines appended per file. */
async function tutorialCopy(extra: Record<string, string> = {}): Promise<{ dir: string; master: number; replica: number; sentinels: number[] }> {
  const [master, replica, s1, s2, s3] = await freePorts(5);
  const map: Record<string, number> = { '7003': master!, '8003': replica!, '26371': s1!, '26372': s2!, '26373': s3! };
  const dir = mkdtempSync(join(tmpdir(), 'serve-'));
  for (const f of readdirSync(TUTORIAL).filter((x) => x.endsWith('.conf'))) {
    const text = readFileSync(join(TUTORIAL, f), 'latin1').replace(/\b(7003|8003|2637[123])\b/g, (p) => String(map[p]));
    writeFileSync(join(dir, f), text + (extra[f] ?? ''));
  }
  return { dir, master: master!, replica: replica!, sentinels: [s1!, s2!, s3!] };
}

interface Served {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

/** Start `sentinel-sim serve ARGS` and wait for its "Ctrl-C to stop" line. */
async function serve(args: string[]): Promise<Served> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin', 'sentinel-sim.js'), 'serve', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d.toString()));
  proc.stderr!.on('data', (d) => (err += d.toString()));
  const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`serve did not start in 25 s:\n${out}\n${err}`)), 25_000);
    const check = () => {
      if (/Ctrl-C to stop/.test(out)) {
        clearTimeout(t);
        res();
      }
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(t);
      rej(new Error(`serve exited (${code}) before listening:\n${out}\n${err}`));
    });
  });
  return { proc, out: () => out, err: () => err, exited };
}

/** Stop a served cluster with SIGTERM; it must close cleanly (exit 0). */
async function stop(s: Served | undefined): Promise<void> {
  if (!s || s.proc.exitCode !== null) return;
  s.proc.kill('SIGTERM');
  expect(await s.exited).toBe(0);
}

/** redis-cli's stdout (and exit code, stderr) for one command. */
function cli(port: number, ...args: string[]): Promise<{ out: string; err: string; code: number }> {
  return new Promise((res) => {
    execFile(REDIS_CLI, ['-p', String(port), ...args], { timeout: 10_000 }, (e, out, err) =>
      res({ out, err, code: e ? (typeof e.code === 'number' ? e.code : 1) : 0 }),
    );
  });
}
const authed = (port: number, ...args: string[]) => cli(port, '-a', PASS, '--no-auth-warning', ...args);

/** Poll until `fn` returns true (wall clock). */
async function until(what: string, fn: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const withCli = haveCli || required ? describe : describe.skip;

withCli('serve --configs: the tutorial cluster (2 servers, 3 Sentinels) on real ports', () => {
  let served: Served | undefined;
  let t: Awaited<ReturnType<typeof tutorialCopy>>;

  beforeAll(async () => {
    if (!haveCli) throw new Error(`${REDIS_CLI} (7.0.15) is required when CI=true`);
    t = await tutorialCopy();
    served = await serve(['--configs', t.dir, '--speed', String(SPEED), '--console']);
  }, 30_000);
  afterAll(async () => stop(served));

  it('prints one line per listener and the node logs in Redis format', () => {
    const out = served!.out();
    for (const p of [t.master, t.replica]) expect(out).toMatch(new RegExp(`serve: server +127\\.0\\.0\\.1:${p} +listening on 127\\.0\\.0\\.1:${p} `));
    for (const p of t.sentinels) expect(out).toMatch(new RegExp(`serve: sentinel 127\\.0\\.0\\.1:${p} +listening on 127\\.0\\.0\\.1:${p} `));
    expect(out).toMatch(new RegExp(`127\\.0\\.0\\.1:${t.sentinels[0]} +\\d+:X \\d\\d \\w{3} \\d{4} [\\d:.]+ # \\+monitor master TestMaster 127\\.0\\.0\\.1 ${t.master} quorum 1`));
  });

  it('redis-cli: SENTINEL masters and get-master-addr-by-name answer from the simulation', async () => {
    const masters = await cli(t.sentinels[0]!, 'SENTINEL', 'masters');
    const fields = masters.out.trim().split('\n');
    const get = (k: string) => fields[fields.indexOf(k) + 1];
    expect(get('name')).toBe('TestMaster');
    expect(get('port')).toBe(String(t.master));
    expect(get('quorum')).toBe('1');
    expect(get('config-epoch')).toBe('15');
    for (const p of t.sentinels) expect((await cli(p, 'SENTINEL', 'get-master-addr-by-name', 'TestMaster')).out).toBe(`127.0.0.1\n${t.master}\n`);
    expect((await cli(t.sentinels[1]!, 'SENTINEL', 'get-master-addr-by-name', 'nosuch')).out).toBe('\n');
  });

  it('ioredis: discovers the master through the Sentinels, writes, follows the failover after SHUTDOWN NOSAVE, writes again', async () => {
    const r = new Redis({
      sentinels: t.sentinels.map((port) => ({ host: '127.0.0.1', port })),
      name: 'TestMaster',
      password: PASS,
      sentinelRetryStrategy: () => 100,
      retryStrategy: () => 100,
      maxRetriesPerRequest: null, // queue until the failover is over, however long it takes
      lazyConnect: false,
    });
    r.on('error', () => {}); // reconnection noise while the master is down
    try {
      expect(await r.set('before', '1')).toBe('OK');
      expect((await authed(t.master, 'GET', 'before')).out).toBe('1\n');
      // the replica has to be in sync before the master dies, or the write is lost in the failover
      await until('the replica to sync', async () => (await authed(t.replica, 'GET', 'before')).out === '1\n');
      const down = await authed(t.master, 'SHUTDOWN', 'NOSAVE');
      expect(down.code).toBe(0);
      expect((await cli(t.master, 'PING')).err).toMatch(/Could not connect to Redis at 127\.0\.0\.1:\d+: Connection refused/);
      // queued while ioredis reconnects: it asks the Sentinels again until they name the promoted replica
      expect(await r.set('after', '2')).toBe('OK');
      expect(await r.get('before')).toBe('1');
      for (const p of t.sentinels) expect((await cli(p, 'SENTINEL', 'get-master-addr-by-name', 'TestMaster')).out).toBe(`127.0.0.1\n${t.replica}\n`);
      expect((await authed(t.replica, 'ROLE')).out.split('\n')[0]).toBe('master');
      expect((await authed(t.replica, 'GET', 'after')).out).toBe('2\n');
      const info = (await cli(t.sentinels[0]!, 'INFO', 'sentinel')).out;
      expect(info).toMatch(new RegExp(`master0:name=TestMaster,status=ok,address=127\\.0\\.0\\.1:${t.replica},slaves=1,sentinels=3`));
      expect(served!.out()).toMatch(new RegExp(`\\+switch-master TestMaster 127\\.0\\.0\\.1 ${t.master} 127\\.0\\.0\\.1 ${t.replica}`));
      expect(served!.out()).toMatch(/# \+new-epoch 8395/);
    } finally {
      r.disconnect();
    }
  }, 30_000);

  it('--console: restart the old master; the Sentinels turn it into a replica of the new one', async () => {
    served!.proc.stdin!.write(`restart ${t.master}\n`);
    await until('the old master to replicate from the new one', async () => {
      const info = (await authed(t.master, 'INFO', 'replication')).out;
      return /^role:slave\r?$/m.test(info) && new RegExp(`^master_port:${t.replica}\r?$`, 'm').test(info) && /^master_link_status:up\r?$/m.test(info);
    });
    expect((await authed(t.master, 'GET', 'after')).out).toBe('2\n');
    expect(served!.out()).toMatch(new RegExp(`\\+convert-to-slave slave 127\\.0\\.0\\.1:${t.master} 127\\.0\\.0\\.1 ${t.master} @ TestMaster 127\\.0\\.0\\.1 ${t.replica}`));
    expect(served!.err()).toContain(`restart 127.0.0.1:${t.master}: ok`);
    served!.proc.stdin!.write('kill 1\n');
    await until('the console to answer', async () => served!.err().includes('no served node 1'));
  }, 30_000);
});

withCli('serve --config redis.conf --config redis_slave.conf', () => {
  let served: Served | undefined;
  let t: Awaited<ReturnType<typeof tutorialCopy>>;

  beforeAll(async () => {
    if (!haveCli) throw new Error(`${REDIS_CLI} (7.0.15) is required when CI=true`);
    // DEBUG is refused by default in Redis 7 (enable-debug-command no): allow it from local connections
    t = await tutorialCopy({ 'redis_slave.conf': 'enable-debug-command local\n' });
    served = await serve(['--config', join(t.dir, 'redis.conf'), '--config', join(t.dir, 'redis_slave.conf'), '--speed', String(SPEED), '--quiet']);
  }, 30_000);
  afterAll(async () => stop(served));

  it('--quiet prints only the listener lines', () => {
    expect(served!.out().trim().split('\n')).toHaveLength(3);
  });

  it('redis-cli shows replication working', async () => {
    await until('the replica to be online', async () => /slave0:ip=127\.0\.0\.1,port=\d+,state=online/.test((await authed(t.master, 'INFO', 'replication')).out));
    const m = (await authed(t.master, 'INFO', 'replication')).out;
    expect(m).toMatch(/^role:master\r?$/m);
    expect(m).toMatch(/^connected_slaves:1\r?$/m);
    expect(m).toContain(`slave0:ip=127.0.0.1,port=${t.replica},state=online`);
    const s = (await authed(t.replica, 'INFO', 'replication')).out;
    expect(s).toMatch(/^role:slave\r?$/m);
    expect(s).toMatch(new RegExp(`^master_port:${t.master}\\r?$`, 'm'));
    expect(s).toMatch(/^master_link_status:up\r?$/m);
    expect((await authed(t.master, '-n', '1', 'SET', 'name', 'zhangsan')).out).toBe('OK\n');
    await until('the write to reach the replica', async () => (await authed(t.replica, '-n', '1', 'GET', 'name')).out === 'zhangsan\n');
    expect((await authed(t.replica, 'SET', 'x', '1')).out).toBe("READONLY You can't write against a read only replica.\n\n"); // redis-cli's blank line after an error
  });

  it('DEBUG SEGFAULT kills the node: the connection closes, its port refuses, the master sees the replica gone', async () => {
    const seg = await authed(t.replica, 'DEBUG', 'SEGFAULT');
    expect(seg.err).toMatch(/Error: Server closed the connection/);
    expect((await cli(t.replica, 'PING')).err).toMatch(/Connection refused/);
    await until('the master to drop the replica', async () => /^connected_slaves:0\r?$/m.test((await authed(t.master, 'INFO', 'replication')).out));
    expect((await authed(t.master, 'DEBUG', 'SEGFAULT')).out).toMatch(/^ERR DEBUG command not allowed/);
  });
});

withCli('serve --scenario: the cluster of its setup, without its script', () => {
  let served: Served | undefined;
  let ports: number[];

  beforeAll(async () => {
    if (!haveCli) throw new Error(`${REDIS_CLI} (7.0.15) is required when CI=true`);
    ports = await freePorts(4);
    const dir = mkdtempSync(join(tmpdir(), 'serve-scn-'));
    const api = JSON.stringify(join(ROOT, 'scenarios', 'api', 'index.ts'));
    writeFileSync(
      join(dir, 'small.ts'),
      `import { cluster, defineScenario } from ${api};
export default defineScenario({
  name: 'small',
  setup: () => cluster({ replicas: 1, sentinels: 2, quorum: 1, masterPort: ${ports[0]}, replicaPorts: [${ports[1]}], sentinelPorts: [${ports[2]}, ${ports[3]}] }),
  script: (s) => { s.exec('${ports[0]}', 'SET', 'scripted', '1'); },
});
`,
    );
    served = await serve(['--scenario', join(dir, 'small.ts'), '--speed', String(SPEED), '--quiet']);
  }, 30_000);
  afterAll(async () => stop(served));

  it('serves every node of the setup; the script does not run', async () => {
    expect(served!.out()).toMatch(/scenario 'small' \(setup only, its script is not run\)/);
    expect(served!.out().match(/listening on/g)).toHaveLength(4);
    expect((await cli(ports[2]!, 'SENTINEL', 'get-master-addr-by-name', 'mymaster')).out).toBe(`127.0.0.1\n${ports[0]}\n`);
    expect((await cli(ports[0]!, 'EXISTS', 'scripted')).out).toBe('0\n');
    await until('the replica to be online', async () => /^master_link_status:up\r?$/m.test((await cli(ports[1]!, 'INFO', 'replication')).out));
  });
});

describe('serve: bad usage and bad input exit 2', () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((res) => {
      execFile(process.execPath, [join(ROOT, 'bin', 'sentinel-sim.js'), 'serve', ...args], { cwd: ROOT, timeout: 40_000 }, (e, out, err) =>
        res({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, out, err }),
      );
    });

  it('as a process: --help, a bad flag, a missing file, a config file Redis would refuse, a port in use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-bad-'));
    writeFileSync(join(dir, 'bad.conf'), 'port 7000\nmaxmemory lots\n');
    const [busyPort] = await freePorts(1);
    const busy = createServer();
    await new Promise<void>((res) => busy.listen(busyPort, '127.0.0.1', () => res()));
    const [help, flag, missing, bad, inUse] = await Promise.all([
      run(['--help']),
      run(['--bogus']),
      run(['--config', join(dir, 'missing.conf')]),
      run(['--config', join(dir, 'bad.conf')]),
      run(['--port', String(busyPort)]),
    ]).finally(() => busy.close());
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: sentinel-sim serve \[options\]/);
    expect(help.out).toContain('--sentinel <file>');
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/sentinel-sim: unknown option '--bogus'/);
    expect(flag.err).toMatch(/--help/);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`sentinel-sim: Fatal error, can't open config file '${join(dir, 'missing.conf')}': No such file or directory\n`);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'maxmemory lots'\nargument must be a memory value");
    expect(bad.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(inUse.code).toBe(2);
    expect(inUse.err).toContain(`Could not create server TCP listening socket 127.0.0.1:${busyPort}: bind: Address already in use`);
    for (const r of [flag, missing, bad, inUse]) expect(r.out).toBe('');
  }, 60_000);

  it('option checks (in-process): values, combinations, directories, a sentinel.conf given as a server', async () => {
    const parse = async (...args: string[]) => {
      const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
      registerServe(program);
      program.commands[0]!.exitOverride().action(() => {});
      try {
        await program.parseAsync(['node', 'sentinel-sim', 'serve', ...args]);
        return null;
      } catch (e) {
        return e as CommanderError;
      }
    };
    expect((await parse('--speed', 'fast'))?.message).toMatch(/--speed must be a number > 0/);
    expect((await parse('--speed', '0'))?.message).toMatch(/--speed must be a number > 0/);
    expect((await parse('--port', '70000'))?.message).toMatch(/--port must be 1\.\.65535/);
    expect(await parse('--speed', '2.5', '--port', '7000')).toBeNull();

    const fail = async (src: Partial<ServeSources>) => {
      try {
        await planServe({ config: [], sentinel: [], ...src });
      } catch (e) {
        return e as Error;
      }
      throw new Error('planServe accepted it');
    };
    expect((await fail({ scenario: join(ROOT, 'scenarios', 'tutorial-failover.ts'), port: 7000 })).message).toMatch(/--scenario cannot be combined/);
    expect((await fail({ config: [join(TUTORIAL, 'redis.conf')], port: 7000 })).message).toMatch(/--port serves a single server without a config file/);
    expect((await fail({ configs: join(tmpdir(), 'no-such-dir-serve') })).message).toMatch(/cannot read directory '.*': No such file or directory/);
    expect((await fail({ configs: mkdtempSync(join(tmpdir(), 'serve-empty-')) })).message).toMatch(/no \*\.conf files/);
    const asServer = await fail({ config: [join(TUTORIAL, 'sentinel1.conf')] });
    expect(asServer).toBeInstanceOf(ScenarioConfigError);
    expect((asServer as ScenarioConfigError).fatal).toContain(">>> 'sentinel monitor TestMaster 127.0.0.1 7003 1'\nsentinel directive while not in sentinel mode");

    // what is served: --configs sorts servers from Sentinels by their `sentinel monitor` line
    const plan = await planServe({ config: [], sentinel: [], configs: TUTORIAL });
    expect(plan.cluster!.nodes.map((n) => `${n.kind} ${n.port}`)).toEqual(['server 7003', 'server 8003', 'sentinel 26371', 'sentinel 26372', 'sentinel 26373']);
    expect((await planServe({ config: [], sentinel: [] })).cluster).toBeNull();
    expect((await planServe({ config: [], sentinel: [], port: 7777 })).port).toBe(7777);
    const scn = await planServe({ config: [], sentinel: [], scenario: join(ROOT, 'scenarios', 'tutorial-failover.ts') });
    expect(scn.scenario).toBe('tutorial-failover');
    expect(scn.cluster!.nodes.map((n) => n.port)).toEqual([7003, 8003, 26371, 26372, 26373]);
  });
});
