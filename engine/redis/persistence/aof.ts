// The append-only file of Redis 7.0.15 (aof.c): multi-part (BASE rdb + INCR files + manifest),
// aof_buf written at the end of each event (beforeSleep), fsync per `appendfsync`.
// Written-but-not-fsynced data lives in this process's memory: a crash loses it.
import { argvSize } from '../../net/resp.ts';
import { SelectTracker } from '../server/replication-state.ts';
import type { ChildManager } from './child.ts';
import { childDurationMs, rdbConf, type PersistHost } from './host.ts';
import {
  baseName,
  emptyManifest,
  formatManifest,
  incrName,
  isIncrFile,
  manifestName,
  parseManifest,
  TEMP_INCR,
  type AofIncrFile,
  type AofManifest,
} from './manifest.ts';
import { isRdbFile, joinPath, snapshot, type RdbFile } from './rdb.ts';

export type FsyncPolicy = 'always' | 'everysec' | 'no';
export type AofState = 'off' | 'on' | 'wait_rewrite';

/** Linux writes dirty pages back after ~30 s (dirty_expire_centisecs). */
const OS_WRITEBACK_MS = 30_000;

export class Aof {
  state: AofState = 'off';
  policy: FsyncPolicy = 'everysec';
  manifest: AofManifest = emptyManifest();
  private readonly select = new SelectTracker();
  /** aof_buf: fed during the event, written at its end. */
  private buf: string[][] = [];
  /** write()n to the current file but not fsynced yet (page cache). */
  private unsynced: string[][] = [];
  private incr: AofIncrFile | null = null;
  private incrPath = '';
  private lastFsyncSec = 0;
  private lastWritebackMs = 0;
  currentSize = 0;
  rewriteBaseSize = 0;
  rewrites = 0;
  rewriteScheduled = false;
  lastRewriteTimeSec = -1;
  private rewriteStartSec = -1;
  lastBgrewriteOk = true;

  constructor(
    private readonly host: PersistHost,
    private readonly child: ChildManager,
  ) {}

  private dir(): string {
    return joinPath(this.host.conf('dir'), this.host.conf('appenddirname'));
  }
  private prefix(): string {
    return this.host.conf('appendfilename');
  }
  private path(name: string): string {
    return joinPath(this.dir(), name);
  }
  private persistManifest(): void {
    this.host.disk.write(this.path(manifestName(this.prefix())), formatManifest(this.manifest));
  }

  get rewriteInProgress(): boolean {
    return this.child.type === 'aof';
  }

  /** Read the manifest from disk (loadAppendOnlyFiles' first step). */
  readManifest(): void {
    const text = this.host.disk.read(this.path(manifestName(this.prefix())));
    this.manifest = typeof text === 'string' ? parseManifest(text) : emptyManifest();
  }

  /**
   * loadAppendOnlyFiles: BASE via `loadBase`, then every INCR command through `exec`.
   * Returns false when there is no AOF at all (AOF_NOT_EXIST).
   */
  load(loadBase: (f: RdbFile) => void, exec: (argv: string[]) => void): boolean {
    this.readManifest();
    const m = this.manifest;
    if (!m.base && m.incrs.length === 0) return false;
    let total = 0;
    if (m.base) {
      const f = this.host.disk.read(this.path(m.base.name));
      if (isRdbFile(f)) {
        this.host.log('*', 'Reading RDB base file on AOF loading...');
        loadBase(f);
        total += f.size;
        this.rewriteBaseSize = f.size;
        this.host.log('*', `DB loaded from base file ${m.base.name}: 0.000 seconds`);
      }
    }
    for (const i of m.incrs) {
      const f = this.host.disk.read(this.path(i.name));
      if (!isIncrFile(f) || f.commands.length === 0) continue;
      for (const argv of f.commands) exec(argv);
      total += f.size;
      this.host.log('*', `DB loaded from incr file ${i.name}: 0.000 seconds`);
    }
    this.currentSize = total;
    return true;
  }

