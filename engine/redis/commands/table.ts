// The command table: every command group registers here (design.md, engine/redis "commands").
import type { CommandSpec } from './context.ts';

const table = new Map<string, CommandSpec>();

/** Register a group's commands. Called once per group module at import time. */
export function registerCommands(specs: readonly CommandSpec[]): void {
  for (const s of specs) {
    if (table.has(s.name)) throw new Error(`command '${s.name}' registered twice`);
    table.set(s.name, s);
  }
}

/** Look up by name (any case). */
export function lookupCommand(name: string): CommandSpec | undefined {
  return table.get(name.toLowerCase());
}

/** How many commands are registered (cheap: indexes built from allCommands() check it per lookup). */
export function commandCount(): number {
  return table.size;
}

/** All commands, sorted by name (COMMAND, COMMAND COUNT/INFO/DOCS). */
export function allCommands(): CommandSpec[] {
  return [...table.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
