// Protected mode (networking.c clientAcceptHandler, Redis 7.0.15): `protected-mode yes` with a
// passwordless default user refuses every peer but 127.0.0.1 / ::1 with the DENIED text, then closes.
// Real redis-server can only be reached over loopback here, where the check never fires, so the
// non-loopback cases rest on the source (the DENIED text is compared with networking.c's bytes).
import { describe, expect, it } from 'vitest';
import { isLocalPeer, PROTECTED_MODE_DENIED, protectedModeRefusal } from '../../../engine/redis/server/protected-mode.ts';
import { linkUp, ReplWorld } from '../replication/world.ts';

describe('protected mode', () => {
  it('islocalClient: only 127.0.0.1 and ::1 are loopback peers', () => {
    expect(isLocalPeer('127.0.0.1:5000')).toBe(true);
    expect(isLocalPeer('::1:5000')).toBe(true);
    expect(isLocalPeer('127.0.0.2:5000')).toBe(false);
    expect(isLocalPeer('10.0.0.1:5000')).toBe(false);
    expect(protectedModeRefusal(true, true, '10.0.0.1:1')).toEqual({ t: 'error', v: PROTECTED_MODE_DENIED });
    expect(protectedModeRefusal(false, true, '10.0.0.1:1')).toBeNull();
    expect(protectedModeRefusal(true, false, '10.0.0.1:1')).toBeNull();
  });

  it('a client from another host gets DENIED and is closed; rejected_connections counts it, total_connections_received does not', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'protected-mode yes\n');
    w.start('m');
    const before = m.server().stats.connectionsReceived;
    const c = w.client(m);
    const r = c.take(1, '2s');
    expect(r).toEqual([{ t: 'error', v: PROTECTED_MODE_DENIED }]);
    w.run(10);
    expect(c.closed).not.toBeNull();
    expect(m.server().clients.size).toBe(0);
    expect(m.server().stats.rejectedConnections).toBe(1);
    expect(m.server().stats.connectionsReceived).toBe(before);
  });

  it('a password on the default user, or protected-mode no, lets other hosts in', () => {
    const w = new ReplWorld();
    const a = w.server('a', '10.0.0.1', 7001, 'protected-mode yes\nrequirepass pw\n');
    const b = w.server('b', '10.0.0.2', 7002, 'protected-mode yes\n');
    w.start('a', 'b');
    expect(w.client(a).q('ping')).toEqual({ err: 'NOAUTH Authentication required.' });
    const cb = w.client(b);
    expect(cb.take(1, '2s')[0]).toEqual({ t: 'error', v: PROTECTED_MODE_DENIED });
    // CONFIG SET protected-mode no (what the DENIED text advises, from loopback): the next connection is accepted
    expect(b.server().conf.configSet(['protected-mode', 'no'])).toEqual({ t: 'simple', v: 'OK' });
    expect(w.client(b).q('ping')).toBe('PONG');
  });

  it('a replica on another host cannot sync: "Error reply to PING from master" and it retries', () => {
    const w = new ReplWorld();
    const m = w.server('m', '10.0.0.1', 7001, 'protected-mode yes\n');
    const r = w.server('r', '10.0.0.2', 7002, 'replicaof 10.0.0.1 7001\n');
    w.start('m', 'r');
    w.run(3500);
    expect(linkUp(r)).toBe(false);
    const errs = r.logs().filter((l) => l.includes('Error reply to PING from master'));
    expect(errs.length).toBeGreaterThanOrEqual(2);
    // receiveSynchronousResponse: 255 bytes of the line (as real 7.0.15 logs it: differential-protected-mode.test.ts)
    expect(errs[0]).toBe(`# Error reply to PING from master: '${`-${PROTECTED_MODE_DENIED}`.slice(0, 255)}'`);
    expect(m.server().stats.rejectedConnections).toBe(errs.length);
  });
});
