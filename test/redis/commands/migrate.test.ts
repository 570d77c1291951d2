// MIGRATE between two simulated servers (cluster.c migrateCommand): errors, NOKEY, COPY / REPLACE, AUTH,
// KEYS, the target's errors, DEL propagation, the cached socket (SELECT once per db, closed after 10 s
// idle), time-outs and a server blocked while it waits.
import { describe, expect, it } from 'vitest';
import { migrateGetKeys } from '../../../engine/redis/commands/migrate.ts';
import { js, ReplWorld } from '../replication/world.ts';

function pair(targetConf = '', sourceConf = '') {
  const w = new ReplWorld();
  const a = w.server('a', '10.0.0.1', 7001, sourceConf);
  const b = w.server('b', '10.0.0.2', 7002, targetConf);
  w.start('a', 'b');
  w.run(100);
  return { w, a, b, ca: w.client(a), cb: w.client(b) };
}

const targetClients = (cb: { q: (...a: string[]) => unknown }) =>
  (cb.q('client', 'list') as string).split('\n').filter((l) => l.includes('10.0.0.1:'));

describe('MIGRATE: argument errors and NOKEY (migrateCommand order)', () => {
  it('answers as Redis 7.0.15 does', () => {
    const { ca } = pair();
    ca.q('set', 'k', 'v');
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', '0', '1000', 'bogus')).toEqual({ err: 'ERR syntax error' });
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', '0', '1000', 'auth')).toEqual({ err: 'ERR syntax error' });
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', '0', '1000', 'auth2', 'u')).toEqual({ err: 'ERR syntax error' });
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', '0', '1000', 'keys', 'k')).toEqual({
      err: 'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string',
    });
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', 'x', '1000')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', '0', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(ca.q('migrate', '10.0.0.2', '7002', 'nokey', '0', '1000')).toBe('NOKEY');
    expect(ca.q('migrate', '10.0.0.2', '7002', '', '0', '1000', 'keys', 'n1', 'n2')).toBe('NOKEY');
    expect(ca.q('migrate', '10.0.0.2', '7002')).toEqual({ err: "ERR wrong number of arguments for 'migrate' command" });
  });

  it('inside MULTI/EXEC the simulator cannot wait on a socket: IOERR and the keys stay (a known difference)', () => {
    const { ca, cb } = pair();
    ca.q('set', 'k', 'v');
    ca.q('multi');
    ca.q('migrate', '10.0.0.2', '7002', 'k', '0', '1000');
    expect(ca.q('exec')).toEqual([{ err: 'IOERR error or timeout connecting to the client' }]);
    expect(ca.q('get', 'k')).toBe('v');
    expect(cb.q('exists', 'k')).toBe(0);
  });

  it('COMMAND GETKEYS follows migrateGetKeys', () => {
    expect(migrateGetKeys(['migrate', 'h', '1', 'k', '0', '0'])).toEqual([3]);
    expect(migrateGetKeys(['migrate', 'h', '1', '', '0', '0', 'auth2', 'keys', 'keys', 'keys', 'a', 'b'])).toEqual([10, 11]);
    expect(migrateGetKeys(['migrate', 'h', '1', 'x', '0', '0', 'keys', 'a'])).toEqual([]);
    const { ca } = pair();
    expect(ca.q('command', 'getkeys', 'migrate', 'h', '1', '', '0', '0', 'copy', 'keys', 'a', 'b')).toEqual(['a', 'b']);
    expect((ca.q('command', 'info', 'migrate') as unknown[][])[0]![2]).toContain('movablekeys');
  });
});

