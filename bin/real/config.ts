// The scenario's topology on the loopback: one alias 127.0.77.(i+1) per simulated host i, config files rewritten
// to use them (and to run in the foreground, in a per-node data directory, logging to stdout), and the mapping
// back from aliases to the scenario's ("simulated") addresses for every line and reply a script sees.
// Hosts that share a simulated IP (the tutorial's five files all say 127.0.0.1) still get one alias each:
// an address in a config file is mapped through the node that listens on that ip:port, so each process is
// reachable on its own alias and each host can be cut off on its own.
import { splitInlineArgs } from '../../engine/net/respCodec.ts';
import type { ClusterSpec } from '../../scenarios/api/spec.ts';

/** A config file real Redis cannot be given as it is (an address outside the scenario, …): exit 2. */
export class RealConfigError extends Error {
  override readonly name = 'RealConfigError';
}

/**
 * The third byte of the twin's loopback block 127.0.<b>.0/24: 77, or SENTINEL_SIM_REAL_BLOCK (2–254), so that
 * several real runs can go at once, each in its own block (each holds the lock of its block only).
 */
export const ALIAS_BLOCK = aliasBlock(process.env.SENTINEL_SIM_REAL_BLOCK);
export const ALIAS_PREFIX = `127.0.${ALIAS_BLOCK}.`;

export function aliasBlock(v: string | undefined): number {
  if (v === undefined || v === '') return 77;
  const n = /^\d{1,3}$/.test(v) ? Number(v) : NaN;
  if (!(n >= 2 && n <= 254)) throw new RealConfigError(`SENTINEL_SIM_REAL_BLOCK must be a number from 2 to 254 (the third byte of 127.0.<b>.0/24), not '${v}'`);
  return n;
}
export const MAX_HOSTS = 254;

export interface RealHost {
  name: string;
  /** The scenario's IP. */
  ip: string;
  /** 127.0.77.<index + 1> (ALIAS_PREFIX). */
  alias: string;
}

export interface RealNodeSpec {
  /** "ip:port" in the scenario's addresses. */
  name: string;
  kind: 'server' | 'sentinel';
  host: string;
  alias: string;
  port: number;
  configText: string;
  configPath: string;
  password?: string;
  source?: string;
}

/** Aliases of a cluster's hosts, and the two-way address mapping. */
export class RealTopology {
  readonly hosts: RealHost[] = [];
  readonly nodes: RealNodeSpec[];
  private readonly byAlias = new Map<string, RealHost>();

  constructor(spec: ClusterSpec) {
    for (const h of spec.hosts) this.addHost(h.name, h.ip);
    this.nodes = spec.nodes.map((n) => {
      const h = this.hosts.find((x) => x.name === n.host);
      if (!h) throw new RealConfigError(`node on unknown host '${n.host}'`);
      return { name: `${h.ip}:${n.port}`, kind: n.kind, host: h.name, alias: h.alias, port: n.port, configText: n.configText, configPath: n.configPath, password: n.password, source: n.source };
    });
  }

  /** Give a (client) host its alias; returns the existing one when known. */
  addHost(name: string, ip: string): RealHost {
    const known = this.hosts.find((h) => h.name === name);
    if (known) return known;
    if (this.hosts.length >= MAX_HOSTS) throw new RealConfigError(`at most ${MAX_HOSTS} hosts fit in ${ALIAS_PREFIX}0/24`);
    const h: RealHost = { name, ip, alias: `${ALIAS_PREFIX}${this.hosts.length + 1}` };
    this.hosts.push(h);
    this.byAlias.set(h.alias, h);
    return h;
  }

  host(name: string): RealHost {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new RealConfigError(`unknown host '${name}'`);
    return h;
  }

  /**
   * The alias to use for the scenario address ip:port: the host of the node listening there; else the one
   * host with that IP (nothing listens on that port: refused, as in the simulation); null if no host has it.
   */
  aliasFor(ip: string, port?: number): string | null {
    const a = ip === 'localhost' ? '127.0.0.1' : ip;
    if (port !== undefined) {
      const n = this.nodes.find((x) => x.name === `${a}:${port}`);
      if (n) return n.alias;
    }
    const hs = this.hosts.filter((h) => h.ip === a);
    return hs.length > 0 ? hs[0]!.alias : null;
  }

  /** The scenario IP of an alias (null when it is none of ours). */
  simIp(alias: string): string | null {
    return this.byAlias.get(alias)?.ip ?? null;
  }

  /** Every alias in `text` replaced by its host's scenario IP (127.0.77.1 never matches inside 127.0.77.10). */
  toSim(text: string): string {
    if (!text.includes(ALIAS_PREFIX)) return text;
    return text.replace(ALIAS_RE, (m) => this.byAlias.get(m)?.ip ?? m);
  }

  /** "alias:port" → the scenario's node name. */
  nodeAt(alias: string, port: number): string {
    return `${this.simIp(alias) ?? alias}:${port}`;
  }

