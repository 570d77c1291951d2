// CLIENT REPLY OFF / SKIP silence replies but not pushes (pub/sub messages and (un)subscribe
// confirmations are sent in RESP2 too: CLIENT_PUSHING), and a SKIP silences exactly the next command,
// even one that only pushes. Streams as redis-server 7.0.15 writes them for the same input.
import { describe, expect, it } from 'vitest';
import { js, world } from './client.ts';

type Step = string[] | { other: string[] };

describe('CLIENT REPLY and pushes', () => {
  const cases: [string, Step[], unknown[]][] = [
    [
      'OFF: subscribe, message, unsubscribe still arrive (RESP2)',
      [['CLIENT', 'REPLY', 'OFF'], ['SUBSCRIBE', 'ch'], { other: ['PUBLISH', 'ch', 'hi'] }, ['UNSUBSCRIBE', 'ch'], ['PING']],
      [['subscribe', 'ch', 1], ['message', 'ch', 'hi'], ['unsubscribe', 'ch', 0]],
    ],
    [
      'OFF: psubscribe and pmessage arrive, PING does not',
      [['CLIENT', 'REPLY', 'OFF'], ['PSUBSCRIBE', 'c*'], { other: ['PUBLISH', 'ch', 'hi'] }, ['PUNSUBSCRIBE'], ['PING']],
      [['psubscribe', 'c*', 1], ['pmessage', 'c*', 'ch', 'hi'], ['punsubscribe', 'c*', 0]],
    ],
    [
      'SKIP is used up by a command that only pushes (RESP3)',
      [['HELLO', '3'], ['CLIENT', 'REPLY', 'SKIP'], ['SUBSCRIBE', 'ch'], ['PING'], ['UNSUBSCRIBE', 'ch'], ['PING']],
      ['HELLO', ['subscribe', 'ch', 1], 'PONG', ['unsubscribe', 'ch', 0], 'PONG'],
    ],
    ['SKIP silences the next command only', [['CLIENT', 'REPLY', 'SKIP'], ['PING'], ['PING']], ['PONG']],
    ['SKIP twice: the second is the skipped command and arms another', [['CLIENT', 'REPLY', 'SKIP'], ['CLIENT', 'REPLY', 'SKIP'], ['PING'], ['ECHO', 'x']], ['x']],
    ['ON after OFF answers OK', [['CLIENT', 'REPLY', 'OFF'], ['PING'], ['CLIENT', 'REPLY', 'ON'], ['PING']], ['OK', 'PONG']],
  ];

  it.each(cases)('%s', (_what, steps, want) => {
    const w = world({ seed: 'reply-push' });
    const a = w.client();
    const b = w.client();
    for (const s of steps) {
      if (Array.isArray(s)) a.send(...s);
      else b.cmd(...s.other);
      w.sim.run({ forMs: 5 });
    }
    w.sim.run({ forMs: 50 });
    const got = a.inbox.map((r) => {
      const v = js(r);
      // HELLO's map: only its presence matters here
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? 'HELLO' : Array.isArray(v) && v[0] === 'server' ? 'HELLO' : v;
    });
    expect(got).toEqual(want);
  });
});
