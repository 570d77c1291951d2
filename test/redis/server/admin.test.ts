import { describe, expect, it } from 'vitest';
import { js, world } from './client.ts';

const DEBUG = 'port 6379\nsave ""\nenable-debug-command yes\n';

describe('CLIENT', () => {
  it('ID, SETNAME/GETNAME, INFO and LIST in 7.0.15 format', () => {
    const w = world();
    const a = w.client();
    const b = w.client('other');
    expect(js(a.cmd('client', 'id'))).toBe(3);
    expect(js(b.cmd('client', 'id'))).toBe(4);
    expect(js(a.cmd('client', 'getname'))).toBe(null);
    expect(js(a.cmd('client', 'setname', 'bad name'))).toEqual({ err: 'ERR Client names cannot contain spaces, newlines or special characters.' });
    expect(js(a.cmd('client', 'setname', 'app-1'))).toBe('OK');
    expect(js(a.cmd('client', 'getname'))).toBe('app-1');
    const info = js(a.cmd('client', 'info')) as string;
    expect(info).toMatch(
      /^id=3 addr=10\.0\.1\.1:\d+ laddr=10\.0\.0\.1:6379 fd=8 name=app-1 age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=\d+ events=r cmd=client\|info user=default redir=-1 resp=2\n$/,
    );
    const list = (js(a.cmd('client', 'list')) as string).split('\n').filter(Boolean);
    expect(list.length).toBe(2);
    expect(list[1]).toMatch(/^id=4 addr=other:\d+ .* fd=9 name= .* cmd=client\|id /);
    expect(js(a.cmd('client', 'list', 'type', 'nosuch'))).toEqual({ err: "ERR Unknown client type 'nosuch'" });
    expect((js(a.cmd('client', 'list', 'type', 'pubsub')) as string)).toBe('');
    expect((js(a.cmd('client', 'list', 'id', '4')) as string).startsWith('id=4 ')).toBe(true);
  });

  it('KILL: old form (ip:port) and new form (ID, TYPE, ADDR, LADDR, SKIPME, USER)', () => {
    const w = world();
    const a = w.client();
    const b = w.client('h2');
    const c = w.client('h3');
    expect(js(a.cmd('client', 'kill', '1.2.3.4:5'))).toEqual({ err: 'ERR No such client' });
    expect(js(a.cmd('client', 'kill', 'type', 'nosuch'))).toEqual({ err: "ERR Unknown client type 'nosuch'" });
    expect(js(a.cmd('client', 'kill', 'id', '0'))).toEqual({ err: 'ERR client-id should be greater than 0' });
    expect(js(a.cmd('client', 'kill', 'addr', '1.2.3.4:5', 'skipme', 'maybe'))).toEqual({ err: 'ERR syntax error' });
    expect(js(a.cmd('client', 'kill', 'user', 'bob'))).toEqual({ err: "ERR No such user 'bob'" });
    expect(js(a.cmd('client', 'kill', 'id', '99'))).toBe(0);
    const bAddr = /addr=(\S+)/.exec(js(b.cmd('client', 'info')) as string)![1]!;
    expect(js(a.cmd('client', 'kill', bAddr))).toBe('OK');
    b.take(1);
    expect(b.closed).toBe('closed');
    // TYPE normal skips the caller by default
    expect(js(a.cmd('client', 'kill', 'type', 'normal'))).toBe(1);
    c.take(1);
    expect(c.closed).toBe('closed');
    expect(js(a.cmd('client', 'kill', 'type', 'normal', 'skipme', 'no'))).toBe(1);
    a.take(1);
    expect(a.closed).toBe('closed');
  });

  it('idle clients are closed after `timeout` seconds', () => {
    const w = world({ configText: 'port 6379\nsave ""\ntimeout 2\n' });
    const a = w.client();
    const sub = w.client();
    sub.send('subscribe', 'x');
    sub.take(1);
    a.cmd('ping');
    w.sim.sleep(1500);
    expect(a.closed).toBe(null);
    w.sim.sleep(1200);
    expect(a.closed).toBe('closed');
    expect(sub.closed).toBe(null);
  });
});

