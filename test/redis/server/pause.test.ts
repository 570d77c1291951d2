// CLIENT PAUSE / UNPAUSE (networking.c pauseClients, server.c processCommand BLOCKED_POSTPONE), the
// cases of Redis 7.0.15's tests/unit/pause.tcl and what INFO / CLIENT LIST show meanwhile.
import { describe, expect, it } from 'vitest';
import { js, world } from './client.ts';
import { linkUp, ReplWorld } from '../replication/world.ts';

const blocked = (w: ReturnType<typeof world>) => w.server().blocks.count;

describe('CLIENT PAUSE: arguments', () => {
  it('answers the errors of 7.0.15 (mode before timeout)', () => {
    const c = world().client();
    expect(c.q('client', 'pause', '100', 'read')).toEqual({ err: 'ERR CLIENT PAUSE mode must be WRITE or ALL' });
    expect(c.q('client', 'pause', 'x', 'foo')).toEqual({ err: 'ERR CLIENT PAUSE mode must be WRITE or ALL' });
    expect(c.q('client', 'pause', 'x')).toEqual({ err: 'ERR timeout is not an integer or out of range' });
    expect(c.q('client', 'pause', '-1')).toEqual({ err: 'ERR timeout is negative' });
    expect(c.q('client', 'pause', '1', 'write', 'x')).toEqual({
      err: "ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.",
    });
    expect(c.q('client', 'unpause', 'x')).toEqual({ err: "ERR wrong number of arguments for 'client|unpause' command" });
    // CLIENT PAUSE 0: a pause that is already over
    expect(c.q('client', 'pause', '0')).toBe('OK');
    expect(c.q('set', 'a', '1')).toBe('OK');
  });
});

