// The keys and channels a command names, with the access ACL checks them for: Redis 7.0.15 takes
// them from the key specs' flags (ACLSelectorCheckKey: ACCESS → read; INSERT/DELETE/UPDATE →
// write) — the command table's key specs (commands/key-specs.ts) — and from commands_with_channels (db.c).
import type { CommandSpec } from '../commands/context.ts';
import { keySpecFlags, keySpecsOf } from '../commands/key-specs.ts';
import { keysFromSpecs } from '../commands/meta.ts';

export interface KeyRef {
  pos: number;
  read: boolean;
  write: boolean;
}

export interface ChannelRef {
  pos: number;
  pattern: boolean;
  /** Publish or subscribe: checked. Unsubscribe: never checked. */
  checked: boolean;
}

/** ACLSelectorCheckKey: ACCESS needs read; INSERT / DELETE / UPDATE need write. */
function ref(pos: number, flags: readonly string[]): KeyRef {
  return { pos, read: flags.includes('access'), write: flags.includes('insert') || flags.includes('delete') || flags.includes('update') };
}

/** bitfieldGetKeys: only GET and OVERFLOW make BITFIELD read-only (db.c). */
function bitfieldReadOnly(argv: readonly string[]): boolean {
  for (let i = 2; i < argv.length; i++) {
    const rem = argv.length - i - 1;
    const a = argv[i]!.toLowerCase();
    if (a === 'get' && rem >= 2) i += 2;
    else if (a === 'overflow' && rem >= 1) i += 1;
    else return false; // SET / INCRBY, or a syntax error (assumed not read-only)
  }
  return true;
}

/** The flags of the j-th key found by a getkeys procedure (setGetKeys, sortGetKeys, bitfieldGetKeys set their own). */
function procFlags(spec: CommandSpec, fullname: string, argv: readonly string[], j: number): readonly string[] {
  if (fullname === 'set') return argv.slice(3).some((a) => a.toLowerCase() === 'get') ? ['RW', 'access', 'update'] : ['OW', 'update'];
  if (fullname === 'bitfield') return bitfieldReadOnly(argv) ? ['RO', 'access'] : ['RW', 'access', 'update'];
  if (fullname === 'sort' || fullname === 'sort_ro') return j === 0 ? ['RO', 'access'] : ['OW', 'update'];
  const table = keySpecFlags(fullname);
  if (table) return table[Math.min(j, table.length - 1)]!;
  return spec.flags.includes('write') ? ['RW', 'access', 'update'] : ['RO', 'access'];
}

/** Key positions: the command's getkeys procedure, else its (first, last, step) range. */
export function keyPositions(spec: CommandSpec, argv: readonly string[]): number[] {
  if (spec.firstKey <= 0 && !spec.getKeys) return [];
  if (spec.getKeys) return spec.getKeys(argv);
  const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
  const out: number[] = [];
  for (let i = spec.firstKey; i <= last && i < argv.length; i += Math.max(1, spec.keyStep)) out.push(i);
  return out;
}

/**
 * getKeysFromCommandWithSpecs: the key specs when they are reliable (no VARIABLE_FLAGS, none
 * INCOMPLETE, they fit argv), else the command's getkeys procedure or legacy range; NOT_KEY specs
 * (shard channels) are never keys here.
 */
export function keyRefs(spec: CommandSpec, fullname: string, argv: readonly string[]): KeyRef[] {
  const specs = spec.meta?.keySpecs ?? keySpecsOf(fullname);
  if (Array.isArray(specs)) {
    if (!specs.some((k) => !k.flags.includes('not_key')) && !spec.getKeys) return [];
    if (!specs.some((k) => k.flags.includes('variable_flags') || k.flags.includes('incomplete'))) {
      const keys = keysFromSpecs(specs, argv);
      if (keys) return keys.map((k) => ref(k.pos, k.flags));
    }
  }
  return keyPositions(spec, argv).map((pos, j) => ref(pos, procFlags(spec, fullname, argv, j)));
}

/** getChannelsFromCommand (commands_with_channels). */
export function channelRefs(fullname: string, argv: readonly string[]): ChannelRef[] {
  let start = 1;
  let count = -1;
  let pattern = false;
  let checked = true;
  switch (fullname) {
    case 'subscribe':
    case 'ssubscribe':
      break;
    case 'unsubscribe':
    case 'sunsubscribe':
      checked = false;
      break;
    case 'psubscribe':
      pattern = true;
      break;
    case 'punsubscribe':
      pattern = true;
      checked = false;
      break;
    case 'publish':
    case 'spublish':
      count = 1;
      break;
    default:
      return [];
  }
  const stop = count === -1 ? argv.length : Math.min(argv.length, start + count);
  const out: ChannelRef[] = [];
  for (let i = start; i < stop; i++) out.push({ pos: i, pattern, checked });
  return out;
}
