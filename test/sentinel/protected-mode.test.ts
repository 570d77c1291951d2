// A Sentinel and protected mode (Redis 7.0.15): initSentinelConfig turns protected-mode off ("Sentinel must be
// exposed"), so by default other hosts get in; `protected-mode yes` in sentinel.conf turns it on, and with no
// requirepass every peer but 127.0.0.1 / ::1 gets the DENIED text and is closed (networking.c
// clientAcceptHandler, the same check the servers use: engine/redis/server/protected-mode.ts).
// redis-server --sentinel can only be reached over loopback here, where the check never fires: the
// non-loopback refusal rests on the source.
import { describe, expect, it } from 'vitest';
import type { ProcessContext } from '../../engine/sim/process.ts';
import { Simulation } from '../../engine/sim/simulation.ts';
import { sentinelFactory } from '../../engine/sentinel/index.ts';
import { PROTECTED_MODE_DENIED } from '../../engine/redis/server/protected-mode.ts';
import { SimCli } from '../support/sim-cli.ts';

const MONITOR = 'sentinel monitor m 10.0.0.2 6379 1\n';

function start(conf: string): { sim: Simulation; cli: () => SimCli } {
  const sim = new Simulation({ seed: 'sentinel-protected' });
  const h = sim.addHost('s1', '10.0.0.1');
  const ch = sim.addHost('client', '10.9.9.9');
  let cctx: ProcessContext | null = null;
  sim.addProcess(ch, 40000, 'client', (ctx) => {
    cctx = ctx;
    return {};
  });
  sim.addProcess(h, 26379, 'sentinel', sentinelFactory({ configPath: '/etc/sentinel.conf', configText: `port 26379\n${conf}${MONITOR}` }));
  sim.startAll();
  sim.sleep(200);
  return { sim, cli: () => new SimCli(sim, cctx!, '10.0.0.1', 26379) };
}

describe('Sentinel protected mode', () => {
  it('is off by default: a client from another host is served', () => {
    const cli = start('').cli();
    expect(cli.q('PING')).toBe('PONG');
  });

  it('protected-mode yes without a password: DENIED at connect, then closed; INFO counts the rejection', () => {
    const w = start('protected-mode yes\n');
    const c = w.cli();
    expect(c.take(1, '2s')).toEqual([{ t: 'error', v: PROTECTED_MODE_DENIED }]);
    w.sim.sleep(10);
    expect(c.closed).not.toBeNull();
    const srv = (w.sim.procs.get('10.0.0.1:26379')!.instance as { server: { rejectedConnections: number; totalConnections: number; clients: Map<number, unknown> } }).server;
    expect([srv.rejectedConnections, srv.totalConnections, srv.clients.size]).toEqual([1, 0, 0]);
  });

  it('protected-mode yes with requirepass: other hosts get in (and must AUTH)', () => {
    const cli = start('protected-mode yes\nrequirepass pw\n').cli();
    expect(cli.q('PING')).toEqual({ err: 'NOAUTH Authentication required.' });
    expect(cli.q('AUTH', 'pw')).toBe('OK');
    expect(cli.q('INFO', 'stats') as string).toMatch(/\r\nrejected_connections:0\r\n/);
  });
});
