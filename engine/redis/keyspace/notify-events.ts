// Keyspace notifications (notify.c notifyKeyspaceEvent of Redis 7.0.15) for the commands that use them:
// `__keyspace@<db>__:<key>` carries the event name, `__keyevent@<db>__:<event>` the key name.
import type { CommandContext } from '../commands/context.ts';
import { NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, keyspaceEventsFlags } from '../config/special-misc.ts';

export {
  NOTIFY_EVICTED,
  NOTIFY_EXPIRED,
  NOTIFY_NEW,
  NOTIFY_GENERIC,
  NOTIFY_STRING,
  NOTIFY_LIST,
  NOTIFY_SET,
  NOTIFY_HASH,
  NOTIFY_ZSET,
} from '../config/special-misc.ts';

interface NotifyingServer {
  conf?: { get(name: string): string };
  pubsub?: { publish(channel: string, message: string): number };
}

let lastClasses = '';
let lastFlags = 0;
/** server.notify_keyspace_events from the CONFIG GET form ("AKE"...). */
function flagsOf(classes: string): number {
  if (classes !== lastClasses) {
    lastClasses = classes;
    lastFlags = Math.max(0, keyspaceEventsFlags(classes));
  }
  return lastFlags;
}

/** notifyKeyspaceEvent: publishes when the class is enabled (no-op outside a running server, e.g. unit harnesses). */
export function notifyKeyspaceEvent(ctx: CommandContext, type: number, event: string, key: string, dbIndex?: number): void {
  notifyServer((ctx as { server?: NotifyingServer }).server, type, event, key, dbIndex ?? ctx.client.dbIndex);
}

/** The same from server code without a command (expired, evicted, new keys). */
export function notifyServer(s: NotifyingServer | undefined, type: number, event: string, key: string, db: number): void {
  if (!s?.pubsub || !s.conf) return;
  const flags = flagsOf(s.conf.get('notify-keyspace-events'));
  if (!(flags & type)) return;
  if (flags & NOTIFY_KEYSPACE) s.pubsub.publish(`__keyspace@${db}__:${key}`, event);
  if (flags & NOTIFY_KEYEVENT) s.pubsub.publish(`__keyevent@${db}__:${event}`, key);
}
