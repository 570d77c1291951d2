// Operators' commands of Redis 7.0.15 on a simulated server (issue 16 item 6): MONITOR, SLOWLOG,
// LATENCY, CLUSTER / READONLY / ASKING, MODULE, LOLWUT, COMMAND GETKEYSANDFLAGS, sharded Pub/Sub.
// Texts were taken from redis-server 7.0.15 (see test/gateway/wire-hostile.test.ts for the wire).
import { describe, expect, it } from 'vitest';
import { js, world } from '../server/client.ts';

const DEBUG = 'port 6379\nsave ""\nenable-debug-command yes\n';

describe('MONITOR', () => {
  it('feeds commands with the virtual time, MULTI/EXEC, scripts as lua, redacted AUTH, no admin commands', () => {
    const w = world({ configText: DEBUG });
    const m = w.client('mon');
    const a = w.client();
    expect(js(m.cmd('monitor'))).toBe('OK');
    a.cmd('set', 'a', '1');
    a.cmd('auth', 'u', 'p');
    a.cmd('multi');
    a.cmd('incr', 'a');
    a.cmd('exec');
    a.cmd('eval', "return redis.call('get','a')", '0');
    a.cmd('config', 'set', 'maxmemory', '0');
    a.cmd('select', '2');
    a.cmd('echo', 'x\n"\xff');
    const lines = m.take(9).map((r) => js(r) as string);
    for (const l of lines) expect(l).toMatch(/^\d{10}\.\d{6} \[\d (lua|10\.0\.1\.1:\d+)\] /);
    const strip = lines.map((l) => l.replace(/^\S+ \[(\d) (lua|\S+)\]/, (_, db, who) => `[${db} ${who === 'lua' ? 'lua' : 'c'}]`));
    expect(strip).toEqual([
      '[0 c] "set" "a" "1"',
      '[0 c] "auth" "(redacted)" "(redacted)"',
      '[0 c] "multi"',
      '[0 c] "incr" "a"',
      '[0 c] "exec"',
      '[0 c] "eval" "return redis.call(\'get\',\'a\')" "0"',
      '[0 lua] "get" "a"',
      '[2 c] "select" "2"',
      '[2 c] "echo" "x\\n\\"\\xff"',
    ]);
    // a monitor is a replica-like client: the keyspace is off limits, RESET makes it normal again
    expect(js(m.cmd('get', 'a'))).toEqual({ err: "ERR Replica can't interact with the keyspace" });
    expect(js(m.cmd('reset'))).toBe('RESET');
    expect(js(m.cmd('get', 'a'))).toBe('2');
  });
});

describe('SLOWLOG', () => {
  it('logs by virtual duration: DEBUG SLEEP is slow, everything else takes 0 µs', () => {
    const w = world({ configText: DEBUG });
    const a = w.client();
    expect(js(a.cmd('slowlog', 'len'))).toBe(0);
    a.cmd('client', 'setname', 'foobar');
    a.cmd('debug', 'sleep', '0.2');
    a.cmd('ping');
    const e = js(a.cmd('slowlog', 'get')) as unknown[][];
    expect(e.length).toBe(1);
    expect(e[0]![0]).toBe(0);
    expect(e[0]![2]).toBe(200000);
    expect(e[0]![3]).toEqual(['debug', 'sleep', '0.2']);
    expect(e[0]![5]).toBe('foobar');
    a.cmd('config', 'set', 'slowlog-log-slower-than', '0');
    a.cmd('config', 'set', 'slowlog-max-len', '10');
    for (let i = 0; i < 20; i++) a.cmd('ping');
    expect(js(a.cmd('slowlog', 'len'))).toBe(10);
    expect((js(a.cmd('slowlog', 'get', '5')) as unknown[]).length).toBe(5);
    expect(js(a.cmd('slowlog', 'get', '-2'))).toEqual({ err: 'ERR count should be greater than or equal to -1' });
    a.cmd('slowlog', 'reset');
    a.cmd('set', 'k', 'x'.repeat(200));
    a.cmd('auth', 'secret');
    a.cmd('config', 'set', 'slowlog-log-slower-than', '-1');
    const l = js(a.cmd('slowlog', 'get')) as unknown[][];
    // the CONFIG SET that disables the log is not logged itself
    expect(l.map((x) => x[3])).toEqual([
      ['auth', '(redacted)'],
      ['set', 'k', `${'x'.repeat(128)}... (72 more bytes)`],
      ['slowlog', 'reset'],
    ]);
  });
});

