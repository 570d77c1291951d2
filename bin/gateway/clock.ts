// The virtual clock follows the wall clock (× speed): a real-time loop that runs the simulation up to
// "now" and sleeps until its next event (Node only).
import { performance } from 'node:perf_hooks';
import type { Simulation } from '../../engine/sim/simulation.ts';

/** Longest real sleep between two catch-ups (ms), so new socket input is never delayed much. */
const MAX_SLEEP_MS = 50;
/** Longest real time one catch-up runs the simulation before the event loop gets a turn (ms). */
const SLICE_MS = 20;

export class RealTimeDriver {
  private readonly virt0: number;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** An exception thrown by the simulation (the loop stops; the gateway reports it). */
  failure: Error | null = null;

  constructor(
    readonly sim: Simulation,
    readonly speed: number,
    private readonly onFailure: (e: Error) => void = () => {},
    /** performance.now() at the simulation's virtual instant `sim.now` (default: now). */
    private readonly wall0: number = performance.now(),
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number (got ${speed})`);
    this.virt0 = sim.now;
  }

  /** The virtual instant (µs) that corresponds to the wall clock now. */
  target(): number {
    return this.virt0 + Math.floor((performance.now() - this.wall0) * 1000 * this.speed);
  }

  start(): void {
    this.running = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Run the simulation up to the wall clock now (call before injecting input from a socket). */
  catchUp(): void {
    if (!this.running || this.failure) return;
    const t = this.target();
    if (t <= this.sim.now) return;
    try {
      // a simulation slower than the wall clock (a busy script's slices) must not starve the sockets:
      // run for at most SLICE_MS, then let the event loop read input; the clock catches up later
      const deadline = performance.now() + SLICE_MS;
      while (this.sim.sched.peekTime() <= t) {
        this.sim.step();
        if (performance.now() >= deadline) return;
      }
      this.sim.run({ until: t });
    } catch (e) {
      this.failure = e as Error;
      this.stop();
      this.onFailure(this.failure);
    }
  }

  /** Input was injected: make sure its consequences run soon. */
  poke(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), 0);
  }

  private tick(): void {
    this.timer = null;
    if (!this.running) return;
    this.catchUp();
    if (!this.running) return;
    const next = this.sim.sched.peekTime();
    const waitMs = next === Infinity ? MAX_SLEEP_MS : (next - this.target()) / 1000 / this.speed;
    this.timer = setTimeout(() => this.tick(), Math.max(0, Math.min(MAX_SLEEP_MS, waitMs)));
  }
}
