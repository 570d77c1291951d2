// sentinelCheckSubjectivelyDown (sentinel.md §7), with the link recycling of §5.3.
import { LL_WARNING } from './constants.ts';
import { sentinelEvent } from './events.ts';
import { SRI_MASTER, SRI_MASTER_REBOOT, SRI_S_DOWN, SRI_SCRIPT_KILL_SENT, SRI_SLAVE, type Instance } from './instance.ts';
import { closeLinkConnection } from './link.ts';
import type { SentinelState } from './state.ts';

export function checkSubjectivelyDown(S: SentinelState, ri: Instance): void {
  const link = ri.link;
  const T = S.timings;
  // virtual time does not move inside a tick: one clock read serves every comparison
  const now = S.now();
  let elapsed = 0;
  if (link.actPingTime) elapsed = now - link.actPingTime;
  else if (link.disconnected) elapsed = now - link.lastAvailTime;

  // 1) command connection old enough, PING pending for more than half the down-after time
  if (
    link.cc &&
    now - link.ccConnTime > T.minLinkReconnectPeriod &&
    link.actPingTime !== 0 &&
    now - link.actPingTime > Math.floor(ri.downAfterPeriod / 2) &&
    now - link.lastPongTime > Math.floor(ri.downAfterPeriod / 2)
  ) {
    closeLinkConnection(link, link.cc);
  }
  // 2) pub/sub connection old enough and silent for 3 publish periods
  if (
    link.pc &&
    now - link.pcConnTime > T.minLinkReconnectPeriod &&
    now - link.pcLastActivity > T.publishPeriod * 3
  ) {
    closeLinkConnection(link, link.pc);
  }

  const down =
    elapsed > ri.downAfterPeriod ||
    (ri.flags & SRI_MASTER &&
      ri.roleReported === SRI_SLAVE &&
      now - ri.roleReportedTime > ri.downAfterPeriod + T.infoPeriod * 2) ||
    (ri.flags & SRI_MASTER_REBOOT && now - ri.masterRebootSinceTime > ri.masterRebootDownAfterPeriod);

  if (down) {
    if ((ri.flags & SRI_S_DOWN) === 0) {
      sentinelEvent(S, LL_WARNING, '+sdown', ri, '%@');
      ri.sDownSinceTime = now;
      ri.flags |= SRI_S_DOWN;
    }
  } else if (ri.flags & SRI_S_DOWN) {
    sentinelEvent(S, LL_WARNING, '-sdown', ri, '%@');
    ri.flags &= ~(SRI_S_DOWN | SRI_SCRIPT_KILL_SENT);
  }
}
