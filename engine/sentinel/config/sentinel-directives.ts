/**
 * The `sentinel <directive> ...` lines: how each one changes the Sentinel state at load,
 * with the messages Redis 7.0.15 prints when it refuses one (spec sentinel.md §4.1).
 */
import { atoi, strtoull } from '../../redis/config/cnum.ts';
import { yesNo } from '../../redis/config/standard.ts';
import { parseNumericHost } from './ip.ts';
import {
  createMasterFileConfig,
  RUN_ID_SIZE,
  type MasterFileConfig,
  type SentinelFileConfig,
} from './types.ts';

export interface SentinelDirectiveOptions {
  /** Stand-in for access(path, X_OK) on script paths; default: every path is executable. */
  isExecutable?: (path: string) => boolean;
  /** Name resolution when `resolve-hostnames yes`; default: names do not resolve. */
  resolveHostname?: (host: string) => string | null;
}

/** Directives applied before every `monitor`, whatever their place in the file. */
export const PRE_MONITOR_DIRECTIVES: readonly string[] = [
  'announce-ip',
  'announce-port',
  'deny-scripts-reconfig',
  'sentinel-user',
  'sentinel-pass',
  'current-epoch',
  'myid',
  'resolve-hostnames',
  'announce-hostnames',
];

export const UNRECOGNIZED = 'Unrecognized sentinel configuration statement.';
export const NO_SUCH_MASTER = 'No such master with specified name.';

type Role = 'master' | 'replica' | 'sentinel';

const DUPLICATE: Readonly<Record<Role, string>> = {
  master: 'Duplicate master name.',
  replica: 'Duplicate hostname and port for replica.',
  sentinel: 'Duplicate runid for sentinel.',
};

/** `ip:port`, or `[ip]:port` for addresses containing a colon. */
export function addrAndPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Address validation as Sentinel creates an instance: the port must be 0..65535 and, with
 * resolve-hostnames off, the host must be an IP literal. Returns the host as the rewrite
 * will write it, or an error text.
 */
function checkAddress(
  c: SentinelFileConfig,
  host: string,
  port: number,
  opts: SentinelDirectiveOptions,
): { host: string } | { error: string } {
  if (port < 0 || port > 65535) return { error: 'Invalid port number.' };
  let ip = parseNumericHost(host);
  if (ip === null) {
    if (!c.resolveHostnames) return { error: "Can't resolve instance hostname." };
    ip = opts.resolveHostname?.(host) ?? null;
  }
  return { host: c.announceHostnames || ip === null ? host : ip };
}

function masterByName(c: SentinelFileConfig, name: string): MasterFileConfig | undefined {
  return c.masters.find((m) => m.name === name);
}

