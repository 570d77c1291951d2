/**
 * CONFIG REWRITE of the Sentinel state (the `sentinel ...` lines), in the order Redis
 * 7.0.15 emits them: myid, deny-scripts-reconfig / resolve-hostnames / announce-hostnames
 * (when not default or already in the file), then for each master monitor,
 * down-after-milliseconds, failover-timeout, parallel-syncs (when not default), scripts,
 * auth-pass, auth-user, master-reboot-down-after-period (when not 0), config-epoch,
 * leader-epoch, known-replica..., known-sentinel..., rename-command...; then
 * current-epoch, announce-ip, announce-port, sentinel-user, sentinel-pass.
 * Values are written unquoted except announce-ip.
 */
import type { RewriteState } from '../../redis/config/rewrite-state.ts';
import { quoteRepr } from '../../redis/config/tokenizer.ts';
import {
  DEFAULT_ANNOUNCE_HOSTNAMES,
  DEFAULT_DENY_SCRIPTS_RECONFIG,
  DEFAULT_DOWN_AFTER_MS,
  DEFAULT_FAILOVER_TIMEOUT_MS,
  DEFAULT_PARALLEL_SYNCS,
  DEFAULT_RESOLVE_HOSTNAMES,
  type HostPort,
  type MasterFileConfig,
  type SentinelFileConfig,
} from './types.ts';

export interface SentinelRewriteOptions {
  /** Current DEFAULT-DOWN-AFTER (SENTINEL DEBUG may change it). */
  defaultDownAfterMs?: number;
  /** Current DEFAULT-FAILOVER-TIMEOUT. */
  defaultFailoverTimeoutMs?: number;
}

/** Options whose unused old lines disappear even when no master writes them any more. */
const PER_MASTER_OPTIONS = [
  'monitor',
  'down-after-milliseconds',
  'failover-timeout',
  'parallel-syncs',
  'notification-script',
  'client-reconfig-script',
  'auth-pass',
  'auth-user',
  'config-epoch',
  'leader-epoch',
  'known-replica',
  'known-sentinel',
  'rename-command',
  'master-reboot-down-after-period',
];

function yesNo(v: boolean): string {
  return v ? 'yes' : 'no';
}

function sameAddr(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && (a.host === b.host || a.host.toLowerCase() === b.host.toLowerCase());
}

function rewriteMaster(
  state: RewriteState,
  m: MasterFileConfig,
  opts: Required<SentinelRewriteOptions>,
): void {
  const put = (sub: string, rest: string): void =>
    state.rewriteLine(`sentinel ${sub}`, `sentinel ${sub} ${m.name} ${rest}`, true);
  const current: HostPort = m.promotedReplica ?? { host: m.host, port: m.port };

  put('monitor', `${current.host} ${current.port} ${m.quorum}`);
  if (m.downAfterMs !== opts.defaultDownAfterMs) put('down-after-milliseconds', `${m.downAfterMs}`);
  if (m.failoverTimeoutMs !== opts.defaultFailoverTimeoutMs) {
    put('failover-timeout', `${m.failoverTimeoutMs}`);
  }
  if (m.parallelSyncs !== DEFAULT_PARALLEL_SYNCS) put('parallel-syncs', `${m.parallelSyncs}`);
  if (m.notificationScript !== null) put('notification-script', m.notificationScript);
  if (m.clientReconfigScript !== null) put('client-reconfig-script', m.clientReconfigScript);
  if (m.authPass !== null) put('auth-pass', m.authPass);
  if (m.authUser !== null) put('auth-user', m.authUser);
  if (m.masterRebootDownAfterPeriod !== 0) {
    put('master-reboot-down-after-period', `${m.masterRebootDownAfterPeriod}`);
  }
  put('config-epoch', `${m.configEpoch}`);
  put('leader-epoch', `${m.leaderEpoch}`);
  for (const r of m.knownReplicas) {
    // The promoted replica is listed under the old master address.
    const addr = sameAddr(r, current) ? { host: m.host, port: m.port } : r;
    put('known-replica', `${addr.host} ${addr.port}`);
  }
  for (const s of m.knownSentinels) put('known-sentinel', `${s.host} ${s.port} ${s.runid}`);
  for (const r of m.renamedCommands) put('rename-command', `${r.command} ${r.renamed}`);
}

export function rewriteSentinelOptions(
  state: RewriteState,
  c: SentinelFileConfig,
  options: SentinelRewriteOptions = {},
): void {
  const opts: Required<SentinelRewriteOptions> = {
    defaultDownAfterMs: options.defaultDownAfterMs ?? DEFAULT_DOWN_AFTER_MS,
    defaultFailoverTimeoutMs: options.defaultFailoverTimeoutMs ?? DEFAULT_FAILOVER_TIMEOUT_MS,
  };
  const global = (sub: string, value: string, force: boolean): void =>
    state.rewriteLine(`sentinel ${sub}`, `sentinel ${sub} ${value}`, force);

  global('myid', c.myid ?? '', true);
  global(
    'deny-scripts-reconfig',
    yesNo(c.denyScriptsReconfig),
    c.denyScriptsReconfig !== DEFAULT_DENY_SCRIPTS_RECONFIG,
  );
  global('resolve-hostnames', yesNo(c.resolveHostnames), c.resolveHostnames !== DEFAULT_RESOLVE_HOSTNAMES);
  global(
    'announce-hostnames',
    yesNo(c.announceHostnames),
    c.announceHostnames !== DEFAULT_ANNOUNCE_HOSTNAMES,
  );

  for (const m of c.masters) rewriteMaster(state, m, opts);

  global('current-epoch', `${c.currentEpoch}`, true);
  if (c.announceIp !== null) global('announce-ip', quoteRepr(c.announceIp), true);
  else state.markProcessed('sentinel announce-ip');
  if (c.announcePort !== 0) global('announce-port', `${c.announcePort}`, true);
  else state.markProcessed('sentinel announce-port');
  if (c.sentinelUser !== null) global('sentinel-user', c.sentinelUser, true);
  else state.markProcessed('sentinel sentinel-user');
  if (c.sentinelPass !== null) global('sentinel-pass', c.sentinelPass, true);
  else state.markProcessed('sentinel sentinel-pass');

  for (const sub of PER_MASTER_OPTIONS) state.markProcessed(`sentinel ${sub}`);
}