describe('CLIENT PAUSE WRITE', () => {
  it('does not block reads, PING, INFO', () => {
    const w = world();
    const c = w.client();
    c.q('client', 'pause', '100000', 'write');
    const r = w.client();
    expect(r.q('get', 'foo')).toBeNull();
    expect(r.q('ping')).toBe('PONG');
    expect(typeof r.q('info')).toBe('string');
    expect(blocked(w)).toBe(0);
  });

  it('postpones writes until UNPAUSE; INFO and CLIENT LIST show the blocked client', () => {
    const w = world();
    const c = w.client();
    c.q('client', 'pause', '60000', 'write');
    const d = w.client();
    d.send('set', 'foo', 'bar');
    w.sim.sleep(50);
    expect(d.inbox).toHaveLength(0);
    expect(blocked(w)).toBe(1);
    expect(js(c.cmd('info', 'clients'))).toContain('blocked_clients:1\r\n');
    const line = (js(c.cmd('client', 'list')) as string).split('\n').find((l) => l.includes('cmd=set'))!;
    // as 7.0.15 shows it: blocked, the argv kept (set foo bar: 9 bytes), the query buffer consumed
    expect(line).toContain(' flags=b ');
    expect(line).toContain(' qbuf=0 qbuf-free=20474 argv-mem=9 ');
    expect(c.q('client', 'unpause')).toBe('OK');
    expect(js(d.take(1)[0]!)).toBe('OK');
    expect(blocked(w)).toBe(0);
  });

  it('postpones may-replicate commands: PFCOUNT and PUBLISH', () => {
    const w = world();
    const c = w.client();
    c.q('pfadd', 'pause-hll', 'test');
    c.q('client', 'pause', '100000', 'write');
    const a = w.client();
    const b = w.client();
    a.send('pfcount', 'pause-hll');
    b.send('publish', 'foo', 'bar');
    w.sim.sleep(50);
    expect(blocked(w)).toBe(2);
    c.q('client', 'unpause');
    expect(js(a.take(1)[0]!)).toBe(1);
    expect(js(b.take(1)[0]!)).toBe(0);
  });

  it('lets read/admin transactions through, postpones the EXEC of a write transaction', () => {
    const w = world();
    const c = w.client();
    c.q('set', 'FOO', 'BAR');
    c.q('client', 'pause', '100000', 'write');
    const rr = w.client();
    rr.send('multi');
    rr.send('ping');
    rr.send('get', 'FOO');
    rr.send('exec');
    expect(rr.take(4).map(js)).toEqual(['OK', 'QUEUED', 'QUEUED', ['PONG', 'BAR']]);
    c.q('client', 'unpause');
    const d = w.client();
    d.send('multi');
    d.send('set', 'FOO', 'BAZ');
    expect(d.take(2).map(js)).toEqual(['OK', 'QUEUED']);
    c.q('client', 'pause', '60000', 'write');
    d.send('exec');
    w.sim.sleep(50);
    expect(blocked(w)).toBe(1);
    c.q('client', 'unpause');
    expect(js(d.take(1)[0]!)).toEqual(['OK']);
  });

  it('postpones scripts unless they declare no-writes (EVAL, EVAL_RO, EVALSHA, FCALL), also inside MULTI', () => {
    const w = world();
    const c = w.client();
    c.q('set', 'x', 'y');
    c.q('function', 'load', "#!lua name=f1\nredis.register_function{function_name='f1', callback=function() return 'hello' end, flags={'no-writes'}}");
    c.q('client', 'pause', '6000000', 'write');
    const a = w.client();
    const b = w.client();
    a.send('eval', 'return 1', '0');
    b.send('eval', '#!lua\nreturn 1', '0');
    w.sim.sleep(50);
    expect(blocked(w)).toBe(2);
    const rr = w.client();
    expect(rr.q('eval', "#!lua flags=no-writes\nreturn 'unique script'", '0')).toBe('unique script');
    expect(rr.q('eval', "#!lua flags=no-writes\nreturn 'unique script'", '0')).toBe('unique script');
    expect(rr.q('eval_ro', "return redis.call('GeT', 'x')..' unique script'", '1', 'x')).toBe('y unique script');
    const sha = rr.q('script', 'load', '#!lua flags=no-writes\nreturn 2') as string;
    expect(rr.q('evalsha', sha, '0')).toBe(2);
    expect(rr.q('fcall', 'f1', '0')).toBe('hello');
    rr.send('multi');
    rr.send('eval', '#!lua flags=no-writes\nreturn 12', '0');
    rr.send('eval', '#!lua flags=no-writes\nreturn 13', '0');
    rr.send('exec');
    expect(rr.take(4).map(js)).toEqual(['OK', 'QUEUED', 'QUEUED', [12, 13]]);
    expect(blocked(w)).toBe(2);
    c.q('client', 'unpause');
    expect(js(a.take(1)[0]!)).toBe(1);
    expect(js(b.take(1)[0]!)).toBe(1);
  });

  it('resumes several paused clients in the order they were paused; syntax errors answer at once', () => {
    const w = world();
    const c = w.client();
    c.q('client', 'pause', '60000', 'write');
    expect(c.q('set', 'FOO')).toEqual({ err: "ERR wrong number of arguments for 'set' command" });
    const cs = [w.client(), w.client(), w.client()];
    cs.forEach((x, i) => {
      x.send('append', 'order', String(i));
      w.sim.sleep(1);
    });
    w.sim.sleep(50);
    expect(blocked(w)).toBe(3);
    c.q('client', 'unpause');
    for (const x of cs) x.take(1);
    expect(c.q('get', 'order')).toBe('012');
  });

  it('skips active and lazy expiry while paused, expires after', () => {
    const w = world();
    const c = w.client();
    const expired = () => Number(/expired_keys:(\d+)/.exec(js(c.cmd('info', 'stats')) as string)![1]);
    const before = expired();
    c.send('multi');
    c.send('set', 'foo', 'bar', 'px', '10');
    c.send('set', 'bar', 'foo', 'px', '10');
    c.send('client', 'pause', '50000', 'write');
    c.send('exec');
    c.take(5);
    w.sim.sleep(1000);
    expect(c.q('get', 'foo')).toBeNull();
    expect(c.q('get', 'bar')).toBeNull();
    expect(expired()).toBe(before);
    expect(w.server().ks.dbs[0]!.size).toBe(2);
    c.q('client', 'unpause');
    c.q('get', 'foo');
    c.q('get', 'bar');
    expect(expired()).toBe(before + 2);
  });

  it('starts at the end of the transaction that paused', () => {
    const w = world();
    const c = w.client();
    c.send('multi');
    c.send('set', 'FOO1', 'BAR');
    c.send('client', 'pause', '60000', 'write');
    c.send('set', 'FOO2', 'BAR');
    c.send('exec');
    c.take(5);
    const d = w.client();
    d.send('set', 'FOO3', 'BAR');
    w.sim.sleep(50);
    expect(blocked(w)).toBe(1);
    expect(c.q('get', 'FOO1')).toBe('BAR');
    expect(c.q('get', 'FOO2')).toBe('BAR');
    expect(c.q('get', 'FOO3')).toBeNull();
    c.q('client', 'unpause');
    expect(js(d.take(1)[0]!)).toBe('OK');
  });

  it('ends by itself at its timeout (checked by serverCron)', () => {
    const w = world();
    const c = w.client();
    c.q('client', 'pause', '300', 'write');
    const d = w.client();
    const t0 = w.sim.now;
    d.send('set', 'a', '1');
    expect(js(d.take(1, '2s')[0]!)).toBe('OK');
    const ms = (w.sim.now - t0) / 1000;
    expect(ms).toBeGreaterThanOrEqual(299);
    expect(ms).toBeLessThan(420);
  });
});

