// COMMAND and its subcommands (server.c commandCommand & co, Redis 7.0.15), from the command table.
import { arr, bulk, err, int, map, NIL, set, simple, type Reply, type Resp } from '../../net/resp.ts';
import type { CommandContext, CommandFlag, CommandSpec } from '../commands/context.ts';
import { allCommands, lookupCommand } from '../commands/table.ts';
import { cmd, helpReply } from './cmdutil.ts';
import { SYNTAX } from './errors.ts';
import { stringMatch } from '../keyspace/glob.ts';
import { commandCategories } from '../acl/categories.ts';
import { COMMAND_TIPS, KEY_SPEC_NOTES } from '../commands/command-tips.ts';
import { COMMAND_DOCS } from '../commands/docs/index.ts';
import { hasMovableKeys, keySpecFlags, keySpecsForInfo, keySpecsOf } from '../commands/key-specs.ts';
import { docExtras, keysFromSpecs, keySpecsReply } from '../commands/meta.ts';

/** Order in which addCommandFlags prints flags. */
const FLAG_ORDER: CommandFlag[] = [
  'write',
  'readonly',
  'denyoom',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'asking',
  'fast',
  'no_auth',
  'no_mandatory_keys',
  // may_replicate, sentinel, protected: hidden on purpose (addReplyFlagsForCommand)
  'no_async_loading',
  'no_multi',
  'movablekeys',
  'allow_busy',
];

export function fullnameOf(parent: CommandSpec | null, spec: CommandSpec): string {
  if (!parent || spec.name.includes('|')) return spec.name;
  return `${parent.name}|${spec.name}`;
}

/** Flags of 7.0.15's table that the simulator's specs do not declare (they change nothing it models but EXEC's slow log). */
const TABLE_FLAGS: Readonly<Record<string, CommandFlag[]>> = {
  psync: ['no_async_loading'], sync: ['no_async_loading'], save: ['no_async_loading'], bgsave: ['no_async_loading'],
  bgrewriteaof: ['no_async_loading'], replicaof: ['no_async_loading'], slaveof: ['no_async_loading'],
  eval: ['no_mandatory_keys'], eval_ro: ['no_mandatory_keys'], evalsha: ['no_mandatory_keys'], evalsha_ro: ['no_mandatory_keys'],
  fcall: ['no_mandatory_keys'], fcall_ro: ['no_mandatory_keys'], exec: ['skip_slowlog'],
};

/** addReplyCommandInfo: the 10-element array of 7.0 (flags, categories, tips, key specs: sets; key specs' fields: maps). */
export function commandInfo(spec: CommandSpec, parent: CommandSpec | null = null): Reply {
  const full = fullnameOf(parent, spec);
  const movable = hasMovableKeys(full);
  const extra = TABLE_FLAGS[full] ?? [];
  const flags = FLAG_ORDER.filter((x) => spec.flags.includes(x) || extra.includes(x) || (x === 'movablekeys' && movable)).map((x) => simple(x));
  const notes = KEY_SPEC_NOTES[full];
  const listed = spec.meta?.keySpecs ?? keySpecsForInfo(full)?.map((k, i) => (notes?.[i] != null ? { ...k, notes: notes[i]! } : k));
  const keySpecs = listed
    ? keySpecsReply(listed).v as Reply[]
    : spec.firstKey > 0
      ? [
          map([
            bulk('flags'),
            set([]),
            bulk('begin_search'),
            map([bulk('type'), bulk('index'), bulk('spec'), map([bulk('index'), int(spec.firstKey)])]),
            bulk('find_keys'),
            map([
              bulk('type'),
              bulk('range'),
              bulk('spec'),
              map([bulk('lastkey'), int(spec.lastKey < 0 ? spec.lastKey : spec.lastKey - spec.firstKey), bulk('keystep'), int(spec.keyStep), bulk('limit'), int(0)]),
            ]),
          ]),
        ]
      : [];
  return arr([
    bulk(fullnameOf(parent, spec)),
    int(spec.arity),
    set(flags),
    int(spec.firstKey),
    int(spec.lastKey),
    int(spec.keyStep),
    set(commandCategories(spec, fullnameOf(parent, spec)).map((c) => simple(c))),
    set((spec.meta?.tips ?? COMMAND_TIPS[full] ?? []).map((t) => bulk(t))),
    set(keySpecs),
    // no subcommands: an empty set (addReplyCommandSubCommands)
    spec.subcommands?.length ? arr(spec.subcommands.map((s) => commandInfo(s, spec))) : set([]),
  ]);
}

