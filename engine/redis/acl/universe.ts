// The command table as ACL sees it (server.orig_commands): every command and subcommand with its
// full name, in a fixed order (Redis walks a dict whose order follows a per-process hash seed; the
// simulator walks the table sorted by name, subcommands after their container).
import type { CommandSpec } from '../commands/context.ts';
import { allCommands, lookupCommand } from '../commands/table.ts';
import { categorySet, type Category } from './categories.ts';

export interface AclCommand {
  spec: CommandSpec;
  fullname: string;
  parent: AclCommand | null;
  subs: AclCommand[];
}

let cache: { size: number; top: AclCommand[]; byName: Map<string, AclCommand> } | null = null;

function build(): { size: number; top: AclCommand[]; byName: Map<string, AclCommand> } {
  const specs = allCommands();
  if (cache && cache.size === specs.length) return cache;
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
  cache = { size: specs.length, top, byName };
  return cache;
}

/** Top-level commands in ACL walk order. */
export function aclCommands(): readonly AclCommand[] {
  return build().top;
}

/** lookupCommandBySdsLogic: "get" or "config|get" (any case); null when unknown. */
export function aclLookup(name: string): AclCommand | null {
  const lower = name.toLowerCase();
  const parts = lower.split('|');
  if (parts.length > 2) return null;
  const u = build();
  if (parts.length === 1) return u.byName.get(lower) ?? null;
  const base = u.byName.get(parts[0]!);
  if (!base || base.subs.length === 0) return null;
  return u.byName.get(lower) ?? null;
}

/** The ACL command of a spec resolved by dispatch (its full name). */
export function aclCommandOf(fullname: string): AclCommand | null {
  return build().byName.get(fullname) ?? null;
}

export function inCategory(c: AclCommand, cat: Category): boolean {
  return categorySet(c.spec, c.fullname).has(cat);
}

/** Whether the command table knows a top-level name (config loading checks). */
export function commandExists(name: string): boolean {
  return lookupCommand(name) !== undefined;
}
