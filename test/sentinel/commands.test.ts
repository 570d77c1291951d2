// Replies of the Sentinel's commands, checked against a real redis-sentinel 7.0.15
// (oracle/samples/sentinel-commands.txt and replies captured from redis-sentinel on this machine).
import { describe, expect, it } from 'vitest';
import { asMap, buildCluster, type Cli, type Cluster } from './harness.ts';

function world(): { c: Cluster; s: Cli } {
  const c = buildCluster({ seed: 'cmds', replicas: [{ priority: 50 }] });
  // long enough for a second INFO of the replica after its initial sync (real server: 5 s diskless delay)
  c.sim.sleep('12s');
  return { c, s: c.cli(c.sentinels[0]!) };
}

describe('generic errors', () => {
  const { s } = world();
  it.each([
    [['QUIT'], "ERR unknown command 'QUIT', with args beginning with: "],
    [['get', 'k'], "ERR unknown command 'get', with args beginning with: 'k' "],
    // Sentinel mode has no CONFIG command (its server directives are file-only; SENTINEL CONFIG has its own set)
    [['config', 'get', 'port'], "ERR unknown command 'config', with args beginning with: 'get' 'port' "],
    [['sentinel'], "ERR wrong number of arguments for 'sentinel' command"],
    [['sentinel', 'nosuch'], "ERR unknown subcommand 'nosuch'. Try SENTINEL HELP."],
    [['sentinel', 'masters', 'x'], "ERR wrong number of arguments for 'sentinel|masters' command"],
    [['sentinel', 'simulate-failure'], "ERR wrong number of arguments for 'sentinel|simulate-failure' command"],
    [['sentinel', 'myid', 'x'], "ERR wrong number of arguments for 'sentinel|myid' command"],
    [['sentinel', 'info-cache'], "ERR wrong number of arguments for 'sentinel|info-cache' command"],
    [['sentinel', 'set', 'mymaster', 'quorum'], "ERR wrong number of arguments for 'sentinel|set' command"],
    [['client', 'nosuch'], "ERR unknown subcommand 'nosuch'. Try CLIENT HELP."],
    [['ping', 'a', 'b'], "ERR wrong number of arguments for 'ping' command"],
    [['subscribe'], "ERR wrong number of arguments for 'subscribe' command"],
    [['publish', 'foo', 'bar'], 'ERR Only HELLO messages are accepted by Sentinel instances.'],
    [['auth', 'x'], 'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'],
    [['sentinel', 'master', 'nosuch'], 'ERR No such master with that name'],
    [['sentinel', 'failover', 'nosuch'], 'ERR No such master with that name'],
    [['sentinel', 'is-master-down-by-addr', '127.0.0.1', 'x', '0', '*'], 'ERR value is not an integer or out of range'],
    [['sentinel', 'is-master-down-by-addr', '127.0.0.1', '1', 'x', '*'], 'ERR value is not an integer or out of range'],
    [['sentinel', 'config', 'foo'], 'ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.'],
    [['sentinel', 'config', 'set', 'foo', '1'], "ERR Invalid argument 'foo' to SENTINEL CONFIG SET"],
    [['sentinel', 'config', 'set', 'announce-port', '99999'], "ERR Invalid value '99999' to SENTINEL CONFIG SET 'announce-port'"],
    [['sentinel', 'set', 'mymaster', 'quorum', 'x'], "ERR Invalid argument 'x' for SENTINEL SET 'quorum'"],
    [['sentinel', 'set', 'mymaster', 'foo', '1'], "ERR Unknown option or number of arguments for SENTINEL SET 'foo'"],
    [['sentinel', 'set', 'mymaster', 'down-after-milliseconds', '0'], "ERR Invalid argument '0' for SENTINEL SET 'down-after-milliseconds'"],
    [['sentinel', 'monitor', 'c', 'foo.bar', '1', '1'], 'ERR Invalid IP address or hostname specified'],
    [['sentinel', 'monitor', 'a', '1.2.3.4', 'x', '1'], 'ERR Invalid port'],
    [['sentinel', 'monitor', 'a', '1.2.3.4', '1', 'x'], 'ERR Invalid quorum'],
    [['sentinel', 'monitor', 'a', '1.2.3.4', '1', '0'], 'ERR Quorum must be 1 or greater.'],
    [['sentinel', 'monitor', 'a', '1.2.3.4', '99999', '1'], 'ERR Invalid port number.'],
    [['sentinel', 'monitor', 'mymaster', '1.2.3.4', '1', '1'], 'ERR Duplicate master name.'],
    [['sentinel', 'debug', 'info-period', '0'], "ERR Invalid argument '0' for SENTINEL DEBUG 'info-period'"],
    [['sentinel', 'debug', 'info-period'], "ERR Unknown option or number of arguments for SENTINEL DEBUG 'info-period'"],
    [['sentinel', 'debug', 'foo', '1'], "ERR Unknown option or number of arguments for SENTINEL DEBUG 'foo'"],
    [['sentinel', 'simulate-failure', 'foo'], 'ERR Unknown failure simulation specified'],
    [['sentinel', 'set', 'mymaster', 'notification-script', '/x'], 'ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration'],
  ])('%j', (argv, e) => {
    expect(s.q(...argv)).toEqual({ err: e });
  });
});

