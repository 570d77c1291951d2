import { describe, expect, it } from 'vitest';
import { isRdbFile, parseRdbFile, type RdbFile } from '../../../engine/redis/persistence/rdb.ts';
import { js, world } from '../server/client.ts';

const conf = (extra = '') => `port 6379\nsave ""\nappendonly no\n${extra}`;

describe('RDB persistence', () => {
  it('no persistence: a crash and restart come back empty', () => {
    const w = world({ configText: conf() });
    const c = w.client();
    c.cmd('rpush', 'k', 'v');
    w.sim.kill(w.name);
    w.sim.restart(w.name);
    expect(js(w.client().cmd('dbsize'))).toBe(0);
    expect(w.logs().some((l) => l.startsWith('DB loaded'))).toBe(false);
  });

  it('SAVE: after a crash only what was saved comes back, with 7.0.15 load lines', () => {
    const w = world({ configText: conf() });
    const c = w.client();
    c.cmd('rpush', 'a', '1', '2');
    c.cmd('hset', 'h', 'f', 'v');
    c.cmd('select', '5');
    c.cmd('sadd', 's', 'x');
    expect(js(c.cmd('save'))).toBe('OK');
    expect(w.logs()).toContain('DB saved on disk');
    c.cmd('rpush', 'lost', 'x');
    w.sim.sleep(3000);
    w.sim.kill(w.name);
    w.sim.restart(w.name);
    const d = w.client();
    expect(js(d.cmd('lrange', 'a', '0', '-1'))).toEqual(['1', '2']);
    expect(js(d.cmd('hget', 'h', 'f'))).toBe('v');
    d.cmd('select', '5');
    expect(js(d.cmd('smembers', 's'))).toEqual(['x']);
    expect(js(d.cmd('llen', 'lost'))).toBe(0);
    const logs = w.logs();
    const i = logs.indexOf('Loading RDB produced by version 7.0.15');
    expect(i).toBeGreaterThan(0);
    expect(logs.slice(i, i + 6)).toEqual([
      'Loading RDB produced by version 7.0.15',
      'RDB age 3 seconds',
      expect.stringMatching(/^RDB memory usage when created \d+\.\d\d Mb$/) as unknown as string,
      'Done loading RDB, keys loaded: 3, keys expired: 0.',
      'DB loaded from disk: 0.000 seconds',
      'Ready to accept connections',
    ]);
    expect(w.sim.host('srv').disk.exists('/etc/dump.rdb')).toBe(true);
  });

  it('the restored data is a copy: changing it does not change the file', () => {
    const w = world({ configText: conf() });
    const c = w.client();
    c.cmd('rpush', 'a', '1');
    c.cmd('save');
    c.cmd('rpush', 'a', '2');
    const f = w.sim.host('srv').disk.read<RdbFile>('/etc/dump.rdb')!;
    expect(isRdbFile(f)).toBe(true);
    expect(parseRdbFile(f).dbs[0]!.keys[0]!.value).toEqual({ type: 'list', v: ['1'] });
  });

  it('expired keys in the RDB are skipped by a master', () => {
    const w = world({ configText: conf() });
    const c = w.client();
    c.cmd('rpush', 'a', '1');
    c.cmd('rpush', 'b', '1');
    const s = w.server();
    w.server().activeExpireEnabled = false;
    s.ks.db(0).setExpire('a', s.mstime() + 1000);
    c.cmd('save');
    w.sim.sleep(2000);
    w.sim.kill(w.name);
    w.sim.restart(w.name);
    expect(w.logs()).toContain('Done loading RDB, keys loaded: 1, keys expired: 1.');
    expect(js(w.client().cmd('info', 'persistence')) as string).toContain('rdb_last_load_keys_expired:1\r\nrdb_last_load_keys_loaded:1\r\n');
  });

  it('BGSAVE: snapshot at fork time, file after the child finishes, log lines, already in progress', () => {
    const w = world({ configText: conf() });
    const c = w.client();
    for (let i = 0; i < 200; i++) c.send('rpush', `k${i}`, 'x'.repeat(50));
    c.take(200);
    expect(js(c.cmd('bgsave'))).toBe('Background saving started');
    expect(js(c.cmd('bgsave'))).toEqual({ err: 'ERR Background save already in progress' });
    expect(js(c.cmd('save'))).toEqual({ err: 'ERR Background save already in progress' });
    c.cmd('rpush', 'after-fork', 'x');
    expect(w.sim.host('srv').disk.exists('/etc/dump.rdb')).toBe(false);
    expect(js(c.cmd('info', 'persistence')) as string).toContain('rdb_bgsave_in_progress:1');
    w.sim.sleep(100);
    const f = w.sim.host('srv').disk.read<RdbFile>('/etc/dump.rdb')!;
    expect(parseRdbFile(f).dbs[0]!.keys.length).toBe(200);
    const recs = w.logRecords();
    const started = recs.find((r) => r.line.startsWith('Background saving started by pid '))!;
    const childPid = Number(started.line.split(' ').pop());
    expect(childPid).not.toBe(started.pid);
    const child = recs.filter((r) => r.pid === childPid);
    expect(child.map((r) => `${r.role} ${r.line}`)).toEqual(['C DB saved on disk', 'C Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB']);
    expect(recs.at(-1)!.line).toBe('Background saving terminated with success');
    expect(recs.at(-1)!.role).toBe('M');
    // the write made after the fork is still "dirty"
    expect(js(c.cmd('info', 'persistence')) as string).toContain('rdb_changes_since_last_save:1\r\n');
    expect(js(c.cmd('bgsave', 'x'))).toEqual({ err: 'ERR syntax error' });
  });

  it('save rules trigger a BGSAVE from the cron', () => {
    const w = world({ configText: 'port 6379\nsave "2 3"\n' });
    const c = w.client();
    c.cmd('rpush', 'a', '1');
    c.cmd('rpush', 'a', '2');
    w.sim.sleep(5000);
    expect(w.logs().some((l) => l.includes('changes in 2 seconds. Saving...'))).toBe(false);
    c.cmd('rpush', 'a', '3');
    w.sim.sleep(500);
    expect(w.logs()).toContain('3 changes in 2 seconds. Saving...');
    expect(w.logs()).toContain('Background saving terminated with success');
    w.sim.kill(w.name);
    w.sim.restart(w.name);
    expect(js(w.client().cmd('llen', 'a'))).toBe(3);
  });

  it('SHUTDOWN saves when save rules exist, SHUTDOWN SAVE always, NOSAVE never', () => {
    const w = world({ configText: conf() });
    const c = w.client();
    c.cmd('rpush', 'a', '1');
    c.send('shutdown');
    c.take(1);
    expect(c.closed).toBe('closed');
    expect(w.logs().slice(-2)).toEqual(['User requested shutdown...', 'Redis is now ready to exit, bye bye...']);
    w.sim.start(w.name);
    expect(js(w.client().cmd('dbsize'))).toBe(0);

    const d = w.client();
    d.cmd('rpush', 'a', '1');
    d.send('shutdown', 'save');
    d.take(1);
    expect(w.logs().slice(-4)).toEqual([
      'User requested shutdown...',
      'Saving the final RDB snapshot before exiting.',
      'DB saved on disk',
      'Redis is now ready to exit, bye bye...',
    ]);
    const exits = w.sim.trace.records().filter((r) => r.k === 'proc' && r.ev === 'exit');
    expect((exits.at(-1) as { reason: string }).reason).toBe('shutdown (exit 0)');
    w.sim.start(w.name);
    expect(js(w.client().cmd('llen', 'a'))).toBe(1);

    const w2 = world({ configText: 'port 6379\nsave 3600 1\ndaemonize yes\n' });
    const e = w2.client();
    e.cmd('rpush', 'b', '1');
    expect(js(e.cmd('shutdown', 'save', 'nosave'))).toEqual({ err: 'ERR syntax error' });
    e.send('shutdown', 'nosave');
    e.take(1);
    expect(w2.logs()).not.toContain('Saving the final RDB snapshot before exiting.');
    expect(w2.logs()).toContain('Removing the pid file.');
    w2.sim.start(w2.name);
    expect(js(w2.client().cmd('dbsize'))).toBe(0);
  });

  it('SHUTDOWN is refused inside MULTI', () => {
    const c = world().client();
    c.cmd('multi');
    expect(js(c.cmd('shutdown'))).toEqual({ err: 'ERR Command not allowed inside a transaction' });
  });
});
