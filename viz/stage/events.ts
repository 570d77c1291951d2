// Sentinel event families (sentinel.md §13) as the stage tags them and the legend lists them: each family has
// a glyph and a colour, so none is told by colour alone.
import { OKABE_ITO } from './palette.ts';

export interface EventFamily {
  family: string;
  label: string;
  glyph: string;
  color: string;
  /** Event names (exact) or prefixes ending in '*'. */
  events: string[];
}

export const EVENT_FAMILIES: EventFamily[] = [
  { family: 'sdown', label: '+sdown / -sdown: one Sentinel holds an instance subjectively down (or no longer)', glyph: '◌', color: OKABE_ITO.orange, events: ['+sdown', '-sdown'] },
  { family: 'odown', label: '+odown / -odown: enough Sentinels agree the master is down (#quorum k/q)', glyph: '◎', color: OKABE_ITO.vermillion, events: ['+odown', '-odown'] },
  { family: 'election', label: '+new-epoch, +try-failover, +vote-for-leader, +elected-leader: the election', glyph: '⚑', color: OKABE_ITO.purple, events: ['+new-epoch', '+try-failover', '+vote-for-leader', '+elected-leader'] },
  { family: 'failover', label: '+failover-state-*, +selected-slave, +promoted-slave, +slave-reconf-*: the failover steps', glyph: '▶', color: OKABE_ITO.blue, events: ['+failover-state-*', '+selected-slave', '+promoted-slave', '+slave-reconf-*', '-slave-reconf-*'] },
  { family: 'abort', label: '-failover-abort-*: a failover given up (not elected, no good replica, timeout)', glyph: '⊘', color: OKABE_ITO.vermillion, events: ['-failover-abort-*', '+failover-end-for-timeout'] },
  { family: 'switch', label: '+failover-end, +switch-master, +config-update-from: the new master is known', glyph: '⇄', color: OKABE_ITO.green, events: ['+failover-end', '+switch-master', '+config-update-from'] },
  { family: 'convert', label: '+convert-to-slave: an old master is told to replicate the new one', glyph: '↓', color: OKABE_ITO.sky, events: ['+convert-to-slave'] },
  { family: 'tilt', label: '+tilt / -tilt: the Sentinel distrusts its clock and stops acting', glyph: '⚠', color: '#8a7a00', events: ['+tilt', '-tilt'] },
];

const OTHER: EventFamily = { family: 'other', label: 'discovery and the rest (+monitor, +slave, +sentinel, +reboot, …)', glyph: '·', color: '#767676', events: [] };

export function eventFamily(event: string): EventFamily {
  for (const f of EVENT_FAMILIES)
    for (const e of f.events) if (e === event || (e.endsWith('*') && event.startsWith(e.slice(0, -1)))) return f;
  return OTHER;
}

export const OTHER_EVENTS = OTHER;
