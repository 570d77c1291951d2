// MEMORY USAGE / PURGE / HELP: replies and error texts of redis-server 7.0.15 (sizes for small values
// of each type as a stock 7.0.15 reports them).
import { describe, expect, it } from 'vitest';
import { err, int, NIL, OK, type Resp } from '../../../engine/net/resp.ts';
import { genericCommands } from '../../../engine/redis/commands/generic.ts';
import { hashCommands } from '../../../engine/redis/commands/hashes.ts';
import { listCommands } from '../../../engine/redis/commands/lists.ts';
import { memoryCommands } from '../../../engine/redis/commands/memory.ts';
import { setCommands } from '../../../engine/redis/commands/sets.ts';
import { stringsCommands } from '../../../engine/redis/commands/strings.ts';
import { zsetCommands } from '../../../engine/redis/commands/zsets.ts';
import { createHarness } from '../harness.ts';

const SYNTAX = err('ERR syntax error');
const NOT_INT = err('ERR value is not an integer or out of range');

describe('MEMORY', () => {
  it('USAGE, PURGE and errors as redis-server 7.0.15 answers them', () => {
    const h = createHarness([...memoryCommands, ...stringsCommands, ...genericCommands, ...listCommands, ...hashCommands, ...setCommands, ...zsetCommands]);
    h.run('set', 's', 'v');
    h.run('set', 'n', '12345');
    h.run('set', 'big', 'a'.repeat(100));
    h.run('rpush', 'l', 'a', 'b', 'c');
    h.run('hset', 'h', 'f', 'v');
    h.run('sadd', 'st', '1', '2', '3');
    h.run('sadd', 'ss', 'a', 'b', 'c');
    h.run('zadd', 'z', '1', 'a');
    const rows: [string[], Resp][] = [
      [['memory', 'usage', 's'], int(64)],
      [['memory', 'usage', 'n'], int(48)],
      [['memory', 'usage', 'big'], int(160)],
      [['memory', 'usage', 'l'], int(144)],
      [['memory', 'usage', 'h'], int(64)],
      [['memory', 'usage', 'st'], int(64)],
      [['memory', 'usage', 'ss'], int(232)],
      [['memory', 'usage', 'z'], int(64)],
      [['memory', 'usage', 's', 'samples', '0'], int(64)],
      [['memory', 'usage', 'SS', 'SAMPLES', '1'], NIL],
      [['memory', 'usage', 'nokey'], NIL],
      [['memory', 'usage', 's', 'samples'], SYNTAX],
      [['memory', 'usage', 's', 'samples', '-1'], SYNTAX],
      [['memory', 'usage', 'nokey', 'samples', 'x'], NOT_INT],
      [['memory', 'usage', 's', 'foo'], SYNTAX],
      [['memory', 'usage'], err("ERR wrong number of arguments for 'memory|usage' command")],
      [['memory', 'purge'], OK],
      [['memory', 'purge', 'x'], err("ERR wrong number of arguments for 'memory|purge' command")],
      [['memory', 'foo'], err("ERR unknown subcommand 'foo'. Try MEMORY HELP.")],
      [['memory'], err("ERR wrong number of arguments for 'memory' command")],
    ];
    for (const [argv, want] of rows) expect(h.run(...argv), argv.join(' ')).toEqual(want);
    const help = h.run('memory', 'help') as { t: 'array'; v: { v: string }[] };
    expect(help.v.map((x) => x.v)[0]).toBe('MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(help.v).toHaveLength(14);
  });
});