describe('MIGRATE: moving keys', () => {
  it('moves a key with its TTL, deletes it here and propagates DEL', () => {
    const { ca, cb, a } = pair();
    ca.q('set', 'k', 'v');
    ca.q('pexpire', 'k', '100000');
    const propagated: string[][] = [];
    a.server().onPropagate((_db, argv) => propagated.push(argv));
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', '3', '1000')).toBe('OK');
    expect(ca.q('exists', 'k')).toBe(0);
    cb.q('select', '3');
    expect(cb.q('get', 'k')).toBe('v');
    const pttl = cb.q('pttl', 'k') as number;
    expect(pttl).toBeGreaterThan(99000);
    expect(pttl).toBeLessThanOrEqual(100000);
    expect(propagated).toContainEqual(['DEL', 'k']);
  });

  it('COPY keeps the key; an existing key is BUSYKEY unless REPLACE', () => {
    const { ca, cb } = pair();
    ca.q('rpush', 'l', 'a', 'b');
    cb.q('set', 'l', 'old');
    expect(ca.q('migrate', '10.0.0.2', '7002', 'l', '0', '1000', 'copy')).toEqual({
      err: 'ERR Target instance replied with error: BUSYKEY Target key name already exists.',
    });
    expect(ca.q('llen', 'l')).toBe(2);
    expect(ca.q('migrate', '10.0.0.2', '7002', 'l', '0', '1000', 'copy', 'replace')).toBe('OK');
    expect(ca.q('llen', 'l')).toBe(2);
    expect(cb.q('lrange', 'l', '0', '-1')).toEqual(['a', 'b']);
  });

  it('KEYS: moves what exists; keys the target refuses stay', () => {
    const { ca, cb } = pair();
    ca.q('mset', 'k1', '1', 'k2', '2', 'k3', '3');
    cb.q('set', 'k2', 'there');
    expect(ca.q('migrate', '10.0.0.2', '7002', '', '0', '1000', 'keys', 'k1', 'missing', 'k2', 'k3')).toEqual({
      err: 'ERR Target instance replied with error: BUSYKEY Target key name already exists.',
    });
    expect(ca.q('exists', 'k1', 'k2', 'k3')).toBe(1);
    expect(cb.q('mget', 'k1', 'k2', 'k3')).toEqual(['1', 'there', '3']);
  });

  it('AUTH and AUTH2: the target checks them; a wrong password fails every key', () => {
    const { ca, cb } = pair('requirepass secret\n');
    ca.q('set', 'k', 'v');
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', '0', '1000')).toEqual({
      err: 'ERR Target instance replied with error: NOAUTH Authentication required.',
    });
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', '0', '1000', 'auth', 'nope')).toEqual({
      err: 'ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.',
    });
    expect(ca.q('exists', 'k')).toBe(1);
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', '0', '1000', 'auth2', 'default', 'secret')).toBe('OK');
    expect(ca.q('exists', 'k')).toBe(0);
    cb.q('auth', 'secret');
    expect(cb.q('get', 'k')).toBe('v');
  });
});

