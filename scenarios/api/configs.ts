// A cluster from real redis.conf / sentinel.conf texts: addresses and ports come from the files
// (port, bind, replicaof, sentinel monitor). Reading files is the runner's job (fromConfigFiles is lazy).
import { ConfigFileError, ConfigFileOpenError, parseRedisConf } from '../../engine/redis/config/index.ts';
import { RdbFormatError } from '../../engine/redis/persistence/rdb/bytes.ts';
import { parseRdb } from '../../engine/redis/persistence/rdb/file.ts';
import { parseSentinelConf } from '../../engine/sentinel/config/index.ts';
import type { ClusterSpec, ConfigFileRef, ConfigFilesSpec, ConfigSetOptions, HostSpec, NodeSpec } from './spec.ts';
import { linkPatch } from './spec.ts';

/** A config file Redis would refuse: `fatal` is the text redis-server / redis-sentinel prints. */
export class ScenarioConfigError extends Error {
  override readonly name = 'ScenarioConfigError';
  constructor(
    /** The file (or text name) at fault. */
    readonly file: string,
    /** Redis's own words: the FATAL CONFIG FILE ERROR block, or "Fatal error, can't open config file ...". */
    readonly fatal: string,
  ) {
    super(`${file}: ${fatal}`);
  }
}

export interface ConfigText {
  /** File name (or path): names the host by default and appears in errors. */
  name: string;
  text: string;
  host?: string;
  ip?: string;
  /** An RDB file's bytes (a server's dump.rdb): the server starts from it. */
  rdb?: Uint8Array;
}

/** Describe a cluster by its config files; paths are relative to the scenario file. Read when the scenario runs. */
export function fromConfigFiles(files: { servers?: (string | ConfigFileRef)[]; sentinels?: (string | ConfigFileRef)[] } & ConfigSetOptions): ConfigFilesSpec {
  const { servers = [], sentinels = [], ...options } = files;
  if (servers.length + sentinels.length === 0) throw new Error('fromConfigFiles: no config files given');
  return { kind: 'config-files', servers, sentinels, options };
}

/**
 * Turn a fromConfigFiles spec into texts with `readFile` (which throws ScenarioConfigError when a file is
 * missing). RDB files are read with `readFile(path, 'latin1')`: one char per byte.
 */
export function resolveConfigFiles(spec: ConfigFilesSpec, readFile: (path: string, encoding?: 'latin1') => string): ClusterSpec {
  const load = (r: string | ConfigFileRef): ConfigText => {
    const ref = typeof r === 'string' ? { path: r } : r;
    const text = readFile(ref.path);
    const out: ConfigText = { name: ref.path, text, host: ref.host, ip: ref.ip };
    if (ref.rdb !== undefined) {
      const path = ref.rdb === true ? rdbPathOf(ref.path, text) : ref.rdb;
      let bin: string;
      try {
        bin = readFile(path, 'latin1');
      } catch (e) {
        if (e instanceof ScenarioConfigError) throw new ScenarioConfigError(path, e.fatal.replace("can't open config file", "can't open RDB file"));
        throw e;
      }
      out.rdb = checkedRdb(path, bin);
    }
    return out;
  };
  return fromConfigTexts({ servers: spec.servers.map(load), sentinels: spec.sentinels.map(load), ...spec.options });
}

const CONF_DIR = '/__conf_dir__';

/** The bytes of an RDB file, parsed once here so a truncated or corrupt file fails before the run. */
function checkedRdb(path: string, bin: string): Uint8Array {
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i) & 0xff;
  try {
    parseRdb(bytes);
  } catch (e) {
    if (e instanceof RdbFormatError) throw new ScenarioConfigError(path, `Bad RDB file (${bytes.length} bytes) at offset ${e.offset}: expected ${e.expected}`);
    throw e;
  }
  return bytes;
}

