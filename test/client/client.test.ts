import { describe, expect, it } from 'vitest';
import { addClientProcess, callSync, isClientError, pipelineSync, type ClientError } from '../../engine/client/index.ts';
import { arr, bulk, int, type Resp } from '../../engine/net/resp.ts';
import type { Conn } from '../../engine/net/types.ts';
import { redisServerFactory } from '../../engine/redis/server/index.ts';
import type { ProcessFactory } from '../../engine/sim/process.ts';
import { TimeoutError } from '../../engine/sim/scheduler.ts';
import { Simulation } from '../../engine/sim/simulation.ts';

/** A fake server: replies to every command with its argv as an array of bulks. */
const echoArgvServer: ProcessFactory = () => ({
  onConnection(conn: Conn) {
    conn.setHandlers({ onData: (m) => conn.send(arr((m as string[]).map((a) => bulk(a))), 16, 'client') });
  },
});

function fakeWorld() {
  const sim = new Simulation({ seed: 'client-fake' });
  sim.addHost('srv', '10.0.0.1');
  sim.addProcess('srv', 6379, 'server', echoArgvServer);
  const c = addClientProcess(sim, 'app', { target: '10.0.0.1:6379' });
  sim.startAll();
  return { sim, c };
}

function redisWorld(configText = 'port 6379\nprotected-mode no\nsave ""\n') {
  const sim = new Simulation({ seed: 'client-redis' });
  sim.addHost('srv', '10.0.0.1');
  sim.addProcess('srv', 6379, 'server', redisServerFactory({ configText, configPath: '/etc/redis.conf' }));
  const c = addClientProcess(sim, 'app', 'app-1', { target: '10.0.0.1:6379' });
  sim.startAll();
  return { sim, c };
}

const v = (r: Resp | ClientError | undefined): unknown => {
  if (!r) return undefined;
  if (r.t === 'client-error') return { clientError: r.reason };
  if (r.t === 'error') return { err: r.v };
  if (r.t === 'array') return r.v === null ? null : r.v.map(v);
  return typeof r.v === 'bigint' ? Number(r.v) : r.v;
};

describe('RedisConnection against a fake server', () => {
  it('pipelines and answers in order', () => {
    const { sim, c } = fakeWorld();
    const got: unknown[] = [];
    for (let i = 0; i < 20; i++) c.call(['CMD', String(i)], (r) => got.push(v(r)));
    expect(c.connection().pending).toBe(20);
    sim.run({ forMs: 100 });
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => ['CMD', String(i)]));
    expect(v(callSync(sim, c, ['X']))).toEqual(['X']);
  });

  it('sends AUTH, SELECT and CLIENT SETNAME first when asked', () => {
    const sim = new Simulation({ seed: 1 });
    sim.addHost('srv', '10.0.0.1');
    const seen: string[][] = [];
    sim.addProcess('srv', 6379, 'server', () => ({
      onConnection(conn: Conn) {
        conn.setHandlers({ onData: (m) => (seen.push(m as string[]), conn.send(int(1), 4)) });
      },
    }));
    const c = addClientProcess(sim, '10.9.9.9', { target: '10.0.0.1:6379', auth: ['u', 'p'], db: 3, clientName: 'n' });
    sim.startAll();
    expect(v(callSync(sim, c, ['PING']))).toBe(1);
    expect(seen).toEqual([['AUTH', 'u', 'p'], ['SELECT', '3'], ['CLIENT', 'SETNAME', 'n'], ['PING']]);
    expect(c.slot.name).toBe('10.9.9.9:40000');
  });

  it('refused connections fail pending calls; a later call reconnects', () => {
    const sim = new Simulation({ seed: 2 });
    sim.addHost('srv', '10.0.0.1');
    const c = addClientProcess(sim, 'app', { target: '10.0.0.1:6379' });
    sim.startAll();
    expect(v(callSync(sim, c, ['PING']))).toEqual({ clientError: 'refused' });
    sim.addProcess('srv', 6379, 'server', echoArgvServer);
    sim.start('10.0.0.1:6379');
    expect(v(callSync(sim, c, ['PING']))).toEqual(['PING']);
  });

  it('a call on a closed connection fails asynchronously', () => {
    const { sim, c } = fakeWorld();
    const conn = c.connect('10.0.0.1:6379');
    const got: unknown[] = [];
    conn.call(['A'], (r) => got.push(v(r)));
    conn.close();
    conn.call(['B'], (r) => got.push(v(r)));
    expect(got).toEqual([]);
    sim.run({ forMs: 10 });
    expect(got).toEqual([{ clientError: 'local' }, { clientError: 'local' }]);
  });

  it('a stopped client process answers not-running', () => {
    const { sim, c } = fakeWorld();
    callSync(sim, c, ['PING']);
    sim.kill(c.slot.name);
    expect(v(callSync(sim, c, ['PING']))).toEqual({ clientError: 'not-running' });
    sim.restart(c.slot.name);
    expect(v(callSync(sim, c, ['PING']))).toEqual(['PING']);
  });

  it('unsolicited replies go to onPush', () => {
    const sim = new Simulation({ seed: 3 });
    sim.addHost('srv', '10.0.0.1');
    sim.addProcess('srv', 6379, 'server', () => ({
      onConnection(conn: Conn) {
        conn.send({ t: 'error', v: 'ERR max number of clients reached' }, 36);
        conn.close();
      },
    }));
    const pushes: unknown[] = [];
    const c = addClientProcess(sim, 'app', { target: '10.0.0.1:6379', onPush: (m) => pushes.push(v(m)) });
    sim.startAll();
    const conn = c.connection();
    sim.run({ forMs: 10 });
    expect(pushes).toEqual([{ err: 'ERR max number of clients reached' }]);
    expect(conn.closeReason).toBe('closed');
  });
});

