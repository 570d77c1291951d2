import { readFileSync } from 'node:fs';
import { ORACLE_DIR as ORACLE } from '../../sentinel/oracle.ts';
import { describe, expect, it } from 'vitest';
import { js, world } from './client.ts';

/** section title → field names, from an INFO text. */
function layout(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur = '';
  for (const line of text.split(/\r?\n/).map((l) => l.replace(/\r$/, ''))) {
    if (line.startsWith('# ')) {
      cur = line.slice(2);
      out.set(cur, []);
    } else if (line.includes(':') && cur) out.get(cur)!.push(line.slice(0, line.indexOf(':')));
  }
  return out;
}

const oracle = readFileSync(ORACLE + '/samples/info-master.txt', 'utf8').split('\n').slice(1).join('\n');

describe('INFO', () => {
  it('default sections, their order and field names match 7.0.15', () => {
    const w = world();
    const c = w.client();
    c.cmd('rpush', 'k', 'v');
    const text = js(c.cmd('info')) as string;
    expect(text.endsWith('\r\n')).toBe(true);
    const mine = layout(text);
    const real = layout(oracle);
    expect([...mine.keys()]).toEqual([...real.keys()]);
    for (const [section, fields] of real) {
      if (section === 'Replication') continue;
      expect(mine.get(section), section).toEqual(fields);
    }
    expect(mine.get('Replication')).toEqual([
      'role',
      'connected_slaves',
      'master_failover_state',
      'master_replid',
      'master_replid2',
      'master_repl_offset',
      'second_repl_offset',
      'repl_backlog_active',
      'repl_backlog_size',
      'repl_backlog_first_byte_offset',
      'repl_backlog_histlen',
    ]);
    // sections are separated by an empty line
    expect(text).toContain('io_threads_active:0\r\n\r\n# Clients\r\n');
    expect(text).toContain('# Modules\r\n\r\n# Errorstats\r\n');
  });

  it('values come from the simulation', () => {
    const w = world({ port: 7001 });
    const c = w.client();
    w.sim.sleep(3500);
    c.cmd('rpush', 'a', '1');
    c.cmd('select', '2');
    c.cmd('rpush', 'b', '1');
    c.cmd('nosuch');
    const info = js(c.cmd('info', 'everything')) as string;
    const f = (k: string) => new RegExp(`\\r\\n${k}:([^\\r]*)\\r\\n`).exec('\r\n' + info)?.[1];
    expect(f('process_id')).toBe(String(w.sim.proc(w.name).pid));
    expect(f('run_id')).toMatch(/^[0-9a-f]{40}$/);
    expect(f('tcp_port')).toBe('7001');
    expect(f('uptime_in_seconds')).toBe('3');
    expect(f('config_file')).toBe('/etc/redis.conf');
    expect(f('connected_clients')).toBe('1');
    expect(f('total_connections_received')).toBe('1');
    expect(f('total_error_replies')).toBe('1');
    expect(f('errorstat_ERR')).toBe('count=1');
    expect(f('role')).toBe('master');
    expect(f('master_replid')).toMatch(/^[0-9a-f]{40}$/);
    expect(f('db0')).toBe('keys=1,expires=0,avg_ttl=0');
    expect(f('db2')).toBe('keys=1,expires=0,avg_ttl=0');
    expect(f('cmdstat_rpush')).toBe('calls=2,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0');
    expect(f('rdb_changes_since_last_save')).toBe('2');
    expect(f('aof_enabled')).toBe('0');
    expect(f('used_memory_human')).toMatch(/^\d+\.\d\dK|M$/);
    expect(info).toContain('# Commandstats\r\n');
    expect(info).toContain('# Latencystats\r\n');
    // a section by name, case-insensitive
    expect(js(c.cmd('info', 'CLUSTER'))).toBe('# Cluster\r\ncluster_enabled:0\r\n');
    expect(js(c.cmd('info', 'nosuch'))).toBe('');
    // run ids differ between incarnations
    const id1 = f('run_id');
    w.sim.restart(w.name);
    const c2 = w.client();
    const id2 = /run_id:(\w+)/.exec(js(c2.cmd('info', 'server')) as string)![1];
    expect(id2).not.toBe(id1);
  });
});

describe('CONFIG', () => {
  it('GET / SET with Redis error texts, and side effects', () => {
    const w = world();
    const c = w.client();
    expect(js(c.cmd('config', 'get', 'maxmemory'))).toEqual(['maxmemory', '0']);
    expect(js(c.cmd('config', 'set', 'maxmemory', '1x'))).toEqual({
      err: "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
    });
    expect(js(c.cmd('config', 'set', 'nosuch', '1'))).toEqual({ err: "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'" });
    expect(js(c.cmd('config', 'set', 'a', 'b', 'c'))).toEqual({ err: 'ERR syntax error' });
    expect(js(c.cmd('config', 'set', 'maxmemory', '10mb', 'hz', '20'))).toBe('OK');
    expect(js(c.cmd('config', 'get', 'maxmemory'))).toEqual(['maxmemory', '10485760']);
    expect(js(c.cmd('config', 'get', 'hz'))).toEqual(['hz', '20']);
    expect(js(c.cmd('config', 'set', 'requirepass', 'pw'))).toBe('OK');
    // existing connections stay authenticated, new ones must AUTH
    expect(js(c.cmd('ping'))).toBe('PONG');
    expect(js(w.client().cmd('ping'))).toEqual({ err: 'NOAUTH Authentication required.' });
    expect((js(c.cmd('config', 'help')) as string[])[0]).toBe('CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  });

  it('REWRITE writes the file on the host disk and logs', () => {
    const w = world({ configText: 'port 6379\nsave ""\n# a comment\nmaxmemory 1mb\n' });
    const c = w.client();
    c.cmd('config', 'set', 'maxmemory', '2mb', 'replica-priority', '42');
    expect(js(c.cmd('config', 'rewrite'))).toBe('OK');
    const text = w.sim.host('srv').disk.read<string>('/etc/redis.conf')!;
    expect(text).toContain('# a comment');
    expect(text).toContain('maxmemory 2mb');
    expect(text).toContain('replica-priority 42');
    expect(w.logs()).toContain('CONFIG REWRITE executed with success.');
    w.sim.restart(w.name);
    expect(w.server().conf.get('replica-priority')).toBe('42');
  });

  it('REWRITE without a config file', () => {
    const w = world({ configPath: '' });
    expect(js(w.client().cmd('config', 'rewrite'))).toEqual({ err: 'ERR The server is running without a config file' });
  });

  it('RESETSTAT', () => {
    const w = world();
    const c = w.client();
    c.cmd('nosuch');
    expect(js(c.cmd('config', 'resetstat'))).toBe('OK');
    expect(js(c.cmd('info', 'stats')) as string).toContain('total_error_replies:0\r\n');
  });
});