describe('LATENCY', () => {
  it('events, history, reset and the histogram of virtual durations', () => {
    const w = world({ configText: DEBUG });
    const a = w.client();
    expect((js(a.cmd('latency', 'doctor')) as string).startsWith("I'm sorry, Dave, I can't do that.")).toBe(true);
    a.cmd('config', 'set', 'latency-monitor-threshold', '100');
    a.cmd('debug', 'sleep', '0.25');
    const latest = js(a.cmd('latency', 'latest')) as unknown[][];
    expect(latest.length).toBe(1);
    expect(latest[0]![0]).toBe('command');
    expect(latest[0]![2]).toBe(250);
    expect(latest[0]![3]).toBe(250);
    expect((js(a.cmd('latency', 'history', 'command')) as unknown[]).length).toBe(1);
    expect(js(a.cmd('latency', 'graph', 'nosuch'))).toEqual({ err: "ERR No samples available for event 'nosuch'" });
    expect(js(a.cmd('latency', 'graph', 'command'))).toMatch(/^command - high 250 ms, low 250 ms \(all time high 250 ms\)\n-{80}\n/);
    expect(js(a.cmd('latency', 'doctor'))).toMatch(/^Dave, I have observed latency spikes.*\n\n1\. command: 1 latency spikes \(average 250ms, mean deviation 0ms, period 1\.00 sec\)\. Worst all time event 250ms\./s);
    expect(js(a.cmd('latency', 'reset', 'nosuch', 'COMMAND'))).toBe(1);
    a.cmd('ping');
    a.cmd('ping');
    expect(js(a.cmd('latency', 'histogram', 'ping', 'nosuch'))).toEqual(['ping', ['calls', 2, 'histogram_usec', [1, 2]]]);
    const info = js(a.cmd('info', 'latencystats')) as string;
    expect(info).toContain('latency_percentiles_usec_ping:p50=0.001,p99=0.001,p99.9=0.001');
    expect(info).toContain('latency_percentiles_usec_debug:p50=250609.663,p99=250609.663,p99.9=250609.663');
  });
});

