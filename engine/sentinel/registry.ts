// Creating, finding and removing instance records (createSentinelRedisInstance and friends).
import { LL_NOTICE, LL_WARNING } from './constants.ts';
import { sentinelEvent, serverLog } from './events.ts';
import {
  addrAndPort,
  createAddr,
  findByAddrAndRunid,
  Instance,
  releaseInstance,
  SRI_MASTER,
  SRI_SLAVE,
  type CreateError,
} from './instance.ts';
import { closeLinkConnection, releaseLink } from './link.ts';
import type { SentinelState } from './state.ts';

/**
 * createSentinelRedisInstance: a master (added to the masters table), a replica (named ip:port)
 * or a Sentinel (named by runid) of `master`. Fails with EBUSY on a duplicate name.
 */
export function createInstance(
  S: SentinelState,
  name: string | null,
  flags: number,
  host: string,
  port: number,
  quorum: number,
  master: Instance | null,
): Instance | CreateError {
  const addr = createAddr(host, port);
  if (addr === 'ENOENT') serverLog(S, LL_WARNING, `Failed to resolve hostname '${host}'`);
  if (typeof addr === 'string') return addr;
  const key = flags & SRI_SLAVE ? addrAndPort(addr.ip, addr.port) : name!;
  const table = flags & SRI_MASTER ? S.masters : flags & SRI_SLAVE ? master!.slaves : master!.sentinels;
  if (table.has(key)) return 'EBUSY';
  const ri = new Instance(key, flags, addr, quorum, master, S.now(), {
    downAfter: S.timings.defaultDownAfter,
    failoverTimeout: S.timings.defaultFailoverTimeout,
    dictSeed: S.dictSeed,
  });
  table.set(key, ri);
  return ri;
}

/** sentinelRedisInstanceLookupSlave. */
export function lookupSlave(master: Instance, ip: string, port: number): Instance | null {
  const addr = createAddr(ip, port);
  if (typeof addr === 'string') return null;
  return master.slaves.get(addrAndPort(addr.ip, addr.port)) ?? null;
}

/** Remove a record from a table and free it (dictDelete with the instance destructor). */
export function deleteInstance(table: Map<string, Instance>, ri: Instance): void {
  if (table.get(ri.name) === ri) table.delete(ri.name);
  releaseInstance(ri);
}

/** removeMatchingSentinelFromMaster: drop every Sentinel record of `master` with this runid. */
export function removeMatchingSentinelFromMaster(master: Instance, runid: string | null): number {
  if (runid === null) return 0;
  let removed = 0;
  for (const ri of [...master.sentinels.values()]) {
    if (ri.runid === runid) {
      deleteInstance(master.sentinels, ri);
      removed++;
    }
  }
  return removed;
}

/** sentinelTryConnectionSharing: reuse the link of the same physical Sentinel seen for another master. */
export function tryConnectionSharing(S: SentinelState, ri: Instance): boolean {
  if (ri.runid === null || ri.link.refcount > 1) return false;
  for (const master of S.masters.values()) {
    if (master === ri.master) continue;
    const match = findByAddrAndRunid(master.sentinels, null, 0, ri.runid);
    if (!match || match === ri) continue;
    releaseLink(ri.link, null);
    ri.link = match.link;
    match.link.refcount++;
    return true;
  }
  return false;
}

/** sentinelUpdateSentinelAddressInAllMasters: after an address switch, fix and reconnect every copy. */
export function updateSentinelAddressInAllMasters(S: SentinelState, ri: Instance): number {
  let reconfigured = 0;
  for (const master of S.masters.values()) {
    const match = findByAddrAndRunid(master.sentinels, null, 0, ri.runid);
    if (!match) continue;
    if (match.link.cc) closeLinkConnection(match.link, match.link.cc);
    if (match.link.pc) closeLinkConnection(match.link, match.link.pc);
    if (match === ri) continue;
    match.addr = { ...ri.addr };
    reconfigured++;
  }
  if (reconfigured) {
    sentinelEvent(S, LL_NOTICE, '+sentinel-address-update', ri, `%@ ${reconfigured} additional matching instances`);
  }
  return reconfigured;
}
