// The failover (sentinel.md §10): start, the state machine wait-start → select-slave →
// send-slaveof-noone → wait-promotion → reconf-slaves → update-config, abort and the switch.
import {
  LL_NOTICE,
  LL_WARNING,
  MAX_DESYNC,
  SIMFAILURE_CRASH_AFTER_ELECTION,
} from './constants.ts';
import { sentinelEvent, serverLog } from './events.ts';
import { SentinelExit } from './exit.ts';
import {
  FailoverState,
  SRI_FAILOVER_IN_PROGRESS,
  SRI_FORCE_FAILOVER,
  SRI_MASTER,
  SRI_O_DOWN,
  SRI_PROMOTED,
  SRI_RECONF_DONE,
  SRI_RECONF_INPROG,
  SRI_RECONF_SENT,
  SRI_S_DOWN,
  type Instance,
} from './instance.ts';
import { resetMasterAndChangeAddress } from './reset.ts';
import { SELECT_SLAVE_NOTE, selectionNote, selectSlave } from './select.ts';
import { sendSlaveOf } from './slaveof.ts';
import type { SentinelState } from './state.ts';
import { ctime } from './util.ts';
import { getLeader } from './votes.ts';

/** sentinelSimFailureCrash: SENTINEL SIMULATE-FAILURE makes the process exit with 99. */
export function simFailureCrash(S: SentinelState): never {
  serverLog(S, LL_WARNING, 'Sentinel CRASH because of SENTINEL simulate-failure');
  S.ctx.exit(99, 'SENTINEL simulate-failure');
  throw new SentinelExit(99);
}

/** sentinelStartFailover. */
export function startFailover(S: SentinelState, master: Instance): void {
  master.failoverState = FailoverState.WAIT_START;
  master.flags |= SRI_FAILOVER_IN_PROGRESS;
  master.failoverEpoch = ++S.currentEpoch;
  sentinelEvent(S, LL_WARNING, '+new-epoch', master, `${S.currentEpoch}`);
  sentinelEvent(S, LL_WARNING, '+try-failover', master, '%@');
  master.failoverStartTime = S.now() + S.desync(MAX_DESYNC);
  master.failoverStateChangeTime = S.now();
}

/** sentinelStartFailoverIfNeeded: O_DOWN, none in progress, and 2 × failover-timeout since the last start. */
export function startFailoverIfNeeded(S: SentinelState, master: Instance): boolean {
  if (!(master.flags & SRI_O_DOWN)) return false;
  if (master.flags & SRI_FAILOVER_IN_PROGRESS) return false;
  if (S.now() - master.failoverStartTime < master.failoverTimeout * 2) {
    if (master.failoverDelayLogged !== master.failoverStartTime) {
      const clock = Math.floor((master.failoverStartTime + master.failoverTimeout * 2) / 1000);
      master.failoverDelayLogged = master.failoverStartTime;
      serverLog(S, LL_WARNING, `Next failover delay: I will not start a failover before ${ctime(clock)}`);
    }
    return false;
  }
  startFailover(S, master);
  return true;
}

/** sentinelAbortFailover: only possible up to wait-promotion. */
export function abortFailover(S: SentinelState, ri: Instance): void {
  ri.flags &= ~(SRI_FAILOVER_IN_PROGRESS | SRI_FORCE_FAILOVER);
  ri.failoverState = FailoverState.NONE;
  ri.failoverStateChangeTime = S.now();
  if (ri.promotedSlave) {
    ri.promotedSlave.flags &= ~SRI_PROMOTED;
    ri.promotedSlave = null;
  }
}

function waitStart(S: SentinelState, ri: Instance): void {
  const leader = getLeader(S, ri, ri.failoverEpoch);
  const isLeader = leader !== null && leader.toLowerCase() === S.myid.toLowerCase();
  if (!isLeader && !(ri.flags & SRI_FORCE_FAILOVER)) {
    const electionTimeout = Math.min(S.timings.electionTimeout, ri.failoverTimeout);
    if (S.now() - ri.failoverStartTime > electionTimeout) {
      sentinelEvent(S, LL_WARNING, '-failover-abort-not-elected', ri, '%@');
      abortFailover(S, ri);
    }
    return;
  }
  sentinelEvent(S, LL_WARNING, '+elected-leader', ri, '%@');
  if (S.simfailureFlags & SIMFAILURE_CRASH_AFTER_ELECTION) simFailureCrash(S);
  ri.failoverState = FailoverState.SELECT_SLAVE;
  ri.failoverStateChangeTime = S.now();
  sentinelEvent(S, LL_WARNING, '+failover-state-select-slave', ri, '%@');
}

function selectSlaveStep(S: SentinelState, ri: Instance): void {
  const slave = selectSlave(S, ri);
  // the trace keeps what the choice was made on (priority, offset, runid, rejections): the viewer's panel
  S.ctx.note(SELECT_SLAVE_NOTE, selectionNote(S, ri, slave));
  if (slave === null) {
    sentinelEvent(S, LL_WARNING, '-failover-abort-no-good-slave', ri, '%@');
    abortFailover(S, ri);
    return;
  }
  sentinelEvent(S, LL_WARNING, '+selected-slave', slave, '%@');
  slave.flags |= SRI_PROMOTED;
  ri.promotedSlave = slave;
  ri.failoverState = FailoverState.SEND_SLAVEOF_NOONE;
  ri.failoverStateChangeTime = S.now();
  sentinelEvent(S, LL_NOTICE, '+failover-state-send-slaveof-noone', slave, '%@');
}