/** `dir` + `dbfilename` of a redis.conf, a relative `dir` resolved from the config file's folder. */
function rdbPathOf(confPath: string, text: string): string {
  let cfg;
  try {
    cfg = parseRedisConf(text, { path: confPath, cwd: CONF_DIR });
  } catch (e) {
    if (e instanceof ConfigFileError || e instanceof ConfigFileOpenError) throw new ScenarioConfigError(confPath, e.message);
    throw e;
  }
  const folder = confPath.includes('/') ? confPath.slice(0, confPath.lastIndexOf('/')) : '.';
  const confDir = String(cfg.get('dir') ?? CONF_DIR);
  const dir = confDir.startsWith(CONF_DIR) ? folder + confDir.slice(CONF_DIR.length) : confDir;
  return `${dir.replace(/\/+$/, '')}/${String(cfg.get('dbfilename') ?? 'dump.rdb')}`;
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const stem = (p: string) => basename(p).replace(/\.[^.]*$/, '') || basename(p);
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A concrete IPv4 address among `bind` addresses ("-" prefix = optional), or null for wildcards. */
function boundIp(bind: readonly string[]): string | null {
  for (const b of bind) {
    const a = b.startsWith('-') ? b.slice(1) : b;
    if (IPV4.test(a) && a !== '0.0.0.0') return a;
  }
  return null;
}

interface Parsed {
  src: ConfigText;
  kind: 'server' | 'sentinel';
  port: number;
  bindIp: string | null;
  password?: string;
  /** replicaof target or monitored masters: "ip:port". */
  refs: string[];
  monitors: { name: string; addr: string }[];
  replicaof: string | null;
}

function parseServer(src: ConfigText): Parsed {
  let cfg;
  try {
    cfg = parseRedisConf(src.text, { path: src.name, cwd: '/etc/redis' });
  } catch (e) {
    if (e instanceof ConfigFileError || e instanceof ConfigFileOpenError) throw new ScenarioConfigError(src.name, e.message);
    throw e;
  }
  const ro = cfg.replicaof;
  const replicaof = ro ? `${ro.host}:${ro.port}` : null;
  return {
    src,
    kind: 'server',
    port: cfg.port,
    bindIp: boundIp(cfg.bind),
    password: cfg.requirepass || undefined,
    refs: replicaof ? [replicaof] : [],
    monitors: [],
    replicaof,
  };
}

function parseSentinel(src: ConfigText): Parsed {
  let cfg;
  try {
    cfg = parseSentinelConf(src.text, { path: src.name, cwd: '/etc/redis' });
  } catch (e) {
    if (e instanceof ConfigFileError || e instanceof ConfigFileOpenError) throw new ScenarioConfigError(src.name, e.message);
    throw e;
  }
  const pass = cfg.server.requirepass;
  const monitors = cfg.masters.map((m) => ({ name: m.name, addr: `${m.host}:${m.port}` }));
  return {
    src,
    kind: 'sentinel',
    port: cfg.server.port,
    bindIp: cfg.announceIp && IPV4.test(cfg.announceIp) ? cfg.announceIp : boundIp(cfg.server.bind),
    password: pass || undefined,
    refs: monitors.map((m) => m.addr),
    monitors,
    replicaof: null,
  };
}

/** Build a cluster from config texts (the browser passes texts; the CLI reads files and comes here). */
export function fromConfigTexts(set: { servers?: ConfigText[]; sentinels?: ConfigText[] } & ConfigSetOptions): ClusterSpec {
  const parsed = [...(set.servers ?? []).map(parseServer), ...(set.sentinels ?? []).map(parseSentinel)];
  if (parsed.length === 0) throw new Error('fromConfigTexts: no config given');
  // the IP of a process: explicit, else bind / announce-ip, else the one address the other files use for its port
  const refs = parsed.flatMap((p) => p.refs);
  const ipOf = (p: Parsed): string => {
    if (p.src.ip) return p.src.ip;
    if (p.bindIp) return p.bindIp;
    const ips = [...new Set(refs.filter((r) => r.endsWith(`:${p.port}`)).map((r) => r.slice(0, r.lastIndexOf(':'))))].filter((ip) => IPV4.test(ip));
    return ips.length === 1 ? ips[0]! : '127.0.0.1';
  };
  const hosts: HostSpec[] = [];
  const nodes: NodeSpec[] = [];
  const seen = new Set<string>();
  for (const p of parsed) {
    const hostName = p.src.host ?? stem(p.src.name);
    const ip = ipOf(p);
    let h = hosts.find((x) => x.name === hostName);
    if (!h) hosts.push((h = { name: hostName, ip }));
    else if (p.src.ip && p.src.ip !== h.ip) throw new Error(`${p.src.name}: host '${hostName}' already has IP ${h.ip}`);
    const name = `${h.ip}:${p.port}`;
    if (seen.has(name)) throw new ScenarioConfigError(p.src.name, `address ${name} is already used by another config file`);
    seen.add(name);
    const configPath = `/etc/redis/${basename(p.src.name)}`;
    if (nodes.some((n) => n.host === hostName && n.configPath === configPath))
      throw new Error(`${p.src.name}: two config files named ${basename(p.src.name)} on host '${hostName}'`);
    const node: NodeSpec = { kind: p.kind, host: hostName, port: p.port, configPath, configText: p.src.text, password: p.password, source: p.src.name };
    if (p.src.rdb) {
      if (p.kind !== 'server') throw new Error(`${p.src.name}: an RDB file is for a server, not a Sentinel`);
      node.rdb = p.src.rdb;
    }
    nodes.push(node);
  }
  for (const e of set.extraHosts ?? []) {
    const x = typeof e === 'string' ? { name: e } : e;
    if (hosts.some((h) => h.name === x.name)) throw new Error(`extra host '${x.name}' already exists`);
    hosts.push({ name: x.name, ip: x.ip ?? '127.0.0.1' });
  }
  const firstMonitor = parsed.find((p) => p.monitors.length > 0)?.monitors[0];
  const serverNames = parsed.filter((p) => p.kind === 'server').map((p) => `${ipOf(p)}:${p.port}`);
  const roots = parsed.filter((p) => p.kind === 'server' && p.replicaof === null).map((p) => `${ipOf(p)}:${p.port}`);
  const initialMaster = firstMonitor && serverNames.includes(firstMonitor.addr) ? firstMonitor.addr : roots.length === 1 ? roots[0]! : null;
  return {
    kind: 'cluster',
    hosts,
    nodes,
    masterName: firstMonitor?.name ?? null,
    initialMaster,
    link: linkPatch(set),
    net: set.net,
    epochMs: set.epochMs,
  };
}