describe('COMMAND', () => {
  it('COUNT, INFO, DOCS, LIST, GETKEYS', () => {
    const c = world().client();
    const count = js(c.cmd('command', 'count')) as number;
    expect(count).toBeGreaterThan(30);
    expect(js(c.cmd('command', 'info', 'watch'))).toEqual([
      ['watch', -2, ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], 1, -1, 1, ['@fast', '@transaction'], [], expect.any(Array), []],
    ]);
    expect(js(c.cmd('command', 'info', 'nosuch'))).toEqual([null]);
    const cfg = (js(c.cmd('command', 'info', 'config')) as unknown[][])[0]!;
    expect((cfg[9] as unknown[][]).map((s) => s[0])).toEqual(['config|get', 'config|help', 'config|resetstat', 'config|rewrite', 'config|set']);
    expect(js(c.cmd('command', 'info', 'config|get'))).toEqual([
      ['config|get', -3, ['admin', 'noscript', 'loading', 'stale'], 0, 0, 0, ['@admin', '@slow', '@dangerous'], [], [], []],
    ]);
    expect(js(c.cmd('command', 'docs', 'ping'))).toEqual([
      'ping',
      ['summary', 'Ping the server', 'since', '1.0.0', 'group', 'connection', 'complexity', 'O(1)', 'arguments', [['name', 'message', 'type', 'string', 'flags', ['optional']]]],
    ]);
    const list = js(c.cmd('command', 'list')) as string[];
    expect(list).toContain('client|kill');
    expect(js(c.cmd('command', 'list', 'filterby', 'pattern', 'pubsub*'))).toEqual([
      'pubsub',
      'pubsub|channels',
      'pubsub|help',
      'pubsub|numpat',
      'pubsub|numsub',
      'pubsub|shardchannels',
      'pubsub|shardnumsub',
    ]);
    expect(js(c.cmd('command', 'getkeys', 'watch', 'a', 'b'))).toEqual(['a', 'b']);
    expect(js(c.cmd('command', 'nosuch'))).toEqual({ err: "ERR unknown subcommand 'nosuch'. Try COMMAND HELP." });
  });
});

describe('server commands', () => {
  it('TIME and LASTSAVE follow the host clock', () => {
    const w = world();
    const c = w.client();
    w.sim.sleep(2500);
    const [s, us] = js(c.cmd('time')) as string[];
    const wall = w.sim.host('srv').wallUs(w.sim.now);
    expect(Number(s)).toBe(Math.floor(wall / 1e6));
    expect(Number(us)).toBeLessThan(1e6);
    expect(js(c.cmd('lastsave'))).toBe(Math.floor(w.sim.epochMs / 1000));
  });

  it('DEBUG SLEEP stalls the whole server for that virtual time', () => {
    const w = world({ configText: DEBUG });
    const a = w.client();
    const b = w.client();
    const t0 = w.sim.now;
    a.send('debug', 'sleep', '0.5');
    w.sim.sleep(10);
    b.send('ping');
    const [r] = b.take(1);
    expect(js(r!)).toBe('PONG');
    expect((w.sim.now - t0) / 1000).toBeGreaterThanOrEqual(500);
    expect(js(a.take(1)[0]!)).toBe('OK');
    expect(js(a.cmd('debug', 'nosuch'))).toEqual({ err: "ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP." });
  });

  it('DEBUG SET-ACTIVE-EXPIRE and DEBUG DIGEST', () => {
    const w = world({ configText: DEBUG });
    const c = w.client();
    expect(js(c.cmd('debug', 'digest'))).toBe('0'.repeat(40));
    c.cmd('rpush', 'l', 'a', 'b');
    const d1 = js(c.cmd('debug', 'digest')) as string;
    expect(d1).toMatch(/^[0-9a-f]{40}$/);
    expect(d1).not.toBe('0'.repeat(40));
    // same value as a real 7.0.15 for the same dataset
    c.cmd('hset', 'h', 'f', 'v', 'g', 'w');
    c.cmd('sadd', 's', 'x', 'y');
    c.cmd('zadd', 'z', '1.5', 'm', '3', 'n');
    c.cmd('rpush', 'l', 'c');
    c.cmd('select', '3');
    c.cmd('rpush', 'l2', 'q');
    c.cmd('select', '0');
    expect(js(c.cmd('debug', 'digest'))).toBe('d2a47add93bdbd48efdb55d2333192fb24eb8de3');
    w.server().ks.db(0).setExpire('l', w.server().mstime() + 100_000);
    expect(js(c.cmd('debug', 'digest'))).toBe('375e0677a1cfe47a0dbb0e79387d7783c3a84cc3');
    w.server().ks.db(0).persist('l');
    expect(js(c.cmd('debug', 'set-active-expire', '0'))).toBe('OK');
    expect(w.server().activeExpireEnabled).toBe(false);
    w.server().ks.db(0).setExpire('l', w.server().mstime() + 10);
    w.sim.sleep(500);
    expect(w.server().ks.db(0).dict.has('l')).toBe(true);
    c.cmd('debug', 'set-active-expire', '1');
    w.sim.sleep(500);
    expect(w.server().ks.db(0).dict.has('l')).toBe(false);
  });

  it('DEBUG SEGFAULT crashes the process with a bug report', () => {
    const w = world({ configText: DEBUG });
    const c = w.client();
    c.send('debug', 'segfault');
    c.take(1);
    expect(c.closed).toBe('reset');
    expect(w.logs()).toContain('Redis 7.0.15 crashed by signal: 11, si_code: 2');
    expect(w.sim.proc(w.name).state).toBe('stopped');
  });
});
