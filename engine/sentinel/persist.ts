// sentinel.conf on the host's simulated disk: loading the state at start-up and sentinelFlushConfig
// (CONFIG REWRITE of the whole state, sentinel.md §4.2), through the config helper.
import {
  rewriteSentinelConf,
  type MasterFileConfig,
  type SentinelFileConfig,
} from './config/index.ts';
import { LL_NOTICE, LL_WARNING, type LogLevel } from './constants.ts';
import { serverLog } from './events.ts';
import {
  addrEqual,
  createErrorText,
  currentMasterAddress,
  propagateDownAfterPeriod,
  SRI_MASTER,
  SRI_SENTINEL,
  SRI_SLAVE,
  type Instance,
} from './instance.ts';
import { createInstance, tryConnectionSharing } from './registry.ts';
import type { SentinelState } from './state.ts';

/** The Sentinel-state part of the file, as the rewrite engine wants it. */
function masterToFile(m: Instance): MasterFileConfig {
  const current = currentMasterAddress(m);
  return {
    name: m.name,
    host: m.addr.ip,
    port: m.addr.port,
    quorum: m.quorum,
    downAfterMs: m.downAfterPeriod,
    failoverTimeoutMs: m.failoverTimeout,
    parallelSyncs: m.parallelSyncs,
    authPass: m.authPass,
    authUser: m.authUser,
    configEpoch: m.configEpoch,
    leaderEpoch: m.leaderEpoch,
    notificationScript: m.notificationScript,
    clientReconfigScript: m.clientReconfigScript,
    knownReplicas: [...m.slaves.values()].map((s) => ({ host: s.addr.ip, port: s.addr.port })),
    knownSentinels: [...m.sentinels.values()]
      .filter((s) => s.runid !== null)
      .map((s) => ({ host: s.addr.ip, port: s.addr.port, runid: s.runid! })),
    renamedCommands: [...m.renamedCommands.values()].map((r) => ({ ...r })),
    masterRebootDownAfterPeriod: m.masterRebootDownAfterPeriod,
    promotedReplica: addrEqual(current, m.addr) ? null : { host: current.ip, port: current.port },
  };
}

export function stateToFileConfig(S: SentinelState): SentinelFileConfig {
  return {
    ...S.fileConfig,
    announceIp: S.announceIp,
    announcePort: S.announcePort,
    resolveHostnames: S.resolveHostnames,
    announceHostnames: S.announceHostnames,
    denyScriptsReconfig: S.denyScriptsReconfig,
    sentinelUser: S.sentinelAuthUser,
    sentinelPass: S.sentinelAuthPass,
    myid: S.myid,
    currentEpoch: S.currentEpoch,
    masters: [...S.masters.values()].map(masterToFile),
    // the users as ACL LIST describes them (rewriteConfigUserOption)
    users: S.acl ? S.acl.list().map((l) => { const rest = l.slice(5); const sp = rest.indexOf(' '); return { name: rest.slice(0, sp), acl: rest.slice(sp + 1) }; }) : S.fileConfig.users,
  };
}

/** The config file text on disk ('' when missing: rewriteConfig starts from an empty file). */
export function readConfigText(S: SentinelState): string {
  const f = S.ctx.host.disk.read(S.configPath);
  return typeof f === 'string' ? f : '';
}

/** sentinelFlushConfig. */
export function flushConfig(S: SentinelState): boolean {
  const text = rewriteSentinelConf(readConfigText(S), stateToFileConfig(S), {
    defaultDownAfterMs: S.timings.defaultDownAfter,
    defaultFailoverTimeoutMs: S.timings.defaultFailoverTimeout,
  });
  S.ctx.host.disk.write(S.configPath, text);
  serverLog(S, LL_NOTICE, 'Sentinel new configuration saved on disk');
  return true;
}

const LOGLEVELS: Record<string, LogLevel> = { debug: 0, verbose: 1, notice: 2, warning: 3 };

/**
 * Build the in-memory state from a parsed file (loadSentinelConfigFromQueue). The parser already
 * validated everything; a record that still fails is reported like Redis would.
 */
export function applyFileConfig(S: SentinelState, c: SentinelFileConfig): string | null {
  S.fileConfig = c;
  S.myid = c.myid ?? '';
  S.currentEpoch = c.currentEpoch;
  S.announceIp = c.announceIp;
  S.announcePort = c.announcePort;
  S.denyScriptsReconfig = c.denyScriptsReconfig;
  S.resolveHostnames = c.resolveHostnames;
  S.announceHostnames = c.announceHostnames;
  S.sentinelAuthUser = c.sentinelUser;
  S.sentinelAuthPass = c.sentinelPass;
  S.verbosity = LOGLEVELS[c.server.loglevel] ?? S.verbosity;
  S.requirepass = c.server.requirepass;
  S.aclPubsubAllChannels = c.server.get('acl-pubsub-default') === 'allchannels';

  for (const mc of c.masters) {
    const m = createInstance(S, mc.name, SRI_MASTER, mc.host, mc.port, mc.quorum, null);
    if (typeof m === 'string') return createErrorText(m, SRI_MASTER);
    m.downAfterPeriod = mc.downAfterMs;
    m.failoverTimeout = mc.failoverTimeoutMs;
    m.parallelSyncs = mc.parallelSyncs;
    m.authPass = mc.authPass;
    m.authUser = mc.authUser;
    m.configEpoch = mc.configEpoch;
    m.leaderEpoch = mc.leaderEpoch;
    m.notificationScript = mc.notificationScript;
    m.clientReconfigScript = mc.clientReconfigScript;
    m.masterRebootDownAfterPeriod = mc.masterRebootDownAfterPeriod;
    for (const r of mc.renamedCommands) m.renamedCommands.set(r.command.toLowerCase(), { ...r });
    for (const r of mc.knownReplicas) {
      const s = createInstance(S, null, SRI_SLAVE, r.host, r.port, m.quorum, m);
      if (typeof s === 'string') return createErrorText(s, SRI_SLAVE);
    }
    for (const k of mc.knownSentinels) {
      const s = createInstance(S, k.runid, SRI_SENTINEL, k.host, k.port, m.quorum, m);
      if (typeof s === 'string') return createErrorText(s, SRI_SENTINEL);
      s.runid = k.runid;
      tryConnectionSharing(S, s);
    }
    propagateDownAfterPeriod(m);
  }
  return null;
}

/** Log a failed flush the way Redis does (used when the disk refuses; kept for completeness). */
export function logFlushError(S: SentinelState, why: string): void {
  serverLog(S, LL_WARNING, `WARNING: Sentinel was not able to save the new configuration on disk!!!: ${why}`);
}
