// MEMORY (object.c memoryCommand of Redis 7.0.15): USAGE, PURGE, HELP. USAGE is the keyspace's own
// size model (keyspace/memory.ts: objectComputeSize with jemalloc size classes), for the key as it sits
// in the dict (dictFind: no expiry check, no LRU/LFU touch, no hit/miss count).
import { arr, err, int, NIL, OK, simple, type Reply, type Resp } from '../../net/resp.ts';
import { estimateSize } from '../keyspace/memory.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './context.ts';
import type { CommandMeta } from './meta.ts';
import { mallocStats, memoryDoctor, memoryStats } from './memory-stats.ts';
import { cstr, ERR_NOT_INT, ERR_SYNTAX, errLine, parseInt64 } from './util.ts';

const MEMORY_HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
  'HELP',
  '    Prints this help.',
];

function memoryHelp(ctx: CommandContext): Resp {
  const head = `${ctx.argv[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`;
  return arr([head, ...MEMORY_HELP].map((l) => simple(l)));
}

/** MEMORY USAGE key [SAMPLES count]: the options are checked before the key is looked up. */
function memoryUsage(ctx: CommandContext): Resp {
  let samples = 5;
  for (let j = 3; j < ctx.argv.length; j++) {
    if (ctx.argv[j]!.toLowerCase() === 'samples' && j + 1 < ctx.argv.length) {
      const n = parseInt64(ctx.argv[j + 1]!);
      if (n === null) return err(ERR_NOT_INT);
      if (n < 0n) return err(ERR_SYNTAX);
      samples = n === 0n ? Infinity : Number(n);
      j++;
    } else return err(ERR_SYNTAX);
  }
  const v = ctx.db.peek(ctx.argv[2]!);
  return v === undefined ? NIL : int(estimateSize(ctx.argv[2]!, v, samples));
}

/** jemalloc's arena purge: nothing a client can observe but the OK. */
const memoryPurge = (): Resp => OK;

function sub(name: string, arity: number, flags: CommandFlag[], keys: number, summary: string, h: (c: CommandContext) => Reply): CommandSpec {
  return { name: `memory|${name}`, arity, flags, firstKey: keys, lastKey: keys, keyStep: keys ? 1 : 0, group: 'server', summary, since: '4.0.0', handler: h };
}

const ALL_SHARDS = ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'];
const withMeta = (s: CommandSpec, meta: CommandMeta) => ((s.meta = meta), s);

const memorySubcommands: CommandSpec[] = [
  withMeta(sub('doctor', 2, [], 0, 'Outputs memory problems report', memoryDoctor), { complexity: 'O(1)', tips: ALL_SHARDS }),
  withMeta(sub('help', 2, ['loading', 'stale'], 0, 'Show helpful text about the different subcommands', memoryHelp), { complexity: 'O(1)' }),
  withMeta(sub('malloc-stats', 2, [], 0, 'Show allocator internal stats', mallocStats), {
    complexity: 'Depends on how much memory is allocated, could be slow',
    tips: ALL_SHARDS,
  }),
  withMeta(sub('purge', 2, [], 0, 'Ask the allocator to release memory', memoryPurge), {
    complexity: 'Depends on how much memory is allocated, could be slow',
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  }),
  withMeta(sub('stats', 2, [], 0, 'Show memory usage details', memoryStats), { complexity: 'O(1)', tips: ALL_SHARDS }),
  withMeta(sub('usage', -3, ['readonly'], 2, 'Estimate the memory usage of a key', memoryUsage), {
    complexity: 'O(N) where N is the number of samples.',
    keySpecs: [{ flags: ['RO'], bs: { index: 2 }, fk: { range: [0, 1, 0] } }],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', token: 'SAMPLES', flags: ['optional'] },
    ],
  }),
];

/** The container's own handler dispatches too (as OBJECT's does). */
function memoryCommand(ctx: CommandContext): Reply {
  const s = memorySubcommands.find((x) => x.name === `memory|${ctx.argv[1]!.toLowerCase()}`);
  if (!s) return errLine(`ERR unknown subcommand '${cstr(ctx.argv[1]!).slice(0, 128)}'. Try MEMORY HELP.`);
  if ((s.arity > 0 && ctx.argv.length !== s.arity) || ctx.argv.length < -s.arity) return err(`ERR wrong number of arguments for '${s.name}' command`);
  return s.handler(ctx)!;
}

export const memoryCommands: CommandSpec[] = [
  {
    name: 'memory',
    arity: -2,
    flags: [],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    group: 'server',
    summary: 'A container for memory diagnostics commands',
    since: '4.0.0',
    handler: memoryCommand,
    subcommands: memorySubcommands,
  },
];
