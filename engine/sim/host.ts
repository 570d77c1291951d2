// A simulated machine: an IP, its own wall clock, a disk that survives crashes (design.md, engine/sim).
import type { Micros } from './time.ts';

/** Key → bytes (latin1 string) or a structured value. Survives process crashes; lost only if wiped. */
export class Disk {
  private files = new Map<string, unknown>();
  /** Number of write operations, handy for tests and fsync accounting. */
  writes = 0;

  read<T = unknown>(path: string): T | undefined {
    return this.files.get(path) as T | undefined;
  }
  write(path: string, value: unknown): void {
    this.writes++;
    this.files.set(path, value);
  }
  exists(path: string): boolean {
    return this.files.has(path);
  }
  remove(path: string): void {
    this.files.delete(path);
  }
  list(): string[] {
    return [...this.files.keys()].sort();
  }
}

export interface HostClockOptions {
  /** Offset of this host's wall clock from world time, in ms (may be negative). */
  offsetMs?: number;
  /** Drift in parts per million: the host clock runs (1 + drift/1e6) times as fast as world time. */
  driftPpm?: number;
}

export class Host {
  up = true;
  readonly disk = new Disk();
  /** Offset in µs added to (drifted) world time. */
  private offsetUs: Micros;
  private driftPpm: number;

  constructor(
    readonly name: string,
    readonly ip: string,
    /** World epoch (µs since 1970) that virtual time 0 corresponds to. */
    private readonly epochUs: Micros,
    clock: HostClockOptions = {},
  ) {
    this.offsetUs = Math.round((clock.offsetMs ?? 0) * 1000);
    this.driftPpm = clock.driftPpm ?? 0;
  }

  /** This host's wall clock in µs since 1970, at world time `now`. */
  wallUs(now: Micros): Micros {
    const drifted = this.driftPpm === 0 ? now : Math.floor(now + (now * this.driftPpm) / 1e6);
    return this.epochUs + drifted + this.offsetUs;
  }

  /** Redis's mstime(): ms since 1970 on this host's clock. */
  mstime(now: Micros): number {
    return Math.floor(this.wallUs(now) / 1000);
  }

  /** Step the host clock (like `date -s`): only this host sees it. */
  clockJump(deltaMs: number): void {
    this.offsetUs += Math.round(deltaMs * 1000);
  }

  setDrift(ppm: number, now: Micros): void {
    // keep the clock continuous at the moment the drift changes
    const before = this.wallUs(now);
    this.driftPpm = ppm;
    this.offsetUs += before - this.wallUs(now);
  }

  get clockOffsetMs(): number {
    return this.offsetUs / 1000;
  }
}
