import { describe, expect, it } from 'vitest';
import { js, world } from './client.ts';

describe('data commands through the server', () => {
  it('strings and generic commands are wired; container subcommands of other groups resolve', () => {
    const c = world().client();
    expect(js(c.cmd('set', 'k', 'v'))).toBe('OK');
    expect(js(c.cmd('get', 'k'))).toBe('v');
    expect(js(c.cmd('object', 'encoding', 'k'))).toBe('embstr');
    expect(js(c.cmd('object', 'nosuch', 'k'))).toEqual({ err: "ERR unknown subcommand 'nosuch'. Try OBJECT HELP." });
    expect(js(c.cmd('get'))).toEqual({ err: "ERR wrong number of arguments for 'get' command" });
  });

  it('WATCH sees EXPIRE and DEL from another client', () => {
    const w = world();
    const a = w.client();
    const b = w.client();
    a.cmd('set', 'k', '1');
    a.cmd('watch', 'k');
    b.cmd('expire', 'k', '100');
    a.cmd('multi');
    a.cmd('incr', 'k');
    expect(js(a.cmd('exec'))).toBe(null);
    a.cmd('watch', 'k');
    b.cmd('del', 'k');
    a.cmd('multi');
    a.cmd('set', 'k', '2');
    expect(js(a.cmd('exec'))).toBe(null);
  });

  it('expiries survive an AOF restart as absolute times; expired ones are gone', () => {
    const w = world({ configText: 'port 6379\nsave ""\nappendonly yes\nappendfsync always\n' });
    const c = w.client();
    c.cmd('set', 'short', 'v', 'px', '500');
    c.cmd('set', 'long', 'v', 'ex', '100');
    w.sim.sleep(1000);
    w.sim.kill(w.name);
    w.sim.restart(w.name);
    const d = w.client();
    expect(js(d.cmd('get', 'short'))).toBe(null);
    expect(js(d.cmd('get', 'long'))).toBe('v');
    const ttl = js(d.cmd('ttl', 'long')) as number;
    expect(ttl).toBeGreaterThan(97);
    expect(ttl).toBeLessThanOrEqual(99);
  });

  it('FLUSHALL with save rules writes an empty RDB at once', () => {
    const w = world({ configText: 'port 6379\nsave 3600 1\n' });
    const c = w.client();
    c.cmd('set', 'k', 'v');
    c.cmd('save');
    expect(js(c.cmd('flushall'))).toBe('OK');
    w.sim.kill(w.name);
    w.sim.restart(w.name);
    expect(js(w.client().cmd('dbsize'))).toBe(0);
  });
});