  /**
   * A command's arguments with scenario addresses turned into aliases: "ip:port" tokens, and an IP followed by
   * a port (REPLICAOF 127.0.0.1 8003, SENTINEL MONITOR m 10.0.0.1 6379 2). A lone IP is mapped when one host has it.
   */
  argsToReal(argv: string[]): string[] {
    return argv.map((a, i) => {
      const hp = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(a);
      if (hp) {
        const al = this.aliasFor(hp[1]!, Number(hp[2]));
        return al ? `${al}:${hp[2]}` : a;
      }
      if (!IPV4.test(a)) return a;
      const next = argv[i + 1];
      const port = next !== undefined && /^\d{1,5}$/.test(next) ? Number(next) : undefined;
      if (port !== undefined) return this.aliasFor(a, port) ?? a;
      const hs = this.hosts.filter((h) => h.ip === a);
      return hs.length === 1 ? hs[0]!.alias : a;
    });
  }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const ALIAS_RE = new RegExp(`(?<![\\d.])127\\.0\\.${ALIAS_BLOCK}\\.\\d{1,3}(?![\\d]|\\.\\d)`, 'g');

/** Directives replaced by the block appended at the end (or dropped). */
const DROPPED = new Set([
  'daemonize',
  'logfile',
  'dir',
  'bind',
  'bind-source-addr',
  'pidfile',
  'unixsocket',
  'unixsocketperm',
  'supervised',
  'syslog-enabled',
  'syslog-ident',
  'syslog-facility',
  'always-show-logo',
]);

/** Sentinel sub-directives that would run programs of this machine: left out (and reported). */
const SENTINEL_DROPPED = new Set(['notification-script', 'client-reconfig-script']);

/** Quote a config argument the way redis.conf reads it back. */
export function quoteArg(s: string): string {
  if (s !== '' && /^[^\s"'\\]+$/.test(s)) return s;
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 32 || c === 127) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

export interface RewriteResult {
  text: string;
  /** Lines left out, with why (reported as skipped steps). */
  dropped: string[];
}

/**
 * The config text real redis-server gets for `node`: addresses mapped to aliases, `bind` / `bind-source-addr`
 * the node's alias, `dir` its data directory, `daemonize no`, `logfile ""` (stdout, read by the runner),
 * `protected-mode no` when the scenario has a host on 127.0.0.1 (see `aliasesBreakLocality`), and the scenario's
 * port. Everything else is kept as it is. Throws RealConfigError for an address outside the scenario (real
 * traffic stays on the loopback).
 */
export function rewriteConfig(node: RealNodeSpec, topo: RealTopology, dataDir: string): RewriteResult {
  const out: string[] = [];
  const dropped: string[] = [];
  const forceUnprotected = aliasesBreakLocality(topo);
  const where = node.source ?? node.configPath;
  const mapAddr = (ip: string, port: string, line: string): string => {
    const al = topo.aliasFor(ip, Number(port));
    if (al === null) throw new RealConfigError(`${where}: '${line.trim()}' names ${ip}:${port}, which is no host of the scenario (real runs stay on ${ALIAS_PREFIX}0/24)`);
    return al;
  };
  for (const line of node.configText.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      out.push(line);
      continue;
    }
    const argv = splitInlineArgs(trimmed);
    if (argv === null || argv.length === 0) {
      out.push(line);
      continue;
    }
    const name = argv[0]!.toLowerCase();
    if (DROPPED.has(name) || (name === 'protected-mode' && forceUnprotected)) {
      out.push(`# (sentinel-sim real) ${trimmed}`);
      continue;
    }
    let changed: string[] | null = null;
    if ((name === 'replicaof' || name === 'slaveof') && argv.length >= 3) {
      changed = [argv[0]!, mapAddr(argv[1]!, argv[2]!, line), ...argv.slice(2)];
    } else if ((name === 'replica-announce-ip' || name === 'slave-announce-ip') && argv.length >= 2) {
      changed = [argv[0]!, node.alias];
    } else if (name === 'sentinel' && argv.length >= 2) {
      const sub = argv[1]!.toLowerCase();
      if (SENTINEL_DROPPED.has(sub)) {
        out.push(`# (sentinel-sim real) ${trimmed}`);
        dropped.push(`${where}: '${trimmed}' left out (real runs do not start programs of this machine)`);
        continue;
      }
      if ((sub === 'monitor' || sub === 'known-replica' || sub === 'known-slave' || sub === 'known-sentinel') && argv.length >= 5) {
        changed = [...argv.slice(0, 3), mapAddr(argv[3]!, argv[4]!, line), ...argv.slice(4)];
      } else if (sub === 'announce-ip' && argv.length >= 3) {
        changed = [argv[0]!, argv[1]!, node.alias];
      }
    }
    // a line is rewritten only when an address in it changed
    out.push(changed === null ? line : changed.map(quoteArg).join(' '));
  }
  out.push(
    '',
    '# ---- added by sentinel-sim real: foreground, own loopback alias, own data directory, log on stdout',
    'daemonize no',
    'logfile ""',
    `dir ${quoteArg(dataDir)}`,
    `bind ${node.alias}`,
    `bind-source-addr ${node.alias}`,
    ...(forceUnprotected ? ['protected-mode no'] : []),
    `port ${node.port}`,
  );
  return { text: out.join('\n') + '\n', dropped };
}

/**
 * Protected mode counts only the peer 127.0.0.1 (or ::1) as local (clientAcceptHandler). The simulator sees a
 * scenario host on 127.0.0.1 as local, but its real stand-in is an alias 127.0.77.x, which real Redis would
 * refuse: such scenarios run with `protected-mode no`. Every other scenario keeps its own setting, because
 * its peers are non-local on both sides (a host 10.0.0.x and its alias alike).
 */
export function aliasesBreakLocality(topo: RealTopology): boolean {
  return topo.hosts.some((h) => h.ip === '127.0.0.1' || h.ip === '::1');
}
