// Pub/Sub registry (pubsub.c): channel → subscribers, pattern → subscribers; messages and (un)subscribe
// confirmations are pushes (RESP3 `>`, RESP2 arrays).
import { bulk, int, NIL, pushMsg, type Reply } from '../../net/resp.ts';
import type { Client } from './client.ts';
import { stringMatch } from '../keyspace/glob.ts';
import { ShardPubSub } from './shard-pubsub.ts';

export class PubSub {
  readonly channels = new Map<string, Client[]>();
  readonly patterns = new Map<string, Client[]>();
  /** SSUBSCRIBE / SPUBLISH channels (server.pubsubshard_channels). */
  readonly shard = new ShardPubSub();

  subscribe(c: Client, channel: string): void {
    if (!c.channels.has(channel)) {
      c.channels.add(channel);
      push(this.channels, channel, c);
    }
    c.addReply(pushMsg([bulk('subscribe'), bulk(channel), int(c.channels.size + c.patterns.size)]));
  }

  unsubscribe(c: Client, channel: string, notify: boolean): boolean {
    const had = c.channels.delete(channel);
    if (had) pull(this.channels, channel, c);
    if (notify) c.addReply(pushMsg([bulk('unsubscribe'), bulk(channel), int(c.channels.size + c.patterns.size)]));
    return had;
  }

  unsubscribeAll(c: Client, notify: boolean): number {
    let n = 0;
    for (const ch of [...c.channels]) if (this.unsubscribe(c, ch, notify)) n++;
    if (notify && n === 0) c.addReply(pushMsg([bulk('unsubscribe'), NIL, int(c.channels.size + c.patterns.size)]));
    return n;
  }

  psubscribe(c: Client, pattern: string): void {
    if (!c.patterns.has(pattern)) {
      c.patterns.add(pattern);
      push(this.patterns, pattern, c);
    }
    c.addReply(pushMsg([bulk('psubscribe'), bulk(pattern), int(c.channels.size + c.patterns.size)]));
  }

  punsubscribe(c: Client, pattern: string, notify: boolean): boolean {
    const had = c.patterns.delete(pattern);
    if (had) pull(this.patterns, pattern, c);
    if (notify) c.addReply(pushMsg([bulk('punsubscribe'), bulk(pattern), int(c.channels.size + c.patterns.size)]));
    return had;
  }

  punsubscribeAll(c: Client, notify: boolean): number {
    let n = 0;
    for (const p of [...c.patterns]) if (this.punsubscribe(c, p, notify)) n++;
    if (notify && n === 0) c.addReply(pushMsg([bulk('punsubscribe'), NIL, int(c.channels.size + c.patterns.size)]));
    return n;
  }

  /** Deliver to channel subscribers, then pattern subscribers; returns the number of receivers. */
  publish(channel: string, message: string): number {
    let receivers = 0;
    for (const c of this.channels.get(channel) ?? []) {
      c.addReply(messageReply(channel, message));
      receivers++;
    }
    for (const [pattern, clients] of this.patterns) {
      if (!stringMatch(pattern, channel)) continue;
      for (const c of clients) {
        c.addReply(pushMsg([bulk('pmessage'), bulk(pattern), bulk(channel), bulk(message)]));
        receivers++;
      }
    }
    return receivers;
  }

  /** A client went away: drop every subscription silently. */
  dropClient(c: Client): void {
    this.unsubscribeAll(c, false);
    this.shard.unsubscribeAll(c, false);
    this.punsubscribeAll(c, false);
  }
}

export function messageReply(channel: string, message: string): Reply {
  return pushMsg([bulk('message'), bulk(channel), bulk(message)]);
}

function push(m: Map<string, Client[]>, k: string, c: Client): void {
  const l = m.get(k);
  if (l) l.push(c);
  else m.set(k, [c]);
}

function pull(m: Map<string, Client[]>, k: string, c: Client): void {
  const l = m.get(k);
  if (!l) return;
  const i = l.indexOf(c);
  if (i >= 0) l.splice(i, 1);
  if (l.length === 0) m.delete(k);
}