describe('cluster, modules, LOLWUT, GETKEYSANDFLAGS', () => {
  it('answers like a redis-server 7.0.15 without cluster support and without modules', () => {
    const w = world();
    const a = w.client();
    for (const argv of [['cluster', 'info'], ['cluster', 'help'], ['readonly'], ['readwrite'], ['asking']])
      expect(js(a.cmd(...argv))).toEqual({ err: 'ERR This instance has cluster support disabled' });
    expect(js(a.cmd('cluster', 'foo'))).toEqual({ err: "ERR unknown subcommand 'foo'. Try CLUSTER HELP." });
    expect(js(a.cmd('module', 'list'))).toEqual([]);
    expect(js(a.cmd('module', 'load', '/x.so'))).toEqual({
      err: 'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
    });
    const w2 = world({ configText: 'port 6379\nsave ""\nenable-module-command yes\n' });
    const b = w2.client();
    expect(js(b.cmd('module', 'load', '/x.so'))).toEqual({ err: 'ERR Error loading the extension. Please check the server logs.' });
    expect(w2.logs().some((l) => l.includes('Module /x.so failed to load: /x.so: cannot open shared object file: No such file or directory'))).toBe(true);
    expect(js(b.cmd('module', 'unload', 'x'))).toEqual({ err: 'ERR Error unloading module: no such module with that name' });
    expect(js(a.cmd('lolwut'))).toBe('Redis ver. 7.0.15\n');
    expect(js(a.cmd('lolwut', 'version', 'x'))).toEqual({ err: 'ERR value is not an integer or out of range' });
    // Schotter with 2 rows of squares uses no randomness: the same art as redis-server's
    expect(js(a.cmd('lolwut', 'version', '5', '1', '1', '1'))).toBe('⠋\n\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n'.replace('⠋', '\xe2\xa0\x8b'));
    expect(js(a.cmd('command', 'getkeysandflags', 'spublish', 'a', 'b'))).toEqual({ err: 'ERR The command has no key arguments' });
    expect(js(a.cmd('command', 'getkeysandflags', 'memory', 'usage', 'k'))).toEqual([['k', ['RO']]]);
    expect(js(a.cmd('command', 'getkeysandflags', 'nosuch', 'a'))).toEqual({ err: 'ERR Invalid command specified' });
    // tests/unit/introspection-2.tcl
    expect(js(a.cmd('command', 'getkeysandflags', 'set', 'k1', 'v1'))).toEqual([['k1', ['OW', 'update']]]);
    expect(js(a.cmd('command', 'getkeysandflags', 'mset', 'k1', 'v1', 'k2', 'v2'))).toEqual([['k1', ['OW', 'update']], ['k2', ['OW', 'update']]]);
    expect(js(a.cmd('command', 'getkeysandflags', 'LMOVE', 'k1', 'k2', 'left', 'right'))).toEqual([['k1', ['RW', 'access', 'delete']], ['k2', ['RW', 'insert']]]);
    expect(js(a.cmd('command', 'getkeysandflags', 'sort', 'k1', 'store', 'k2'))).toEqual([['k1', ['RO', 'access']], ['k2', ['OW', 'update']]]);
    const many = Array.from({ length: 260 }, (_, i) => `key${i + 1}`);
    expect(js(a.cmd('command', 'getkeys', 'ZUNIONSTORE', 'target', '260', ...many))).toEqual(['target', ...many]);
    expect(js(a.cmd('command', 'getkeys', 'memory', 'usage', 'key'))).toEqual(['key']);
  });
});

describe('sharded Pub/Sub', () => {
  it('SSUBSCRIBE counts shard channels only, SPUBLISH reaches them, PUBSUB SHARD* see them', () => {
    const w = world();
    const sub = w.client('sub');
    const pub = w.client();
    sub.send('subscribe', 'c');
    sub.take(1);
    sub.send('ssubscribe', 'a', 'b');
    expect(sub.take(2).map((r) => js(r))).toEqual([
      ['ssubscribe', 'a', 1],
      ['ssubscribe', 'b', 2],
    ]);
    expect(js(pub.cmd('spublish', 'a', 'hi'))).toBe(1);
    expect(js(pub.cmd('publish', 'a', 'no'))).toBe(0);
    expect(js(sub.take(1)[0]!)).toEqual(['smessage', 'a', 'hi']);
    expect(js(pub.cmd('pubsub', 'shardchannels'))).toEqual(['a', 'b']);
    expect(js(pub.cmd('pubsub', 'shardnumsub', 'a', 'z'))).toEqual(['a', 1, 'z', 0]);
    expect(js(pub.cmd('client', 'list', 'type', 'pubsub'))).toMatch(/ sub=1 psub=0 ssub=2 /);
    sub.send('sunsubscribe');
    expect(sub.take(2).map((r) => js(r))).toEqual([
      ['sunsubscribe', 'a', 1],
      ['sunsubscribe', 'b', 0],
    ]);
    pub.cmd('multi');
    pub.cmd('ssubscribe', 'x');
    expect(js(pub.cmd('exec'))).toEqual([{ err: "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client" }]);
  });
});
