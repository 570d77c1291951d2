// A master the test speaks for (replication rules, issue 20): a process that accepts the replica's link,
// records what the replica writes and sends whatever reply the test gives, so each handshake and PSYNC
// reply of syncWithMaster / slaveTryPartialResynchronization can be driven one line at a time.
import type { Resp } from '../../../../engine/net/resp.ts';
import { encodeResp } from '../../../../engine/net/resp.ts';
import type { CloseReason, Conn } from '../../../../engine/net/types.ts';
import { isLinkPayload } from '../../../../engine/redis/replication/types.ts';
import { expect } from 'vitest';
import { ReplWorld, type Node } from '../world.ts';

export class FakeMaster {
  conn: Conn | null = null;
  /** Commands the replica wrote, joined by spaces, not consumed yet. */
  readonly got: string[] = [];
  closed: CloseReason | null = null;
  accepted = 0;

  constructor(
    readonly w: ReplWorld,
    ip = '10.0.0.1',
    port = 7001,
  ) {
    const h = w.sim.addHost('fm', ip);
    w.sim.addProcess(h, port, 'server', () => ({
      onConnection: (conn: Conn) => {
        this.conn = conn;
        this.closed = null;
        this.accepted++;
        conn.setHandlers({
          onData: (p) => {
            if (Array.isArray(p)) this.got.push((p as string[]).join(' '));
          },
          onClose: (why) => {
            if (conn === this.conn) this.closed = why;
          },
        });
      },
    }));
    w.sim.start(`${ip}:${port}`);
  }

  /** Run until the replica wrote `n` commands; take them. */
  take(n: number, timeout: string | number = '5s'): string[] {
    this.w.until(() => this.got.length >= n, timeout, `${n} commands from the replica`);
    return this.got.splice(0, n);
  }

  /** Reply with a RESP value (a simple string '+x', an error '-x', or any payload). */
  reply(r: string | Resp | object): void {
    const v: unknown = typeof r === 'string' ? (r[0] === '-' ? { t: 'error', v: r.slice(1) } : { t: 'simple', v: r.slice(1) }) : r;
    const size = typeof r === 'string' ? r.length + 2 : isLinkPayload(v) ? 1 : encodeResp(v as Resp).length;
    this.conn!.send(v, size, 'repl');
    this.w.run(2);
  }
}

/** A replica of the fake master at 10.0.0.1:7001 (its own conf added), started. */
export function replicaOfFake(conf = ''): { w: ReplWorld; fm: FakeMaster; r: Node; logs(): string[] } {
  const w = new ReplWorld();
  const fm = new FakeMaster(w);
  const r = w.server('r', '10.0.0.2', 7002, `replicaof 10.0.0.1 7001\n${conf}`);
  w.start('r');
  w.until(() => fm.conn !== null, '5s', 'the replica connects');
  let mark = 0;
  return {
    w,
    fm,
    r,
    logs: () => {
      const out = r.logs(mark);
      mark = w.mark();
      return out;
    },
  };
}

/** Past PING and the REPLCONFs: the replica has written its PSYNC (returned). */
export function toPsync(conf = '', cached?: { replid: string; reploff: number; dbIndex: number }) {
  const x = replicaOfFake(conf);
  expect(x.fm.take(1)).toEqual(['PING']);
  x.fm.reply('+PONG');
  expect(x.fm.take(2)).toEqual(['REPLCONF listening-port 7002', 'REPLCONF capa eof capa psync2']);
  if (cached) x.r.repl().replica.cached = cached;
  x.fm.reply('+OK');
  x.logs();
  x.fm.reply('+OK');
  const [psync] = x.fm.take(1);
  const logged = x.logs();
  return { ...x, psync: psync!, logged, side: () => x.r.repl().replica };
}
