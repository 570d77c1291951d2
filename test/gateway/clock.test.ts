// The served node's clock reads like the client's wall clock from the first command on: virtual time
// 0 is the instant the simulation was built, and the real-time driver counts from that same instant
// (not from after the start-up), so absolute expiry times sent by a client land where it meant them.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useGateway } from './harness.ts';


type Reply = string | number | null | Reply[];

/** Parse one RESP2 reply at `i`; null when incomplete. */
function parse(t: string, i: number): [Reply, number] | null {
  const eol = t.indexOf('\r\n', i);
  if (eol < 0) return null;
  const head = t[i]!;
  const rest = t.slice(i + 1, eol);
  if (head === '+' || head === '-') return [rest, eol + 2];
  if (head === ':') return [Number(rest), eol + 2];
  if (head === '$') {
    const n = Number(rest);
    if (n < 0) return [null, eol + 2];
    return t.length >= eol + 2 + n + 2 ? [t.slice(eol + 2, eol + 2 + n), eol + 4 + n] : null;
  }
  const n = Number(rest);
  const out: Reply[] = [];
  let j = eol + 2;
  for (let k = 0; k < n; k++) {
    const r = parse(t, j);
    if (!r) return null;
    out.push(r[0]);
    j = r[1];
  }
  return [out, j];
}

/** Send argv lists pipelined; resolve with one reply per command. */
function exchange(port: number, cmds: string[][]): Promise<Reply[]> {
  return new Promise((res, rej) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    s.on('error', rej);
    s.on('data', (d) => {
      data += d.toString('latin1');
      const out: Reply[] = [];
      for (let i = 0; out.length < cmds.length; ) {
        const r = parse(data, i);
        if (!r) return;
        out.push(r[0]);
        i = r[1];
      }
      s.destroy();
      res(out);
    });
    s.write(cmds.map((a) => `*${a.length}\r\n${a.map((x) => `$${x.length}\r\n${x}\r\n`).join('')}`).join(''));
  });
}

describe('gateway: the virtual clock starts with the wall clock', () => {
  const g = useGateway('clock-test');

  // [what, commands (at = the client's wall clock in ms), the value read from the last reply, bounds]
  const cases: [string, (at: number) => string[][], (r: Reply) => number, (at: number, took: number) => [number, number]][] = [
    ['TIME', () => [['TIME']], (r) => Number((r as string[])[0]) * 1000 + Math.floor(Number((r as string[])[1]) / 1000), (at, took) => [at - 2, at + took + 2]],
    ['SET PXAT +10 s, PTTL', (at) => [['SET', 'k1', 'v', 'PXAT', String(at + 10_000)], ['PTTL', 'k1']], Number, (_at, took) => [10_000 - took - 2, 10_000 + 2]],
    ['GETEX PXAT +10 s, PTTL', (at) => [['SET', 'k2', 'v'], ['GETEX', 'k2', 'PXAT', String(at + 10_000)], ['PTTL', 'k2']], Number, (_at, took) => [10_000 - took - 2, 10_000 + 2]],
    ['PEXPIREAT +5 s, PTTL', (at) => [['SET', 'k3', 'v'], ['PEXPIREAT', 'k3', String(at + 5000)], ['PTTL', 'k3']], Number, (_at, took) => [5000 - took - 2, 5000 + 2]],
  ];

  it.each(cases)('%s agrees with the client clock', async (_what, cmds, read, bounds) => {
    const at = Date.now();
    const replies = await exchange(g.port, cmds(at));
    const took = Date.now() - at;
    const value = read(replies[replies.length - 1]!);
    const [lo, hi] = bounds(at, took);
    expect(value).toBeGreaterThanOrEqual(lo);
    expect(value).toBeLessThanOrEqual(hi);
  });
});
