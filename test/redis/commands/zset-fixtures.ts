// Shared by the sorted-set tests: Redis's error replies, EXISTS (to see emptied keys go), and a fresh
// harness with the zset commands (plus any others) and a string key "str" for WRONGTYPE.
import { err, int } from '../../../engine/net/resp.ts';
import type { CommandSpec } from '../../../engine/redis/commands/context.ts';
import { zsetCommands } from '../../../engine/redis/commands/zsets.ts';
import { createHarness, type Harness } from '../harness.ts';

export const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
export const SYNTAX = err('ERR syntax error');
export const NOT_INT = err('ERR value is not an integer or out of range');

/** EXISTS, for checking that emptied keys are gone. */
export const exists: CommandSpec = {
  name: 'exists',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'generic',
  summary: '',
  since: '1.0.0',
  handler: (ctx) => int(ctx.argv.slice(1).filter((k) => ctx.db.lookupRead(k) !== undefined).length),
};

export function zfresh(...extra: CommandSpec[]): Harness {
  const h = createHarness([...zsetCommands, ...extra, exists]);
  h.ks.db(0).set('str', { type: 'string', v: 'v' });
  return h;
}