function sendSlaveOfNoOne(S: SentinelState, ri: Instance): void {
  const promoted = ri.promotedSlave!;
  if (promoted.link.disconnected) {
    if (S.now() - ri.failoverStateChangeTime > ri.failoverTimeout) {
      sentinelEvent(S, LL_WARNING, '-failover-abort-slave-timeout', ri, '%@');
      abortFailover(S, ri);
    }
    return;
  }
  if (!sendSlaveOf(S, promoted, null)) return;
  sentinelEvent(S, LL_NOTICE, '+failover-state-wait-promotion', promoted, '%@');
  ri.failoverState = FailoverState.WAIT_PROMOTION;
  ri.failoverStateChangeTime = S.now();
}

/** Only the time-out: progress comes from the promoted replica's INFO (info.ts). */
function waitPromotion(S: SentinelState, ri: Instance): void {
  if (S.now() - ri.failoverStateChangeTime > ri.failoverTimeout) {
    sentinelEvent(S, LL_WARNING, '-failover-abort-slave-timeout', ri, '%@');
    abortFailover(S, ri);
  }
}

/** sentinelFailoverDetectEnd. */
function detectEnd(S: SentinelState, master: Instance): void {
  const elapsed = S.now() - master.failoverStateChangeTime;
  const promoted = master.promotedSlave;
  if (promoted === null || promoted.flags & SRI_S_DOWN) return;
  let notReconfigured = 0;
  let timeout = false;
  for (const slave of master.slaves.values()) {
    if (slave.flags & (SRI_PROMOTED | SRI_RECONF_DONE)) continue;
    if (slave.flags & SRI_S_DOWN) continue;
    notReconfigured++;
  }
  if (elapsed > master.failoverTimeout) {
    notReconfigured = 0;
    timeout = true;
    sentinelEvent(S, LL_WARNING, '+failover-end-for-timeout', master, '%@');
  }
  if (notReconfigured === 0) {
    sentinelEvent(S, LL_WARNING, '+failover-end', master, '%@');
    master.failoverState = FailoverState.UPDATE_CONFIG;
    master.failoverStateChangeTime = S.now();
  }
  if (timeout) {
    // best effort: point every replica not yet reconfigured at the new master
    for (const slave of master.slaves.values()) {
      if (slave.flags & (SRI_PROMOTED | SRI_RECONF_DONE | SRI_RECONF_SENT)) continue;
      if (slave.link.disconnected) continue;
      if (sendSlaveOf(S, slave, promoted.addr)) {
        sentinelEvent(S, LL_NOTICE, '+slave-reconf-sent-be', slave, '%@');
        slave.flags |= SRI_RECONF_SENT;
      }
    }
  }
}

/** sentinelFailoverReconfNextSlave: SLAVEOF <promoted> to parallel-syncs replicas at a time. */
function reconfNextSlave(S: SentinelState, master: Instance): void {
  let inProgress = 0;
  for (const slave of master.slaves.values()) {
    if (slave.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG)) inProgress++;
  }
  for (const slave of master.slaves.values()) {
    if (inProgress >= master.parallelSyncs) break;
    if (slave.flags & (SRI_PROMOTED | SRI_RECONF_DONE)) continue;
    if (slave.flags & SRI_RECONF_SENT && S.now() - slave.slaveReconfSentTime > S.timings.slaveReconfTimeout) {
      sentinelEvent(S, LL_NOTICE, '-slave-reconf-sent-timeout', slave, '%@');
      slave.flags &= ~SRI_RECONF_SENT;
      slave.flags |= SRI_RECONF_DONE;
    }
    if (slave.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG)) continue;
    if (slave.link.disconnected) continue;
    if (sendSlaveOf(S, slave, master.promotedSlave!.addr)) {
      slave.flags |= SRI_RECONF_SENT;
      slave.slaveReconfSentTime = S.now();
      sentinelEvent(S, LL_NOTICE, '+slave-reconf-sent', slave, '%@');
      inProgress++;
    }
  }
  detectEnd(S, master);
}

/** sentinelFailoverSwitchToPromotedSlave: +switch-master at the end of the tick. */
export function switchToPromotedSlave(S: SentinelState, master: Instance): void {
  const ref = master.promotedSlave ?? master;
  sentinelEvent(
    S,
    LL_WARNING,
    '+switch-master',
    master,
    `${master.name} ${master.addr.ip} ${master.addr.port} ${ref.addr.ip} ${ref.addr.port}`,
  );
  resetMasterAndChangeAddress(S, master, ref.addr.ip, ref.addr.port);
}

/** sentinelFailoverStateMachine: one step per tick. */
export function failoverStateMachine(S: SentinelState, ri: Instance): void {
  if (!(ri.flags & SRI_MASTER) || !(ri.flags & SRI_FAILOVER_IN_PROGRESS)) return;
  switch (ri.failoverState) {
    case FailoverState.WAIT_START:
      waitStart(S, ri);
      break;
    case FailoverState.SELECT_SLAVE:
      selectSlaveStep(S, ri);
      break;
    case FailoverState.SEND_SLAVEOF_NOONE:
      sendSlaveOfNoOne(S, ri);
      break;
    case FailoverState.WAIT_PROMOTION:
      waitPromotion(S, ri);
      break;
    case FailoverState.RECONF_SLAVES:
      reconfNextSlave(S, ri);
      break;
  }
}
