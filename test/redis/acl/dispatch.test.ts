// Where the ACL check sits (processCommand, execCommand, scriptCall) and what it does to clients
// (killed subscribers, deleted users), as redis-server 7.0.15 does (texts checked on a real 7.0.15).
import { describe, expect, it } from 'vitest';
import { js, world } from '../server/client.ts';

const err = (v: string) => ({ err: v });

function limited(rules: string[]) {
  const w = world();
  const admin = w.client();
  expect(js(admin.cmd('acl', 'setuser', 's', 'on', 'nopass', ...rules))).toBe('OK');
  const c = w.client('10.0.2.1');
  expect(js(c.cmd('auth', 's', 'x'))).toBe('OK');
  return { w, admin, c };
}

describe('ACL in scripts, transactions and pub/sub', () => {
  it('redis.call and redis.pcall check the caller\'s user (context lua in the ACL LOG)', () => {
    const { admin, c } = limited(['~*', '+eval', '+get']);
    expect(js(c.cmd('eval', "return redis.call('set','k','v')", '0'))).toEqual(
      err("ERR The user executing the script can't run this command or subcommand script: d223ed8c7345b684e8ed044ed472601f536fa58b, on @user_script:1."),
    );
    expect(js(c.cmd('eval', "return redis.pcall('set','k','v')", '0'))).toEqual(err("ERR The user executing the script can't run this command or subcommand"));
    expect(js(c.cmd('eval', "return redis.acl_check_cmd('get','k')", '0'))).toBe(1);
    expect(js(c.cmd('eval', "return redis.acl_check_cmd('set','k','v')", '0'))).toBe(null);
    const log = js(admin.cmd('acl', 'log', '1')) as unknown[][];
    expect([log[0]![1], log[0]![3], log[0]![5], log[0]![7], log[0]![9]]).toEqual([2, 'command', 'lua', 'set', 's']);
  });

  it('a refused EXEC is an EXECABORT; EXEC re-checks queued commands against rules changed meanwhile', () => {
    const { admin, c } = limited(['~*', '+multi', '+get', '+set']);
    expect(js(c.cmd('exec'))).toEqual(err("EXECABORT Transaction discarded because of: NOPERM this user has no permissions to run the 'exec' command"));
    admin.cmd('acl', 'setuser', 's', '+exec');
    expect(js(c.cmd('multi'))).toBe('OK');
    expect(js(c.cmd('set', 'k', 'v'))).toBe('QUEUED');
    expect(js(c.cmd('get', 'k'))).toBe('QUEUED');
    admin.cmd('acl', 'setuser', 's', '-set');
    expect(js(c.cmd('exec'))).toEqual([
      err(
        'NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: no permission to execute the command or subcommand',
      ),
      null,
    ]);
    const log = js(admin.cmd('acl', 'log', '1')) as unknown[][];
    expect([log[0]![3], log[0]![5], log[0]![7]]).toEqual(['command', 'multi', 'set']);
  });

  it('subscribers lose their connection when a channel permission they use is revoked', () => {
    const { admin, c } = limited(['resetchannels', '&news*', '+subscribe', '+psubscribe']);
    expect(js(c.cmd('subscribe', 'other'))).toEqual(err('NOPERM this user has no permissions to access one of the channels used as arguments'));
    expect(js(c.cmd('subscribe', 'news.1'))).toEqual(['subscribe', 'news.1', 1]);
    // a PSUBSCRIBE pattern must equal an ACL pattern literally
    c.send('psubscribe', 'news.*');
    expect(js(c.take(1)[0]!)).toEqual(err('NOPERM this user has no permissions to access one of the channels used as arguments'));
    expect(js(admin.cmd('acl', 'setuser', 's', '&more'))).toBe('OK'); // a superset: nobody is killed
    expect(c.closed).toBeNull();
    expect(js(admin.cmd('acl', 'setuser', 's', 'resetchannels', '&more'))).toBe('OK');
    admin.cmd('ping');
    expect(c.closed).not.toBeNull();
  });

  it('HELLO AUTH authenticates; a bad password is WRONGPASS and an auth entry in the ACL LOG', () => {
    const w = world();
    const admin = w.client();
    admin.cmd('acl', 'setuser', 'h', 'on', '>hp', '+@all', '~*');
    const c = w.client('10.0.2.1');
    expect(js(c.cmd('hello', '2', 'auth', 'h', 'bad'))).toEqual(err('WRONGPASS invalid username-password pair or user is disabled.'));
    expect((js(c.cmd('hello', '2', 'auth', 'h', 'hp')) as unknown[]).slice(0, 2)).toEqual(['server', 'redis']);
    expect(js(c.cmd('acl', 'whoami'))).toBe('h');
    const log = js(admin.cmd('acl', 'log', '1')) as unknown[][];
    expect([log[0]![3], log[0]![7], log[0]![9]]).toEqual(['auth', 'hello', 'h']);
  });
});
