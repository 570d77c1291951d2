// Commands from different real connections reach the simulated server in the order the gateway read
// them, as on a real server reading its sockets: a PUBLISH sent by B after A's bare UNSUBSCRIBE (A does
// not wait for its reply, as Redis's own pubsub.tcl does) must not be delivered to A.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useGateway } from './harness.ts';


/** A raw RESP client: write commands, read until a predicate on everything received holds. */
class RawClient {
  private buf = '';
  private waiter: (() => void) | null = null;
  private constructor(readonly sock: Socket) {
    sock.setNoDelay(true);
    sock.on('data', (d) => {
      this.buf += d.toString('latin1');
      this.waiter?.();
    });
    sock.on('error', () => {});
  }
  static open(port: number): Promise<RawClient> {
    return new Promise((res, rej) => {
      const s = connect(port, '127.0.0.1', () => res(new RawClient(s)));
      s.once('error', rej);
    });
  }
  send(...argv: string[]): void {
    this.sock.write(`*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`, 'latin1');
  }
  /** Wait until the received text contains `text`, then consume up to its end. */
  async until(text: string, ms = 3000): Promise<string> {
    const t0 = Date.now();
    while (!this.buf.includes(text)) {
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(this.buf)}`);
      await new Promise<void>((res) => {
        this.waiter = res;
        setTimeout(res, 20);
      });
    }
    const end = this.buf.indexOf(text) + text.length;
    const got = this.buf.slice(0, end);
    this.buf = this.buf.slice(end);
    return got;
  }
  get pending(): string {
    return this.buf;
  }
  close(): void {
    this.sock.destroy();
  }
}

describe('gateway: order across connections', () => {
  const g = useGateway('ordering-test');

  it.each([
    ['UNSUBSCRIBE', 'SUBSCRIBE', 'unsubscribe', 'chan1'],
    ['PUNSUBSCRIBE', 'PSUBSCRIBE', 'punsubscribe', 'chan1.*'],
  ])('PUBLISH by B after A sends a bare %s reaches nobody (100 tries)', async (unsub, sub, unsubReply, pattern) => {
    const b = await RawClient.open(g.port);
    const channel = pattern.replace('.*', '.hi');
    let delivered = 0;
    for (let i = 0; i < 100; i++) {
      const a = await RawClient.open(g.port);
      a.send(sub, pattern);
      await a.until(':1\r\n');
      a.send(unsub); // no wait for the reply
      b.send('PUBLISH', channel, 'hello');
      const r = await b.until('\r\n');
      if (r !== ':0\r\n') delivered++;
      await a.until(`$${unsubReply.length}\r\n${unsubReply}\r\n`);
      a.close();
    }
    b.close();
    expect(delivered).toBe(0);
  }, 60_000);
});
