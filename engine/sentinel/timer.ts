// sentinelTimer (sentinel.md §3): one tick per server cron, at a period re-randomised every tick
// (floor(1000 / (10 + rand() % 10)) ms).
import { CONFIG_DEFAULT_HZ } from './constants.ts';
import { guarded } from './exit.ts';
import { failoverStateMachine, startFailoverIfNeeded, switchToPromotedSlave } from './failover.ts';
import { FailoverState, SRI_MASTER, type Instance } from './instance.ts';
import { reconnectInstance, sendPeriodicCommands } from './monitor.ts';
import { askMasterStateToOtherSentinels, checkObjectivelyDown } from './odown.ts';
import { checkSubjectivelyDown } from './sdown.ts';
import type { SentinelState } from './state.ts';
import { checkTiltCondition, tiltBlocksActing } from './tilt.ts';

/** sentinelHandleRedisInstance: monitoring half always, acting half unless in TILT. */
export function handleInstance(S: SentinelState, ri: Instance): void {
  reconnectInstance(S, ri);
  sendPeriodicCommands(S, ri);
  if (tiltBlocksActing(S)) return;
  checkSubjectivelyDown(S, ri);
  if (ri.flags & SRI_MASTER) {
    checkObjectivelyDown(S, ri);
    if (startFailoverIfNeeded(S, ri)) askMasterStateToOtherSentinels(S, ri, true);
    failoverStateMachine(S, ri);
    askMasterStateToOtherSentinels(S, ri, false);
  }
}

/** sentinelHandleDictOfRedisInstances for the masters: each master, its replicas, its Sentinels. */
export function handleMasters(S: SentinelState): void {
  let switchToPromoted: Instance | null = null;
  for (const ri of [...S.masters.values()]) {
    handleInstance(S, ri);
    for (const s of [...ri.slaves.values()]) handleInstance(S, s);
    for (const s of [...ri.sentinels.values()]) handleInstance(S, s);
    if (ri.failoverState === FailoverState.UPDATE_CONFIG) switchToPromoted = ri;
  }
  if (switchToPromoted) switchToPromotedSlave(S, switchToPromoted);
}

export function sentinelTimer(S: SentinelState): void {
  checkTiltCondition(S);
  handleMasters(S);
  // notification / reconfiguration scripts are not run by the simulator
}

/** Start the cron: first run ~1 ms after start-up, then the randomised period. */
export function startCron(S: SentinelState): void {
  const cron = (): void => {
    if (!S.ctx.alive()) return;
    guarded(() => sentinelTimer(S));
    if (!S.ctx.alive()) return;
    S.hz = CONFIG_DEFAULT_HZ + S.hzRng.int(0, CONFIG_DEFAULT_HZ - 1);
    S.ctx.setTimer(Math.floor(1000 / S.hz), cron);
  };
  S.ctx.setTimer(1, cron);
}
