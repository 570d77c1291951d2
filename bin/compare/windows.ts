// The windows Redis 7.0.15's timers allow for each milestone, relative to an anchor event of the same run,
// each with its reason in src/sentinel.c. A milestone outside the real band still passes inside its window
// (± the scenario's slack: see params.ts).
import type { RunSegment, SentinelEvent } from './extract.ts';
import type { ScenarioParams, WindowDef } from './model.ts';
import { paramsOf } from './params.ts';

/** sentinelTimer sets server.hz = CONFIG_DEFAULT_HZ + rand() % CONFIG_DEFAULT_HZ (10..19) after every call: a tick is 52.6..100 ms. */
export const TICK_MS = 100;
/** SENTINEL_PING_PERIOD: the PING period when down-after-milliseconds is larger, and the minimum gap between link reconnections. */
export const PING_PERIOD_MS = 1000;
/** sentinel_ask_period: is-master-down-by-addr is asked again when the last reply is this old. */
export const ASK_PERIOD_MS = 1000;
/** sentinel_info_period; INFO to replicas goes every 1000 ms while their master is ODOWN or in failover. */
export const INFO_PERIOD_MS = 10_000;
export const INFO_PERIOD_FAILOVER_MS = 1000;
/** sentinel_publish_period: hello messages. */
export const PUBLISH_PERIOD_MS = 2000;
/** SENTINEL_MAX_DESYNC: failover_start_time = now + rand() % SENTINEL_MAX_DESYNC. */
export const MAX_DESYNC_MS = 1000;

/** FAILOVER's switch: a replica's REPLCONF ACK (once a second) then the master's replicationCron (once a second). */
export const FAILOVER_SWITCH_MS = 2000;

