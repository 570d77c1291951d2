// The single fork()ed child of a Redis server (RDB save or AOF rewrite), modelled as a timer.
import type { PersistHost } from './host.ts';

export type ChildType = 'none' | 'rdb' | 'aof';

export class ChildManager {
  type: ChildType = 'none';
  pid = -1;
  totalForks = 0;
  /** latest_fork_usec: a small, size-dependent fork time. */
  latestForkUsec = 0;
  private timer: { cancel(): void } | null = null;

  constructor(private readonly host: PersistHost) {}

  get active(): boolean {
    return this.type !== 'none';
  }

  /** fork(): the child works for `durationMs`, then `done(pid)` runs in the parent. */
  start(type: Exclude<ChildType, 'none'>, durationMs: number, work: (pid: number) => void, done: (pid: number) => void): number {
    const pid = this.host.forkPid();
    this.type = type;
    this.pid = pid;
    this.totalForks++;
    this.latestForkUsec = 300 + Math.floor(this.host.ks.usedBytes / 4096);
    this.timer = this.host.setTimer(durationMs, () => {
      this.timer = null;
      work(pid);
      this.type = 'none';
      this.pid = -1;
      done(pid);
    });
    return pid;
  }

  /** killRDBChild / killAppendOnlyChild: the child dies without finishing. */
  kill(): void {
    this.timer?.cancel();
    this.timer = null;
    this.type = 'none';
    this.pid = -1;
  }
}
