// The command table as ACL sees it (server.orig_commands): every command and subcommand with its
// full name, in a fixed order (Redis walks a dict whose order follows a per-process hash seed; the
// simulator walks the table sorted by name, subcommands after their container). A redis-server has
// the whole table; a Sentinel only its own commands (populateCommandTable in sentinel mode).
import type { CommandSpec } from '../commands/context.ts';
import { allCommands, commandCount } from '../commands/table.ts';
import { categorySet, type Category } from './categories.ts';

export interface AclCommand {
  spec: CommandSpec;
  fullname: string;
  parent: AclCommand | null;
  subs: AclCommand[];
}

/** One process's command table for ACL. */
export interface AclUniverse {
  /** Top-level commands in walk order. */
  top(): readonly AclCommand[];
  /** By full name ("get", "config|get"), lower case. */
  byFullname(name: string): AclCommand | null;
}

function index(specs: readonly CommandSpec[]): { top: AclCommand[]; byName: Map<string, AclCommand> } {
  const byName = new Map<string, AclCommand>();
  const top = specs.map((spec) => {
    const c: AclCommand = { spec, fullname: spec.name, parent: null, subs: [] };
    byName.set(c.fullname, c);
    for (const s of spec.subcommands ?? []) {
      const fullname = s.name.includes('|') ? s.name : `${spec.name}|${s.name}`;
      const sub: AclCommand = { spec: s, fullname, parent: c, subs: [] };
      c.subs.push(sub);
      byName.set(fullname, sub);
    }
    return c;
  });
  return { top, byName };
}

/** A universe over a fixed list of specs (Sentinel's table). */
export function fixedUniverse(specs: readonly CommandSpec[]): AclUniverse {
  const sorted = [...specs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { top, byName } = index(sorted);
  return { top: () => top, byFullname: (n) => byName.get(n) ?? null };
}

let serverCache: { size: number; top: AclCommand[]; byName: Map<string, AclCommand> } | null = null;

function serverIndex(): { top: AclCommand[]; byName: Map<string, AclCommand> } {
  // processCommand asks on every call: compare the count before sorting the table (bench: 30× slower otherwise)
  if (!serverCache || serverCache.size !== commandCount()) {
    const specs = allCommands();
    serverCache = { size: specs.length, ...index(specs) };
  }
  return serverCache;
}

/** redis-server's universe: the whole command table (rebuilt if commands are registered later). */
export const SERVER_UNIVERSE: AclUniverse = {
  top: () => serverIndex().top,
  byFullname: (n) => serverIndex().byName.get(n) ?? null,
};

/** lookupCommandBySdsLogic: "get" or "config|get" (any case); null when unknown. */
export function lookupIn(u: AclUniverse, name: string): AclCommand | null {
  const lower = name.toLowerCase();
  const parts = lower.split('|');
  if (parts.length > 2) return null;
  if (parts.length === 1) return u.byFullname(lower);
  const base = u.byFullname(parts[0]!);
  if (!base || base.subs.length === 0) return null;
  return u.byFullname(lower);
}

/** lookupCommand over argv: the container's subcommand when there is one. */
export function lookupArgvIn(u: AclUniverse, argv: readonly string[]): AclCommand | null {
  const base = lookupIn(u, argv[0] ?? '');
  if (!base || base.fullname.includes('|')) return null;
  if (base.subs.length === 0 || argv.length < 2) return base;
  return lookupIn(u, `${base.fullname}|${argv[1]!}`);
}

/** The server universe's lookup (the differential test's normaliser). */
export function aclLookup(name: string): AclCommand | null {
  return lookupIn(SERVER_UNIVERSE, name);
}

export function inCategory(c: AclCommand, cat: Category): boolean {
  return categorySet(c.spec, c.fullname).has(cat);
}
