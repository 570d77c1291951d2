// Monitored instances (sentinel.c sentinelRedisInstance): masters, their replicas and the other
// Sentinels, with their flags (sentinel.md §5.1, §5.2).
import { parseNumericHost } from './config/ip.ts';
import { DEFAULT_PARALLEL_SYNCS, DEFAULT_SLAVE_PRIORITY } from './constants.ts';
import { DictOrderMap } from './dict.ts';
import { InstanceLink, releaseLink } from './link.ts';

export const SRI_MASTER = 1 << 0;
export const SRI_SLAVE = 1 << 1;
export const SRI_SENTINEL = 1 << 2;
export const SRI_S_DOWN = 1 << 3;
export const SRI_O_DOWN = 1 << 4;
export const SRI_MASTER_DOWN = 1 << 5;
export const SRI_FAILOVER_IN_PROGRESS = 1 << 6;
export const SRI_PROMOTED = 1 << 7;
export const SRI_RECONF_SENT = 1 << 8;
export const SRI_RECONF_INPROG = 1 << 9;
export const SRI_RECONF_DONE = 1 << 10;
export const SRI_FORCE_FAILOVER = 1 << 11;
export const SRI_SCRIPT_KILL_SENT = 1 << 12;
export const SRI_MASTER_REBOOT = 1 << 13;

export enum FailoverState {
  NONE = 0,
  WAIT_START = 1,
  SELECT_SLAVE = 2,
  SEND_SLAVEOF_NOONE = 3,
  WAIT_PROMOTION = 4,
  RECONF_SLAVES = 5,
  UPDATE_CONFIG = 6,
}

/** Names used by SENTINEL MASTER(S) `failover-state`. */
export const FAILOVER_STATE_NAMES = [
  'none',
  'wait_start',
  'select_slave',
  'send_slaveof_noone',
  'wait_promotion',
  'reconf_slaves',
  'update_config',
] as const;

export const MASTER_LINK_STATUS_UP = 0;
export const MASTER_LINK_STATUS_DOWN = 1;

/** sentinelAddr: the simulator only knows IP literals, so hostname === ip. */
export interface SentinelAddr {
  ip: string;
  port: number;
}

export class Instance {
  flags: number;
  name: string;
  runid: string | null = null;
  configEpoch = 0;
  addr: SentinelAddr;
  link: InstanceLink;
  lastPubTime: number;
  lastHelloTime: number;
  lastMasterDownReplyTime: number;
  sDownSinceTime = 0;
  oDownSinceTime = 0;
  downAfterPeriod: number;
  masterRebootDownAfterPeriod = 0;
  masterRebootSinceTime = 0;
  masterLinkDownTime = 0;
  authPass: string | null = null;
  authUser: string | null = null;
  slavePriority = DEFAULT_SLAVE_PRIORITY;
  replicaAnnounced = 1;
  slaveReconfSentTime = 0;
  slaveMasterHost: string | null = null;
  slaveMasterPort = 0;
  slaveMasterLinkStatus = MASTER_LINK_STATUS_DOWN;
  slaveReplOffset = 0;
  /** Other Sentinels (masters only), keyed by runid, in insertion order. */
  sentinels = new Map<string, Instance>();
  quorum: number;
  parallelSyncs = DEFAULT_PARALLEL_SYNCS;
  master: Instance | null;
  /** Replicas (masters only), keyed by "ip:port", iterated in Redis's dict order (dict.ts). */
  slaves: DictOrderMap<Instance>;
  /** Time of the last INFO reply, 0 = never. */
  infoRefresh = 0;
  /** rename-command: lower-case original name → name to send (masters only). */
  renamedCommands = new Map<string, { command: string; renamed: string }>();
  leader: string | null = null;
  leaderEpoch = 0;
  failoverEpoch = 0;
  failoverState = FailoverState.NONE;
  failoverStateChangeTime = 0;
  failoverStartTime = 0;
  failoverTimeout: number;
  failoverDelayLogged = 0;
  promotedSlave: Instance | null = null;
  notificationScript: string | null = null;
  clientReconfigScript: string | null = null;
  /** Cached INFO text (SENTINEL INFO-CACHE). */
  info: string | null = null;
  roleReported: number;
  roleReportedTime: number;
  slaveConfChangeTime: number;

  constructor(
    name: string,
    flags: number,
    addr: SentinelAddr,
    quorum: number,
    master: Instance | null,
    now: number,
    defaults: { downAfter: number; failoverTimeout: number; dictSeed: number },
  ) {
    this.slaves = new DictOrderMap(defaults.dictSeed);
    this.flags = flags;
    this.name = name;
    this.addr = addr;
    this.quorum = quorum;
    this.master = master;
    this.link = new InstanceLink(now);
    this.lastPubTime = now;
    this.lastHelloTime = now;
    this.lastMasterDownReplyTime = now;
    this.downAfterPeriod = master ? master.downAfterPeriod : defaults.downAfter;
    this.failoverTimeout = defaults.failoverTimeout;
    this.roleReported = flags & (SRI_MASTER | SRI_SLAVE);
    this.roleReportedTime = now;
    this.slaveConfChangeTime = now;
  }