describe('MIGRATE: the cached socket', () => {
  it('reuses one connection, SELECTs only when the db changes, closes it after 10 s idle', () => {
    const { w, ca, cb } = pair();
    const mon = w.client(w.nodes.get('b')!);
    expect(mon.q('monitor')).toBe('OK');
    ca.q('mset', 'a', '1', 'b', '2', 'c', '3');
    expect(ca.q('migrate', '10.0.0.2', '7002', 'a', '0', '1000')).toBe('OK');
    expect(ca.q('migrate', '10.0.0.2', '7002', 'b', '0', '1000')).toBe('OK');
    expect(ca.q('migrate', '10.0.0.2', '7002', 'c', '5', '1000')).toBe('OK');
    w.run(50);
    const fed = mon.inbox.splice(0).map((r) => js(r) as string).map((l) => l.replace(/^[\d.]+ \[\d+ [^\]]+\] /, ''));
    expect(fed.map((l) => l.split(' ')[0])).toEqual(['"SELECT"', '"RESTORE"', '"RESTORE"', '"SELECT"', '"RESTORE"']);
    expect(targetClients(cb)).toHaveLength(1);
    expect(js(ca.cmd('info', 'stats')) as string).toMatch(/\r\nmigrate_cached_sockets:1\r\n/);
    w.run(12_000);
    expect(targetClients(cb)).toHaveLength(0);
    expect(js(ca.cmd('info', 'stats')) as string).toMatch(/\r\nmigrate_cached_sockets:0\r\n/);
  });

  it('a target that went away: reconnects once; a dead target: IOERR writing', () => {
    const { w, ca, cb } = pair();
    ca.q('mset', 'a', '1', 'b', '2');
    expect(ca.q('migrate', '10.0.0.2', '7002', 'a', '0', '1000')).toBe('OK');
    // the target kills the cached connection: the next MIGRATE retries on a fresh socket
    const line = targetClients(cb)[0]!;
    const addr = /addr=(\S+)/.exec(line)![1]!;
    expect(cb.q('client', 'kill', addr)).toBe('OK');
    w.run(10);
    expect(ca.q('migrate', '10.0.0.2', '7002', 'b', '0', '1000')).toBe('OK');
    expect(cb.q('get', 'b')).toBe('2');
    ca.q('set', 'c', '3');
    w.sim.kill('10.0.0.2:7002');
    w.run(10);
    // connBlockingConnect of 7.0.15 reports a refused connect as connected: the write fails (and its retry)
    expect(ca.q('migrate', '10.0.0.2', '7002', 'c', '0', '1000')).toEqual({ err: 'IOERR error or timeout writing to target instance' });
    // a name that does not resolve (the simulation has no DNS) fails the connect itself
    expect(ca.q('migrate', 'nohost.example', '7002', 'c', '0', '200')).toEqual({ err: 'IOERR error or timeout connecting to the client' });
    expect(ca.q('get', 'c')).toBe('3');
  });

  it('an unreachable target: the connect and the write each wait the time-out, then IOERR writing', () => {
    const { w, ca } = pair();
    ca.q('set', 'k', 'v');
    w.sim.partition([['a', 'cli'], ['b']]);
    const t0 = w.sim.now;
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', '0', '300')).toEqual({ err: 'IOERR error or timeout writing to target instance' });
    const waited = (w.sim.now - t0) / 1000;
    expect(waited).toBeGreaterThanOrEqual(600);
    expect(waited).toBeLessThan(700);
    expect(ca.q('get', 'k')).toBe('v');
  });

  it('a target that does not answer: IOERR reading after the time-out; the source is blocked meanwhile', () => {
    const { w, a, ca } = pair();
    ca.q('mset', 'a', '1', 'b', '2');
    expect(ca.q('migrate', '10.0.0.2', '7002', 'a', '0', '1000')).toBe('OK');
    w.sim.pause('10.0.0.2:7002'); // SIGSTOP: the connection stays, nothing answers
    const other = w.client(a);
    const t0 = w.sim.now;
    ca.send('migrate', '10.0.0.2', '7002', 'b', '0', '300');
    w.run(5);
    other.send('ping');
    const [r] = ca.take(1);
    expect(js(r!)).toEqual({ err: 'IOERR error or timeout reading to target instance' });
    expect((w.sim.now - t0) / 1000).toBeGreaterThanOrEqual(300);
    expect(other.inbox).toHaveLength(0); // PING waited for MIGRATE
    expect(js(other.take(1)[0]!)).toBe('PONG');
    expect(ca.q('get', 'b')).toBe('2');
  });

  it('the slow log, the latency monitor and commandstats see the time MIGRATE held the server', () => {
    const { w, ca } = pair();
    ca.q('config', 'set', 'slowlog-log-slower-than', '100000');
    ca.q('config', 'set', 'latency-monitor-threshold', '100');
    ca.q('set', 'k', 'v');
    const before = Number(/total_commands_processed:(\d+)/.exec(js(ca.cmd('info', 'stats')) as string)![1]);
    w.sim.pause('10.0.0.2:7002');
    expect(ca.q('migrate', '10.0.0.2', '7002', 'k', '0', '300')).toEqual({ err: 'IOERR error or timeout reading to target instance' });
    const after = Number(/total_commands_processed:(\d+)/.exec(js(ca.cmd('info', 'stats')) as string)![1]);
    expect(after - before).toBe(2); // MIGRATE and the first INFO
    const [entry] = ca.q('slowlog', 'get', '1') as unknown[][];
    expect(entry![3]).toEqual(['migrate', '10.0.0.2', '7002', 'k', '0', '300']);
    expect(entry![2] as number).toBeGreaterThanOrEqual(300_000);
    expect((ca.q('latency', 'latest') as unknown[][]).map((e) => e[0])).toContain('command');
    expect(js(ca.cmd('info', 'commandstats')) as string).toMatch(/cmdstat_migrate:calls=1,usec=3\d{5},usec_per_call=3\d{5}\.\d\d,rejected_calls=0,failed_calls=1/);
  });
});
