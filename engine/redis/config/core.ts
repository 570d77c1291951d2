/**
 * Storage of the configuration values, with the operations shared by the file parser,
 * CONFIG GET / SET and CONFIG REWRITE. Values are kept per canonical name.
 */
import { cloneValue, formatValue, initValue, setValue } from './ops.ts';
import { CONFIG_TABLE, lookupConfig } from './table.ts';
import type { ConfigSpec, LoadState, ValueReader } from './types.ts';

/**
 * Called after a successful CONFIG SET, once per changed parameter (canonical name and
 * its new CONFIG GET text). Returning a string refuses the change: every parameter of
 * the command is restored and the string becomes the error reason.
 */
export type ChangeListener = (name: string, value: string) => string | void | undefined;

/** A `loadmodule` directive. */
export interface ModuleLoad {
  path: string;
  args: string[];
}

export interface ConfigExtras {
  /** `user` directives: [username, ...rules], in file order. */
  users: string[][];
  /** `rename-command` directives: [old name, new name ("" removes the command)]. */
  renamedCommands: [string, string][];
  loadModules: ModuleLoad[];
  /** Module parameters (`name.with.dot value...`), the last value of each name. */
  moduleConfigs: Map<string, string>;
}

export type ApplyResult = { ok: true; changed: boolean } | { ok: false; error: string };

export const MIN_HZ = 1n;
export const MAX_HZ = 500n;

export class ConfigCore implements ValueReader {
  protected values = new Map<string, unknown>();
  protected extras: ConfigExtras = { users: [], renamedCommands: [], loadModules: [], moduleConfigs: new Map() };
  protected listeners: ChangeListener[] = [];
  /** Path of the file the configuration was read from (null: started without one). */
  configFile: string | null = null;
  /**
   * Checks a directory given to `dir` (absolute path): null when it exists, else the
   * error text (e.g. "No such file or directory"). Without it every directory exists.
   */
  checkDir: ((absPath: string) => string | null) | undefined = undefined;

  protected constructor(cwd: string) {
    for (const spec of CONFIG_TABLE) this.values.set(spec.name, initValue(spec, cwd));
  }

  /** The stored value of a parameter (canonical name or alias), undefined if unknown. */
  value(name: string): unknown {
    const entry = lookupConfig(name);
    return entry ? this.values.get(entry.spec.name) : undefined;
  }

  /** CONFIG GET text of one parameter (canonical name or alias), undefined if unknown. */
  get(name: string): string | undefined {
    const entry = lookupConfig(name);
    return entry ? this.format(entry.spec) : undefined;
  }

  protected format(spec: ConfigSpec): string {
    return formatValue(spec, this.values.get(spec.name));
  }

  /** Set a parameter from already split arguments; the value is stored on success. */
  applyArgs(spec: ConfigSpec, args: readonly string[], load: LoadState): ApplyResult {
    const prev = this.values.get(spec.name);
    const r = setValue(spec, args, prev, { cfg: this, load, checkDir: this.checkDir });
    if (!r.ok) return r;
    let value = r.value;
    if (spec.name === 'hz') {
      const hz = value as bigint;
      value = hz < MIN_HZ ? MIN_HZ : hz > MAX_HZ ? MAX_HZ : hz;
    }
    this.values.set(spec.name, value);
    return { ok: true, changed: r.changed };
  }

  /** Copies of every value, to roll back a failed multi-parameter CONFIG SET. */
  protected snapshot(): Map<string, unknown> {
    const copy = new Map<string, unknown>();
    for (const spec of CONFIG_TABLE) copy.set(spec.name, cloneValue(spec, this.values.get(spec.name)));
    return copy;
  }

  protected restore(snapshot: Map<string, unknown>): void {
    this.values = snapshot;
  }

  /** Register a listener for CONFIG SET changes; returns a function removing it. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Tell the listeners; the first refusal is returned. */
  protected notify(name: string, value: string): string | null {
    for (const l of this.listeners) {
      const error = l(name, value);
      if (typeof error === 'string') return error;
    }
    return null;
  }

  /** The `user`, `rename-command`, `loadmodule` and module directives read from the file. */
  get directives(): Readonly<ConfigExtras> {
    return this.extras;
  }

  protected copyFrom(other: ConfigCore): void {
    this.values = other.snapshot();
    this.extras = {
      users: other.extras.users.map((u) => [...u]),
      renamedCommands: other.extras.renamedCommands.map(([a, b]) => [a, b]),
      loadModules: other.extras.loadModules.map((m) => ({ path: m.path, args: [...m.args] })),
      moduleConfigs: new Map(other.extras.moduleConfigs),
    };
    this.configFile = other.configFile;
    this.checkDir = other.checkDir;
  }
}
