// Playback: virtual time advances at `speed` × wall time (0.01× to 100×), on requestAnimationFrame;
// pauses when the window loses focus (spec viz.md, "pause on window blur").
export const MIN_SPEED = 0.01;
export const MAX_SPEED = 100;

export class Player {
  t = 0;
  playing = false;
  speed = 1;
  private last = 0;
  private raf = 0;
  /** Frames drawn (the fps benchmark reads it). */
  frames = 0;

  constructor(
    /** Latest instant one may play to (it may grow: live mode). Returns the clamped instant. */
    private readonly limit: (t: number) => number,
    private readonly draw: () => void,
    /** Whether what one may play to is still growing (live: the engine runs in a worker); then play waits instead of stopping. */
    private readonly growing: () => boolean = () => false,
  ) {
    window.addEventListener('blur', () => this.pause());
    const loop = (now: number) => {
      this.raf = requestAnimationFrame(loop);
      if (this.playing) {
        const dt = Math.min(250, now - this.last);
        const want = this.t + dt * 1000 * this.speed;
        const got = this.limit(want);
        this.t = got;
        if (got < want && !this.growing()) this.playing = false;
      }
      this.last = now;
      this.frames++;
      this.draw();
    };
    this.raf = requestAnimationFrame(loop);
  }

  play(): void {
    this.playing = true;
  }

  pause(): void {
    this.playing = false;
  }

  toggle(): void {
    this.playing = !this.playing;
  }

  seek(t: number): void {
    this.t = Math.max(0, this.limit(t));
  }

  setSpeed(s: number): void {
    this.speed = Math.min(MAX_SPEED, Math.max(MIN_SPEED, s));
  }

  stop(): void {
    cancelAnimationFrame(this.raf);
  }
}

/** Slider position (−2 … 2) ↔ speed (10^x). */
export const speedFromSlider = (v: number): number => Math.round(10 ** v * 1000) / 1000;
export const sliderFromSpeed = (s: number): number => Math.log10(s);
export const speedLabel = (s: number): string => (s >= 1 ? `${+s.toFixed(s < 10 ? 2 : 0)}×` : `${+s.toFixed(s < 0.1 ? 3 : 2)}×`);
