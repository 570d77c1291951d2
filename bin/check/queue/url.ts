// The queue's address for `check --queue` and `worker --queue`: redis://[[user]:password@]host[:port][/db]
// (rediss:// for TLS), as redis-cli -u takes it. A bad URL is a usage error (exit 2).
import { CliError } from '../../errors.ts';

export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** The URL without its password, for messages. */
  display: string;
}

const bad = (url: string, why: string) =>
  Object.assign(new CliError(`--queue: ${why} in '${url}' (expected redis://host:port/db, e.g. redis://127.0.0.1:6379/0)`, 2), { usage: true });

export function parseQueueUrl(url: string): QueueAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad(url, 'not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw bad(url, `scheme ${u.protocol.replace(/:$/, '')} is not redis or rediss`);
  if (!u.hostname) throw bad(url, 'no host');
  const port = u.port === '' ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, '');
  if (!/^\d*$/.test(dbText)) throw bad(url, `database '${dbText}' is not a number`);
  const db = dbText === '' ? 0 : Number(dbText);
  if (u.search || u.hash) throw bad(url, 'query or fragment');
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const auth = u.password ? { ...(u.username ? { username: decodeURIComponent(u.username) } : {}), password: decodeURIComponent(u.password) } : {};
  return { host, port, db, ...auth, tls: u.protocol === 'rediss:', display: `${u.protocol}//${u.host}/${db}` };
}

/** Connection options for ioredis and BullMQ (BullMQ's workers need maxRetriesPerRequest: null). */
export function connectionOptions(a: QueueAddress): { host: string; port: number; db: number; username?: string; password?: string; tls?: object; maxRetriesPerRequest: null } {
  return {
    host: a.host,
    port: a.port,
    db: a.db,
    ...(a.username ? { username: a.username } : {}),
    ...(a.password ? { password: a.password } : {}),
    ...(a.tls ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