  /** aofOpenIfNeededOnServerStart: create BASE + INCR when there is no AOF yet, open the last INCR. */
  openOnStart(): void {
    if (this.state !== 'on') return;
    const m = this.manifest;
    const hadIncr = m.incrs.length > 0;
    if (!m.base && !hadIncr) {
      m.baseSeq++;
      m.base = { name: baseName(this.prefix(), m.baseSeq), seq: m.baseSeq, type: 'b' };
      const base = snapshot(this.host.ks, this.host.mstime(), { aofBase: true }, rdbConf(this.host), this.host.functionCodes?.());
      this.host.disk.write(this.path(m.base.name), base);
      this.rewriteBaseSize = base.size;
      this.currentSize = base.size;
      this.host.log('*', `Creating AOF base file ${m.base.name} on server start`);
    }
    if (!hadIncr) {
      m.incrSeq++;
      m.incrs.push({ name: incrName(this.prefix(), m.incrSeq), seq: m.incrSeq, type: 'i' });
    }
    const last = m.incrs[m.incrs.length - 1]!;
    this.openIncr(last.name);
    this.persistManifest();
    this.host.log('*', `${hadIncr ? 'Opening' : 'Creating'} AOF incr file ${last.name} on server start`);
    this.lastFsyncSec = Math.floor(this.host.mstime() / 1000);
    this.lastWritebackMs = this.host.mstime();
  }

  private openIncr(name: string): void {
    const path = this.path(name);
    const existing = this.host.disk.read(path);
    this.incr = isIncrFile(existing) ? existing : { kind: 'aof-incr', commands: [], size: 0 };
    this.incrPath = path;
    if (!isIncrFile(existing)) this.host.disk.write(path, this.incr);
    this.select.reset();
  }

  /** feedAppendOnlyFile. */
  feed(db: number, argv: string[]): void {
    if (this.state === 'off') return;
    for (const a of this.select.feed(db, argv)) this.buf.push(a);
  }

  /** flushAppendOnlyFile: write aof_buf, then fsync as the policy says. */
  flush(force = false): void {
    if (this.state === 'off') return;
    if (this.buf.length > 0) {
      for (const a of this.buf) {
        this.unsynced.push(a);
        this.currentSize += argvSize(a);
      }
      this.buf = [];
    }
    if (this.unsynced.length === 0) return;
    const nowSec = Math.floor(this.host.mstime() / 1000);
    if (this.policy === 'always' || force) this.fsync();
    else if (this.policy === 'everysec' && nowSec > this.lastFsyncSec) this.fsync();
  }

  /** Data reaches the disk (fsync, or the kernel's own write-back for `appendfsync no`). */
  fsync(): void {
    this.lastFsyncSec = Math.floor(this.host.mstime() / 1000);
    if (this.unsynced.length === 0 || !this.incr) return;
    for (const a of this.unsynced) {
      this.incr.commands.push(a);
      this.incr.size += argvSize(a);
    }
    this.unsynced = [];
    this.host.disk.write(this.incrPath, this.incr);
  }

  /** serverCron part: everysec fsync of pending writes, OS write-back for `no`, scheduled rewrite. */
  cron(): void {
    if (this.state !== 'off') {
      this.flush();
      if (this.policy === 'no' && this.host.mstime() - this.lastWritebackMs >= OS_WRITEBACK_MS) {
        this.lastWritebackMs = this.host.mstime();
        this.fsync();
      }
    }
    if (this.rewriteScheduled && !this.child.active) {
      this.rewriteScheduled = false;
      this.rewriteBackground();
    }
  }

