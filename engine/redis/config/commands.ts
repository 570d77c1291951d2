/**
 * CONFIG GET and CONFIG SET with the matching rules, checks and error replies of
 * Redis 7.0.15.
 */
import { stringMatchC } from '../keyspace/glob.ts';
import { ConfigCore } from './core.ts';
import { CONFIG_ENTRIES, lookupConfig, PROTECTED_ACTION_ENUM, type ConfigEntry } from './table.ts';
import { splitOnSpaces } from './tokenizer.ts';
import { DENY_LOADING, HIDDEN, IMMUTABLE, MULTI_ARG, PROTECTED } from './types.ts';

/** Who is asking, for the checks that depend on it. */
export interface ConfigSetContext {
  /** The server is loading its dataset (some parameters cannot change meanwhile). */
  loading?: boolean;
  /** The client is local (enable-protected-configs "local" lets it change dir / dbfilename). */
  localClient?: boolean;
}

export const LOADING_ERROR = 'LOADING Redis is loading the dataset in memory';

/** Names in a deterministic order for pattern matches: alphabetical. */
const SORTED_ENTRIES: readonly ConfigEntry[] = [...CONFIG_ENTRIES].sort((a, b) =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
);

const PROTECTED_YES = PROTECTED_ACTION_ENUM.find(([n]) => n === 'yes')![1];
const PROTECTED_LOCAL = PROTECTED_ACTION_ENUM.find(([n]) => n === 'local')![1];

export class ConfigCommands extends ConfigCore {
  /**
   * CONFIG GET: [name, value] pairs. A pattern with `*`, `?` or `[` is matched
   * (case-insensitively) against every name, aliases included, except hidden ones;
   * any other argument is an exact, case-insensitive lookup answered under the name as
   * typed. Each parameter name appears once. Order: arguments in order, and for a
   * pattern its matches alphabetically.
   */
  configGet(patterns: readonly string[]): [string, string][] {
    const matches = new Map<string, [string, ConfigEntry]>();
    for (const pattern of patterns) {
      // strpbrk(name, "[*?"): only the C string (up to a NUL) is searched
      if (!/[[*?]/.test(pattern.split('\0', 1)[0]!)) {
        const key = pattern.toLowerCase();
        if (matches.has(key)) continue;
        const entry = lookupConfig(pattern);
        if (entry) matches.set(key, [pattern, entry]);
        continue;
      }
      for (const entry of SORTED_ENTRIES) {
        if (entry.spec.flags & HIDDEN || matches.has(entry.key)) continue;
        if (stringMatchC(pattern, entry.key, true)) matches.set(entry.key, [entry.key, entry]);
      }
    }
    return [...matches.values()].map(([name, entry]) => [name, this.format(entry.spec)]);
  }

  private protectedAllowed(ctx: ConfigSetContext): boolean {
    const mode = this.values.get('enable-protected-configs') as number;
    return mode === PROTECTED_YES || (mode === PROTECTED_LOCAL && ctx.localClient === true);
  }

  /**
   * CONFIG SET name value [name value ...], atomically: null on success, else the error
   * reply (without the leading "-"). Listeners registered with onChange() see each
   * changed parameter once all values are set, and may refuse.
   */
  configSet(pairs: readonly (readonly [string, string])[], ctx: ConfigSetContext = {}): string | null {
    const entries: ConfigEntry[] = [];
    let unknownName: string | null = null;
    let errName: string | null = null;
    let errText: string | null = null;
    let invalid = false;
    let denyLoading = false;

    for (let i = 0; i < pairs.length; i++) {
      const name = pairs[i]![0];
      const entry = lookupConfig(name);
      if (!entry) {
        if (!invalid) {
          unknownName = name;
          invalid = true;
        }
        continue;
      }
      if (invalid) continue;
      const flags = entry.spec.flags;
      if (flags & IMMUTABLE || (flags & PROTECTED && !this.protectedAllowed(ctx))) {
        errText = flags & IMMUTABLE ? "can't set immutable config" : "can't set protected config";
        errName = name;
        invalid = true;
        continue;
      }
      if (ctx.loading && flags & DENY_LOADING) {
        denyLoading = true;
        invalid = true;
        continue;
      }
      if (entries.slice(0, i).some((e) => e.key === entry.key)) {
        errText = 'duplicate parameter';
        errName = name;
        invalid = true;
      }
      entries[i] = entry;
    }
    if (invalid) return formatSetError(denyLoading, unknownName, errName, errText);

    const before = this.snapshot();
    const changed: ConfigEntry[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const entry = entries[i]!;
      const value = pairs[i]![1];
      const args = entry.spec.flags & MULTI_ARG ? splitOnSpaces(value) : [value];
      const r = this.applyArgs(entry.spec, args, { readingFile: false, saveLoaded: false });
      if (!r.ok) {
        this.restore(before);
        return formatSetError(false, null, entry.key, r.error);
      }
      if (r.changed && !changed.some((e) => e.spec === entry.spec)) changed.push(entry);
    }

    const notified: ConfigEntry[] = [];
    for (const entry of changed) {
      notified.push(entry);
      const error = this.notify(entry.spec.name, this.format(entry.spec));
      if (error !== null) {
        this.restore(before);
        for (const n of notified) this.notify(n.spec.name, this.format(n.spec));
        return formatSetError(false, null, entry.key, error);
      }
    }
    return null;
  }
}

function formatSetError(
  denyLoading: boolean,
  unknownName: string | null,
  errName: string | null,
  errText: string | null,
): string {
  if (denyLoading) return LOADING_ERROR;
  if (unknownName !== null) return `ERR Unknown option or number of arguments for CONFIG SET - '${unknownName}'`;
  if (errText !== null) return `ERR CONFIG SET failed (possibly related to argument '${errName}') - ${errText}`;
  return `ERR CONFIG SET failed (possibly related to argument '${errName}')`;
}
