// A simulation slower than the wall clock (a busy script runs a slice of virtual time per event, and
// the Lua VM is slower than the 100M instructions/s those slices stand for) must not starve the real
// sockets: other connections still get -BUSY, SCRIPT KILL reaches the script, and then PONG again.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useGateway } from './harness.ts';


/** A connection whose next reply line can be awaited (one-line replies only). */
async function open(port: number): Promise<{ s: Socket; cmd: (...argv: string[]) => Promise<string> }> {
  const s = connect(port, '127.0.0.1');
  await new Promise<void>((res, rej) => {
    s.once('connect', () => res());
    s.once('error', rej);
  });
  let buf = '';
  const waiters: ((l: string) => void)[] = [];
  s.on('data', (d) => {
    buf += d.toString('latin1');
    for (let i = buf.indexOf('\r\n'); i >= 0 && waiters.length; i = buf.indexOf('\r\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      waiters.shift()!(line);
    }
  });
  const cmd = (...argv: string[]) =>
    new Promise<string>((res) => {
      waiters.push(res);
      s.write(`*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`);
    });
  return { s, cmd };
}

describe('gateway: a busy script does not starve the sockets', () => {
  const g = useGateway('busy-test');

  it('PING answers -BUSY, SCRIPT KILL stops the script, PING answers PONG (each within 10 s)', async () => {
    const a = await open(g.port);
    const b = await open(g.port);
    expect(await b.cmd('CONFIG', 'SET', 'busy-reply-threshold', '10')).toBe('+OK');
    const scriptReply = a.cmd('EVAL', 'while true do end', '0');
    // [command on the second connection, the reply line expected (a prefix)]
    const steps: [string[], string][] = [
      [['PING'], '-BUSY Redis is busy running a script.'],
      [['SCRIPT', 'KILL'], '+OK'],
      [['PING'], '+PONG'],
    ];
    const timed = <T>(p: Promise<T>) => Promise.race([p, new Promise<string>((res) => setTimeout(() => res('(no reply in 10 s)'), 10_000))]);
    for (const [argv, want] of steps) {
      let got = await timed(b.cmd(...argv));
      // until the script has run busy-reply-threshold of virtual time, PING still answers PONG
      while (want.startsWith('-BUSY') && got === '+PONG') got = await timed(b.cmd(...argv));
      expect(got.startsWith(want), `${argv.join(' ')} -> ${got}`).toBe(true);
    }
    expect(await timed(scriptReply)).toMatch(/^-ERR Script killed by user with SCRIPT KILL/);
    a.s.destroy();
    b.s.destroy();
  }, 60_000);
});
