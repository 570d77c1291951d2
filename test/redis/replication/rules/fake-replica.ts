// Fake replicas of a real master (replication rules, issue 20): plain connections that send REPLCONF and
// PSYNC / SYNC themselves, so each master-side rule can be driven one request at a time.
import { expect } from 'vitest';
import { ReplWorld, type Cli, type Node } from '../world.ts';

export function master(conf = '') {
  const w = new ReplWorld();
  const m = w.server('m', '10.0.0.1', 7001, conf);
  w.start('m');
  w.run(10);
  let mark = w.mark();
  const logs = () => {
    const out = m.logs(mark);
    mark = w.mark();
    return out;
  };
  return { w, m, mc: w.client(m), logs };
}

/** A fake replica: announces `port`, then PSYNC ? (or SYNC); returns once the master answered. */
export function attach(w: ReplWorld, m: Node, port: number, how: 'psync' | 'sync' = 'psync'): Cli {
  const c = w.client(m);
  expect(c.q('replconf', 'listening-port', String(port), 'capa', 'psync2')).toBe('OK');
  const n = m.repl().links.length;
  if (how === 'psync') c.send('psync', '?', '-1');
  else c.send('sync');
  w.until(() => m.repl().links.length > n, '1s');
  return c;
}

/** A fake replica continued on the master's current history: online at once. */
export function online(w: ReplWorld, m: Node, port: number): Cli {
  const c = w.client(m);
  expect(c.q('replconf', 'listening-port', String(port), 'capa', 'psync2')).toBe('OK');
  const st = m.repl().st;
  expect(c.q('psync', st.replid, String(st.masterReplOffset + 1))).toBe(`CONTINUE ${st.replid}`);
  return c;
}

/** A master with a backlog: one SYNC replica made it. */
export function withBacklog(conf = '') {
  const x = master(conf);
  const s = attach(x.w, x.m, 7100, 'sync');
  x.w.run(10);
  expect(x.m.repl().backlog).not.toBeNull();
  x.logs();
  return { ...x, s };
}
