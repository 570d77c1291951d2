import { ORACLE_DIR as ORACLE } from '../../sentinel/oracle.ts';
import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../../../engine/trace/logformat.ts';
import { js, world } from './client.ts';

describe('server start', () => {
  it('prints the startup lines of 7.0.15 with C then M role characters', () => {
    const w = world({ port: 7003 });
    const recs = w.logRecords();
    const pid = recs[0]!.pid;
    expect(recs.map((r) => `${r.role} ${r.level} ${r.line}`)).toEqual([
      'C # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
      `C # Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=${pid}, just started`,
      'C # Configuration loaded',
      'M * monotonic clock: POSIX clock_gettime',
      'M * Running mode=standalone, port=7003.',
      'M # Server initialized',
      expect.stringMatching(/^M # WARNING Memory overcommit must be enabled!/) as unknown as string,
      'M * Ready to accept connections',
    ]);
    expect(formatLogLine(recs[0]!)).toMatch(new RegExp(`^${pid}:C 25 Nov 2026 00:00:00.000 # oO0OoO0OoO0Oo Redis is starting`));
  });

  it('a replica (replicaof in the config) logs with S from initialisation on', () => {
    const w = world({ configText: 'port 6380\nsave ""\nreplicaof 10.0.0.9 6379\n', port: 6380 });
    const recs = w.logRecords();
    expect(recs[2]!.role).toBe('C');
    expect(recs[3]!.role).toBe('S');
    expect(w.server().repl.role).toBe('replica');
    expect(js(w.client().cmd('info', 'replication')) as string).toMatch(/^# Replication\r\nrole:slave\r\nmaster_host:10.0.0.9\r\nmaster_port:6379\r\n/);
  });

  it('a bad config file logs the FATAL CONFIG FILE ERROR text and exits with status 1', () => {
    const w = world({ configText: 'port 6379\nmaxmemory lots\n' });
    expect(w.logs()).toEqual([
      "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'maxmemory lots'\nargument must be a memory value",
    ]);
    const exits = w.sim.trace.records().filter((r) => r.k === 'proc' && r.ev === 'exit');
    expect(exits.map((r) => (r as { reason: string }).reason)).toEqual(['config error (exit 1)']);
    expect(w.sim.proc(w.name).state).toBe('stopped');

    const w2 = world({ configText: 'port 6379\nfoo bar\n' });
    expect(w2.logs()[0]).toBe(
      "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'foo bar'\nBad directive or wrong number of arguments",
    );
  });

  it('the oracle tutorial redis.conf (2.8-era names) loads', async () => {
    const fs = await import('node:fs');
    const text = fs.readFileSync(ORACLE + '/seed-configs/redis.conf', 'utf8');
    const w = world({ configText: text, port: 7003 });
    expect(w.logs()).toContain('Ready to accept connections');
    expect(w.logs()).toContain('Running mode=standalone, port=7003.');
  });

  it('overrides act like command-line options after the file', () => {
    const w = world({ configText: 'port 6379\nsave ""\n', overrides: { port: '7777', 'requirepass': 'p w' } });
    expect(w.logs()).toContain('Running mode=standalone, port=7777.');
    expect(w.server().conf.get('requirepass')).toBe('p w');
  });

  it('the config file on disk wins over configText once written; restart reads the disk', () => {
    const w = world({ configText: 'port 6379\nsave ""\n' });
    const disk = w.sim.host('srv').disk;
    expect(disk.read('/etc/redis.conf')).toBe('port 6379\nsave ""\n');
    disk.write('/etc/redis.conf', 'port 6379\nsave ""\nhz 50\n');
    w.sim.restart(w.name);
    expect(w.server().conf.get('hz')).toBe('50');
  });
});
