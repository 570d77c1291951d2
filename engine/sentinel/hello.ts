// Hello messages (sentinel.md §11.1, §11.2): advertising this Sentinel and its view of the master on
// __sentinel__:hello, discovering other Sentinels and adopting newer configurations.
import type { Resp } from '../net/resp.ts';
import { HELLO_CHANNEL, LL_NOTICE, LL_WARNING } from './constants.ts';
import { sentinelEvent } from './events.ts';
import {
  addrEqualsHost,
  currentMasterAddress,
  findByAddrAndRunid,
  mapCommand,
  SRI_MASTER,
  SRI_SENTINEL,
  type Instance,
} from './instance.ts';
import type { InstanceLink } from './link.ts';
import { flushConfig } from './persist.ts';
import {
  createInstance,
  removeMatchingSentinelFromMaster,
  tryConnectionSharing,
  updateSentinelAddressInAllMasters,
} from './registry.ts';
import { resetMasterAndChangeAddress } from './reset.ts';
import type { SentinelState } from './state.ts';
import { atoi, strtoull } from './util.ts';

/** The 8-field payload: ip,port,myid,current_epoch,master name,master ip,master port,config epoch. */
export function helloPayload(S: SentinelState, ri: Instance, localIp: string): string {
  const master = ri.flags & SRI_MASTER ? ri : ri.master!;
  const maddr = currentMasterAddress(master);
  const ip = S.announceIp !== null ? S.announceIp : localIp;
  const port = S.announcePort !== 0 ? S.announcePort : S.port;
  return `${ip},${port},${S.myid},${S.currentEpoch},${master.name},${maddr.ip},${maddr.port},${master.configEpoch}`;
}

/** sentinelSendHello: PUBLISH on the command connection (a Sentinel answers its own PUBLISH). */
export function sendHello(S: SentinelState, ri: Instance): boolean {
  if (ri.link.disconnected || !ri.link.cc) return false;
  const cc = ri.link.cc;
  const payload = helloPayload(S, ri, cc.localIp());
  const ok = cc.command(ri, [mapCommand(ri, 'PUBLISH'), HELLO_CHANNEL, payload], 'hello', (r, reply, link) =>
    publishReply(S, r, reply, link),
  );
  if (!ok) return false;
  ri.link.pendingCommands++;
  return true;
}

/** sentinelPublishReplyCallback: on an error the hello is retried on the next tick. */
function publishReply(S: SentinelState, ri: Instance, r: Resp, _link: InstanceLink): void {
  if (r.t !== 'error') ri.lastPubTime = S.now();
}

/** sentinelForceHelloUpdateForMaster: hellos go out on the next tick. */
export function forceHelloUpdateForMaster(S: SentinelState, master: Instance): void {
  if (!(master.flags & SRI_MASTER)) return;
  const p = S.timings.publishPeriod + 1;
  if (master.lastPubTime >= p) master.lastPubTime -= p;
  for (const ri of master.sentinels.values()) if (ri.lastPubTime >= p) ri.lastPubTime -= p;
  for (const ri of master.slaves.values()) if (ri.lastPubTime >= p) ri.lastPubTime -= p;
}

/** sentinelReceiveHelloMessages: the pub/sub connection's subscription callback. */
export function receiveHelloMessages(S: SentinelState, ri: Instance, r: Resp): void {
  ri.link.pcLastActivity = S.now();
  if (r.t !== 'array' || r.v === null || r.v.length !== 3) return;
  const v = r.v;
  const kind = v[0]!;
  const payload = v[2]!;
  for (let i = 0; i < 3; i++) {
    const e = v[i]!;
    if (e.t !== 'bulk' || e.v === null) return;
  }
  if (kind.t !== 'bulk' || kind.v !== 'message' || payload.t !== 'bulk' || payload.v === null) return;
  // we are not interested in our own hellos
  if (payload.v.includes(S.myid)) return;
  processHelloMessage(S, payload.v);
}

/** sentinelProcessHelloMessage. */
export function processHelloMessage(S: SentinelState, hello: string): void {
  const token = hello.split(',');
  if (token.length !== 8) return;
  const ip = token[0]!;
  const portStr = token[1]!;
  const runid = token[2]!;
  const epochStr = token[3]!;
  const name = token[4]!;
  const mip = token[5]!;
  const mportStr = token[6]!;
  const cepochStr = token[7]!;
  const master = S.masters.get(name);
  if (!master) return;

  const port = atoi(portStr);
  const masterPort = atoi(mportStr);
  let si = findByAddrAndRunid(master.sentinels, ip, port, runid);
  const currentEpoch = strtoull(epochStr);
  const masterConfigEpoch = strtoull(cepochStr);

  if (!si) {
    // a known runid at a new address: drop the old record(s) and re-add
    const removed = removeMatchingSentinelFromMaster(master, runid);
    if (removed) {
      sentinelEvent(S, LL_NOTICE, '+sentinel-address-switch', master, `%@ ip ${ip} port ${port} for ${runid}`);
    } else {
      // another runid at the same address: it is obsolete everywhere
      const other = findByAddrAndRunid(master.sentinels, ip, port, null);
      if (other) {
        sentinelEvent(S, LL_NOTICE, '+sentinel-invalid-addr', other, '%@');
        const obsolete = other.runid;
        for (const m of S.masters.values()) removeMatchingSentinelFromMaster(m, obsolete);
      }
    }
    const created = createInstance(S, runid, SRI_SENTINEL, ip, port, master.quorum, master);
    si = typeof created === 'string' ? null : created;
    if (si) {
      if (!removed) sentinelEvent(S, LL_NOTICE, '+sentinel', si, '%@');
      si.runid = runid;
      tryConnectionSharing(S, si);
      if (removed) updateSentinelAddressInAllMasters(S, si);
      flushConfig(S);
    }
  }

  if (currentEpoch > S.currentEpoch) {
    S.currentEpoch = currentEpoch;
    flushConfig(S);
    sentinelEvent(S, LL_WARNING, '+new-epoch', master, `${S.currentEpoch}`);
  }

  if (si && master.configEpoch < masterConfigEpoch) {
    master.configEpoch = masterConfigEpoch;
    if (masterPort !== master.addr.port || !addrEqualsHost(master.addr, mip)) {
      sentinelEvent(S, LL_WARNING, '+config-update-from', si, '%@');
      sentinelEvent(
        S,
        LL_WARNING,
        '+switch-master',
        master,
        `${master.name} ${master.addr.ip} ${master.addr.port} ${mip} ${masterPort}`,
      );
      resetMasterAndChangeAddress(S, master, mip, masterPort);
      // the client-reconfig script (observer) is not executed by the simulator
    }
  }
  if (si) si.lastHelloTime = S.now();
}