describe('SENTINEL replies', () => {
  const { c, s } = world();
  const ip = c.master.split(':')[0]!;

  it('MASTERS / MASTER: the fields and their order of the sample', () => {
    const m = s.q('SENTINEL', 'MASTER', 'mymaster') as string[];
    const keys = m.filter((_, i) => i % 2 === 0);
    expect(keys).toEqual([
      'name', 'ip', 'port', 'runid', 'flags', 'link-pending-commands', 'link-refcount', 'last-ping-sent',
      'last-ok-ping-reply', 'last-ping-reply', 'down-after-milliseconds', 'info-refresh', 'role-reported',
      'role-reported-time', 'config-epoch', 'num-slaves', 'num-other-sentinels', 'quorum', 'failover-timeout',
      'parallel-syncs',
    ]);
    const o = asMap(m);
    expect(o).toMatchObject({ name: 'mymaster', ip, port: '6379', flags: 'master', 'link-refcount': '1', 'role-reported': 'master', 'config-epoch': '0', 'num-slaves': '1', 'num-other-sentinels': '2', quorum: '2', 'failover-timeout': '10000', 'parallel-syncs': '1', 'down-after-milliseconds': '1500' });
    expect(o.runid).toMatch(/^[0-9a-f]{40}$/);
    expect(s.q('SENTINEL', 'MASTERS')).toHaveLength(1);
  });

  it('REPLICAS / SLAVES and SENTINELS', () => {
    const r = s.q('SENTINEL', 'REPLICAS', 'mymaster') as string[][];
    expect((s.q('SENTINEL', 'SLAVES', 'mymaster') as string[][]).map((x) => x[1])).toEqual(r.map((x) => x[1]));
    const keys = r[0]!.filter((_, i) => i % 2 === 0);
    expect(keys).toEqual([
      'name', 'ip', 'port', 'runid', 'flags', 'link-pending-commands', 'link-refcount', 'last-ping-sent',
      'last-ok-ping-reply', 'last-ping-reply', 'down-after-milliseconds', 'info-refresh', 'role-reported',
      'role-reported-time', 'master-link-down-time', 'master-link-status', 'master-host', 'master-port',
      'slave-priority', 'slave-repl-offset', 'replica-announced',
    ]);
    expect(asMap(r[0])).toMatchObject({ name: c.replicas[0], flags: 'slave', 'master-link-status': 'ok', 'master-host': ip, 'master-port': '6379', 'slave-priority': '50', 'replica-announced': '1' });
    const sn = s.q('SENTINEL', 'SENTINELS', 'mymaster') as string[][];
    expect(sn).toHaveLength(2);
    expect(sn[0]!.filter((_, i) => i % 2 === 0).slice(-3)).toEqual(['last-hello-message', 'voted-leader', 'voted-leader-epoch']);
    expect(asMap(sn[0])).toMatchObject({ flags: 'sentinel', 'voted-leader': '?', 'voted-leader-epoch': '0' });
  });

  it('GET-MASTER-ADDR-BY-NAME, CKQUORUM, MYID, ROLE, IS-MASTER-DOWN-BY-ADDR, RESET', () => {
    expect(s.q('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')).toEqual([ip, '6379']);
    expect(s.q('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'nosuch')).toBeNull();
    expect(s.cmd('SENTINEL', 'CKQUORUM', 'mymaster')).toEqual({ t: 'simple', v: 'OK 3 usable Sentinels. Quorum and failover authorization can be reached' });
    expect(s.q('SENTINEL', 'MYID')).toBe(c.view(0).myid);
    expect(s.q('ROLE')).toEqual(['sentinel', ['mymaster']]);
    expect(s.q('SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', ip, '6379', '0', '*')).toEqual([0, '*', 0]);
    expect(s.q('SENTINEL', 'RESET', 'zz*')).toBe(0);
    expect(s.q('SENTINEL', 'PENDING-SCRIPTS')).toEqual([]);
  });

  it('CONFIG GET, DEBUG, INFO-CACHE, SIMULATE-FAILURE HELP, PING, HELP', () => {
    expect(s.q('SENTINEL', 'CONFIG', 'GET', '*')).toEqual([
      'resolve-hostnames', 'no', 'announce-hostnames', 'no', 'announce-ip', '', 'announce-port', '0', 'sentinel-user', '', 'sentinel-pass', '',
    ]);
    expect(s.q('SENTINEL', 'CONFIG', 'GET', 'ANNOUNCE-*')).toEqual(['announce-hostnames', 'no', 'announce-ip', '', 'announce-port', '0']);
    expect(asMap(s.q('SENTINEL', 'DEBUG'))).toEqual({
      'INFO-PERIOD': '10000', 'PING-PERIOD': '1000', 'ASK-PERIOD': '1000', 'PUBLISH-PERIOD': '2000', 'DEFAULT-DOWN-AFTER': '30000',
      'DEFAULT-FAILOVER-TIMEOUT': '180000', 'TILT-TRIGGER': '2000', 'TILT-PERIOD': '30000', 'SLAVE-RECONF-TIMEOUT': '10000',
      'MIN-LINK-RECONNECT-PERIOD': '15000', 'ELECTION-TIMEOUT': '10000', 'SCRIPT-MAX-RUNTIME': '60000', 'SCRIPT-RETRY-DELAY': '30000',
    });
    expect(s.q('SENTINEL', 'DEBUG', 'ping-period', '500', 'ask-period', 'x')).toEqual({ err: "ERR Invalid argument 'x' for SENTINEL DEBUG 'ask-period'" });
    expect(asMap(s.q('SENTINEL', 'DEBUG'))['PING-PERIOD']).toBe('500');
    expect(s.q('SENTINEL', 'DEBUG', 'ping-period', '1000')).toBe('OK');
    const cache = s.q('SENTINEL', 'INFO-CACHE', 'mymaster', 'nosuch') as unknown[];
    expect(cache[0]).toBe('mymaster');
    const entries = cache[1] as [number, string][];
    expect(entries).toHaveLength(2);
    expect(entries[0]![1]).toContain('role:master');
    expect(entries[1]![1]).toContain('role:slave');
    expect(s.q('SENTINEL', 'SIMULATE-FAILURE', 'help')).toEqual(['crash-after-election', 'crash-after-promotion']);
    expect(s.q('PING')).toBe('PONG');
    expect(s.q('PING', 'a')).toBe('a');
    const help = s.q('SENTINEL', 'HELP') as string[];
    expect(help[0]).toBe('SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(help.slice(-2)).toEqual(['HELP', '    Prints this help.']);
    expect(help).toHaveLength(49);
    expect(s.q('COMMAND', 'COUNT')).toBe(15);
    expect(s.q('ACL', 'WHOAMI')).toBe('default');
    expect(s.q('CLIENT', 'SETNAME', 'x')).toBe('OK');
    expect(s.q('CLIENT', 'GETNAME')).toBe('x');
    expect(s.q('HELLO')).toEqual(['server', 'redis', 'version', '7.0.15', 'proto', 2, 'id', expect.any(Number), 'mode', 'sentinel', 'modules', []]);
  });

  it('INFO: the sections of Sentinel mode, and the Sentinel section of the sample', () => {
    const info = s.q('INFO') as string;
    expect(info.split('\r\n').filter((l) => l.startsWith('#'))).toEqual(['# Server', '# Clients', '# Stats', '# CPU', '# Sentinel']);
    expect(info).toContain('redis_mode:sentinel\r\n');
    expect(s.q('INFO', 'sentinel')).toBe(
      '# Sentinel\r\nsentinel_masters:1\r\nsentinel_tilt:0\r\nsentinel_tilt_since_seconds:-1\r\nsentinel_running_scripts:0\r\n' +
        'sentinel_scripts_queue_length:0\r\nsentinel_simulate_failure_flags:0\r\n' +
        `master0:name=mymaster,status=ok,address=${ip}:6379,slaves=1,sentinels=3\r\n`,
    );
    expect(s.q('INFO', 'foo')).toBe('');
    expect((s.q('INFO', 'server', 'clients') as string).split('\r\n').filter((l) => l.startsWith('#'))).toEqual(['# Server', '# Clients']);
  });

  it('SET applies options one by one, each a +set event (auth-pass redacted), then flushes', () => {
    const sub = c.cli(c.sentinels[0]!);
    expect(sub.q('PSUBSCRIBE', '*')).toEqual(['psubscribe', '*', 1]);
    expect(sub.q('ROLE')).toEqual({
      err: "ERR Can't execute 'role': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    });
    expect(sub.q('PING')).toEqual(['pong', '']);
    expect(s.q('SENTINEL', 'SET', 'mymaster', 'auth-pass', 'xyz', 'quorum', '1', 'rename-command', 'CONFIG', 'GUESS', 'down-after-milliseconds', '2000', 'notification-script', '/x')).toEqual({
      err: 'ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration',
    });
    const msgs = sub.take(4).map((r) => JSON.stringify(r));
    expect(msgs.map((m) => JSON.parse(m).v.map((x: { v: string }) => x.v))).toEqual([
      ['pmessage', '*', '+set', `master mymaster ${ip} 6379 auth-pass ******`],
      ['pmessage', '*', '+set', `master mymaster ${ip} 6379 quorum 1`],
      ['pmessage', '*', '+set', `master mymaster ${ip} 6379 rename-command CONFIG GUESS`],
      ['pmessage', '*', '+set', `master mymaster ${ip} 6379 down-after-milliseconds 2000`],
    ]);
    const conf = c.sim.proc(c.sentinels[0]!).host.disk.read<string>('/etc/sentinel-26379.conf')!;
    expect(conf).toContain('sentinel auth-pass mymaster xyz');
    expect(conf).toContain('sentinel rename-command mymaster CONFIG GUESS');
    expect(conf).toContain('sentinel down-after-milliseconds mymaster 2000');
    expect(s.q('SENTINEL', 'SET', 'mymaster', 'auth-pass', '', 'quorum', '2', 'rename-command', 'CONFIG', 'CONFIG')).toBe('OK');
    expect(asMap(s.q('SENTINEL', 'MASTER', 'mymaster')).quorum).toBe('2');
  });

  it('MONITOR / REMOVE / RESET emit +monitor, -monitor, +reset-master', () => {
    expect(s.q('SENTINEL', 'MONITOR', 'm2', '1.2.3', '17999', '1')).toBe('OK');
    // getaddrinfo(AI_NUMERICHOST) reads 1.2.3 as 1.2.0.3
    expect(asMap(s.q('SENTINEL', 'MASTER', 'm2')).ip).toBe('1.2.0.3');
    expect(s.q('SENTINEL', 'REMOVE', 'm2')).toBe('OK');
    expect(s.q('SENTINEL', 'RESET', '*')).toBe(1);
    const lines = c.lines(c.sentinels[0]!);
    expect(lines).toContain('+monitor master m2 1.2.0.3 17999 quorum 1');
    expect(lines).toContain('-monitor master m2 1.2.0.3 17999');
    expect(lines).toContain(`+reset-master master mymaster ${ip} 6379`);
    expect(asMap(s.q('SENTINEL', 'MASTER', 'mymaster'))['num-other-sentinels']).toBe('0');
  });
});
