// The timeline under the stage (spec viz.md §2): markers for sdown, odown, elections (with their epoch),
// switch-master and faults; a focus band to scrub (click or drag) and a context band whose d3-brush zooms.
// Long idle gaps are compressed (a break mark says how long); markers that would overlap are one mark with a
// count whose popover lists them (timelineMarks.ts). Marks are buttons: Tab reaches them, Enter acts.
// Under the focus axis, one lane per application host (s.app): the master it believed in over time.
import * as d3 from 'd3';
import { formatClock } from '../../engine/sim/time.ts';
import type { Marker } from '../model/types.ts';
import { MARKER_COLORS, OKABE_ITO, textOn } from './palette.ts';
import { compress, groupMarks, type Breaks, type MarkGroup } from './timelineMarks.ts';

const H_FOCUS = 64;
const H_CONTEXT = 26;
const M = { left: 12, right: 12 };
/** The timeline box's top padding (style.css .timeline-box): where its SVG starts. */
const PAD_TOP = 2;
/** An application lane's height, and where the lanes start (under the focus axis's labels). */
const LANE_H = 15;
const LANES_Y = H_FOCUS + 20;
/** The colours of the masters an app believed in (in order of first belief); none is a light grey. */
const LANE_COLORS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.purple, OKABE_ITO.sky, OKABE_ITO.orange, OKABE_ITO.black];
const LANE_NONE = '#e4e4e4';

/** What an application host believed the master was, over time (FrameStore.appViews). */
export type AppLanes = ReadonlyMap<string, { name: string; points: readonly { t: number; master: string | null }[] }>;

