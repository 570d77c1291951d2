// The monitoring half of each tick (sentinel.md §5.3, §5.4): reconnecting links and the periodic
// PING / INFO / hello commands, with their reply callbacks.
import type { Resp } from '../net/resp.ts';
import { HELLO_CHANNEL, MAX_PENDING_COMMANDS } from './constants.ts';
import { receiveHelloMessages, sendHello } from './hello.ts';
import { refreshInstanceInfo } from './info.ts';
import {
  mapCommand,
  SRI_MASTER,
  SRI_MASTER_REBOOT,
  SRI_O_DOWN,
  SRI_FAILOVER_IN_PROGRESS,
  SRI_S_DOWN,
  SRI_SCRIPT_KILL_SENT,
  SRI_SENTINEL,
  SRI_SLAVE,
  type Instance,
} from './instance.ts';
import { closeLinkConnection, openConn, type AsyncConn, type InstanceLink } from './link.ts';
import type { SentinelState } from './state.ts';

/** sentinelSendAuthIfNeeded: masters and replicas use the master's auth, Sentinels sentinel-pass/requirepass. */
export function sendAuthIfNeeded(S: SentinelState, ri: Instance, c: AsyncConn): void {
  let pass: string | null = null;
  let user: string | null = null;
  if (ri.flags & SRI_MASTER) {
    pass = ri.authPass;
    user = ri.authUser;
  } else if (ri.flags & SRI_SLAVE) {
    pass = ri.master!.authPass;
    user = ri.master!.authUser;
  } else if (ri.flags & SRI_SENTINEL) {
    if (S.sentinelAuthPass !== null) {
      pass = S.sentinelAuthPass;
      user = S.sentinelAuthUser;
    } else {
      pass = S.requirepass;
      user = null;
    }
  }
  if (pass === null) return;
  const argv = user === null ? [mapCommand(ri, 'AUTH'), pass] : [mapCommand(ri, 'AUTH'), user, pass];
  if (c.command(ri, argv, 'sentinel-cmd', null)) ri.link.pendingCommands++;
}

/** sentinelSetClientName: CLIENT SETNAME sentinel-<first 8 of myid>-<cmd|pubsub>. */
export function setClientName(S: SentinelState, ri: Instance, c: AsyncConn, type: string): void {
  const argv = [mapCommand(ri, 'CLIENT'), 'SETNAME', `sentinel-${S.myid.slice(0, 8)}-${type}`];
  if (c.command(ri, argv, 'sentinel-cmd', null)) ri.link.pendingCommands++;
}

/** sentinelReconnectInstance. */
export function reconnectInstance(S: SentinelState, ri: Instance): void {
  const link = ri.link;
  if (!link.disconnected) return;
  if (ri.addr.port === 0) return;
  const now = S.now();
  if (now - link.lastReconnTime < S.timings.pingPeriod) return;
  link.lastReconnTime = now;

  if (link.cc === null) {
    const cc = openConn(S.ctx, link, ri.addr.ip, ri.addr.port);
    link.cc = cc;
    link.pendingCommands = 0;
    link.ccConnTime = S.now();
    sendAuthIfNeeded(S, ri, cc);
    setClientName(S, ri, cc, 'cmd');
    // a PING as soon as we reconnect
    sendPing(S, ri);
  }
  if (ri.flags & (SRI_MASTER | SRI_SLAVE) && link.pc === null) {
    const pc = openConn(S.ctx, link, ri.addr.ip, ri.addr.port);
    link.pc = pc;
    link.pcConnTime = S.now();
    sendAuthIfNeeded(S, ri, pc);
    setClientName(S, ri, pc, 'pubsub');
    const ok = pc.command(
      ri,
      [mapCommand(ri, 'SUBSCRIBE'), HELLO_CHANNEL],
      'hello',
      (r, reply) => receiveHelloMessages(S, r, reply),
      true,
    );
    if (!ok) {
      // a pub/sub connection that cannot subscribe is useless: drop it and retry later
      closeLinkConnection(link, pc);
      return;
    }
  }
  // connected once both connections exist (only the command one for a Sentinel)
  if (link.cc && (ri.flags & SRI_SENTINEL || link.pc)) link.disconnected = false;
}

/** sentinelSendPing: act_ping_time keeps the oldest unanswered PING. */
export function sendPing(S: SentinelState, ri: Instance): boolean {
  const cc = ri.link.cc;
  if (!cc) return false;
  const ok = cc.command(ri, [mapCommand(ri, 'PING')], 'ping', (r, reply, link) => pingReply(S, r, reply, link));
  if (!ok) return false;
  ri.link.pendingCommands++;
  ri.link.lastPingTime = S.now();
  if (ri.link.actPingTime === 0) ri.link.actPingTime = ri.link.lastPingTime;
  return true;
}

/** sentinelPingReplyCallback: +PONG, -LOADING and -MASTERDOWN count as available. */
function pingReply(S: SentinelState, ri: Instance, r: Resp, link: InstanceLink): void {
  const now = S.now();
  if (r.t === 'simple' || r.t === 'error') {
    const s = r.v;
    if (s.startsWith('PONG') || s.startsWith('LOADING') || s.startsWith('MASTERDOWN')) {
      link.lastAvailTime = now;
      link.actPingTime = 0;
      if (ri.flags & SRI_MASTER_REBOOT && s.startsWith('PONG')) ri.flags &= ~SRI_MASTER_REBOOT;
    } else if (s.startsWith('BUSY') && ri.flags & SRI_S_DOWN && !(ri.flags & SRI_SCRIPT_KILL_SENT)) {
      if (ri.link.cc?.command(ri, [mapCommand(ri, 'SCRIPT'), 'KILL'], 'sentinel-cmd', null)) ri.link.pendingCommands++;
      ri.flags |= SRI_SCRIPT_KILL_SENT;
    }
  }
  link.lastPongTime = now;
}

/** sentinelInfoReplyCallback: only a bulk string is processed. */
function infoReply(S: SentinelState, ri: Instance, r: Resp): void {
  if (r.t === 'bulk' && r.v !== null) refreshInstanceInfo(S, ri, r.v);
}

/** sentinelSendPeriodicCommands. */
export function sendPeriodicCommands(S: SentinelState, ri: Instance): void {
  const link = ri.link;
  const now = S.now();
  if (link.disconnected) return;
  if (link.pendingCommands >= MAX_PENDING_COMMANDS * link.refcount) return;

  // replicas of a master in trouble, or with their link down, get INFO every second
  const infoPeriod =
    ri.flags & SRI_SLAVE &&
    (ri.master!.flags & (SRI_O_DOWN | SRI_FAILOVER_IN_PROGRESS) || ri.masterLinkDownTime !== 0)
      ? 1000
      : S.timings.infoPeriod;
  const pingPeriod = Math.min(ri.downAfterPeriod, S.timings.pingPeriod);

  if (!(ri.flags & SRI_SENTINEL) && (ri.infoRefresh === 0 || now - ri.infoRefresh > infoPeriod)) {
    const ok = link.cc?.command(ri, [mapCommand(ri, 'INFO')], 'info', (r, reply) => infoReply(S, r, reply));
    if (ok) link.pendingCommands++;
  }
  if (now - link.lastPongTime > pingPeriod && now - link.lastPingTime > Math.floor(pingPeriod / 2)) {
    sendPing(S, ri);
  }
  if (now - ri.lastPubTime > S.timings.publishPeriod) sendHello(S, ri);
}
