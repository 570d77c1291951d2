// serve's real clients arrive over the loopback, so a served node sees them as the peer 127.0.0.1: protected
// mode (on by default, no password) lets them in even when the node's simulated address is 10.0.0.x, as a real
// server lets in redis-cli on its own box. The gateway once connected from the first node's simulated address
// and every real client of such a config got -DENIED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../bin/gateway/index.ts';
import { fromConfigTexts } from '../../scenarios/api/index.ts';
import { encode, freePort, raw } from './harness.ts';

describe('serve and protected mode', () => {
  let gw: Gateway | null = null;
  let master = 0;
  let replica = 0;
  beforeAll(async () => {
    master = await freePort();
    replica = await freePort();
    // the replica's replicaof names 10.0.0.1, so the master's simulated address is 10.0.0.1; neither file
    // says protected-mode, so both run with Redis's default `protected-mode yes` and no password
    const cluster = fromConfigTexts({
      servers: [
        { name: 'm.conf', text: `port ${master}\n` },
        { name: 'r.conf', text: `port ${replica}\nreplicaof 10.0.0.1 ${master}\n` },
      ],
    });
    gw = await startGateway({ cluster, seed: '1' });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers real clients of a 10.0.0.x node and of a 127.0.0.1 node', async () => {
    expect(gw!.nodes.map((n) => n.name)).toEqual([`10.0.0.1:${master}`, `127.0.0.1:${replica}`]);
    for (const port of [master, replica]) {
      const r = await raw(port, encode('PING') + encode('CLIENT', 'INFO'), 1500);
      expect(r.data.startsWith('+PONG\r\n')).toBe(true);
      expect(r.data).toMatch(/addr=127\.0\.0\.1:\d+ /);
    }
  });

  it('lets in the replica on 127.0.0.1: its peer address is the loopback in the simulation too', async () => {
    let info = '';
    for (let i = 0; i < 20 && !info.includes('connected_slaves:1'); i++) info = (await raw(master, encode('INFO', 'replication'), 500)).data;
    expect(info).toContain('connected_slaves:1');
    expect(info).toMatch(/slave0:ip=127\.0\.0\.1,port=\d+,state=\w+/);
  });
});
