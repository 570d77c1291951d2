import { describe, expect, it } from 'vitest';
import { js, world } from './client.ts';

const err = (v: string) => ({ err: v });

describe('processCommand refusals (Redis 7.0.15 order and texts)', () => {
  it('unknown command, with its args quoted and a trailing space', () => {
    const w = world();
    const c = w.client();
    expect(js(c.cmd('nosuchcmd', 'a', 'b'))).toEqual(err("ERR unknown command 'nosuchcmd', with args beginning with: 'a' 'b' "));
    expect(js(c.cmd('nosuchcmd'))).toEqual(err("ERR unknown command 'nosuchcmd', with args beginning with: "));
    // args are cut once the list reaches 128 characters
    const long = 'x'.repeat(200);
    const r = js(c.cmd('foo', long, 'b')) as { err: string };
    expect(r.err).toBe(`ERR unknown command 'foo', with args beginning with: '${'x'.repeat(128)}' `);
    // commands of later Redis versions answer like unknown commands
    expect(js(c.cmd('hexpire', 'h', '10', 'FIELDS', '1', 'f'))).toEqual(err("ERR unknown command 'hexpire', with args beginning with: 'h' '10' 'FIELDS' '1' 'f' "));
  });

  it('unknown subcommand and arity errors (subcommands use container|sub)', () => {
    const c = world().client();
    expect(js(c.cmd('config', 'nosuch'))).toEqual(err("ERR unknown subcommand 'nosuch'. Try CONFIG HELP."));
    expect(js(c.cmd('CLIENT', 'Nosuch', 'x'))).toEqual(err("ERR unknown subcommand 'Nosuch'. Try CLIENT HELP."));
    expect(js(c.cmd('config'))).toEqual(err("ERR wrong number of arguments for 'config' command"));
    expect(js(c.cmd('config', 'get'))).toEqual(err("ERR wrong number of arguments for 'config|get' command"));
    expect(js(c.cmd('llen'))).toEqual(err("ERR wrong number of arguments for 'llen' command"));
    expect(js(c.cmd('ping', 'a', 'b'))).toEqual(err("ERR wrong number of arguments for 'ping' command"));
  });

  it('NOAUTH until AUTH; arity is checked before authentication', () => {
    const w = world({ configText: 'port 6379\nsave ""\nrequirepass secret\n' });
    const c = w.client();
    expect(js(c.cmd('llen'))).toEqual(err("ERR wrong number of arguments for 'llen' command"));
    expect(js(c.cmd('llen', 'k'))).toEqual(err('NOAUTH Authentication required.'));
    expect(js(c.cmd('ping'))).toEqual(err('NOAUTH Authentication required.'));
    expect(js(c.cmd('auth', 'wrong'))).toEqual(err('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(js(c.cmd('auth', 'other', 'secret'))).toEqual(err('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(js(c.cmd('auth', 'a', 'b', 'c'))).toEqual(err('ERR syntax error'));
    expect(js(c.cmd('auth', 'secret'))).toBe('OK');
    expect(js(c.cmd('llen', 'k'))).toBe(0);
    // RESET de-authenticates when a password is set
    expect(js(c.cmd('reset'))).toBe('RESET');
    expect(js(c.cmd('llen', 'k'))).toEqual(err('NOAUTH Authentication required.'));
    expect(js(c.cmd('auth', 'default', 'secret'))).toBe('OK');
    // HELLO AUTH authenticates too
    const d = w.client();
    expect(js(d.cmd('hello', '2'))).toEqual(
      err(
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      ),
    );
    const h = js(d.cmd('hello', '2', 'auth', 'default', 'secret', 'setname', 'app')) as unknown[];
    expect(h.slice(0, 6)).toEqual(['server', 'redis', 'version', '7.0.15', 'proto', 2]);
    expect(js(d.cmd('client', 'getname'))).toBe('app');
  });

  it('AUTH without a configured password, HELLO versions', () => {
    const c = world().client();
    expect(js(c.cmd('auth', 'x'))).toEqual(
      err('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'),
    );
    expect(js(c.cmd('auth', 'a', 'b'))).toEqual(err('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(js(c.cmd('auth', 'default', 'anything'))).toBe('OK');
    expect(js(c.cmd('hello', '4'))).toEqual(err('NOPROTO unsupported protocol version'));
    expect(js(c.cmd('hello', 'x'))).toEqual(err('ERR Protocol version is not an integer or out of range'));
    expect(js(c.cmd('hello', '2', 'foo'))).toEqual(err("ERR Syntax error in HELLO option 'foo'"));
    const h = js(c.cmd('hello')) as unknown[];
    expect(h).toEqual(['server', 'redis', 'version', '7.0.15', 'proto', 2, 'id', 3, 'mode', 'standalone', 'role', 'master', 'modules', []]);
  });

  it('READONLY on a read-only replica, MASTERDOWN when stale data is refused, NOREPLICAS', () => {
    const w = world({ configText: 'port 6379\nsave ""\nreplica-serve-stale-data no\n' });
    const c = w.client();
    const s = w.server();
    s.repl.role = 'replica';
    s.repl.masterLinkUp = false;
    expect(js(c.cmd('rpush', 'k', 'v'))).toEqual(err("READONLY You can't write against a read only replica."));
    expect(js(c.cmd('llen', 'k'))).toEqual(err("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."));
    // PING is not stale-allowed; INFO is
    expect(js(c.cmd('ping'))).toEqual(err("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."));
    expect(typeof js(c.cmd('info', 'server'))).toBe('string');
    s.repl.masterLinkUp = true;
    expect(js(c.cmd('llen', 'k'))).toBe(0);
    // MULTI with a queued non-stale command: EXEC is refused once the link drops
    expect(js(c.cmd('multi'))).toBe('OK');
    expect(js(c.cmd('llen', 'k'))).toBe('QUEUED');
    s.repl.masterLinkUp = false;
    expect(js(c.cmd('exec'))).toEqual(
      err("EXECABORT Transaction discarded because of: MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."),
    );

    const m = world({ configText: 'port 6379\nsave ""\nmin-replicas-to-write 1\n' });
    const mc = m.client();
    expect(js(mc.cmd('rpush', 'k', 'v'))).toEqual(err('NOREPLICAS Not enough good replicas to write.'));
    expect(js(mc.cmd('llen', 'k'))).toBe(0);
    m.server().repl.goodReplicas = 1;
    expect(js(mc.cmd('rpush', 'k', 'v'))).toBe(1);
  });

  it('NOREPLICAS comes before READONLY, which comes before the pub/sub context check', () => {
    const w = world({ configText: 'port 6379\nsave ""\nmin-replicas-to-write 1\n' });
    const c = w.client();
    // a master without good replicas
    expect(js(c.cmd('rpush', 'k', 'v'))).toEqual(err('NOREPLICAS Not enough good replicas to write.'));
    w.server().repl.role = 'replica';
    w.server().repl.masterLinkUp = true;
    expect(js(c.cmd('rpush', 'k', 'v'))).toEqual(err("READONLY You can't write against a read only replica."));
    c.send('subscribe', 'ch');
    c.take(1);
    expect(js(c.cmd('rpush', 'k', 'v'))).toEqual(err("READONLY You can't write against a read only replica."));
    expect(js(c.cmd('llen', 'k'))).toEqual(err("ERR Can't execute 'llen': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"));
  });

  it('OOM under maxmemory noeviction for denyoom commands only', () => {
    const w = world({ configText: 'port 6379\nsave ""\nmaxmemory 1mb\nmaxmemory-policy noeviction\n' });
    const c = w.client();
    // fill past the limit (whatever the per-key memory estimate is)
    for (let i = 0; i < 20_000; i++) c.send('rpush', `k${i}`, 'x'.repeat(100));
    const replies = c.take(20_000).map(js);
    const firstOom = replies.findIndex((r) => typeof r === 'object');
    expect(firstOom).toBeGreaterThan(0);
    expect(replies[firstOom]).toEqual(err("OOM command not allowed when used memory > 'maxmemory'."));
    // reads and deletes still work
    expect(js(c.cmd('llen', 'k0'))).toBe(1);
    expect(js(c.cmd('lpop', 'k0'))).toBe('x'.repeat(100));
    // inside MULTI even a non-denyoom command is refused while over the limit, and EXEC aborts
    for (let i = 0; i < 50; i++) c.cmd('rpush', `more${i}`, 'y');
    expect(js(c.cmd('multi'))).toBe('OK');
    expect(js(c.cmd('llen', 'k1'))).toEqual(err("OOM command not allowed when used memory > 'maxmemory'."));
    expect(js(c.cmd('exec'))).toEqual(err('EXECABORT Transaction discarded because of previous errors.'));
  });

  it('OOM with an eviction policy evicts instead of refusing', () => {
    const w = world({ configText: 'port 6379\nsave ""\nmaxmemory 1mb\nmaxmemory-policy allkeys-random\n' });
    const c = w.client();
    for (let i = 0; i < 20_000; i++) c.send('rpush', `k${i}`, 'x'.repeat(100));
    expect(c.take(20_000).every((r) => js(r) === 1)).toBe(true);
    // eviction runs before each command, so DBSIZE itself first brings memory under the limit
    const size = js(c.cmd('dbsize')) as number;
    const evicted = w.server().ks.stats.evictedKeys;
    expect(evicted).toBeGreaterThan(0);
    expect(size).toBe(20_000 - evicted);
    expect(w.server().usedMemory()).toBeLessThanOrEqual(1024 * 1024);
  });

  it('DEBUG is protected by enable-debug-command', () => {
    const c = world().client();
    expect(js(c.cmd('debug', 'sleep', '0'))).toEqual(
      err(
        'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
      ),
    );
  });

  it('PING, ECHO, SELECT, QUIT', () => {
    const c = world().client();
    expect(js(c.cmd('ping'))).toBe('PONG');
    expect(js(c.cmd('ping', 'hi'))).toBe('hi');
    expect(js(c.cmd('echo', 'x y'))).toBe('x y');
    expect(js(c.cmd('select', '99'))).toEqual(err('ERR DB index is out of range'));
    expect(js(c.cmd('select', 'x'))).toEqual(err('ERR value is not an integer or out of range'));
    expect(js(c.cmd('select', '3'))).toBe('OK');
    expect(js(c.cmd('rpush', 'k', 'v'))).toBe(1);
    expect(js(c.cmd('dbsize'))).toBe(1);
    expect(js(c.cmd('select', '0'))).toBe('OK');
    expect(js(c.cmd('dbsize'))).toBe(0);
    expect(js(c.cmd('quit'))).toBe('OK');
    expect(c.take(1)).toEqual([]);
    expect(c.closed).toBe('closed');
  });

  it('replies go out in command order for a pipeline', () => {
    const c = world().client();
    for (let i = 0; i < 20; i++) c.send('rpush', 'l', String(i));
    c.send('llen', 'l');
    const r = c.take(21).map(js);
    expect(r).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 20]);
  });
});
