// Expiries are int64 milliseconds in Redis: values beyond 2^53 (up to PXAT 9223372036854775807) must
// come back, compare (GT / LT) and propagate exactly. Found by the differential test; replies checked
// against the real redis-server 7.0.15 (the host clock is fixed at 1_700_000_000_000 ms here, so PTTL /
// TTL rows are that clock's).
import { describe, expect, it } from 'vitest';
import { OK, bulk, int, type Resp } from '../../../engine/net/resp.ts';
import { genericCommands } from '../../../engine/redis/commands/generic.ts';
import { stringsCommands } from '../../../engine/redis/commands/strings.ts';
import { createHarness } from '../harness.ts';

const MAX = '9223372036854775807';

const rows: [string[], Resp][] = [
  [['set', 'k', 'v'], OK],
  [['pexpireat', 'k', MAX], int(1)],
  [['pexpiretime', 'k'], int(9223372036854775807n)],
  [['expiretime', 'k'], int(9223372036854776n)],
  [['pttl', 'k'], int(9223370336854775807n)],
  [['ttl', 'k'], int(9223370336854776n)],
  [['pexpireat', 'k', '9007199254740993'], int(1)],
  [['pexpiretime', 'k'], int(9007199254740993n)],
  [['expireat', 'k', '9223372036854775'], int(1)],
  [['expiretime', 'k'], int(9223372036854775n)],
  [['pexpiretime', 'k'], int(9223372036854775000n)],
  [['set', 'k', 'v', 'pxat', MAX], OK],
  [['pexpiretime', 'k'], int(9223372036854775807n)],
  [['getex', 'k', 'pxat', '9223372036854775806'], bulk('v')],
  [['pexpiretime', 'k'], int(9223372036854775806n)],
  [['pexpireat', 'k', '9223372036854775806', 'gt'], int(0)],
  [['pexpireat', 'k', MAX, 'gt'], int(1)],
  [['pexpireat', 'k', '9223372036854775806', 'lt'], int(1)],
  [['pexpireat', 'k', MAX, 'lt'], int(0)],
  [['rename', 'k', 'k2'], OK],
  [['pexpiretime', 'k2'], int(9223372036854775806n)],
  [['copy', 'k2', 'k3'], int(1)],
  [['pexpiretime', 'k3'], int(9223372036854775806n)],
  [['move', 'k3', '1'], int(1)],
  [['set', 'k2', 'x', 'keepttl'], OK],
  [['pexpiretime', 'k2'], int(9223372036854775806n)],
  [['persist', 'k2'], int(1)],
  [['pexpiretime', 'k2'], int(-1)],
  [['pexpireat', 'k2', '1700000100000'], int(1)],
  [['pttl', 'k2'], int(100000)],
];

describe('int64 expiries', () => {
  it('replies, GT/LT, RENAME/COPY/MOVE/KEEPTTL keep the exact value', () => {
    const h = createHarness([...stringsCommands, ...genericCommands]);
    for (const [argv, want] of rows) expect(h.run(...argv), argv.join(' ')).toEqual(want);
    h.client.dbIndex = 1;
    expect(h.run('pexpiretime', 'k3')).toEqual(int(9223372036854775806n));
  });

  it('propagates the exact absolute time', () => {
    const h = createHarness([...stringsCommands, ...genericCommands]);
    h.run('set', 'k', 'v', 'pxat', MAX);
    h.run('getex', 'k', 'pxat', '9223372036854775806');
    h.run('expireat', 'k', '9223372036854775');
    expect(h.propagated).toEqual([
      ['SET', 'k', 'v', 'PXAT', MAX],
      ['PEXPIREAT', 'k', '9223372036854775806'],
      ['PEXPIREAT', 'k', '9223372036854775000'],
    ]);
  });
});
