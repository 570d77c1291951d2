// Sharded Pub/Sub of Redis 7.0.15 (pubsub.c, pubSubShardType): SSUBSCRIBE / SUNSUBSCRIBE / SPUBLISH on
// shard channels, a namespace apart from SUBSCRIBE's channels, without patterns. Confirmations count
// only the client's shard channels; messages are "smessage". On a server without cluster support every
// shard channel lives on this node.
import { bulk, int, NIL, pushMsg } from '../../net/resp.ts';
import type { Client } from './client.ts';

export class ShardPubSub {
  /** server.pubsubshard_channels: channel → subscribers in subscription order. */
  readonly channels = new Map<string, Client[]>();

  subscribe(c: Client, channel: string): void {
    if (!c.shardChannels.has(channel)) {
      c.shardChannels.add(channel);
      const l = this.channels.get(channel);
      if (l) l.push(c);
      else this.channels.set(channel, [c]);
    }
    c.addReply(pushMsg([bulk('ssubscribe'), bulk(channel), int(c.shardChannels.size)]));
  }

  unsubscribe(c: Client, channel: string, notify: boolean): boolean {
    const had = c.shardChannels.delete(channel);
    if (had) {
      const l = this.channels.get(channel)!;
      l.splice(l.indexOf(c), 1);
      if (l.length === 0) this.channels.delete(channel);
    }
    if (notify) c.addReply(pushMsg([bulk('sunsubscribe'), bulk(channel), int(c.shardChannels.size)]));
    return had;
  }

  /** pubsubUnsubscribeShardAllChannels: a reply per channel, or one with a null channel when there was none. */
  unsubscribeAll(c: Client, notify: boolean): number {
    let n = 0;
    for (const ch of [...c.shardChannels]) if (this.unsubscribe(c, ch, notify)) n++;
    if (notify && n === 0) c.addReply(pushMsg([bulk('sunsubscribe'), NIL, int(c.shardChannels.size)]));
    return n;
  }

  /** SPUBLISH: the shard channel's subscribers only (no patterns). */
  publish(channel: string, message: string): number {
    const l = this.channels.get(channel);
    if (!l) return 0;
    for (const c of l) c.addReply(pushMsg([bulk('smessage'), bulk(channel), bulk(message)]));
    return l.length;
  }
}