/** addReplyCommandDocs: a map (subcommands: a map of name → docs). */
function commandDocs(spec: CommandSpec, parent: CommandSpec | null = null): Reply {
  // Redis 7.0.15's documentation of the command when the table has it, else what the spec says
  const d = COMMAND_DOCS[fullnameOf(parent, spec)];
  const fields: Reply[] = d
    ? [bulk('summary'), bulk(d.summary), bulk('since'), bulk(d.since), bulk('group'), bulk(d.group), ...docExtras(d)]
    : [bulk('summary'), bulk(spec.summary), bulk('since'), bulk(spec.since), bulk('group'), bulk(spec.group), ...docExtras(spec.meta)];
  if (spec.subcommands?.length) {
    const subs: Reply[] = [];
    for (const s of spec.subcommands) subs.push(bulk(fullnameOf(spec, s)), commandDocs(s, spec));
    fields.push(bulk('subcommands'), map(subs));
  }
  void parent;
  return map(fields);
}

/** lookupCommandBySds: "get" or "config|get". */
export function lookupByFullname(name: string): { spec: CommandSpec; parent: CommandSpec | null } | null {
  const [base, sub, extra] = name.toLowerCase().split('|');
  if (extra !== undefined) return null;
  const b = lookupCommand(base!);
  if (!b) return null;
  if (sub === undefined) return { spec: b, parent: null };
  const s = b.subcommands?.find((x) => x.name === sub || x.name === `${b.name}|${sub}`);
  return s ? { spec: s, parent: b } : null;
}

function listAll(): string[] {
  const out: string[] = [];
  for (const c of allCommands()) {
    out.push(c.name);
    for (const s of c.subcommands ?? []) out.push(fullnameOf(c, s));
  }
  return out;
}

const HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

function info(ctx: CommandContext): Reply {
  if (ctx.argv.length === 2) return arr(allCommands().map((c) => commandInfo(c)));
  return arr(
    ctx.argv.slice(2).map((n) => {
      const r = lookupByFullname(n);
      return r ? commandInfo(r.spec, r.parent) : NIL;
    }),
  );
}

function docs(ctx: CommandContext): Reply {
  const out: Reply[] = [];
  const names = ctx.argv.length === 2 ? allCommands().map((c) => c.name) : ctx.argv.slice(2);
  for (const n of names) {
    const r = lookupByFullname(n);
    if (!r) continue;
    out.push(bulk(fullnameOf(r.parent, r.spec)), commandDocs(r.spec, r.parent));
  }
  return map(out);
}

function list(ctx: CommandContext): Resp {
  const argv = ctx.argv;
  let pattern: string | null = null;
  let aclcat: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (argv[i]!.toLowerCase() === 'filterby' && more === 2) {
      const t = argv[i + 1]!.toLowerCase();
      if (t === 'pattern') pattern = argv[i + 2]!;
      else if (t === 'aclcat') aclcat = argv[i + 2]!;
      else if (t !== 'module') return SYNTAX;
      else return arr([]);
      i += 2;
    } else return SYNTAX;
  }
  let names = listAll();
  if (pattern !== null) names = names.filter((n) => stringMatch(pattern!, n, true));
  if (aclcat !== null) {
    const cat = `@${aclcat.toLowerCase()}`;
    names = names.filter((n) => {
      const r = lookupByFullname(n);
      return r !== null && commandCategories(r.spec, fullnameOf(r.parent, r.spec)).includes(cat);
    });
  }
  return arr(names.map((n) => bulk(n)));
}


/** lookupCommand(argv+2, argc-2): the command, or its subcommand named by the next argument. */
function lookupByArgv(argv: readonly string[]): CommandSpec | null {
  const base = lookupCommand(argv[0]!);
  if (!base) return null;
  if (!base.subcommands?.length || argv.length < 2) return base;
  const sub = argv[1]!.toLowerCase();
  return base.subcommands.find((x) => x.name === sub || x.name === `${base.name}|${sub}`) ?? null;
}

/** Commands that may have no key at all (CMD_NO_MANDATORY_KEYS). */
const NO_MANDATORY_KEYS = new Set(['eval', 'eval_ro', 'evalsha', 'evalsha_ro', 'fcall', 'fcall_ro']);

/**
 * getKeysSubcommandImpl (COMMAND GETKEYS / GETKEYSANDFLAGS). The keys come from the command's key specs
 * (CommandSpec.meta, or 7.0.15's table in commands/key-specs.ts) when they can be searched and their
 * flags do not depend on the arguments (getKeysUsingKeySpecs); otherwise from the command's own key
 * procedure (CommandSpec.getKeys, or its legacy range) with each key's flags from the specs (the j-th
 * key the j-th spec's, the last spec's for the rest; SET, SORT and BITFIELD by their arguments).
 */