describe('CLIENT PAUSE ALL and the most restrictive pause', () => {
  it('ALL postpones every command; a later WRITE pause keeps ALL until UNPAUSE', () => {
    const w = world();
    const c = w.client();
    c.q('client', 'pause', '60000', 'all');
    c.send('client', 'pause', '60000', 'write');
    const d = w.client();
    d.send('get', 'x');
    w.sim.sleep(50);
    expect(c.inbox).toHaveLength(0);
    expect(d.inbox).toHaveLength(0);
    expect(w.server().pause.type).toBe('all');
    // only a client outside the pause could unpause it: expire it instead
    w.sim.sleep(61_000);
    expect(js(c.take(1)[0]!)).toBe('OK');
    expect(js(d.take(1)[0]!)).toBeNull();
  });

  it('CLIENT UNBLOCK ... ERROR releases a paused client (re-processed); TIMEOUT leaves it', () => {
    const w = world();
    const c = w.client();
    c.q('client', 'pause', '60000', 'write');
    const d = w.client();
    const id = d.q('client', 'id') as number;
    d.send('set', 'k', 'v');
    w.sim.sleep(50);
    expect(c.q('client', 'unblock', String(id))).toBe(0);
    expect(c.q('client', 'unblock', String(id), 'error')).toBe(1);
    expect(js(d.take(1)[0]!)).toEqual({ err: 'UNBLOCKED client unblocked via CLIENT UNBLOCK' });
    // the command was not consumed: it is postponed again
    w.sim.sleep(50);
    expect(blocked(w)).toBe(1);
    c.q('client', 'unpause');
    expect(js(d.take(1)[0]!)).toBe('OK');
  });
});

describe('CLIENT PAUSE on a replica', () => {
  it('reads the stream on but applies nothing: slave_read_repl_offset moves, slave_repl_offset waits', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'repl-ping-replica-period 3600\n');
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.until(() => linkUp(r), '10s');
    w.run(1100);
    const mc = w.client(m);
    const rc = w.client(r);
    mc.q('set', 'foo', 'bar');
    const old = m.info().master_repl_offset!;
    w.until(() => r.info().slave_repl_offset === old, '5s');
    expect(rc.q('client', 'pause', '100000', 'write')).toBe('OK');
    mc.q('set', 'foo2', 'bar2');
    const now = m.info().master_repl_offset!;
    w.until(() => r.info().slave_read_repl_offset === now, '5s');
    expect(r.info().slave_repl_offset).toBe(old);
    expect(rc.q('get', 'foo2')).toBeNull();
    expect(rc.q('client', 'unpause')).toBe('OK');
    w.until(() => r.info().slave_repl_offset === now, '5s');
    expect(rc.q('get', 'foo2')).toBe('bar2');
  });
});
