// Messages in flight on a canvas laid over the stage's SVG: the densest layer (up to a few hundred dots, most of
// them new or moved every frame at 10×) costs one clear and one fill per dot, instead of DOM elements created,
// moved and removed — no style, layout or SVG repaint per frame. Each kind keeps the shape and colour the legend
// gives it (the same path as the legend's, as a Path2D); a dropped message shows a cross where it died.
import { messageColor, messageShape, shapePath } from './palette.ts';

/** A dot to draw, in the SVG's viewBox coordinates. */
export interface DotSprite {
  x: number;
  y: number;
  kind: string;
  dead: boolean;
}

/** What the last frame drew of a dot (tests compare it with the legend). */
export interface DrawnDot {
  kind: string;
  /** The SVG path filled (the legend's shape). */
  d: string;
  fill: string;
  dead: boolean;
}

const DOT_R = 4.5;
const STROKE = '#222';
const DROP = '#D55E00';

export class DotsLayer {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly paths = new Map<string, { d: string; path: Path2D; fill: string }>();
  /** The SVG's box (CSS px) and where it sits in the container, as the last layout gave them. */
  private box = { w: 0, h: 0, left: 0, top: 0 };
  private view = { w: 1, h: 1 };
  private last: DotSprite[] = [];
  private drawnNow: DrawnDot[] = [];

  constructor(container: HTMLElement, svg: SVGSVGElement) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'dots-layer';
    this.canvas.setAttribute('aria-hidden', 'true');
    container.append(this.canvas);
    this.ctx = this.canvas.getContext('2d')!;
    // sizes only from a ResizeObserver (layout is clean there: never a forced layout while drawing); the canvas is
    // re-allocated and redrawn in a task of its own, not in the frame that laid the page out (8–11 ms of CPU
    // without a GPU: with the page's first layout, or the stage's first draw, one long task)
    new ResizeObserver(() => {
      const s = svg.getBoundingClientRect();
      const c = container.getBoundingClientRect();
      this.box = { w: s.width, h: s.height, left: s.left - c.left - container.clientLeft, top: s.top - c.top - container.clientTop };
      if (this.resizing) return;
      this.resizing = true;
      setTimeout(() => {
        this.resizing = false;
        this.resize();
        this.draw(this.last);
      }, 0);
    }).observe(svg);
  }

  /** A resize is due (see the constructor). */
  private resizing = false;

  /** The SVG's viewBox size (its origin is 0,0). */
  setView(w: number, h: number): void {
    if (w === this.view.w && h === this.view.h) return;
    this.view = { w, h };
    this.draw(this.last);
  }

  /** The kinds, shapes and colours the last frame drew. */
  drawn(): DrawnDot[] {
    return this.drawnNow;
  }

  draw(dots: DotSprite[]): void {
    this.last = dots;
    const { ctx, canvas } = this;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    this.drawnNow = [];
    if (!this.box.w || !this.box.h || dots.length === 0) return;
    // the viewBox fitted in the SVG's box as preserveAspectRatio="xMidYMid meet" does
    const s = Math.min(this.box.w / this.view.w, this.box.h / this.view.h);
    const ox = (this.box.w - this.view.w * s) / 2;
    const oy = (this.box.h - this.view.h * s) / 2;
    ctx.lineWidth = 0.6;
    ctx.strokeStyle = STROKE;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `700 14px system-ui, sans-serif`;
    for (const d of dots) {
      const p = this.pathOf(d.kind);
      ctx.setTransform(s * dpr, 0, 0, s * dpr, (ox + d.x * s) * dpr, (oy + d.y * s) * dpr);
      if (d.dead) {
        ctx.fillStyle = DROP;
        ctx.fillText('✕', 0, 0);
      } else {
        ctx.fillStyle = p.fill;
        ctx.fill(p.path);
        ctx.stroke(p.path);
      }
      this.drawnNow.push({ kind: d.kind, d: p.d, fill: p.fill, dead: d.dead });
    }
  }

  private resize(): void {
    const dpr = window.devicePixelRatio || 1;
    const { canvas } = this;
    const w = Math.max(1, Math.round(this.box.w * dpr));
    const h = Math.max(1, Math.round(this.box.h * dpr));
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    canvas.style.left = `${this.box.left}px`;
    canvas.style.top = `${this.box.top}px`;
    canvas.style.width = `${this.box.w}px`;
    canvas.style.height = `${this.box.h}px`;
  }

  private pathOf(kind: string): { d: string; path: Path2D; fill: string } {
    let p = this.paths.get(kind);
    if (!p) {
      const d = shapePath(messageShape(kind), DOT_R);
      this.paths.set(kind, (p = { d, path: new Path2D(d), fill: messageColor(kind) }));
    }
    return p;
  }
}