function getKeysSubcommand(ctx: CommandContext, withFlags: boolean): Reply {
  const argv = ctx.argv.slice(2);
  // lookupCommand(argv+2, argc-2): MEMORY USAGE key is the memory|usage subcommand
  const spec = lookupByArgv(argv);
  if (!spec) return err('ERR Invalid command specified');
  const name = fullnameOf(null, spec);
  const specs = spec.meta?.keySpecs ?? keySpecsOf(name);
  const hasProc = spec.getKeys !== undefined || (specs === null && spec.firstKey > 0) || specs === 'unknown';
  const specKeys = Array.isArray(specs) && specs.some((k) => !k.flags.includes('not_key'));
  if (!hasProc && !specKeys) return err('ERR The command has no key arguments');
  if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) return err('ERR Invalid number of arguments specified for command');
  let keys: { pos: number; flags: string[] }[] | null = null;
  if (Array.isArray(specs) && !specs.some((k) => k.flags.includes('variable_flags'))) keys = keysFromSpecs(specs, argv);
  if (keys === null && (hasProc || Array.isArray(specs) && specs.some((k) => k.flags.includes('variable_flags')))) {
    const table = Array.isArray(specs) ? specs.map((k) => k.flags as string[]) : keySpecFlags(name);
    const inferred = spec.flags.includes('write') ? ['RW', 'update'] : ['RO', 'access'];
    let flagsAt = (j: number) => (table ? table[Math.min(j, table.length - 1)]! : inferred);
    // the commands whose flags depend on their arguments (db.c setGetKeys, sortGetKeys, bitfieldGetKeys)
    if (name === 'set') flagsAt = () => (argv.slice(3).some((a) => a.toLowerCase() === 'get') ? ['RW', 'access', 'update'] : ['OW', 'update']);
    else if (name === 'sort') flagsAt = (j) => (j === 0 ? ['RO', 'access'] : ['OW', 'update']);
    else if (name === 'bitfield') flagsAt = () => (bitfieldReadOnly(argv) ? ['RO', 'access'] : ['RW', 'access', 'update']);
    let positions: number[];
    if (spec.getKeys) positions = spec.getKeys(argv);
    else {
      positions = [];
      const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
      for (let i = spec.firstKey; i <= last && i < argv.length; i += Math.max(1, spec.keyStep)) positions.push(i);
    }
    keys = positions.map((pos, j) => ({ pos, flags: flagsAt(j) }));
  }
  if (keys === null || keys.length === 0) return NO_MANDATORY_KEYS.has(name) ? arr([]) : err('ERR Invalid arguments specified for command');
  return arr(keys.map((k) => (withFlags ? arr([bulk(argv[k.pos]!), set(k.flags.map((x) => simple(x)))]) : bulk(argv[k.pos]!))));
}

/** bitfieldGetKeys: only GET and OVERFLOW subcommands make BITFIELD read-only. */
function bitfieldReadOnly(argv: readonly string[]): boolean {
  for (let i = 2; i < argv.length; i++) {
    const rem = argv.length - i - 1;
    const a = argv[i]!.toLowerCase();
    if (a === 'get' && rem >= 2) i += 2;
    else if (a === 'overflow' && rem >= 1) i += 1;
    else return false;
  }
  return true;
}

const F: CommandFlag[] = ['loading', 'stale', 'sentinel'];
const sub = (name: string, arity: number, since: string, summary: string, h: CommandSpec['handler']) =>
  cmd(`command|${name}`, arity, F, 'server', since, summary, h);

export const commandCommand: CommandSpec = cmd(
  'command',
  -1,
  F,
  'server',
  '2.8.13',
  'Get array of Redis command details',
  () => arr(allCommands().map((c) => commandInfo(c))),
  [0, 0, 0],
  [
    sub('count', 2, '2.8.13', 'Get total number of Redis commands', () => int(allCommands().length)),
    sub('docs', -2, '7.0.0', 'Get array of specific Redis command documentation', docs),
    sub('getkeys', -4, '2.8.13', 'Extract keys given a full Redis command', (ctx) => getKeysSubcommand(ctx, false)),
    Object.assign(sub('getkeysandflags', -4, '7.0.0', 'Extract keys and access flags given a full Redis command', (ctx) => getKeysSubcommand(ctx, true)), {
      meta: { complexity: 'O(N) where N is the number of arguments to the command' },
    }),
    sub('help', 2, '5.0.0', 'Show helpful text about the different subcommands', (ctx) => helpReply(ctx, HELP)),
    sub('info', -2, '2.8.13', 'Get array of specific Redis command details, or all when no argument is given.', info),
    sub('list', -2, '7.0.0', 'Get an array of Redis command names', list),
  ],
);