/** Apply one queued directive (argv without the leading "sentinel"). */
export function applySentinelDirective(
  c: SentinelFileConfig,
  argv: readonly string[],
  opts: SentinelDirectiveOptions = {},
): string | null {
  const dir = argv[0]!.toLowerCase();
  const argc = argv.length;
  const isExecutable = opts.isExecutable ?? (() => true);

  // Directives that do not name a master.
  if (dir === 'monitor' && argc === 5) {
    const quorum = atoi(argv[4]!);
    if (quorum <= 0) return 'Quorum must be 1 or greater.';
    const addr = checkAddress(c, argv[2]!, atoi(argv[3]!), opts);
    if ('error' in addr) return addr.error;
    if (masterByName(c, argv[1]!)) return DUPLICATE.master;
    c.masters.push(createMasterFileConfig(argv[1]!, addr.host, atoi(argv[3]!), quorum));
    return null;
  }
  if (argc === 2) {
    const v = argv[1]!;
    switch (dir) {
      case 'current-epoch': {
        const e = Number(strtoull(v));
        if (e > c.currentEpoch) c.currentEpoch = e;
        return null;
      }
      case 'myid':
        if (v.length !== RUN_ID_SIZE) return 'Malformed Sentinel id in myid option.';
        c.myid = v;
        return null;
      case 'announce-ip':
        if (v.length > 0) c.announceIp = v;
        return null;
      case 'announce-port':
        c.announcePort = atoi(v);
        return null;
      case 'sentinel-user':
        if (v.length > 0) c.sentinelUser = v;
        return null;
      case 'sentinel-pass':
        if (v.length > 0) c.sentinelPass = v;
        return null;
      case 'deny-scripts-reconfig':
      case 'resolve-hostnames':
      case 'announce-hostnames': {
        const yn = yesNo(v);
        if (yn === null) {
          return dir === 'deny-scripts-reconfig'
            ? 'Please specify yes or no for the deny-scripts-reconfig options.'
            : `Please specify yes or no for the ${dir} option.`;
        }
        if (dir === 'deny-scripts-reconfig') c.denyScriptsReconfig = yn;
        else if (dir === 'resolve-hostnames') c.resolveHostnames = yn;
        else c.announceHostnames = yn;
        return null;
      }
    }
  }
  // The old `known-sentinel <name> <ip> <port>` form is ignored before the name is checked.
  if (dir === 'known-sentinel' && argc === 4) return null;

  const arity: Readonly<Record<string, number>> = {
    'down-after-milliseconds': 3,
    'failover-timeout': 3,
    'parallel-syncs': 3,
    'notification-script': 3,
    'client-reconfig-script': 3,
    'auth-pass': 3,
    'auth-user': 3,
    'config-epoch': 3,
    'leader-epoch': 3,
    'known-slave': 4,
    'known-replica': 4,
    'known-sentinel': 5,
    'rename-command': 4,
    'master-reboot-down-after-period': 3,
  };
  if (arity[dir] !== argc) return UNRECOGNIZED;
  const m = masterByName(c, argv[1]!);
  if (!m) return NO_SUCH_MASTER;
  const v = argv[2]!;

  switch (dir) {
    case 'down-after-milliseconds':
    case 'failover-timeout': {
      const ms = atoi(v);
      if (ms <= 0) return 'negative or zero time parameter.';
      if (dir === 'down-after-milliseconds') m.downAfterMs = ms;
      else m.failoverTimeoutMs = ms;
      return null;
    }
    case 'master-reboot-down-after-period': {
      const ms = atoi(v);
      if (ms < 0) return 'negative time parameter.';
      m.masterRebootDownAfterPeriod = ms;
      return null;
    }
    case 'parallel-syncs':
      m.parallelSyncs = atoi(v);
      return null;
    case 'notification-script':
      if (!isExecutable(v)) return 'Notification script seems non existing or non executable.';
      m.notificationScript = v;
      return null;
    case 'client-reconfig-script':
      if (!isExecutable(v)) {
        return 'Client reconfiguration script seems non existing or non executable.';
      }
      m.clientReconfigScript = v;
      return null;
    case 'auth-pass':
      m.authPass = v;
      return null;
    case 'auth-user':
      m.authUser = v;
      return null;
    case 'config-epoch':
      m.configEpoch = Number(strtoull(v));
      if (m.configEpoch > c.currentEpoch) c.currentEpoch = m.configEpoch;
      return null;
    case 'leader-epoch':
      m.leaderEpoch = Number(strtoull(v));
      return null;
    case 'known-slave':
    case 'known-replica': {
      const port = atoi(argv[3]!);
      const addr = checkAddress(c, v, port, opts);
      if ('error' in addr) return addr.error;
      const key = addrAndPort(addr.host, port);
      if (m.knownReplicas.some((r) => addrAndPort(r.host, r.port) === key)) return DUPLICATE.replica;
      m.knownReplicas.push({ host: addr.host, port });
      return null;
    }
    case 'known-sentinel': {
      const port = atoi(argv[3]!);
      const addr = checkAddress(c, v, port, opts);
      if ('error' in addr) return addr.error;
      const runid = argv[4]!;
      if (m.knownSentinels.some((s) => s.runid === runid)) return DUPLICATE.sentinel;
      m.knownSentinels.push({ host: addr.host, port, runid });
      return null;
    }
    case 'rename-command': {
      const lower = v.toLowerCase();
      if (m.renamedCommands.some((r) => r.command.toLowerCase() === lower)) {
        return 'Same command renamed multiple times with rename-command.';
      }
      m.renamedCommands.push({ command: v, renamed: argv[3]! });
      return null;
    }
  }
  return UNRECOGNIZED;
}