  /** rewriteAppendOnlyFileBackground. */
  rewriteBackground(): boolean {
    if (this.child.active) return false;
    this.select.reset();
    this.flush(true);
    const m = this.manifest;
    const prefix = this.prefix();
    let tempIncr: string | null = null;
    if (this.state === 'on') {
      m.incrSeq++;
      const name = incrName(prefix, m.incrSeq);
      m.incrs.push({ name, seq: m.incrSeq, type: 'i' });
      this.openIncr(name);
      this.persistManifest();
      this.host.log('*', `Creating AOF incr file ${name} on background rewrite`);
    } else if (this.state === 'wait_rewrite') {
      tempIncr = TEMP_INCR(prefix);
      this.host.disk.remove(this.path(tempIncr));
      this.openIncr(tempIncr);
      this.host.log('*', `Creating AOF incr file ${tempIncr} on background rewrite`);
    }
    const base = snapshot(this.host.ks, this.host.mstime(), { aofBase: true }, rdbConf(this.host), this.host.functionCodes?.());
    this.rewriteStartSec = Math.floor(this.host.mstime() / 1000);
    const pid = this.child.start(
      'aof',
      childDurationMs(base.size),
      (childPid) => {
        this.host.logChild(childPid, '*', `Successfully created the temporary AOF base file temp-rewriteaof-bg-${childPid}.aof`);
        this.host.logChild(childPid, '*', 'Fork CoW for AOF rewrite: current 0 MB, peak 0 MB, average 0 MB');
      },
      (childPid) => this.rewriteDone(childPid, base, tempIncr),
    );
    this.host.log('*', `Background append only file rewriting started by pid ${pid}`);
    return true;
  }

  private rewriteDone(pid: number, base: RdbFile, tempIncr: string | null): void {
    this.host.log('*', 'Background AOF rewrite terminated with success');
    const m = this.manifest;
    const prefix = this.prefix();
    const history = [...m.incrs.slice(0, tempIncr ? m.incrs.length : -1)].reverse();
    if (m.base) history.push(m.base);
    m.baseSeq++;
    m.base = { name: baseName(prefix, m.baseSeq), seq: m.baseSeq, type: 'b' };
    this.host.disk.write(this.path(m.base.name), base);
    this.host.log('*', `Successfully renamed the temporary AOF base file temp-rewriteaof-bg-${pid}.aof into ${m.base.name}`);
    if (tempIncr) {
      m.incrSeq++;
      const name = incrName(prefix, m.incrSeq);
      this.host.disk.write(this.path(name), this.incr);
      this.host.disk.remove(this.path(tempIncr));
      this.incrPath = this.path(name);
      m.incrs = [{ name, seq: m.incrSeq, type: 'i' }];
      this.host.log('*', `Successfully renamed the temporary AOF incr file ${tempIncr} into ${name}`);
      if (this.state === 'wait_rewrite') this.state = 'on';
    } else {
      m.incrs = m.incrs.slice(-1);
    }
    this.persistManifest();
    for (const h of history) {
      this.host.disk.remove(this.path(h.name));
      this.host.log('*', `Removing the history file ${h.name} in the background`);
    }
    this.rewrites++;
    this.rewriteBaseSize = base.size;
    this.currentSize = base.size + (this.incr?.size ?? 0);
    this.lastRewriteTimeSec = Math.floor(this.host.mstime() / 1000) - this.rewriteStartSec;
    this.lastBgrewriteOk = true;
    this.host.log('*', 'Background AOF rewrite finished successfully');
  }

  /** CONFIG SET appendonly yes (startAppendOnly): write the initial AOF via a rewrite. */
  start(): void {
    if (this.state !== 'off') return;
    this.readManifest();
    this.state = 'wait_rewrite';
    this.lastFsyncSec = Math.floor(this.host.mstime() / 1000);
    this.lastWritebackMs = this.host.mstime();
    if (this.child.active) {
      this.rewriteScheduled = true;
      this.host.log(
        '#',
        'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.',
      );
    } else this.rewriteBackground();
  }

  /** CONFIG SET appendonly no (stopAppendOnly). */
  stop(): void {
    if (this.state === 'off') return;
    this.flush(true);
    if (this.child.type === 'aof') this.child.kill();
    this.state = 'off';
    this.rewriteScheduled = false;
    this.select.reset();
    this.buf = [];
  }

  /** SHUTDOWN: "Calling fsync() on the AOF file." */
  shutdown(): void {
    if (this.state === 'off') return;
    if (this.child.type === 'aof') {
      this.host.log('#', 'There is a child rewriting the AOF. Killing it!');
      this.child.kill();
    }
    this.host.log('*', 'Calling fsync() on the AOF file.');
    this.flush(true);
  }

  /** mem_aof_buffer / aof_buffer_length. */
  get bufferedCommands(): number {
    return this.buf.length;
  }
}
