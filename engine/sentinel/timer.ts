// sentinelTimer (sentinel.md §3): one tick per server cron, at a period re-randomised every tick
// (floor(1000 / (10 + rand() % 10)) ms).
import { CONFIG_DEFAULT_HZ } from './constants.ts';
import { SentinelExit } from './exit.ts';
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
  // each dictionary is walked over a snapshot (records may come and go meanwhile), taken into
  // scratch arrays: handleMasters never re-enters, and each tick is synchronous (entries past the
  // count are stale and never read)
  const nm = snapshot(S.masters, scratchMasters);
  for (let i = 0; i < nm; i++) {
    const ri = scratchMasters[i]!;
    handleInstance(S, ri);
    const ns = snapshot(ri.slaves, scratchSlaves);
    for (let j = 0; j < ns; j++) handleInstance(S, scratchSlaves[j]!);
    const nt = snapshot(ri.sentinels, scratchSentinels);
    for (let j = 0; j < nt; j++) handleInstance(S, scratchSentinels[j]!);
    if (ri.failoverState === FailoverState.UPDATE_CONFIG) switchToPromoted = ri;
  }
  if (switchToPromoted) switchToPromotedSlave(S, switchToPromoted);
}

const scratchMasters: Instance[] = [];
const scratchSlaves: Instance[] = [];
const scratchSentinels: Instance[] = [];

/** Copy the values of `m` into `into` (from index 0); returns how many. */
function snapshot(m: Map<string, Instance>, into: Instance[]): number {
  let n = 0;
  for (const v of m.values()) into[n++] = v;
  return n;
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
    // guarded(() => sentinelTimer(S)) without a closure per tick
    try {
      sentinelTimer(S);
    } catch (e) {
      if (!(e instanceof SentinelExit)) throw e;
    }
    if (!S.ctx.alive()) return;
    S.hz = CONFIG_DEFAULT_HZ + S.hzRng.int(0, CONFIG_DEFAULT_HZ - 1);
    S.ctx.setTimer(Math.floor(1000 / S.hz), cron);
  };
  S.ctx.setTimer(1, cron);
}
