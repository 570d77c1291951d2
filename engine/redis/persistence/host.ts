// What the persistence code needs from its server process (kept narrow so it can be tested alone).
import type { Disk } from '../../sim/host.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { RdbAux } from './rdb.ts';

/** Settings rdbSaveRio reads (rdb/options.ts). */
export type RdbConfName = 'rdbcompression' | 'rdbchecksum' | 'list-max-listpack-size';

export type LogLevel = '.' | '-' | '*' | '#';

export interface PersistHost {
  readonly ks: Keyspace;
  readonly disk: Disk;
  /** Host wall clock ms. */
  mstime(): number;
  setTimer(ms: number, fn: () => void): { cancel(): void };
  log(level: LogLevel, line: string): void;
  /** A line logged by a forked child (its own pid, role 'C'). */
  logChild(pid: number, level: LogLevel, line: string): void;
  /** The pid the OS gives to fork(). */
  forkPid(): number;
  /** server.dirty */
  getDirty(): number;
  setDirty(n: number): void;
  /** rdbPopulateSaveInfo(): replication aux fields, or null when none are saved. */
  replSaveInfo(): RdbAux | null;
  /** The function libraries' code, saved in RDB files before the data (rdbSaveFunctions). */
  functionCodes?(): string[];
  /** `dir`, the file names and the RDB save options from the config, read at the moment of use. */
  conf(name: 'dir' | 'dbfilename' | 'appendfilename' | 'appenddirname' | RdbConfName): string;
}

/** Modelled time a child needs to write `bytes` (fork + ~200 MB/s), in ms. */
export function childDurationMs(bytes: number): number {
  return 1 + Math.ceil(bytes / 200_000);
}

/** The config reads of rdbSaveRio, for snapshot(). */
export const rdbConf =
  (h: PersistHost) =>
  (name: string): string =>
    h.conf(name as RdbConfName);