/** The windows, by milestone kind, as documented in bin/compare/README.md. */
export const WINDOW_REASONS = {
  sdown:
    'sentinelCheckSubjectivelyDown: +sdown once now − act_ping_time > down-after-milliseconds; act_ping_time is the first PING left ' +
    'unanswered, sent at most one ping period (min(down-after, 1000 ms), sentinelSendPeriodicCommands) after the last reply or at once on ' +
    'reconnection (sentinelReconnectInstance); checked once per sentinelTimer tick (≤ 100 ms)',
  sdownRoleSlave:
    'FAILOVER (replication.c failoverCommand) pauses writes; updateFailoverStatus, run by replicationCron once a second, switches the master ' +
    'to a replica once a REPLCONF ACK (sent once a second) matches its offset: within 2000 ms. The Sentinels see role:slave in the next INFO ' +
    '(sentinel_info_period, 10000 ms), which sets role_reported_time; sentinelCheckSubjectivelyDown puts a master reporting role:slave in SDOWN ' +
    'once that is older than down-after-milliseconds + 2 × sentinel_info_period',
  sdownWritePause:
    'CLIENT PAUSE WRITE (and FAILOVER, which pauses writes too) postpones the Sentinel\'s PUBLISH hello (processCommand: PUBLISH may replicate); ' +
    'it goes out at most sentinel_publish_period (2000 ms) after the last one and is retried every tick (last_pub_time moves only on its reply), and the ' +
    'PINGs behind it on the same link wait too: act_ping_time is the first, ≤ one ping period later. sentinelCheckSubjectivelyDown closes a link older ' +
    'than 15 s whose PING waits more than down-after / 2; the new link\'s PING (sent at once, sentinelReconnectInstance) is answered, its hello is ' +
    'postponed again and the next PING, one ping period later, waits: SDOWN down-after after it. A link younger than 15 s is not closed: SDOWN ' +
    'down-after after the first waiting PING',
  odownQuorum1: 'sentinelCheckObjectivelyDown runs right after sentinelCheckSubjectivelyDown in the same sentinelHandleRedisInstance call: with quorum 1, the same tick as its +sdown',
  odown:
    'sentinelCheckObjectivelyDown: ODOWN once this Sentinel is SDOWN and quorum − 1 others replied to is-master-down-by-addr that it is down ' +
    '(they say so only once SDOWN themselves); asked again when the last reply is older than sentinel_ask_period (1000 ms), counted on a later tick',
  tryFailover:
    'sentinelStartFailoverIfNeeded runs right after sentinelCheckObjectivelyDown: +new-epoch and +try-failover the same tick as its +odown, ' +
    'unless it voted or tried within 2 × failover-timeout',
  tryFailoverAfterVote:
    'a Sentinel that tried (sentinelStartFailover) or voted for another one (sentinelVoteLeader) set failover_start_time = now + ' +
    'rand() % SENTINEL_MAX_DESYNC: sentinelStartFailoverIfNeeded lets it try again only 2 × failover-timeout after that, plus a random [0, 1000) ms, ' +
    'and only while the master is ODOWN (a +switch-master resets it: sentinelResetMaster, "we can failover again ASAP")',
  manualFailover: 'SENTINEL FAILOVER calls sentinelStartFailover at once (+new-epoch, +try-failover)',
  electedLeader:
    'sentinelFailoverWaitStart, once per tick: leader once it has the votes of a majority (and at least quorum) for the failover epoch; ' +
    'the votes were asked with is-master-down-by-addr in the +try-failover tick (SENTINEL_ASK_FORCED)',
  selectedSlave: 'the failover state machine takes one step per tick: sentinelFailoverSelectSlave on the tick after +elected-leader',
  promotedSlave:
    'SLAVEOF NO ONE on the next tick (+failover-state-wait-promotion); the promotion is seen in the replica\'s INFO (role:master, ' +
    'sentinelRefreshInstanceInfo), polled every 1000 ms while a failover is in progress (sentinelSendPeriodicCommands)',
  switchLeader: 'the leader switches at +failover-end (sentinelFailoverDetectEnd, per tick): on the next tick when no other replica needs SLAVEOF',
  switchLeaderReconf: 'the leader switches at +failover-end: once every other reachable replica is reconfigured, at the latest failover-timeout after +promoted-slave',
  switchFollower:
    'on +promoted-slave the leader forces a hello to every instance and Sentinel (sentinelForceHelloUpdateForMaster: last_pub_time −= 2001), ' +
    'sent on its next tick; a follower switches as it receives it (+config-update-from). If a hello was in flight, its reply sets ' +
    'last_pub_time = now (sentinelPublishReplyCallback) and undoes the forcing: the next hello goes sentinel_publish_period (2000 ms) later',
  switchFollowerHeal:
    'a follower that missed the forced hello (its peer was down until the restart or resume): its links come back within a reconnection period ' +
    '(1000 ms), the next hello within sentinel_publish_period (2000 ms)',
  switchRestarted:
    'a Sentinel (re)started after the promotion connects at once to every instance of its config (sentinelReconnectInstance) and subscribes ' +
    'to their hello channel; the other Sentinels publish a hello on the promoted replica every sentinel_publish_period (2000 ms, sentinelSendHello), ' +
    'or reach it on their own links within a reconnection period (1000 ms); the hello carries the new configuration (+config-update-from)',
  minusSdown:
    'after a restart or resume: sentinelReconnectInstance retries a dropped link at most every 1000 ms and sends a PING at once; the reply clears act_ping_time and ' +
    'the next tick\'s sentinelCheckSubjectivelyDown logs -sdown',
  convert:
    'the old master, re-created as a replica at +switch-master (info_refresh 0), gets INFO as soon as its link is back (≤ 1000 ms + a tick) and ' +
    'reports role:master; sentinelRefreshInstanceInfo converts it on a later INFO once that role is older than sentinel_publish_period × 4 ' +
    '(8000 ms) and it did not go SDOWN within as long (sentinelRedisInstanceNoDownFor): the next INFO, sentinel_info_period (10000 ms) later',
} as const;

export interface RunWindow {
  def: WindowDef;
  /** The anchor's time in this run, ms after the fault. */
  anchorMs: number;
}

/** The last `event` of `node` logged before the event at index `before`. */
const lastBefore = (events: SentinelEvent[], node: string, event: string, before: number) => {
  for (let i = before - 1; i >= 0; i--) if (events[i]!.node === node && events[i]!.event === event) return events[i]!;
  return null;
};

