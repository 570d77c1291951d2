// The timeline under the stage (spec viz.md §2): markers for sdown, odown, elections (with their epoch),
// switch-master and faults; a focus band to scrub (click or drag) and a context band whose d3-brush zooms.
import * as d3 from 'd3';
import { formatClock } from '../../engine/sim/time.ts';
import type { Marker } from '../model/types.ts';
import { MARKER_COLORS } from './palette.ts';

const H_FOCUS = 64;
const H_CONTEXT = 26;
const M = { left: 12, right: 12 };

export class Timeline {
  private svg;
  private focus;
  private context;
  private x = d3.scaleLinear();
  private x2 = d3.scaleLinear();
  private brush;
  private width = 600;
  private endT = 1;
  private markers: Marker[] = [];
  private t = 0;
  private dragging = false;

  constructor(
    container: HTMLElement,
    private readonly onSeek: (t: number) => void,
  ) {
    this.svg = d3.select(container).append('svg').attr('class', 'timeline').attr('height', H_FOCUS + H_CONTEXT + 22);
    this.focus = this.svg.append('g').attr('class', 'focus').attr('transform', `translate(${M.left},2)`);
    this.focus.append('rect').attr('class', 'focus-bg').attr('height', H_FOCUS);
    this.focus.append('g').attr('class', 'axis').attr('transform', `translate(0,${H_FOCUS})`);
    this.focus.append('g').attr('class', 'marks');
    this.focus.append('line').attr('class', 'playhead').attr('y1', 0).attr('y2', H_FOCUS);
    this.context = this.svg.append('g').attr('class', 'context').attr('transform', `translate(${M.left},${H_FOCUS + 20})`);
    this.context.append('rect').attr('class', 'context-bg').attr('height', H_CONTEXT);
    this.context.append('g').attr('class', 'marks');
    this.context.append('line').attr('class', 'playhead').attr('y1', 0).attr('y2', H_CONTEXT);
    this.brush = d3
      .brushX()
      .on('brush end', (ev: d3.D3BrushEvent<unknown>) => {
        if (!ev.sourceEvent) return;
        const sel = ev.selection as [number, number] | null;
        this.x.domain(sel ? [this.x2.invert(sel[0]), this.x2.invert(sel[1])] : this.x2.domain());
        this.drawFocus();
        this.render(this.t);
      });
    this.context.append('g').attr('class', 'brush');
    const bg = this.focus.select<SVGRectElement>('rect.focus-bg');
    const seekAt = (ev: PointerEvent) => {
      const [px] = d3.pointer(ev, this.focus.node());
      this.onSeek(Math.round(Math.max(0, Math.min(this.endT, this.x.invert(px)))));
    };
    bg.on('pointerdown', (ev: PointerEvent) => {
      this.dragging = true;
      (ev.target as Element).setPointerCapture?.(ev.pointerId);
      seekAt(ev);
    })
      .on('pointermove', (ev: PointerEvent) => {
        if (this.dragging) seekAt(ev);
      })
      .on('pointerup pointercancel', () => (this.dragging = false));
    new ResizeObserver(() => this.resize(container.clientWidth)).observe(container);
    this.resize(container.clientWidth || 600);
  }

  private resize(w: number): void {
    this.width = Math.max(200, w - M.left - M.right);
    this.svg.attr('width', this.width + M.left + M.right);
    const zoomed = this.x.domain();
    this.x.range([0, this.width]);
    this.x2.range([0, this.width]).domain([0, this.endT]);
    if (zoomed[1] <= zoomed[0]) this.x.domain([0, this.endT]);
    this.focus.select('rect.focus-bg').attr('width', this.width);
    this.context.select('rect.context-bg').attr('width', this.width);
    this.brush.extent([
      [0, 0],
      [this.width, H_CONTEXT],
    ]);
    this.context.select<SVGGElement>('g.brush').call(this.brush);
    this.drawFocus();
    this.drawContext();
    this.render(this.t);
  }

