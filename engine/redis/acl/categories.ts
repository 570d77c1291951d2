// ACL command categories of Redis 7.0.15: the table order of ACLCommandCategories (acl.c), the
// categories each command declares in its JSON file, and the implicit ones setImplicitACLCategories
// (server.c) derives from the command flags. COMMAND INFO prints these; ACL uses them.
import type { CommandSpec } from '../commands/context.ts';

/** ACLCommandCategories, in the order ACL CAT and COMMAND INFO print them. */
export const CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** A command group's usual declared category (a command's JSON "acl_categories"). */
const GROUP_CATEGORY: Readonly<Record<string, Category>> = {
  string: 'string', list: 'list', hash: 'hash', set: 'set', 'sorted-set': 'sortedset', generic: 'keyspace',
  transactions: 'transaction', connection: 'connection', bitmap: 'bitmap', hyperloglog: 'hyperloglog',
  geo: 'geo', stream: 'stream', scripting: 'scripting',
};

/** Commands whose declared categories differ from their group's (7.0.15 src/commands/*.json). */
const DECLARED: Readonly<Record<string, readonly Category[]>> = {
  asking: ['connection'], readonly: ['connection'], readwrite: ['connection'], wait: ['connection'],
  command: ['connection'], 'command|count': ['connection'], 'command|docs': ['connection'],
  'command|getkeys': ['connection'], 'command|getkeysandflags': ['connection'], 'command|help': ['connection'],
  'command|info': ['connection'], 'command|list': ['connection'],
  dbsize: ['keyspace'], flushall: ['keyspace', 'dangerous'], flushdb: ['keyspace', 'dangerous'],
  swapdb: ['keyspace', 'dangerous'], keys: ['keyspace', 'dangerous'], migrate: ['keyspace', 'dangerous'],
  restore: ['keyspace', 'dangerous'], 'restore-asking': ['keyspace', 'dangerous'],
  info: ['dangerous'], lastsave: ['admin', 'dangerous'], role: ['admin', 'dangerous'],
  sort: ['set', 'sortedset', 'list', 'dangerous'], sort_ro: ['set', 'sortedset', 'list', 'dangerous'],
};

function declared(spec: CommandSpec, fullname: string): readonly Category[] {
  const d = DECLARED[fullname];
  if (d) return d;
  if (spec.subcommands && spec.subcommands.length > 0) return []; // containers declare none
  if (spec.group === 'pubsub') return []; // pub/sub commands get @pubsub from their flag
  const g = GROUP_CATEGORY[spec.group];
  return g ? [g] : [];
}

const CACHE = new WeakMap<CommandSpec, ReadonlySet<Category>>();

/** The command's categories (declared + implicit), as a set. */
export function categorySet(spec: CommandSpec, fullname: string): ReadonlySet<Category> {
  let s = CACHE.get(spec);
  if (s) return s;
  const out = new Set<Category>(declared(spec, fullname));
  const f = (x: CommandSpec['flags'][number]) => spec.flags.includes(x);
  if (f('write')) out.add('write');
  if (f('readonly') && !out.has('scripting')) out.add('read');
  if (f('admin')) out.add('admin').add('dangerous');
  if (f('pubsub')) out.add('pubsub');
  if (f('fast')) out.add('fast');
  if (f('blocking')) out.add('blocking');
  if (!out.has('fast')) out.add('slow');
  s = out;
  CACHE.set(spec, s);
  return s;
}

/** addReplyCommandCategories: "@name" in table order. */
export function commandCategories(spec: CommandSpec, fullname: string): string[] {
  const s = categorySet(spec, fullname);
  return CATEGORIES.filter((c) => s.has(c)).map((c) => `@${c}`);
}

export function isCategory(name: string): name is Category {
  return (CATEGORIES as readonly string[]).includes(name.toLowerCase());
}
