import { describe, expect, it } from 'vitest';
import type { AofIncrFile } from '../../../engine/redis/persistence/manifest.ts';
import { js, world } from '../server/client.ts';

const aofConf = (fsync: string, extra = '') => `port 6379\nsave ""\nappendonly yes\nappendfsync ${fsync}\n${extra}`;

function crashAndRestart(w: ReturnType<typeof world>) {
  w.sim.kill(w.name);
  w.sim.restart(w.name);
  return w.client();
}

describe('AOF persistence', () => {
  it('first start creates BASE + INCR + manifest with 7.0.15 log lines', () => {
    const w = world({ configText: aofConf('everysec') });
    const logs = w.logs();
    expect(logs.slice(-3)).toEqual([
      'Creating AOF base file appendonly.aof.1.base.rdb on server start',
      'Creating AOF incr file appendonly.aof.1.incr.aof on server start',
      'Ready to accept connections',
    ]);
    const disk = w.sim.host('srv').disk;
    expect(disk.read('/etc/appendonlydir/appendonly.aof.manifest')).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
  });

  it('appendfsync always: a crash loses nothing; SELECT is written when the db changes', () => {
    const w = world({ configText: aofConf('always') });
    const c = w.client();
    c.cmd('rpush', 'a', '1');
    c.cmd('select', '2');
    c.cmd('rpush', 'b', '1');
    c.cmd('multi');
    c.cmd('rpush', 'b', '2');
    c.cmd('rpush', 'b', '3');
    c.cmd('exec');
    const incr = w.sim.host('srv').disk.read<AofIncrFile>('/etc/appendonlydir/appendonly.aof.1.incr.aof')!;
    expect(incr.commands.map((a) => a.join(' '))).toEqual([
      'SELECT 0',
      'rpush a 1',
      'SELECT 2',
      'rpush b 1',
      'MULTI',
      'rpush b 2',
      'rpush b 3',
      'EXEC',
    ]);
    const d = crashAndRestart(w);
    expect(js(d.cmd('llen', 'a'))).toBe(1);
    d.cmd('select', '2');
    expect(js(d.cmd('lrange', 'b', '0', '-1'))).toEqual(['1', '2', '3']);
    const logs = w.logs();
    const i = logs.lastIndexOf('Reading RDB base file on AOF loading...');
    expect(logs.slice(i, i + 10)).toEqual([
      'Reading RDB base file on AOF loading...',
      'Loading RDB produced by version 7.0.15',
      expect.stringMatching(/^RDB age \d+ seconds$/) as unknown as string,
      expect.stringMatching(/^RDB memory usage when created/) as unknown as string,
      'RDB is base AOF',
      'Done loading RDB, keys loaded: 0, keys expired: 0.',
      'DB loaded from base file appendonly.aof.1.base.rdb: 0.000 seconds',
      'DB loaded from incr file appendonly.aof.1.incr.aof: 0.000 seconds',
      'DB loaded from append only file: 0.000 seconds',
      'Opening AOF incr file appendonly.aof.1.incr.aof on server start',
    ]);
    // loading counts as changes since the last save, like 7.0.15
    expect(js(d.cmd('info', 'persistence')) as string).toContain('rdb_changes_since_last_save:4\r\n');
  });

  it('appendfsync everysec: a crash loses at most the last second', () => {
    const w = world({ configText: aofConf('everysec') });
    const c = w.client();
    for (let i = 0; i < 25; i++) {
      w.sim.sleep(100);
      c.cmd('rpush', 'l', String(i));
    }
    // crash at ~2.5 s of wall time: what was written since the fsync at the 2 s boundary is lost
    const d = crashAndRestart(w);
    const n = js(d.cmd('llen', 'l')) as number;
    expect(n).toBeLessThan(25);
    expect(n).toBeGreaterThanOrEqual(25 - 11);
    expect(js(d.cmd('lrange', 'l', '0', '-1'))).toEqual(Array.from({ length: n }, (_, i) => String(i)));
  });

  it('appendfsync everysec: after a quiet second everything is on disk', () => {
    const w = world({ configText: aofConf('everysec') });
    const c = w.client();
    c.cmd('rpush', 'l', 'a', 'b');
    w.sim.sleep(1100);
    const d = crashAndRestart(w);
    expect(js(d.cmd('llen', 'l'))).toBe(2);
  });

  it('appendfsync no: the OS writes back only every 30 s', () => {
    const w = world({ configText: aofConf('no') });
    const c = w.client();
    c.cmd('rpush', 'l', 'a');
    w.sim.sleep(5000);
    let d = crashAndRestart(w);
    expect(js(d.cmd('llen', 'l'))).toBe(0);
    d.cmd('rpush', 'l', 'b');
    w.sim.sleep(31_000);
    d = crashAndRestart(w);
    expect(js(d.cmd('llen', 'l'))).toBe(1);
  });

  it('SHUTDOWN fsyncs the AOF', () => {
    const w = world({ configText: aofConf('no') });
    const c = w.client();
    c.cmd('rpush', 'l', 'a');
    c.send('shutdown');
    c.take(1);
    expect(w.logs()).toContain('Calling fsync() on the AOF file.');
    w.sim.start(w.name);
    expect(js(w.client().cmd('llen', 'l'))).toBe(1);
  });

  it('BGREWRITEAOF: new BASE and INCR, history removed, restart reads the new files', () => {
    const w = world({ configText: aofConf('always') });
    const c = w.client();
    c.cmd('rpush', 'l', 'a');
    expect(js(c.cmd('bgrewriteaof'))).toBe('Background append only file rewriting started');
    expect(js(c.cmd('bgrewriteaof'))).toEqual({ err: 'ERR Background append only file rewriting already in progress' });
    expect(js(c.cmd('bgsave'))).toEqual({
      err: "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
    });
    expect(js(c.cmd('bgsave', 'schedule'))).toBe('Background saving scheduled');
    c.cmd('rpush', 'l', 'b');
    w.sim.sleep(200);
    const logs = w.logs();
    const pidLine = logs.find((l) => l.startsWith('Background append only file rewriting started by pid '))!;
    const pid = pidLine.split(' ').pop();
    const i = logs.indexOf('Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite');
    expect(logs.slice(i, i + 10)).toEqual([
      'Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite',
      pidLine,
      `Successfully created the temporary AOF base file temp-rewriteaof-bg-${pid}.aof`,
      'Fork CoW for AOF rewrite: current 0 MB, peak 0 MB, average 0 MB',
      'Background AOF rewrite terminated with success',
      `Successfully renamed the temporary AOF base file temp-rewriteaof-bg-${pid}.aof into appendonly.aof.2.base.rdb`,
      'Removing the history file appendonly.aof.1.incr.aof in the background',
      'Removing the history file appendonly.aof.1.base.rdb in the background',
      'Background AOF rewrite finished successfully',
      expect.stringMatching(/^Background saving started by pid \d+$/) as unknown as string,
    ]);
    const disk = w.sim.host('srv').disk;
    expect(disk.read('/etc/appendonlydir/appendonly.aof.manifest')).toBe(
      'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    );
    expect(disk.exists('/etc/appendonlydir/appendonly.aof.1.incr.aof')).toBe(false);
    const d = crashAndRestart(w);
    expect(js(d.cmd('lrange', 'l', '0', '-1'))).toEqual(['a', 'b']);
  });

  it('a crash during the rewrite still loads everything (manifest lists both INCR files)', () => {
    const w = world({ configText: aofConf('always') });
    const c = w.client();
    for (let i = 0; i < 2000; i++) c.send('rpush', 'l', String(i));
    c.take(2000);
    c.cmd('bgrewriteaof');
    c.cmd('rpush', 'l', 'last');
    const d = crashAndRestart(w);
    expect(js(d.cmd('llen', 'l'))).toBe(2001);
    expect(w.logs()).toContain('DB loaded from incr file appendonly.aof.2.incr.aof: 0.000 seconds');
  });

  it('with appendonly yes an existing dump.rdb is ignored at start', () => {
    const w = world({ configText: 'port 6379\nsave ""\nappendonly no\n' });
    const c = w.client();
    c.cmd('rpush', 'l', 'a');
    c.cmd('save');
    w.sim.host('srv').disk.write('/etc/redis.conf', aofConf('always'));
    w.sim.restart(w.name);
    expect(js(w.client().cmd('llen', 'l'))).toBe(0);
  });

  it('CONFIG SET appendonly yes writes the initial AOF through a rewrite', () => {
    const w = world({ configText: 'port 6379\nsave ""\nappendonly no\nappendfsync always\n' });
    const c = w.client();
    c.cmd('rpush', 'l', 'a');
    expect(js(c.cmd('config', 'set', 'appendonly', 'yes'))).toBe('OK');
    c.cmd('rpush', 'l', 'b');
    w.sim.sleep(200);
    expect(w.logs()).toContain('Creating AOF incr file temp-appendonly.aof.incr on background rewrite');
    expect(w.logs()).toContain('Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr into appendonly.aof.1.incr.aof');
    c.cmd('config', 'rewrite');
    const d = crashAndRestart(w);
    expect(js(d.cmd('lrange', 'l', '0', '-1'))).toEqual(['a', 'b']);
  });
});