const win = (anchor: string, anchorMs: number, loMs: number, hiMs: number, reason: string): RunWindow => ({ def: { anchor, loMs, hiMs, reason }, anchorMs });

/**
 * Heals after which the links come back on Redis's timers: a restarted process refuses connections while down
 * (the link is retried every second), a resumed one answers what was pending. After a network heal (heal,
 * host-up) a link waits for TCP's SYN retransmissions or the 15 s link reset of sentinelCheckSubjectivelyDown:
 * no Redis window for what follows.
 */
const PROCESS_HEALS: ReadonlySet<string> = new Set(['restart', 'resume']);

/** The window of a milestone in one run, or null when none applies (or its anchor is missing). */
export function windowFor(key: string, seg: RunSegment, p: ScenarioParams): RunWindow | null {
  const m = seg.marks;
  const at = m.get(key);
  if (!at) return null;
  // degraded links (set-link): delivery depends on TCP retransmissions and latency, not on Redis's timers
  if (seg.fault.fault === 'set-link') return null;
  const processHeal = seg.heal !== null && PROCESS_HEALS.has(seg.heal.fault);
  const [kind, node] = key.includes(':') ? [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)] : [key, null];
  switch (kind) {
    case 'sdown': {
      const da = paramsOf(p, node!).downAfterMs;
      const hi = da + Math.min(da, PING_PERIOD_MS) + 2 * TICK_MS;
      // a Sentinel that was not running at the fault: from its start (a new link counts from its creation)
      if (seg.backAt.has(node!)) {
        const back = seg.backAt.get(node!);
        return back === null || back === undefined ? null : win('its start', back, da, hi, WINDOW_REASONS.sdown);
      }
      // FAILOVER turned the master into a replica: SDOWN by the role it reports, not by unanswered PINGs
      if (seg.fault.fault === 'failover-command') {
        const lo = da + 2 * INFO_PERIOD_MS;
        return win('fault', 0, lo, lo + INFO_PERIOD_MS + FAILOVER_SWITCH_MS + 2 * TICK_MS, WINDOW_REASONS.sdownRoleSlave);
      }
      // CLIENT PAUSE WRITE: the PINGs wait behind a postponed hello on the same link, which is reset once
      if (seg.fault.fault === 'client-pause' && (seg.fault.args as { mode?: string } | undefined)?.mode === 'WRITE') {
        const ping = Math.min(da, PING_PERIOD_MS);
        return win('fault', 0, da, PUBLISH_PERIOD_MS + 2 * ping + da / 2 + da + 5 * TICK_MS, WINDOW_REASONS.sdownWritePause);
      }
      return win('fault', 0, da, hi, WINDOW_REASONS.sdown);
    }
    case 'odown': {
      const s = at.node!;
      const own = m.get(`sdown:${s}`);
      if (!own) return null;
      const q = paramsOf(p, s).quorum ?? 1;
      if (q <= 1) return win('own +sdown', own.ms, 0, 0, WINDOW_REASONS.odownQuorum1);
      const others = [...m.entries()]
        .filter(([k]) => k.startsWith('sdown:') && k !== `sdown:${s}`)
        .map(([, v]) => v.ms)
        .sort((a, b) => a - b);
      const quorumAt = others.length >= q - 1 ? Math.max(own.ms, others[q - 2]!) : own.ms;
      return win('quorum\'s +sdown', quorumAt, 0, ASK_PERIOD_MS + 2 * TICK_MS, WINDOW_REASONS.odown);
    }
    case 'try-failover': {
      const s = at.node!;
      if (seg.fault.fault === 'sentinel-failover' && seg.fault.target === s) return win('fault', 0, 0, TICK_MS, WINDOW_REASONS.manualFailover);
      const ft = paramsOf(p, s).failoverTimeoutMs;
      const odown = lastBefore(seg.events, s, '+odown', at.i);
      if (!odown) return null;
      // its last attempt or vote (this segment, else an earlier one) delays the start to 2 × failover-timeout + [0, 1000) after it
      const vote = lastBefore(seg.events, s, '+vote-for-leader', at.i);
      const switched = lastBefore(seg.events, s, '+switch-master', at.i);
      const prev = switched ? (vote && vote.ms >= switched.ms ? vote.ms : undefined) : (vote?.ms ?? seg.priorAttempt.get(s));
      if (prev !== undefined && prev + 2 * ft + MAX_DESYNC_MS > odown.ms) {
        const lo = Math.max(2 * ft, odown.ms - prev);
        return win('own last attempt or vote', prev, lo, Math.max(lo, 2 * ft + MAX_DESYNC_MS) + TICK_MS, WINDOW_REASONS.tryFailoverAfterVote);
      }
      return win('own +odown', odown.ms, 0, 0, WINDOW_REASONS.tryFailover);
    }
    case 'elected-leader': {
      const tr = lastBefore(seg.events, at.node!, '+try-failover', at.i);
      return tr ? win('leader\'s +try-failover', tr.ms, 0, TICK_MS, WINDOW_REASONS.electedLeader) : null;
    }
    case 'selected-slave': {
      const el = m.get('elected-leader');
      return el ? win('+elected-leader', el.ms, 0, TICK_MS, WINDOW_REASONS.selectedSlave) : null;
    }
    case 'promoted-slave': {
      const sel = m.get('selected-slave');
      return sel ? win('+selected-slave', sel.ms, 0, 2 * TICK_MS + INFO_PERIOD_FAILOVER_MS, WINDOW_REASONS.promotedSlave) : null;
    }
    case 'switch-master': {
      const pr = m.get('promoted-slave');
      if (!pr) return null;
      if (node === seg.leader) {
        const reconf = seg.events.some((e, i) => i < at.i && e.node === node && e.event === '+slave-reconf-sent');
        return reconf
          ? win('+promoted-slave', pr.ms, 0, paramsOf(p, node!).failoverTimeoutMs + TICK_MS, WINDOW_REASONS.switchLeaderReconf)
          : win('+promoted-slave', pr.ms, 0, TICK_MS, WINDOW_REASONS.switchLeader);
      }
      // its own (re)start after the promotion: the next hello on the promoted replica (whose links never broke)
      const started = seg.startedAt.get(node!);
      if (started !== undefined && started >= pr.ms && started <= at.ms) return win('its start', started, 0, PING_PERIOD_MS + PUBLISH_PERIOD_MS + 2 * TICK_MS, WINDOW_REASONS.switchRestarted);
      const heal = m.get('heal');
      // a heal in the same ms as this switch is the script's reaction to it (waitFor('+switch-master'), then heal):
      // the switch came first, on the forced hello
      if (heal && heal.ms < at.ms && heal.ms >= pr.ms)
        return processHeal ? win('heal', heal.ms, 0, PING_PERIOD_MS + PUBLISH_PERIOD_MS + 2 * TICK_MS, WINDOW_REASONS.switchFollowerHeal) : null;
      return win('+promoted-slave', pr.ms, 0, PUBLISH_PERIOD_MS + 2 * TICK_MS, WINDOW_REASONS.switchFollower);
    }
    case '-sdown': {
      const heal = m.get('heal');
      return processHeal && heal && heal.ms <= at.ms ? win('heal', heal.ms, 0, PING_PERIOD_MS + 2 * TICK_MS, WINDOW_REASONS.minusSdown) : null;
    }
    case 'convert-to-slave': {
      const heal = m.get('heal');
      const switched = [...m.entries()].filter(([k]) => k.startsWith('switch-master:')).map(([, v]) => v.ms);
      // only when the old master had been re-created as a replica before it came back
      if (!processHeal || !heal || heal.ms > at.ms || switched.length === 0 || Math.min(...switched) > heal.ms) return null;
      return win('heal', heal.ms, INFO_PERIOD_MS, PING_PERIOD_MS + INFO_PERIOD_MS + 2 * TICK_MS, WINDOW_REASONS.convert);
    }
    default:
      return null;
  }
}

/** Whether a value (ms after the fault) lies in its window, with the slack on both sides. */
export function inWindow(valueMs: number, w: RunWindow, slackMs: number): boolean {
  const rel = valueMs - w.anchorMs;
  return rel >= w.def.loMs - slackMs && rel <= w.def.hiMs + slackMs;
}