  /** A new trace, or the same trace grown (live mode): keeps the zoom if it still fits. */
  setData(endT: number, markers: Marker[], keepZoom = false): void {
    const oldEnd = this.endT;
    this.endT = Math.max(1, endT);
    this.markers = markers;
    this.x2.domain([0, this.endT]);
    const [a, b] = this.x.domain();
    if (!keepZoom || b <= a || b >= oldEnd) this.x.domain([keepZoom && b > a ? a : 0, this.endT]);
    if (!keepZoom) this.context.select<SVGGElement>('g.brush').call(this.brush.move, null);
    this.drawFocus();
    this.drawContext();
  }

  /** The visible (zoomed) window. */
  get domain(): [number, number] {
    return this.x.domain() as [number, number];
  }

  private drawFocus(): void {
    const x = this.x;
    const ticks = x.ticks(Math.max(2, Math.floor(this.width / 110)));
    const axis = d3.axisBottom(x).tickValues(ticks).tickFormat((d) => formatClock(Number(d)).replace(/^00:/, '').replace(/\.000$/, ''));
    this.focus.select<SVGGElement>('g.axis').call(axis);
    const [a, b] = x.domain();
    const vis = this.markers.filter((m) => m.t >= a && m.t <= b);
    const rows: Record<string, number> = { fault: 0, sdown: 1, odown: 1, tilt: 1, election: 2, 'switch-master': 3, 'failover-end': 3, note: 0 };
    const g = this.focus
      .select('g.marks')
      .selectAll<SVGGElement, Marker>('g.mark')
      .data(vis, (m) => m.index)
      .join((enter) => {
        const e = enter.append('g').attr('class', 'mark');
        e.append('line');
        e.append('text');
        e.append('title');
        return e;
      });
    g.attr('data-kind', (m) => m.kind).attr('transform', (m) => `translate(${x(m.t)},${4 + (rows[m.kind] ?? 0) * 15})`);
    g.select('line').attr('y1', 0).attr('y2', 12).attr('stroke', (m) => MARKER_COLORS[m.kind]);
    g.select('text')
      .attr('x', 3)
      .attr('y', 10)
      .text((m) => (m.kind === 'election' ? `e${m.epoch ?? '?'}` : m.kind === 'switch-master' ? 'switch' : m.kind === 'fault' ? m.label.split(' ')[0] : m.kind === 'odown' ? 'odown' : ''));
    g.select('title').text((m) => `${formatClock(m.t)} ${m.label}`);
    g.on('click', (_ev, m) => this.onSeek(m.t));
  }

  private drawContext(): void {
    const x2 = this.x2;
    this.context
      .select('g.marks')
      .selectAll<SVGLineElement, Marker>('line')
      .data(this.markers.filter((m) => m.kind !== 'sdown'), (m) => m.index)
      .join('line')
      .attr('x1', (m) => x2(m.t))
      .attr('x2', (m) => x2(m.t))
      .attr('y1', 3)
      .attr('y2', H_CONTEXT - 3)
      .attr('stroke', (m) => MARKER_COLORS[m.kind]);
  }

  render(t: number): void {
    this.t = t;
    const [a, b] = this.x.domain();
    // follow the playhead when it leaves a zoomed window
    if ((t > b || t < a) && b - a < this.endT) {
      const span = b - a;
      const start = Math.max(0, Math.min(this.endT - span, t - span * 0.1));
      this.x.domain([start, start + span]);
      this.context.select<SVGGElement>('g.brush').call(this.brush.move, [this.x2(start), this.x2(start + span)]);
      this.drawFocus();
    }
    const px = this.x(t);
    this.focus.select('line.playhead').attr('x1', px).attr('x2', px);
    const px2 = this.x2(t);
    this.context.select('line.playhead').attr('x1', px2).attr('x2', px2);
  }
}
