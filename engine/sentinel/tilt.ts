// TILT (sentinel.md §12): a tick-to-tick delta that is negative or above the trigger means the
// process was stopped or the clock jumped; the acting half is suspended for the tilt period.
import { LL_WARNING } from './constants.ts';
import { sentinelEvent } from './events.ts';
import type { SentinelState } from './state.ts';

/** sentinelCheckTiltCondition, at the start of every tick. */
export function checkTiltCondition(S: SentinelState): void {
  const now = S.now();
  const delta = now - S.previousTime;
  if (delta < 0 || delta > S.timings.tiltTrigger) {
    S.tilt = true;
    S.tiltStartTime = S.now();
    sentinelEvent(S, LL_WARNING, '+tilt', null, '#tilt mode entered');
  }
  S.previousTime = S.now();
}

/**
 * The TILT gate of sentinelHandleRedisInstance: true when the acting half must be skipped; leaves
 * TILT once the period has passed.
 */
export function tiltBlocksActing(S: SentinelState): boolean {
  if (!S.tilt) return false;
  if (S.now() - S.tiltStartTime < S.timings.tiltPeriod) return true;
  S.tilt = false;
  sentinelEvent(S, LL_WARNING, '-tilt', null, '#tilt mode exited');
  return false;
}
