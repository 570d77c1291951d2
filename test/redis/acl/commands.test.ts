// ACL SETUSER / GETUSER / LIST / DRYRUN / LOG and -NOPERM as redis-server 7.0.15 answers them
// (expected values checked against a real 7.0.15 on loopback).
import { describe, expect, it } from 'vitest';
import { js, world } from '../server/client.ts';

const err = (v: string) => ({ err: v });

describe('ACL users (acl.c)', () => {
  it('a new user is off with no permissions; the default user is on nopass ~* &* +@all', () => {
    const c = world().client();
    expect(js(c.cmd('acl', 'setuser', 'foo'))).toBe('OK');
    expect(js(c.cmd('acl', 'list'))).toEqual(['user default on nopass ~* &* +@all', 'user foo off resetchannels -@all']);
    expect(js(c.cmd('acl', 'users'))).toEqual(['default', 'foo']);
    expect(js(c.cmd('acl', 'whoami'))).toBe('default');
  });

  it('rules: passwords, keys, channels, commands, categories, selectors', () => {
    const c = world().client();
    expect(js(c.cmd('acl', 'setuser', 'u', 'on', '>p1', '~k*', '%R~r*', '&ch', '+get', '+@hash', '-hdel', '(~s* +set)'))).toBe('OK');
    const [line] = (js(c.cmd('acl', 'list')) as string[]).filter((l) => l.startsWith('user u '));
    expect(line).toBe(
      'user u on #f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a ~k* %R~r* resetchannels &ch -@all +@hash +get -hdel (~s* resetchannels -@all +set)',
    );
    expect(js(c.cmd('acl', 'setuser', 'u', '~*', '~x'))).toEqual(
      err(
        "ERR Error in ACL SETUSER modifier '~x': Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
      ),
    );
    expect(js(c.cmd('acl', 'setuser', 'u', '+nosuch'))).toEqual(err("ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL"));
    expect(js(c.cmd('acl', 'setuser', 'u', '(~a', '+get'))).toEqual(err("ERR Unmatched parenthesis in acl selector starting at '(~a'."));
  });

  it('-NOPERM for commands, keys and channels, and the ACL LOG entries', () => {
    const w = world();
    const admin = w.client();
    expect(js(admin.cmd('acl', 'setuser', 'lim', 'on', '>pw', '~k*', '&news', '+get', '+set', '+publish'))).toBe('OK');
    const c = w.client('10.0.2.1');
    expect(js(c.cmd('auth', 'lim', 'pw'))).toBe('OK');
    expect(js(c.cmd('acl', 'whoami'))).toEqual(err("NOPERM this user has no permissions to run the 'acl|whoami' command"));
    expect(js(c.cmd('get', 'x'))).toEqual(err('NOPERM this user has no permissions to access one of the keys used as arguments'));
    expect(js(c.cmd('set', 'k1', 'v'))).toBe('OK');
    expect(js(c.cmd('publish', 'other', 'm'))).toEqual(err('NOPERM this user has no permissions to access one of the channels used as arguments'));
    expect(js(c.cmd('incr', 'k1'))).toEqual(err("NOPERM this user has no permissions to run the 'incr' command"));
    expect(js(c.cmd('auth', 'lim', 'bad'))).toEqual(err('WRONGPASS invalid username-password pair or user is disabled.'));
    const log = js(admin.cmd('acl', 'log')) as unknown[][];
    expect(log.map((e) => [e[1], e[3], e[5], e[7], e[9]])).toEqual([
      [1, 'auth', 'toplevel', 'auth', 'lim'],
      [1, 'command', 'toplevel', 'incr', 'lim'],
      [1, 'channel', 'toplevel', 'other', 'lim'],
      [1, 'key', 'toplevel', 'x', 'lim'],
      [1, 'command', 'toplevel', 'acl|whoami', 'lim'],
    ]);
    expect(js(admin.cmd('acl', 'dryrun', 'lim', 'get', 'zz'))).toBe("This user has no permissions to access the 'zz' key");
    expect(js(admin.cmd('acl', 'dryrun', 'lim', 'get', 'k2'))).toBe('OK');
    expect(js(admin.cmd('acl', 'dryrun', 'lim', 'lpush', 'k2', 'x'))).toBe("This user has no permissions to run the 'lpush' command");
  });

  it('ACL DELUSER disconnects the user\'s clients', () => {
    const w = world();
    const admin = w.client();
    admin.cmd('acl', 'setuser', 'bob', 'on', 'nopass', '+@all', '~*');
    const c = w.client('10.0.2.1');
    expect(js(c.cmd('auth', 'bob', 'x'))).toBe('OK');
    expect(js(admin.cmd('acl', 'deluser', 'bob', 'nobody'))).toBe(1);
    expect(() => c.cmd('ping')).toThrow();
    expect(c.closed).not.toBeNull();
  });
});
