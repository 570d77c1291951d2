// A Sentinel's `aclfile` and `acl-pubsub-default` (sentinel.conf read by redis-server's loader): the users
// come from the ACL file, ACL SAVE writes it, CONFIG REWRITE keeps the aclfile line and writes no user
// lines; a missing file aborts the start. Replies as redis-server --sentinel 7.0.15 gave them.
import { describe, expect, it } from 'vitest';
import type { ProcessContext } from '../../engine/sim/process.ts';
import { Simulation } from '../../engine/sim/simulation.ts';
import { sentinelFactory } from '../../engine/sentinel/index.ts';
import { SimCli } from '../support/sim-cli.ts';

const BOB = 'user bob on #3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d ~* resetchannels +@all';

function start(conf: string, files: Record<string, string>): { sim: Simulation; cli: () => SimCli; disk: { read(p: string): unknown } } {
  const sim = new Simulation({ seed: 'sentinel-aclfile' });
  const h = sim.addHost('s1', '10.0.0.1');
  for (const [p, text] of Object.entries(files)) h.disk.write(p, text);
  const ch = sim.addHost('client', '10.9.9.9');
  let cctx: ProcessContext | null = null;
  sim.addProcess(ch, 40000, 'client', (ctx) => {
    cctx = ctx;
    return {};
  });
  sim.addProcess(h, 26379, 'sentinel', sentinelFactory({ configPath: '/etc/sentinel.conf', configText: conf }));
  sim.startAll();
  sim.sleep(200);
  return { sim, cli: () => new SimCli(sim, cctx!, '10.0.0.1', 26379), disk: h.disk };
}

const MONITOR = 'sentinel monitor m 10.0.0.2 6379 1\n';

describe('Sentinel aclfile', () => {
  it('loads the users of the ACL file; ACL SAVE writes it; the rewrite keeps aclfile and writes no user', () => {
    const w = start(`port 26379\naclfile /etc/users.acl\n${MONITOR}`, {
      '/etc/users.acl': 'user bob on >b +@all ~*\nuser default on nopass +@all ~* &*\n',
    });
    const cli = w.cli();
    expect(cli.q('ACL', 'USERS')).toEqual(['bob', 'default']);
    expect(cli.q('ACL', 'LIST')).toEqual([BOB, 'user default on nopass ~* &* +@all']);
    expect(cli.q('ACL', 'SAVE')).toBe('OK');
    expect(w.disk.read('/etc/users.acl')).toBe(`${BOB}\nuser default on nopass ~* &* +@all\n`);
    expect(cli.q('SENTINEL', 'FLUSHCONFIG')).toBe('OK');
    const conf = w.disk.read('/etc/sentinel.conf') as string;
    expect(conf).toContain('aclfile "/etc/users.acl"\n');
    expect(conf).not.toMatch(/^user /m);
  });

  it('a missing ACL file aborts the start with Redis log line', () => {
    const w = start(`port 26379\naclfile /etc/none.acl\n${MONITOR}`, {});
    const lines = w.sim.trace
      .records()
      .filter((r) => r.k === 'log')
      .map((r) => (r as { line: string }).line);
    expect(lines).toContain(
      "Aborting Redis startup because of ACL errors: Error loading ACLs, opening file '/etc/none.acl': No such file or directory",
    );
  });

  it('acl-pubsub-default allchannels gives new users &*', () => {
    const cli = start(`port 26379\nacl-pubsub-default allchannels\n${MONITOR}`, {}).cli();
    expect(cli.q('ACL', 'SETUSER', 'zed', 'on')).toBe('OK');
    const u = cli.q('ACL', 'GETUSER', 'zed') as unknown[];
    expect(u[u.indexOf('channels') + 1]).toBe('&*');
  });
});
