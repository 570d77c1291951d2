// ACL at start and on disk (Redis 7.0.15 ACLLoadUsersAtStartup, ACLLoadFromFile, ACLSaveToFile,
// requirepass as the default user's password, CONFIG REWRITE of users). Texts checked on a real 7.0.15.
import { describe, expect, it } from 'vitest';
import { passwordHash } from '../../../engine/redis/config/users.ts';
import { js, world } from '../server/client.ts';

const err = (v: string) => ({ err: v });
const conf = (...lines: string[]) => ['port 6379', 'save ""', ...lines].join('\n') + '\n';

describe('users from redis.conf', () => {
  it('`user` lines are loaded; a disabled one is noticed in the log', () => {
    const w = world({ configText: conf('user alice on >pa ~a* +get', 'user bob') });
    const c = w.client();
    expect(js(c.cmd('acl', 'list'))).toEqual([
      `user alice on #${passwordHash('pa')} ~a* resetchannels -@all +get`,
      'user bob off resetchannels -@all',
      'user default on nopass ~* &* +@all',
    ]);
    expect(w.logs()).toContain("The user 'bob' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.");
    expect(js(c.cmd('auth', 'alice', 'pa'))).toBe('OK');
    expect(js(c.cmd('acl', 'whoami'))).toEqual(err("NOPERM this user has no permissions to run the 'acl|whoami' command"));
  });

  it('a bad rule is a config error naming argv[j] (the merged rule index, as config.c prints it)', () => {
    const w = world({ configText: conf('user bob on >x badrule') });
    expect(w.logs().join('\n')).toContain("Error in user declaration 'on': Syntax error");
  });

  it('an unknown command passes the config check and fails when the users are loaded', () => {
    const w = world({ configText: conf('user bob on +nosuchcmd') });
    const logs = w.logs();
    expect(logs).toContain("Error loading ACL rule '+nosuchcmd' for the user named 'bob': Unknown command or category name in ACL");
    expect(logs).toContain('Critical error while loading ACLs. Exiting.');
  });

  it('users in redis.conf and an aclfile together abort the start', () => {
    const w = world({ configText: conf('user bob on', 'aclfile /etc/users.acl') });
    expect(w.logs().some((l) => l.startsWith('Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid.'))).toBe(true);
  });

  it('a missing aclfile aborts the start', () => {
    const w = world({ configText: conf('aclfile /etc/nonexist.acl') });
    expect(w.logs()).toContain("Aborting Redis startup because of ACL errors: Error loading ACLs, opening file '/etc/nonexist.acl': No such file or directory");
  });
});

describe('requirepass is the default user\'s password', () => {
  it('AUTH with it; CONFIG SET requirepass changes it; ACL LIST shows its hash', () => {
    const w = world({ configText: conf('requirepass secret') });
    const c = w.client();
    expect(js(c.cmd('get', 'k'))).toEqual(err('NOAUTH Authentication required.'));
    expect(js(c.cmd('auth', 'default', 'secret'))).toBe('OK');
    expect(js(c.cmd('acl', 'list'))).toEqual(['user default on #2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b ~* &* +@all']);
    expect(js(c.cmd('config', 'set', 'requirepass', ''))).toBe('OK');
    expect(js(c.cmd('acl', 'list'))).toEqual(['user default on nopass ~* &* +@all']);
    expect(js(w.client('10.0.2.1').cmd('ping'))).toBe('PONG');
  });

  it('CONFIG REWRITE writes the users as ACL LIST describes them', () => {
    const w = world({ configText: conf('user bob on >pw ~k* +get') });
    const c = w.client();
    c.cmd('acl', 'setuser', 'carol', 'on', 'nopass', '+@read', '~*');
    expect(js(c.cmd('config', 'rewrite'))).toBe('OK');
    const text = w.sim.hosts.get('srv')!.disk.read('/etc/redis.conf') as string;
    const users = text.split('\n').filter((l) => l.startsWith('user '));
    expect(users[0]).toMatch(/^user bob on #[0-9a-f]{64} ~k\* resetchannels -@all \+get$/);
    expect(users.slice(1)).toEqual(['user carol on nopass ~* resetchannels -@all +@read', 'user default on nopass ~* &* +@all']);
  });
});

describe('the ACL file', () => {
  it('loaded at start; ACL SAVE writes it; ACL LOAD is all or nothing and kills the replaced users\' clients', () => {
    // the server's first start fails (no file yet); the file is written, then the process restarted
    const w2 = world({ configText: conf('aclfile /etc/users.acl') });
    const disk = w2.sim.hosts.get('srv')!.disk;
    disk.write('/etc/users.acl', 'user default on nopass ~* &* +@all\nuser ann on nopass ~* +@all\n');
    w2.sim.restart(w2.name);
    w2.sim.run({ forMs: 100 });
    const c = w2.client();
    expect(js(c.cmd('acl', 'users'))).toEqual(['ann', 'default']);
    const ann = w2.client('10.0.2.1');
    expect(js(ann.cmd('auth', 'ann', 'x'))).toBe('OK');
    c.cmd('acl', 'setuser', 'zed', 'on', '>z');
    expect(js(c.cmd('acl', 'save'))).toBe('OK');
    expect((disk.read('/etc/users.acl') as string).split('\n')[2]).toMatch(/^user zed on #[0-9a-f]{64} resetchannels -@all$/);
    disk.write('/etc/users.acl', 'user ann on nopass\nfoo bar\nuser bad on +nosuch\n');
    expect(js(c.cmd('acl', 'load'))).toEqual(
      err(
        "ERR /etc/users.acl:2 should start with user keyword followed by the username. /etc/users.acl:3: Error in applying operation '+nosuch': Unknown command or category name in ACL. WARNING: ACL errors detected, no change to the previously active ACL rules was performed",
      ),
    );
    expect(js(c.cmd('acl', 'users'))).toEqual(['ann', 'default', 'zed']);
    disk.write('/etc/users.acl', 'user ann on nopass +@all ~*\n');
    expect(js(c.cmd('acl', 'load'))).toBe('OK');
    expect(js(c.cmd('acl', 'users'))).toEqual(['ann', 'default']);
    expect(() => ann.cmd('ping')).toThrow();
  });

  it('ACL LOAD / SAVE without an aclfile', () => {
    const c = world().client();
    expect(js(c.cmd('acl', 'save'))).toEqual(
      err(
        'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.',
      ),
    );
  });
});
