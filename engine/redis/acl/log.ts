// The ACL LOG of Redis 7.0.15 (addACLLogEntry, ACLLogMatchEntry, the LOG subcommand's reply):
// entries grouped within 60 s, newest first, trimmed to acllog-max-len. Times are the host's
// virtual clock.
import { arr, bulk, int, map, type Reply } from '../../net/resp.ts';
import { scoreReply } from '../commands/zsets-common.ts';
import { DENIED_AUTH, DENIED_CHANNEL, DENIED_CMD, DENIED_KEY, type AclResult, type LogContext } from './types.ts';

export interface AclLogEntry {
  count: number;
  reason: AclResult;
  context: LogContext;
  object: string;
  username: string;
  /** ms of the last update. */
  ctime: number;
  clientInfo: string;
}

const GROUPING_MS = 60000;

function reasonText(r: AclResult): string {
  switch (r) {
    case DENIED_CMD:
      return 'command';
    case DENIED_KEY:
      return 'key';
    case DENIED_CHANNEL:
      return 'channel';
    case DENIED_AUTH:
      return 'auth';
    default:
      return 'unknown';
  }
}

export class AclLog {
  /** Newest first. */
  readonly entries: AclLogEntry[] = [];

  add(e: Omit<AclLogEntry, 'count'>, maxLen: number): void {
    // at most 10 recent entries are compared (toscan)
    for (let i = 0; i < Math.min(10, this.entries.length); i++) {
      const m = this.entries[i]!;
      if (
        m.reason === e.reason &&
        m.context === e.context &&
        Math.abs(m.ctime - e.ctime) <= GROUPING_MS &&
        m.object === e.object &&
        m.username === e.username
      ) {
        this.entries.splice(i, 1);
        this.entries.unshift(m);
        m.clientInfo = e.clientInfo;
        m.ctime = e.ctime;
        m.count++;
        return;
      }
    }
    this.entries.unshift({ ...e, count: 1 });
    while (this.entries.length > maxLen) this.entries.pop();
  }

  reset(): void {
    this.entries.length = 0;
  }

  /** ACL LOG [count]: maps of 7 fields. */
  reply(count: number, nowMs: number): Reply {
    const n = Math.max(0, Math.min(count, this.entries.length));
    return arr(
      this.entries.slice(0, n).map((e) =>
        map([
          bulk('count'), int(e.count),
          bulk('reason'), bulk(reasonText(e.reason)),
          bulk('context'), bulk(e.context),
          bulk('object'), bulk(e.object),
          bulk('username'), bulk(e.username),
          bulk('age-seconds'), scoreReply((nowMs - e.ctime) / 1000),
          bulk('client-info'), bulk(e.clientInfo),
        ]),
      ),
    );
  }
}