interface LaneSegment {
  node: string;
  row: number;
  from: number;
  to: number;
  master: string | null;
}

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
  /** The zoomed window [a, b] (µs); the scale x maps it with its idle gaps compressed. */
  private win: [number, number] = [0, 1];
  private readonly popover: HTMLDivElement;
  /** The playhead bars of the focus and the context rows. */
  private readonly heads: HTMLDivElement[];
  /** The application lanes (one per app host) and their group under the focus axis. */
  private lanes: AppLanes = new Map();
  private readonly gLanes;

  constructor(
    container: HTMLElement,
    private readonly onSeek: (t: number) => void,
  ) {
    this.svg = d3.select(container).append('svg').attr('class', 'timeline').attr('height', H_FOCUS + H_CONTEXT + 22);
    this.focus = this.svg.append('g').attr('class', 'focus').attr('transform', `translate(${M.left},2)`);
    this.focus.append('rect').attr('class', 'focus-bg').attr('height', H_FOCUS);
    this.focus.append('g').attr('class', 'axis').attr('transform', `translate(0,${H_FOCUS})`);
    this.focus.append('g').attr('class', 'gaps');
    this.focus.append('g').attr('class', 'marks');
    this.gLanes = this.focus.append('g').attr('class', 'app-lanes').attr('transform', `translate(0,${LANES_Y})`);
    this.context = this.svg.append('g').attr('class', 'context').attr('transform', `translate(${M.left},${H_FOCUS + 20})`);
    this.context.append('rect').attr('class', 'context-bg').attr('height', H_CONTEXT);
    this.context.append('g').attr('class', 'gaps');
    this.context.append('g').attr('class', 'marks');
    this.brush = d3
      .brushX()
      .on('brush end', (ev: d3.D3BrushEvent<unknown>) => {
        if (!ev.sourceEvent) return;
        const sel = ev.selection as [number, number] | null;
        this.setWindow(sel ? [this.x2.invert(sel[0]), this.x2.invert(sel[1])] : [0, this.endT]);
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
    container.style.position = 'relative';
    // the playheads: bars over the SVG on layers of their own, moved by the compositor (a frame repaints nothing here)
    this.heads = [H_FOCUS, H_CONTEXT].map((h, i) => {
      const bar = document.createElement('div');
      bar.className = 'playhead-bar';
      bar.setAttribute('aria-hidden', 'true');
      bar.style.left = `${M.left - 1}px`;
      bar.style.top = `${PAD_TOP + (i === 0 ? 2 : 84)}px`;
      bar.style.height = `${h}px`;
      container.append(bar);
      return bar;
    });
    this.popover = document.createElement('div');
    this.popover.className = 'mark-popover';
    this.popover.hidden = true;
    this.popover.setAttribute('role', 'dialog');
    this.popover.setAttribute('aria-label', 'events at this mark');
    this.popover.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.closePopover(true);
      }
    });
    container.append(this.popover);
    document.addEventListener('pointerdown', (e) => {
      if (!this.popover.hidden && !this.popover.contains(e.target as Node) && !(e.target as Element).closest?.('g.mark')) this.closePopover(false);
    });
    // the width once laid out (a ResizeObserver reports it as soon as the page is: reading clientWidth here would
    // lay the page out in the middle of its start)
    // (only a new width redraws: the box's height changes with the application lanes)
    new ResizeObserver(() => {
      if (container.clientWidth !== this.observedW) this.resize((this.observedW = container.clientWidth));
    }).observe(container);
    // the first full draw comes with the first width (the observer above, at the page's first layout): here only
    // the brush, at the default width (a full draw here would be thrown away, in the page's first task)
    this.svg.attr('width', this.width + M.left + M.right);
    this.brush.extent([
      [0, 0],
      [this.width, H_CONTEXT],
    ]);
    this.context.select<SVGGElement>('g.brush').call(this.brush);
  }

  /** The container's width the last ResizeObserver call gave. */
  private observedW = -1;

  private resize(w: number): void {
    this.width = Math.max(200, w - M.left - M.right);
    this.svg.attr('width', this.width + M.left + M.right);
    if (this.win[1] <= this.win[0]) this.win = [0, this.endT];
    this.setWindow(this.win);
    this.setContextScale();
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
  setData(endT: number, markers: Marker[], keepZoom = false, lanes: AppLanes = new Map()): void {
    const oldEnd = this.endT;
    this.endT = Math.max(1, endT);
    this.markers = markers;
    if (lanes.size !== this.lanes.size) this.placeRows(lanes.size);
    this.lanes = lanes;
    this.setContextScale();
    const [a, b] = this.win;
    if (!keepZoom || b <= a || b >= oldEnd) this.setWindow([keepZoom && b > a ? a : 0, this.endT]);
    if (!keepZoom) this.context.select<SVGGElement>('g.brush').call(this.brush.move, null);
    this.drawFocus();
    this.drawContext();
  }

  /** Room for `n` application lanes between the focus and the context rows (the SVG and the playheads follow). */
  private placeRows(n: number): void {
    const extra = n ? n * LANE_H + 4 : 0;
    this.svg.attr('height', H_FOCUS + H_CONTEXT + 22 + extra);
    this.context.attr('transform', `translate(${M.left},${H_FOCUS + 20 + extra})`);
    this.heads[0].style.height = `${H_FOCUS + (n ? 20 + n * LANE_H : 0)}px`;
    this.heads[1].style.top = `${PAD_TOP + 84 + extra}px`;
  }

  /** The lanes over the zoomed window: a bar per belief, coloured by master, its text when it fits. */
  private drawLanes(): void {
    const x = this.x;
    const [a, b] = this.win;
    const masters = new Map<string, string>();
    const segs: LaneSegment[] = [];
    let row = 0;
    for (const [node, { points }] of this.lanes) {
      for (const p of points) if (p.master !== null && !masters.has(p.master)) masters.set(p.master, LANE_COLORS[masters.size % LANE_COLORS.length]);
      const cuts = [{ t: 0, master: null as string | null }, ...points];
      for (let i = 0; i < cuts.length; i++) {
        const from = Math.max(a, cuts[i].t);
        const to = Math.min(b, i + 1 < cuts.length ? cuts[i + 1].t : this.endT);
        if (to > from || (to === from && i + 1 === cuts.length)) segs.push({ node, row, from, to, master: cuts[i].master });
      }
      row++;
    }
    const color = (m: string | null) => (m === null ? LANE_NONE : masters.get(m)!);
    const appName = (node: string) => this.lanes.get(node)?.name ?? node;
    const G = this.gLanes
      .selectAll<SVGGElement, LaneSegment>('g.lane-seg')
      .data(segs, (d) => `${d.node}|${d.from}`)
      .join((enter) => {
        const e = enter.append('g').attr('class', 'lane-seg');
        e.append('rect');
        e.append('text').attr('y', LANE_H / 2 + 1).attr('dominant-baseline', 'middle').attr('x', 3);
        e.append('title');
        return e;
      });
    G.attr('data-node', (d) => d.node)
      .attr('data-master', (d) => d.master ?? '')
      .attr('transform', (d) => `translate(${x(d.from)},${d.row * LANE_H})`);
    G.select('rect')
      .attr('width', (d) => Math.max(1, x(d.to) - x(d.from)))
      .attr('height', LANE_H - 2)
      .attr('fill', (d) => color(d.master));
    G.select('text')
      .attr('fill', (d) => textOn(color(d.master)))
      .text((d) => {
        const w = x(d.to) - x(d.from) - 6;
        const long = `${appName(d.node)} → ${d.master ?? 'no master'}`;
        const short = d.master ? d.master.slice(d.master.lastIndexOf(':') + 1) : '–';
        return long.length * 6.2 <= w ? long : short.length * 6.2 <= w ? short : '';
      });
    G.select('title').text((d) => `${appName(d.node)} believes the master is ${d.master ?? 'none'} from ${formatClock(d.from)} to ${formatClock(d.to)}`);
    this.gLanes.attr('role', this.lanes.size ? 'img' : null).attr(
      'aria-label',
      this.lanes.size ? [...this.lanes.values()].map(({ name, points: pts }) => `${name} believes: ${pts.map((p) => `${p.master ?? 'none'} from ${formatClock(p.t)}`).join(', ') || 'no master'}`).join('; ') : null,
    );
  }

  /** The visible (zoomed) window. */
  get domain(): [number, number] {
    return this.win;
  }

  private breaks(a: number, b: number): Breaks {
    return compress(this.markers.map((m) => m.t), a, b, this.width);
  }

  /** Zoom to [a, b]: the focus scale, with that window's idle gaps compressed. */
  private setWindow(w: [number, number]): void {
    this.win = w;
    const br = this.breaks(w[0], w[1]);
    this.x = d3.scaleLinear().domain(br.domain).range(br.range).clamp(true);
    this.drawGaps(this.focus, br, H_FOCUS);
  }

  private setContextScale(): void {
    const br = this.breaks(0, this.endT);
    this.x2 = d3.scaleLinear().domain(br.domain).range(br.range).clamp(true);
    this.drawGaps(this.context, br, H_CONTEXT);
  }

  /** A break mark over every compressed gap, saying how long it is. */
  private drawGaps(g: d3.Selection<SVGGElement, unknown, null, undefined>, br: Breaks, h: number): void {
    const G = g
      .select('g.gaps')
      .selectAll<SVGGElement, Breaks['gaps'][number]>('g.gap')
      .data(br.gaps)
      .join((enter) => {
        const e = enter.append('g').attr('class', 'gap');
        e.append('rect').attr('class', 'gap-bg');
        e.append('path').attr('class', 'gap-zigzag');
        e.append('title');
        return e;
      });
    G.select('rect').attr('x', (d) => d.x0).attr('width', (d) => d.x1 - d.x0).attr('y', 0).attr('height', h);
    G.select('path').attr('d', (d) => {
      const m = (d.x0 + d.x1) / 2;
      const pts: string[] = [];
      for (let y = 0, i = 0; y <= h; y += 6, i++) pts.push(`${(m + (i % 2 ? 3 : -3)).toFixed(1)},${y}`);
      return `M${pts.join('L')}`;
    });
    G.select('title').text((d) => `no events for ${formatClock(d.to - d.from).replace(/^00:/, '')} (compressed)`);
  }

  private drawFocus(): void {
    const x = this.x;
    // ticks at least 70 px apart (the compressed gaps squeeze the scale's own ticks together)
    const ticks: number[] = [];
    for (const v of x.ticks(Math.max(2, Math.floor(this.width / 60)))) if (ticks.length === 0 || x(v) - x(ticks[ticks.length - 1]) >= 70) ticks.push(v);
    const axis = d3.axisBottom(x).tickValues(ticks).tickFormat((d) => formatClock(Number(d)).replace(/^00:/, '').replace(/\.000$/, ''));
    this.focus.select<SVGGElement>('g.axis').call(axis);
    const [a, b] = this.win;
    const vis = this.markers.filter((m) => m.t >= a && m.t <= b);
    const groups = groupMarks(vis, (t) => x(t));
    const g = this.focus
      .select('g.marks')
      .selectAll<SVGGElement, MarkGroup>('g.mark')
      .data(groups, (m) => m.members[0].index)
      .join((enter) => {
        const e = enter.append('g').attr('class', 'mark').attr('tabindex', 0).attr('role', 'button');
        e.append('line');
        e.append('text');
        e.append('title');
        return e;
      });
    g.attr('data-kind', (m) => m.kind)
      .attr('data-count', (m) => m.members.length)
      // the name starts with the visible text (WCAG 2.5.3, label in name), then says it in words
      .attr('aria-label', (m) => `${m.label ? `${m.label}: ` : ''}${m.members.length > 1 ? `${m.members.length} events from ${formatClock(m.t)}, open the list` : `${formatClock(m.t)} ${m.members[0].label}, go there`}`)
      .attr('aria-haspopup', (m) => (m.members.length > 1 ? 'dialog' : null))
      .attr('transform', (m) => `translate(${m.x},${4 + m.row * 15})`);
    g.select('line').attr('y1', 0).attr('y2', 12).attr('stroke', (m) => MARKER_COLORS[m.kind]).attr('stroke-width', (m) => (m.members.length > 1 ? 4 : 2));
    g.select('text').attr('x', 3).attr('y', 10).text((m) => m.label);
    g.select('title').text((m) => m.members.map((k) => `${formatClock(k.t)} ${k.label}`).join('\n'));
    this.drawLanes();
    const act = (ev: Event, m: MarkGroup) => {
      if (m.members.length === 1) this.onSeek(m.t);
      else this.openPopover(m, ev.currentTarget as SVGGElement);
    };
    g.on('click', act).on('keydown', (ev: KeyboardEvent, m) => {
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      ev.preventDefault();
      ev.stopPropagation();
      act(ev, m);
    });
  }

  /** The members of a group: one button each (it seeks there); Escape closes and gives the focus back. */
  private openPopover(m: MarkGroup, from: SVGGElement): void {
    const p = this.popover;
    p.replaceChildren();
    const h = document.createElement('p');
    h.className = 'popover-title';
    h.textContent = `${m.members.length} events`;
    p.append(h);
    for (const k of m.members) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `${formatClock(k.t)} ${k.label}`;
      b.dataset.t = String(k.t);
      b.addEventListener('click', () => {
        this.onSeek(k.t);
        this.closePopover(true);
      });
      p.append(b);
    }
    (p as HTMLDivElement & { opener?: SVGGElement }).opener = from;
    p.hidden = false;
    const box = this.popover.parentElement!.getBoundingClientRect();
    const r = from.getBoundingClientRect();
    p.style.left = `${Math.max(0, Math.min(box.width - 260, r.left - box.left))}px`;
    p.style.top = `${r.bottom - box.top + 4}px`;
    (p.querySelector('button') as HTMLButtonElement | null)?.focus();
  }

  private closePopover(refocus: boolean): void {
    const p = this.popover as HTMLDivElement & { opener?: SVGGElement };
    if (p.hidden) return;
    p.hidden = true;
    if (refocus) p.opener?.focus();
  }

  private drawContext(): void {
    const x2 = this.x2;
    this.context
      .select('g.marks')
      .selectAll<SVGLineElement, Marker>('line')
      .data(
        groupMarks(this.markers.filter((m) => m.kind !== 'sdown'), (t) => x2(t)).map((g) => ({ ...g.members[0], kind: g.kind })),
        (m) => m.index,
      )
      .join('line')
      .attr('x1', (m) => x2(m.t))
      .attr('x2', (m) => x2(m.t))
      .attr('y1', 3)
      .attr('y2', H_CONTEXT - 3)
      .attr('stroke', (m) => MARKER_COLORS[m.kind]);
  }

  render(t: number): void {
    this.t = t;
    const [a, b] = this.win;
    // follow the playhead when it leaves a zoomed window
    if ((t > b || t < a) && b - a < this.endT) {
      const span = b - a;
      const start = Math.max(0, Math.min(this.endT - span, t - span * 0.1));
      this.setWindow([start, start + span]);
      this.context.select<SVGGElement>('g.brush').call(this.brush.move, [this.x2(start), this.x2(start + span)]);
      this.drawFocus();
    }
    this.moveHead(0, this.x(t));
    this.moveHead(1, this.x2(t));
  }

  private readonly headAt = [NaN, NaN];

  private moveHead(i: number, px: number): void {
    const x = Math.round(px * 2) / 2;
    if (this.headAt[i] === x || !Number.isFinite(x)) return;
    this.headAt[i] = x;
    this.heads[i].style.transform = `translateX(${x}px)`;
  }
}
