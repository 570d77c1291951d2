// What `sentinel-sim serve` serves: the cluster built from --config / --sentinel files, a --configs
// directory, or a scenario's setup (its script is not run). Node only: reads the real disk.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fromConfigTexts, type ConfigText } from '../../scenarios/api/configs.ts';
import { scenarioSpec } from '../../scenarios/api/runner.ts';
import type { ClusterSpec } from '../../scenarios/api/spec.ts';
import { CliError, loadScenario } from '../run/load.ts';
import { rdbPathOfConf, readUserRdb } from './rdb-files.ts';

export interface ServeSources {
  /** redis.conf files: one server each, on the port the file names. */
  config: string[];
  /** sentinel.conf files: one Sentinel each. */
  sentinel: string[];
  /** A directory: every *.conf in it (a file with a `sentinel monitor` line is a Sentinel). */
  configs?: string;
  /** A scenario file: the cluster its setup() builds. */
  scenario?: string;
  /** A single server without a config file (only alone). */
  port?: number;
  seed?: string;
}

export interface ServePlan {
  /** null: one server without a config file on `port`. */
  cluster: ClusterSpec | null;
  port?: number;
  seed: string;
  /** Scenario name when served from a scenario. */
  scenario?: string;
  /** Node index → the real RDB file its redis.conf names (loaded if present, written on saves). */
  rdbFiles?: Map<number, string>;
}

const SENTINEL_MONITOR = /^[ \t]*sentinel[ \t]+monitor[ \t]/im;

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
};

/** A config file's text, or redis-server's own words when it cannot be read. */
export function readConfigFile(file: string): string {
  const abs = resolve(file);
  try {
    if (statSync(abs).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return readFileSync(abs, 'latin1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new CliError(`Fatal error, can't open config file '${abs}': ${STRERROR[code] ?? (e as Error).message}`, 2);
  }
}

/** The *.conf files of a directory, by name, split into servers and Sentinels. */
export function configsInDir(dir: string): { servers: string[]; sentinels: string[] } {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new CliError(`cannot read directory '${dir}': ${STRERROR[code] ?? (e as Error).message}`, 2);
  }
  const files = names.filter((n) => n.endsWith('.conf')).sort().map((n) => join(dir, n));
  const servers: string[] = [];
  const sentinels: string[] = [];
  for (const f of files) {
    if (!statSync(f).isFile()) continue;
    (SENTINEL_MONITOR.test(readConfigFile(f)) ? sentinels : servers).push(f);
  }
  if (servers.length + sentinels.length === 0) throw new CliError(`no *.conf files in '${dir}'`, 2);
  return { servers, sentinels };
}

/** A cluster from real config files (addresses and ports from the files, as fromConfigFiles does). */
export function clusterFromFiles(servers: string[], sentinels: string[]): ClusterSpec {
  const text = (f: string): ConfigText => ({ name: f, text: readConfigFile(f) });
  return fromConfigTexts({ servers: servers.map(text), sentinels: sentinels.map(text) });
}

/**
 * Each server's RDB file on the real disk (its config's dir + dbfilename): loaded when it exists (its
 * bytes go into the node spec) and written back on every save. Returns node index → real path.
 */
export function attachRdbFiles(cluster: ClusterSpec): Map<number, string> {
  const out = new Map<number, string>();
  cluster.nodes.forEach((n, i) => {
    if (n.kind !== 'server' || !n.source) return;
    const path = rdbPathOfConf(n.source, n.configText);
    const bytes = readUserRdb(path);
    if (bytes) n.rdb = bytes;
    out.set(i, path);
  });
  return out;
}

/** Decide what to serve; throws CliError (exit 2) for bad combinations or unreadable files, ScenarioConfigError for a file Redis would refuse. */
export async function planServe(src: ServeSources): Promise<ServePlan> {
  const files = src.config.length + src.sentinel.length + (src.configs !== undefined ? 1 : 0);
  if (src.scenario !== undefined) {
    if (files > 0 || src.port !== undefined) throw new CliError('--scenario cannot be combined with --config, --sentinel, --configs or --port', 2);
    const loaded = await loadScenario(src.scenario);
    const seed = String(src.seed ?? loaded.scenario.seed ?? 1);
    let cluster: ClusterSpec;
    try {
      cluster = scenarioSpec(loaded.scenario, seed, loaded.readFile);
    } catch (e) {
      if ((e as Error).name === 'ScenarioConfigError') throw e;
      throw new CliError(`scenario '${loaded.scenario.name}': setup failed: ${(e as Error).message}`, 2);
    }
    return { cluster, seed, scenario: loaded.scenario.name };
  }
  const seed = String(src.seed ?? 1);
  if (files === 0) return { cluster: null, port: src.port ?? 6379, seed };
  if (src.port !== undefined) throw new CliError('--port serves a single server without a config file; with --config, --sentinel or --configs each port comes from its file', 2);
  const servers = [...src.config];
  const sentinels = [...src.sentinel];
  if (src.configs !== undefined) {
    const d = configsInDir(src.configs);
    servers.push(...d.servers);
    sentinels.push(...d.sentinels);
  }
  const cluster = clusterFromFiles(servers, sentinels);
  return { cluster, seed, rdbFiles: attachRdbFiles(cluster) };
}
