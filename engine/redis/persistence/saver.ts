// SAVE / BGSAVE / save rules (rdb.c, serverCron): the RDB file on the host disk, with 7.0.15's log lines.
import type { ChildManager } from './child.ts';
import { childDurationMs, rdbConf, type PersistHost } from './host.ts';
import { joinPath, snapshot, type RdbFile } from './rdb.ts';

export interface SaveRule {
  seconds: number;
  changes: number;
}

/** CONFIG_BGSAVE_RETRY_DELAY */
const BGSAVE_RETRY_DELAY = 5;

export class RdbSaver {
  /** Seconds since 1970 of the last successful save (startup counts as saved). */
  lastsave: number;
  lastbgsaveOk = true;
  lastbgsaveTry = 0;
  saves = 0;
  saveTimeLast = -1;
  saveTimeStart = -1;
  bgsaveScheduled = false;
  private dirtyBeforeBgsave = 0;
  /** Called after a successful save (replication may wait for it). */
  onBgsaveDone: ((ok: boolean) => void) | null = null;

  constructor(
    private readonly host: PersistHost,
    private readonly child: ChildManager,
  ) {
    this.lastsave = Math.floor(host.mstime() / 1000);
  }

  path(): string {
    return joinPath(this.host.conf('dir'), this.host.conf('dbfilename'));
  }

  private take(): RdbFile {
    return snapshot(this.host.ks, this.host.mstime(), this.host.replSaveInfo() ?? {}, rdbConf(this.host), this.host.functionCodes?.());
  }

  /** rdbSave in the main process (SAVE, SHUTDOWN, FLUSHALL with save rules). */
  saveSync(): boolean {
    this.host.disk.write(this.path(), this.take());
    this.host.log('*', 'DB saved on disk');
    this.host.setDirty(0);
    this.lastsave = Math.floor(this.host.mstime() / 1000);
    this.lastbgsaveOk = true;
    return true;
  }

  /** SAVE command: counts in rdb_saves. */
  saveCommand(): boolean {
    this.saves++;
    return this.saveSync();
  }

  /** rdbSaveBackground: the snapshot is the dataset at fork time; the file appears when the child ends. */
  bgsave(): boolean {
    if (this.child.active) return false;
    this.saves++;
    this.dirtyBeforeBgsave = this.host.getDirty();
    this.lastbgsaveTry = Math.floor(this.host.mstime() / 1000);
    const file = this.take();
    const path = this.path();
    const pid = this.child.start(
      'rdb',
      childDurationMs(file.size),
      (childPid) => {
        this.host.disk.write(path, file);
        this.host.logChild(childPid, '*', 'DB saved on disk');
        this.host.logChild(childPid, '*', 'Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB');
      },
      () => this.bgsaveDone(),
    );
    this.host.log('*', `Background saving started by pid ${pid}`);
    this.saveTimeStart = Math.floor(this.host.mstime() / 1000);
    return true;
  }

  private bgsaveDone(): void {
    this.host.log('*', 'Background saving terminated with success');
    this.host.setDirty(this.host.getDirty() - this.dirtyBeforeBgsave);
    this.lastsave = Math.floor(this.host.mstime() / 1000);
    this.lastbgsaveOk = true;
    this.saveTimeLast = Math.floor(this.host.mstime() / 1000) - this.saveTimeStart;
    this.saveTimeStart = -1;
    this.onBgsaveDone?.(true);
  }

  /** serverCron: scheduled BGSAVE, then the save rules ("N changes in S seconds. Saving..."). */
  cron(rules: readonly SaveRule[]): void {
    if (this.child.active) return;
    const now = Math.floor(this.host.mstime() / 1000);
    if (this.bgsaveScheduled && (now - this.lastbgsaveTry > BGSAVE_RETRY_DELAY || this.lastbgsaveOk)) {
      this.bgsaveScheduled = false;
      this.bgsave();
      return;
    }
    for (const r of rules) {
      if (
        this.host.getDirty() >= r.changes &&
        now - this.lastsave > r.seconds &&
        (now - this.lastbgsaveTry > BGSAVE_RETRY_DELAY || this.lastbgsaveOk)
      ) {
        this.host.log('*', `${r.changes} changes in ${r.seconds} seconds. Saving...`);
        this.bgsave();
        break;
      }
    }
  }

  /** SHUTDOWN: an RDB child in progress is killed (its temp file removed). */
  killChild(log = true): void {
    if (this.child.type !== 'rdb') return;
    if (log) this.host.log('#', 'There is a child saving an .rdb. Killing it!');
    this.child.kill();
  }
}

/** The `save` config value ("3600 1 300 100") as rules. */
export function parseSaveRules(value: string): SaveRule[] {
  const parts = value.trim() === '' ? [] : value.trim().split(/\s+/).map(Number);
  const rules: SaveRule[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) rules.push({ seconds: parts[i]!, changes: parts[i + 1]! });
  return rules;
}
