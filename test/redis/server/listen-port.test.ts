// CONFIG SET port with a host that binds real sockets (server/listen-port.ts): the binder's refusal
// fails the CONFIG SET, logs listenToPort's warning and rolls every parameter back; without a binder
// (the pure simulation) the port changes in the config only.
import { describe, expect, it } from 'vitest';
import { setPortBinder } from '../../../engine/redis/server/listen-port.ts';
import { ReplWorld } from '../replication/world.ts';

describe('CONFIG SET port', () => {
  it('a refused bind: error, rollback, the warning line; the rollback re-binds the old port', () => {
    const w = new ReplWorld();
    const a = w.server('a', '10.0.0.1', 7001);
    w.start('a');
    w.run(100);
    const c = w.client(a);
    const asked: number[] = [];
    setPortBinder(a.server(), (port) => {
      asked.push(port);
      return port === 7005 ? 'bind: Address already in use' : null;
    });
    const mark = w.mark();
    expect(c.q('config', 'set', 'maxmemory', '10000001', 'port', '7005', 'client-query-buffer-limit', '10m')).toEqual({
      err: "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.",
    });
    expect(c.q('config', 'get', 'maxmemory')).toEqual(['maxmemory', '0']);
    expect(c.q('config', 'get', 'port')).toEqual(['port', '7001']);
    expect(asked).toEqual([7005, 7001]);
    expect(a.logs(mark)).toContain('# Warning: Could not create server TCP listening socket *:7005: bind: Address already in use');
    expect(c.q('config', 'set', 'port', '7006')).toBe('OK');
    expect(c.q('config', 'get', 'port')).toEqual(['port', '7006']);
  });

  it('without a binder the simulated process keeps its address; the value changes', () => {
    const w = new ReplWorld();
    const a = w.server('a', '10.0.0.1', 7001);
    w.start('a');
    w.run(100);
    const c = w.client(a);
    expect(c.q('config', 'set', 'port', '7009')).toBe('OK');
    expect(c.q('ping')).toBe('PONG');
  });
});
