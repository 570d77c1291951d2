// Clock jumps of real runs: a step of one host's wall clock, as the simulator models it (engine/sim/host.ts:
// `clockJump` moves that host's mstime() — Redis's gettimeofday — while timers keep running on the monotonic
// world time). A real NTP / `date -s` step does exactly that: CLOCK_REALTIME moves, CLOCK_MONOTONIC does not.
// Redis 7.0 runs its event loop and most timers on the monotonic clock (monotonic.c: "monotonic clock: POSIX
// clock_gettime"), while Sentinel's timer, TILT check and every `mstime()` comparison use the wall clock.
//
// Why not libfaketime: libfaketime 0.9.10 (Debian's) deadlocks Debian's redis-server at start-up. The server is
// linked with the system jemalloc; jemalloc calls clock_gettime() while holding an arena lock, libfaketime
// initialises itself in that call, and its dlsym() of symbols glibc 2.36 no longer has (__ftime,
// timer_settime@GLIBC_2.2) fails, which allocates (dlerror) → jemalloc → the same lock (wolfcw/libfaketime
// issue #130, open: "we don't have a fix for that"). Its FAKETIME_NO_CACHE mode also re-reads the control file
// with fopen() inside clock_gettime(), i.e. allocates inside the allocator's time calls (libfaketime PR #391).
// So every real process is started with a preload library of our own, built once with the C compiler:
// CLOCK_REALTIME / CLOCK_REALTIME_COARSE, gettimeofday(), time() and timespec_get() return the real time plus
// the offset of the process's host, read from a mapped 8-byte control file (one per host, SENTINEL_SIM_CLOCK_FILE)
// that this thread rewrites at a jump: no allocation, no lock, no file read per call, and the monotonic clocks
// are left alone. A restarted process maps the same file, so it starts with its host's clock as it is.
// Without a C compiler (or with SENTINEL_SIM_REAL_CLOCK=off) clock jumps are skipped and reported.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLOCK_FILE_ENV = 'SENTINEL_SIM_CLOCK_FILE';

/** The preload library's source (C, glibc / Linux). */
export const SHIM_SOURCE = `// sentinel-sim clock shim (bin/real/clock.ts): the wall clock of this process = real + the host's offset.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile const int64_t *offset_ns;
static int (*next_clock_gettime)(clockid_t, struct timespec *);

__attribute__((constructor)) static void shim_init(void) {
  const char *path = getenv("${CLOCK_FILE_ENV}");
  if (path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      void *m = mmap(NULL, sizeof(int64_t), PROT_READ, MAP_SHARED, fd, 0);
      close(fd);
      if (m != MAP_FAILED) offset_ns = (volatile const int64_t *)m;
    }
  }
  next_clock_gettime = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
}

static int real_clock(clockid_t c, struct timespec *ts) {
  if (next_clock_gettime) return next_clock_gettime(c, ts);
  return (int)syscall(SYS_clock_gettime, c, ts);
}

static int64_t offset(void) {
  if (!offset_ns) return 0;
  int64_t a, b;
  do { a = *offset_ns; b = *offset_ns; } while (a != b);
  return a;
}

static int shifted(clockid_t c, struct timespec *ts) {
  int r = real_clock(c, ts);
  if (r != 0) return r;
  int64_t ns = (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec + offset();
  ts->tv_sec = (time_t)(ns / 1000000000LL);
  ts->tv_nsec = (long)(ns % 1000000000LL);
  if (ts->tv_nsec < 0) { ts->tv_nsec += 1000000000L; ts->tv_sec -= 1; }
  return 0;
}

int clock_gettime(clockid_t c, struct timespec *ts) {
  if (c == CLOCK_REALTIME || c == CLOCK_REALTIME_COARSE) return shifted(c, ts);
  return real_clock(c, ts);
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
  (void)tz;
  if (!tv) return 0;
  struct timespec ts;
  int r = shifted(CLOCK_REALTIME, &ts);
  if (r != 0) return r;
  tv->tv_sec = ts.tv_sec;
  tv->tv_usec = ts.tv_nsec / 1000;
  return 0;
}

time_t time(time_t *t) {
  struct timespec ts;
  if (shifted(CLOCK_REALTIME, &ts) != 0) return (time_t)-1;
  if (t) *t = ts.tv_sec;
  return ts.tv_sec;
}

int timespec_get(struct timespec *ts, int base) {
  if (base != TIME_UTC) return 0;
  return shifted(CLOCK_REALTIME, ts) == 0 ? base : 0;
}
`;

export type ClockAvailability = { ok: true; lib: string } | { ok: false; reason: string };

let cached: ClockAvailability | null = null;

/**
 * The preload library (built on first use into the temporary directory, keyed by its source's hash), or why
 * clock jumps cannot be made here.
 */
export function clockAvailability(): ClockAvailability {
  if (process.env.SENTINEL_SIM_REAL_CLOCK === 'off') return { ok: false, reason: 'clock jumps turned off (SENTINEL_SIM_REAL_CLOCK=off)' };
  if (cached) return cached;
  if (process.platform !== 'linux') return (cached = { ok: false, reason: 'clock jumps need Linux (an LD_PRELOAD library)' });
  const hash = createHash('sha256').update(SHIM_SOURCE).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'sentinel-sim-clock');
  const lib = join(dir, `clockshim-${hash}.so`);
  if (existsSync(lib)) return (cached = { ok: true, lib });
  const cc = process.env.CC || 'cc';
  try {
    mkdirSync(dir, { recursive: true });
    const src = join(dir, `clockshim-${hash}-${process.pid}.c`);
    const tmp = join(dir, `clockshim-${hash}-${process.pid}.so`);
    writeFileSync(src, SHIM_SOURCE);
    try {
      execFileSync(cc, ['-shared', '-fPIC', '-O2', '-o', tmp, src, '-ldl'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      renameSync(tmp, lib);
    } finally {
      rmSync(src, { force: true });
      rmSync(tmp, { force: true });
    }
    return (cached = { ok: true, lib });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') return (cached = { ok: false, reason: `no C compiler (${cc}) to build the clock preload library (apt-get install gcc)` });
    return (cached = { ok: false, reason: `cannot build the clock preload library: ${(err.stderr?.toString() || err.message).trim().split('\n')[0]}` });
  }
}

/** One host's clock offset, as the mapped control file its processes read. */
export class HostClock {
  private offsetNs = 0n;

  constructor(readonly path: string) {
    this.write();
  }

  get offsetMs(): number {
    return Number(this.offsetNs) / 1e6;
  }

  /** Step the host's wall clock by deltaMs (cumulative, like the simulator's Host.clockJump). */
  jump(deltaMs: number): void {
    this.offsetNs += BigInt(Math.round(deltaMs * 1e6));
    this.write();
  }

  /** In place (the processes map this file): one 8-byte write at offset 0. */
  private write(): void {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(this.offsetNs);
    const fd = openSync(this.path, existsSync(this.path) ? 'r+' : 'w');
    try {
      writeSync(fd, buf, 0, 8, 0);
    } finally {
      closeSync(fd);
    }
  }
}