  get isMaster(): boolean {
    return (this.flags & SRI_MASTER) !== 0;
  }
  get isSlave(): boolean {
    return (this.flags & SRI_SLAVE) !== 0;
  }
  get isSentinel(): boolean {
    return (this.flags & SRI_SENTINEL) !== 0;
  }
  /** The master this record belongs to (itself for a master). */
  get ownMaster(): Instance {
    return this.master ?? this;
  }
}

/** announceSentinelAddrAndPort: "ip:port", IPv6 bracketed. */
export function addrAndPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** sentinelAddrOrHostnameEqual. */
export function addrEqual(a: SentinelAddr, b: SentinelAddr): boolean {
  return a.port === b.port && (a.ip === b.ip || a.ip.toLowerCase() === b.ip.toLowerCase());
}

/** sentinelAddrEqualsHostname: compare resolved addresses, or the text when it does not resolve. */
export function addrEqualsHost(a: SentinelAddr, host: string | null): boolean {
  if (host === null) return false;
  const ip = parseNumericHost(host);
  return a.ip.toLowerCase() === (ip ?? host).toLowerCase();
}

export type CreateError = 'EBUSY' | 'EINVAL' | 'ENOENT';

/** createSentinelAddr: port range check and numeric resolution (ANET_IP_ONLY, as getaddrinfo does). */
export function createAddr(host: string, port: number): SentinelAddr | 'EINVAL' | 'ENOENT' {
  if (!Number.isInteger(port) || port < 0 || port > 65535) return 'EINVAL';
  const ip = parseNumericHost(host);
  if (ip === null) return 'ENOENT';
  return { ip, port };
}

/** sentinelCheckCreateInstanceErrors. */
export function createErrorText(e: CreateError, role: number): string {
  switch (e) {
    case 'EBUSY':
      return role === SRI_MASTER
        ? 'Duplicate master name.'
        : role === SRI_SLAVE
          ? 'Duplicate hostname and port for replica.'
          : 'Duplicate runid for sentinel.';
    case 'ENOENT':
      return "Can't resolve instance hostname.";
    case 'EINVAL':
      return 'Invalid port number.';
  }
}

/** sentinelRedisInstanceTypeStr. */
export function typeStr(ri: Instance): string {
  if (ri.flags & SRI_MASTER) return 'master';
  if (ri.flags & SRI_SLAVE) return 'slave';
  if (ri.flags & SRI_SENTINEL) return 'sentinel';
  return 'unknown';
}

/** Free a record: its link reference, and the master's promoted-replica pointer. */
export function releaseInstance(ri: Instance): void {
  for (const s of ri.slaves.values()) releaseInstance(s);
  for (const s of ri.sentinels.values()) releaseInstance(s);
  releaseLink(ri.link, ri);
  if (ri.flags & SRI_SLAVE && ri.flags & SRI_PROMOTED && ri.master) ri.master.promotedSlave = null;
}

/** getSentinelRedisInstanceByAddrAndRunID: search by address and/or runid. */
export function findByAddrAndRunid(
  instances: Map<string, Instance>,
  ip: string | null,
  port: number,
  runid: string | null,
): Instance | null {
  // createAddr + addrEqual, without an address object per call (every hello asks)
  let aip: string | null = null;
  if (ip !== null) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) return null;
    aip = parseNumericHost(ip);
    if (aip === null) return null;
  }
  for (const ri of instances.values()) {
    if (runid !== null && ri.runid === null) continue;
    if (
      (runid === null || ri.runid === runid) &&
      (aip === null || (ri.addr.port === port && (ri.addr.ip === aip || ri.addr.ip.toLowerCase() === aip.toLowerCase())))
    )
      return ri;
  }
  return null;
}

/** sentinelGetCurrentMasterAddress: the promoted replica once the failover reached reconf-slaves. */
export function currentMasterAddress(master: Instance): SentinelAddr {
  if (
    master.flags & SRI_FAILOVER_IN_PROGRESS &&
    master.promotedSlave &&
    master.failoverState >= FailoverState.RECONF_SLAVES
  ) {
    return master.promotedSlave.addr;
  }
  return master.addr;
}

/** sentinelRedisInstanceNoDownFor. */
export function noDownFor(ri: Instance, now: number, ms: number): boolean {
  const mostRecent = Math.max(ri.sDownSinceTime, ri.oDownSinceTime);
  return mostRecent === 0 || now - mostRecent > ms;
}

/** sentinelInstanceMapCommand: rename-command of the master (case-insensitive). */
export function mapCommand(ri: Instance, command: string): string {
  const m = ri.master ?? ri;
  if (m.renamedCommands.size === 0) return command; // the usual case: no lower-casing per command
  return m.renamedCommands.get(command.toLowerCase())?.renamed ?? command;
}

/** sentinelPropagateDownAfterPeriod. */
export function propagateDownAfterPeriod(master: Instance): void {
  for (const s of master.slaves.values()) s.downAfterPeriod = master.downAfterPeriod;
  for (const s of master.sentinels.values()) s.downAfterPeriod = master.downAfterPeriod;
}