describe('SimClient against the simulated redis-server', () => {
  it('callSync and pipelineSync', () => {
    const { sim, c } = redisWorld();
    expect(v(callSync(sim, c, ['SET', 'k', 'v']))).toBe('OK');
    expect(v(callSync(sim, c, ['GET', 'k']))).toBe('v');
    expect(pipelineSync(sim, c, [['INCR', 'n'], ['INCR', 'n'], ['LPUSH', 'n', 'x'], ['GET', 'n']]).map(v)).toEqual([
      1,
      2,
      { err: 'WRONGTYPE Operation against a key holding the wrong kind of value' },
      '2',
    ]);
  });

  it('MULTI/EXEC replies in order', () => {
    const { sim, c } = redisWorld();
    expect(pipelineSync(sim, c, [['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['EXEC']]).map(v)).toEqual(['OK', 'QUEUED', 'QUEUED', ['OK', 2]]);
  });

  it('pub/sub: confirmations, messages through onPush, PING and UNSUBSCRIBE all', () => {
    const { sim, c } = redisWorld();
    const msgs: unknown[] = [];
    const sub = c.connect('10.0.0.1:6379', { onPush: (m) => msgs.push(v(m)) });
    expect(v(callSync(sim, sub, ['SUBSCRIBE', 'a', 'b']))).toEqual([
      ['subscribe', 'a', 1],
      ['subscribe', 'b', 2],
    ]);
    expect(v(callSync(sim, sub, ['PSUBSCRIBE', 'n*']))).toEqual(['psubscribe', 'n*', 3]);
    expect(sub.inPubSub).toBe(true);
    expect(v(callSync(sim, c, ['PUBLISH', 'a', 'hello']))).toBe(1);
    expect(v(callSync(sim, c, ['PUBLISH', 'news', 'x']))).toBe(1);
    expect(v(callSync(sim, sub, ['PING']))).toEqual(['pong', '']);
    expect(msgs).toEqual([
      ['message', 'a', 'hello'],
      ['pmessage', 'n*', 'news', 'x'],
    ]);
    expect(v(callSync(sim, sub, ['GET', 'x']))).toEqual({
      err: "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    });
    expect(v(callSync(sim, sub, ['UNSUBSCRIBE']))).toEqual([
      ['unsubscribe', 'a', 2],
      ['unsubscribe', 'b', 1],
    ]);
    expect(v(callSync(sim, sub, ['PUNSUBSCRIBE']))).toEqual(['punsubscribe', 'n*', 0]);
    expect(v(callSync(sim, sub, ['UNSUBSCRIBE']))).toEqual(['unsubscribe', null, 0]);
    expect(sub.inPubSub).toBe(false);
    expect(v(callSync(sim, sub, ['PING']))).toBe('PONG');
  });

  it('AUTH and SELECT on connect', () => {
    const { sim, c } = redisWorld('port 6379\nsave ""\nrequirepass secret\n');
    expect(v(callSync(sim, c, ['GET', 'k']))).toEqual({ err: 'NOAUTH Authentication required.' });
    const good = c.connect('10.0.0.1:6379', { auth: 'secret', db: 2 });
    expect(v(callSync(sim, good, ['SET', 'k', 'v']))).toBe('OK');
    expect(v(callSync(sim, good, ['CLIENT', 'INFO']))).toMatch(/ db=2 /);
    const bad = c.connect('10.0.0.1:6379', { auth: 'nope' });
    expect(v(callSync(sim, bad, ['PING']))).toEqual({ err: 'NOAUTH Authentication required.' });
    expect(v(bad.handshakeError!)).toEqual({ err: 'WRONGPASS invalid username-password pair or user is disabled.' });
  });

  it('a server crash fails pending calls with reset; the client reconnects after the restart', () => {
    const { sim, c } = redisWorld();
    const got: (Resp | ClientError)[] = [];
    c.call(['BLPOP', 'q', '0'], (r) => got.push(r));
    sim.run({ forMs: 50 });
    sim.kill('10.0.0.1:6379');
    sim.run({ forMs: 50 });
    expect(got.length).toBe(1);
    expect(isClientError(got[0]) && got[0].reason).toBe('reset');
    sim.restart('10.0.0.1:6379');
    expect(v(callSync(sim, c, ['PING']))).toBe('PONG');
  });

  it('callSync throws the TimeoutError of virtual time', () => {
    const { sim, c } = redisWorld();
    expect(() => callSync(sim, c, ['BLPOP', 'q', '0'], { timeout: '2s' })).toThrow(TimeoutError);
  });
});
